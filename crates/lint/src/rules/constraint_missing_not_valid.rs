//! `constraint-missing-not-valid`: adding a FOREIGN KEY or CHECK validates every row while
//! holding a lock that blocks writes.

use sqlparser::ast::{AlterTableOperation, ColumnOption, TableConstraint};

use crate::context::{Context, Stmt};
use crate::rule::{Rule, Severity};
use crate::rules::alter_existing;

/// Flags `ADD CONSTRAINT … FOREIGN KEY/CHECK` without `NOT VALID`, and `ADD COLUMN …
/// REFERENCES`, on existing tables.
pub struct ConstraintMissingNotValid;

impl Rule for ConstraintMissingNotValid {
    fn name(&self) -> &'static str {
        "constraint-missing-not-valid"
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "A foreign key or check added without NOT VALID scans the table while blocking writes."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        let Some((at, _)) = alter_existing(stmt, cx) else {
            return;
        };
        for (i, op) in at.operations.iter().enumerate() {
            let kind = match op {
                AlterTableOperation::AddConstraint {
                    constraint: TableConstraint::ForeignKey(_),
                    not_valid: false,
                } => "foreign key",
                AlterTableOperation::AddConstraint {
                    constraint: TableConstraint::Check(_),
                    not_valid: false,
                } => "check constraint",
                AlterTableOperation::AddColumn { column_def, .. }
                    if column_def
                        .options
                        .iter()
                        .any(|o| matches!(o.option, ColumnOption::ForeignKey(_))) =>
                {
                    "foreign key"
                }
                _ => continue,
            };
            cx.report(
                self,
                stmt,
                stmt.action(i),
                format!("adding a {kind} to `{}` validates every row while blocking writes", at.name),
            )
            .label("validated under lock")
            .help("add it with NOT VALID (only new rows are checked), then run ALTER TABLE … VALIDATE CONSTRAINT … in a separate transaction; validation does not block writes");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ConstraintMissingNotValid;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn fires() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES u (id), ADD CONSTRAINT ck CHECK (a > 0);",
            &ConstraintMissingNotValid
        ));
    }

    #[test]
    fn not_valid() {
        lint_ok(
            "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES u (id) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT fk;",
            &ConstraintMissingNotValid,
        );
    }
}
