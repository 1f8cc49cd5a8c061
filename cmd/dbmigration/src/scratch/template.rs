//! The pristine-initdb cache: `initdb` runs once per server version; later clusters copy its
//! result, which is several times faster.
//!
//! The cache lives at `<cache dir>/dbmigration/initdb-<version>`. It is written to a staging
//! directory next to it and renamed into place, so a reader never sees half a copy and two
//! processes that race both succeed (the loser drops its staging copy).

use std::path::{Path, PathBuf};

use super::ScratchError;

/// Where the template cache lives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TemplateCache {
    /// `dirs::cache_dir()/dbmigration` (no cache when the platform has no cache dir).
    #[default]
    Default,
    /// This directory instead (tests and benchmarks).
    At(PathBuf),
    /// Always run initdb, never write a cache.
    Disabled,
}

impl TemplateCache {
    /// The directory holding `initdb-<version>` entries, if caching is on.
    pub(crate) fn root(&self) -> Option<PathBuf> {
        match self {
            TemplateCache::Default => dirs::cache_dir().map(|d| d.join("dbmigration")),
            TemplateCache::At(dir) => Some(dir.clone()),
            TemplateCache::Disabled => None,
        }
    }
}

/// The cached template for `version`, when a complete one exists.
pub(crate) fn cached(root: &Path, version: &str) -> Option<PathBuf> {
    let dir = root.join(format!("initdb-{version}"));
    let complete = dir.join("PG_VERSION").is_file() && dir.join("global/pg_control").is_file();
    complete.then_some(dir)
}

/// Stores a copy of a pristine data directory as the template for `version`. Losing a race to
/// another process is fine; any other failure only costs speed, so it is returned for the
/// caller to ignore.
pub(crate) fn store(root: &Path, version: &str, data: &Path) -> Result<(), ScratchError> {
    std::fs::create_dir_all(root).map_err(|e| ScratchError::io("creating", root, e))?;
    // Read as we are (maybe root) from a directory the server user owns: `copy_file` follows
    // no symlink and copies no hard link they could have planted.
    let staging = root.join(format!(
        ".initdb-{version}.{}.{}",
        std::process::id(),
        super::unique_suffix()
    ));
    let result = copy_tree_as_is(data, &staging).and_then(|()| {
        let target = root.join(format!("initdb-{version}"));
        match std::fs::rename(&staging, &target) {
            Ok(()) => Ok(()),
            // Another process renamed its copy first: theirs is as good as ours.
            Err(_) if cached(root, version).is_some() => Ok(()),
            Err(e) => Err(ScratchError::io("renaming into place", target, e)),
        }
    });
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Copies a directory tree, keeping permission bits; with `owner`, then hands the copy to that
/// uid/gid (we are root and the server runs as another user).
///
/// The copy is made while `to` is ours alone, and handed over bottom-up with `lchown`, the top
/// last: the server user cannot reach into it before we are done, so nothing we write can be
/// redirected by a symlink of theirs. Files are read without following symlinks and written
/// as new files only.
pub(crate) fn copy_tree(
    from: &Path,
    to: &Path,
    owner: Option<(u32, u32)>,
) -> Result<(), ScratchError> {
    copy_tree_as_is(from, to)?;
    chown_tree(to, owner)
}

fn copy_tree_as_is(from: &Path, to: &Path) -> Result<(), ScratchError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let meta = std::fs::symlink_metadata(from).map_err(|e| ScratchError::io("reading", from, e))?;
    if !meta.is_dir() {
        return Err(ScratchError::io(
            "copying",
            from,
            std::io::Error::other("not a directory"),
        ));
    }
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(to)
        .map_err(|e| ScratchError::io("creating", to, e))?;
    let entries = std::fs::read_dir(from).map_err(|e| ScratchError::io("reading", from, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| ScratchError::io("reading", from, e))?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(|e| ScratchError::io("reading", &src, e))?;
        if kind.is_dir() {
            copy_tree_as_is(&src, &dst)?;
        } else if kind.is_symlink() {
            let target =
                std::fs::read_link(&src).map_err(|e| ScratchError::io("reading", &src, e))?;
            std::os::unix::fs::symlink(target, &dst)
                .map_err(|e| ScratchError::io("creating", &dst, e))?;
        } else {
            copy_file(&src, &dst)?;
        }
    }
    std::fs::set_permissions(
        to,
        std::fs::Permissions::from_mode(meta.permissions().mode()),
    )
    .map_err(|e| ScratchError::io("setting permissions of", to, e))
}

