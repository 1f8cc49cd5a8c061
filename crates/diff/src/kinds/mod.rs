//! Object kinds laid out one per file: each holds its comparison, its SQL, its description and
//! its place in the plan (phase and dependencies). A new kind is one file here, registered in
//! [`KINDS`], plus one [`Change`] variant.
//!
//! The kinds here run after the rest of `compare` (they read its changes to know which objects
//! are dropped and created again, and so lose their privileges).

pub mod collation;
pub mod default_privilege;
pub mod owner;
pub mod privilege;

use std::collections::HashSet;

use hclgen::{ColumnRef, Database, FunctionKind, ObjectRef, QualifiedName, quote_ident};

use crate::change::Change;
use crate::compare::Planned;
use crate::order::Key;

/// Where a change goes in the plan: the coarse phase, then what it provides and needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    /// `ALTER COLLATION ... RENAME` (moves a changed collation aside), before anything uses
    /// the new one.
    RenameCollation,
    /// `CREATE COLLATION`, with the extensions (before types and tables use it).
    CreateCollation,
    /// Columns moved to a re-created collation, with the other column changes.
    ReapplyCollation,
    /// `ALTER ... OWNER TO`, once every object exists.
    Owner,
    /// `REVOKE` (table-level revokes also take column privileges: they go first).
    Revoke,
    /// `GRANT` and `ALTER DEFAULT PRIVILEGES`.
    Grant,
    /// `DROP COLLATION`, after the columns that used it are gone or moved.
    DropCollation,
}

impl Phase {
    /// The number `order.rs` sorts by (see its module docs for the others).
    pub(crate) fn number(self) -> u8 {
        match self {
            Phase::RenameCollation => 20,
            Phase::CreateCollation => 21,
            Phase::ReapplyCollation => 31,
            Phase::Owner => 41,
            Phase::Revoke => 42,
            Phase::Grant => 43,
            Phase::DropCollation => 67,
        }
    }
}

/// A change's place in the plan.
pub(crate) struct Placement {
    pub(crate) phase: Phase,
    pub(crate) provides: Vec<Key>,
    pub(crate) requires: Vec<Key>,
}

/// What every change of a kind file can say about itself.
pub(crate) trait KindChange {
    /// The SQL statement, without the trailing `;`.
    fn statement(&self) -> String;
    /// One line saying what it does.
    fn describe(&self) -> String;
    /// Its phase and dependencies.
    fn placement(&self) -> Placement;
}

/// What the kinds compare: both models and the changes the rest of `compare` planned.
pub(crate) struct Context<'a> {
    pub(crate) from: &'a Database,
    pub(crate) to: &'a Database,
    /// Objects the plan drops (and, when `to` has them, creates again): they lose their
    /// privileges and owner, so `to`'s are given again in full.
    pub(crate) dropped: HashSet<ObjectRef>,
    pub(crate) planned: &'a [Planned],
}

/// The kinds, in the order their changes are listed (the plan order comes from `order.rs`).
pub(crate) const KINDS: &[fn(&Context<'_>) -> Vec<Planned>] = &[
    collation::compare,
    owner::compare,
    privilege::compare,
    default_privilege::compare,
];

/// Every change of the kinds here, given what `compare` planned for the rest.
pub(crate) fn changes(from: &Database, to: &Database, planned: &[Planned]) -> Vec<Planned> {
    let cx = Context {
        from,
        to,
        dropped: dropped(from, planned),
        planned,
    };
    KINDS.iter().flat_map(|kind| kind(&cx)).collect()
}

/// What the kinds here use that older servers lack: (first major version, what uses it).
pub(crate) fn newer_features(to: &Database) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for c in &to.collations {
        if c.provider == hclgen::CollationProvider::Builtin {
            out.push((17, format!("collation `{}` (provider builtin)", c.name)));
        }
        if c.rules.is_some() {
            out.push((16, format!("collation `{}` (ICU rules)", c.name)));
        }
    }
    let maintain = hclgen::Privilege::Maintain;
    if let Some(p) = to.permissions.iter().find(|p| p.privilege == maintain) {
        out.push((17, format!("privilege MAINTAIN on {}", words(&p.object))));
    }
    if to
        .default_permissions
        .iter()
        .any(|d| d.privilege == maintain)
    {
        out.push((17, "default privilege MAINTAIN".to_owned()));
    }
    out
}

