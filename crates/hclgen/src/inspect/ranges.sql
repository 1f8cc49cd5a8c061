-- Range types with their multirange.
SELECT t.oid AS oid,
       r.rngmultitypid AS multirange_oid,
       n.nspname AS schema,
       t.typname AS name,
       r.rngsubtype AS type_oid,
       CASE WHEN st.typelem <> 0 AND st.typlen = -1 AND st.typtype = 'b' THEN st.typelem ELSE 0::oid END AS elem_oid,
       format_type(CASE WHEN st.typelem <> 0 AND st.typlen = -1 AND st.typtype = 'b' THEN st.typelem ELSE st.oid END, NULL) AS type_name,
       CASE WHEN NOT (opc.opcdefault AND opc.opcintype = r.rngsubtype) THEN
            CASE WHEN ocn.nspname = 'pg_catalog' THEN opc.opcname ELSE ocn.nspname || '.' || opc.opcname END
       END AS subtype_opclass,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN
            CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname ELSE cn.nspname || '.' || co.collname END
       END AS collation,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END AS canonical,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END AS subtype_diff,
       mt.typname AS multirange,
       obj_description(t.oid, 'pg_type') AS comment
FROM pg_range r
JOIN pg_type t ON t.oid = r.rngtypid
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type st ON st.oid = r.rngsubtype
LEFT JOIN pg_type mt ON mt.oid = r.rngmultitypid
LEFT JOIN pg_opclass opc ON opc.oid = r.rngsubopc
LEFT JOIN pg_namespace ocn ON ocn.oid = opc.opcnamespace
LEFT JOIN pg_collation co ON co.oid = r.rngcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
