-- Owners and privileges of every object whose owner is not the database's owner or whose ACL
-- was set (columns: whose attacl is set): one row per entry of the set ACL and of the ACL a
-- fresh object of that kind has (`fresh`), without the owner's own entries (one row with NULL
-- entry columns when there is none). Assembly keeps the difference, for objects the model holds.
-- $1: schema filter (empty = all).
WITH db AS (
  SELECT datdba FROM pg_database WHERE datname = current_database()
), objects AS (
  SELECT 'schema'::text AS kind, n.nspname AS schema, n.nspname AS name, n.oid AS oid,
         NULL::text AS column_name, n.nspowner AS owner, n.nspacl AS acl,
         -- A fresh database's `public` lets everyone use it (and create in it before 15).
         CASE WHEN n.nspname = 'public' THEN
           acldefault('n', n.nspowner) || makeaclitem(0, n.nspowner, 'USAGE', false)
             || CASE WHEN current_setting('server_version_num')::int < 150000
                     THEN ARRAY[makeaclitem(0, n.nspowner, 'CREATE', false)] ELSE '{}'::aclitem[] END
         ELSE acldefault('n', n.nspowner) END AS fresh,
         0::oid AS owned_by
  FROM pg_namespace n
  UNION ALL
  SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized' WHEN 'S' THEN 'sequence'
                        ELSE 'table' END,
         n.nspname, c.relname, c.oid, NULL, c.relowner, c.relacl,
         acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner),
         coalesce((SELECT d.refobjid FROM pg_depend d
                   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
                     AND d.deptype IN ('a', 'i') LIMIT 1), 0)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
  UNION ALL
  SELECT 'column', n.nspname, c.relname, c.oid, a.attname::text, c.relowner, a.attacl,
         NULL::aclitem[], 0
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
    AND c.relkind IN ('r', 'p', 'v', 'm')
  UNION ALL
  SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, n.nspname, p.proname,
         p.oid, NULL, p.proowner, p.proacl, acldefault('f', p.proowner), 0
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE p.prokind IN ('f', 'p')
  UNION ALL
  SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, n.nspname, t.typname, t.oid,
         NULL, t.typowner, t.typacl, acldefault('T', t.typowner), 0
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('e', 'd', 'r', 'c')
)
SELECT o.kind, o.schema, o.name, o.oid, o.column_name, o.owned_by,
       CASE WHEN o.kind = 'column' OR o.owner = (SELECT datdba FROM db)
                 -- `public` belongs to pg_database_owner (15+): the database's owner too.
                 OR (o.kind = 'schema' AND pg_get_userbyid(o.owner) = 'pg_database_owner')
            THEN NULL ELSE pg_get_userbyid(o.owner)::text END AS owner,
       e.fresh,
       CASE WHEN e.grantee = 0 THEN NULL ELSE pg_get_userbyid(e.grantee)::text END AS grantee,
       e.privilege_type::text AS privilege,
       e.is_grantable AS grantable
FROM objects o
LEFT JOIN LATERAL (
  SELECT false AS fresh, x.grantee, x.privilege_type, x.is_grantable
  FROM aclexplode(o.acl) x WHERE x.grantee <> o.owner
  UNION ALL
  SELECT true, y.grantee, y.privilege_type, y.is_grantable
  FROM aclexplode(o.fresh) y WHERE y.grantee <> o.owner AND o.acl IS NOT NULL
) e ON true
WHERE o.schema NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND o.schema NOT LIKE 'pg\_temp\_%' AND o.schema NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR o.schema = ANY ($1::text[]))
  AND (o.acl IS NOT NULL OR o.owner <> (SELECT datdba FROM db))
