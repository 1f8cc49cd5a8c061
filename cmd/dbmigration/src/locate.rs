//! Finding the migrations directory, in this order: `--migrations-dir`, else `dbmigration.hcl`
//! at the repository root (at the same ref, so each ref carries its own config), else the
//! usual places ([`CANDIDATES`]). Exactly one candidate must exist; none or several is an error
//! listing what was searched or found.
//!
//! The format follows the same precedence: `--migrations-format`, else the config's `format`,
//! else auto-detection ([`crate::format::detect`]).

use std::path::{Component, Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

use crate::config::{self, Config, ConfigError};
use crate::format::{self, Loaded};
use crate::source::{DirSource, GitRef, GitSource, SourceError};

/// Places searched when neither flag nor config names the directory, most common first.
pub const CANDIDATES: &[&str] = &[
    "migrations",
    "db/migrations",
    "migrate/migrations",
    "sql/migrations",
    "database/migrations",
    "db/migrate",
    "prisma/migrations",
    "supabase/migrations",
    "db/migration",
    "src/main/resources/db/migration",
    "internal/migrations",
    "internal/db/migrations",
    "src/migrations",
    "schema/migrations",
    "migrations/sql",
];

/// A repository's files at one point: a git ref, or the work tree on disk.
pub trait RepoTree {
    /// Whether `rel` (relative to the repository root) is a directory.
    fn is_dir(&self, rel: &Path) -> Result<bool, SourceError>;
    /// The text of the file `rel`, `None` when absent.
    fn read_file(&self, rel: &Path) -> Result<Option<String>, SourceError>;
    /// For messages, e.g. "`release` (1a2b3c4)".
    fn describe(&self) -> String;
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
}

/// Where the directory came from, for messages such as "using db/migrations (from dbmigration.hcl)".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--migrations-dir`.
    Flag,
    /// `dbmigration.hcl`.
    Config,
    /// Found among [`CANDIDATES`].
    Discovered,
}

/// The migrations directory and format settings for one tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The directory, relative to the repository root, normalised (no `.` parts).
    pub dir: PathBuf,
    /// How it was chosen.
    pub origin: Origin,
    /// The format name from the flag or the config; `None` means auto-detect.
    pub format: Option<String>,
    /// The parsed config file, when there is one.
    pub config: Option<Config>,
}

/// The migrations directory could not be determined.
#[derive(Debug, Error, Diagnostic)]
pub enum LocateError {
    /// No candidate directory exists.
    #[error("no migrations directory found in {at}")]
    #[diagnostic(
        code(dbmigration::locate::not_found),
        help(
            "searched: {}\npass `--migrations-dir DIR`, or add {} at the repository root: migrations {{ dir = \"path/to/migrations\" }}",
            searched.join(", "),
            config::FILE_NAME
        )
    )]
    NotFound {
        /// The tree searched.
        at: String,
        /// The paths tried.
        searched: Vec<String>,
    },
    /// More than one candidate exists.
    #[error("more than one migrations directory in {at}: {}", found.join(", "))]
    #[diagnostic(
        code(dbmigration::locate::ambiguous),
        help(
            "choose one with `--migrations-dir DIR`, or in {}: migrations {{ dir = \"{}\" }}",
            config::FILE_NAME,
            found.first().map_or("", String::as_str)
        )
    )]
    Ambiguous {
        /// The tree searched.
        at: String,
        /// The directories found.
        found: Vec<String>,
    },
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

/// Finds the migrations directory in `tree` (see the module docs for the order).
/// `root` is the repository root on disk, used to accept an absolute `--migrations-dir`.
pub fn locate(
    tree: &dyn RepoTree,
    root: Option<&Path>,
    dir_flag: Option<&Path>,
    format_flag: Option<&str>,
) -> Result<Located, LocateError> {
    let config = read_config(tree)?;
    let block = config.as_ref().and_then(|c| c.migrations.as_ref());
    let format = format_flag
        .map(str::to_owned)
        .or_else(|| block.and_then(|m| m.format.clone()));
    let (dir, origin) = if let Some(dir) = dir_flag {
        (normalize(dir, root)?, Origin::Flag)
    } else if let Some(dir) = block.and_then(|m| m.dir.as_deref()) {
        (normalize(dir, None)?, Origin::Config)
    } else {
        (discover(tree)?, Origin::Discovered)
    };
    Ok(Located {
        dir,
        origin,
        format,
        config,
    })
}

