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
    let staging = root.join(format!(
        ".initdb-{version}.{}.{}",
        std::process::id(),
        super::unique_suffix()
    ));
    let result = copy_tree(data, &staging, None).and_then(|()| {
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

/// Copies a directory tree, keeping permission bits; with `owner`, chowns every entry to
/// that uid/gid (we are root and the server runs as another user).
pub(crate) fn copy_tree(
    from: &Path,
    to: &Path,
    owner: Option<(u32, u32)>,
) -> Result<(), ScratchError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(from).map_err(|e| ScratchError::io("reading", from, e))?;
    std::fs::create_dir(to).map_err(|e| ScratchError::io("creating", to, e))?;
    std::fs::set_permissions(
        to,
        std::fs::Permissions::from_mode(meta.permissions().mode()),
    )
    .map_err(|e| ScratchError::io("setting permissions of", to, e))?;
    chown(to, owner)?;
    let entries = std::fs::read_dir(from).map_err(|e| ScratchError::io("reading", from, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| ScratchError::io("reading", from, e))?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(|e| ScratchError::io("reading", &src, e))?;
        if kind.is_dir() {
            copy_tree(&src, &dst, owner)?;
        } else if kind.is_symlink() {
            let target =
                std::fs::read_link(&src).map_err(|e| ScratchError::io("reading", &src, e))?;
            std::os::unix::fs::symlink(target, &dst)
                .map_err(|e| ScratchError::io("creating", &dst, e))?;
            chown(&dst, owner)?;
        } else {
            // std::fs::copy keeps the permission bits.
            std::fs::copy(&src, &dst).map_err(|e| ScratchError::io("copying to", &dst, e))?;
            chown(&dst, owner)?;
        }
    }
    Ok(())
}

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
}
