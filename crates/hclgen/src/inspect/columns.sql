-- Columns of tables, views, materialized views and composite types (unordered: sorting the
-- wide rows costs the server more than sorting them in Rust).
-- The type is split into (type oid, element oid for arrays, format_type of the element or type).
SELECT a.attrelid AS relid,
       a.attnum AS attnum,
       a.attname AS name,
       a.atttypid AS type_oid,
       CASE WHEN t.typelem <> 0 AND t.typlen = -1 AND t.typtype = 'b' THEN t.typelem ELSE 0::oid END AS elem_oid,
       format_type(CASE WHEN t.typelem <> 0 AND t.typlen = -1 AND t.typtype = 'b' THEN t.typelem ELSE t.oid END,
                   NULLIF(a.atttypmod, -1)) AS type_name,
       NOT a.attnotnull AS nullable,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS "default",
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
       a.attgenerated = 'v' AS generated_virtual,
       a.attidentity::text AS identity,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
            CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname ELSE cn.nspname || '.' || co.collname END
       END AS collation,
       NOT a.attislocal AS inherited,
       des.description AS comment
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_description des ON des.objoid = a.attrelid AND des.classoid = 'pg_class'::regclass AND des.objsubid = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'v', 'm', 'c')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
