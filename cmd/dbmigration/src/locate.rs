//! Finding the migrations directory, in this order: `--migrations-dir`, else `dbmigration.hcl`
//! at the repository root (at the same ref, so each ref carries its own config), else
//! `atlas.hcl` at the root (its `env` blocks' `migration { dir format exclude }`, see
//! [`crate::atlas_hcl`]), else discovery: every directory in the tree (at any depth) that holds
//! migration-like files (`001_x.sql`, `V1__x.sql`, `<version>_x/up.sql`,
//! `<ts>_x/migration.sql`, `atlas.sum`, `migration_lock.toml`), skipping hidden, vendored and
//! test-data directories ([`SKIPPED_DIRS`]). Exactly one must be found; several is an error
//! that lists each with its format and number of migrations.
//!
//! The format follows the same precedence: `--migrations-format`, else the config's `format`,
//! else atlas.hcl's, else auto-detection ([`crate::format::detect`]).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

use crate::config::{self, Config, ConfigError};
use crate::format::{self, Loaded};
use crate::source::{DirSource, GitRef, GitSource, SourceError};

/// Directories discovery does not enter (besides hidden ones): vendored code, dependencies,
/// build output and test data, whose `.sql` files are not the project's history.
pub const SKIPPED_DIRS: &[&str] = &[
    "vendor",
    "node_modules",
    "third_party",
    "target",
    "dist",
    "build",
    "testdata",
    "test",
    "tests",
    "__tests__",
    "fixtures",
    "examples",
    "example",
];

fn skip_dir(name: &str) -> bool {
    name.starts_with('.') || SKIPPED_DIRS.contains(&name)
}

/// A repository's files at one point: a git ref, or the work tree on disk.
pub trait RepoTree {
    /// Whether `rel` (relative to the repository root) is a directory.
    fn is_dir(&self, rel: &Path) -> Result<bool, SourceError>;
    /// The text of the file `rel`, `None` when absent.
    fn read_file(&self, rel: &Path) -> Result<Option<String>, SourceError>;
    /// For messages, e.g. "`release` (1a2b3c4)".
    fn describe(&self) -> String;
    /// Every regular file's path, not entering directories `skip_dir` rejects.
    fn paths(&self, skip_dir: &dyn Fn(&str) -> bool) -> Result<Vec<PathBuf>, SourceError>;
}

impl RepoTree for GitRef {
    fn is_dir(&self, rel: &Path) -> Result<bool, SourceError> {
        GitRef::is_dir(self, rel)
    }
    fn read_file(&self, rel: &Path) -> Result<Option<String>, SourceError> {
        GitRef::read_file(self, rel)
    }
    fn describe(&self) -> String {
        format!("`{}` ({})", self.revspec(), self.short_id())
    }
    fn paths(&self, skip_dir: &dyn Fn(&str) -> bool) -> Result<Vec<PathBuf>, SourceError> {
        GitRef::paths(self, skip_dir)
    }
}

/// The repository's work tree on disk.
#[derive(Debug, Clone)]
pub struct WorkTree {
    /// The repository root.
    pub root: PathBuf,
}

