//! `renaming-column`: running application versions still use the old name.

use sqlparser::ast::AlterTableOperation;

use crate::context::{Context, Stmt};
use crate::rule::{Rule, Severity};
use crate::rules::alter_existing;

/// Flags `ALTER TABLE … RENAME [COLUMN] a TO b` on an existing table.
pub struct RenamingColumn;

impl Rule for RenamingColumn {
    fn name(&self) -> &'static str {
        "renaming-column"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "Renaming a column breaks application versions that use the old name."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        let Some((at, table)) = alter_existing(stmt, cx) else {
            return;
        };
        for (i, op) in at.operations.iter().enumerate() {
            if let AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } = op
            {
                cx.report(
                    self,
                    stmt,
                    stmt.action(i),
                    format!(
                        "renaming column `{}` of `{}` to `{}` breaks application versions that use the old name",
                        old_column_name.value, at.name, new_column_name.value
                    ),
                )
                .label("renames the column")
                .subject(format!("{table}.{}", crate::names::ident(old_column_name)))
                .help("add the new column, write both and backfill, switch reads, then drop the old one in a later release; or keep the database name and rename only in the application (ORM column mapping)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RenamingColumn;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn fires() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE t RENAME COLUMN a TO b;",
            &RenamingColumn
        ));
    }

    #[test]
    fn new_table() {
        lint_ok(
            "CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;",
            &RenamingColumn,
        );
    }
}
