-- Indexes on tables and materialized views, one row per index with its key parts as parallel
-- arrays. Indexes backing a constraint are returned too (constraint_oid) so assembly can read
-- INCLUDE columns and exclusion elements from them; they are not listed as indexes. Indexes of
-- partitions attached to a parent index are left out: the parent declares them.
-- An operator class counts as default when it is the default for the key type (or a type
-- binary-coercible to it, or the polymorphic family it belongs to), as GetDefaultOpClass decides.
SELECT i.indrelid AS relid,
       ic.relname AS name,
       i.indisunique AS is_unique,
       am.amname AS method,
       coalesce(con.oid, 0::oid) AS constraint_oid,
       p.columns AS part_columns,
       p.exprs AS part_exprs,
       p.descs AS part_desc,
       p.nulls_firsts AS part_nulls_first,
       p.opclasses AS part_opclasses,
       p.collations AS part_collations,
       array(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE k.ord > i.indnkeyatts ORDER BY k.ord)::text[] AS include,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       i.indnullsnotdistinct AS nulls_not_distinct,
       coalesce(ic.reloptions, '{}')::text[] AS options,
       obj_description(ic.oid, 'pg_class') AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
     AND con.contype IN ('p', 'u', 'x')
CROSS JOIN LATERAL (
    SELECT array_agg(coalesce(ta.attname, '') ORDER BY k.ord)::text[] AS columns,
           array_agg(CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE '' END
                     ORDER BY k.ord)::text[] AS exprs,
           array_agg((k.opt & 1) <> 0 ORDER BY k.ord) AS descs,
           array_agg((k.opt & 2) <> 0 ORDER BY k.ord) AS nulls_firsts,
           array_agg(CASE
               WHEN opc.opcdefault AND (
                    opc.opcintype = kt.oid
                    OR (k.attnum = 0 AND opc.opckeytype = ia.atttypid)
                    OR (kt.typtype = 'd' AND opc.opcintype = kt.typbasetype)
                    OR (opc.opcintype = 'anyarray'::regtype AND kt.typelem <> 0 AND kt.typlen = -1)
                    OR (opc.opcintype = 'anyenum'::regtype AND kt.typtype = 'e')
                    OR (opc.opcintype = 'anyrange'::regtype AND kt.typtype = 'r')
                    OR (opc.opcintype = 'anymultirange'::regtype AND kt.typtype = 'm')
                    OR EXISTS (SELECT 1 FROM pg_cast cst WHERE cst.castsource = kt.oid
                               AND cst.casttarget = opc.opcintype AND cst.castmethod = 'b'))
                    AND ia.attoptions IS NULL THEN ''
               ELSE CASE WHEN ocn.nspname = 'pg_catalog' THEN opc.opcname ELSE ocn.nspname || '.' || opc.opcname END
                    || coalesce('(' || array_to_string(ia.attoptions, ', ') || ')', '')
               END ORDER BY k.ord)::text[] AS opclasses,
           array_agg(CASE
               WHEN k.coll = 0 OR k.coll = coalesce(ta.attcollation, kt.typcollation) THEN ''
               WHEN cn.nspname = 'pg_catalog' THEN co.collname
               ELSE cn.nspname || '.' || co.collname END ORDER BY k.ord)::text[] AS collations
    FROM unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[], i.indoption::int2[])
         WITH ORDINALITY k(attnum, opc, coll, opt, ord)
    JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.ord
    LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = k.attnum AND k.attnum > 0
    JOIN pg_type kt ON kt.oid = coalesce(ta.atttypid, ia.atttypid)
    JOIN pg_opclass opc ON opc.oid = k.opc
    JOIN pg_namespace ocn ON ocn.oid = opc.opcnamespace
    LEFT JOIN pg_collation co ON co.oid = k.coll
    LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
    WHERE k.ord <= i.indnkeyatts
) p
WHERE tc.relkind IN ('r', 'p', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
