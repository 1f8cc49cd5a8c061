-- Functions and procedures (not aggregates or window functions). Arguments come as parallel
-- arrays over proallargtypes (or proargtypes when every argument is IN); their defaults are cut
-- out of pg_get_function_arguments in Rust.
SELECT p.oid AS oid,
       n.nspname AS schema,
       p.proname AS name,
       p.prokind::text AS kind,
       coalesce(p.proargnames, '{}')::text[] AS arg_names,
       coalesce(p.proargmodes::text[], '{}') AS arg_modes,
       array(SELECT x FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(x, ord)
             ORDER BY u.ord) AS arg_type_oids,
       array(SELECT CASE WHEN t.typelem <> 0 AND t.typlen = -1 AND t.typtype = 'b' THEN t.typelem ELSE 0::oid END
             FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(x, ord)
             JOIN pg_type t ON t.oid = u.x ORDER BY u.ord) AS arg_elem_oids,
       array(SELECT format_type(CASE WHEN t.typelem <> 0 AND t.typlen = -1 AND t.typtype = 'b' THEN t.typelem ELSE t.oid END, NULL)
             FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(x, ord)
             JOIN pg_type t ON t.oid = u.x ORDER BY u.ord)::text[] AS arg_type_names,
       pg_get_function_arguments(p.oid) AS arguments,
       p.prorettype AS ret_oid,
       CASE WHEN rt.typelem <> 0 AND rt.typlen = -1 AND rt.typtype = 'b' THEN rt.typelem ELSE 0::oid END AS ret_elem_oid,
       format_type(CASE WHEN rt.typelem <> 0 AND rt.typlen = -1 AND rt.typtype = 'b' THEN rt.typelem ELSE rt.oid END, NULL) AS ret_type_name,
       p.proretset AS setof,
       l.lanname AS language,
       CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) ELSE p.prosrc END AS body,
       p.provolatile::text AS volatility,
       p.proisstrict AS strict,
       p.prosecdef AS security_definer,
       p.proleakproof AS leakproof,
       p.proparallel::text AS parallel,
       p.procost::float8 AS cost,
       p.prorows::float8 AS rows,
       coalesce(p.proconfig, '{}')::text[] AS config,
       obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
JOIN pg_type rt ON rt.oid = p.prorettype
WHERE p.prokind IN ('f', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  -- Not owned by an extension ('e'), and not created internally with another object ('i'),
  -- such as the constructor functions of a range or multirange type.
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
