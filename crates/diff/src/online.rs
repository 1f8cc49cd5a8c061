//! The online plan, `diff.sql`'s default: the plain plan's changes, in the same order, spelled
//! so that a populated database keeps serving reads and writes while it runs, as
//! stripe/pg-schema-diff plans (`pkg/diff/sql_generator.go`: `addIdxStmtsWithHazards`,
//! `buildTempNotNullConstraint`, `createCheckConstraintStatement`; the hazard kinds of
//! `pkg/diff/plan.go`):
//!
//! - an index on a table that exists before the plan is built (and dropped) `CONCURRENTLY`, in a
//!   step of its own outside any transaction block (tables created by the plan are empty: their
//!   indexes are built plainly);
//! - a foreign key or check added to an existing table is added `NOT VALID` (a short lock, no
//!   scan), then validated in a step of its own (`SHARE UPDATE EXCLUSIVE`: reads and writes go on);
//! - `SET NOT NULL` on an existing column goes through a helper `CHECK (col IS NOT NULL) NOT
//!   VALID`, validated on its own, so that `SET NOT NULL` finds it and skips its scan (PostgreSQL
//!   12+), and the helper is dropped;
//! - a `NOT NULL` column added to an existing table keeps its default in the same statement
//!   when the default is not volatile (PostgreSQL 11+ stores it without a rewrite); with a
//!   volatile default it is added nullable, the default set, the rows backfilled on their own,
//!   and `NOT NULL` enforced as above; without a default it is flagged as needing a value.
//!
//! Hazards (data loss, rewrites, renames, long locks) are attached to the steps they concern.

use std::collections::{HashMap, HashSet};

use hclgen::{Check, Column, Database, QualifiedName, Table, Type, quote_ident};

use crate::change::{Change, ConstraintKind};
use crate::{Hazard, HazardKind, Step};

/// What the online spelling needs to know besides the change itself.
pub(crate) struct Context<'a> {
    /// Tables of FROM, by name.
    from_tables: HashMap<&'a QualifiedName, &'a Table>,
    /// Materialized views of FROM.
    from_matviews: HashSet<&'a QualifiedName>,
    /// Tables of TO, by name (for helper constraint names).
    to_tables: HashMap<&'a QualifiedName, &'a Table>,
    /// Tables and materialized views the plan creates (empty when their indexes are built).
    created: HashSet<QualifiedName>,
    /// Tables the plan drops.
    dropped: HashSet<QualifiedName>,
    pg_version: u32,
}

/// PostgreSQL 12: `SET NOT NULL` skips its scan when a valid `CHECK (col IS NOT NULL)` exists.
const NOT_NULL_FROM_CHECK: u32 = 12;
/// PostgreSQL 11: `ADD COLUMN … DEFAULT` with a non-volatile default does not rewrite.
const FAST_DEFAULT: u32 = 11;

impl<'a> Context<'a> {
    pub(crate) fn new(
        from: &'a Database,
        to: &'a Database,
        changes: &[(Change, Option<String>)],
        pg_version: u32,
    ) -> Self {
        let mut created = HashSet::new();
        let mut dropped = HashSet::new();
        for (c, _) in changes {
            match c {
                Change::CreateTable(t) => {
                    created.insert(t.name.clone());
                }
                Change::CreateView { view, .. } if view.materialized => {
                    created.insert(view.name.clone());
                }
                Change::DropTable(n) => {
                    dropped.insert(n.clone());
                }
                _ => {}
            }
        }
        Context {
            from_tables: from.tables.iter().map(|t| (&t.name, t)).collect(),
            from_matviews: from
                .views
                .iter()
                .filter(|v| v.materialized)
                .map(|v| &v.name)
                .collect(),
            to_tables: to.tables.iter().map(|t| (&t.name, t)).collect(),
            created,
            dropped,
            pg_version,
        }
    }

