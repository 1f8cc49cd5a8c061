//! Finding the PostgreSQL server binaries of the wanted major version.
//!
//! An explicit directory (`--pg-bin`, else `PG_BIN`) is used as it is. Otherwise every place
//! below is a candidate, and the first one of the requested major version wins; without a
//! requested version, the highest major version found (earlier places first among equals):
//!
//! 1. `$PATH` (symlinks resolved, so that `initdb` and `postgres` come from one installation);
//! 2. `pg_config --bindir`;
//! 3. `/usr/lib/postgresql/<N>/bin` (Debian, Ubuntu);
//! 4. the per-user directory `<dir>/<N>/bin` that `scripts/install-pg.sh` fills, where `<dir>`
//!    is `$DBMIGRATION_PG_DIR`, `$XDG_CACHE_HOME/dbmigration/postgres` (`~/.cache/…`) and
//!    `/var/cache/dbmigration/postgres` (the script's choice for root, since the server then
//!    runs as `postgres`, which cannot enter `/root`);
//! 5. `/usr/local/pgsql/bin` (a source build's default prefix).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::ScratchError;

/// The environment variable naming the wanted major version (as `--pg-version` does).
pub const VERSION_ENV: &str = "DBMIGRATION_PG_VERSION";
/// The environment variable naming the per-user binaries directory.
pub const DIR_ENV: &str = "DBMIGRATION_PG_DIR";
/// The oldest and newest major versions the catalog queries and the diff planner know.
pub const SUPPORTED: std::ops::RangeInclusive<u32> = 13..=18;

/// A directory holding `initdb` and `postgres`, and the server version they report.
#[derive(Debug, Clone)]
pub(crate) struct PgBinaries {
    pub(crate) initdb: PathBuf,
    pub(crate) postgres: PathBuf,
    /// `15.10`, from `postgres --version`.
    pub(crate) version: String,
}

/// What the caller asked for: a major version and/or an explicit directory.
#[derive(Debug, Clone, Default)]
pub(crate) struct BinariesRequest {
    /// `--pg-version` (else `DBMIGRATION_PG_VERSION` is read here).
    pub(crate) major: Option<u32>,
    /// `--pg-bin` (else `PG_BIN` is read here).
    pub(crate) bin_dir: Option<PathBuf>,
}

/// One directory that holds a server, with the major version its path or `--version` says.
#[derive(Debug, Clone)]
struct Candidate {
    dir: PathBuf,
    major: u32,
}

impl PgBinaries {
    /// Locates the binaries (see the module docs) and asks `postgres` for its version.
    pub(crate) fn find(request: &BinariesRequest) -> Result<PgBinaries, ScratchError> {
        let major = match request.major {
            Some(m) => Some(m),
            None => version_from_env()?,
        };
        let explicit = request.bin_dir.clone().or_else(|| {
            std::env::var_os("PG_BIN")
                .filter(|d| !d.is_empty())
                .map(PathBuf::from)
        });
        if let Some(dir) = explicit {
            let Some((initdb, postgres)) = in_dir(&dir) else {
                return Err(ScratchError::PgBinInvalid { dir });
            };
            let found = with_version(initdb, postgres)?;
            return match major {
                Some(want) if found.major() != want => Err(ScratchError::PgBinWrongVersion {
                    dir,
                    found: found.version,
                    wanted: want,
                }),
                _ => Ok(found),
            };
        }
        let candidates = candidates();
        let chosen = match major {
            Some(want) => candidates.iter().find(|c| c.major == want),
            // `max_by_key` keeps the last of equals: reverse so earlier places win.
            None => candidates.iter().rev().max_by_key(|c| c.major),
        };
        let Some(chosen) = chosen else {
            let found = describe(&candidates);
            return Err(match major {
                Some(wanted) => ScratchError::VersionNotFound { wanted, found },
                None => ScratchError::BinariesNotFound {
                    searched: searched(),
                },
            });
        };
        let (initdb, postgres) = in_dir(&chosen.dir).ok_or_else(|| ScratchError::PgBinInvalid {
            dir: chosen.dir.clone(),
        })?;
        let bins = with_version(initdb, postgres)?;
        if bins.major() != chosen.major {
            // A directory named `16` holding another version: trust what the server says.
            return Err(ScratchError::PgBinWrongVersion {
                dir: chosen.dir.clone(),
                found: bins.version,
                wanted: chosen.major,
            });
        }
        Ok(bins)
    }

    /// The major version number (`15`), 0 when unparsable.
    pub(crate) fn major(&self) -> u32 {
        major_of(&self.version)
    }

    /// The key of this installation's initdb template: the version alone would mix up two
    /// builds of one release (Debian's and a relocatable one, with other ICU and locales).
    pub(crate) fn template_key(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(self.postgres.as_os_str().as_encoded_bytes());
        let short: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        format!("{}-{short}", self.version)
    }
}

