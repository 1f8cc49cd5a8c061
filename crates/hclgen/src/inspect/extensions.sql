-- Installed extensions (all of them: an extension is database-wide). $1 is unused here but
-- every query takes the same parameter list.
SELECT e.extname AS name,
       n.nspname AS schema,
       e.extversion AS version,
       obj_description(e.oid, 'pg_extension') AS comment
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' AND cardinality($1::text[]) >= 0
ORDER BY e.extname
