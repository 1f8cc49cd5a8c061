//! A migrations directory on disk (`--dir PATH`), to preview uncommitted work.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Source, SourceError, SourceFile, decode};

/// Every file under a directory on disk, recursively (symlinks followed, `.git` skipped).
#[derive(Debug, Clone)]
pub struct DirSource {
    root: PathBuf,
}

impl DirSource {
    /// A source reading the directory `root`.
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// The directory read.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn walk(&self, rel: &Path, out: &mut Vec<SourceFile>) -> Result<(), SourceError> {
        let abs = self.root.join(rel);
        let io = |source| SourceError::Io {
            path: abs.clone(),
            source,
        };
        for entry in fs::read_dir(&abs).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            if name == ".git" {
                continue;
            }
            // Formats match names as text; a name we cannot read would be skipped silently.
            if name.to_str().is_none() {
                return Err(SourceError::NameNotUtf8 {
                    name: rel.join(&name).to_string_lossy().into_owned(),
                    at: format!("`{}`", self.root.display()),
                });
            }
            let child = rel.join(&name);
            let child_abs = abs.join(&name);
            // `metadata` follows symlinks: a linked file or directory counts as what it points to.
            let meta = fs::metadata(&child_abs).map_err(|source| SourceError::Io {
                path: child_abs.clone(),
                source,
            })?;
            if meta.is_dir() {
                self.walk(&child, out)?;
            } else if meta.is_file() {
                let bytes = fs::read(&child_abs).map_err(|source| SourceError::Io {
                    path: child_abs.clone(),
                    source,
                })?;
                out.extend(decode(child, bytes, &self.root)?);
            }
        }
        Ok(())
    }
}

impl Source for DirSource {
    fn files(&self) -> Result<Vec<SourceFile>, SourceError> {
        match fs::metadata(&self.root) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(SourceError::NotADir {
                    path: self.root.clone(),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SourceError::DirNotFound {
                    path: self.root.clone(),
                });
            }
            Err(source) => {
                return Err(SourceError::Io {
                    path: self.root.clone(),
                    source,
                });
            }
        }
        let mut out = Vec::new();
        self.walk(Path::new(""), &mut out)?;
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn describe(&self) -> String {
        format!("directory `{}`", self.root.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_files_sorted_and_skips_binary_non_sql() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("b dir")).unwrap();
        fs::write(tmp.path().join("b dir/up.sql"), "select 1;").unwrap();
        fs::write(tmp.path().join("a.sql"), "select 2;").unwrap();
        fs::write(tmp.path().join("logo.png"), [0xff, 0xfe, 0x00]).unwrap();
        let files = DirSource::new(tmp.path().to_path_buf()).files().unwrap();
        let paths: Vec<_> = files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(
            paths,
            [PathBuf::from("a.sql"), PathBuf::from("b dir/up.sql")]
        );
    }

    #[test]
    fn non_utf8_sql_is_an_error_naming_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("001_x.sql"), b"select '\xe9';").unwrap();
        let err = DirSource::new(tmp.path().to_path_buf())
            .files()
            .unwrap_err();
        assert!(
            matches!(&err, SourceError::NotUtf8 { path, offset: 8 } if path.ends_with("001_x.sql")),
            "{err:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_name_is_an_error() {
        use std::os::unix::ffi::OsStrExt;
        let tmp = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"001_caf\xe9.up.sql");
        fs::write(tmp.path().join(name), "select 1;").unwrap();
        let err = DirSource::new(tmp.path().to_path_buf())
            .files()
            .unwrap_err();
        assert!(
            matches!(&err, SourceError::NameNotUtf8 { name, .. } if name.starts_with("001_caf")),
            "{err:?}"
        );
    }

    #[test]
    fn missing_dir() {
        let err = DirSource::new(PathBuf::from("/nonexistent/dbm"))
            .files()
            .unwrap_err();
        assert!(matches!(err, SourceError::DirNotFound { .. }));
    }
}
