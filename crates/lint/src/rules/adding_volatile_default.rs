//! `adding-volatile-default`: a column whose value is computed per row rewrites the table.

use sqlparser::ast::{AlterTableOperation, ColumnOption, GeneratedAs};

use crate::context::{Context, Stmt};
use crate::rule::{Rule, Severity};
use crate::rules::alter_existing;
use crate::rules::ban_unsafe_not_null::{default_of, is_not_null, self_filled};
use crate::volatility::{Volatility, volatile_call, volatility};

/// Flags `ADD COLUMN` with a volatile default, a serial/identity column or a stored generated
/// column on an existing table. (A NOT NULL column with a volatile default is reported by
/// `ban-unsafe-not-null`, which has the rewrite.) Before PostgreSQL 11 any default counts.
pub struct AddingVolatileDefault;

impl Rule for AddingVolatileDefault {
    fn name(&self) -> &'static str {
        "adding-volatile-default"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "Adding a column whose default is computed per row rewrites the table under an ACCESS EXCLUSIVE lock."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        let Some((at, table)) = alter_existing(stmt, cx) else {
            return;
        };
        for (i, op) in at.operations.iter().enumerate() {
            let AlterTableOperation::AddColumn { column_def, .. } = op else {
                continue;
            };
            let what = if self_filled(column_def) {
                let stored = column_def.options.iter().any(|o| {
                    matches!(
                        &o.option,
                        ColumnOption::Generated {
                            generation_expr: Some(_),
                            ..
                        }
                    )
                });
                let identity = column_def.options.iter().any(|o| {
                    matches!(
                        &o.option,
                        ColumnOption::Generated {
                            generated_as: GeneratedAs::Always | GeneratedAs::ByDefault,
                            generation_expr: None,
                            ..
                        }
                    )
                });
                if stored {
                    "a stored generated column"
                } else if identity {
                    "an identity column"
                } else {
                    "a serial column"
                }
            } else {
                match default_of(column_def) {
                    Some(e) => match volatility(e) {
                        Volatility::Volatile if !is_not_null(column_def) => "a volatile default",
                        Volatility::Safe | Volatility::Volatile if cx.settings.pg_version < 11 => {
                            "a default (before PostgreSQL 11)"
                        }
                        _ => continue,
                    },
                    None => continue,
                }
            };
            let call = default_of(column_def)
                .and_then(volatile_call)
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            cx.report(
                self,
                stmt,
                stmt.action(i),
                format!(
                    "adding column `{}` to `{}` with {what}{call} rewrites the table under an ACCESS EXCLUSIVE lock",
                    column_def.name.value, at.name
                ),
            )
            .label("table rewrite")
            .subject(format!("{table}.{}", crate::names::ident(&column_def.name)))
            .help("add the column without a default, ALTER COLUMN … SET DEFAULT for new rows, then backfill existing rows in batches outside the transaction");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AddingVolatileDefault;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn fires() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE t ADD COLUMN a uuid DEFAULT gen_random_uuid(), ADD COLUMN b bigserial, ADD COLUMN c int GENERATED ALWAYS AS (a2 * 2) STORED;",
            &AddingVolatileDefault
        ));
    }

    #[test]
    fn constant_defaults() {
        lint_ok(
            "ALTER TABLE t ADD COLUMN a int DEFAULT 0, ADD COLUMN b timestamptz DEFAULT now(), ADD COLUMN c jsonb DEFAULT '{}'::jsonb;",
            &AddingVolatileDefault,
        );
    }
}
