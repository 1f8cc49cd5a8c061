//! Finding the PostgreSQL server binaries: `PG_BIN`, then `$PATH`, then
//! `/usr/lib/postgresql/*/bin` (highest version first).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::ScratchError;

/// A directory holding `initdb` and `postgres`, and the server version they report.
#[derive(Debug, Clone)]
pub(crate) struct PgBinaries {
    pub(crate) initdb: PathBuf,
    pub(crate) postgres: PathBuf,
    /// `15.10`, from `postgres --version`; keys the initdb template cache.
    pub(crate) version: String,
}

impl PgBinaries {
    /// Locates the binaries (see the module docs) and asks `postgres` for its version.
    pub(crate) fn find() -> Result<PgBinaries, ScratchError> {
        if let Some(dir) = std::env::var_os("PG_BIN").filter(|d| !d.is_empty()) {
            let dir = PathBuf::from(dir);
            return match in_dir(&dir) {
                Some((initdb, postgres)) => with_version(initdb, postgres),
                None => Err(ScratchError::PgBinInvalid { dir }),
            };
        }
        let mut searched = vec!["PG_BIN (unset)".to_owned(), "$PATH".to_owned()];
        for dir in std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .unwrap_or_default()
        {
            // Resolve symlinks (`/usr/local/bin/initdb` -> the real bin dir) so that initdb
            // and postgres come from the same installation.
            if let Ok(real) = dir.join("initdb").canonicalize()
                && let Some(real_dir) = real.parent()
                && let Some((initdb, postgres)) = in_dir(real_dir)
            {
                return with_version(initdb, postgres);
            }
        }
        searched.push("/usr/lib/postgresql/*/bin".to_owned());
        searched.push("/usr/local/pgsql/bin".to_owned());
        let mut versioned = versioned_dirs(Path::new("/usr/lib/postgresql"));
        versioned.sort_by(|a, b| b.0.cmp(&a.0));
        let fixed = [PathBuf::from("/usr/local/pgsql/bin")];
        for dir in versioned.into_iter().map(|(_, d)| d).chain(fixed) {
            if let Some((initdb, postgres)) = in_dir(&dir) {
                return with_version(initdb, postgres);
            }
        }
        Err(ScratchError::BinariesNotFound {
            searched: searched.join(", "),
        })
    }
}

fn in_dir(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let initdb = dir.join("initdb");
    let postgres = dir.join("postgres");
    (initdb.is_file() && postgres.is_file()).then_some((initdb, postgres))
}

/// `/usr/lib/postgresql/<major>/bin` with the major version parsed for numeric ordering.
fn versioned_dirs(root: &Path) -> Vec<(Vec<u32>, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let key: Option<Vec<u32>> = name.split('.').map(|p| p.parse().ok()).collect();
            Some((key?, e.path().join("bin")))
        })
        .collect()
}

fn with_version(initdb: PathBuf, postgres: PathBuf) -> Result<PgBinaries, ScratchError> {
    let out = Command::new(&postgres)
        .arg("--version")
        .output()
        .map_err(|source| ScratchError::Spawn {
            program: postgres.clone(),
            source,
        })?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = parse_version(&text).ok_or_else(|| ScratchError::ServerStart {
        reason: format!("cannot read the version of {}", postgres.display()),
        log: text.trim().to_owned(),
    })?;
    Ok(PgBinaries {
        initdb,
        postgres,
        version,
    })
}

/// `postgres (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)` → `15.10`.
fn parse_version(text: &str) -> Option<String> {
    let rest = text.split(')').nth(1)?.trim_start();
    let version: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    (!version.is_empty()).then_some(version)
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn versions() {
        assert_eq!(
            parse_version("postgres (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)\n").as_deref(),
            Some("15.10")
        );
        assert_eq!(
            parse_version("postgres (PostgreSQL) 17beta1\n").as_deref(),
            Some("17beta1")
        );
        assert_eq!(parse_version("garbage"), None);
    }
}
