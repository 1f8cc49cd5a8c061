-- Default privileges (`ALTER DEFAULT PRIVILEGES`): one row per entry of each pg_default_acl row
-- and, for a role's global row (no schema), of the built-in defaults it replaces (`fresh`),
-- without the role's own entries. $1: schema filter (empty = all; global rows always).
SELECT pg_get_userbyid(d.defaclrole)::text AS role,
       n.nspname AS schema,
       d.defaclobjtype::text AS objtype,
       e.fresh,
       CASE WHEN e.grantee = 0 THEN NULL ELSE pg_get_userbyid(e.grantee)::text END AS grantee,
       e.privilege_type::text AS privilege,
       e.is_grantable AS grantable
FROM pg_default_acl d
LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL (
  SELECT false AS fresh, x.grantee, x.privilege_type, x.is_grantable
  FROM aclexplode(d.defaclacl) x WHERE x.grantee <> d.defaclrole
  UNION ALL
  SELECT true, y.grantee, y.privilege_type, y.is_grantable
  FROM aclexplode(acldefault(CASE d.defaclobjtype WHEN 'r' THEN 'r' WHEN 'S' THEN 's'
                             WHEN 'f' THEN 'f' WHEN 'T' THEN 'T' ELSE 'n' END::"char",
                             d.defaclrole)) y
  WHERE y.grantee <> d.defaclrole AND d.defaclnamespace = 0
) e
WHERE d.defaclnamespace = 0 OR cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[])
