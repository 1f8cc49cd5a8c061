//! Code migrations next to SQL ones: goose's Go migrations (`00002_backfill.go`, registered
//! with `goose.AddMigrationContext`; pressly/goose `migrate.go`, `collectMigrationsFS` picks
//! up `.go` files beside `.sql` ones and orders both by version), and the same idea in other
//! languages. The SQL formats apply SQL only, so each such file is left out with a warning that
//! names it (the rendered schema may miss what it does) and names the `command` source, which
//! runs the project's own migrate command and so applies both (`crate::command`).

use std::path::Path;

use super::top_level_name;
use crate::migration::SourceFile;

/// Extensions of source files that may hold a migration written in code.
const CODE_EXTENSIONS: &[&str] = &[
    ".go", ".rs", ".py", ".rb", ".js", ".ts", ".java", ".kt", ".scala",
];

/// Whether a top-level file name looks like a code migration: a code extension, a name that
/// starts with a version (`00002_x.go`, or Flyway's `V2__x.java`), and not a Go test file
/// (goose skips `_test.go`, `migrate.go` `collectMigrationsFS`).
fn is_code_migration(name: &str) -> bool {
    if !CODE_EXTENSIONS.iter().any(|ext| name.ends_with(ext)) || name.ends_with("_test.go") {
        return false;
    }
    let versioned = name.strip_prefix('V').unwrap_or(name);
    versioned.starts_with(|c: char| c.is_ascii_digit())
}

/// One warning per code migration among `files`.
pub(crate) fn warnings(dir: &Path, files: &[SourceFile]) -> Vec<String> {
    files
        .iter()
        .filter(|f| top_level_name(f).is_some_and(is_code_migration))
        .map(|f| {
            format!(
                "skipped {}: a migration written in code, which dbmigration does not run; the rendered schema may miss what it does. To apply every migration faithfully, let dbmigration run the tool itself: `migrations {{ command = \"go run ./cmd/migrate up\" }}` in dbmigration.hcl or `--migrations-command` (docs/code-migrations.md)",
                dir.join(&f.path).display()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::files;

    #[test]
    fn go_migrations_are_named_tests_and_helpers_are_not() {
        let fs = files(&[
            ("00001_init.sql", "-- +goose Up\n"),
            ("00002_backfill.go", "package migrations"),
            ("00003_more.go", "package migrations"),
            ("migrations_test.go", "package migrations"),
            ("00002_backfill_test.go", "package migrations"),
            ("main.go", "package main"),
            ("sub/00004_deep.go", "package sub"),
        ]);
        let w = warnings(Path::new("db/migrations"), &fs);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("db/migrations/00002_backfill.go"), "{w:?}");
        assert!(w[0].contains("may miss"), "{w:?}");
        assert!(w[1].contains("00003_more.go"), "{w:?}");
    }

    #[test]
    fn flyway_java_migrations() {
        let fs = files(&[("V3__seed.java", "class V3__seed {}"), ("V1__a.sql", "")]);
        assert_eq!(warnings(Path::new("m"), &fs).len(), 1);
    }
}
