//! `adding-unique-constraint`: a UNIQUE or PRIMARY KEY constraint builds its index while
//! holding an ACCESS EXCLUSIVE lock.

use sqlparser::ast::{AlterTableOperation, ColumnOption, TableConstraint};

use crate::context::{Context, Stmt};
use crate::rule::{Rule, Severity};
use crate::rules::alter_existing;

/// Flags `ADD UNIQUE/PRIMARY KEY (…)` (not `USING INDEX`) and `ADD COLUMN … UNIQUE/PRIMARY KEY`
/// on existing tables.
pub struct AddingUniqueConstraint;

impl Rule for AddingUniqueConstraint {
    fn name(&self) -> &'static str {
        "adding-unique-constraint"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "A UNIQUE or PRIMARY KEY constraint builds its index under an ACCESS EXCLUSIVE lock."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        let Some((at, _)) = alter_existing(stmt, cx) else {
            return;
        };
        for (i, op) in at.operations.iter().enumerate() {
            let kind = match op {
                AlterTableOperation::AddConstraint {
                    constraint: TableConstraint::Unique(_),
                    ..
                } => "unique constraint",
                AlterTableOperation::AddConstraint {
                    constraint: TableConstraint::PrimaryKey(_),
                    ..
                } => "primary key",
                AlterTableOperation::AddColumn { column_def, .. } => {
                    match column_def.options.iter().find_map(|o| match o.option {
                        ColumnOption::Unique(_) => Some("unique constraint"),
                        ColumnOption::PrimaryKey(_) => Some("primary key"),
                        _ => None,
                    }) {
                        Some(k) => k,
                        None => continue,
                    }
                }
                _ => continue,
            };
            cx.report(
                self,
                stmt,
                stmt.action(i),
                format!("adding a {kind} to `{}` builds its index under an ACCESS EXCLUSIVE lock", at.name),
            )
            .label("index built under lock")
            .help("first CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX (or PRIMARY KEY USING INDEX)");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AddingUniqueConstraint;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn fires() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE t ADD CONSTRAINT u UNIQUE (email), ADD PRIMARY KEY (id);",
            &AddingUniqueConstraint
        ));
    }

    #[test]
    fn using_index() {
        lint_ok(
            "CREATE UNIQUE INDEX CONCURRENTLY u_idx ON t (email);\nALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX u_idx;",
            &AddingUniqueConstraint,
        );
    }
}