/// `DBMIGRATION_PG_VERSION`, when set and not empty.
pub fn version_from_env() -> Result<Option<u32>, ScratchError> {
    let Some(value) = std::env::var_os(VERSION_ENV) else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        // The same range `--pg-version` and `postgres { version }` accept.
        Ok(n) if SUPPORTED.contains(&n) => Ok(Some(n)),
        _ => Err(ScratchError::BadVersionEnv {
            value: text.to_owned(),
        }),
    }
}

/// Every installation found, in the order of the module docs, each directory once.
fn candidates() -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut push = |dir: PathBuf, major: Option<u32>| {
        let real = dir.canonicalize().unwrap_or(dir);
        if out.iter().any(|c| c.dir == real) || in_dir(&real).is_none() {
            return;
        }
        let major = match major {
            Some(m) => m,
            None => match version_of(&real.join("postgres")) {
                Some(v) => major_of(&v),
                None => return,
            },
        };
        out.push(Candidate { dir: real, major });
    };
    for dir in std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
    {
        if let Ok(real) = dir.join("initdb").canonicalize()
            && let Some(real_dir) = real.parent()
        {
            push(real_dir.to_path_buf(), None);
        }
    }
    if let Some(dir) = pg_config_bindir() {
        push(dir, None);
    }
    for (major, dir) in versioned_dirs(Path::new("/usr/lib/postgresql")) {
        push(dir, Some(major));
    }
    for root in per_user_roots() {
        for (major, dir) in versioned_dirs(&root) {
            push(dir, Some(major));
        }
    }
    push(PathBuf::from("/usr/local/pgsql/bin"), None);
    out
}

/// The per-user directories `scripts/install-pg.sh` installs into (see the module docs).
pub(crate) fn per_user_roots() -> Vec<PathBuf> {
    let mut roots = Vec::new();
    if let Some(dir) = std::env::var_os(DIR_ENV).filter(|d| !d.is_empty()) {
        roots.push(PathBuf::from(dir));
    }
    if let Some(cache) = dirs::cache_dir() {
        roots.push(cache.join("dbmigration/postgres"));
    }
    roots.push(PathBuf::from("/var/cache/dbmigration/postgres"));
    roots
}

fn searched() -> String {
    let mut places = vec![
        "--pg-bin / PG_BIN (unset)".to_owned(),
        "$PATH".to_owned(),
        "pg_config --bindir".to_owned(),
        "/usr/lib/postgresql/*/bin".to_owned(),
    ];
    places.extend(
        per_user_roots()
            .iter()
            .map(|r| format!("{}/*/bin", r.display())),
    );
    places.push("/usr/local/pgsql/bin".to_owned());
    places.join(", ")
}

/// `15 (/usr/lib/postgresql/15/bin), 18 (/var/cache/…/18/bin)`, or `none`.
fn describe(candidates: &[Candidate]) -> String {
    if candidates.is_empty() {
        return "none".to_owned();
    }
    candidates
        .iter()
        .map(|c| format!("{} ({})", c.major, c.dir.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pg_config_bindir() -> Option<PathBuf> {
    let out = Command::new("pg_config").arg("--bindir").output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let dir = text.trim();
    (!dir.is_empty()).then(|| PathBuf::from(dir))
}

fn in_dir(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let initdb = dir.join("initdb");
    let postgres = dir.join("postgres");
    (initdb.is_file() && postgres.is_file()).then_some((initdb, postgres))
}

/// `<root>/<major>/bin` for every directory named by a number, highest first.
fn versioned_dirs(root: &Path) -> Vec<(u32, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut dirs: Vec<(u32, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse().ok()?;
            Some((major, e.path().join("bin")))
        })
        .collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.0));
    dirs
}

fn version_of(postgres: &Path) -> Option<String> {
    let out = Command::new(postgres).arg("--version").output().ok()?;
    parse_version(&String::from_utf8_lossy(&out.stdout))
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
        log: format!(
            "{}{}",
            text.trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        ),
    })?;
    Ok(PgBinaries {
        initdb,
        postgres,
        version,
    })
}

/// `15.10` → 15, `17beta1` → 17; 0 when there is no leading number.
pub(crate) fn major_of(version: &str) -> u32 {
    let digits: String = version.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
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
    use super::{major_of, parse_version, versioned_dirs};

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
        assert_eq!(major_of("15.10"), 15);
        assert_eq!(major_of("17beta1"), 17);
        assert_eq!(major_of("x"), 0);
    }

    #[test]
    fn versioned_dirs_are_numeric_and_highest_first() {
        let tmp = tempfile::tempdir().unwrap();
        for name in ["9", "13", "18", "latest", "15"] {
            std::fs::create_dir(tmp.path().join(name)).unwrap();
        }
        let majors: Vec<u32> = versioned_dirs(tmp.path()).iter().map(|d| d.0).collect();
        assert_eq!(majors, vec![18, 15, 13, 9]);
    }
}
