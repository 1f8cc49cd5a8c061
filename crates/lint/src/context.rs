//! What rules know: the caller's [`Settings`], the [`FileState`] built from the statements
//! before the current one, and the current statement ([`Stmt`]).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, CreateIndex, Expr, ObjectType, Statement,
    TableConstraint,
};

use crate::names::{canonical_type, ident, qualified};
use crate::rule::{Rule, Severity, Violation};
use crate::span::Span;
use crate::split::Token;

/// What the caller knows about the environment the SQL runs in.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Tables of the schema the file runs against, as lower-case `schema.table` (quoted names
    /// keep their case). A table neither here nor created in the file (or in
    /// [`Settings::created_before`]) is still treated as existing: a schema that lacks it is
    /// more likely stale than the table new, and a finding that vanishes is the worse mistake.
    /// Such tables are listed in [`crate::LintedFile::unknown_tables`] so reports can say so.
    /// `None`: no schema was given; every table not created in the file exists.
    pub existing_tables: Option<HashSet<String>>,
    /// Tables created by migrations that run before this file in the same deployment (the
    /// earlier new migrations of a release): they are empty, so changing them is safe.
    pub created_before: HashSet<String>,
    /// `(rule, subject)` pairs acknowledged elsewhere (a `dbmigration:ignore` in a migration
    /// file): findings of that rule on that subject are acknowledged here too. This is how a
    /// drop acknowledged in the real migration is acknowledged in the generated plan.
    pub acknowledged: HashSet<(String, String)>,
    /// Optional details about existing tables (column types, nullability, primary key),
    /// keyed like `existing_tables`. Used for type-change, rename and rewrite decisions.
    pub tables: HashMap<String, TableFacts>,
    /// The file runs inside one transaction (the migration tool wraps it).
    pub in_transaction: bool,
    /// Major PostgreSQL version the SQL targets.
    pub pg_version: u32,
    /// Per-rule level overrides, keyed by rule name.
    pub levels: HashMap<String, Level>,
    /// `lock_timeout` the rewrite sets before DDL, e.g. `2s`.
    pub lock_timeout: String,
    /// Rows per backfill batch in the rewrite.
    pub batch_size: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            existing_tables: None,
            created_before: HashSet::new(),
            acknowledged: HashSet::new(),
            tables: HashMap::new(),
            in_transaction: false,
            pg_version: 15,
            levels: HashMap::new(),
            lock_timeout: "2s".into(),
            batch_size: 1000,
        }
    }
}

impl Settings {
    /// The severity `rule` reports with, or `None` when it is turned off.
    pub fn severity_of(&self, rule: &dyn Rule) -> Option<Severity> {
        match self.levels.get(rule.name()) {
            None => Some(rule.severity()),
            Some(Level::Off) => None,
            Some(Level::Error) => Some(Severity::Error),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Advice) => Some(Severity::Advice),
        }
    }
}

/// A configured rule level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Do not run the rule.
    Off,
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Report as advice.
    Advice,
}

/// What is known about one existing table.
#[derive(Debug, Clone, Default)]
pub struct TableFacts {
    /// Columns by name.
    pub columns: HashMap<String, ColumnFacts>,
    /// Primary key columns, in order.
    pub primary_key: Vec<String>,
}

/// What is known about one existing column.
#[derive(Debug, Clone, Default)]
pub struct ColumnFacts {
    /// The type as SQL text, e.g. `varchar(64)`.
    pub type_sql: String,
    /// Declared `NOT NULL`.
    pub not_null: bool,
}

/// A column seen added or dropped in the file (for the rename hint).
#[derive(Debug, Clone)]
pub(crate) struct ColumnEvent {
    pub column: String,
    pub ty: Option<String>,
}

/// Everything learnt from the statements before the current one.
#[derive(Debug, Default)]
pub struct FileState {
    pub(crate) created_tables: HashSet<String>,
    pub(crate) created_indexes: HashSet<String>,
    pub(crate) lock_timeout: bool,
    /// Tables treated as existing although the schema in the settings did not list them.
    pub(crate) unknown_tables: RefCell<BTreeSet<String>>,
    pub(crate) explicit_transaction: bool,
    /// `(table, constraint)` → column proven non-null once the NOT VALID check is validated.
    pub(crate) pending_checks: HashMap<(String, String), String>,
    /// `(table, column)` proven non-null by a validated `CHECK (c IS NOT NULL)`.
    pub(crate) proven_not_null: HashMap<(String, String), String>,
    /// Types of columns added or created in the file, `(table, column)` → canonical type.
    pub(crate) column_types: HashMap<(String, String), String>,
    /// Columns dropped in the file, by table (indexed: rules look them up per statement).
    pub(crate) dropped: HashMap<String, Vec<ColumnEvent>>,
    /// Columns added in the file, by table.
    pub(crate) added: HashMap<String, Vec<ColumnEvent>>,
}

