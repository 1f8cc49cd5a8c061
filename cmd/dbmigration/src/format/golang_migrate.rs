//! golang-migrate: `<version>_<name>.up.sql` with an optional `<version>_<name>.down.sql`.
//! Rules from golang-migrate/migrate:
//!
//! - Names: `^([0-9]+)_(.*)\.(down|up)\.(.*)$`, version parsed as an unsigned integer and
//!   compared as one (`source/parse.go`, `Regex` and `Parse`), so `2_x` comes before `10_x`.
//! - Only top-level files count, and a name the pattern does not match is skipped without a
//!   word (`source/iofs/iofs.go`, `init`: `continue` on a parse error). We skip it too, but
//!   say so: `001_init.sql` in such a directory is usually a migration someone misnamed.
//! - Two files with one version and direction are an error (`iofs.go`,
//!   `ErrDuplicateMigration`). A down file without an up file is never applied.
//! - Each file is sent as one multi-statement `Exec` (`database/postgres/postgres.go`, `Run`),
//!   which PostgreSQL runs as one implicit transaction.
//! - The version table: `schema_migrations (version bigint not null primary key, dirty
//!   boolean not null)`, or the name in `x-migrations-table` (`postgres.go`, `ensureVersionTable`).

use std::path::Path;

use super::tracking::Tracking;
use super::version::cmp_digits;
use super::{
    Format, FormatError, Skipped, Specificity, skipped_unversioned, sort_unique, versioned_sql,
    whole,
};
use crate::migration::{Migration, SourceFile};

/// The golang-migrate format.
pub struct GolangMigrate;

const EXAMPLE: &str = "001_create_users.up.sql";

/// A parsed `<version>_<name>.<up|down>.sql` name.
struct Name<'a> {
    version: &'a str,
    name: &'a str,
    up: bool,
}

fn parse(file_name: &str) -> Option<Name<'_>> {
    let (stem, up) = if let Some(s) = file_name.strip_suffix(".up.sql") {
        (s, true)
    } else {
        (file_name.strip_suffix(".down.sql")?, false)
    };
    let (version, name) = stem.split_once('_')?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Name { version, name, up })
}

impl Format for GolangMigrate {
    fn name(&self) -> &'static str {
        "golang-migrate"
    }

    fn specificity(&self) -> Specificity {
        Specificity::Naming
    }

    fn example(&self) -> &'static str {
        EXAMPLE
    }

    fn ordering(&self) -> &'static str {
        "version as an unsigned integer (golang-migrate source/parse.go)"
    }

    /// `database/postgres/postgres.go`: `ensureVersionTable` creates the table; `SetVersion`
    /// empties it and writes the one current version (dirty while running, clean after).
    fn tracking(&self) -> Option<Tracking> {
        Some(Tracking {
            table: "schema_migrations",
            create: &[
                "CREATE TABLE IF NOT EXISTS {table} (version bigint not null primary key, dirty boolean not null)",
            ],
            record: |m, _| {
                vec![
                    ("TRUNCATE {table}", Vec::new()),
                    (
                        "INSERT INTO {table} (version, dirty) VALUES ($1::text::bigint, false)",
                        vec![m.version.clone()],
                    ),
                ]
            },
        })
    }

    fn skipped(&self, dir: &Path, files: &[SourceFile]) -> Vec<Skipped> {
        let mut out = skipped_unversioned(dir, files, "golang-migrate");
        out.extend(
            versioned_sql(files)
                .filter(|(_, n)| parse(n).is_none())
                .map(|(f, _)| Skipped {
                    path: dir.join(&f.path),
                    reason: format!(
                        "golang-migrate only runs `<version>_<name>.up.sql` files (e.g. `{EXAMPLE}`), so it does not run this one"
                    ),
                }),
        );
        out
    }

    fn detect(&self, files: &[SourceFile]) -> bool {
        let mut any_up = false;
        for (f, name) in versioned_sql(files) {
            match parse(name) {
                Some(n) if !super::sqlx::no_transaction(f) => any_up |= n.up,
                _ => return false,
            }
        }
        any_up
    }

    fn migrations(&self, dir: &Path, files: &[SourceFile]) -> Result<Vec<Migration>, FormatError> {
        let mut ups = Vec::new();
        let mut downs = Vec::new();
        for (f, file_name) in versioned_sql(files) {
            // Skipped, as golang-migrate does; listed by `skipped`.
            let Some(n) = parse(file_name) else {
                continue;
            };
            if n.up {
                ups.push((n, f))
            } else {
                downs.push((n, f))
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
                name: n.name.to_owned(),
                path: dir.join(&f.path),
                source: f.contents.clone(),
                up: whole(&f.contents),
                down: downs
                    .iter()
                    .find(|(d, _)| cmp_digits(d.version, n.version).is_eq())
                    .map(|(_, d)| d.contents.clone()),
                transactional: implicit_transaction(&f.contents),
            })
            .collect())
    }
}

