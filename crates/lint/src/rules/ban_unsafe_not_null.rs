//! `ban-unsafe-not-null`: NOT NULL added in a way that fails on existing rows or locks the
//! table for a full scan.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, ColumnDef, ColumnOption};

use crate::context::{Context, Stmt};

pub mod rewrite;

use crate::names::{canonical_type, ident};
use crate::rule::{Rule, Severity};
use crate::rules::alter_existing;
use crate::volatility::{Volatility, volatile_call, volatility};
use rewrite::Target;

/// Flags `ADD COLUMN … NOT NULL` without a usable default (none, `DEFAULT NULL`, or a volatile
/// one) and `ALTER COLUMN … SET NOT NULL` on existing tables, unless the file first proved
/// the column non-null with a validated `CHECK (c IS NOT NULL)`.
pub struct BanUnsafeNotNull;

/// Columns PostgreSQL fills itself: identity, serial, generated.
pub(crate) fn self_filled(def: &ColumnDef) -> bool {
    let ty = canonical_type(&def.data_type);
    matches!(
        ty.as_str(),
        "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" | "serial2"
    ) || def
        .options
        .iter()
        .any(|o| matches!(o.option, ColumnOption::Generated { .. }))
}

pub(crate) fn is_not_null(def: &ColumnDef) -> bool {
    def.options.iter().any(|o| {
        matches!(
            o.option,
            ColumnOption::NotNull | ColumnOption::PrimaryKey(_)
        )
    })
}

pub(crate) fn default_of(def: &ColumnDef) -> Option<&sqlparser::ast::Expr> {
    def.options.iter().find_map(|o| match &o.option {
        ColumnOption::Default(e) => Some(e),
        _ => None,
    })
}

impl Rule for BanUnsafeNotNull {
    fn name(&self) -> &'static str {
        "ban-unsafe-not-null"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "NOT NULL added so that it fails on existing rows or scans the table under an ACCESS EXCLUSIVE lock."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        let Some((at, table)) = alter_existing(stmt, cx) else {
            return;
        };
        let table_sql = at.name.to_string();
        for (i, op) in at.operations.iter().enumerate() {
            match op {
                AlterTableOperation::AddColumn { column_def, .. } => {
                    if !is_not_null(column_def) || self_filled(column_def) {
                        continue;
                    }
                    let col = &column_def.name;
                    let default = default_of(column_def);
                    let (message, wanted) = match default.map(volatility) {
                        None => (
                            format!(
                                "adding NOT NULL column `{}` to `{table_sql}` without a default fails as soon as the table has rows",
                                col.value
                            ),
                            None,
                        ),
                        Some(Volatility::Null) => (
                            format!(
                                "adding NOT NULL column `{}` to `{table_sql}` with DEFAULT NULL fails as soon as the table has rows",
                                col.value
                            ),
                            None,
                        ),
                        Some(Volatility::Volatile) => {
                            let call = default
                                .and_then(volatile_call)
                                .unwrap_or_else(|| "the default".into());
                            (
                                format!(
                                    "adding NOT NULL column `{}` to `{table_sql}` with volatile default {call} rewrites the whole table under an ACCESS EXCLUSIVE lock",
                                    col.value
                                ),
                                default.map(ToString::to_string),
                            )
                        }
                        Some(Volatility::Safe) => continue,
                    };
                    let column = ident(col);
                    let column_sql = col.to_string();
                    let target = Target {
                        table_sql: &table_sql,
                        table_key: &table,
                        column_sql: &column_sql,
                        column: &column,
                    };
                    let has_pk = column_def.options.iter().any(|o| {
                        matches!(
                            o.option,
                            ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_)
                        )
                    });
                    let fix = if stmt.in_do || has_pk {
                        None
                    } else {
                        rewrite::add_column_not_null(stmt, cx, i, &target, wanted.as_deref())
                    };
                    let help = if fix.is_some() {
                        "add the column nullable, backfill existing rows in batches, then enforce NOT NULL through a validated CHECK; `dbmigration lint --fix` writes the rewrite below"
                    } else {
                        "add the column nullable, backfill existing rows in batches, then add CHECK (c IS NOT NULL) NOT VALID, VALIDATE it, SET NOT NULL and drop the check"
                    };
                    let v = cx
                        .report(self, stmt, stmt.action(i), message)
                        .label("NOT NULL column without a usable default")
                        .subject(format!("{table}.{column}"))
                        .help(help);
                    if let Some(f) = fix {
                        v.fix(f);
                    }
                }
                AlterTableOperation::AlterColumn {
                    column_name,
                    op: AlterColumnOperation::SetNotNull,
                } => {
                    let column = ident(column_name);
                    let key = (table.clone(), column.clone());
                    if cx.settings.pg_version >= 12 && cx.state.proven_not_null.contains_key(&key) {
                        continue;
                    }
                    let already = cx
                        .settings
                        .tables
                        .get(&table)
                        .and_then(|t| t.columns.get(&column))
                        .is_some_and(|c| c.not_null);
                    if already {
                        continue;
                    }
                    let column_sql = column_name.to_string();
                    let target = Target {
                        table_sql: &table_sql,
                        table_key: &table,
                        column_sql: &column_sql,
                        column: &column,
                    };
                    let fix = if stmt.in_do {
                        None
                    } else {
                        rewrite::set_not_null(stmt, cx, i, &target)
                    };
                    // The rewrite depends on the version: say which one was assumed.
                    let pg = cx.settings.pg_version;
                    let help = if fix.is_some() {
                        format!(
                            "prove the column non-null with a CHECK added NOT VALID and validated separately; SET NOT NULL then skips its scan (PostgreSQL 12+; assuming {pg}); `dbmigration lint --fix` writes the rewrite below"
                        )
                    } else {
                        format!(
                            "add CHECK (c IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (no scan on PostgreSQL 12+; assuming {pg}) and drop the check"
                        )
                    };
                    let v = cx
                        .report(
                            self,
                            stmt,
                            stmt.action(i),
                            format!(
                                "SET NOT NULL on `{}` of `{table_sql}` scans the whole table under an ACCESS EXCLUSIVE lock and fails on any NULL",
                                column_name.value
                            ),
                        )
                        .label("full scan under ACCESS EXCLUSIVE")
                        .subject(format!("{table}.{column}"))
                        .help(help);
                    if let Some(f) = fix {
                        v.fix(f);
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BanUnsafeNotNull;
    use crate::test_support::{fixed, lint_errors, lint_ok};

    #[test]
    fn add_column_without_default() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE users ADD COLUMN email text NOT NULL;",
            &BanUnsafeNotNull
        ));
    }

