//! `ban-drop-column`: running application versions still select or insert the column.

use sqlparser::ast::AlterTableOperation;

use crate::context::{Context, Stmt};
use crate::rule::{Rule, Severity};
use crate::rules::alter_existing;

/// Flags `ALTER TABLE … DROP [COLUMN] [IF EXISTS] c [CASCADE]` on a table that existed before.
pub struct BanDropColumn;

const HELP: &str = "expand/contract: release application code that no longer reads or writes the \
column (e.g. add it to the ORM's ignore list), deploy it everywhere, then drop the column in a \
later migration after `SET lock_timeout = '2s'`";

impl Rule for BanDropColumn {
    fn name(&self) -> &'static str {
        "ban-drop-column"
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "Dropping a column breaks application versions that still use it."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        let Some((at, table)) = alter_existing(stmt, cx) else {
            return;
        };
        for (i, op) in at.operations.iter().enumerate() {
            if let AlterTableOperation::DropColumn { column_names, .. } = op {
                for c in column_names {
                    cx.report(
                        self,
                        stmt,
                        stmt.action(i),
                        format!(
                            "dropping column `{}` of `{}` breaks application versions that still read or write it",
                            c.value, at.name
                        ),
                    )
                    .label(format!("drops column `{}`", c.value))
                    .subject(format!("{table}.{}", crate::names::ident(c)))
                    .help(HELP);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BanDropColumn;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn every_form() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE t DROP COLUMN c;\n\
             ALTER TABLE ONLY app.\"Users\" DROP COLUMN IF EXISTS \"Email\" CASCADE;\n\
             ALTER TABLE t DROP d, ADD COLUMN e int, DROP COLUMN f RESTRICT;",
            &BanDropColumn
        ));
    }

    #[test]
    fn table_created_in_the_file() {
        lint_ok(
            "CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;",
            &BanDropColumn,
        );
    }

    #[test]
    fn comments_strings_and_function_bodies() {
        lint_ok(
            "-- ALTER TABLE t DROP COLUMN c;\n/* DROP COLUMN */ SELECT 'ALTER TABLE t DROP COLUMN c';\n\
             CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE t DROP COLUMN c; END $$;",
            &BanDropColumn,
        );
    }

    #[test]
    fn inside_a_do_block() {
        insta::assert_snapshot!(lint_errors(
            "DO $$\nBEGIN\n  IF true THEN\n    ALTER TABLE t DROP COLUMN c;\n  END IF;\nEND\n$$;",
            &BanDropColumn
        ));
    }

    #[test]
    fn a_table_the_schema_does_not_know_still_exists() {
        // A stale schema (a release.hcl rendered before the table) must not hide the drop.
        let settings = crate::Settings {
            existing_tables: Some(["public.kept".to_string()].into()),
            ..Default::default()
        };
        let sql = "SET lock_timeout = '1s';\nALTER TABLE other DROP COLUMN c;";
        let report = crate::lint("x.sql", sql, &settings);
        assert_eq!(report.violations.len(), 1);
        assert_eq!(
            report.violations[0].subject.as_deref(),
            Some("public.other.c")
        );
        assert_eq!(report.unknown_tables, vec!["public.other".to_string()]);
        // Created by an earlier migration of the same deployment: empty, nothing to break.
        let settings = crate::Settings {
            created_before: ["public.other".to_string()].into(),
            ..settings
        };
        let report = crate::lint("x.sql", sql, &settings);
        assert!(report.violations.is_empty());
        assert!(report.unknown_tables.is_empty());
    }

    #[test]
    fn acknowledged_elsewhere() {
        let settings = crate::Settings {
            acknowledged: [("ban-drop-column".to_string(), "public.t.c".to_string())].into(),
            ..Default::default()
        };
        let report = crate::lint(
            "diff.sql",
            "SET lock_timeout = '1s';\nALTER TABLE \"public\".\"t\" DROP COLUMN \"c\", DROP COLUMN d;",
            &settings,
        );
        let subjects: Vec<_> = report
            .violations
            .iter()
            .map(|v| v.subject.clone())
            .collect();
        assert_eq!(subjects, vec![Some("public.t.d".to_string())]);
        assert_eq!(report.acknowledged.len(), 1);
    }
}
