-- What each view and materialized view reads, from the rewrite rule's dependencies: whole
-- relations, single columns, functions, types and sequences (system objects left out).
-- ref_relkind tells whether a column belongs to a table or a view.
SELECT DISTINCT r.ev_class AS view_oid,
       CASE WHEN d.refclassid = 'pg_class'::regclass THEN
                CASE WHEN d.refobjsubid > 0 THEN 'column'
                     WHEN rc.relkind IN ('v', 'm') THEN 'view'
                     WHEN rc.relkind = 'S' THEN 'sequence'
                     ELSE 'table' END
            WHEN d.refclassid = 'pg_proc'::regclass THEN 'function'
            ELSE 'type' END AS kind,
       d.refobjid AS ref_oid,
       coalesce(rc.relkind::text, '') AS ref_relkind,
       coalesce(rn.nspname, pn.nspname, tn.nspname) AS ref_schema,
       coalesce(rc.relname, pr.proname, rt.typname) AS ref_name,
       coalesce(ra.attname, '') AS ref_column,
       coalesce(array_to_string(array(SELECT format_type(x, NULL) FROM unnest(pr.proargtypes::oid[]) WITH ORDINALITY u(x, ord)
                                      ORDER BY u.ord), ', '), '') AS ref_args
FROM pg_rewrite r
JOIN pg_class vc ON vc.oid = r.ev_class
JOIN pg_namespace n ON n.oid = vc.relnamespace
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
     AND d.refclassid IN ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass)
     AND NOT (d.refclassid = 'pg_class'::regclass AND d.refobjid = r.ev_class)
LEFT JOIN pg_class rc ON d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_attribute ra ON d.refclassid = 'pg_class'::regclass AND ra.attrelid = d.refobjid AND ra.attnum = d.refobjsubid
     AND d.refobjsubid > 0
LEFT JOIN pg_proc pr ON d.refclassid = 'pg_proc'::regclass AND pr.oid = d.refobjid
LEFT JOIN pg_namespace pn ON pn.oid = pr.pronamespace
LEFT JOIN pg_type rt ON d.refclassid = 'pg_type'::regclass AND rt.oid = d.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = rt.typnamespace
WHERE vc.relkind IN ('v', 'm')
  AND coalesce(rn.nspname, pn.nspname, tn.nspname) NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
