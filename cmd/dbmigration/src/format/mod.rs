//! How a migration tool names, splits and orders its files: one module per tool, each a small
//! implementation of [`Format`], registered once in [`FORMATS`].
//!
//! # Detection
//!
//! [`detect`] asks every format whether the files look like its own, in three tiers, and uses
//! the first tier with a match. Within a tier, more than one match is an error listing them
//! (the config file or `--migrations-format` settles it).
//!
//! 1. [`Specificity::Marker`]: something only that tool writes: `atlas.sum` (Atlas),
//!    `<version>_<name>/up.sql` (diesel), `V1__x.sql` / `R__x.sql` names (Flyway),
//!    a `-- migrate:up` line (dbmate), a `-- +goose Up` line (goose),
//!    `migration_lock.toml` or `<version>_<name>/migration.sql` (Prisma Migrate).
//! 2. [`Specificity::Naming`]: `<version>_<name>.sql` names, shared by golang-migrate and sqlx.
//!    Only `.sql` files whose name starts with a digit count here.
//!    golang-migrate: each is `N_name.up.sql` or `N_name.down.sql` (down files are optional, as
//!    in golang-migrate itself) and none starts with `-- no-transaction`.
//!    sqlx: each is `N_name.sql`, `N_name.up.sql` or `N_name.down.sql`, and at least one is a
//!    simple `N_name.sql` or starts with sqlx's `-- no-transaction`. The two rules are
//!    disjoint, and on an up/down directory both tools apply the same files in the same order.
//! 3. [`Specificity::Fallback`]: any top-level `*.sql` file (plain, natural order).
//!
//! So `001_init.sql` directories read as sqlx (numeric order, `-- no-transaction` honoured)
//! and only directories without versioned names (`0001-init.sql`, `schema.sql`) as plain.
//!
//! # Names that do not fit
//!
//! Files that are not `.sql` (READMEs, `.keep`) are ignored. A `.sql` file that starts like a
//! migration of the chosen format but does not fit (`001_init.sql` in a golang-migrate
//! directory, `V2_x.sql` for Flyway) is an error that shows a valid example, because a
//! migration silently left out would render the wrong schema. Files the real tool skips
//! (`schema.sql` without a version, Flyway callbacks such as `afterMigrate.sql`) are skipped
//! too, and listed in [`Loaded::skipped`] with the reason.

pub mod atlas;
mod code;
mod dbmate;
mod diesel;
mod flyway;
mod golang_migrate;
mod goose;
mod plain;
mod prisma;
mod sqlx;
pub mod tracking;
pub mod version;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::migration::{Migration, SourceFile};
use crate::source::Source;

pub use atlas::Atlas;
pub use dbmate::Dbmate;
pub use diesel::Diesel;
pub use flyway::Flyway;
pub use golang_migrate::GolangMigrate;
pub use goose::Goose;
pub use plain::Plain;
pub use prisma::Prisma;
pub use sqlx::Sqlx;

/// How strongly a format's [`Format::detect`] evidence identifies it (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Specificity {
    /// A file or line only this tool writes.
    Marker,
    /// A naming convention other tools may share.
    Naming,
    /// Anything with `.sql` files.
    Fallback,
}

/// How one migration tool names, splits and orders its files.
pub trait Format: Sync {
    /// The name used in config and on the command line, e.g. `golang-migrate`.
    fn name(&self) -> &'static str;
    /// How specific this format's detection evidence is.
    fn specificity(&self) -> Specificity;
    /// Does this set of files look like ours? Used by auto-detection.
    fn detect(&self, files: &[SourceFile]) -> bool;
    /// The migrations in apply order. `dir` is the migrations directory as shown to the user;
    /// each [`Migration::path`] is `dir` joined with the file's relative path.
    fn migrations(&self, dir: &Path, files: &[SourceFile]) -> Result<Vec<Migration>, FormatError>;
    /// A valid file name, shown in errors and help.
    fn example(&self) -> &'static str;
    /// Files this format leaves out on purpose, each with the reason (where the real tool
    /// skips them too), so commands can say so instead of staying silent.
    fn skipped(&self, _dir: &Path, _files: &[SourceFile]) -> Vec<Skipped> {
        Vec::new()
    }
    /// The history table the real tool creates and fills while it applies the files
    /// (see [`tracking`]); `None` when the tool keeps none.
    fn tracking(&self) -> Option<tracking::Tracking> {
        None
    }
    /// How the format orders migrations, in a few words, for error messages.
    fn ordering(&self) -> &'static str;
}

