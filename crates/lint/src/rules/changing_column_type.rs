//! `changing-column-type`: most type changes rewrite the table under an ACCESS EXCLUSIVE lock.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

use crate::context::{Context, Stmt};
use crate::names::{canonical_type, ident, is_binary_coercible};
use crate::rule::{Rule, Severity};
use crate::rules::alter_existing;

/// Flags `ALTER COLUMN … TYPE` on existing tables, except binary-coercible changes when the old
/// type is known (from the schema or the file) and there is no `USING`.
pub struct ChangingColumnType;

impl Rule for ChangingColumnType {
    fn name(&self) -> &'static str {
        "changing-column-type"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "Changing a column's type rewrites the table and its indexes under an ACCESS EXCLUSIVE lock."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        let Some((at, table)) = alter_existing(stmt, cx) else {
            return;
        };
        for (i, op) in at.operations.iter().enumerate() {
            let AlterTableOperation::AlterColumn {
                column_name,
                op:
                    AlterColumnOperation::SetDataType {
                        data_type, using, ..
                    },
            } = op
            else {
                continue;
            };
            let new = canonical_type(data_type);
            let old = cx
                .state
                .column_type(cx.settings, &table, &ident(column_name));
            if using.is_none() && old.as_deref().is_some_and(|o| is_binary_coercible(o, &new)) {
                continue;
            }
            let from = old.map_or_else(String::new, |o| format!(" from {o}"));
            cx.report(
                self,
                stmt,
                stmt.action(i),
                format!(
                    "changing the type of `{}` in `{}`{from} to {new} rewrites the table under an ACCESS EXCLUSIVE lock",
                    column_name.value, at.name
                ),
            )
            .label("table rewrite")
            .subject(format!("{table}.{}", ident(column_name)))
            .help("only binary-coercible changes are free (varchar(n) to varchar(m>n) or text, numeric(p,s) to numeric(q>p,s)); otherwise add a new column, write both, backfill in batches, switch reads, then drop the old column");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ChangingColumnType;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn an_acknowledgement_from_another_file_covers_its_column_only() {
        // The plan inherits what the migrations acknowledged: `a`'s change, not `b`'s.
        let settings = crate::Settings {
            acknowledged: [("changing-column-type".into(), "public.t.a".into())].into(),
            ..Default::default()
        };
        let sql = "SET lock_timeout = '1s';\nALTER TABLE t ALTER COLUMN a TYPE bigint;\nALTER TABLE t ALTER COLUMN b TYPE bigint;\n";
        let report = crate::lint("diff.sql", sql, &settings);
        let subjects: Vec<_> = report
            .violations
            .iter()
            .map(|v| (v.rule, v.subject.clone()))
            .collect();
        assert_eq!(
            subjects,
            vec![("changing-column-type", Some("public.t.b".to_string()))]
        );
        assert_eq!(report.acknowledged.len(), 1);
    }

    #[test]
    fn fires() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE t ALTER COLUMN a TYPE bigint, ALTER COLUMN b SET DATA TYPE text USING b::text;",
            &ChangingColumnType
        ));
    }

    #[test]
    fn binary_coercible_with_known_old_type() {
        let mut settings = crate::Settings::default();
        let mut facts = crate::TableFacts::default();
        facts.columns.insert(
            "name".into(),
            crate::ColumnFacts {
                type_sql: "character varying(10)".into(),
                not_null: false,
            },
        );
        settings.tables.insert("public.t".into(), facts);
        let r = crate::lint(
            "x.sql",
            "ALTER TABLE t ALTER COLUMN name TYPE varchar(20);\nALTER TABLE t ALTER COLUMN name TYPE text;",
            &settings,
        );
        assert!(
            r.violations
                .iter()
                .all(|v| v.rule != "changing-column-type"),
            "{:?}",
            r.violations
        );
        lint_ok(
            "CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint;",
            &ChangingColumnType,
        );
    }
}