/// Copies one regular file: the source opened without following a symlink and refused when
/// it has other hard links (a server-user link to a file it cannot read would otherwise be
/// copied by root); the destination created new, never through a symlink.
pub(crate) fn copy_file(src: &Path, dst: &Path) -> Result<(), ScratchError> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
    let mut input = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .open(src)
        .map_err(|e| ScratchError::io("reading", src, e))?;
    let meta = input
        .metadata()
        .map_err(|e| ScratchError::io("reading", src, e))?;
    if !meta.is_file() || meta.nlink() != 1 {
        return Err(ScratchError::io(
            "copying",
            src,
            std::io::Error::other("not a regular file with a single link"),
        ));
    }
    let mut output = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(meta.permissions().mode() & 0o7777)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .open(dst)
        .map_err(|e| ScratchError::io("creating", dst, e))?;
    std::io::copy(&mut input, &mut output).map_err(|e| ScratchError::io("copying to", dst, e))?;
    Ok(())
}

/// Hands a tree we made to `owner`, children before their directory (see [`copy_tree`]).
fn chown_tree(path: &Path, owner: Option<(u32, u32)>) -> Result<(), ScratchError> {
    if owner.is_none() {
        return Ok(());
    }
    let meta = std::fs::symlink_metadata(path).map_err(|e| ScratchError::io("reading", path, e))?;
    if meta.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| ScratchError::io("reading", path, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| ScratchError::io("reading", path, e))?;
            chown_tree(&entry.path(), owner)?;
        }
    }
    chown(path, owner)
}

/// Creates a new 0700 directory for the server user (or ourselves).
pub(crate) fn private_dir_for(path: &Path, owner: Option<(u32, u32)>) -> Result<(), ScratchError> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(path)
        .map_err(|e| ScratchError::io("creating", path, e))?;
    chown(path, owner)
}

/// `lchown`: a symlink itself, never its target.
pub(crate) fn chown(path: &Path, owner: Option<(u32, u32)>) -> Result<(), ScratchError> {
    match owner {
        Some((uid, gid)) => std::os::unix::fs::lchown(path, Some(uid), Some(gid))
            .map_err(|e| ScratchError::io("changing the owner of", path, e)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_then_lookup_and_race() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir_all(data.join("global")).unwrap();
        std::fs::write(data.join("PG_VERSION"), "15\n").unwrap();
        std::fs::write(data.join("global/pg_control"), "x").unwrap();
        let root = tmp.path().join("cache");
        assert!(cached(&root, "15.1").is_none());
        store(&root, "15.1", &data).unwrap();
        // A second writer (the loser of a race) succeeds and leaves no staging dir behind.
        store(&root, "15.1", &data).unwrap();
        let hit = cached(&root, "15.1").unwrap();
        assert_eq!(
            std::fs::read_to_string(hit.join("PG_VERSION")).unwrap(),
            "15\n"
        );
        let names: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["initdb-15.1".to_owned()]);
    }

    #[test]
    fn copies_never_follow_or_overwrite_symlinks() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let src = tmp.path().join("src");
        std::fs::write(&src, "copied").unwrap();
        // A symlink planted where the copy goes: refused, the victim untouched.
        let planted = tmp.path().join("planted");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        assert!(copy_file(&src, &planted).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        // A symlink, or a hard link, as the source: not read through.
        let out = tmp.path().join("out");
        assert!(copy_file(&planted, &out).is_err());
        let hard = tmp.path().join("hard");
        std::fs::hard_link(&victim, &hard).unwrap();
        assert!(copy_file(&hard, &out).is_err());
        assert!(!out.exists());
        // A tree with a symlink inside keeps it as a link, not the target's contents.
        let tree = tmp.path().join("tree");
        std::fs::create_dir(&tree).unwrap();
        std::os::unix::fs::symlink(&victim, tree.join("link")).unwrap();
        copy_tree(&tree, &tmp.path().join("copy"), None).unwrap();
        let copied = tmp.path().join("copy/link");
        assert!(
            std::fs::symlink_metadata(&copied)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
