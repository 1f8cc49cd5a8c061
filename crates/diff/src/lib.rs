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

/// The changes that turn `from` into `to`, unordered (grouped by object kind).
pub fn compare(from: &Database, to: &Database) -> Vec<Change> {
    compare::changes(from, to)
        .into_iter()
        .map(|p| p.change)
        .collect()
}

/// The ordered migration from `from` to `to`: compare, order by dependency, spell as SQL.
pub fn plan(from: &Database, to: &Database) -> Plan {
    let changes = ordered_changes(from, to);
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

/// The changes of [`plan`], in the order its steps run (for tools and tests that simulate a
/// plan instead of reading its SQL).
pub fn ordered(from: &Database, to: &Database) -> Vec<Change> {
    ordered_changes(from, to)
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

/// The changes of [`plan`], in plan order, with the reason shown in each step's comment.
fn ordered_changes(from: &Database, to: &Database) -> Vec<(Change, Option<String>)> {
    let mut planned = compare::changes(from, to);
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
