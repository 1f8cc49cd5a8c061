//! diesel: one directory per migration, `<version>_<name>/up.sql` with an optional `down.sql`
//! (and `metadata.toml`, where `run_in_transaction = false` opts out of the transaction).
//! The version is the name before the first `_` with every `-` removed, compared as a string:
//! diesel's `version_from_string` (diesel-rs/diesel migrations_internals/src/lib.rs) and the sort
//! in `MigrationHarness::pending_migrations` (diesel_migrations/src/migration_harness.rs). So
//! `2017-08-31-230457_x` (20170831230457) runs after `20140924113530_y`, as in crates.io's
//! history, and `10_x` before `2_x`. Directories starting with `.` and top-level files are
//! ignored, as diesel does; a migration directory without `up.sql` is an error.

use std::collections::BTreeMap;
use std::path::Path;

use super::tracking::Tracking;
use super::{Format, FormatError, Specificity, sort_unique, whole};
use crate::migration::{Migration, SourceFile};

/// The diesel format.
pub struct Diesel;

const EXAMPLE: &str = "2024-01-01-120000_create_users/up.sql";

/// The files of one migration directory.
#[derive(Default)]
struct Dir<'a> {
    up: Option<&'a SourceFile>,
    down: Option<&'a SourceFile>,
    metadata: Option<&'a SourceFile>,
}

