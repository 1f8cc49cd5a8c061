//! A tree at a git ref, read straight from the object database (the only user of git2).
//!
//! Read-only by construction: we only call `Repository::discover`, `revparse_single`, and
//! object lookups. Nothing here touches the work tree, the index, HEAD, any ref or the stash,
//! so `git status` and `git stash list` are the same before and after, even on failure
//! (`tests/formats.rs` checks this).

use std::path::{Path, PathBuf};

use git2::{ErrorCode, ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};

use super::{Source, SourceError, SourceFile, decode};

/// How many existing refs an "unknown ref" error lists.
const REFS_SHOWN: usize = 8;

/// Finds the root of the git repository containing `path` (its work tree, or the git
/// directory of a bare repository).
pub fn discover_root(path: &Path) -> Result<PathBuf, SourceError> {
    let repo = discover(path)?;
    Ok(root_of(&repo))
}

fn discover(path: &Path) -> Result<Repository, SourceError> {
    Repository::discover(path).map_err(|e| {
        if e.code() == ErrorCode::Owner {
            // git's `safe.directory` check (CVE-2022-24765): a repository owned by another
            // user is refused, which is not the same as no repository at all.
            return SourceError::UnsafeOwner {
                path: path.to_path_buf(),
                message: e.message().to_owned(),
            };
        }
        SourceError::NotARepo {
            path: path.to_path_buf(),
            message: e.message().to_owned(),
        }
    })
}

fn root_of(repo: &Repository) -> PathBuf {
    repo.workdir().unwrap_or_else(|| repo.path()).to_path_buf()
}

/// The whole tree of one commit (or tree) named by a revspec: used to find the migrations
/// directory and to read `dbmigration.hcl` at that ref, then turned into a [`GitSource`].
pub struct GitRef {
    repo: Repository,
    tree: Oid,
    revspec: String,
    short_id: String,
}

impl std::fmt::Debug for GitRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitRef")
            .field("root", &root_of(&self.repo))
            .field("revspec", &self.revspec)
            .field("tree", &self.tree)
            .finish()
    }
}

impl GitRef {
    /// Resolves `revspec` (branch, tag, SHA, `origin/main`, `HEAD~3`, …) in the repository
    /// containing `repo`.
    pub fn open(repo: &Path, revspec: &str) -> Result<Self, SourceError> {
        let repo = discover(repo)?;
        let (tree, short_id) = {
            let object = match repo.revparse_single(revspec) {
                Ok(o) => o,
                Err(e)
                    if matches!(
                        e.code(),
                        ErrorCode::NotFound | ErrorCode::InvalidSpec | ErrorCode::Ambiguous
                    ) =>
                {
                    return Err(unknown_ref(&repo, revspec, &e));
                }
                Err(e) => return Err(git_error(revspec, &e)),
            };
            let short_id = object
                .short_id()
                .ok()
                .and_then(|b| b.as_str().ok().map(str::to_owned))
                .unwrap_or_else(|| object.id().to_string());
            let tree = object.peel_to_tree().map_err(|e| SourceError::UnknownRef {
                revspec: revspec.to_owned(),
                repo: root_of(&repo),
                help: format!(
                    "`{revspec}` names a {}, not a commit: {}",
                    kind(&object),
                    e.message()
                ),
            })?;
            (tree.id(), short_id)
        };
        Ok(Self {
            repo,
            tree,
            revspec: revspec.to_owned(),
            short_id,
        })
    }

    /// The same commit's tree again, with its own handle on the repository (to read a
    /// second directory at exactly the commit the first was read at).
    pub fn reopen(&self) -> Result<Self, SourceError> {
        let repo = Repository::open(self.repo.path()).map_err(|e| git_error(&self.revspec, &e))?;
        Ok(Self {
            repo,
            tree: self.tree,
            revspec: self.revspec.clone(),
            short_id: self.short_id.clone(),
        })
    }

    /// The repository root (work tree, or git directory when bare).
    pub fn root(&self) -> PathBuf {
        root_of(&self.repo)
    }

    /// The revspec as given.
    pub fn revspec(&self) -> &str {
        &self.revspec
    }

