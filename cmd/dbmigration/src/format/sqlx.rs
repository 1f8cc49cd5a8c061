//! sqlx: `<version>_<description>.sql` (simple) or `<version>_<description>.up.sql` /
//! `.down.sql` (reversible), version an integer compared numerically. A file whose text
//! starts with `-- no-transaction` runs outside a transaction, as in sqlx. `.sql` files whose
//! name does not start with a digit are skipped with a reason (sqlx ignores names without a
//! `<version>_` prefix).

use std::path::Path;

use super::tracking::Tracking;
use super::version::cmp_digits;
use super::{
    Format, FormatError, Skipped, Specificity, skipped_unversioned, sort_unique, versioned_sql,
    whole,
};
use crate::migration::{Migration, SourceFile};

/// The sqlx format.
pub struct Sqlx;

const EXAMPLE: &str = "20240101120000_create_users.sql";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Simple,
    Up,
    Down,
}

struct Name<'a> {
    version: &'a str,
    description: &'a str,
    kind: Kind,
}

fn parse(file_name: &str) -> Option<Name<'_>> {
    let (version, rest) = file_name.split_once('_')?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // sqlx versions are i64.
    if cmp_digits(version, &i64::MAX.to_string()).is_gt() {
        return None;
    }
    let (description, kind) = if let Some(d) = rest.strip_suffix(".up.sql") {
        (d, Kind::Up)
    } else if let Some(d) = rest.strip_suffix(".down.sql") {
        (d, Kind::Down)
    } else {
        (rest.strip_suffix(".sql")?, Kind::Simple)
    };
    Some(Name {
        version,
        description,
        kind,
    })
}

/// sqlx's opt-out marker on the first line; golang-migrate's detection also looks for it, to stay
/// disjoint from sqlx.
pub(crate) fn no_transaction(f: &SourceFile) -> bool {
    f.contents.starts_with("-- no-transaction")
}