/// A file the format does not apply, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file (migrations directory joined with its relative path).
    pub path: PathBuf,
    /// Why it is not applied.
    pub reason: String,
}

/// Every format, in the order they are listed to users.
pub const FORMATS: &[&dyn Format] = &[
    &GolangMigrate,
    &Atlas,
    &Diesel,
    &Sqlx,
    &Flyway,
    &Dbmate,
    &Goose,
    &Prisma,
    &Plain,
];

/// Reading migrations in some format failed.
#[derive(Debug, Error, Diagnostic)]
pub enum FormatError {
    /// No format recognises the files.
    #[error("no migrations found in {dir}: {seen}")]
    #[diagnostic(code(dbmigration::format::not_detected), help("{help}"))]
    NotDetected {
        /// The migrations directory (or source description).
        dir: String,
        /// What the directory holds, in a few words.
        seen: String,
        /// The supported formats with example names.
        help: String,
    },
    /// More than one format recognises the files.
    #[error("the migrations in {dir} fit more than one format: {}", candidates.join(", "))]
    #[diagnostic(
        code(dbmigration::format::ambiguous),
        help(
            "choose one: `migrations {{ format = \"{}\" }}` in dbmigration.hcl, or `--migrations-format {}`",
            candidates.first().map_or("plain", String::as_str),
            candidates.first().map_or("plain", String::as_str)
        )
    )]
    Ambiguous {
        /// The migrations directory (or source description).
        dir: String,
        /// The formats that matched.
        candidates: Vec<String>,
    },
    /// The configured format name is unknown.
    #[error("unknown migration format `{name}`")]
    #[diagnostic(code(dbmigration::format::unknown), help("known formats: {known}"))]
    Unknown {
        /// The name given.
        name: String,
        /// The known names.
        known: String,
    },
    /// A `.sql` file name does not fit the format.
    #[error("`{}` is not a valid {format} migration name: {reason}", path.display())]
    #[diagnostic(
        code(dbmigration::format::bad_name),
        help("{format} migrations are named like `{example}`")
    )]
    BadName {
        /// The file.
        path: PathBuf,
        /// The format.
        format: &'static str,
        /// What is wrong.
        reason: String,
        /// A valid name.
        example: &'static str,
    },
    /// Two files claim the same version.
    #[error("{format} version {version} appears twice: `{}` and `{}`", first.display(), second.display())]
    #[diagnostic(
        code(dbmigration::format::duplicate_version),
        help("each migration needs its own version; renumber one of them")
    )]
    DuplicateVersion {
        /// The format.
        format: &'static str,
        /// The version.
        version: String,
        /// One file.
        first: PathBuf,
        /// The other file.
        second: PathBuf,
    },
    /// Something inside a file is wrong (a missing section marker, …), with its location.
    #[error("{message}")]
    #[diagnostic(code(dbmigration::format::content), help("{help}"))]
    Content {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
        /// The file.
        #[source_code]
        src: Arc<NamedSource<String>>,
        /// Where.
        #[label("{label}")]
        span: SourceSpan,
        /// What the label under the span says.
        label: String,
    },
    /// Every `.sql` file was left out: the format is almost certainly the wrong one.
    #[error("no {format} migrations here; every .sql file was left out:\n  {}", skipped.join("\n  "))]
    #[diagnostic(
        code(dbmigration::format::nothing_to_apply),
        help(
            "{format} migrations are named like `{example}`; if the files are another tool's, set `migrations {{ format = \"...\" }}` in dbmigration.hcl or pass `--migrations-format`"
        )
    )]
    NothingToApply {
        /// The format used.
        format: &'static str,
        /// Each file left out, with the reason.
        skipped: Vec<String>,
        /// A valid name.
        example: &'static str,
    },
    /// `atlas.sum` is missing.
    #[error("Atlas migration directory {dir} has no atlas.sum")]
    #[diagnostic(
        code(dbmigration::format::atlas_sum_missing),
        help("run `atlas migrate hash` to create it, or choose another format")
    )]
    AtlasSumMissing {
        /// The directory.
        dir: PathBuf,
    },
    /// `atlas.sum` does not match the files.
    #[error("atlas.sum does not match the migration files: {problem}")]
    #[diagnostic(
        code(dbmigration::format::atlas_sum_mismatch),
        help(
            "a migration file was edited, added or removed without `atlas migrate hash`; run it and commit atlas.sum, or revert the change"
        )
    )]
    AtlasSumMismatch {
        /// Which file and how.
        problem: String,
        /// The sum file.
        #[source_code]
        src: Arc<NamedSource<String>>,
        /// The line that disagrees.
        #[label("{label}")]
        span: SourceSpan,
        /// Label text.
        label: String,
    },
}

