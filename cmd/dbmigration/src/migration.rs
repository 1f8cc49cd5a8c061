//! The two values that flow from migration sources to the database: files and migrations.

use std::path::PathBuf;

/// One file under the migrations root, as read from disk or from a git tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the migrations root, with `/` separators.
    pub path: PathBuf,
    /// File contents (UTF-8; a non-UTF-8 file is an error naming it).
    pub contents: String,
}

/// One migration, ready to apply. Formats return them already sorted in apply order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// Version as written in the file name (`001`, `20240101120000`, `1.2.3`, or `R` for Flyway
    /// repeatables).
    pub version: String,
    /// Descriptive part of the name (`add_users`).
    pub name: String,
    /// Path shown in diagnostics: the migrations directory joined with the file's relative path,
    /// e.g. `db/migrations/001_add_users.up.sql`.
    pub path: PathBuf,
    /// The whole file text (diagnostics render it with line numbers).
    pub source: String,
    /// Byte range of the up section inside `source` (the whole file for one-file-per-direction
    /// formats; the `-- migrate:up` / `-- +goose Up` section otherwise).
    pub up: std::ops::Range<usize>,
    /// The down section or file, when the format has one.
    pub down: Option<String>,
    /// `false` when the format or the file opts out of the per-migration transaction
    /// (dbmate `transaction:false`, goose `NO TRANSACTION`, sqlx `-- no-transaction`).
    /// `apply` additionally runs files with `CREATE INDEX CONCURRENTLY` & co. outside one.
    pub transactional: bool,
}

impl Migration {
    /// The SQL of the up section.
    pub fn up_sql(&self) -> &str {
        self.source.get(self.up.clone()).unwrap_or_default()
    }

    /// The file name (last path component) for progress lines.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string())
    }
}
