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
pub mod kinds;
mod online;
mod order;
mod render;
mod sql;

pub use change::{
    Change, CommentTarget, CompositeChange, ConstraintKind, DomainChange, EnumPosition,
};
pub use column_order::order_note;
pub use expressions::shared_expressions_differ;
use hclgen::Database;
use std::time::Duration;

/// What the plan may use (the PostgreSQL major version of the server it will run on) and how
/// it is spelled (online or plain).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The target's major version: 17+ changes generated expressions in place (`SET
    /// EXPRESSION`); before 15 there is no `NULLS NOT DISTINCT`; 12+ lets `SET NOT NULL` use a
    /// valid check instead of a scan (online plan).
    pub pg_version: u32,
    /// `Some`: the online plan (`diff.sql`'s default, see `docs/diff.md`); `None`: the plain
    /// plan, every step in one transaction (`--unsafe-plan`).
    pub online: Option<Online>,
}

impl Default for Settings {
    /// PostgreSQL 15, the online plan with [`Online::default`].
    fn default() -> Self {
        Settings {
            pg_version: 15,
            online: Some(Online::default()),
        }
    }
}

/// The timeouts an online plan sets at its top (stripe/pg-schema-diff sets both on every
/// statement: `pkg/diff/sql_generator.go`, `statementTimeoutDefault`, `lockTimeoutDefault`,
/// `statementTimeoutConcurrentIndexBuild`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Online {
    /// `SET lock_timeout`: a statement waiting this long for its lock gives up instead of
    /// queueing every other query on the table behind it. Default 2 s (the linter's
    /// `lock_timeout` default; `lint { lock_timeout }` in `dbmigration.hcl` can fill it).
    pub lock_timeout: Duration,
    /// `SET statement_timeout` for the steps inside transaction blocks, which hold strong
    /// locks: a step running longer (a rewrite) fails instead of blocking the table. Default
    /// 3 s, pg-schema-diff's `statementTimeoutDefault`.
    pub statement_timeout: Duration,
    /// `statement_timeout` for the steps that run on their own without blocking reads and
    /// writes (concurrent index builds and drops, validations, backfills). Default 20 min,
    /// pg-schema-diff's `statementTimeoutConcurrentIndexBuild`.
    pub long_statement_timeout: Duration,
}

impl Default for Online {
    fn default() -> Self {
        Online {
            lock_timeout: Duration::from_secs(2),
            statement_timeout: Duration::from_secs(3),
            long_statement_timeout: Duration::from_secs(20 * 60),
        }
    }
}

/// A PostgreSQL duration setting (`'2s'`, `'500ms'`, `'900us'`, `'20min'`, `'1h'`; a bare number is
/// milliseconds, as for `lock_timeout`), for configuration values. `None` for anything else.
pub fn parse_timeout(text: &str) -> Option<Duration> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: u64 = number.parse().ok()?;
    if unit.trim() == "us" {
        return Some(Duration::from_micros(n));
    }
    let ms = match unit.trim() {
        "" | "ms" => 1,
        "s" => 1000,
        "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    Some(Duration::from_millis(n.checked_mul(ms)?))
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
    compare::changes(from, to, &PLAIN)
        .into_iter()
        .map(|p| p.change)
        .collect()
}

/// One line saying what `change` does: the comment above its statement in `diff.sql`
/// (`Drop column "legacy" of "public"."users" (data loss)`), for summaries.
pub fn describe(change: &Change) -> String {
    sql::describe(change)
}

/// The plain migration from `from` to `to` (compare, order by dependency, spell as SQL), every
/// step in one transaction, for PostgreSQL 15. [`plan_for`] with [`Settings::default`] gives
/// the online plan `diff.sql` holds.
pub fn plan(from: &Database, to: &Database) -> Plan {
    build(from, to, &PLAIN)
}

/// The plain plan for PostgreSQL 15.
const PLAIN: Settings = Settings {
    pg_version: 15,
    online: None,
};

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
    let steps = match settings.online {
        None => changes
            .iter()
            .map(|(change, because)| step(change, because.as_deref()))
            .collect(),
        Some(_) => {
            let cx = online::Context::new(from, to, &changes, settings.pg_version);
            changes
                .iter()
                .flat_map(|(change, because)| {
                    online::steps(change, comment(change, because.as_deref()), &cx)
                })
                .collect()
        }
    };
    Plan {
        steps,
        notes,
        online: settings.online,
    }
}