/// The objects `planned` drops (or moves aside), as privilege targets.
fn dropped(from: &Database, planned: &[Planned]) -> HashSet<ObjectRef> {
    let mut out = HashSet::new();
    for p in planned {
        match &p.change {
            Change::DropSchema(s) => {
                out.insert(ObjectRef::Schema(s.clone()));
            }
            Change::DropTable(n) => {
                out.insert(ObjectRef::Table(n.clone()));
                if let Some(t) = from.table(n) {
                    out.extend(t.columns.iter().map(|c| column(n, &c.name)));
                    out.extend(t.columns.iter().filter_map(|c| owned_sequence(n, c)));
                }
            }
            Change::DropView { name, materialized } => {
                out.insert(if *materialized {
                    ObjectRef::MaterializedView(name.clone())
                } else {
                    ObjectRef::View(name.clone())
                });
                if let Some(v) = from.views.iter().find(|v| &v.name == name) {
                    out.extend(v.columns.iter().map(|c| column(name, &c.name)));
                }
            }
            Change::DropColumn {
                table, column: c, ..
            } => {
                out.insert(column(table, c));
            }
            Change::DropSequence(n) => {
                out.insert(ObjectRef::Sequence(n.clone()));
            }
            Change::DropFunction { kind, function } => {
                out.insert(match kind {
                    FunctionKind::Function => ObjectRef::Function(function.clone()),
                    FunctionKind::Procedure => ObjectRef::Procedure(function.clone()),
                });
            }
            Change::DropType { name, .. } | Change::RenameType { name, .. } => {
                out.insert(ObjectRef::Type(name.clone()));
                out.insert(ObjectRef::Domain(name.clone()));
            }
            _ => {}
        }
    }
    out
}

/// The sequence a serial or identity column owns, by PostgreSQL's naming
/// (`<table>_<column>_seq`; names past 63 bytes are shortened by the server and missed here).
fn owned_sequence(table: &QualifiedName, c: &hclgen::Column) -> Option<ObjectRef> {
    (matches!(c.ty, hclgen::Type::Serial(_)) || c.identity.is_some()).then(|| {
        ObjectRef::Sequence(QualifiedName::new(
            &table.schema,
            format!("{}_{}_seq", table.name, c.name),
        ))
    })
}

fn column(table: &QualifiedName, name: &str) -> ObjectRef {
    ObjectRef::Column(ColumnRef {
        table: table.clone(),
        column: name.to_owned(),
    })
}

/// `schema.name`, quoted.
pub(crate) fn qualified(n: &QualifiedName) -> String {
    crate::sql::qn(n)
}

/// The object as `GRANT ... ON` and `ALTER ...` name it: (`TABLE`, `"public"."t"`).
pub(crate) fn target(o: &ObjectRef) -> (&'static str, String) {
    let function = |f: &hclgen::FunctionRef| format!("{}({})", qualified(&f.name), f.args);
    match o {
        ObjectRef::Schema(s) => ("SCHEMA", quote_ident(s)),
        ObjectRef::Table(n) | ObjectRef::Column(hclgen::ColumnRef { table: n, .. }) => {
            ("TABLE", qualified(n))
        }
        ObjectRef::View(n) => ("VIEW", qualified(n)),
        ObjectRef::MaterializedView(n) => ("MATERIALIZED VIEW", qualified(n)),
        ObjectRef::Sequence(n) => ("SEQUENCE", qualified(n)),
        ObjectRef::Function(f) => ("FUNCTION", function(f)),
        ObjectRef::Procedure(f) => ("PROCEDURE", function(f)),
        ObjectRef::Type(n) => ("TYPE", qualified(n)),
        ObjectRef::Domain(n) => ("DOMAIN", qualified(n)),
    }
}

/// The object in words, for descriptions: `table "public"."t"`.
pub(crate) fn words(o: &ObjectRef) -> String {
    let q = crate::sql::q;
    match o {
        ObjectRef::Schema(s) => format!("schema \"{s}\""),
        ObjectRef::Table(n) => format!("table {}", q(n)),
        ObjectRef::View(n) => format!("view {}", q(n)),
        ObjectRef::MaterializedView(n) => format!("materialized view {}", q(n)),
        ObjectRef::Sequence(n) => format!("sequence {}", q(n)),
        ObjectRef::Column(c) => format!("column \"{}\" of {}", c.column, q(&c.table)),
        ObjectRef::Function(f) => format!("function {}({})", q(&f.name), f.args),
        ObjectRef::Procedure(f) => format!("procedure {}({})", q(&f.name), f.args),
        ObjectRef::Type(n) => format!("type {}", q(n)),
        ObjectRef::Domain(n) => format!("domain {}", q(n)),
    }
}

/// What must exist before the object can be granted on or given away.
pub(crate) fn object_key(o: &ObjectRef) -> Key {
    match o {
        ObjectRef::Schema(s) => Key::Schema(s.clone()),
        ObjectRef::Table(n)
        | ObjectRef::View(n)
        | ObjectRef::MaterializedView(n)
        | ObjectRef::Sequence(n) => Key::Relation(n.clone()),
        ObjectRef::Column(c) => Key::Column(c.table.clone(), c.column.clone()),
        ObjectRef::Function(f) | ObjectRef::Procedure(f) => Key::Function(f.clone()),
        ObjectRef::Type(n) | ObjectRef::Domain(n) => Key::Type(n.clone()),
    }
}

