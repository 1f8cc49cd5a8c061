//! Writing results: atomically to a file (temp file in the same directory, then rename — a
//! failure never leaves half a file), or to stdout for `-`.
//!
//! - A new file gets the mode a plain `create` would (0666 less the umask); a replaced file
//!   keeps its mode.
//! - A name the user typed (`-o PATH`) is followed like a shell redirection: a symlink to a
//!   regular file has that file replaced (atomically, in its own directory; the link stays),
//!   and a device or FIFO (`/dev/null`, `/dev/stdout` on a pipe) is written in place.
//! - A name we chose (`release.hcl`, `diff.sql`, `x.safe.sql`: next to the inputs or in
//!   `--out-dir`, often inside the repository under review) must be a regular file or absent:
//!   a symlink there may have been planted by that repository, so it is refused, never
//!   followed and never silently replaced.
//! - [`write_all`] writes several outputs all or none (see there).

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

/// Writing an output file failed.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot write {}", path.display())]
#[diagnostic(
    code(dbmigration::output),
    help(
        "check that the directory exists and is writable; nothing was written. A symbolic link \
         in place of an output dbmigration names itself is refused (the repository may have \
         planted it): remove it, or name the file you mean with -o / --out-dir"
    )
)]
pub struct OutputError {
    path: PathBuf,
    #[source]
    source: std::io::Error,
}

/// Where a command's main result goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Standard output (`-o -`).
    Stdout,
    /// A file the user named, replaced atomically; links and devices are followed.
    File(PathBuf),
    /// A file name we chose, replaced atomically; must be a regular file or absent.
    Chosen(PathBuf),
}

impl Output {
    /// `-o` as given, or the command's default file name.
    pub fn from_arg(arg: Option<&Path>, default: impl Into<PathBuf>) -> Self {
        match arg {
            Some(p) if p == Path::new("-") => Output::Stdout,
            Some(p) => Output::File(p.to_path_buf()),
            None => Output::Chosen(default.into()),
        }
    }

    /// Writes `contents` in full, or nothing at all.
    pub fn write(&self, contents: &str) -> Result<(), OutputError> {
        write_all(&[(self.clone(), contents)])
    }

    /// How to name this output in a message.
    pub fn describe(&self) -> String {
        match self {
            Output::Stdout => "stdout".to_owned(),
            Output::File(p) | Output::Chosen(p) => p.display().to_string(),
        }
    }
}

/// One output ready to be put in place.
enum Staged {
    /// Written to a temp file next to `target`, renamed over it on commit.
    Rename {
        tmp: tempfile::NamedTempFile,
        target: PathBuf,
    },
    /// Written on commit (stdout, a device, a FIFO): nothing to stage.
    InPlace(Output, String),
}

/// Writes every output or none: all are first written to temp files next to their targets
/// (any failure there leaves every old output as it was), then renamed into place one after
/// the other. Should a rename fail half-way (the file system went away), the outputs not yet
/// replaced are removed, so that no stale file sits next to fresh ones (`run` must never
/// leave a new `release.hcl` next to an old `diff.sql`).
pub fn write_all(outputs: &[(Output, &str)]) -> Result<(), OutputError> {
    let mut staged = Vec::with_capacity(outputs.len());
    for (output, contents) in outputs {
        staged.push(stage(output, contents)?);
    }
    let mut failure = None;
    for item in staged {
        match (item, failure.is_some()) {
            (Staged::Rename { tmp, target }, false) => {
                if let Err(e) = tmp.persist(&target) {
                    let _ = remove_stale(&target);
                    failure = Some(OutputError {
                        path: target,
                        source: e.error,
                    });
                }
            }
            (Staged::Rename { target, .. }, true) => {
                let _ = remove_stale(&target);
            }
            (Staged::InPlace(output, contents), false) => {
                if let Err(e) = write_in_place(&output, &contents) {
                    failure = Some(e);
                }
            }
            (Staged::InPlace(..), true) => {}
        }
    }
    failure.map_or(Ok(()), Err)
}

/// Removes an old regular file that could not be replaced.
fn remove_stale(target: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(target)?.is_file() {
        std::fs::remove_file(target)?;
    }
    Ok(())
}

