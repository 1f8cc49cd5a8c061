//! dbmigration's private state directory: `<cache dir>/dbmigration/state` (for root usually
//! `/root/.cache/dbmigration/state`), mode 0700, owned by the user running us. It holds the
//! records of the clusters we started (`clusters/`, for the orphan sweep) and the secret that
//! signs the markers of our scratch databases on a `--database-url` server.
//!
//! Nothing else may be able to write there: the sweep signals processes on the strength of
//! what it reads. So the directory is refused when it is a symlink, owned by someone else or
//! open to group or others, and so is a parent that others can write.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Why the state directory cannot be used (then nothing is recorded and nothing is swept).
#[derive(Debug, thiserror::Error)]
pub(crate) enum StateError {
    #[error("no cache directory (HOME unset)")]
    NoCacheDir,
    #[error("{}: {what}", path.display())]
    Unsafe { path: PathBuf, what: &'static str },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StateError + '_ {
    move |source| StateError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The state directory, created if missing.
pub(crate) fn dir() -> Result<PathBuf, StateError> {
    let cache = dirs::cache_dir().ok_or(StateError::NoCacheDir)?;
    let dir = cache.join("dbmigration").join("state");
    private_dir(&dir)?;
    Ok(dir)
}

/// `sub` inside the state directory, private like it.
pub(crate) fn subdir(sub: &str) -> Result<PathBuf, StateError> {
    let dir = dir()?.join(sub);
    private_dir(&dir)?;
    Ok(dir)
}

/// Creates `dir` (and missing parents) with mode 0700, then checks that only we can write to
/// it: not a symlink, owned by us, no access for group or others, and a parent that nobody
/// else can write (who could otherwise swap the directory for their own).
pub(crate) fn private_dir(dir: &Path) -> Result<(), StateError> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io(dir))?;
    let me = nix::unistd::geteuid().as_raw();
    let meta = std::fs::symlink_metadata(dir).map_err(io(dir))?;
    let unsafe_because = |what| StateError::Unsafe {
        path: dir.to_path_buf(),
        what,
    };
    if meta.file_type().is_symlink() {
        return Err(unsafe_because("is a symbolic link"));
    }
    if !meta.is_dir() {
        return Err(unsafe_because("is not a directory"));
    }
    if meta.uid() != me {
        return Err(unsafe_because("is owned by another user"));
    }
    if meta.mode() & 0o077 != 0 {
        return Err(unsafe_because(
            "is open to group or others (chmod 700 it if that was not meant)",
        ));
    }
    if let Some(parent) = dir.parent() {
        let meta = std::fs::metadata(parent).map_err(io(parent))?;
        if (meta.uid() != me && meta.uid() != 0) || meta.mode() & 0o022 != 0 {
            return Err(StateError::Unsafe {
                path: parent.to_path_buf(),
                what: "can be written by another user",
            });
        }
    }
    Ok(())
}

/// Opens a file of ours for reading without following a symlink, and checks it is a regular
/// file owned by us that only we can read.
pub(crate) fn open_private_file(path: &Path) -> Result<File, StateError> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .open(path)
        .map_err(io(path))?;
    let meta = file.metadata().map_err(io(path))?;
    if !meta.is_file() || meta.uid() != nix::unistd::geteuid().as_raw() || meta.mode() & 0o077 != 0
    {
        return Err(StateError::Unsafe {
            path: path.to_path_buf(),
            what: "is not a private regular file of ours",
        });
    }
    Ok(file)
}

/// Writes a file of ours atomically (a 0600 temp file renamed into place).
pub(crate) fn write_private_file(path: &Path, contents: &[u8]) -> Result<(), StateError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(io(dir))?;
    tmp.write_all(contents).map_err(io(path))?;
    tmp.persist(path).map_err(|e| StateError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// The 32-byte secret that signs our database markers, made on first use.
pub(crate) fn secret() -> Result<[u8; 32], StateError> {
    let path = dir()?.join("secret");
    if !path.exists() {
        let mut fresh = [0u8; 32];
        let random = Path::new("/dev/urandom");
        File::open(random)
            .and_then(|mut f| f.read_exact(&mut fresh))
            .map_err(io(random))?;
        let staged = path.with_extension(format!("{}.tmp", std::process::id()));
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&staged)
            .map_err(io(&staged))?;
        f.write_all(&fresh).map_err(io(&staged))?;
        // A link, not a rename: when two processes race, the first secret stays.
        let _ = std::fs::hard_link(&staged, &path);
        let _ = std::fs::remove_file(&staged);
    }
    let mut secret = [0u8; 32];
    open_private_file(&path)?
        .read_exact(&mut secret)
        .map_err(io(&path))?;
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_fresh_dir_is_private_and_accepted() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        private_dir(&dir).unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn symlinks_open_dirs_and_writable_parents_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        private_dir(&real).unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(matches!(private_dir(&link), Err(StateError::Unsafe { .. })));

        let open = tmp.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(matches!(private_dir(&open), Err(StateError::Unsafe { .. })));

        let shared = tmp.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
        assert!(matches!(
            private_dir(&shared.join("mine")),
            Err(StateError::Unsafe { .. })
        ));
    }

    #[test]
    fn a_dir_owned_by_someone_else_is_refused() {
        if !nix::unistd::geteuid().is_root() {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let theirs = tmp.path().join("theirs");
        private_dir(&theirs).unwrap();
        std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).unwrap();
        assert!(matches!(
            private_dir(&theirs),
            Err(StateError::Unsafe { .. })
        ));
    }

    #[test]
    fn private_files_do_not_follow_symlinks() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("f");
        write_private_file(&file, b"x").unwrap();
        assert!(open_private_file(&file).is_ok());
        let link = tmp.path().join("l");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(open_private_file(&link).is_err());
    }
}
