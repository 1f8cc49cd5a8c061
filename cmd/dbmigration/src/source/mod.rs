//! Where migration files come from: a directory on disk ([`DirSource`]) or a tree at a git ref
//! ([`GitSource`], read straight from the object database).
//!
//! A source only answers "which files, with what text"; how file names become migrations is
//! the job of [`crate::format`]. Both sources return the same shape: every regular file under
//! the migrations root, recursively, path relative to the root with `/` separators, sorted by
//! path. Files that are not UTF-8 are an error when they matter (`.sql` files and `atlas.sum`)
//! and are skipped otherwise (a logo or a Latin-1 README next to the migrations is no reason to
//! fail).

mod dir;
mod git;

use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

pub use crate::migration::SourceFile;
pub use dir::DirSource;
pub use git::{GitRef, GitSource, WrittenTree, discover_root};

/// Where migration files come from: a directory, or a tree at a git ref.
pub trait Source {
    /// Every file under the migrations root: path relative to the root, and UTF-8 text,
    /// sorted by path.
    fn files(&self) -> Result<Vec<SourceFile>, SourceError>;
    /// A short human description for messages, e.g. `db/migrations at release (1a2b3c4)`.
    fn describe(&self) -> String;
}

/// Reading migration files failed.
#[derive(Debug, Error, Diagnostic)]
pub enum SourceError {
    /// The migrations directory does not exist on disk.
    #[error("migrations directory `{}` does not exist", path.display())]
    #[diagnostic(
        code(dbmigration::source::dir_not_found),
        help(
            "pass the directory that holds the migration files (`--dir PATH` or `--migrations-dir DIR`)"
        )
    )]
    DirNotFound {
        /// The directory looked for.
        path: PathBuf,
    },
    /// The path exists but is not a directory.
    #[error("`{}` is not a directory", path.display())]
    #[diagnostic(
        code(dbmigration::source::not_a_dir),
        help("point at the directory that holds the migration files, not at one file")
    )]
    NotADir {
        /// The path given.
        path: PathBuf,
    },
    /// An I/O error while reading a file or directory.
    #[error("could not read `{}`", path.display())]
    #[diagnostic(
        code(dbmigration::source::io),
        help("check that the path exists and is readable")
    )]
    Io {
        /// The file or directory being read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A migration file is not valid UTF-8.
    #[error("`{}` is not valid UTF-8 (invalid byte at offset {offset})", path.display())]
    #[diagnostic(
        code(dbmigration::source::not_utf8),
        help("migration files must be UTF-8 text; convert it, e.g. `iconv -f LATIN1 -t UTF-8`")
    )]
    NotUtf8 {
        /// The file, as shown to the user.
        path: PathBuf,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The path is not inside a git repository.
    #[error("`{}` is not inside a git repository", path.display())]
    #[diagnostic(
        code(dbmigration::source::not_a_repo),
        help(
            "run inside the repository, pass `--repo PATH`, or read a directory with `--dir PATH`"
        )
    )]
    NotARepo {
        /// Where discovery started.
        path: PathBuf,
        /// What git2 said.
        message: String,
    },
    /// The repository belongs to another user, and git refuses it (`safe.directory`).
    #[error("the git repository at `{}` is owned by another user, so git refuses to read it", path.display())]
    #[diagnostic(
        code(dbmigration::source::unsafe_owner),
        help(
            "if you trust it, mark it safe: `git config --global --add safe.directory <its path>` \
             (CI containers often check out as another user than they run as); git said: {message}"
        )
    )]
    UnsafeOwner {
        /// Where discovery started.
        path: PathBuf,
        /// What git2 said (it names the repository).
        message: String,
    },
    /// The revspec does not name a commit or tree.
    #[error("unknown git ref `{revspec}` in `{}`", repo.display())]
    #[diagnostic(code(dbmigration::source::unknown_ref), help("{help}"))]
    UnknownRef {
        /// The revspec as given.
        revspec: String,
        /// The repository root.
        repo: PathBuf,
        /// A few refs that do exist, and what to try.
        help: String,
    },
    /// The ref exists but has no directory at the migrations path.
    #[error("`{}` does not exist at `{revspec}` ({commit})", dir.display())]
    #[diagnostic(
        code(dbmigration::source::no_dir_at_ref),
        help(
            "the migrations directory is looked up relative to the repository root at that ref; check `git ls-tree {revspec} -- {}` or set `migrations {{ dir = \"...\" }}` in dbmigration.hcl",
            parent_display(dir)
        )
    )]
    NoDirAtRef {
        /// The revspec as given.
        revspec: String,
        /// Short id of the commit (or tree) it resolved to.
        commit: String,
        /// The path searched, relative to the repository root.
        dir: PathBuf,
    },
    /// The path at the ref is a file (or a submodule), not a directory.
    #[error("`{}` at `{revspec}` is not a directory", dir.display())]
    #[diagnostic(
        code(dbmigration::source::not_a_dir_at_ref),
        help("point `--migrations-dir` at the directory that holds the migration files")
    )]
    NotADirAtRef {
        /// The revspec as given.
        revspec: String,
        /// The path at the ref.
        dir: PathBuf,
    },
    /// A file name is not UTF-8.
    #[error("file name `{name}` in {at} is not valid UTF-8")]
    #[diagnostic(
        code(dbmigration::source::name_not_utf8),
        help("rename the file so its name is UTF-8")
    )]
    NameNotUtf8 {
        /// The name, lossily decoded.
        name: String,
        /// Where: a directory, or a git ref.
        at: String,
    },
    /// A tree entry git itself would not check out (`..`, `.git`, a name with `/`).
    #[error("`{name}` at `{revspec}` is a path git does not check out")]
    #[diagnostic(
        code(dbmigration::source::bad_path),
        help(
            "the tree at that ref was written by something other than git; check it with `git fsck`"
        )
    )]
    BadPath {
        /// The path, lossily decoded.
        name: String,
        /// The revspec.
        revspec: String,
    },
    /// Any other git error (corrupt object database, …).
    #[error("git error while reading `{revspec}`: {message}")]
    #[diagnostic(
        code(dbmigration::source::git),
        help("check the repository with `git fsck`")
    )]
    Git {
        /// The revspec being read.
        revspec: String,
        /// What git2 said.
        message: String,
    },
}

fn parent_display(dir: &Path) -> String {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => format!("{}/", p.display()),
        _ => ".".to_owned(),
    }
}

/// Whether a file's text must be UTF-8 for migrations to be read correctly.
fn must_be_text(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "sql") || rel.file_name().is_some_and(|n| n == "atlas.sum")
}

/// Turns raw bytes into a [`SourceFile`]: `Ok(None)` for a non-UTF-8 file that does not matter,
/// an error naming the file for one that does.
fn decode(rel: PathBuf, bytes: Vec<u8>, shown: &Path) -> Result<Option<SourceFile>, SourceError> {
    match String::from_utf8(bytes) {
        Ok(contents) => Ok(Some(SourceFile {
            path: rel,
            contents,
        })),
        Err(e) if must_be_text(&rel) => Err(SourceError::NotUtf8 {
            path: shown.join(&rel),
            offset: e.utf8_error().valid_up_to(),
        }),
        Err(_) => Ok(None),
    }
}