    #[test]
    fn add_column_default_null_and_volatile() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE t ADD COLUMN a int DEFAULT NULL NOT NULL, ADD COLUMN b uuid NOT NULL DEFAULT gen_random_uuid();",
            &BanUnsafeNotNull
        ));
    }

    #[test]
    fn set_not_null() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE app.\"Users\" ALTER COLUMN \"Email\" SET NOT NULL;",
            &BanUnsafeNotNull
        ));
    }

    #[test]
    fn safe_forms() {
        lint_ok(
            "ALTER TABLE t ADD COLUMN a int NOT NULL DEFAULT 0;\n\
             ALTER TABLE t ADD COLUMN b timestamptz NOT NULL DEFAULT now();\n\
             ALTER TABLE t ADD COLUMN c timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP;\n\
             ALTER TABLE t ADD COLUMN d bigint GENERATED ALWAYS AS IDENTITY NOT NULL;\n\
             ALTER TABLE t ADD COLUMN e bigserial NOT NULL;\n\
             ALTER TABLE t ADD COLUMN f text;\n\
             CREATE TABLE n (a int);\nALTER TABLE n ADD COLUMN g int NOT NULL;\nALTER TABLE n ALTER COLUMN a SET NOT NULL;",
            &BanUnsafeNotNull,
        );
    }

    #[test]
    fn validated_check_proves_the_column() {
        lint_ok(
            "ALTER TABLE t ADD CONSTRAINT t_c_nn CHECK (c IS NOT NULL) NOT VALID;\n\
             ALTER TABLE t VALIDATE CONSTRAINT t_c_nn;\n\
             ALTER TABLE t ALTER COLUMN c SET NOT NULL;\n\
             ALTER TABLE t DROP CONSTRAINT t_c_nn;",
            &BanUnsafeNotNull,
        );
    }

    #[test]
    fn unvalidated_or_other_column_check_does_not() {
        let sql = "ALTER TABLE t ADD CONSTRAINT t_c_nn CHECK (c IS NOT NULL) NOT VALID;\n\
                   ALTER TABLE t ALTER COLUMN c SET NOT NULL;\n\
                   ALTER TABLE t ADD CONSTRAINT t_d_nn CHECK (d IS NOT NULL) NOT VALID;\n\
                   ALTER TABLE t VALIDATE CONSTRAINT t_d_nn;\n\
                   ALTER TABLE t ALTER COLUMN c SET NOT NULL;";
        let report = crate::lint("x.sql", sql, &crate::Settings::default());
        let n = report
            .violations
            .iter()
            .filter(|v| v.rule == "ban-unsafe-not-null")
            .count();
        assert_eq!(n, 2);
    }

    #[test]
    fn rewrite_of_add_column() {
        insta::assert_snapshot!(fixed(
            "ALTER TABLE app.orders ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid(), ADD COLUMN note text;\n"
        ));
    }

    #[test]
    fn one_lock_timeout_for_the_whole_file() {
        let out = fixed(
            "ALTER TABLE a ADD COLUMN x int NOT NULL;\nALTER TABLE b ALTER COLUMN y SET NOT NULL;\n",
        );
        assert_eq!(out.matches("SET lock_timeout").count(), 1, "{out}");
        assert!(out.starts_with("SET lock_timeout = '2s';\nALTER TABLE a ADD COLUMN x int;"));
    }

    #[test]
    fn rewrite_of_set_not_null() {
        insta::assert_snapshot!(fixed(
            "ALTER TABLE orders ALTER COLUMN placed_at SET NOT NULL;\n"
        ));
    }
}