fn stage(output: &Output, contents: &str) -> Result<Staged, OutputError> {
    let (path, follow) = match output {
        Output::Stdout => return Ok(Staged::InPlace(output.clone(), contents.to_owned())),
        Output::File(p) => (p, true),
        Output::Chosen(p) => (p, false),
    };
    let fail = |source| OutputError {
        path: path.clone(),
        source,
    };
    let refuse = |kind, what: &str| fail(std::io::Error::new(kind, what.to_owned()));
    let (target, mode) = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (path.clone(), None),
        Err(e) => return Err(fail(e)),
        Ok(meta) if meta.file_type().is_symlink() && !follow => {
            return Err(refuse(
                std::io::ErrorKind::InvalidInput,
                "it is a symbolic link, and dbmigration does not write through a link in place \
                 of a file it names itself",
            ));
        }
        Ok(meta) => {
            // The file itself, or what a link the user named points to.
            let meta = if meta.file_type().is_symlink() {
                std::fs::metadata(path).map_err(fail)?
            } else {
                meta
            };
            if meta.is_dir() {
                return Err(refuse(
                    std::io::ErrorKind::IsADirectory,
                    "the output path is a directory",
                ));
            }
            if !meta.is_file() {
                // Renaming over `/dev/null`, a FIFO or a terminal would replace the node
                // itself: those are written in place.
                return Ok(Staged::InPlace(output.clone(), contents.to_owned()));
            }
            let real = std::fs::canonicalize(path).map_err(fail)?;
            (real, Some(meta.permissions().mode() & 0o7777))
        }
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // Created with 0666 less the umask, as `File::create` would; a replaced file's mode kept.
    let mut tmp = tempfile::Builder::new()
        .prefix(".dbmigration-")
        .suffix(".tmp")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(&dir)
        .map_err(fail)?;
    if let Some(mode) = mode {
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(fail)?;
    }
    tmp.write_all(contents.as_bytes()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    Ok(Staged::Rename { tmp, target })
}

fn write_in_place(output: &Output, contents: &str) -> Result<(), OutputError> {
    match output {
        Output::Stdout => {
            let mut out = std::io::stdout().lock();
            match out
                .write_all(contents.as_bytes())
                .and_then(|()| out.flush())
            {
                // A closed pipe (`| head`) is the reader's choice, not our failure.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(OutputError {
                    path: PathBuf::from("<stdout>"),
                    source: e,
                }),
                _ => Ok(()),
            }
        }
        Output::File(path) | Output::Chosen(path) => std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(contents.as_bytes()))
            .map_err(|source| OutputError {
                path: path.clone(),
                source,
            }),
    }
}

/// Creates `dir` and its missing parents (`mkdir -p`); an existing directory is fine.
pub fn create_dir(dir: &Path) -> Result<(), OutputError> {
    std::fs::create_dir_all(dir).map_err(|source| OutputError {
        path: dir.to_path_buf(),
        source,
    })
}

/// Turns a git revspec into a file-name-safe stem: `origin/main` → `origin-main`,
/// `HEAD~3` → `HEAD-3`, `v1.2` stays.
pub fn file_stem_for_ref(revspec: &str) -> String {
    let mut out = String::with_capacity(revspec.len());
    for c in revspec.chars() {
        if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches(|c| c == '-' || c == '.');
    if trimmed.is_empty() {
        "ref".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_stems() {
        assert_eq!(file_stem_for_ref("release"), "release");
        assert_eq!(file_stem_for_ref("origin/main"), "origin-main");
        assert_eq!(file_stem_for_ref("HEAD~3"), "HEAD-3");
        assert_eq!(file_stem_for_ref("v1.2.0"), "v1.2.0");
        assert_eq!(file_stem_for_ref("main^{tree}"), "main-tree");
        assert_eq!(file_stem_for_ref("../x"), "x");
        assert_eq!(file_stem_for_ref("@"), "ref");
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.hcl");
        let out = Output::from_arg(Some(&path), "unused");
        out.write("first").unwrap();
        out.write("second").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second");
        // No temp files left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn write_into_missing_directory_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::File(dir.path().join("missing/out.hcl"));
        assert!(out.write("x").is_err());
    }

    #[test]
    fn special_files_are_written_in_place_not_replaced() {
        let null = Path::new("/dev/null");
        Output::File(null.to_path_buf()).write("discarded").unwrap();
        let meta = std::fs::metadata(null).unwrap();
        assert!(!meta.is_file(), "/dev/null must stay a device");
        let dir = tempfile::tempdir().unwrap();
        assert!(Output::File(dir.path().to_path_buf()).write("x").is_err());
    }

    #[test]
    fn dash_means_stdout() {
        assert_eq!(Output::from_arg(Some(Path::new("-")), "x"), Output::Stdout);
        assert_eq!(
            Output::from_arg(None, "a.hcl"),
            Output::Chosen("a.hcl".into())
        );
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_honour_the_umask_and_replaced_files_keep_their_mode() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("fresh.sql");
        Output::File(fresh.clone()).write("x").unwrap();
        // What File::create gives under the current umask.
        let reference = dir.path().join("reference");
        std::fs::File::create(&reference).unwrap();
        assert_eq!(mode(&fresh), mode(&reference));
        std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o640)).unwrap();
        Output::File(fresh.clone()).write("y").unwrap();
        assert_eq!(mode(&fresh), 0o640);
    }

    #[test]
    fn symlinks_are_followed_when_named_and_refused_when_chosen() {
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("real");
        std::fs::create_dir(&real_dir).unwrap();
        let real = real_dir.join("target.sql");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.sql");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        // Named by the user: the target is replaced, the link stays a link.
        Output::File(link.clone()).write("named").unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "named");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // A name we chose: refused, nothing written anywhere.
        let err = Output::Chosen(link.clone()).write("chosen").unwrap_err();
        assert!(err.source.to_string().contains("symbolic link"), "{err:?}");
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "named");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // A dangling link we chose is refused too (it would create its target).
        let dangling = dir.path().join("dangling.sql");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(Output::Chosen(dangling).write("x").is_err());
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn all_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.hcl");
        let b = dir.path().join("b.sql");
        std::fs::write(&a, "old a").unwrap();
        std::fs::write(&b, "old b").unwrap();
        // The second output cannot be staged: neither is replaced.
        let bad = Output::Chosen(dir.path().join("missing/c.sql"));
        let err = write_all(&[
            (Output::Chosen(a.clone()), "new a"),
            (bad, "new c"),
            (Output::Chosen(b.clone()), "new b"),
        ]);
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "old b");
        write_all(&[
            (Output::Chosen(a.clone()), "new a"),
            (Output::Chosen(b.clone()), "new b"),
        ])
        .unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new b");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
