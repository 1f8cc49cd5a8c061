-- Table constraints (p, u, f, c, x) and domain checks. Constraints cloned onto partitions from the
-- parent (conparentid) and CHECKs inherited from a parent are left out: the parent declares them.
-- Key columns come as attnums (named in Rust from columns.sql); per-row work only where needed.
SELECT con.oid AS oid,
       con.conrelid AS relid,
       con.contypid AS typid,
       con.conname AS name,
       con.contype::text AS kind,
       CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid, true) ELSE '' END AS definition,
       coalesce(con.conkey, '{}') AS attnums,
       rn.nspname AS ref_schema,
       rc.relname AS ref_table,
       con.confrelid AS ref_relid,
       coalesce(con.confkey, '{}') AS ref_attnums,
       -- Named here only when the referenced table lies outside the inspected schemas (its
       -- columns are then not in columns.sql).
       CASE WHEN con.contype = 'f' AND cardinality($1::text[]) > 0 AND NOT rn.nspname = ANY ($1::text[])
            THEN array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                       JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                       ORDER BY k.ord)::text[]
            ELSE '{}' END AS ref_columns,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete,
       con.confmatchtype::text AS match_type,
       con.condeferrable AS deferrable,
       con.condeferred AS deferred,
       con.convalidated AS validated,
       con.connoinherit AS no_inherit,
       con.conindid AS index_oid,
       CASE WHEN con.contype = 'x' THEN array(SELECT CASE WHEN opn.nspname = 'pg_catalog' THEN op.oprname
                         ELSE 'OPERATOR(' || opn.nspname || '.' || op.oprname || ')' END
             FROM unnest(con.conexclop) WITH ORDINALITY k(op, ord)
             JOIN pg_operator op ON op.oid = k.op
             JOIN pg_namespace opn ON opn.oid = op.oprnamespace
             ORDER BY k.ord)::text[] ELSE '{}' END AS exclusion_operators,
       des.description AS comment
FROM pg_constraint con
JOIN pg_namespace n ON n.oid = con.connamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_description des ON des.objoid = con.oid AND des.classoid = 'pg_constraint'::regclass AND des.objsubid = 0
WHERE con.contype IN ('p', 'u', 'f', 'c', 'x')
  AND con.conparentid = 0
  AND (con.contype <> 'c' OR con.conislocal)
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