impl RepoTree for WorkTree {
    fn is_dir(&self, rel: &Path) -> Result<bool, SourceError> {
        Ok(self.root.join(rel).is_dir())
    }
    fn read_file(&self, rel: &Path) -> Result<Option<String>, SourceError> {
        let path = self.root.join(rel);
        match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes)
                .map(Some)
                .map_err(|e| SourceError::NotUtf8 {
                    path,
                    offset: e.utf8_error().valid_up_to(),
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(SourceError::Io { path, source }),
        }
    }
    fn describe(&self) -> String {
        format!("the work tree `{}`", self.root.display())
    }
    fn paths(&self, skip_dir: &dyn Fn(&str) -> bool) -> Result<Vec<PathBuf>, SourceError> {
        let mut out = Vec::new();
        let mut pending = vec![PathBuf::new()];
        while let Some(rel) = pending.pop() {
            let abs = self.root.join(&rel);
            let io = |source| SourceError::Io {
                path: abs.clone(),
                source,
            };
            for entry in std::fs::read_dir(&abs).map_err(io)? {
                let entry = entry.map_err(io)?;
                let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                    continue;
                };
                // Not following symlinks: discovery stays inside the repository.
                let kind = entry.file_type().map_err(io)?;
                if kind.is_dir() && !skip_dir(&name) {
                    pending.push(rel.join(&name));
                } else if kind.is_file() {
                    out.push(rel.join(&name));
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

/// Where the directory came from, for messages such as "using db/migrations (from dbmigration.hcl)".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--migrations-dir`.
    Flag,
    /// `dbmigration.hcl`.
    Config,
    /// `atlas.hcl`.
    AtlasHcl,
    /// Found by looking through the tree.
    Discovered,
}

/// The migrations directory and format settings for one tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The history's name (`migrations "billing" { }`); `None` for the one unnamed history.
    pub label: Option<String>,
    /// The history table's name when dbmigration.hcl renames it.
    pub table: Option<String>,
    /// The directory, relative to the repository root, normalised (no `.` parts).
    pub dir: PathBuf,
    /// How it was chosen.
    pub origin: Origin,
    /// The format name from the flag or the config; `None` means auto-detect.
    pub format: Option<String>,
    /// The parsed config file, when there is one.
    pub config: Option<Config>,
    /// Name globs to leave out of the rendered schema (atlas.hcl's `exclude`).
    pub exclude: Vec<String>,
    /// Things worth telling the user (an atlas.hcl env that could not be read).
    pub notes: Vec<String>,
}

/// The migrations directory could not be determined.
#[derive(Debug, Error, Diagnostic)]
pub enum LocateError {
    /// No directory holds migrations.
    #[error("no migrations directory found in {at}")]
    #[diagnostic(
        code(dbmigration::locate::not_found),
        help(
            "looked through every directory (except hidden ones and {}) for migration files such as `001_init.up.sql`, `V1__init.sql`, `<version>_x/up.sql`\npass `--migrations-dir DIR`, or add {} at the repository root: migrations {{ dir = \"path/to/migrations\" }}",
            SKIPPED_DIRS.join(", "),
            config::FILE_NAME
        )
    )]
    NotFound {
        /// The tree searched.
        at: String,
    },
    /// More than one directory holds migrations.
    #[error("more than one migrations directory in {at}:\n  {}", found.join("\n  "))]
    #[diagnostic(
        code(dbmigration::locate::ambiguous),
        help(
            "choose one with `--migrations-dir DIR`, or in {}: migrations {{ dir = \"{}\" }}",
            config::FILE_NAME,
            found.first().and_then(|f| f.split(' ').next()).unwrap_or("")
        )
    )]
    Ambiguous {
        /// The tree searched.
        at: String,
        /// The directories found, each with its format and migration count.
        found: Vec<String>,
    },
    /// `atlas.hcl` is invalid or ambiguous.
    #[error(transparent)]
    #[diagnostic(transparent)]
    AtlasHcl(#[from] crate::atlas_hcl::AtlasHclError),
    /// `--migrations-format` with several named histories: which one would it be for?
    #[error(
        "--migrations-format names one format, and {} names several histories",
        config::FILE_NAME
    )]
    #[diagnostic(
        code(dbmigration::locate::format_for_histories),
        help(
            "set `format` in each `migrations \"name\" {{ … }}` block instead, or read one directory with `--migrations-dir DIR --migrations-format FORMAT`"
        )
    )]
    FormatForHistories,
    /// `--migrations-dir` is not usable.
    #[error("bad --migrations-dir `{}`: {reason}", dir.display())]
    #[diagnostic(
        code(dbmigration::locate::bad_dir),
        help("give the directory relative to the repository root, e.g. `db/migrations`")
    )]
    BadDir {
        /// As given.
        dir: PathBuf,
        /// Why.
        reason: &'static str,
    },
    /// The config file is invalid.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    /// Reading the tree failed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Source(#[from] SourceError),
}

/// Drops `.` parts; rejects `..` and absolute paths (absolute paths under `root` are made
/// relative first).
fn normalize(dir: &Path, root: Option<&Path>) -> Result<PathBuf, LocateError> {
    let dir = match root {
        Some(root) if dir.is_absolute() => dir.strip_prefix(root).unwrap_or(dir),
        _ => dir,
    };
    config::check_relative(dir).map_err(|reason| LocateError::BadDir {
        dir: dir.to_path_buf(),
        reason,
    })?;
    Ok(dir
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect())
}