impl FileState {
    /// Was `table` (qualified) created earlier in this file?
    pub fn created(&self, table: &str) -> bool {
        self.created_tables.contains(table)
    }

    /// Did `table` (qualified) exist before this file? See [`Context::existed`].
    pub(crate) fn existed(&self, settings: &Settings, table: &str) -> bool {
        if self.created(table) || settings.created_before.contains(table) {
            return false;
        }
        if let Some(set) = &settings.existing_tables
            && !set.contains(table)
        {
            self.unknown_tables.borrow_mut().insert(table.to_owned());
        }
        true
    }

    /// Is a transaction open at this point (explicit `BEGIN`, or the settings say so)?
    pub(crate) fn in_transaction(&self, settings: &Settings) -> bool {
        settings.in_transaction || self.explicit_transaction
    }

    /// Records what `stmt` changes. Called after the rules looked at it.
    pub(crate) fn update(&mut self, stmt: &Stmt<'_>, settings: &Settings) {
        match stmt.ast {
            Statement::CreateTable(ct) => {
                self.created_tables.insert(qualified(&ct.name));
            }
            Statement::CreateIndex(CreateIndex {
                name: Some(name),
                table_name,
                ..
            }) => {
                let schema = qualified(table_name);
                let schema = schema.split('.').next().unwrap_or("public");
                let idx = qualified(name);
                let idx = if name.0.len() == 1 {
                    format!("{schema}.{}", idx.trim_start_matches("public."))
                } else {
                    idx
                };
                self.created_indexes.insert(idx);
            }
            Statement::Set(_) => {
                if let Some(on) = lock_timeout_setting(stmt) {
                    self.lock_timeout = on;
                }
            }
            Statement::StartTransaction { .. } if !stmt.in_do => self.explicit_transaction = true,
            Statement::Commit { .. } | Statement::Rollback { .. } if !stmt.in_do => {
                self.explicit_transaction = false;
            }
            Statement::Drop {
                object_type: ObjectType::Table,
                names,
                ..
            } => {
                for n in names {
                    self.created_tables.remove(&qualified(n));
                }
            }
            Statement::AlterTable(at) => {
                let table = stmt.table.clone().unwrap_or_else(|| qualified(&at.name));
                for op in &at.operations {
                    self.update_alter(&table, op, settings);
                }
            }
            _ => {}
        }
    }

    fn update_alter(&mut self, table: &str, op: &AlterTableOperation, settings: &Settings) {
        match op {
            AlterTableOperation::AddColumn { column_def, .. } => {
                let column = ident(&column_def.name);
                let ty = canonical_type(&column_def.data_type);
                self.column_types
                    .insert((table.to_string(), column.clone()), ty.clone());
                self.added
                    .entry(table.to_string())
                    .or_default()
                    .push(ColumnEvent {
                        column,
                        ty: Some(ty),
                    });
            }
            AlterTableOperation::DropColumn { column_names, .. } => {
                for c in column_names {
                    let column = ident(c);
                    let ty = self.column_type(settings, table, &column);
                    self.dropped
                        .entry(table.to_string())
                        .or_default()
                        .push(ColumnEvent { column, ty });
                }
            }
            AlterTableOperation::AlterColumn {
                column_name,
                op: AlterColumnOperation::SetDataType { data_type, .. },
            } => {
                self.column_types.insert(
                    (table.to_string(), ident(column_name)),
                    canonical_type(data_type),
                );
            }
            AlterTableOperation::AddConstraint {
                constraint: TableConstraint::Check(check),
                not_valid,
            } => {
                if let Some(column) = not_null_check_column(&check.expr) {
                    if *not_valid {
                        if let Some(name) = &check.name {
                            self.pending_checks
                                .insert((table.to_string(), ident(name)), column);
                        }
                    } else {
                        let name = check.name.as_ref().map(ident).unwrap_or_default();
                        self.proven_not_null
                            .insert((table.to_string(), column), name);
                    }
                }
            }
            AlterTableOperation::ValidateConstraint { name } => {
                let key = (table.to_string(), ident(name));
                if let Some(column) = self.pending_checks.remove(&key) {
                    self.proven_not_null
                        .insert((table.to_string(), column), key.1);
                }
            }
            AlterTableOperation::DropConstraint { name, .. } => {
                let name = ident(name);
                self.pending_checks
                    .remove(&(table.to_string(), name.clone()));
                self.proven_not_null
                    .retain(|(t, _), n| !(t == table && *n == name));
            }
            AlterTableOperation::RenameTable { table_name } => {
                let new = match table_name {
                    sqlparser::ast::RenameTableNameKind::As(n)
                    | sqlparser::ast::RenameTableNameKind::To(n) => n,
                };
                if self.created_tables.remove(table) {
                    let schema = table.split('.').next().unwrap_or("public");
                    let new = qualified(new);
                    let new = format!("{schema}.{}", new.split('.').next_back().unwrap_or(""));
                    self.created_tables.insert(new);
                }
            }
            _ => {}
        }
    }

