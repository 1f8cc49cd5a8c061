-- Domains: base type (element split out for arrays), NOT NULL, default, collation when it differs
-- from the base type's. Checks come from constraints.sql.
SELECT t.oid AS oid,
       n.nspname AS schema,
       t.typname AS name,
       t.typbasetype AS type_oid,
       CASE WHEN bt.typelem <> 0 AND bt.typlen = -1 AND bt.typtype = 'b' THEN bt.typelem ELSE 0::oid END AS elem_oid,
       format_type(CASE WHEN bt.typelem <> 0 AND bt.typlen = -1 AND bt.typtype = 'b' THEN bt.typelem ELSE bt.oid END,
                   NULLIF(t.typtypmod, -1)) AS type_name,
       t.typnotnull AS not_null,
       pg_get_expr(t.typdefaultbin, 0) AS "default",
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN
            CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname ELSE cn.nspname || '.' || co.collname END
       END AS collation,
       obj_description(t.oid, 'pg_type') AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE t.typtype = 'd'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