/// Reads `dbmigration.hcl` at the root of `tree`, if present.
pub fn read_config(tree: &dyn RepoTree) -> Result<Option<Config>, LocateError> {
    let Some(text) = tree.read_file(Path::new(config::FILE_NAME))? else {
        return Ok(None);
    };
    Ok(Some(config::parse(config::FILE_NAME, &text)?))
}

/// Reads `atlas.hcl` at the root of `tree`, if present.
fn read_atlas_hcl(tree: &dyn RepoTree) -> Result<crate::atlas_hcl::AtlasConfig, LocateError> {
    match tree.read_file(Path::new(crate::atlas_hcl::FILE_NAME))? {
        Some(text) => Ok(crate::atlas_hcl::parse(&text)?),
        None => Ok(Default::default()),
    }
}

/// Every history in `tree`, in the order they are applied: the named `migrations "x" { }`
/// blocks of dbmigration.hcl as written, else the one history [`locate`] finds.
/// `--migrations-dir` always means one history (the named block with that `dir` gives its
/// format and table).
pub fn locate_all(
    tree: &dyn RepoTree,
    root: Option<&Path>,
    dir_flag: Option<&Path>,
    format_flag: Option<&str>,
) -> Result<Vec<Located>, LocateError> {
    let config = read_config(tree)?;
    let named = config.as_ref().filter(|c| c.has_named_histories());
    let (Some(config), None) = (named, dir_flag) else {
        return Ok(vec![locate_in(tree, root, dir_flag, format_flag, config)?]);
    };
    if format_flag.is_some() {
        return Err(LocateError::FormatForHistories);
    }
    let mut out = Vec::new();
    for block in &config.migrations {
        // Validation made every named block name its `dir`.
        let dir = block.dir.clone().unwrap_or_default();
        out.push(Located {
            label: block.label.clone(),
            table: block.table.clone(),
            dir: normalize(&dir, None)?,
            origin: Origin::Config,
            format: block.format.clone(),
            config: Some(config.clone()),
            exclude: Vec::new(),
            notes: Vec::new(),
        });
    }
    Ok(out)
}

/// Finds the migrations directory of one history in `tree` (see the module docs for the
/// order). `root` is the repository root on disk, used to accept an absolute
/// `--migrations-dir`.
pub fn locate(
    tree: &dyn RepoTree,
    root: Option<&Path>,
    dir_flag: Option<&Path>,
    format_flag: Option<&str>,
) -> Result<Located, LocateError> {
    let config = read_config(tree)?;
    locate_in(tree, root, dir_flag, format_flag, config)
}

fn locate_in(
    tree: &dyn RepoTree,
    root: Option<&Path>,
    dir_flag: Option<&Path>,
    format_flag: Option<&str>,
    config: Option<Config>,
) -> Result<Located, LocateError> {
    let flag_dir = dir_flag.map(|d| normalize(d, root)).transpose()?;
    // With several histories, `--migrations-dir` on one of them: that history's block.
    let block = config
        .as_ref()
        .and_then(|c| c.history_in(flag_dir.as_deref()));
    let config_dir = block.and_then(|m| m.dir.as_deref());
    // atlas.hcl is read only when neither flag nor config names the directory.
    let atlas = if dir_flag.is_none() && config_dir.is_none() {
        read_atlas_hcl(tree)?
    } else {
        Default::default()
    };
    let atlas_migration = atlas.migration.as_ref();
    let format = format_flag
        .map(str::to_owned)
        .or_else(|| block.and_then(|m| m.format.clone()))
        .or_else(|| atlas_migration.and_then(|m| m.format.clone()));
    let (dir, origin) = if let Some(dir) = flag_dir {
        (dir, Origin::Flag)
    } else if let Some(dir) = config_dir {
        (normalize(dir, None)?, Origin::Config)
    } else if let Some(m) = atlas_migration {
        (normalize(&m.dir, None)?, Origin::AtlasHcl)
    } else {
        (discover(tree)?, Origin::Discovered)
    };
    Ok(Located {
        label: block.and_then(|m| m.label.clone()),
        table: block.and_then(|m| m.table.clone()),
        dir,
        origin,
        format,
        exclude: atlas_migration
            .map(|m| m.exclude.clone())
            .unwrap_or_default(),
        notes: atlas.notes,
        config,
    })
}