/// golang-migrate's PostgreSQL driver sends the whole file as one simple query
/// (`conn.ExecContext(ctx, query)` in golang-migrate/migrate `database/postgres/postgres.go`,
/// `runStatement`): PostgreSQL runs a query of several statements in one implicit
/// transaction, and a query of one statement outside any, so `CREATE INDEX CONCURRENTLY`
/// alone in its file works.
fn implicit_transaction(sql: &str) -> bool {
    pgsql::split(sql).statements.len() > 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::files;

    #[test]
    fn numeric_order_and_down_pairs() {
        let fs = files(&[
            ("10_ten.up.sql", "ten"),
            ("2_two.up.sql", "two"),
            ("2_two.down.sql", "undo two"),
            ("README.md", "not a migration"),
            ("sub/3_ignored.up.sql", "nested files are not read"),
        ]);
        assert!(GolangMigrate.detect(&fs));
        let ms = GolangMigrate
            .migrations(Path::new("db/migrations"), &fs)
            .unwrap();
        let v: Vec<_> = ms
            .iter()
            .map(|m| (m.version.as_str(), m.up_sql()))
            .collect();
        assert_eq!(v, [("2", "two"), ("10", "ten")]);
        assert_eq!(ms[0].down.as_deref(), Some("undo two"));
        assert_eq!(ms[0].path, Path::new("db/migrations/2_two.up.sql"));
        assert!(ms[1].down.is_none());
    }

    #[test]
    fn duplicate_version_names_both_files() {
        let fs = files(&[("001_a.up.sql", ""), ("1_b.up.sql", "")]);
        let err = GolangMigrate.migrations(Path::new("m"), &fs).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("m/001_a.up.sql") && msg.contains("m/1_b.up.sql"),
            "{msg}"
        );
    }

    /// golang-migrate skips names its pattern does not match; so do we, and say so.
    #[test]
    fn malformed_name_is_skipped_with_an_example() {
        let fs = files(&[("001_a.up.sql", ""), ("002_b.sql", "")]);
        let ms = GolangMigrate.migrations(Path::new("m"), &fs).unwrap();
        assert_eq!(ms.len(), 1);
        let skipped = GolangMigrate.skipped(Path::new("m"), &fs);
        assert_eq!(skipped[0].path, Path::new("m/002_b.sql"));
        assert!(skipped[0].reason.contains(EXAMPLE), "{skipped:?}");
        assert!(!GolangMigrate.detect(&fs));
    }

    #[test]
    fn unversioned_sql_is_skipped_with_a_reason() {
        let fs = files(&[("001_a.up.sql", ""), ("schema.sql", "")]);
        assert!(GolangMigrate.detect(&fs));
        assert_eq!(
            GolangMigrate.migrations(Path::new("m"), &fs).unwrap().len(),
            1
        );
        let skipped = GolangMigrate.skipped(Path::new("m"), &fs);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].path, Path::new("m/schema.sql"));
    }

    #[test]
    fn no_transaction_marker_is_not_golang_migrate() {
        let fs = files(&[("001_a.up.sql", "-- no-transaction\nselect 1;")]);
        assert!(!GolangMigrate.detect(&fs));
    }

    #[test]
    fn one_statement_runs_outside_a_transaction() {
        assert!(!implicit_transaction(
            "-- the index\nCREATE INDEX CONCURRENTLY i ON t (a);\n"
        ));
        assert!(implicit_transaction(
            "CREATE INDEX CONCURRENTLY i ON t (a);\nSELECT 1;\n"
        ));
    }

    #[test]
    fn huge_versions_do_not_overflow() {
        let fs = files(&[
            ("100000000000000000000000_b.up.sql", "b"),
            ("99999999999999999999999_a.up.sql", "a"),
        ]);
        let ms = GolangMigrate.migrations(Path::new(""), &fs).unwrap();
        assert_eq!(ms[0].name, "a");
    }

    proptest::proptest! {
        /// Whatever the versions and their zero padding, migrations come out in numeric order.
        #[test]
        fn always_numeric_order(versions in proptest::collection::btree_set(0u64..100_000, 1..20), pad in 0usize..4) {
            let list: Vec<(String, String)> = versions
                .iter()
                .rev()
                .map(|v| (format!("{v:0pad$}_m.up.sql", pad = pad), v.to_string()))
                .collect();
            let fs = files(&list.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect::<Vec<_>>());
            let ms = GolangMigrate.migrations(Path::new(""), &fs).unwrap();
            let got: Vec<u64> = ms.iter().map(|m| m.up_sql().parse().unwrap()).collect();
            let want: Vec<u64> = versions.into_iter().collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
