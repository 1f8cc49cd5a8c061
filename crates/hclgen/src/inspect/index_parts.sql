-- Key parts of every index in indexes.sql, one row per part (set-based: no per-index subquery).
-- An operator class counts as default when it is the default for the key type (or a type
-- binary-coercible to it, or the polymorphic family it belongs to), as GetDefaultOpClass decides;
-- a collation counts as default when it is the column's (or the expression type's).
SELECT i.indexrelid AS index_oid,
       k.ord::int4 AS position,
       coalesce(ta.attname, '') AS column_name,
       CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE '' END AS expr,
       (k.opt & 1) <> 0 AS descending,
       (k.opt & 2) <> 0 AS nulls_first,
       CASE
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
       END AS opclass,
       CASE
           WHEN k.coll = 0 OR k.coll = coalesce(ta.attcollation, kt.typcollation) THEN ''
           WHEN cn.nspname = 'pg_catalog' THEN co.collname
           ELSE cn.nspname || '.' || co.collname
       END AS collation
FROM pg_index i
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[], i.indoption::int2[])
     WITH ORDINALITY k(attnum, opc, coll, opt, ord)
JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.ord
LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = k.attnum AND k.attnum > 0
JOIN pg_type kt ON kt.oid = coalesce(ta.atttypid, ia.atttypid)
JOIN pg_opclass opc ON opc.oid = k.opc
JOIN pg_namespace ocn ON ocn.oid = opc.opcnamespace
LEFT JOIN pg_collation co ON co.oid = k.coll
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE k.ord <= i.indnkeyatts
  AND tc.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