/// Whether `db` holds the object (sequences of serial and identity columns are not listed in
/// the model: they exist when the model mentions them).
pub(crate) fn holds(db: &Database, o: &ObjectRef) -> bool {
    match o {
        ObjectRef::Schema(s) => db.schemas.iter().any(|x| &x.name == s),
        ObjectRef::Table(n) => db.table(n).is_some(),
        ObjectRef::View(n) => db.views.iter().any(|v| &v.name == n && !v.materialized),
        ObjectRef::MaterializedView(n) => db.views.iter().any(|v| &v.name == n && v.materialized),
        ObjectRef::Sequence(n) => {
            db.sequences.iter().any(|s| &s.name == n)
                || db.permissions.iter().any(|p| &p.object == o)
                || db.tables.iter().any(|t| {
                    // The sequence of a serial or identity column: `<table>_<column>_seq`.
                    t.name.schema == n.schema
                        && n.name.starts_with(&format!("{}_", t.name.name))
                        && t.columns.iter().any(|c| {
                            matches!(c.ty, hclgen::Type::Serial(_)) || c.identity.is_some()
                        })
                })
        }
        ObjectRef::Column(c) => {
            db.table(&c.table)
                .is_some_and(|t| t.columns.iter().any(|x| x.name == c.column))
                || db
                    .views
                    .iter()
                    .any(|v| v.name == c.table && v.columns.iter().any(|x| x.name == c.column))
        }
        ObjectRef::Function(f) | ObjectRef::Procedure(f) => {
            db.functions.iter().any(|x| &x.identity() == f)
        }
        ObjectRef::Type(n) => {
            db.enums.iter().any(|x| &x.name == n)
                || db.composites.iter().any(|x| &x.name == n)
                || db.ranges.iter().any(|x| &x.name == n)
        }
        ObjectRef::Domain(n) => db.domains.iter().any(|x| &x.name == n),
    }
}

/// A role name or `PUBLIC`, as `GRANT ... TO` takes it.
pub(crate) fn grantee(g: &hclgen::Grantee) -> String {
    match g {
        hclgen::Grantee::Public => "PUBLIC".to_owned(),
        hclgen::Grantee::Role(r) => quote_ident(r),
    }
}

#[cfg(test)]
mod tests {
    use hclgen::{ColumnRef, Grantee, ObjectRef, Privilege, QualifiedName};

    use super::KindChange;
    use super::owner::OwnerChange;
    use super::privilege::{Action, PrivilegeChange};

    #[test]
    fn newer_features_need_newer_servers() {
        let mut to = hclgen::Database::default();
        to.collations.push(hclgen::Collation {
            name: QualifiedName::new("public", "c"),
            provider: hclgen::CollationProvider::Builtin,
            locale: Some("C.UTF-8".into()),
            deterministic: true,
            ..Default::default()
        });
        let err = crate::plan_for(
            &hclgen::Database::default(),
            &to,
            &crate::Settings {
                pg_version: 16,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(err.since, 17);
        assert!(err.to_string().contains("provider builtin"), "{err}");
        assert!(
            crate::plan_for(
                &hclgen::Database::default(),
                &to,
                &crate::Settings {
                    pg_version: 17,
                    ..Default::default()
                }
            )
            .is_ok()
        );
    }

    /// Role, table and column names are untrusted: each is one quoted identifier.
    #[test]
    fn hostile_names_stay_identifiers() {
        let evil = "r\"; DROP TABLE t; --";
        let grant = PrivilegeChange {
            object: ObjectRef::Column(ColumnRef {
                table: QualifiedName::new("s\"x", "t"),
                column: "c) ON t TO x; --".into(),
            }),
            grantee: Grantee::Role(evil.into()),
            action: Action::Grant {
                with_grant_option: true,
            },
            privileges: vec![Privilege::Select, Privilege::Update],
        };
        assert_eq!(
            grant.statement(),
            "GRANT SELECT (\"c) ON t TO x; --\"), UPDATE (\"c) ON t TO x; --\") ON TABLE \
             \"s\"\"x\".t TO \"r\"\"; DROP TABLE t; --\" WITH GRANT OPTION"
        );
        let owner = OwnerChange {
            object: ObjectRef::Schema("public".into()),
            role: Some(evil.into()),
        };
        assert_eq!(
            owner.statement(),
            "ALTER SCHEMA public OWNER TO \"r\"\"; DROP TABLE t; --\""
        );
    }
}
