-- Indexes on tables and materialized views, one row per index; key parts come from
-- index_parts.sql. Indexes backing a constraint are returned too (constraint_oid) so assembly can read
-- INCLUDE columns and exclusion elements from them; they are not listed as indexes. Indexes of
-- partitions attached to a parent index are left out: the parent declares them.
SELECT i.indexrelid AS oid,
       i.indrelid AS relid,
       ic.relname AS name,
       i.indisunique AS is_unique,
       am.amname AS method,
       coalesce(con.oid, 0::oid) AS constraint_oid,
       -- INCLUDE columns: the attnums after the key columns, named in Rust from columns.sql.
       -- (int2vector subscripts start at 0, hence array_lower.)
       coalesce((i.indkey::int2[])[array_lower(i.indkey::int2[], 1) + i.indnkeyatts:], '{}') AS include_attnums,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       i.indnullsnotdistinct AS nulls_not_distinct,
       coalesce(ic.reloptions, '{}')::text[] AS options,
       des.description AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
     AND con.contype IN ('p', 'u', 'x')
LEFT JOIN pg_description des ON des.objoid = ic.oid AND des.classoid = 'pg_class'::regclass AND des.objsubid = 0
WHERE tc.relkind IN ('r', 'p', 'm')
  AND NOT ic.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
