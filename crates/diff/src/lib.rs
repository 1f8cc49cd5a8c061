//! Two schema models in, an ordered list of PostgreSQL DDL statements out. Pure: no I/O.
//!
//! ```text
//! compare (model × model → changes) ─▶ order (dependencies) ─▶ sql (DDL text) ─▶ render (diff.sql)
//! ```
//!
//! [`compare`] lists the changes; [`plan`] also orders them and spells each as one statement.
//! See `docs/diff.md` for what is handled and how the order is chosen.

mod change;
mod column_order;
mod compare;
mod expressions;
mod order;
mod render;
mod sql;

pub use change::{
    Change, CommentTarget, CompositeChange, ConstraintKind, DomainChange, EnumPosition,
};
pub use column_order::order_note;
use hclgen::Database;

/// What the plan may use: the PostgreSQL major version of the server it will run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The target's major version: 17+ changes generated expressions in place (`SET
    /// EXPRESSION`); before 15 there is no `NULLS NOT DISTINCT`.
    pub pg_version: u32,
}

impl Default for Settings {
    /// PostgreSQL 15, what [`plan`] assumes.
    fn default() -> Self {
        Settings { pg_version: 15 }
    }
}

/// The target schema uses something the target server's version does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedError {
    /// The version planned for.
    pub pg_version: u32,
    /// The first version that has the feature.
    pub since: u32,
    /// What uses it: "unique constraint `orders_key` of `shop.orders` (NULLS NOT DISTINCT)".
    pub what: String,
}

impl std::fmt::Display for UnsupportedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the target schema's {} needs PostgreSQL {}+, and the plan is for PostgreSQL {}",
            self.what, self.since, self.pg_version
        )
    }
}

impl std::error::Error for UnsupportedError {}

/// The changes that turn `from` into `to`, unordered (grouped by object kind).
pub fn compare(from: &Database, to: &Database) -> Vec<Change> {
    compare::changes(from, to, &Settings::default())
        .into_iter()
        .map(|p| p.change)
        .collect()
}

/// One line saying what `change` does: the comment above its statement in `diff.sql`
/// (`Drop column "legacy" of "public"."users" (data loss)`), for summaries.
pub fn describe(change: &Change) -> String {
    sql::describe(change)
}

/// The ordered migration from `from` to `to`: compare, order by dependency, spell as SQL.
/// Plans for PostgreSQL 15 ([`Settings::default`]); see [`plan_for`].
pub fn plan(from: &Database, to: &Database) -> Plan {
    build(from, to, &Settings::default())
}

/// [`plan`] for the server version in `settings`; an error when `to` needs a newer one.
pub fn plan_for(
    from: &Database,
    to: &Database,
    settings: &Settings,
) -> Result<Plan, UnsupportedError> {
    supported(to, settings.pg_version)?;
    Ok(build(from, to, settings))
}

fn build(from: &Database, to: &Database, settings: &Settings) -> Plan {
    let changes = ordered_changes(from, to, settings);
    let dropped: std::collections::HashSet<(&hclgen::QualifiedName, &str)> = changes
        .iter()
        .filter_map(|(c, _)| match c {
            Change::DropColumn { table, column, .. } => Some((table, column.as_str())),
            _ => None,
        })
        .collect();
    let readded = changes
        .iter()
        .filter_map(|(c, _)| match c {
            Change::AddColumn { table, column } => Some((table, column.name.as_str())),
            _ => None,
        })
        .filter(|k| dropped.contains(k))
        .collect();
    let notes = column_order::notes(from, to, &readded);
    Plan {
        steps: changes
            .iter()
            .map(|(change, because)| step(change, because.as_deref()))
            .collect(),
        notes,
    }
}

/// The first object of `to` that PostgreSQL `pg_version` cannot hold.
fn supported(to: &Database, pg_version: u32) -> Result<(), UnsupportedError> {
    const NULLS_NOT_DISTINCT: u32 = 15;
    if pg_version >= NULLS_NOT_DISTINCT {
        return Ok(());
    }
    let error = |what: String| UnsupportedError {
        pg_version,
        since: NULLS_NOT_DISTINCT,
        what,
    };
    for t in &to.tables {
        if let Some(u) = t.uniques.iter().find(|u| u.nulls_not_distinct) {
            return Err(error(format!(
                "unique constraint `{}` of `{}` (NULLS NOT DISTINCT)",
                u.name, t.name
            )));
        }
        if let Some(i) = t.indexes.iter().find(|i| i.nulls_not_distinct) {
            return Err(error(format!(
                "index `{}` of `{}` (NULLS NOT DISTINCT)",
                i.name, t.name
            )));
        }
    }
    Ok(())
}

/// The changes of [`plan`], in the order its steps run (for tools and tests that simulate a
/// plan instead of reading its SQL).
pub fn ordered(from: &Database, to: &Database) -> Vec<Change> {
    ordered_changes(from, to, &Settings::default())
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

/// The changes of [`plan`], in plan order, with the reason shown in each step's comment.
fn ordered_changes(
    from: &Database,
    to: &Database,
    settings: &Settings,
) -> Vec<(Change, Option<String>)> {
    let mut planned = compare::changes(from, to, settings);
    let creates_function = planned
        .iter()
        .any(|p| matches!(p.change, Change::CreateFunction { .. }));
    if creates_function {
        planned.insert(
            0,
            compare::Planned {
                change: Change::SkipFunctionBodyChecks,
                because: None,
            },
        );
    }
    order::order(planned, from, to)
        .into_iter()
        .map(|p| (p.change, p.because))
        .collect()
}

fn step(change: &Change, because: Option<&str>) -> Step {
    let what = sql::describe(change);
    let comment = match because {
        // Join with a note the description already ends with: "(data loss; why)".
        Some(why) => match what.strip_suffix(')') {
            Some(head) if what.contains(" (") => format!("{head}; {why})"),
            _ => format!("{what} ({why})"),
        },
        None => what,
    };
    Step {
        comment,
        sql: sql::statement(change),
        destructive: change.is_destructive(),
        transactional: change.is_transactional(),
    }
}

/// An ordered list of DDL statements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The statements, in the order they must run.
    pub steps: Vec<Step>,
    /// What the plan cannot reach and need not (column order), for the header of `diff.sql`.
    pub notes: Vec<String>,
}

/// One statement of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What the statement does and why, one line.
    pub comment: String,
    /// The statement, without the trailing `;`.
    pub sql: String,
    /// Loses data (drops a table, column, sequence, schema or extension).
    pub destructive: bool,
    /// Can run inside a transaction block together with the later steps (`false` for
    /// `ALTER TYPE ... ADD VALUE`, whose new label cannot be used before a commit).
    pub transactional: bool,
}

/// The header of `diff.sql`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// Where the old schema comes from (a file name or a git ref).
    pub from: String,
    /// Where the new schema comes from.
    pub to: String,
    /// `env!("CARGO_PKG_VERSION")` of the binary.
    pub tool_version: String,
}

impl Plan {
    /// No changes: the schemas are in sync.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The `diff.sql` text.
    pub fn to_sql(&self, header: &Header) -> String {
        render::render(self, header)
    }
}
