-- Tables, partitioned tables and partitions; views and materialized views too (relkind tells),
-- so that columns.sql rows can be attached by oid. Partition keys are split into parts in Rust
-- from pg_get_partkeydef plus the catalog arrays (computed for partitioned tables only); parents
-- come from inherits.sql.
SELECT c.oid AS oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS kind,
       c.relpersistence = 'u' AS unlogged,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       coalesce(c.reloptions, '{}')::text[] AS options,
       c.relispartition AS is_partition,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       pt.partstrat::text AS partition_strategy,
       CASE WHEN pt.partrelid IS NOT NULL THEN pg_get_partkeydef(c.oid) END AS partition_keydef,
       coalesce(pt.partattrs::int2[], '{}') AS partition_attnums,
       CASE WHEN pt.partrelid IS NULL THEN '{}'::text[] ELSE coalesce(array(SELECT coalesce(a.attname, '') FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY k(attnum, ord)
                      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                      ORDER BY k.ord)::text[], '{}') END AS partition_columns,
       CASE WHEN pt.partrelid IS NULL THEN '{}'::text[] ELSE coalesce(array(SELECT CASE WHEN opc.opcdefault AND opc.opcintype = coalesce(a.atttypid, opc.opcintype) THEN ''
                                  WHEN ocn.nspname = 'pg_catalog' THEN opc.opcname
                                  ELSE ocn.nspname || '.' || opc.opcname END
                      FROM unnest(pt.partclass::oid[], pt.partattrs::int2[]) WITH ORDINALITY k(opc, attnum, ord)
                      JOIN pg_opclass opc ON opc.oid = k.opc
                      JOIN pg_namespace ocn ON ocn.oid = opc.opcnamespace
                      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                      ORDER BY k.ord)::text[], '{}') END AS partition_opclasses,
       CASE WHEN pt.partrelid IS NULL THEN '{}'::text[] ELSE coalesce(array(SELECT CASE WHEN k.coll = 0 OR k.coll = coalesce(a.attcollation, k.coll) THEN ''
                                  WHEN cn.nspname = 'pg_catalog' THEN co.collname
                                  ELSE cn.nspname || '.' || co.collname END
                      FROM unnest(pt.partcollation::oid[], pt.partattrs::int2[]) WITH ORDINALITY k(coll, attnum, ord)
                      LEFT JOIN pg_collation co ON co.oid = k.coll
                      LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                      ORDER BY k.ord)::text[], '{}') END AS partition_collations,
       CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid, true)
            WHEN c.relkind = 'm' THEN pg_get_viewdef(c.oid, true) END AS view_definition,
       des.description AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid
LEFT JOIN pg_description des ON des.objoid = c.oid AND des.classoid = 'pg_class'::regclass AND des.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
