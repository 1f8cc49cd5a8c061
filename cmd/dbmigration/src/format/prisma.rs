//! Prisma Migrate: one directory per migration, `<timestamp>_<name>/migration.sql`, applied
//! in directory-name order (Prisma sorts them that way; we order digit runs by value, which
//! agrees for its fixed-width timestamps), next to a `migration_lock.toml`. Prisma has no down
//! migrations. A migration directory without `migration.sql` is an error, as in Prisma.

use std::collections::BTreeMap;
use std::path::Path;

use super::tracking::Tracking;
use super::version::{natural_cmp, split_digits};
use super::{Format, FormatError, Specificity, sort_unique, whole};
use crate::migration::{Migration, SourceFile};

/// The Prisma Migrate format.
pub struct Prisma;

const EXAMPLE: &str = "20240101120000_create_users/migration.sql";

/// `(directory, file)` for files exactly one level down.
fn split(f: &SourceFile) -> Option<(&str, &str)> {
    let mut parts = f.path.components().map(|c| c.as_os_str().to_str());
    let (Some(Some(dir)), Some(Some(file)), None) = (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some((dir, file))
}

impl Format for Prisma {
    fn name(&self) -> &'static str {
        "prisma"
    }

    fn specificity(&self) -> Specificity {
        Specificity::Marker
    }

    fn example(&self) -> &'static str {
        EXAMPLE
    }

    fn ordering(&self) -> &'static str {
        "directory name order (prisma migrate)"
    }

    /// prisma-engines `schema-engine/connectors/sql-schema-connector` (`_prisma_migrations`,
    /// `create_migrations_table`): one row per migration with the SHA-256 of its
    /// `migration.sql` and `applied_steps_count` 1 once it finished.
    fn tracking(&self) -> Option<Tracking> {
        Some(Tracking {
            table: "_prisma_migrations",
            create: &[
                "CREATE TABLE IF NOT EXISTS {table} (id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ, migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ, started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)",
            ],
            record: |m, _| {
                use sha2::Digest as _;
                let name = format!("{}_{}", m.version, m.name);
                vec![(
                    "INSERT INTO {table} (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (md5($2::text), $1::text, now(), $2::text, 1)",
                    vec![
                        super::tracking::hex(&sha2::Sha256::digest(m.source.as_bytes())),
                        name,
                    ],
                )]
            },
        })
    }

    fn detect(&self, files: &[SourceFile]) -> bool {
        files
            .iter()
            .any(|f| f.path == Path::new("migration_lock.toml"))
            || files
                .iter()
                .filter_map(split)
                .any(|(_, file)| file == "migration.sql")
    }

    fn migrations(&self, dir: &Path, files: &[SourceFile]) -> Result<Vec<Migration>, FormatError> {
        let mut dirs: BTreeMap<&str, Option<&SourceFile>> = BTreeMap::new();
        for f in files {
            let Some((d, file)) = split(f) else { continue };
            if d.starts_with('.') {
                continue;
            }
            let entry = dirs.entry(d).or_default();
            if file == "migration.sql" {
                *entry = Some(f);
            }
        }
        let mut found = Vec::with_capacity(dirs.len());
        for (d, sql) in dirs {
            let Some(sql) = sql else {
                return Err(FormatError::BadName {
                    path: dir.join(d),
                    format: self.name(),
                    reason: "the migration directory has no migration.sql".into(),
                    example: EXAMPLE,
                });
            };
            found.push((d, sql));
        }
        sort_unique(
            self.name(),
            &mut found,
            |a, b| natural_cmp(a.0, b.0),
            |a| a.0.to_owned(),
            |a| dir.join(&a.1.path),
        )?;
        Ok(found
            .into_iter()
            .map(|(d, f)| {
                let (version, rest) = split_digits(d);
                let (version, name) = if version.is_empty() {
                    (d, d)
                } else {
                    (version, rest.trim_start_matches('_'))
                };
                Migration {
                    version: version.to_owned(),
                    name: name.to_owned(),
                    path: dir.join(&f.path),
                    source: f.contents.clone(),
                    up: whole(&f.contents),
                    down: None,
                    transactional: true,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::files;

    #[test]
    fn directories_in_order() {
        let fs = files(&[
            ("migration_lock.toml", "provider = \"postgresql\"\n"),
            ("20240102000000_orders/migration.sql", "b"),
            ("20240101000000_init/migration.sql", "a"),
        ]);
        assert!(Prisma.detect(&fs));
        let ms = Prisma
            .migrations(Path::new("prisma/migrations"), &fs)
            .unwrap();
        assert_eq!(ms[0].version, "20240101000000");
        assert_eq!(ms[0].name, "init");
        assert_eq!(
            ms[1].path,
            Path::new("prisma/migrations/20240102000000_orders/migration.sql")
        );
    }

    #[test]
    fn directory_without_sql() {
        let fs = files(&[("1_a/migration.sql", ""), ("2_b/README.md", "")]);
        assert!(matches!(
            Prisma.migrations(Path::new(""), &fs),
            Err(FormatError::BadName { .. })
        ));
    }

    #[test]
    fn diesel_layout_is_not_prisma() {
        assert!(!Prisma.detect(&files(&[("1_a/up.sql", "")])));
    }
}