/// Whether a file name is one a migration tool writes: `001_x.sql` (and up/down variants),
/// or Flyway's `V1__x.sql` / `R__x.sql`.
fn migration_file(name: &str) -> bool {
    name.ends_with(".sql") && (name.starts_with(|c: char| c.is_ascii_digit()) || flyway_file(name))
}

fn flyway_file(name: &str) -> bool {
    name.ends_with(".sql")
        && (name.starts_with("R__")
            || (name.starts_with(['V', 'U', 'B'])
                && name[1..].starts_with(|c: char| c.is_ascii_digit())
                && name.contains("__")))
}

/// What discovery counts per directory.
#[derive(Debug, Default)]
struct Evidence {
    /// Migration-like files (or per-migration directories).
    migrations: usize,
    /// Every counted file is Flyway-named (Flyway reads its location recursively).
    flyway: bool,
}

fn discover(tree: &dyn RepoTree) -> Result<PathBuf, LocateError> {
    let paths = tree.paths(&skip_dir)?;
    let mut found: BTreeMap<PathBuf, Evidence> = BTreeMap::new();
    for path in &paths {
        let (Some(name), Some(parent)) = (path.file_name().and_then(|n| n.to_str()), path.parent())
        else {
            continue;
        };
        if migration_file(name) {
            let e = found.entry(parent.to_path_buf()).or_insert(Evidence {
                migrations: 0,
                flyway: true,
            });
            e.migrations += 1;
            e.flyway &= flyway_file(name);
        } else if name == "up.sql" || name == "migration.sql" {
            // diesel `<version>_<name>/up.sql`, Prisma `<ts>_<name>/migration.sql`.
            let versioned = parent
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()));
            if let (true, Some(dir)) = (versioned, parent.parent()) {
                found.entry(dir.to_path_buf()).or_default().migrations += 1;
            }
        }
    }
    // Flyway reads subdirectories of its location: a Flyway directory inside another is part
    // of it, not a second history.
    let flyway_roots: Vec<PathBuf> = found
        .iter()
        .filter(|(_, e)| e.flyway)
        .map(|(d, _)| d.clone())
        .collect();
    found.retain(|d, e| !(e.flyway && flyway_roots.iter().any(|r| r != d && d.starts_with(r))));
    // No versioned names anywhere: a directory named for migrations holding `.sql` files
    // (plain `schema_1.sql` histories).
    if found.is_empty() {
        for path in &paths {
            let Some(parent) = path.parent() else {
                continue;
            };
            let named_dir = parent
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.contains("migrat"));
            if named_dir && path.extension().is_some_and(|e| e == "sql") {
                found.entry(parent.to_path_buf()).or_default().migrations += 1;
            }
        }
    }
    // Directories named for migrations win over stray numbered `.sql` files elsewhere.
    let named = |d: &Path| {
        d.components()
            .any(|c| c.as_os_str().to_str().is_some_and(|s| s.contains("migrat")))
    };
    if found.keys().any(|d| named(d)) {
        found.retain(|d, _| named(d));
    }
    let mut dirs: Vec<PathBuf> = found.into_keys().collect();
    match dirs.len() {
        1 => Ok(dirs.remove(0)),
        0 => Err(LocateError::NotFound {
            at: tree.describe(),
        }),
        _ => Err(LocateError::Ambiguous {
            at: tree.describe(),
            found: dirs
                .iter()
                .map(|d| describe_candidate(tree, &paths, d))
                .collect(),
        }),
    }
}

/// `db/migrations (golang-migrate, 12 migrations)`, for the ambiguity error.
fn describe_candidate(tree: &dyn RepoTree, paths: &[PathBuf], dir: &Path) -> String {
    let mut files = Vec::new();
    for p in paths.iter().filter(|p| p.starts_with(dir)) {
        if let (Ok(Some(contents)), Ok(rel)) = (tree.read_file(p), p.strip_prefix(dir)) {
            files.push(crate::migration::SourceFile {
                path: rel.to_path_buf(),
                contents,
            });
        }
    }
    let what = match format::detect(&files) {
        Ok(f) => match f.migrations(dir, &files) {
            Ok(ms) => format!("{}, {} migrations", f.name(), ms.len()),
            Err(_) => format!("{}, {} files", f.name(), files.len()),
        },
        Err(_) => format!("format not recognised, {} files", files.len()),
    };
    format!("{} ({what})", dir.display())
}

