//! Pure assembly of owners, privileges, default privileges and collations from their catalog
//! rows (`access.sql`, `default_acl.sql`, `collations.sql`), for the objects the model holds.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::rows::{AccessRow, CollationRow, DefaultAclRow, Rows};
use crate::model::*;

/// An ACL entry's key and whether it carries the grant option.
type Entries = BTreeMap<(Grantee, Privilege), bool>;

/// One object of `access.sql`: kind, oid and column.
type ObjectKey<'a> = (&'a str, u32, Option<&'a String>);

fn grantee(role: Option<&String>) -> Grantee {
    match role {
        None => Grantee::Public,
        Some(r) => Grantee::Role(r.clone()),
    }
}

/// What the set ACL has beyond the fresh one (granted) and what it lacks (revoked).
fn difference(set: &Entries, fresh: &Entries) -> Vec<(Grantee, Privilege, bool, bool)> {
    let mut out = Vec::new();
    for ((g, p), grantable) in set {
        if fresh.get(&(g.clone(), *p)) != Some(grantable) {
            out.push((g.clone(), *p, *grantable, false));
        }
    }
    for (g, p) in fresh.keys() {
        if !set.contains_key(&(g.clone(), *p)) {
            out.push((g.clone(), *p, false, true));
        }
    }
    out
}

/// The objects of the model by kind, to keep only rows about them.
struct Held<'a> {
    schemas: HashSet<&'a str>,
    tables: HashSet<&'a QualifiedName>,
    views: HashSet<(&'a QualifiedName, bool)>,
    sequences: HashSet<&'a QualifiedName>,
    types: HashSet<&'a QualifiedName>,
    domains: HashSet<&'a QualifiedName>,
    functions: HashSet<FunctionRef>,
}

impl<'a> Held<'a> {
    fn new(db: &'a Database) -> Self {
        Self {
            schemas: db.schemas.iter().map(|s| s.name.as_str()).collect(),
            tables: db.tables.iter().map(|t| &t.name).collect(),
            views: db.views.iter().map(|v| (&v.name, v.materialized)).collect(),
            sequences: db.sequences.iter().map(|s| &s.name).collect(),
            types: db
                .enums
                .iter()
                .map(|e| &e.name)
                .chain(db.composites.iter().map(|c| &c.name))
                .chain(db.ranges.iter().map(|r| &r.name))
                .collect(),
            domains: db.domains.iter().map(|d| &d.name).collect(),
            functions: db.functions.iter().map(Function::identity).collect(),
        }
    }

    /// The model's name for the row's object, when the model holds it. A sequence owned by a
    /// column of a held table (serial, identity) counts as held.
    fn object(
        &self,
        row: &AccessRow,
        functions: &HashMap<u32, FunctionRef>,
        relations: &HashMap<u32, QualifiedName>,
    ) -> Option<ObjectRef> {
        let name = QualifiedName::new(&row.schema, &row.name);
        let object = match row.kind.as_str() {
            "schema" => ObjectRef::Schema(row.name.clone()),
            "table" => ObjectRef::Table(name),
            "view" => ObjectRef::View(name),
            "materialized" => ObjectRef::MaterializedView(name),
            "sequence" => {
                let owner_held = relations
                    .get(&row.owned_by)
                    .is_some_and(|t| self.tables.contains(t));
                if !owner_held && !self.sequences.contains(&name) {
                    return None;
                }
                return Some(ObjectRef::Sequence(name));
            }
            "column" => {
                let held = self.tables.contains(&name)
                    || self.views.contains(&(&name, false))
                    || self.views.contains(&(&name, true));
                return held.then(|| {
                    ObjectRef::Column(ColumnRef {
                        table: name,
                        column: row.column_name.clone().unwrap_or_default(),
                    })
                });
            }
            "function" => ObjectRef::Function(functions.get(&row.oid)?.clone()),
            "procedure" => ObjectRef::Procedure(functions.get(&row.oid)?.clone()),
            "domain" => ObjectRef::Domain(name),
            "type" => ObjectRef::Type(name),
            _ => return None,
        };
        self.holds(&object).then_some(object)
    }

    fn holds(&self, o: &ObjectRef) -> bool {
        match o {
            ObjectRef::Schema(s) => self.schemas.contains(s.as_str()),
            ObjectRef::Table(n) => self.tables.contains(n),
            ObjectRef::View(n) => self.views.contains(&(n, false)),
            ObjectRef::MaterializedView(n) => self.views.contains(&(n, true)),
            ObjectRef::Sequence(n) => self.sequences.contains(n),
            ObjectRef::Column(c) => self.tables.contains(&c.table),
            ObjectRef::Function(f) | ObjectRef::Procedure(f) => self.functions.contains(f),
            ObjectRef::Type(n) => self.types.contains(n),
            ObjectRef::Domain(n) => self.domains.contains(n),
        }
    }
}

