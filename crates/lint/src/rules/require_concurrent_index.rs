//! `require-concurrent-index`: a plain `CREATE INDEX` blocks writes for the whole build; a
//! plain `DROP INDEX` takes an ACCESS EXCLUSIVE lock.

use sqlparser::ast::{ObjectType, Statement};

use crate::context::{Context, Stmt};
use crate::names::qualified;
use crate::rule::{Rule, Severity};

/// Flags `CREATE INDEX` without `CONCURRENTLY` on an existing table, and `DROP INDEX` without
/// `CONCURRENTLY` of an index not created in the file.
pub struct RequireConcurrentIndex;

impl Rule for RequireConcurrentIndex {
    fn name(&self) -> &'static str {
        "require-concurrent-index"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "Creating or dropping an index without CONCURRENTLY blocks writes (or all access) to an existing table."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        match stmt.ast {
            Statement::CreateIndex(ci) if !ci.concurrently => {
                if !cx.existed(&qualified(&ci.table_name)) {
                    return;
                }
                cx.report(
                    self,
                    stmt,
                    stmt.span,
                    format!("creating an index on `{}` without CONCURRENTLY blocks writes to the table while it builds", ci.table_name),
                )
                .label("blocks writes during the build")
                .help("use CREATE INDEX CONCURRENTLY, outside a transaction block (a failed build leaves an INVALID index to drop and retry)");
            }
            Statement::Drop {
                object_type: ObjectType::Index,
                names,
                ..
            } if !stmt.concurrently => {
                let all_new = names
                    .iter()
                    .all(|n| cx.state.created_indexes.contains(&qualified(n)));
                if all_new {
                    return;
                }
                let list: Vec<String> = names.iter().map(ToString::to_string).collect();
                cx.report(
                    self,
                    stmt,
                    stmt.span,
                    format!("dropping index `{}` without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table", list.join("`, `")),
                )
                .label("blocks reads and writes")
                .help("use DROP INDEX CONCURRENTLY (one index per statement, outside a transaction block)");
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RequireConcurrentIndex;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn fires() {
        insta::assert_snapshot!(lint_errors(
            "CREATE UNIQUE INDEX ix_a ON t (a);\nDROP INDEX IF EXISTS ix_b;",
            &RequireConcurrentIndex
        ));
    }

    #[test]
    fn concurrent_or_new() {
        lint_ok(
            "CREATE INDEX CONCURRENTLY ix_a ON t (a);\nDROP INDEX CONCURRENTLY IF EXISTS ix_b;\n\
             CREATE TABLE n (a int);\nCREATE INDEX ix_n ON n (a);\nDROP INDEX ix_n;",
            &RequireConcurrentIndex,
        );
    }
}
