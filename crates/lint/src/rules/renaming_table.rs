//! `renaming-table`: running application versions still use the old name.

use sqlparser::ast::AlterTableOperation;

use crate::context::{Context, Stmt};
use crate::rule::{Rule, Severity};
use crate::rules::alter_existing;

/// Flags `ALTER TABLE a RENAME TO b` on an existing table.
pub struct RenamingTable;

impl Rule for RenamingTable {
    fn name(&self) -> &'static str {
        "renaming-table"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "Renaming a table breaks application versions that use the old name."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        let Some((at, _)) = alter_existing(stmt, cx) else {
            return;
        };
        for (i, op) in at.operations.iter().enumerate() {
            if matches!(op, AlterTableOperation::RenameTable { .. }) {
                cx.report(
                    self,
                    stmt,
                    stmt.action(i),
                    format!("renaming table `{}` breaks application versions that use the old name", at.name),
                )
                .label("renames the table")
                .help("rename it, then create a view with the old name (`CREATE VIEW old AS SELECT * FROM new`) until every application version uses the new name; or rename only in the application");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RenamingTable;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn fires() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE app.t RENAME TO u;",
            &RenamingTable
        ));
    }

    #[test]
    fn new_table() {
        lint_ok(
            "CREATE TABLE t (a int);\nALTER TABLE t RENAME TO u;",
            &RenamingTable,
        );
    }
}
