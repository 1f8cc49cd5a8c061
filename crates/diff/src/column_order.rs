//! Column order: PostgreSQL adds a column at the end and cannot move one, so a plan reaches the
//! target's columns but not always their order. Where it does not, the plan says so in a note
//! (not a change: the order is not a difference a migration can or needs to fix).

use std::collections::HashSet;

use hclgen::{Database, QualifiedName, Table};

/// The order of `from`'s columns after the plan: the kept ones where they were, then the new
/// ones (and the re-added generated ones) in the target's order.
fn planned_order<'a>(from: &'a Table, to: &'a Table, readded: &HashSet<&str>) -> Vec<&'a str> {
    let target: HashSet<&str> = to.columns.iter().map(|c| c.name.as_str()).collect();
    let kept: Vec<&str> = from
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .filter(|c| target.contains(c) && !readded.contains(c))
        .collect();
    let kept_set: HashSet<&str> = kept.iter().copied().collect();
    let mut out = kept;
    out.extend(
        to.columns
            .iter()
            .map(|c| c.name.as_str())
            .filter(|c| !kept_set.contains(c)),
    );
    out
}

/// One note per surviving table whose planned column order differs from the target's.
/// `readded` lists the (table, column) pairs the plan drops and adds again.
pub(crate) fn notes(
    from: &Database,
    to: &Database,
    readded: &HashSet<(&QualifiedName, &str)>,
) -> Vec<String> {
    let old: std::collections::HashMap<&QualifiedName, &Table> =
        from.tables.iter().map(|t| (&t.name, t)).collect();
    let mut out = Vec::new();
    // Children and partitions take their parents' columns first whatever the order written,
    // so only tables of their own are compared.
    let own = |t: &Table| t.inherits.is_empty() && t.partition_of.is_none();
    for t in to.tables.iter().filter(|t| own(t)) {
        let Some(f) = old.get(&t.name).filter(|f| own(f)) else {
            continue;
        };
        let cols: HashSet<&str> = readded
            .iter()
            .filter(|(table, _)| *table == &t.name)
            .map(|(_, c)| *c)
            .collect();
        let planned = planned_order(f, t, &cols);
        let wanted: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        if planned != wanted {
            out.push(order_note(&t.name, &planned, &wanted));
        }
    }
    out
}

/// The note for one table, also used by `diff --verify` for the order it found.
pub fn order_note(table: &QualifiedName, got: &[&str], wanted: &[&str]) -> String {
    format!(
        "column order of table {table} will be ({}), not the target's ({}): PostgreSQL cannot insert a column in the middle",
        got.join(", "),
        wanted.join(", ")
    )
}