/// `(directory, file)` for files exactly one level down.
fn split(f: &SourceFile) -> Option<(&str, &str)> {
    let mut parts = f.path.components().map(|c| c.as_os_str().to_str());
    let (Some(Some(dir)), Some(Some(file)), None) = (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some((dir, file))
}

/// The version diesel compares: `2024-01-01-120000` is `20240101120000`.
fn ordering_key(version: &str) -> String {
    version.replace('-', "")
}

fn run_in_transaction(metadata: Option<&SourceFile>) -> bool {
    !metadata.is_some_and(|m| {
        super::lines_with_offsets(&m.contents)
            .any(|(_, l)| l.replace([' ', '\t'], "") == "run_in_transaction=false")
    })
}

impl Format for Diesel {
    fn name(&self) -> &'static str {
        "diesel"
    }

    fn specificity(&self) -> Specificity {
        Specificity::Marker
    }

    fn example(&self) -> &'static str {
        EXAMPLE
    }

    fn ordering(&self) -> &'static str {
        "version before `_` with `-` removed, as a string (diesel migrations_internals)"
    }

    /// diesel `diesel/src/migration/setup_migration_table.sql`, and the version stored as
    /// the name before `_` with `-` removed (`migrations_internals`, `version_from_string`).
    fn tracking(&self) -> Option<Tracking> {
        Some(Tracking {
            table: "__diesel_schema_migrations",
            create: &[
                "CREATE TABLE IF NOT EXISTS {table} (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
            ],
            record: |m, _| {
                vec![(
                    "INSERT INTO {table} (version) VALUES ($1::text)",
                    vec![m.version.replace('-', "")],
                )]
            },
        })
    }

    fn detect(&self, files: &[SourceFile]) -> bool {
        files.iter().filter_map(split).any(|(dir, file)| {
            file == "up.sql" && dir.starts_with(|c: char| c.is_ascii_digit()) && dir.contains('_')
        })
    }

    fn migrations(&self, dir: &Path, files: &[SourceFile]) -> Result<Vec<Migration>, FormatError> {
        let mut dirs: BTreeMap<&str, Dir<'_>> = BTreeMap::new();
        for f in files {
            let Some((d, file)) = split(f) else { continue };
            if d.starts_with('.') {
                continue;
            }
            let entry = dirs.entry(d).or_default();
            match file {
                "up.sql" => entry.up = Some(f),
                "down.sql" => entry.down = Some(f),
                "metadata.toml" => entry.metadata = Some(f),
                _ => {}
            }
        }
        let mut found = Vec::with_capacity(dirs.len());
        for (d, files) in dirs {
            let bad = |reason: &str| FormatError::BadName {
                path: dir.join(d),
                format: "diesel",
                reason: reason.to_owned(),
                example: EXAMPLE,
            };
            let Some((version, name)) = d.split_once('_') else {
                return Err(bad("expected a directory named `<version>_<name>`"));
            };
            if version.is_empty() {
                return Err(bad("the version before `_` is empty"));
            }
            let Some(up) = files.up else {
                return Err(bad("the migration directory has no up.sql"));
            };
            found.push((
                version,
                name,
                up,
                files.down,
                run_in_transaction(files.metadata),
            ));
        }
        sort_unique(
            self.name(),
            &mut found,
            |a, b| ordering_key(a.0).cmp(&ordering_key(b.0)),
            |a| a.0.to_owned(),
            |a| dir.join(&a.2.path),
        )?;
        Ok(found
            .into_iter()
            .map(|(version, name, up, down, transactional)| Migration {
                version: version.to_owned(),
                name: name.to_owned(),
                path: dir.join(&up.path),
                source: up.contents.clone(),
                up: whole(&up.contents),
                down: down.map(|d| d.contents.clone()),
                transactional,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::files;

    #[test]
    fn directories_in_string_order() {
        let fs = files(&[
            (".keep", ""),
            ("10_ten/up.sql", "ten"),
            ("2_two/up.sql", "two"),
            ("2_two/down.sql", "undo"),
            ("2_two/metadata.toml", "run_in_transaction = false\n"),
            (".hidden/up.sql", "ignored"),
        ]);
        assert!(Diesel.detect(&fs));
        let ms = Diesel.migrations(Path::new("migrations"), &fs).unwrap();
        assert_eq!(ms.len(), 2);
        // diesel compares versions as strings: "10" < "2".
        assert_eq!(ms[0].name, "ten");
        assert!(ms[0].transactional);
        assert_eq!(ms[1].path, Path::new("migrations/2_two/up.sql"));
        assert_eq!(ms[1].down.as_deref(), Some("undo"));
        assert!(!ms[1].transactional);
    }

    #[test]
    fn timestamps_sort() {
        let fs = files(&[
            ("2024-01-02-000000_b/up.sql", ""),
            ("00000000000000_diesel_initial_setup/up.sql", ""),
            ("2024-01-01-235959_a/up.sql", ""),
        ]);
        let ms = Diesel.migrations(Path::new(""), &fs).unwrap();
        let v: Vec<_> = ms.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(v, ["diesel_initial_setup", "a", "b"]);
    }

    /// crates.io's history: 14-digit versions from before diesel wrote dashes, then dashed ones.
    /// Dashes are dropped before comparing, so the older undashed migrations run first.
    #[test]
    fn dashed_and_undashed_versions_interleave_by_date() {
        let fs = files(&[
            ("2017-08-31-230457_invitations/up.sql", ""),
            ("20140924113530_dumped_migration_1/up.sql", ""),
            ("20170308140537_create_users/up.sql", ""),
        ]);
        let ms = Diesel.migrations(Path::new(""), &fs).unwrap();
        let v: Vec<_> = ms.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(v, ["dumped_migration_1", "create_users", "invitations"]);
        // The same version once the dashes are gone is one version.
        let dup = files(&[("2024-01-01_a/up.sql", ""), ("20240101_b/up.sql", "")]);
        assert!(matches!(
            Diesel.migrations(Path::new(""), &dup),
            Err(FormatError::DuplicateVersion { .. })
        ));
    }

    #[test]
    fn errors() {
        let no_up = files(&[("1_a/up.sql", ""), ("2_b/down.sql", "")]);
        let err = Diesel.migrations(Path::new("m"), &no_up).unwrap_err();
        assert!(err.to_string().contains("m/2_b"), "{err}");
        let dup = files(&[("1_a/up.sql", ""), ("1_b/up.sql", "")]);
        assert!(matches!(
            Diesel.migrations(Path::new(""), &dup),
            Err(FormatError::DuplicateVersion { .. })
        ));
        let bad = files(&[("create/up.sql", "")]);
        assert!(matches!(
            Diesel.migrations(Path::new(""), &bad),
            Err(FormatError::BadName { .. })
        ));
    }
}
