//! `require-lock-timeout`: a DDL statement waiting for its lock queues every later query on
//! the table behind it; a lock_timeout makes it give up instead.

use sqlparser::ast::{AlterTableOperation, ObjectType, Statement};

use crate::context::{Context, Stmt};
use crate::fix::Piece;
use crate::names::qualified;
use crate::rule::{Edit, Fix, Rule, Scope, Severity};
use crate::span::Span;

/// `SET lock_timeout = …;` inserted before `stmt`, unless the file already set one.
pub(crate) fn lock_timeout_edit(stmt: &Stmt<'_>, cx: &Context<'_>) -> Option<Edit> {
    (!cx.state.lock_timeout).then(|| Edit {
        span: Span::new(stmt.span.start, stmt.span.start),
        text: format!("SET lock_timeout = '{}';\n", cx.settings.lock_timeout),
    })
}

/// Flags the first statement that takes a strong lock on an existing table before any
/// `SET lock_timeout` in the file (reported once per file).
pub struct RequireLockTimeout;

/// Does `stmt` take a lock that blocks reads or writes on a table that existed before?
fn locks_existing_table(stmt: &Stmt<'_>, cx: &Context<'_>) -> bool {
    match stmt.ast {
        Statement::AlterTable(at) => {
            stmt.table.as_deref().is_some_and(|t| cx.existed(t))
                && !at
                    .operations
                    .iter()
                    .all(|op| matches!(op, AlterTableOperation::ValidateConstraint { .. }))
        }
        Statement::CreateIndex(ci) => !ci.concurrently && cx.existed(&qualified(&ci.table_name)),
        Statement::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        } => names.iter().any(|n| cx.existed(&qualified(n))),
        Statement::Drop {
            object_type: ObjectType::Index,
            ..
        } => !stmt.concurrently,
        _ => false,
    }
}

impl Rule for RequireLockTimeout {
    fn name(&self) -> &'static str {
        "require-lock-timeout"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "A locking statement without lock_timeout can queue all traffic on the table behind it."
    }
    fn scope(&self) -> Scope {
        Scope::OncePerFile
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        if cx.state.lock_timeout || !locks_existing_table(stmt, cx) {
            return;
        }
        let edit = lock_timeout_edit(stmt, cx);
        let help = format!(
            "start the migration with `SET lock_timeout = '{}';` and retry when it times out",
            cx.settings.lock_timeout
        );
        let v = cx
            .report(
                self,
                stmt,
                stmt.span,
                "this statement locks an existing table, and no lock_timeout is set: while it waits for the lock, every query on the table waits behind it",
            )
            .label("waits for a strong lock with no timeout")
            .help(help);
        if let Some(edit) = edit {
            // The same prerequisite as the NOT NULL rewrite's: applied once per file.
            v.fix(Fix::from_pieces(
                "set lock_timeout first".into(),
                stmt.span,
                vec![Piece::once(edit)],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RequireLockTimeout;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn fires_once() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE t ADD COLUMN a int;\nALTER TABLE t ADD COLUMN b int;",
            &RequireLockTimeout
        ));
    }

    #[test]
    fn timeout_set() {
        lint_ok(
            "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN a int;",
            &RequireLockTimeout,
        );
        lint_ok(
            "CREATE TABLE n (a int);\nALTER TABLE n ADD COLUMN b int;",
            &RequireLockTimeout,
        );
    }
}