/// What `dbmigration hcl <REF>` reads: the ref, where the migrations are, and the migrations.
#[derive(Debug)]
pub struct AtRef {
    /// Where and how they were found.
    pub located: Located,
    /// The format and the migrations in apply order.
    pub loaded: Loaded,
    /// Description of the source, e.g. "`db/migrations` at `release` (1a2b3c4)".
    pub describe: String,
    /// The abbreviated commit the ref resolved to.
    pub commit: String,
}

/// Opens `revspec` in the repository containing `repo`, locates the migrations directory there
/// and loads the migrations (with several named histories, the first). Reads only the object
/// database.
pub fn load_at_ref(
    repo: &Path,
    revspec: &str,
    dir_flag: Option<&Path>,
    format_flag: Option<&str>,
) -> miette::Result<AtRef> {
    load_all_at_ref(repo, revspec, dir_flag, format_flag)?
        .into_iter()
        .next()
        .ok_or_else(|| miette::miette!("no migrations history at `{revspec}`"))
}

/// Like [`load_at_ref`], every history: the one there is, or the named ones of
/// dbmigration.hcl in their order.
pub fn load_all_at_ref(
    repo: &Path,
    revspec: &str,
    dir_flag: Option<&Path>,
    format_flag: Option<&str>,
) -> miette::Result<Vec<AtRef>> {
    let at = GitRef::open(repo, revspec)?;
    let root = at.root();
    let mut out = Vec::new();
    for located in locate_all(&at, Some(&root), dir_flag, format_flag)? {
        let source: GitSource = at.reopen()?.source(&located.dir)?;
        let describe = crate::source::Source::describe(&source);
        let commit = source.git_ref().short_id().to_owned();
        let loaded = format::load(&source, &located.dir, located.format.as_deref())?;
        out.push(AtRef {
            located,
            loaded,
            describe,
            commit,
        });
    }
    Ok(out)
}

/// `dir` relative to the root of the git work tree holding it (both resolved, so `.`, `..`
/// and symlinked prefixes do not matter); `None` outside a repository.
pub fn repo_relative(dir: &Path) -> Option<PathBuf> {
    let root = std::fs::canonicalize(crate::source::discover_root(dir).ok()?).ok()?;
    let abs = std::fs::canonicalize(dir).ok()?;
    Some(abs.strip_prefix(root).ok()?.to_path_buf())
}

