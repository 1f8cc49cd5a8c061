//! `ban-drop-table`: running application versions still query the table.

use sqlparser::ast::{ObjectType, Statement};

use crate::context::{Context, Stmt};
use crate::names::qualified;
use crate::rule::{Rule, Severity};

/// Flags `DROP TABLE` of a table that existed before the file.
pub struct BanDropTable;

impl Rule for BanDropTable {
    fn name(&self) -> &'static str {
        "ban-drop-table"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "Dropping a table breaks application versions that still use it and loses its data."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        let Statement::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        } = stmt.ast
        else {
            return;
        };
        for n in names {
            if cx.existed(&qualified(n)) {
                cx.report(
                    self,
                    stmt,
                    stmt.span,
                    format!("dropping table `{n}` breaks application versions that still use it and deletes its data"),
                )
                .label(format!("drops table `{n}`"))
                .help("release code that no longer uses the table, deploy it everywhere, then drop it in a later migration (renaming it first catches stragglers without losing data)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BanDropTable;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn fires() {
        insta::assert_snapshot!(lint_errors(
            "DROP TABLE IF EXISTS app.orders CASCADE;",
            &BanDropTable
        ));
    }

    #[test]
    fn new_table() {
        lint_ok("CREATE TABLE t (a int);\nDROP TABLE t;", &BanDropTable);
    }
}
