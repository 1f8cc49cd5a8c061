//! The table each migration tool keeps its history in. Real tools create it before their
//! first migration and write a row per migration, and real migrations read and write it
//! (a data fix that checks `schema_migrations`, a baseline that inserts into it), so it must
//! exist while the history is replayed. It is still tooling state: hclgen leaves the known
//! names out of the rendered schema ([`hclgen::TRACKING_TABLES`]), and a renamed one
//! (`migrations { table = "schema_om" }`) is excluded by name.
//!
//! Each format declares its table in its own file ([`super::Format::tracking`]); this module
//! only holds the shape and the quoting.

use crate::migration::Migration;

/// One statement with its parameters, all sent as text (the SQL casts them).
pub type Statement = (&'static str, Vec<String>);

/// A tool's history table, as the tool creates and fills it.
#[derive(Clone, Copy)]
pub struct Tracking {
    /// The tool's default name, schema-qualified when the tool puts it in its own schema.
    pub table: &'static str,
    /// What the tool runs before its first migration; `{table}` stands for the quoted name.
    pub create: &'static [&'static str],
    /// What the tool runs after migration number `rank` (1-based) succeeded.
    pub record: fn(&Migration, usize) -> Vec<Statement>,
}

impl std::fmt::Debug for Tracking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.table)
    }
}

/// `name` (optionally `schema.name`) as a quoted SQL identifier: each part in double quotes,
/// inner quotes doubled, so a configured name can never become SQL.
pub fn quote_table(name: &str) -> String {
    name.split('.')
        .map(|part| format!("\"{}\"", part.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(".")
}

/// `sql` with `{table}` replaced by the quoted table name.
pub fn with_table(sql: &str, table: &str) -> String {
    sql.replace("{table}", &quote_table(table))
}

/// Lower-case hex, for checksums passed as text.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_part_by_part() {
        assert_eq!(quote_table("schema_om"), "\"schema_om\"");
        assert_eq!(quote_table("a.b"), "\"a\".\"b\"");
        assert_eq!(quote_table("x\"; drop"), "\"x\"\"; drop\"");
        assert_eq!(
            with_table("TRUNCATE {table}", "schema_om"),
            "TRUNCATE \"schema_om\""
        );
    }
}
