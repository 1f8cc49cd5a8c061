-- Parents of every inheritance child and partition, in inhseqno order (set-based: one pass over
-- pg_inherits instead of a lookup per table). Index partitions are skipped: indexes.sql leaves
-- them out.
SELECT i.inhrelid AS relid,
       i.inhseqno::int4 AS seqno,
       pn.nspname AS parent_schema,
       p.relname AS parent_name
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid AND c.relkind IN ('r', 'p')
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class p ON p.oid = i.inhparent
JOIN pg_namespace pn ON pn.oid = p.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
