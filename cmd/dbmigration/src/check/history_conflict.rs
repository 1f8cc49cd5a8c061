//! `history-conflict`: several histories applied into one database (named `migrations "x" { }`
//! blocks) get in each other's way. Two views of TO, both built by the database checks:
//!
//! - Ownership: the schema is recorded after `setup` and after each history. An object is
//!   owned by the history that created it; a later history that alters or drops it, or creates
//!   a trigger or policy on its table, reaches into another history (error). Objects from
//!   `setup` or the server (`public`) belong to no history.
//! - Order: the histories applied in the other order must give the same schema (error when
//!   it differs: two histories create one object, and the last one wins). When the other
//!   order fails, a history depends on the objects of an earlier one: a warning, since the
//!   declared order is kept by the deploy only if the team keeps it.

use std::collections::{BTreeMap, HashMap};

use hclgen::Database;

use crate::apply::ApplyError;
use crate::migration::Migration;
use crate::pipeline::Migrations;
use crate::summary::Changes;

use super::{Check, Finding, Location, Severity, at_file, reconciling};

/// See the module docs.
pub struct HistoryConflict;

impl Check for HistoryConflict {
    fn code(&self) -> &'static str {
        "history-conflict"
    }

    fn summary(&self) -> &'static str {
        "one history changes an object another history owns, or the histories' order changes the result"
    }
}

/// TO's histories built in the other order.
#[derive(Debug)]
pub enum Reversed {
    /// The schema they give.
    Built(Database),
    /// A history failed.
    Failed {
        /// The history that failed.
        label: String,
        /// How.
        error: ApplyError,
        /// Its migrations (the failed file's text is among them).
        list: Vec<Migration>,
    },
}

/// The findings, from the schema after `setup` and after each history (`snapshots`, one more
/// than there are histories), TO's schema and the reversed build.
pub fn findings(
    to: &Migrations,
    snapshots: &[Database],
    fresh: &Database,
    reversed: &Reversed,
) -> Vec<Finding> {
    let trees: Vec<&Migrations> = to.trees().collect();
    let mut out = ownership(&trees, snapshots);
    out.extend(order(&trees, fresh, reversed));
    out
}

/// `kind`, `schema.name` (functions with their argument types, triggers and policies with
/// their table).
type Key = (&'static str, String);

/// Every object of `db`: its key, the key ownership is decided by (its own, or its table's
/// for triggers and policies) and its definition (compared for "altered").
fn catalogue(db: &Database) -> BTreeMap<Key, (Key, String)> {
    let mut out = BTreeMap::new();
    let mut own = |kind: &'static str, name: String, def: String| {
        out.insert((kind, name.clone()), ((kind, name), def));
    };
    // Objects named by their `name` (a string or `schema.name`), under one kind each.
    macro_rules! named {
        ($($field:ident => $kind:literal),* $(,)?) => {
            $(for o in &db.$field {
                own($kind, o.name.to_string(), format!("{o:?}"));
            })*
        };
    }
    named!(
        schemas => "schema",
        extensions => "extension",
        enums => "type",
        domains => "domain",
        composites => "type",
        ranges => "type",
        sequences => "sequence",
        tables => "table",
        views => "view",
    );
    for o in &db.functions {
        let id = o.identity();
        own(
            "function",
            format!("{}({})", id.name, id.args),
            format!("{o:?}"),
        );
    }
    let relation = |name: &hclgen::QualifiedName| -> Key {
        let kind = if db.views.iter().any(|v| &v.name == name) {
            "view"
        } else {
            "table"
        };
        (kind, name.to_string())
    };
    for o in &db.triggers {
        out.insert(
            ("trigger", format!("{} on {}", o.name, o.table)),
            (relation(&o.table), format!("{o:?}")),
        );
    }
    for o in &db.policies {
        out.insert(
            ("policy", format!("{} on {}", o.name, o.table)),
            (relation(&o.table), format!("{o:?}")),
        );
    }
    out
}

/// What a history did to an object another one owns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Creates,
    Alters,
    Drops,
}

/// A history reaching into an object another history created.
fn ownership(trees: &[&Migrations], snapshots: &[Database]) -> Vec<Finding> {
    let catalogues: Vec<_> = snapshots.iter().map(catalogue).collect();
    let mut owner: HashMap<Key, usize> = HashMap::new();
    let mut out = Vec::new();
    for (t, pair) in catalogues.windows(2).enumerate() {
        let (before, after) = (&pair[0], &pair[1]);
        let mut report = |reach: Reach, key: &Key, owned_by: &Key, t: usize, owner_of: usize| {
            let changes = Changes::group(&diff::compare(&snapshots[t], &snapshots[t + 1]));
            out.push(conflict(trees, t, owner_of, reach, key, owned_by, &changes));
        };
        for (key, (owned_by, def)) in after {
            match before.get(key) {
                None if owned_by != key => match owner.get(owned_by) {
                    Some(&o) if o != t => report(Reach::Creates, key, owned_by, t, o),
                    _ => {
                        owner.entry(key.clone()).or_insert(t);
                    }
                },
                None => {
                    owner.entry(key.clone()).or_insert(t);
                }
                Some((_, old)) if old != def => {
                    if let Some(&o) = owner.get(owned_by).filter(|&&o| o != t) {
                        report(Reach::Alters, key, owned_by, t, o);
                    }
                }
                Some(_) => {}
            }
        }
        for (key, (owned_by, _)) in before {
            if after.contains_key(key) {
                continue;
            }
            if let Some(&o) = owner.get(owned_by).filter(|&&o| o != t) {
                report(Reach::Drops, key, owned_by, t, o);
            }
        }
    }
    out
}