fn discover(tree: &dyn RepoTree) -> Result<PathBuf, LocateError> {
    let mut found = Vec::new();
    for candidate in CANDIDATES {
        if tree.is_dir(Path::new(candidate))? {
            found.push((*candidate).to_owned());
        }
    }
    // `migrations/sql` lives inside `migrations`: a directory that merely holds another hit is
    // not a hit itself.
    let inner: Vec<String> = found.clone();
    found.retain(|d| !inner.iter().any(|o| o.starts_with(&format!("{d}/"))));
    match found.len() {
        1 => Ok(PathBuf::from(found.remove(0))),
        0 => Err(LocateError::NotFound {
            at: tree.describe(),
            searched: CANDIDATES.iter().map(|c| (*c).to_owned()).collect(),
        }),
        _ => Err(LocateError::Ambiguous {
            at: tree.describe(),
            found,
        }),
    }
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
}

/// Opens `revspec` in the repository containing `repo`, locates the migrations directory there
/// and loads the migrations. Reads only the object database.
pub fn load_at_ref(
    repo: &Path,
    revspec: &str,
    dir_flag: Option<&Path>,
    format_flag: Option<&str>,
) -> miette::Result<AtRef> {
    let at = GitRef::open(repo, revspec)?;
    let root = at.root();
    let located = locate(&at, Some(&root), dir_flag, format_flag)?;
    let source: GitSource = at.source(&located.dir)?;
    let describe = crate::source::Source::describe(&source);
    let loaded = format::load(&source, &located.dir, located.format.as_deref())?;
    Ok(AtRef {
        located,
        loaded,
        describe,
    })
}

/// `--dir PATH`: the migrations in a directory on disk. The format comes from `format_flag`,
/// else from `dbmigration.hcl` in the work tree containing the directory (when it is in a git
/// repository), else detection.
pub fn load_from_dir(dir: &Path, format_flag: Option<&str>) -> miette::Result<Loaded> {
    let format = match format_flag {
        Some(f) => Some(f.to_owned()),
        None => match crate::source::discover_root(dir) {
            Ok(root) => read_config(&WorkTree { root })?
                .and_then(|c| c.migrations)
                .and_then(|m| m.format),
            Err(_) => None,
        },
    };
    let source = DirSource::new(dir.to_path_buf());
    format::load(&source, dir, format.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dirs: &[&str], config: Option<&str>) -> (tempfile::TempDir, WorkTree) {
        let tmp = tempfile::tempdir().unwrap();
        for d in dirs {
            std::fs::create_dir_all(tmp.path().join(d)).unwrap();
        }
        if let Some(c) = config {
            std::fs::write(tmp.path().join(config::FILE_NAME), c).unwrap();
        }
        let root = tmp.path().to_path_buf();
        (tmp, WorkTree { root })
    }

    #[test]
    fn discovers_the_one_candidate() {
        let (_t, w) = tree(&["db/migrations", "src"], None);
        let l = locate(&w, None, None, None).unwrap();
        assert_eq!(l.dir, Path::new("db/migrations"));
        assert_eq!(l.origin, Origin::Discovered);
        assert_eq!(l.format, None);
    }

    #[test]
    fn nothing_found_lists_the_search() {
        let (_t, w) = tree(&["src"], None);
        let err = locate(&w, None, None, None).unwrap_err();
        let help = miette::Diagnostic::help(&err).unwrap().to_string();
        assert!(
            help.contains("db/migrations") && help.contains("prisma/migrations"),
            "{help}"
        );
        assert!(help.contains("--migrations-dir"), "{help}");
    }

    #[test]
    fn two_candidates_are_ambiguous() {
        let (_t, w) = tree(&["migrations", "db/migrations"], None);
        let err = locate(&w, None, None, None).unwrap_err();
        assert!(
            matches!(&err, LocateError::Ambiguous { found, .. } if found.len() == 2),
            "{err:?}"
        );
    }

    #[test]
    fn config_then_flag_win() {
        let cfg = "migrations {\n  dir = \"./schema/changes\"\n  format = \"golang-migrate\"\n}\n";
        let (_t, w) = tree(&["migrations", "schema/changes"], Some(cfg));
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
    fn nested_candidate_wins_over_its_parent() {
        let (_t, w) = tree(&["migrations/sql"], None);
        assert_eq!(
            locate(&w, None, None, None).unwrap().dir,
            Path::new("migrations/sql")
        );
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
        let (_t, w) = tree(&["migrations"], Some("migrations { folder = \"x\" }"));
        let err = locate(&w, None, None, None).unwrap_err();
        assert!(
            matches!(err, LocateError::Config(ConfigError::UnknownKey { .. })),
            "{err:?}"
        );
    }
}
