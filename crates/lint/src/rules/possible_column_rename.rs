//! `possible-column-rename`: a drop and an add of the same type in one table often is a
//! rename written (or diffed) as two steps, which loses the column's data.

use sqlparser::ast::AlterTableOperation;

use crate::context::{Context, Stmt};
use crate::names::{canonical_type, ident};
use crate::rule::{Rule, Severity};
use crate::rules::alter_existing;

/// Hints when a column is dropped and another of the same type added to the same table.
pub struct PossibleColumnRename;

impl Rule for PossibleColumnRename {
    fn name(&self) -> &'static str {
        "possible-column-rename"
    }
    fn severity(&self) -> Severity {
        Severity::Advice
    }
    fn summary(&self) -> &'static str {
        "A column dropped and another of the same type added to the same table may be a rename that loses data."
    }
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>) {
        let Some((at, table)) = alter_existing(stmt, cx) else {
            return;
        };
        // Drops in this statement, with their types when known.
        let mut drops: Vec<(String, Option<String>)> = cx
            .state
            .dropped
            .get(&table)
            .into_iter()
            .flatten()
            .map(|d| (d.column.clone(), d.ty.clone()))
            .collect();
        let earlier = drops.len();
        for op in &at.operations {
            if let AlterTableOperation::DropColumn { column_names, .. } = op {
                for c in column_names {
                    let col = ident(c);
                    let ty = cx.state.column_type(cx.settings, &table, &col);
                    drops.push((col, ty));
                }
            }
        }
        for (i, op) in at.operations.iter().enumerate() {
            let AlterTableOperation::AddColumn { column_def, .. } = op else {
                continue;
            };
            let ty = canonical_type(&column_def.data_type);
            // Same type when known; an unknown type only counts within one statement.
            let hit = drops.iter().enumerate().find(|(j, (_, dty))| match dty {
                Some(d) => *d == ty,
                None => *j >= earlier,
            });
            if let Some((_, (old, _))) = hit {
                cx.report(
                    self,
                    stmt,
                    stmt.action(i),
                    format!(
                        "`{}` is added to `{}` where `{old}` is dropped: if this is a rename, the data in `{old}` is lost",
                        column_def.name.value, at.name
                    ),
                )
                .label("looks like a rename")
                .help(format!("to keep the data, use ALTER TABLE {} RENAME COLUMN {old} TO {} (see renaming-column for doing that safely)", at.name, column_def.name));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PossibleColumnRename;
    use crate::test_support::{lint_errors, lint_ok};

    #[test]
    fn fires() {
        insta::assert_snapshot!(lint_errors(
            "ALTER TABLE t DROP COLUMN email, ADD COLUMN email_address text;",
            &PossibleColumnRename
        ));
    }

    #[test]
    fn different_types_across_statements() {
        lint_ok(
            "ALTER TABLE t ADD COLUMN a int;\nALTER TABLE t DROP COLUMN a;\nALTER TABLE t ADD COLUMN b text;",
            &PossibleColumnRename,
        );
    }
}