/// "`core`", or "the unnamed history" (one unnamed history next to a named one only happens
/// when a named one is new at TO).
fn name(tree: &Migrations) -> String {
    match &tree.label {
        Some(l) => format!("`{l}`"),
        None => format!("the history in `{}`", tree.dir.display()),
    }
}

fn conflict(
    trees: &[&Migrations],
    by: usize,
    owner: usize,
    reach: Reach,
    key: &Key,
    owned_by: &Key,
    changes: &Changes,
) -> Finding {
    let (kind, object) = key;
    let (by_tree, owner_tree) = (trees[by], trees[owner]);
    let what = match reach {
        Reach::Creates => format!(
            "creates {kind} `{object}` on {} `{}`",
            owned_by.0, owned_by.1
        ),
        Reach::Alters if key == owned_by => format!("alters {kind} `{object}`"),
        Reach::Alters => format!(
            "alters {kind} `{object}` of {} `{}`",
            owned_by.0, owned_by.1
        ),
        Reach::Drops => format!("drops {kind} `{object}`"),
    };
    // The changes the history made to the owned table or view, in words.
    let detail = changes
        .relations
        .iter()
        .find(|r| r.name == owned_by.1)
        .map(|r| {
            r.changes
                .iter()
                .map(|c| format!("- {}", c.description))
                .collect::<Vec<_>>()
                .join("\n")
        });
    Finding {
        code: HistoryConflict.code(),
        severity: Severity::Error,
        message: format!(
            "history {} {what}, which history {} created",
            name(by_tree),
            name(owner_tree)
        ),
        location: mentioning(by_tree, &owned_by.1).map(at_file),
        help: format!(
            "each history owns what it creates, and its tool knows only its own changes: move this change into a migration of {} (which owns the object), or move the object into {}; otherwise a deploy in another order, a rebuild of one history or its downs undo or collide with the change",
            name(owner_tree),
            name(by_tree)
        ),
        detail,
    }
}

/// The last migration of `tree` whose up SQL names `object` (`schema.name`; the bare name is
/// searched), to point the finding at.
fn mentioning<'a>(tree: &'a Migrations, object: &str) -> Option<&'a Migration> {
    let bare = object
        .rsplit('.')
        .next()
        .unwrap_or(object)
        .split('(')
        .next()
        .unwrap_or(object)
        .to_ascii_lowercase();
    tree.list
        .iter()
        .rev()
        .find(|m| m.up_sql().to_ascii_lowercase().contains(&bare))
}

/// The other order: a different schema, or a failure.
fn order(trees: &[&Migrations], fresh: &Database, reversed: &Reversed) -> Option<Finding> {
    let declared = trees.iter().map(|t| name(t)).collect::<Vec<_>>().join(", ");
    match reversed {
        Reversed::Built(other) => {
            let plan = diff::plan(other, fresh);
            if plan.is_empty() {
                return None;
            }
            let (objects, sql) = reconciling(&plan);
            Some(Finding {
                code: HistoryConflict.code(),
                severity: Severity::Error,
                message: format!(
                    "the histories applied in the other order give another schema than in the declared order ({declared}); {} difference(s): {objects}",
                    plan.steps.len()
                ),
                location: None,
                help: "two histories define the same objects and the last one applied wins (`CREATE … IF NOT EXISTS`, `CREATE OR REPLACE`): give each object to one history; the statements below would take the other order's schema to the declared order's".to_owned(),
                detail: Some(sql),
            })
        }
        Reversed::Failed { label, error, list } => {
            let (message, location) = failure(error, list);
            Some(Finding {
                code: HistoryConflict.code(),
                severity: Severity::Warning,
                message: format!(
                    "the histories depend on their order ({declared}): applied in the other order, `{label}` fails: {message}"
                ),
                location,
                help: "a history uses objects an earlier one creates: every environment must run the histories in the declared order (dbmigration.hcl's block order); if they are deployed independently, move the shared objects into one history".to_owned(),
                detail: None,
            })
        }
    }
}

/// The failure's message and file, as `upgrade-fails` reports one.
fn failure(error: &ApplyError, list: &[Migration]) -> (String, Option<Location>) {
    let path = match error {
        ApplyError::Failed(f) => Some(f.path.as_str()),
        _ => None,
    };
    match path.and_then(|p| list.iter().find(|m| m.path.display().to_string() == p)) {
        Some(m) => {
            let (message, location, _) = super::upgrade_fails::failure_parts(m, error);
            (message, Some(location))
        }
        None => (error.to_string(), None),
    }
}
