//! Linting as the pipeline does it: migration files by their format (up sections only, in the
//! transaction mode the tool runs them in), the migrations of one deployment in order (a table
//! created by an earlier one is new for the later ones), and the plan with the acknowledgements
//! made in those files.

use std::collections::{HashMap, HashSet};

use ::lint::{ColumnFacts, LintedFile, Settings, Severity, TableFacts};
use globset::{Glob, GlobSet, GlobSetBuilder};
use hclgen::Database;
use miette::Diagnostic;
use thiserror::Error;

use crate::migration::Migration;

/// How to lint: dbmigration.hcl's `lint { }` block, with the command line on top.
#[derive(Debug, Clone)]
pub struct LintOptions {
    /// Per-rule levels (`off`, `error`, `warning`, `advice`).
    pub levels: HashMap<String, ::lint::Level>,
    /// The `lock_timeout` rewrites set, e.g. `2s`.
    pub lock_timeout: Option<String>,
    /// Rows per backfill batch in rewrites.
    pub batch_size: Option<u32>,
    /// The PostgreSQL major version the SQL is linted for (else the server's or the default).
    pub pg_version: Option<u32>,
    /// The lowest severity that fails the run (exit status 1).
    pub fail_on: Severity,
    /// Migration files (globs on their repository path) that are not linted.
    pub exclude: Vec<String>,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            levels: HashMap::new(),
            lock_timeout: None,
            batch_size: None,
            pg_version: None,
            fail_on: Severity::Error,
            exclude: Vec::new(),
        }
    }
}

/// A `lint { exclude = [...] }` glob that does not parse (validated with the config first,
/// so this names the glob only).
#[derive(Debug, Error, Diagnostic)]
#[error("invalid exclude glob `{glob}`: {message}")]
#[diagnostic(
    code(dbmigration::lint::exclude),
    help("write a glob on the repository path, e.g. `db/migrations/0001_*.sql`")
)]
pub struct BadGlob {
    glob: String,
    message: String,
}

impl LintOptions {
    /// The lint settings for SQL run on PostgreSQL `server_version` (the options' own
    /// `pg_version` wins) against `schema` when one is known.
    pub fn settings(&self, server_version: u32, schema: Option<&Database>) -> Settings {
        let mut settings = Settings {
            pg_version: self.pg_version.unwrap_or(server_version),
            levels: self.levels.clone(),
            ..Settings::default()
        };
        if let Some(t) = &self.lock_timeout {
            settings.lock_timeout = t.clone();
        }
        if let Some(b) = self.batch_size {
            settings.batch_size = b;
        }
        if let Some(db) = schema {
            schema_facts(db, &mut settings);
        }
        settings
    }

    /// The excluded paths as one matcher.
    pub fn excluded(&self) -> Result<GlobSet, BadGlob> {
        let mut set = GlobSetBuilder::new();
        for g in &self.exclude {
            let glob = Glob::new(g).map_err(|e| BadGlob {
                glob: g.clone(),
                message: e.kind().to_string(),
            })?;
            set.add(glob);
        }
        set.build().map_err(|e| BadGlob {
            glob: self.exclude.join(", "),
            message: e.to_string(),
        })
    }

    /// Does any finding reach the fail level?
    pub fn fails(&self, files: &[LintedFile]) -> bool {
        files
            .iter()
            .flat_map(|f| &f.violations)
            .any(|v| v.severity <= self.fail_on)
    }
}

/// Which tables exist, their columns and primary keys, from a schema model.
pub fn schema_facts(db: &Database, settings: &mut Settings) {
    let mut existing = HashSet::new();
    for table in &db.tables {
        let key = format!("{}.{}", table.name.schema, table.name.name);
        let facts = TableFacts {
            columns: table
                .columns
                .iter()
                .map(|c| {
                    (
                        c.name.clone(),
                        ColumnFacts {
                            type_sql: c.ty.to_sql(),
                            not_null: !c.nullable,
                        },
                    )
                })
                .collect(),
            primary_key: table
                .primary_key
                .as_ref()
                .map(|pk| pk.columns.clone())
                .unwrap_or_default(),
        };
        settings.tables.insert(key.clone(), facts);
        existing.insert(key);
    }
    settings.existing_tables = Some(existing);
}

