//! Flyway: `V<version>__<description>.sql` versioned migrations, `U<version>__….sql` undo
//! scripts (the downs), and `R__<description>.sql` repeatables, applied after all versioned
//! ones, sorted by description. Versions are dotted (`1.2.10`; `_` counts as `.`, as in
//! Flyway) and compare numerically part by part, so `1.2.10` comes after `1.2.9`, and `1` and
//! `1.0` are the same version. Files are found at any depth, as Flyway scans locations
//! recursively. A `<file>.conf` next to a script with `executeInTransaction=false` makes it
//! non-transactional.
//!
//! Callbacks (`beforeMigrate.sql`, `afterMigrate.sql`, …) and other `.sql` files are skipped
//! with a reason, as Flyway does; a name that starts like a migration (`V`, `U`, `R`) but does
//! not fit is an error.

use std::path::Path;

use super::tracking::Tracking;
use super::version::cmp_dotted;
use super::{Format, FormatError, Skipped, Specificity, sort_unique, whole};
use crate::migration::{Migration, SourceFile};

/// The Flyway format.
pub struct Flyway;

const EXAMPLE: &str = "V1.2__create_users.sql";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Versioned,
    Undo,
    Repeatable,
}

struct Name<'a> {
    kind: Kind,
    /// The version as written (`1_2`), empty for repeatables.
    version: &'a str,
    parts: Vec<&'a str>,
    description: &'a str,
}

enum Parsed<'a> {
    Migration(Name<'a>),
    Malformed,
    Other,
}

fn file_name(f: &SourceFile) -> Option<&str> {
    f.path.file_name()?.to_str()
}

fn parse(name: &str) -> Parsed<'_> {
    let Some(stem) = name.strip_suffix(".sql") else {
        return Parsed::Other;
    };
    let kind = match stem.chars().next() {
        Some('V') => Kind::Versioned,
        Some('U') => Kind::Undo,
        Some('R') => Kind::Repeatable,
        _ => return Parsed::Other,
    };
    // `Views.sql` is some other file; `V1_x.sql` or `R_x.sql` is a migration written wrong.
    if !stem[1..].starts_with(|c: char| c.is_ascii_digit() || c == '_') {
        return Parsed::Other;
    }
    let Some((version, description)) = stem[1..].split_once("__") else {
        return Parsed::Malformed;
    };
    if kind == Kind::Repeatable {
        if !version.is_empty() || description.is_empty() {
            return Parsed::Malformed;
        }
        return Parsed::Migration(Name {
            kind,
            version,
            parts: Vec::new(),
            description,
        });
    }
    let parts: Vec<&str> = version.split(['.', '_']).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Parsed::Malformed;
    }
    Parsed::Migration(Name {
        kind,
        version,
        parts,
        description,
    })
}

fn is_callback(name: &str) -> bool {
    name.starts_with("before") || name.starts_with("after")
}

fn transactional(f: &SourceFile, files: &[SourceFile]) -> bool {
    let mut conf = f.path.clone().into_os_string();
    conf.push(".conf");
    !files.iter().any(|c| {
        c.path.as_os_str() == conf.as_os_str()
            && super::lines_with_offsets(&c.contents)
                .any(|(_, l)| l.replace(' ', "") == "executeInTransaction=false")
    })
}