    /// A table (or materialized view) that holds rows before the plan runs and keeps them.
    fn existing(&self, table: &QualifiedName) -> bool {
        (self.from_tables.contains_key(table) || self.from_matviews.contains(table))
            && !self.created.contains(table)
            && !self.dropped.contains(table)
    }

    /// Partitioned tables take neither `CONCURRENTLY` nor, before PostgreSQL 18, `NOT VALID`
    /// foreign keys: their changes stay plain, with a hazard.
    fn partitioned(&self, table: &QualifiedName) -> bool {
        self.from_tables
            .get(table)
            .is_some_and(|t| t.partition_by.is_some())
    }

    /// A name for the helper `CHECK (col IS NOT NULL)` that no constraint of the table has
    /// (at most 63 bytes, PostgreSQL's limit).
    fn helper_name(&self, table: &QualifiedName, column: &str) -> String {
        let taken: HashSet<&str> = [self.from_tables.get(table), self.to_tables.get(table)]
            .into_iter()
            .flatten()
            .flat_map(|t| constraint_names(t))
            .collect();
        let base = truncate(&format!("dbmigration_not_null_{column}"), 59);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(name.as_str()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    }
}

fn constraint_names(t: &Table) -> impl Iterator<Item = &str> {
    t.primary_key
        .iter()
        .map(|p| p.name.as_str())
        .chain(t.uniques.iter().map(|u| u.name.as_str()))
        .chain(t.checks.iter().map(|c| c.name.as_str()))
        .chain(t.exclusions.iter().map(|x| x.name.as_str()))
        .chain(t.foreign_keys.iter().map(|k| k.name.as_str()))
}

/// `s` cut to at most `max` bytes, at a character boundary.
fn truncate(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

/// The online steps for one change of the plain plan; `comment` is the plain step's comment.
pub(crate) fn steps(change: &Change, comment: String, cx: &Context<'_>) -> Vec<Step> {
    let plain = |comment: String| Step {
        comment,
        sql: crate::sql::statement(change),
        destructive: change.is_destructive(),
        transactional: true,
        hazards: hazards(change, cx),
    };
    match change {
        Change::CreateIndex { table, index } if cx.existing(table) => {
            if cx.partitioned(table) {
                let mut step = plain(comment);
                step.hazards.push(Hazard::new(
                    HazardKind::Locks,
                    "an index on a partitioned table cannot be built CONCURRENTLY: every \
                     partition's index is built under a SHARE lock, which blocks writes",
                ));
                return vec![step];
            }
            vec![alone(
                format!("{comment}, without blocking writes"),
                crate::sql::create_index(table, index, true),
                vec![Hazard::new(
                    HazardKind::IndexBuild,
                    "builds the index while writes go on (CPU and I/O); if it fails, drop the \
                     INVALID index it leaves and run this step again",
                )],
            )]
        }
        Change::DropIndex { table, name } if cx.existing(table) && !cx.partitioned(table) => {
            vec![alone(
                format!("{comment}, without blocking reads and writes"),
                crate::sql::drop_index(table, name, true),
                vec![Hazard::new(
                    HazardKind::IndexDropped,
                    "queries that used this index may become slower",
                )],
            )]
        }
        Change::AddForeignKey { table, fk } if cx.existing(table) && !fk.not_valid => {
            let not_valid = Change::AddForeignKey {
                table: table.clone(),
                fk: hclgen::ForeignKey {
                    not_valid: true,
                    ..fk.clone()
                },
            };
            if cx.partitioned(table) && cx.pg_version < 18 {
                return vec![plain(comment)];
            }
            vec![
                in_transaction(
                    format!("{comment}, NOT VALID: existing rows are checked in the next step"),
                    &not_valid,
                ),
                validate(table, &fk.name),
            ]
        }
        Change::AddCheck { table, check } if cx.existing(table) && !check.not_valid => {
            let not_valid = Change::AddCheck {
                table: table.clone(),
                check: Check {
                    not_valid: true,
                    ..check.clone()
                },
            };
            vec![
                in_transaction(
                    format!("{comment}, NOT VALID: existing rows are checked in the next step"),
                    &not_valid,
                ),
                validate(table, &check.name),
            ]
        }
        Change::SetNotNull {
            table,
            column,
            not_null: true,
        } if cx.existing(table) => {
            if cx.pg_version < NOT_NULL_FROM_CHECK || cx.partitioned(table) {
                let mut step = plain(comment);
                step.hazards.push(Hazard::new(
                    HazardKind::Locks,
                    "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
                ));
                return vec![step];
            }
            not_null_steps(table, column, cx)
        }
        Change::AddColumn { table, column } if cx.existing(table) && needs_steps(column, cx) => {
            add_not_null_column(table, column, comment, cx)
        }
        // A `NOT VALID` constraint of FROM that TO has valid.
        Change::ValidateConstraint { table, name } if cx.existing(table) => {
            vec![Step {
                comment,
                ..validate(table, name)
            }]
        }
        _ => vec![plain(comment)],
    }
}

/// A step that runs on its own, outside any transaction block (its statement commits alone).
fn alone(comment: String, sql: String, hazards: Vec<Hazard>) -> Step {
    Step {
        comment,
        sql,
        destructive: false,
        transactional: false,
        hazards,
    }
}

/// A change of the plain plan, inside the current transaction block.
fn in_transaction(comment: String, change: &Change) -> Step {
    Step {
        comment,
        sql: crate::sql::statement(change),
        destructive: change.is_destructive(),
        transactional: true,
        hazards: Vec::new(),
    }
}

/// `VALIDATE CONSTRAINT`, on its own: it scans the table under a `SHARE UPDATE EXCLUSIVE`
/// lock, which lets reads and writes go on (in the same transaction as the `ADD`, the `ADD`'s
/// `ACCESS EXCLUSIVE` lock would be held during the scan).
fn validate(table: &QualifiedName, name: &str) -> Step {
    let change = Change::ValidateConstraint {
        table: table.clone(),
        name: name.to_owned(),
    };
    Step {
        comment: crate::sql::describe(&change),
        sql: crate::sql::statement(&change),
        destructive: false,
        transactional: false,
        hazards: Vec::new(),
    }
}

/// `NOT NULL` without a long `ACCESS EXCLUSIVE` scan: helper check `NOT VALID`, validated on
/// its own, `SET NOT NULL` (which uses the valid check instead of scanning), helper dropped.
fn not_null_steps(table: &QualifiedName, column: &str, cx: &Context<'_>) -> Vec<Step> {
    let helper = cx.helper_name(table, column);
    let check = Change::AddCheck {
        table: table.clone(),
        check: Check {
            name: helper.clone(),
            expr: format!("{} IS NOT NULL", quote_ident(column)),
            no_inherit: false,
            not_valid: true,
            comment: None,
        },
    };
    let set = Change::SetNotNull {
        table: table.clone(),
        column: column.to_owned(),
        not_null: true,
    };
    let drop = Change::DropConstraint {
        table: table.clone(),
        name: helper.clone(),
        kind: ConstraintKind::Check,
    };
    let what = crate::sql::col(table, column);
    vec![
        in_transaction(
            format!("NOT NULL for {what}, step 1 of 4: a helper check, NOT VALID (no scan)"),
            &check,
        ),
        Step {
            comment: format!(
                "NOT NULL for {what}, step 2 of 4: validate the helper check without blocking writes"
            ),
            ..validate(table, &helper)
        },
        in_transaction(
            format!(
                "NOT NULL for {what}, step 3 of 4: SET NOT NULL uses the valid check instead of a scan"
            ),
            &set,
        ),
        in_transaction(
            format!("NOT NULL for {what}, step 4 of 4: drop the helper check"),
            &drop,
        ),
    ]
}

/// A `NOT NULL` column added to an existing table that one `ADD COLUMN` cannot fill without a
/// rewrite or at all: no default, a volatile default, or a server before fast defaults.
fn needs_steps(column: &Column, cx: &Context<'_>) -> bool {
    let fills_itself = column.generated.is_some()
        || column.identity.is_some()
        || matches!(column.ty, Type::Serial(_));
    if column.nullable || fills_itself {
        return false;
    }
    match &column.default {
        None => true,
        Some(d) => cx.pg_version < FAST_DEFAULT || volatile(d),
    }
}

/// Adds the column nullable, sets its default, backfills it (or flags that it needs a value),
/// then enforces `NOT NULL` as [`not_null_steps`] does.
fn add_not_null_column(
    table: &QualifiedName,
    column: &Column,
    comment: String,
    cx: &Context<'_>,
) -> Vec<Step> {
    let nullable = Change::AddColumn {
        table: table.clone(),
        column: Column {
            nullable: true,
            default: None,
            ..column.clone()
        },
    };
    let qualified = crate::sql::qn(table);
    let name = quote_ident(&column.name);
    let mut steps = Vec::new();
    match &column.default {
        Some(default) => {
            steps.push(in_transaction(
                format!(
                    "{comment}, nullable first: its default is volatile and would rewrite the table"
                ),
                &nullable,
            ));
            let set_default = Change::SetDefault {
                table: table.clone(),
                column: column.name.clone(),
                default: Some(default.clone()),
            };
            steps.push(in_transaction(
                crate::sql::describe(&set_default),
                &set_default,
            ));
            steps.push(alone(
                format!(
                    "Backfill {} with its default",
                    crate::sql::col(table, &column.name)
                ),
                format!("UPDATE {qualified} SET {name} = DEFAULT WHERE {name} IS NULL"),
                vec![Hazard::new(
                    HazardKind::Backfill,
                    "updates every existing row in one statement (row locks, WAL, dead tuples); \
                     on a large table run it in batches instead",
                )],
            ));
        }
        None => {
            let mut step = in_transaction(
                format!("{comment}, nullable first: it has no default to fill existing rows"),
                &nullable,
            );
            step.hazards.push(Hazard::new(
                HazardKind::NeedsValue,
                "the column is NOT NULL without a default: existing rows need a value. Fill \
                 them (UPDATE … SET column = … WHERE column IS NULL) before the next steps, \
                 or validating NOT NULL fails",
            ));
            steps.push(step);
        }
    }
    steps.extend(not_null_steps(table, &column.name, cx));
    steps
}

/// Functions and words that may precede `(` in a default without making it volatile: type
/// modifiers, operators spelled as keywords, and common stable or immutable functions. Any
/// other call counts as volatile, since an unknown function cannot be proved otherwise (the
/// same stance as the linter's `adding-volatile-default`).
const NOT_VOLATILE_CALLS: &[&str] = &[
    "numeric",
    "decimal",
    "varying",
    "character",
    "char",
    "varchar",
    "bit",
    "time",
    "timestamp",
    "interval",
    "float",
    "and",
    "or",
    "not",
    "in",
    "any",
    "all",
    "array",
    "row",
    "now",
    "statement_timestamp",
    "transaction_timestamp",
    "timezone",
    "current_setting",
    "lower",
    "upper",
    "coalesce",
    "nullif",
    "greatest",
    "least",
    "json_build_object",
    "jsonb_build_object",
    "json_build_array",
    "jsonb_build_array",
    "to_json",
    "to_jsonb",
    "make_interval",
    "date_trunc",
];

/// Whether a default expression (as `pg_get_expr` prints it) may be volatile: it calls a
/// function not known to be stable or immutable.
fn volatile(default: &str) -> bool {
    let tokens: Vec<pgsql::Token> = pgsql::tokens(default)
        .into_iter()
        .filter(|t| !t.is_comment())
        .collect();
    tokens.windows(2).any(|w| {
        w[0].kind == pgsql::TokenKind::Word
            && w[1].is_punct(b'(')
            && !NOT_VOLATILE_CALLS.contains(&w[0].text(default).to_ascii_lowercase().as_str())
    })
}

fn rename_hazard() -> Hazard {
    Hazard::new(
        HazardKind::Rename,
        "if this is a rename, the plan loses the data: rename it in a migration instead",
    )
}

/// The hazards of a change spelled as the plain plan spells it.
fn hazards(change: &Change, cx: &Context<'_>) -> Vec<Hazard> {
    let mut out = Vec::new();
    if change.is_destructive() {
        out.push(Hazard::new(
            HazardKind::DeletesData,
            "the data it holds is deleted and cannot be recovered from the schema",
        ));
    }
    match change {
        Change::AlterColumnType { table, .. } if cx.existing(table) => out.push(Hazard::new(
            HazardKind::Rewrite,
            "unless the types are binary coercible (varchar(n) → text, a longer varchar), the \
             table and its indexes are rewritten under an ACCESS EXCLUSIVE lock",
        )),
        Change::AddColumn { table, column }
            if cx.existing(table)
                && ((column.generated.is_some() && !column.generated_virtual)
                    || column.identity.is_some()
                    || matches!(column.ty, Type::Serial(_))
                    || column.default.as_deref().is_some_and(volatile)) =>
        {
            out.push(Hazard::new(
                HazardKind::Rewrite,
                "every existing row gets a computed value: the table is rewritten under an \
                 ACCESS EXCLUSIVE lock",
            ))
        }
        Change::SetExpression { table, .. } if cx.existing(table) => out.push(Hazard::new(
            HazardKind::Rewrite,
            "the stored values are recomputed: the table is rewritten under an ACCESS \
             EXCLUSIVE lock",
        )),
        Change::Collation(crate::kinds::collation::CollationChange::Reapply { table, .. })
            if cx.existing(table) =>
        {
            out.push(Hazard::new(
                HazardKind::Locks,
                "the column's indexes are rebuilt for the new collation under an ACCESS \
                 EXCLUSIVE lock",
            ))
        }
        Change::RenameType { .. } => out.push(Hazard::new(
            HazardKind::Rename,
            "the type is moved aside under another name to be created again; code that names \
             it sees the new one only after the plan",
        )),
        // Removed for good (not dropped to be added again): perhaps a rename.
        Change::DropColumn { table, column, .. }
            if cx
                .to_tables
                .get(table)
                .is_none_or(|t| t.columns.iter().all(|c| &c.name != column)) =>
        {
            out.push(rename_hazard())
        }
        Change::DropTable(table) if !cx.to_tables.contains_key(table) => out.push(rename_hazard()),
        Change::AddPrimaryKey { table, .. } | Change::AddUnique { table, .. }
            if cx.existing(table) =>
        {
            out.push(Hazard::new(
                HazardKind::Locks,
                "builds its index under an ACCESS EXCLUSIVE lock, which blocks reads and writes \
                 (a unique index built CONCURRENTLY first and added with USING INDEX avoids it)",
            ))
        }
        Change::AddExclusion { table, .. } if cx.existing(table) => out.push(Hazard::new(
            HazardKind::Locks,
            "builds its index under an ACCESS EXCLUSIVE lock, which blocks reads and writes",
        )),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volatile_defaults() {
        for d in [
            "0",
            "'new'::text",
            "now()",
            "CURRENT_TIMESTAMP",
            "'{}'::jsonb",
            "(0)::numeric(10,2)",
            "ARRAY[]::text[]",
            "false",
        ] {
            assert!(!volatile(d), "{d}");
        }
        for d in [
            "gen_random_uuid()",
            "nextval('s'::regclass)",
            "random()",
            "my_func()",
            "public.f(1)",
        ] {
            assert!(volatile(d), "{d}");
        }
    }

    #[test]
    fn truncates_at_a_character_boundary() {
        assert_eq!(truncate("aé", 2), "a");
        assert_eq!(truncate("abc", 59), "abc");
    }
}
