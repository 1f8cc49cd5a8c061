//! Every rule, one file each, registered in [`RULES`].

use sqlparser::ast::{AlterTable, Statement};

use crate::context::{Context, Stmt};
use crate::rule::Rule;

mod adding_unique_constraint;
mod adding_volatile_default;
mod ban_concurrent_index_in_transaction;
mod ban_drop_column;
mod ban_drop_table;
pub(crate) mod ban_unsafe_not_null;
mod changing_column_type;
mod constraint_missing_not_valid;
mod possible_column_rename;
mod renaming_column;
mod renaming_table;
mod require_concurrent_index;
pub(crate) mod require_lock_timeout;

pub use adding_unique_constraint::AddingUniqueConstraint;
pub use adding_volatile_default::AddingVolatileDefault;
pub use ban_concurrent_index_in_transaction::BanConcurrentIndexInTransaction;
pub use ban_drop_column::BanDropColumn;
pub use ban_drop_table::BanDropTable;
pub use ban_unsafe_not_null::BanUnsafeNotNull;
pub use changing_column_type::ChangingColumnType;
pub use constraint_missing_not_valid::ConstraintMissingNotValid;
pub use possible_column_rename::PossibleColumnRename;
pub use renaming_column::RenamingColumn;
pub use renaming_table::RenamingTable;
pub use require_concurrent_index::RequireConcurrentIndex;
pub use require_lock_timeout::RequireLockTimeout;

/// Every rule, in report order.
pub const RULES: &[&dyn Rule] = &[
    &BanDropColumn,
    &BanUnsafeNotNull,
    &BanDropTable,
    &RenamingColumn,
    &RenamingTable,
    &ChangingColumnType,
    &RequireConcurrentIndex,
    &BanConcurrentIndexInTransaction,
    &ConstraintMissingNotValid,
    &AddingUniqueConstraint,
    &AddingVolatileDefault,
    &RequireLockTimeout,
    &PossibleColumnRename,
];

/// Codes reported by the linter itself rather than by a rule (documented alongside rules).
pub const META_CODES: &[&str] = &[UNANALYSED_STATEMENT, UNKNOWN_RULE_IN_IGNORE];
/// A statement sqlparser could not parse (or read differently from its tokens): an error,
/// so the gate never opens on a statement nobody analysed.
pub const UNANALYSED_STATEMENT: &str = "unanalysed-statement";
/// A `dbmigration:ignore` comment names a rule that does not exist.
pub const UNKNOWN_RULE_IN_IGNORE: &str = "unknown-rule-in-ignore";

/// Looks a rule up by name.
pub fn rule(name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.name() == name)
}

/// The `ALTER TABLE` in `stmt` and its qualified table, when that table existed before the file.
pub(crate) fn alter_existing<'s>(
    stmt: &'s Stmt<'_>,
    cx: &Context<'_>,
) -> Option<(&'s AlterTable, String)> {
    let Statement::AlterTable(at) = stmt.ast else {
        return None;
    };
    let table = stmt.table.as_deref()?;
    let existed = match stmt.table_existed.get() {
        Some(e) => e,
        None => {
            let e = cx.existed(table);
            stmt.table_existed.set(Some(e));
            e
        }
    };
    existed.then(|| (at, table.to_string()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{META_CODES, RULES};

    /// `docs/lint-rules.md` has one `## name` section per rule and code, and no others.
    #[test]
    fn docs_and_rules_agree() {
        let doc = include_str!("../../../../docs/lint-rules.md");
        let documented: BTreeSet<&str> = pgsql::lines(doc)
            .filter_map(|l| l.strip_prefix("## "))
            .map(str::trim)
            .collect();
        let registered: BTreeSet<&str> = RULES
            .iter()
            .map(|r| r.name())
            .chain(META_CODES.iter().copied())
            .collect();
        assert_eq!(documented, registered);
    }

    #[test]
    fn names_are_kebab_case_and_unique() {
        let mut seen = BTreeSet::new();
        for r in RULES {
            let n = r.name();
            assert!(
                n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{n}"
            );
            assert!(seen.insert(n), "duplicate {n}");
        }
    }
}