impl Format for Flyway {
    fn name(&self) -> &'static str {
        "flyway"
    }

    fn specificity(&self) -> Specificity {
        Specificity::Marker
    }

    fn example(&self) -> &'static str {
        EXAMPLE
    }

    fn ordering(&self) -> &'static str {
        "dotted version compared part by part, `_` as `.`; repeatables last by description (Flyway MigrationInfoHelper)"
    }

    /// Flyway `flyway-database-postgresql` `createSchemaHistoryTable.sql`: one row per
    /// script with its rank, version (none for repeatables), checksum (`ChecksumCalculator`,
    /// CRC32 over the lines) and the role that ran it.
    fn tracking(&self) -> Option<Tracking> {
        Some(Tracking {
            table: "flyway_schema_history",
            create: &[
                "CREATE TABLE IF NOT EXISTS {table} (installed_rank INT NOT NULL, version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INTEGER, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(), execution_time INTEGER NOT NULL, success BOOLEAN NOT NULL, CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank))",
            ],
            record: |m, rank| {
                let version = if m.version == "R" {
                    String::new()
                } else {
                    m.version.clone()
                };
                vec![(
                    "INSERT INTO {table} (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES ($1::text::int, NULLIF($2::text, ''), $3::text, 'SQL', $4::text, $5::text::int, current_user, 0, true)",
                    vec![
                        rank.to_string(),
                        version,
                        m.name.clone(),
                        m.file_name(),
                        checksum(&m.source).to_string(),
                    ],
                )]
            },
        })
    }

    fn detect(&self, files: &[SourceFile]) -> bool {
        files
            .iter()
            .filter_map(file_name)
            .any(|n| matches!(parse(n), Parsed::Migration(m) if m.kind != Kind::Undo))
    }

    fn skipped(&self, dir: &Path, files: &[SourceFile]) -> Vec<Skipped> {
        files
            .iter()
            .filter_map(|f| Some((f, file_name(f)?)))
            .filter(|(_, n)| n.ends_with(".sql") && matches!(parse(n), Parsed::Other))
            .map(|(f, n)| Skipped {
                path: dir.join(&f.path),
                reason: if is_callback(n) {
                    "a Flyway callback, not a migration".into()
                } else {
                    "not named `V…__`, `U…__` or `R__`, so Flyway does not run it".into()
                },
            })
            .collect()
    }

    fn migrations(&self, dir: &Path, files: &[SourceFile]) -> Result<Vec<Migration>, FormatError> {
        let mut versioned = Vec::new();
        let mut undo = Vec::new();
        let mut repeatable = Vec::new();
        for f in files {
            let Some(n) = file_name(f) else { continue };
            match parse(n) {
                Parsed::Other => {}
                Parsed::Malformed => {
                    return Err(FormatError::BadName {
                        path: dir.join(&f.path),
                        format: self.name(),
                        reason: "expected `V<version>__<description>.sql` (version like `1`, `1.2` or `2024.01.15`), `U<version>__….sql` or `R__<description>.sql`".into(),
                        example: EXAMPLE,
                    });
                }
                Parsed::Migration(m) => match m.kind {
                    Kind::Versioned => versioned.push((m, f)),
                    Kind::Undo => undo.push((m, f)),
                    Kind::Repeatable => repeatable.push((m, f)),
                },
            }
        }
        let by_version = |a: &(Name<'_>, &SourceFile), b: &(Name<'_>, &SourceFile)| {
            cmp_dotted(&a.0.parts, &b.0.parts)
        };
        let version = |a: &(Name<'_>, &SourceFile)| a.0.version.replace('_', ".");
        let path = |a: &(Name<'_>, &SourceFile)| dir.join(&a.1.path);
        sort_unique(self.name(), &mut versioned, by_version, version, path)?;
        sort_unique(self.name(), &mut undo, by_version, version, path)?;
        sort_unique(
            self.name(),
            &mut repeatable,
            |a, b| a.0.description.cmp(b.0.description),
            |a| format!("R__{}", a.0.description),
            path,
        )?;
        let migration = |(m, f): (Name<'_>, &SourceFile), down: Option<String>| Migration {
            version: if m.kind == Kind::Repeatable {
                "R".to_owned()
            } else {
                m.version.replace('_', ".")
            },
            name: m.description.replace('_', " "),
            path: dir.join(&f.path),
            source: f.contents.clone(),
            up: whole(&f.contents),
            down,
            transactional: transactional(f, files),
        };
        let mut out = Vec::with_capacity(versioned.len() + repeatable.len());
        for v in versioned {
            let down = undo
                .iter()
                .find(|u| cmp_dotted(&u.0.parts, &v.0.parts).is_eq())
                .map(|u| u.1.contents.clone());
            out.push(migration(v, down));
        }
        out.extend(repeatable.into_iter().map(|r| migration(r, None)));
        Ok(out)
    }
}

/// Flyway's script checksum (`org.flywaydb.core.internal.resolver.ChecksumCalculator`):
/// CRC-32 over the UTF-8 bytes of each line without its line ending (a BOM on the first line
/// dropped), as a signed 32-bit integer.
fn checksum(text: &str) -> i32 {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut crc = !0u32;
    for line in text.split('\n') {
        for &byte in line.strip_suffix('\r').unwrap_or(line).as_bytes() {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
    }
    // Reinterpreting the bits is the point: Java stores `(int) crc32.getValue()`.
    (!crc).cast_signed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::files;

    #[test]
    fn dotted_numeric_order_then_repeatables() {
        let fs = files(&[
            ("R__views.sql", "create view v"),
            ("R__a_functions.sql", "create function f"),
            ("V1.2.10__ten.sql", "10"),
            ("V1.2.9__nine.sql", "9"),
            ("V2__two.sql", "2"),
            ("sub/V1_3__nested.sql", "1.3"),
            ("U2__two.sql", "undo 2"),
            ("afterMigrate.sql", "callback"),
            ("Views.sql", "not a migration"),
            ("V2__two.sql.conf", "executeInTransaction=false\n"),
        ]);
        assert!(Flyway.detect(&fs));
        let ms = Flyway.migrations(Path::new("db/migration"), &fs).unwrap();
        let v: Vec<_> = ms.iter().map(|m| m.version.as_str()).collect();
        assert_eq!(v, ["1.2.9", "1.2.10", "1.3", "2", "R", "R"]);
        assert_eq!(ms[4].name, "a functions");
        assert_eq!(ms[5].name, "views");
        assert_eq!(ms[3].down.as_deref(), Some("undo 2"));
        assert!(!ms[3].transactional);
        assert!(ms[0].transactional);
        let skipped = Flyway.skipped(Path::new("db/migration"), &fs);
        assert_eq!(skipped.len(), 2);
        assert!(skipped[0].reason.contains("callback"));
        assert!(skipped[1].path.ends_with("Views.sql"));
    }

    #[test]
    fn same_version_written_twice() {
        let fs = files(&[("V1__a.sql", ""), ("V1.0__b.sql", "")]);
        let err = Flyway.migrations(Path::new("m"), &fs).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("m/V1__a.sql") && msg.contains("m/V1.0__b.sql"),
            "{msg}"
        );
    }

    #[test]
    fn malformed_names() {
        for bad in [
            "V1_create.sql",
            "V1.x__a.sql",
            "R1__a.sql",
            "V__a.sql",
            "R_a.sql",
        ] {
            let fs = files(&[(bad, "")]);
            assert!(
                matches!(
                    Flyway.migrations(Path::new(""), &fs),
                    Err(FormatError::BadName { .. })
                ),
                "{bad}"
            );
        }
    }

    /// CRC-32 of the lines without endings: `abc` alone is the standard check value
    /// 0x352441C2, and line endings do not change it.
    #[test]
    fn checksum_is_crc32_of_the_lines() {
        assert_eq!(checksum("abc"), 0x3524_41C2);
        assert_eq!(checksum("a\nbc"), checksum("a\r\nbc"));
        assert_eq!(checksum("a\nbc"), checksum("abc"));
        assert_eq!(checksum("\u{feff}abc"), checksum("abc"));
    }
}