impl FormatError {
    /// A [`FormatError::Content`] error at `span` in `file`.
    pub(crate) fn content(
        dir: &Path,
        file: &SourceFile,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        FormatError::Content {
            message: message.into(),
            help: help.into(),
            src: Arc::new(NamedSource::new(
                dir.join(&file.path).display().to_string(),
                file.contents.clone(),
            )),
            span: span.into(),
            label: label.into(),
        }
    }
}

/// Other names accepted for a format (besides `_` for `-`, and any case).
const ALIASES: &[(&str, &str)] = &[
    ("migrate", "golang-migrate"),
    ("go-migrate", "golang-migrate"),
];

/// The format named `name` (case-insensitive; `_` and `-` are interchangeable).
pub fn by_name(name: &str) -> Result<&'static dyn Format, FormatError> {
    let wanted = name.trim().to_ascii_lowercase().replace('_', "-");
    let wanted = ALIASES
        .iter()
        .find(|(alias, _)| *alias == wanted)
        .map_or(wanted.as_str(), |(_, name)| name);
    FORMATS
        .iter()
        .copied()
        .find(|f| f.name() == wanted)
        .ok_or_else(|| FormatError::Unknown {
            name: name.to_owned(),
            known: known_names(),
        })
}

/// `--migrations-format`'s values for clap: the names listed in `--help` and in its error,
/// the aliases and `_` spellings accepted but hidden (`by_name` reads the value).
pub fn possible_values() -> Vec<clap::builder::PossibleValue> {
    FORMATS
        .iter()
        .map(|f| {
            let name = f.name();
            let underscored = name.replace('-', "_");
            let aliases = ALIASES
                .iter()
                .filter(|(_, target)| *target == name)
                .flat_map(|(alias, _)| [(*alias).to_owned(), alias.replace('-', "_")])
                .chain((underscored != name).then_some(underscored));
            let mut value = clap::builder::PossibleValue::new(name);
            let mut seen = Vec::new();
            for alias in aliases {
                if !seen.contains(&alias) {
                    value = value.alias(alias.clone());
                    seen.push(alias);
                }
            }
            value
        })
        .collect()
}

/// The known format names, comma-separated.
pub fn known_names() -> String {
    FORMATS
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Detects the format of `files` (see the module docs for the rules).
pub fn detect(files: &[SourceFile]) -> Result<&'static dyn Format, FormatError> {
    detect_in(files, "the migrations directory")
}