    /// Short id of the object the revspec resolved to.
    pub fn short_id(&self) -> &str {
        &self.short_id
    }

    fn entry_kind(&self, path: &Path) -> Result<Option<ObjectType>, SourceError> {
        if path.as_os_str().is_empty() {
            return Ok(Some(ObjectType::Tree));
        }
        let tree = self.root_tree()?;
        match tree.get_path(path) {
            Ok(entry) => Ok(entry.kind()),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git_error(&self.revspec, &e)),
        }
    }

    fn root_tree(&self) -> Result<git2::Tree<'_>, SourceError> {
        self.repo
            .find_tree(self.tree)
            .map_err(|e| git_error(&self.revspec, &e))
    }

    /// Whether `path` (relative to the repository root) is a directory at this ref.
    pub fn is_dir(&self, path: &Path) -> Result<bool, SourceError> {
        Ok(self.entry_kind(path)? == Some(ObjectType::Tree))
    }

    /// Reads one file (relative to the repository root) at this ref: `Ok(None)` when there is no
    /// such file. Used for `dbmigration.hcl`.
    pub fn read_file(&self, path: &Path) -> Result<Option<String>, SourceError> {
        let tree = self.root_tree()?;
        let entry = match tree.get_path(path) {
            Ok(entry) if entry.kind() == Some(ObjectType::Blob) => entry,
            Ok(_) => return Ok(None),
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(git_error(&self.revspec, &e)),
        };
        let blob = self
            .repo
            .find_blob(entry.id())
            .map_err(|e| git_error(&self.revspec, &e))?;
        String::from_utf8(blob.content().to_vec())
            .map(Some)
            .map_err(|e| SourceError::NotUtf8 {
                path: path.to_path_buf(),
                offset: e.utf8_error().valid_up_to(),
            })
    }

    /// Every regular file's path at this ref (names only, no contents), for discovery.
    /// Directories `skip_dir` says no to are not entered.
    pub fn paths(&self, skip_dir: &dyn Fn(&str) -> bool) -> Result<Vec<PathBuf>, SourceError> {
        let tree = self.root_tree()?;
        let mut out = Vec::new();
        tree.walk(TreeWalkMode::PreOrder, |parent, entry| {
            let Ok(name) = std::str::from_utf8(entry.name_bytes()) else {
                return TreeWalkResult::Skip;
            };
            match entry.kind() {
                Some(ObjectType::Tree) if skip_dir(name) => TreeWalkResult::Skip,
                Some(ObjectType::Blob)
                    if matches!(entry.filemode(), 0o100644 | 0o100755 | 0o100664) =>
                {
                    out.push(PathBuf::from(format!("{parent}{name}")));
                    TreeWalkResult::Ok
                }
                _ => TreeWalkResult::Ok,
            }
        })
        .map_err(|e| git_error(&self.revspec, &e))?;
        Ok(out)
    }

    /// Writes this ref's whole tree into a fresh private temp dir, from the object database
    /// (as `git archive` would: regular files with their executable bit, symlinks as
    /// symlinks, submodules as empty directories). Nothing in the repository changes: no
    /// checkout, no worktree, no index. A name git itself refuses to check out (`..`, `.git`,
    /// one with `/`) is an error naming it.
    pub fn write_tree(&self) -> Result<WrittenTree, SourceError> {
        let dir = tempfile::Builder::new()
            .prefix("dbmigration-tree-")
            .tempdir()
            .map_err(|source| SourceError::Io {
                path: std::env::temp_dir(),
                source,
            })?;
        let written = WrittenTree::new(dir);
        let tree = self.root_tree()?;
        let mut failure: Option<SourceError> = None;
        let root = written.path().to_path_buf();
        let walked = tree.walk(TreeWalkMode::PreOrder, |parent, entry| {
            match self.write_entry(&root, parent, entry) {
                Ok(()) => TreeWalkResult::Ok,
                Err(e) => {
                    failure = Some(e);
                    TreeWalkResult::Abort
                }
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        walked.map_err(|e| git_error(&self.revspec, &e))?;
        Ok(written)
    }

    fn write_entry(
        &self,
        root: &Path,
        parent: &str,
        entry: &git2::TreeEntry<'_>,
    ) -> Result<(), SourceError> {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::{OpenOptionsExt, symlink};
        let name = entry.name_bytes();
        // git's own checkout refuses these (`verify_path` in git's read-cache.c); a tree
        // object can still hold them.
        if name.is_empty()
            || name == b"."
            || name == b".."
            || name.eq_ignore_ascii_case(b".git")
            || name.contains(&b'/')
            || name.contains(&0)
        {
            return Err(SourceError::BadPath {
                name: format!("{parent}{}", String::from_utf8_lossy(name)),
                revspec: self.revspec.clone(),
            });
        }
        let path = root
            .join(Path::new(std::ffi::OsStr::from_bytes(parent.as_bytes())))
            .join(std::ffi::OsStr::from_bytes(name));
        let io = |source| SourceError::Io {
            path: path.clone(),
            source,
        };
        match (entry.kind(), entry.filemode()) {
            (Some(ObjectType::Tree), _) | (Some(ObjectType::Commit), _) => {
                std::fs::create_dir(&path).map_err(io)?;
            }
            (Some(ObjectType::Blob), 0o120000) => {
                let blob = self
                    .repo
                    .find_blob(entry.id())
                    .map_err(|e| git_error(&self.revspec, &e))?;
                symlink(std::ffi::OsStr::from_bytes(blob.content()), &path).map_err(io)?;
            }
            (Some(ObjectType::Blob), mode) => {
                let blob = self
                    .repo
                    .find_blob(entry.id())
                    .map_err(|e| git_error(&self.revspec, &e))?;
                let perm = if mode & 0o111 != 0 { 0o755 } else { 0o644 };
                // A new file (O_EXCL): nothing that exists, a symlink included, is followed.
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(perm)
                    .open(&path)
                    .map_err(io)?;
                std::io::Write::write_all(&mut file, blob.content()).map_err(io)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The migrations directory `dir` (relative to the repository root) at this ref.
    pub fn source(self, dir: &Path) -> Result<GitSource, SourceError> {
        let subtree = if dir.as_os_str().is_empty() {
            self.tree
        } else {
            let tree = self.root_tree()?;
            let entry = match tree.get_path(dir) {
                Ok(entry) => entry,
                Err(e) if e.code() == ErrorCode::NotFound => {
                    return Err(SourceError::NoDirAtRef {
                        revspec: self.revspec.clone(),
                        commit: self.short_id.clone(),
                        dir: dir.to_path_buf(),
                    });
                }
                Err(e) => return Err(git_error(&self.revspec, &e)),
            };
            if entry.kind() != Some(ObjectType::Tree) {
                return Err(SourceError::NotADirAtRef {
                    revspec: self.revspec.clone(),
                    dir: dir.to_path_buf(),
                });
            }
            entry.id()
        };
        Ok(GitSource {
            at: self,
            dir: dir.to_path_buf(),
            subtree,
        })
    }
}

/// The migrations directory as it is at a git ref, read from the object database.
#[derive(Debug)]
pub struct GitSource {
    at: GitRef,
    dir: PathBuf,
    subtree: Oid,
}

impl GitSource {
    /// The directory `dir` (relative to the repository root) at `revspec` in the repository
    /// containing `repo`.
    pub fn open(repo: &Path, revspec: &str, dir: &Path) -> Result<Self, SourceError> {
        GitRef::open(repo, revspec)?.source(dir)
    }

    /// The ref this source reads.
    pub fn git_ref(&self) -> &GitRef {
        &self.at
    }

    /// The migrations directory, relative to the repository root.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Source for GitSource {
    fn files(&self) -> Result<Vec<SourceFile>, SourceError> {
        let revspec = &self.at.revspec;
        let repo = &self.at.repo;
        let tree = repo
            .find_tree(self.subtree)
            .map_err(|e| git_error(revspec, &e))?;
        // Collect blob ids first: the walk callback cannot return our error type.
        let mut blobs: Vec<(PathBuf, Oid)> = Vec::new();
        let mut bad_name: Option<String> = None;
        let walked = tree.walk(TreeWalkMode::PreOrder, |parent, entry| {
            let Ok(name) = std::str::from_utf8(entry.name_bytes()) else {
                bad_name = Some(format!(
                    "{parent}{}",
                    String::from_utf8_lossy(entry.name_bytes())
                ));
                return TreeWalkResult::Abort;
            };
            // Regular and executable files only: symlinks hold a target path, not SQL, and
            // submodules are commits from another repository.
            let regular = matches!(entry.filemode(), 0o100644 | 0o100755 | 0o100664);
            if entry.kind() == Some(ObjectType::Blob) && regular {
                blobs.push((PathBuf::from(format!("{parent}{name}")), entry.id()));
            }
            TreeWalkResult::Ok
        });
        // Aborting the walk makes it return an error: the name is the one to report.
        if let Some(name) = bad_name {
            return Err(SourceError::NameNotUtf8 {
                name,
                at: format!("`{revspec}`"),
            });
        }
        walked.map_err(|e| git_error(revspec, &e))?;
        let mut out = Vec::with_capacity(blobs.len());
        for (rel, oid) in blobs {
            let blob = repo.find_blob(oid).map_err(|e| git_error(revspec, &e))?;
            out.extend(decode(rel, blob.content().to_vec(), &self.dir)?);
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn describe(&self) -> String {
        format!(
            "`{}` at `{}` ({})",
            self.dir.display(),
            self.at.revspec,
            self.at.short_id
        )
    }
}

fn kind(object: &git2::Object<'_>) -> &'static str {
    object.kind().map_or("object", |k| k.str())
}

fn git_error(revspec: &str, e: &git2::Error) -> SourceError {
    SourceError::Git {
        revspec: revspec.to_owned(),
        message: e.message().to_owned(),
    }
}

/// "unknown ref" with a few refs that do exist, so a typo is easy to spot.
fn unknown_ref(repo: &Repository, revspec: &str, e: &git2::Error) -> SourceError {
    let mut names: Vec<String> = Vec::new();
    if let Ok(branches) = repo.branches(None) {
        for (branch, _) in branches.flatten() {
            if let Ok(Some(name)) = branch.name() {
                names.push(name.to_owned());
            }
        }
    }
    if let Ok(tags) = repo.tag_names(None) {
        names.extend(tags.iter().flatten().flatten().map(str::to_owned));
    }
    names.sort();
    names.dedup();
    let total = names.len();
    names.truncate(REFS_SHOWN);
    let mut help = if names.is_empty() {
        "the repository has no branches or tags yet".to_owned()
    } else {
        let more = if total > REFS_SHOWN {
            format!(" (and {} more)", total - REFS_SHOWN)
        } else {
            String::new()
        };
        format!("existing branches and tags: {}{more}", names.join(", "))
    };
    help.push_str(&format!(
        "\nany git revspec works (branch, tag, SHA, `origin/main`, `HEAD~3`); a remote branch may need `git fetch` first ({})",
        e.message()
    ));
    if repo.is_shallow() {
        help.push_str(
            "\nthis is a shallow clone: the ref may lie beyond its history. Fetch the rest with \
             `git fetch --unshallow` (GitHub Actions: `actions/checkout` with `fetch-depth: 0`)",
        );
    }
    SourceError::UnknownRef {
        revspec: revspec.to_owned(),
        repo: root_of(repo),
        help,
    }
}

/// A ref's tree written to a private temp dir for a migrate command: removed when dropped,
/// and by the Ctrl-C handler if the process is interrupted first.
#[derive(Debug)]
pub struct WrittenTree {
    dir: tempfile::TempDir,
    tracked: u64,
}

impl WrittenTree {
    fn new(dir: tempfile::TempDir) -> Self {
        let tracked = crate::scratch::track_dir(dir.path().to_path_buf());
        Self { dir, tracked }
    }

    /// The tree's root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for WrittenTree {
    fn drop(&mut self) {
        crate::scratch::untrack_dir(self.tracked);
    }
}