/// `--dir PATH`: the migrations in a directory on disk. The format comes from `format_flag`,
/// else from `dbmigration.hcl` in the work tree containing the directory (when it is in a git
/// repository), else detection.
pub fn load_from_dir(dir: &Path, format_flag: Option<&str>) -> miette::Result<Loaded> {
    let format = match format_flag {
        Some(f) => Some(f.to_owned()),
        None => match crate::source::discover_root(dir) {
            Ok(root) => read_config(&WorkTree { root })?.and_then(|c| {
                c.history_in(repo_relative(dir).as_deref())
                    .and_then(|m| m.format.clone())
            }),
            Err(_) => None,
        },
    };
    let source = DirSource::new(dir.to_path_buf());
    format::load(&source, dir, format.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A work tree holding `files` (path, contents); a path ending in `/` is an empty directory.
    fn tree(files: &[(&str, &str)], config: Option<&str>) -> (tempfile::TempDir, WorkTree) {
        let tmp = tempfile::tempdir().unwrap();
        for (path, contents) in files {
            let abs = tmp.path().join(path);
            if path.ends_with('/') {
                std::fs::create_dir_all(abs).unwrap();
            } else {
                std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
                std::fs::write(abs, contents).unwrap();
            }
        }
        if let Some(c) = config {
            std::fs::write(tmp.path().join(config::FILE_NAME), c).unwrap();
        }
        let root = tmp.path().to_path_buf();
        (tmp, WorkTree { root })
    }

    #[test]
    fn discovers_migrations_at_any_depth() {
        let (_t, w) = tree(
            &[
                ("tools/migrate/migrations/1_a.up.sql", ""),
                ("tools/migrate/migrations/1_a.down.sql", ""),
                ("tools/migrate/views.sql", ""),
                ("src/main.go", ""),
            ],
            None,
        );
        let l = locate(&w, None, None, None).unwrap();
        assert_eq!(l.dir, Path::new("tools/migrate/migrations"));
        assert_eq!(l.origin, Origin::Discovered);
        assert_eq!(l.format, None);
    }

    #[test]
    fn test_data_vendor_and_hidden_dirs_are_not_candidates() {
        let (_t, w) = tree(
            &[
                ("db/migrations/001_a.sql", ""),
                ("tools/migrate/testdata/001_x.sql", ""),
                ("vendor/github.com/x/migrations/1_a.up.sql", ""),
                ("node_modules/pkg/migrations/1_a.sql", ""),
                (".github/migrations/1_a.sql", ""),
            ],
            None,
        );
        assert_eq!(
            locate(&w, None, None, None).unwrap().dir,
            Path::new("db/migrations")
        );
    }

    #[test]
    fn per_migration_directories_count_for_their_parent() {
        let (_t, w) = tree(
            &[
                ("crates/store/migrations/2024-01-01-000000_init/up.sql", ""),
                (
                    "crates/store/migrations/2024-01-01-000000_init/down.sql",
                    "",
                ),
            ],
            None,
        );
        assert_eq!(
            locate(&w, None, None, None).unwrap().dir,
            Path::new("crates/store/migrations")
        );
        let (_t, w) = tree(
            &[
                ("prisma/migrations/20240101000000_init/migration.sql", ""),
                ("prisma/migrations/migration_lock.toml", ""),
            ],
            None,
        );
        assert_eq!(
            locate(&w, None, None, None).unwrap().dir,
            Path::new("prisma/migrations")
        );
    }

    #[test]
    fn flyway_subdirectories_belong_to_their_location() {
        let (_t, w) = tree(
            &[
                ("src/main/resources/db/migration/V1__a.sql", ""),
                ("src/main/resources/db/migration/v2/V2__b.sql", ""),
            ],
            None,
        );
        assert_eq!(
            locate(&w, None, None, None).unwrap().dir,
            Path::new("src/main/resources/db/migration")
        );
    }

    #[test]
    fn migration_named_dirs_win_over_stray_numbered_sql() {
        let (_t, w) = tree(
            &[
                ("migrations/1_a.up.sql", ""),
                ("docs/sql/01_example.sql", ""),
            ],
            None,
        );
        assert_eq!(
            locate(&w, None, None, None).unwrap().dir,
            Path::new("migrations")
        );
    }

    #[test]
    fn unversioned_sql_in_a_migrations_dir_is_a_last_resort() {
        let (_t, w) = tree(
            &[("db/migrations/schema_1.sql", ""), ("docs/example.sql", "")],
            None,
        );
        assert_eq!(
            locate(&w, None, None, None).unwrap().dir,
            Path::new("db/migrations")
        );
    }

    #[test]
    fn nothing_found_says_what_was_looked_for() {
        let (_t, w) = tree(&[("src/main.rs", ""), ("migrations/", "")], None);
        let err = locate(&w, None, None, None).unwrap_err();
        let help = miette::Diagnostic::help(&err).unwrap().to_string();
        assert!(
            help.contains("V1__init.sql") && help.contains("node_modules"),
            "{help}"
        );
        assert!(help.contains("--migrations-dir"), "{help}");
    }

    #[test]
    fn two_histories_are_listed_with_format_and_count() {
        let (_t, w) = tree(
            &[
                ("crates/a/migrations/1_x.up.sql", "create table x ();"),
                ("crates/a/migrations/2_y.up.sql", "create table y ();"),
                ("crates/b/migrations/1_x.sql", "-- +goose Up\nselect 1;"),
            ],
            None,
        );
        let err = locate(&w, None, None, None).unwrap_err();
        let LocateError::Ambiguous { found, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(
            found,
            &[
                "crates/a/migrations (golang-migrate, 2 migrations)",
                "crates/b/migrations (goose, 1 migrations)"
            ]
        );
        let help = miette::Diagnostic::help(&err).unwrap().to_string();
        assert!(
            help.contains("--migrations-dir") && help.contains("dir = \"crates/a/migrations\""),
            "{help}"
        );
    }

    #[test]
    fn config_then_flag_win() {
        let cfg = "migrations {\n  dir = \"./schema/changes\"\n  format = \"golang-migrate\"\n}\n";
        let (_t, w) = tree(
            &[("migrations/1_a.sql", ""), ("schema/changes/", "")],
            Some(cfg),
        );
        let l = locate(&w, None, None, None).unwrap();
        assert_eq!(l.dir, Path::new("schema/changes"));
        assert_eq!(l.origin, Origin::Config);
        assert_eq!(l.format.as_deref(), Some("golang-migrate"));
        let l = locate(&w, None, Some(Path::new("migrations")), Some("plain")).unwrap();
        assert_eq!(l.dir, Path::new("migrations"));
        assert_eq!(l.origin, Origin::Flag);
        assert_eq!(l.format.as_deref(), Some("plain"));
    }

    #[test]
    fn atlas_hcl_names_dir_format_and_exclude() {
        let atlas = "env \"local\" {\n  migration {\n    dir = local.dir\n    format = golang-migrate\n    exclude = [\"locks[type=table]\"]\n  }\n}\nlocals {\n  dir = \"file://tools/migrate/migrations\"\n}\n";
        let (_t, w) = tree(
            &[
                ("atlas.hcl", atlas),
                ("tools/migrate/migrations/1_a.up.sql", ""),
                ("other/migrations/1_a.up.sql", ""),
            ],
            None,
        );
        let l = locate(&w, None, None, None).unwrap();
        assert_eq!(l.dir, Path::new("tools/migrate/migrations"));
        assert_eq!(l.origin, Origin::AtlasHcl);
        assert_eq!(l.format.as_deref(), Some("golang-migrate"));
        assert_eq!(l.exclude, ["locks"]);
        // dbmigration.hcl still wins.
        let cfg = "migrations {\n  dir = \"other/migrations\"\n}\n";
        std::fs::write(w.root.join(config::FILE_NAME), cfg).unwrap();
        let l = locate(&w, None, None, None).unwrap();
        assert_eq!(l.dir, Path::new("other/migrations"));
        assert!(l.exclude.is_empty());
    }

    #[test]
    fn named_histories_are_located_in_declared_order() {
        let cfg = "migrations \"core\" {\n  dir = \"./core/m\"\n  table = \"schema_core\"\n}\nmigrations \"billing\" {\n  dir = \"billing/m\"\n  format = \"goose\"\n  table = \"schema_billing\"\n}\n";
        let (_t, w) = tree(
            &[("core/m/1_a.up.sql", ""), ("billing/m/1_b.sql", "")],
            Some(cfg),
        );
        let all = locate_all(&w, None, None, None).unwrap();
        let got: Vec<_> = all
            .iter()
            .map(|l| {
                (
                    l.label.as_deref(),
                    l.dir.display().to_string(),
                    l.format.as_deref(),
                    l.table.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some("core"), "core/m".to_owned(), None, Some("schema_core")),
                (
                    Some("billing"),
                    "billing/m".to_owned(),
                    Some("goose"),
                    Some("schema_billing")
                ),
            ]
        );
        // `--migrations-dir` reads one history, with its block's settings.
        let one = locate_all(&w, None, Some(Path::new("billing/m")), None).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].table.as_deref(), Some("schema_billing"));
        assert_eq!(one[0].format.as_deref(), Some("goose"));
        // One format for several histories is a usage error.
        let err = locate_all(&w, None, None, Some("goose")).unwrap_err();
        assert!(matches!(err, LocateError::FormatForHistories), "{err:?}");
    }

    #[test]
    fn bad_flag_dir() {
        let (_t, w) = tree(&[], None);
        let err = locate(&w, None, Some(Path::new("../x")), None).unwrap_err();
        assert!(matches!(err, LocateError::BadDir { .. }));
        let abs = w.root.join("db/m");
        let l = locate(&w, Some(&w.root), Some(&abs), None).unwrap();
        assert_eq!(l.dir, Path::new("db/m"));
    }

    #[test]
    fn bad_config_is_reported() {
        let (_t, w) = tree(
            &[("migrations/", "")],
            Some("migrations { folder = \"x\" }"),
        );
        let err = locate(&w, None, None, None).unwrap_err();
        assert!(
            matches!(err, LocateError::Config(ConfigError::UnknownKey { .. })),
            "{err:?}"
        );
    }
}
