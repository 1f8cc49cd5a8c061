//! `ban-concurrent-index-in-transaction`: PostgreSQL refuses CONCURRENTLY inside a
//! transaction block, so the migration fails.

use sqlparser::ast::{ObjectType, Statement};

use crate::context::{Context, Stmt};
use crate::rule::{Rule, Severity};

/// Flags `CREATE/DROP INDEX CONCURRENTLY` while a transaction is open (an explicit `BEGIN` in
/// the file, or settings saying the migration tool wraps the file in one).
pub struct BanConcurrentIndexInTransaction;

impl Rule for BanConcurrentIndexInTransaction {
    fn name(&self) -> &'static str {
        "ban-concurrent-index-in-transaction"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "CONCURRENTLY cannot run inside a transaction block; the migration fails."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        let concurrent = match stmt.ast {
            Statement::CreateIndex(ci) => ci.concurrently,
            Statement::Drop {
                object_type: ObjectType::Index,
                ..
            } => stmt.concurrently,
            _ => false,
        };
        if concurrent && cx.in_transaction() {
            cx.report(
                self,
                stmt,
                stmt.span,
                "CONCURRENTLY cannot run inside a transaction block: this migration fails",
            )
            .label("inside a transaction")
            .help("put the statement in its own migration that runs outside a transaction (e.g. a `-- no-transaction` migration) and leave out BEGIN/COMMIT");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BanConcurrentIndexInTransaction;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn fires() {
        insta::assert_snapshot!(lint_errors(
            "BEGIN;\nCREATE INDEX CONCURRENTLY ix ON t (a);\nCOMMIT;",
            &BanConcurrentIndexInTransaction
        ));
    }

    #[test]
    fn outside_a_transaction() {
        lint_ok(
            "BEGIN;\nSELECT 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY ix ON t (a);",
            &BanConcurrentIndexInTransaction,
        );
    }
}