/// The first object of `to` that PostgreSQL `pg_version` cannot hold.
fn supported(to: &Database, pg_version: u32) -> Result<(), UnsupportedError> {
    if let Some((since, what)) = kinds::newer_features(to)
        .into_iter()
        .find(|(since, _)| pg_version < *since)
    {
        return Err(UnsupportedError {
            pg_version,
            since,
            what,
        });
    }
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
    ordered_changes(from, to, &PLAIN)
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

/// A step's comment: what the change does and why.
fn comment(change: &Change, because: Option<&str>) -> String {
    let what = sql::describe(change);
    match because {
        // Join with a note the description already ends with: "(data loss; why)".
        Some(why) => match what.strip_suffix(')') {
            Some(head) if what.contains(" (") => format!("{head}; {why})"),
            _ => format!("{what} ({why})"),
        },
        None => what,
    }
}

fn step(change: &Change, because: Option<&str>) -> Step {
    Step {
        comment: comment(change, because),
        sql: sql::statement(change),
        destructive: change.is_destructive(),
        transactional: change.is_transactional(),
        hazards: Vec::new(),
    }
}

/// An ordered list of DDL statements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The statements, in the order they must run.
    pub steps: Vec<Step>,
    /// What the plan cannot reach and need not (column order), for the header of `diff.sql`.
    pub notes: Vec<String>,
    /// The online plan's timeouts (set at its top); `None` for the plain plan.
    pub online: Option<Online>,
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
    /// Runs inside a transaction block together with its neighbours. `false`: it runs on its
    /// own, outside any transaction block (`CREATE INDEX CONCURRENTLY`, and the validations
    /// and backfills of the online plan, which must not hold the locks taken before them).
    pub transactional: bool,
    /// What may go wrong when it runs on a live database (online plan only).
    pub hazards: Vec<Hazard>,
}

/// Something a step does that a reviewer must weigh: losing data, a rewrite, a long lock.
/// Kinds as stripe/pg-schema-diff names them (`pkg/diff/plan.go`, `MigrationHazardType*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hazard {
    /// What kind.
    pub kind: HazardKind,
    /// Why, one line.
    pub message: String,
}

impl Hazard {
    pub(crate) fn new(kind: HazardKind, message: &str) -> Self {
        Hazard {
            kind,
            message: message.to_owned(),
        }
    }
}

/// Kinds of [`Hazard`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HazardKind {
    /// Drops data (a table, a column, a sequence, a schema, an extension).
    DeletesData,
    /// Rewrites the table under an `ACCESS EXCLUSIVE` lock.
    Rewrite,
    /// A drop that may be a rename, or an object moved aside under another name.
    Rename,
    /// Holds a lock that blocks reads or writes for longer than a catalog change.
    Locks,
    /// Builds an index concurrently (CPU and I/O; an `INVALID` index is left if it fails).
    IndexBuild,
    /// Drops an index queries may use.
    IndexDropped,
    /// Updates every existing row.
    Backfill,
    /// Existing rows need a value the schema cannot give (a `NOT NULL` column without default).
    NeedsValue,
}

impl HazardKind {
    /// The name in `diff.sql`: `DELETES_DATA`, `REWRITE`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            HazardKind::DeletesData => "DELETES_DATA",
            HazardKind::Rewrite => "REWRITE",
            HazardKind::Rename => "RENAME",
            HazardKind::Locks => "LOCKS",
            HazardKind::IndexBuild => "INDEX_BUILD",
            HazardKind::IndexDropped => "INDEX_DROPPED",
            HazardKind::Backfill => "BACKFILL",
            HazardKind::NeedsValue => "NEEDS_VALUE",
        }
    }
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

    /// Every step may run in one transaction: the file runs as it is with `psql -1 -f`, or
    /// sent as one multi-statement query. Otherwise it must run statement by statement, with
    /// no outer transaction (`psql -f`): it holds its own `BEGIN … COMMIT` blocks.
    pub fn single_transaction(&self) -> bool {
        self.steps.iter().all(|s| s.transactional)
    }

    /// The `diff.sql` text.
    pub fn to_sql(&self, header: &Header) -> String {
        render::render(self, header)
    }
}