    /// The type of `table.column` if the file or the settings say it.
    pub(crate) fn column_type(
        &self,
        settings: &Settings,
        table: &str,
        column: &str,
    ) -> Option<String> {
        self.column_types
            .get(&(table.to_string(), column.to_string()))
            .cloned()
            .or_else(|| {
                settings
                    .tables
                    .get(table)
                    .and_then(|t| t.columns.get(column))
                    .map(|c| crate::names::canonical_type_text(&c.type_sql))
            })
    }
}

/// `Some(true)` for `SET lock_timeout = <non-zero>`, `Some(false)` for `= 0` or `RESET`.
fn lock_timeout_setting(stmt: &Stmt<'_>) -> Option<bool> {
    let words: Vec<&Token> = stmt.tokens.iter().take(6).collect();
    let pos = words
        .iter()
        .position(|t| t.is_word(stmt.src, "lock_timeout"))?;
    let value = stmt.tokens.get(pos + 2).map(|t| t.span.text(stmt.src))?;
    let value = value.trim_matches('\'');
    Some(!(value == "0" || value.eq_ignore_ascii_case("default")))
}

/// The column `c` when `expr` is `c IS NOT NULL` (possibly parenthesised, or one side of an
/// `AND`).
pub(crate) fn not_null_check_column(expr: &Expr) -> Option<String> {
    match expr {
        Expr::IsNotNull(inner) => match inner.as_ref() {
            Expr::Identifier(id) => Some(ident(id)),
            Expr::Nested(e) => not_null_check_column(&Expr::IsNotNull(e.clone())),
            _ => None,
        },
        Expr::Nested(e) => not_null_check_column(e),
        Expr::BinaryOp {
            left,
            op: sqlparser::ast::BinaryOperator::And,
            right,
        } => not_null_check_column(left).or_else(|| not_null_check_column(right)),
        _ => None,
    }
}

/// One statement as rules see it.
#[derive(Debug)]
pub struct Stmt<'a> {
    /// The parsed statement.
    pub ast: &'a Statement,
    /// The whole file.
    pub src: &'a str,
    /// The statement's bytes in the file.
    pub span: Span,
    /// Its tokens, comments excluded.
    pub(crate) tokens: &'a [Token],
    /// For `ALTER TABLE`: one span per action, in order (empty if they could not be matched).
    pub actions: Vec<Span>,
    /// For `ALTER TABLE`: the qualified table name (computed once for all rules).
    pub table: Option<String>,
    /// The object the statement changes (qualified table, or index for `DROP INDEX`): what
    /// its findings are about, to match acknowledgements across files.
    pub subject: Option<String>,
    /// Whether that table existed before the file (memoised: the state cannot change while
    /// the rules look at one statement).
    pub(crate) table_existed: std::cell::Cell<Option<bool>>,
    /// Position in the file.
    pub index: usize,
    /// Inside a `DO` block body.
    pub in_do: bool,
    /// `CONCURRENTLY` was written (sqlparser drops it in some statements).
    pub concurrently: bool,
}

impl Stmt<'_> {
    /// The span of the `i`-th `ALTER TABLE` action, or the statement's when unknown.
    pub fn action(&self, i: usize) -> Span {
        self.actions.get(i).copied().unwrap_or(self.span)
    }

    /// The statement's text.
    pub fn text(&self) -> &str {
        self.span.text(self.src)
    }
}

/// Given to [`Rule::check`]: read the state, report findings.
pub struct Context<'a> {
    /// The caller's settings.
    pub settings: &'a Settings,
    /// The file so far.
    pub state: &'a FileState,
    pub(crate) findings: &'a mut Vec<Violation>,
    pub(crate) severity: Severity,
}

impl Context<'_> {
    /// Reports a finding of `rule` at `span`; chain `.help(…)`, `.fix(…)` on the result.
    pub fn report(
        &mut self,
        rule: &dyn Rule,
        stmt: &Stmt<'_>,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Violation {
        self.findings.push(Violation {
            rule: rule.name(),
            severity: self.severity,
            message: message.into(),
            label: Cow::Borrowed("here"),
            span,
            help: None,
            fix: None,
            subject: stmt.subject.clone(),
            statement: stmt.index,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Did `table` (qualified) exist before this file? Tables created earlier in the file (or
    /// by the migrations before it, [`Settings::created_before`]) are new; every other table
    /// exists, whether the schema knew it or not.
    pub fn existed(&self, table: &str) -> bool {
        self.state.existed(self.settings, table)
    }

    /// Is a transaction open?
    pub fn in_transaction(&self) -> bool {
        self.state.in_transaction(self.settings)
    }
}
