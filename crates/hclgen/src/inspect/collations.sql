-- User-defined collations. The locale columns moved between versions (ICU locale in
-- collcollate before 15, colliculocale in 15-16, colllocale from 17), so they are read from the
-- row as JSON, whatever the version has. $1: schema filter (empty = all).
SELECT n.nspname AS schema,
       c.collname AS name,
       c.collprovider::text AS provider,
       coalesce(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale',
                CASE WHEN c.collprovider = 'i' THEN c.collcollate END) AS locale,
       CASE WHEN c.collprovider = 'c' THEN c.collcollate END AS lc_collate,
       CASE WHEN c.collprovider = 'c' THEN c.collctype END AS lc_ctype,
       c.collisdeterministic AS deterministic,
       to_jsonb(c) ->> 'collicurules' AS rules,
       obj_description(c.oid, 'pg_collation') AS comment
FROM pg_collation c
JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_collation'::regclass AND d.objid = c.oid AND d.deptype = 'e')