impl Format for Sqlx {
    fn name(&self) -> &'static str {
        "sqlx"
    }

    fn specificity(&self) -> Specificity {
        Specificity::Naming
    }

    fn example(&self) -> &'static str {
        EXAMPLE
    }

    fn ordering(&self) -> &'static str {
        "version as an integer (sqlx-core migrate/source.rs)"
    }

    /// launchbadge/sqlx `sqlx-postgres/src/migrate.rs`: `ensure_migrations_table` and `apply`,
    /// with the SHA-384 of the SQL as checksum (`sqlx-core/src/migrate/migration.rs`) and the
    /// description with `_` read as spaces (`sqlx-core/src/migrate/source.rs`).
    fn tracking(&self) -> Option<Tracking> {
        Some(Tracking {
            table: "_sqlx_migrations",
            create: &[
                "CREATE TABLE IF NOT EXISTS {table} (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)",
            ],
            record: |m, _| {
                use sha2::Digest as _;
                vec![(
                    "INSERT INTO {table} (version, description, success, checksum, execution_time) VALUES ($1::text::bigint, $2::text, TRUE, decode($3::text, 'hex'), 0)",
                    vec![
                        m.version.clone(),
                        m.name.replace('_', " "),
                        super::tracking::hex(&sha2::Sha384::digest(m.up_sql().as_bytes())),
                    ],
                )]
            },
        })
    }

    fn skipped(&self, dir: &Path, files: &[SourceFile]) -> Vec<Skipped> {
        skipped_unversioned(dir, files, "sqlx")
    }

    /// Disjoint from golang-migrate: needs a simple `N_x.sql` file or a `-- no-transaction`
    /// marker (see the module docs of [`crate::format`]).
    fn detect(&self, files: &[SourceFile]) -> bool {
        let mut sqlx_only = false;
        let mut any = false;
        for (f, name) in versioned_sql(files) {
            let Some(n) = parse(name) else { return false };
            any = true;
            sqlx_only |= n.kind == Kind::Simple || no_transaction(f);
        }
        any && sqlx_only
    }

    fn migrations(&self, dir: &Path, files: &[SourceFile]) -> Result<Vec<Migration>, FormatError> {
        let mut ups = Vec::new();
        let mut downs = Vec::new();
        for (f, file_name) in versioned_sql(files) {
            let Some(n) = parse(file_name) else {
                return Err(FormatError::BadName {
                    path: dir.join(&f.path),
                    format: self.name(),
                    reason: "expected `<version>_<description>.sql` (or `.up.sql` / `.down.sql`) with an integer version".into(),
                    example: EXAMPLE,
                });
            };
            if n.kind == Kind::Down {
                downs.push((n, f));
            } else {
                ups.push((n, f));
            }
        }
        let cmp = |a: &(Name<'_>, &SourceFile), b: &(Name<'_>, &SourceFile)| {
            cmp_digits(a.0.version, b.0.version)
        };
        let version = |a: &(Name<'_>, &SourceFile)| a.0.version.to_owned();
        let path = |a: &(Name<'_>, &SourceFile)| dir.join(&a.1.path);
        sort_unique(self.name(), &mut ups, cmp, version, path)?;
        sort_unique(self.name(), &mut downs, cmp, version, path)?;
        Ok(ups
            .into_iter()
            .map(|(n, f)| Migration {
                version: n.version.to_owned(),
                name: n.description.replace('_', " "),
                path: dir.join(&f.path),
                source: f.contents.clone(),
                up: whole(&f.contents),
                down: downs
                    .iter()
                    .find(|(d, _)| cmp_digits(d.version, n.version).is_eq())
                    .map(|(_, d)| d.contents.clone()),
                transactional: !no_transaction(f),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::files;

    #[test]
    fn simple_files_numeric_order_and_no_transaction() {
        let fs = files(&[
            ("10_later.sql", "select 10;"),
            (
                "9_index.sql",
                "-- no-transaction\ncreate index concurrently i on t (c);",
            ),
            ("schema.sql", "ignored"),
        ]);
        assert!(Sqlx.detect(&fs));
        let ms = Sqlx.migrations(Path::new("migrations"), &fs).unwrap();
        assert_eq!(ms.len(), 2);
        assert_eq!(ms[0].version, "9");
        assert!(!ms[0].transactional);
        assert_eq!(ms[1].name, "later");
        assert!(ms[1].transactional);
        assert_eq!(Sqlx.skipped(Path::new("migrations"), &fs).len(), 1);
    }

    #[test]
    fn reversible_pairs() {
        let fs = files(&[
            ("1_create_users.up.sql", "-- no-transaction\nup"),
            ("1_create_users.down.sql", "down"),
        ]);
        assert!(Sqlx.detect(&fs));
        let ms = Sqlx.migrations(Path::new(""), &fs).unwrap();
        assert_eq!(ms[0].name, "create users");
        assert_eq!(ms[0].down.as_deref(), Some("down"));
    }

    #[test]
    fn plain_up_down_dir_is_golang_migrate_not_sqlx() {
        let fs = files(&[("1_a.up.sql", ""), ("1_a.down.sql", "")]);
        assert!(!Sqlx.detect(&fs));
    }

    #[test]
    fn errors() {
        let dup = files(&[("1_a.sql", ""), ("01_b.sql", "")]);
        assert!(matches!(
            Sqlx.migrations(Path::new(""), &dup),
            Err(FormatError::DuplicateVersion { .. })
        ));
        let bad = files(&[("1-a.sql", "")]);
        assert!(matches!(
            Sqlx.migrations(Path::new(""), &bad),
            Err(FormatError::BadName {
                example: EXAMPLE,
                ..
            })
        ));
        let huge = files(&[("99999999999999999999_a.sql", "")]);
        assert!(Sqlx.migrations(Path::new(""), &huge).is_err());
    }
}