fn detect_in(files: &[SourceFile], dir: &str) -> Result<&'static dyn Format, FormatError> {
    for tier in [
        Specificity::Marker,
        Specificity::Naming,
        Specificity::Fallback,
    ] {
        let hits: Vec<&'static dyn Format> = FORMATS
            .iter()
            .copied()
            .filter(|f| f.specificity() == tier && f.detect(files))
            .collect();
        match hits.as_slice() {
            [] => continue,
            [one] => return Ok(*one),
            many => {
                return Err(FormatError::Ambiguous {
                    dir: dir.to_owned(),
                    candidates: many.iter().map(|f| f.name().to_owned()).collect(),
                });
            }
        }
    }
    Err(FormatError::NotDetected {
        dir: dir.to_owned(),
        seen: summarize(files),
        help: format!(
            "supported formats, with an example name:\n{}\nif this is the wrong directory, set `migrations {{ dir = \"...\" }}` in dbmigration.hcl",
            FORMATS
                .iter()
                .map(|f| format!("  {:<15} {}", f.name(), f.example()))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    })
}

/// A few words about what a directory holds, for "not detected" errors.
fn summarize(files: &[SourceFile]) -> String {
    if files.is_empty() {
        return "it is empty".to_owned();
    }
    let shown: Vec<String> = files
        .iter()
        .take(5)
        .map(|f| format!("`{}`", f.path.display()))
        .collect();
    let more = files.len().saturating_sub(shown.len());
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("no `.sql` migration files among {}{tail}", shown.join(", "))
}

