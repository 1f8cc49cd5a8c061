-- Every sequence, with the column that owns it: deptype 'a' (serial / OWNED BY) or 'i'
-- (identity). Assembly drops identity and serial sequences and folds identity options into columns.
SELECT c.oid AS oid,
       n.nspname AS schema,
       c.relname AS name,
       format_type(s.seqtypid, NULL) AS type_name,
       s.seqstart AS start, s.seqincrement AS increment, s.seqmin AS min_value,
       s.seqmax AS max_value, s.seqcache AS cache, s.seqcycle AS cycle,
       dep.refobjid AS owner_oid,
       dep.refobjsubid::int2 AS owner_attnum,
       dep.deptype::text AS owner_deptype,
       quote_literal(c.oid::regclass::text) AS regclass_literal,
       obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
     AND dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i')
WHERE c.relkind = 'S'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