/// Fills `db.owners` and `db.permissions` (after everything else is assembled).
pub(crate) fn owners_and_permissions(
    rows: &Rows,
    functions: &HashMap<u32, FunctionRef>,
    db: &mut Database,
) {
    let relations: HashMap<u32, QualifiedName> = rows
        .tables
        .iter()
        .map(|t| (t.oid, QualifiedName::new(&t.schema, &t.name)))
        .collect();
    let held = Held::new(db);
    let mut owners = Vec::new();
    // Per object (by kind, oid, column): the set entries and the fresh ones.
    let mut acls: BTreeMap<ObjectKey<'_>, (ObjectRef, Entries, Entries)> = BTreeMap::new();
    for row in &rows.access {
        let Some(object) = held.object(row, functions, &relations) else {
            continue;
        };
        let key = (row.kind.as_str(), row.oid, row.column_name.as_ref());
        let entry = acls
            .entry(key)
            .or_insert_with(|| (object.clone(), Entries::new(), Entries::new()));
        if let (Some(fresh), Some(privilege), Some(grantable)) =
            (row.fresh, row.privilege.as_deref(), row.grantable)
            && let Some(p) = Privilege::from_keyword(privilege)
        {
            let list = if fresh { &mut entry.2 } else { &mut entry.1 };
            list.insert((grantee(row.grantee.as_ref()), p), grantable);
        }
        // A sequence of a serial or identity column follows its table's owner.
        if let Some(role) = &row.owner
            && row.owned_by == 0
            && !matches!(object, ObjectRef::Column(_))
        {
            owners.push(Owner {
                object,
                role: role.clone(),
            });
        }
    }
    let mut permissions = Vec::new();
    for (object, set, fresh) in acls.into_values() {
        // No entry at all means the ACL was never set (the row is there for the owner).
        if set.is_empty() && fresh.is_empty() {
            continue;
        }
        for (grantee, privilege, grantable, revoked) in difference(&set, &fresh) {
            permissions.push(Permission {
                object: object.clone(),
                grantee,
                privilege,
                grantable,
                revoked,
            });
        }
    }
    db.owners = owners;
    db.permissions = permissions;
}

fn default_objects(objtype: &str) -> Option<DefaultObjects> {
    Some(match objtype {
        "r" => DefaultObjects::Tables,
        "S" => DefaultObjects::Sequences,
        "f" => DefaultObjects::Functions,
        "T" => DefaultObjects::Types,
        "n" => DefaultObjects::Schemas,
        _ => return None,
    })
}

/// The default privileges of `default_acl.sql`'s rows.
pub(crate) fn default_permissions(rows: &[DefaultAclRow]) -> Vec<DefaultPermission> {
    type Key<'a> = (&'a str, Option<&'a String>, DefaultObjects);
    let mut acls: BTreeMap<Key<'_>, (Entries, Entries)> = BTreeMap::new();
    for row in rows {
        let (Some(on), Some(p)) = (
            default_objects(&row.objtype),
            Privilege::from_keyword(&row.privilege),
        ) else {
            continue;
        };
        let entry = acls
            .entry((row.role.as_str(), row.schema.as_ref(), on))
            .or_default();
        let list = if row.fresh {
            &mut entry.1
        } else {
            &mut entry.0
        };
        list.insert((grantee(row.grantee.as_ref()), p), row.grantable);
    }
    let mut out = Vec::new();
    for ((role, schema, on), (set, fresh)) in acls {
        for (grantee, privilege, grantable, revoked) in difference(&set, &fresh) {
            out.push(DefaultPermission {
                role: role.to_owned(),
                schema: schema.cloned(),
                on,
                grantee,
                privilege,
                grantable,
                revoked,
            });
        }
    }
    out
}

/// The collations of `collations.sql`'s rows, in schemas the model holds.
pub(crate) fn collations(rows: &[CollationRow], db: &Database) -> Vec<Collation> {
    let schemas: HashSet<&str> = db.schemas.iter().map(|s| s.name.as_str()).collect();
    rows.iter()
        .filter(|c| schemas.contains(c.schema.as_str()))
        .map(|c| Collation {
            name: QualifiedName::new(&c.schema, &c.name),
            provider: match c.provider.as_str() {
                "i" => CollationProvider::Icu,
                "b" => CollationProvider::Builtin,
                _ => CollationProvider::Libc,
            },
            locale: c.locale.clone().filter(|l| !l.is_empty()),
            lc_collate: c.lc_collate.clone(),
            lc_ctype: c.lc_ctype.clone(),
            deterministic: c.deterministic,
            rules: c.rules.clone().filter(|r| !r.is_empty()),
            comment: c.comment.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(list: &[(Grantee, Privilege, bool)]) -> Entries {
        list.iter().map(|(g, p, o)| ((g.clone(), *p), *o)).collect()
    }

    #[test]
    fn difference_keeps_grants_and_revoked_defaults() {
        let app = Grantee::Role("app".into());
        let fresh = entries(&[(Grantee::Public, Privilege::Execute, false)]);
        // Untouched: nothing.
        assert!(difference(&fresh, &fresh).is_empty());
        // PUBLIC's EXECUTE revoked, app granted with grant option.
        let set = entries(&[(app.clone(), Privilege::Execute, true)]);
        assert_eq!(
            difference(&set, &fresh),
            vec![
                (app, Privilege::Execute, true, false),
                (Grantee::Public, Privilege::Execute, false, true),
            ]
        );
    }
}
