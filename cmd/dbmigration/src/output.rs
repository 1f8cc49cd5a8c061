//! Writing results: atomically to a file (temp file in the same directory, then rename — a
//! failure never leaves half a file), or to stdout for `-`.

use std::io::Write;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

/// Writing an output file failed.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot write {}", path.display())]
#[diagnostic(
    code(dbmigration::output),
    help("check that the directory exists and is writable; nothing was written")
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
    /// A file, replaced atomically.
    File(PathBuf),
}

impl Output {
    /// `-o` as given, or the command's default file name.
    pub fn from_arg(arg: Option<&Path>, default: impl Into<PathBuf>) -> Self {
        match arg {
            Some(p) if p == Path::new("-") => Output::Stdout,
            Some(p) => Output::File(p.to_path_buf()),
            None => Output::File(default.into()),
        }
    }

    /// Writes `contents` in full, or nothing at all.
    pub fn write(&self, contents: &str) -> Result<(), OutputError> {
        match self {
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
            Output::File(path) => write_atomically(path, contents).map_err(|source| OutputError {
                path: path.clone(),
                source,
            }),
        }
    }

    /// How to name this output in a message.
    pub fn describe(&self) -> String {
        match self {
            Output::Stdout => "stdout".to_owned(),
            Output::File(p) => p.display().to_string(),
        }
    }
}

fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    // Renaming over `/dev/null`, a FIFO or a terminal would replace the device node itself:
    // anything that exists and is not a regular file is written to in place.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        if meta.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "the output path is a directory",
            ));
        }
        let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
        return f.write_all(contents.as_bytes());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".dbmigration-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
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
            Output::File("a.hcl".into())
        );
    }
}