/// What [`load`] found: the format used and the migrations in apply order.
#[derive(Debug)]
pub struct Loaded {
    /// The format (given or detected).
    pub format: &'static dyn Format,
    /// The migrations, in apply order.
    pub migrations: Vec<Migration>,
    /// Files left out on purpose.
    pub skipped: Vec<Skipped>,
    /// Things the user should know that do not stop the run (code migrations left out, an
    /// `atlas.sum` that does not match), one sentence each.
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for dyn Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Reads `src`, picks the format (`format_override` by name, else detected) and returns the
/// migrations in apply order. `dir_display` is the migrations directory as shown to users.
pub fn load(
    src: &dyn Source,
    dir_display: &Path,
    format_override: Option<&str>,
) -> miette::Result<Loaded> {
    let files = src.files()?;
    let format = match format_override {
        Some(name) => by_name(name)?,
        None => detect_in(&files, &src.describe())?,
    };
    let migrations = format.migrations(dir_display, &files)?;
    let skipped = format.skipped(dir_display, &files);
    if migrations.is_empty() && !skipped.is_empty() {
        return Err(FormatError::NothingToApply {
            format: format.name(),
            skipped: skipped
                .iter()
                .map(|s| format!("{}: {}", s.path.display(), s.reason))
                .collect(),
            example: format.example(),
        }
        .into());
    }
    let mut warnings = code::warnings(dir_display, &files);
    warnings.extend(atlas::foreign_sum_warning(
        format.name(),
        dir_display,
        &files,
    ));
    Ok(Loaded {
        format,
        migrations,
        skipped,
        warnings,
    })
}

/// [`load`], keeping only the migrations: the single entry point commands call.
pub fn load_migrations(
    src: &dyn Source,
    dir_display: &Path,
    format_override: Option<&str>,
) -> miette::Result<Vec<Migration>> {
    Ok(load(src, dir_display, format_override)?.migrations)
}

// ---- helpers shared by the format modules ----

/// The file name of a top-level file, `None` for files in subdirectories or non-UTF-8 paths.
pub(crate) fn top_level_name(file: &SourceFile) -> Option<&str> {
    let mut parts = file.path.components();
    let first = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    first.as_os_str().to_str()
}

/// Top-level `.sql` files whose name starts with a digit: the ones a versioned format must
/// understand. Other `.sql` files (`schema.sql`, `seed.sql`) are skipped with a reason.
pub(crate) fn versioned_sql(files: &[SourceFile]) -> impl Iterator<Item = (&SourceFile, &str)> {
    top_level_sql(files).filter(|(_, n)| n.starts_with(|c: char| c.is_ascii_digit()))
}

/// [`Skipped`] entries for top-level `.sql` files that do not start with a version.
pub(crate) fn skipped_unversioned(dir: &Path, files: &[SourceFile], tool: &str) -> Vec<Skipped> {
    top_level_sql(files)
        .filter(|(_, n)| !n.starts_with(|c: char| c.is_ascii_digit()))
        .map(|(f, _)| Skipped {
            path: dir.join(&f.path),
            reason: format!("its name does not start with a version, so {tool} does not run it"),
        })
        .collect()
}

/// Top-level `.sql` files with their names.
pub(crate) fn top_level_sql(files: &[SourceFile]) -> impl Iterator<Item = (&SourceFile, &str)> {
    files
        .iter()
        .filter_map(|f| top_level_name(f).map(|n| (f, n)))
        .filter(|(_, n)| n.ends_with(".sql"))
}

/// Sorts `items` by `cmp` and fails on two items that compare equal, naming both files.
pub(crate) fn sort_unique<T>(
    format: &'static str,
    items: &mut [T],
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
    version: impl Fn(&T) -> String,
    path: impl Fn(&T) -> PathBuf,
) -> Result<(), FormatError> {
    items.sort_by(&cmp);
    for pair in items.windows(2) {
        if cmp(&pair[0], &pair[1]) == std::cmp::Ordering::Equal {
            return Err(FormatError::DuplicateVersion {
                format,
                version: version(&pair[1]),
                first: path(&pair[0]),
                second: path(&pair[1]),
            });
        }
    }
    Ok(())
}

/// Byte range of the whole text.
pub(crate) fn whole(text: &str) -> std::ops::Range<usize> {
    0..text.len()
}

/// Lines of `text` with their byte offsets; each line excludes its `\n` (and a `\r` before it).
/// This is how the migration tools read their annotation and config lines (Go's
/// `bufio.ScanLines`): a lone CR does not end a line for them. SQL text is split with `pgsql`.
pub(crate) fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        (start, line.strip_suffix('\r').unwrap_or(line))
    })
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::migration::SourceFile;
    use std::path::PathBuf;

    /// Files from (path, contents) pairs.
    pub(crate) fn files(list: &[(&str, &str)]) -> Vec<SourceFile> {
        list.iter()
            .map(|(p, c)| SourceFile {
                path: PathBuf::from(p),
                contents: (*c).to_owned(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::files;
    use super::*;

    #[test]
    fn names_resolve() {
        assert_eq!(by_name("golang_migrate").unwrap().name(), "golang-migrate");
        assert_eq!(by_name("PLAIN").unwrap().name(), "plain");
        assert_eq!(by_name("Flyway").unwrap().name(), "flyway");
        let err = by_name("liquibase").unwrap_err();
        assert!(err.to_string().contains("liquibase"));
    }

    #[test]
    fn every_format_has_a_unique_name() {
        let mut names: Vec<_> = FORMATS.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FORMATS.len());
    }

    #[test]
    fn empty_dir_is_not_detected() {
        let err = detect(&[]).unwrap_err();
        assert!(matches!(err, FormatError::NotDetected { .. }), "{err:?}");
    }

    #[test]
    fn readme_only_is_not_detected() {
        let err = detect(&files(&[("README.md", "hi")])).unwrap_err();
        assert!(err.to_string().contains("README.md"), "{err}");
    }

    #[test]
    fn lines_keep_offsets() {
        let v: Vec<_> = lines_with_offsets("a\r\nbc\nd").collect();
        assert_eq!(v, [(0, "a"), (3, "bc"), (6, "d")]);
    }
}