/// How the migrations of one lint relate to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sequence {
    /// They run together, in order (the new migrations of a release): a table created by one
    /// is new, hence empty, for the ones after it.
    OneDeployment,
    /// Each file on its own (a whole directory: every file was once a release of its own).
    EachOnItsOwn,
}

/// The text linted for a migration: the file with everything outside its up section blanked
/// (line breaks kept, so positions are the file's), except file-wide acknowledgements, which
/// hold wherever they are written.
pub fn up_text(m: &Migration) -> String {
    let mut out = String::with_capacity(m.source.len());
    let mut pos = 0;
    for line in m.source.split_inclusive('\n') {
        let range = pos..pos + line.len();
        pos = range.end;
        let inside = range.start >= m.up.start && range.end <= m.up.end;
        if inside || line.trim_start().starts_with("-- dbmigration:ignore-file") {
            out.push_str(line);
            continue;
        }
        // A line partly inside the up section (a one-line file, a marker on the same line)
        // keeps its up part.
        for (i, ch) in line.char_indices() {
            let at = range.start + i;
            if m.up.contains(&at) || ch == '\n' || ch == '\r' {
                out.push(ch);
            } else {
                // One byte per byte of the original, so offsets stay the file's.
                out.extend(std::iter::repeat_n(' ', ch.len_utf8()));
            }
        }
    }
    out
}

/// Lints `migrations` as their tool runs them: the up section, inside one transaction unless
/// the file or format opts out. Files whose up section is empty, and files matching
/// `options.exclude`, are left out.
pub fn lint_migrations(
    migrations: &[&Migration],
    base: &Settings,
    sequence: Sequence,
    options: &LintOptions,
) -> Result<Vec<LintedFile>, BadGlob> {
    let excluded = options.excluded()?;
    let mut created: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for m in migrations {
        if excluded.is_match(&m.path) || m.up_sql().trim().is_empty() {
            continue;
        }
        let settings = Settings {
            in_transaction: m.transactional,
            created_before: created.clone(),
            ..base.clone()
        };
        let mut linted = ::lint::lint(m.path.display().to_string(), up_text(m), &settings);
        // The blanked text has the file's offsets and line breaks: reports and rewrites work
        // on the file itself, and a rewrite keeps its down section.
        linted.source.clone_from(&m.source);
        if sequence == Sequence::OneDeployment {
            created.extend(linted.created_tables.iter().cloned());
        }
        out.push(linted);
    }
    Ok(out)
}

/// The `(rule, subject)` of every finding acknowledged in `files`.
pub fn acknowledgements(files: &[LintedFile]) -> HashSet<(String, String)> {
    files
        .iter()
        .flat_map(|f| &f.acknowledged)
        .filter_map(|v| Some((v.rule.to_owned(), v.subject.clone()?)))
        .collect()
}

/// Lints the plan (`diff.sql`): it marks its own transaction boundaries, and what the new
/// migrations acknowledged is acknowledged here too.
pub fn lint_plan(
    name: &str,
    sql: &str,
    base: &Settings,
    acknowledged: HashSet<(String, String)>,
) -> LintedFile {
    let settings = Settings {
        in_transaction: false,
        acknowledged,
        ..base.clone()
    };
    ::lint::lint(name, sql, &settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goose(source: &str, up: std::ops::Range<usize>) -> Migration {
        Migration {
            version: "1".into(),
            name: "x".into(),
            path: "db/1_x.sql".into(),
            source: source.into(),
            up,
            down: None,
            transactional: true,
        }
    }

    #[test]
    fn only_the_up_section_keeps_its_text() {
        let src = "-- dbmigration:ignore-file ban-drop-table\n-- +goose Up\nALTER TABLE t ADD c int;\n-- +goose Down\nALTER TABLE t DROP c;\n";
        let up_start = src.find("ALTER").unwrap();
        let up_end = src.find("-- +goose Down").unwrap();
        let text = up_text(&goose(src, up_start..up_end));
        assert_eq!(text.len(), src.len());
        assert_eq!(pgsql::lines(&text).count(), pgsql::lines(src).count());
        assert!(text.contains("ignore-file ban-drop-table"));
        assert!(text.contains("ADD c int"));
        assert!(!text.contains("DROP c"), "{text}");
        assert!(!text.contains("goose"), "{text}");
    }
}
