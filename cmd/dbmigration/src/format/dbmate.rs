//! dbmate: one file per migration, `<version>_<name>.sql` (version: the leading digits,
//! compared numerically), split into sections by `-- migrate:up` and `-- migrate:down` lines.
//! Options follow the marker on the same line: `-- migrate:up transaction:false` runs the up
//! section outside a transaction. As in dbmate, the up marker is required and nothing but
//! comments may come before the first marker.

use std::ops::Range;
use std::path::Path;

use super::tracking::Tracking;
use super::version::{cmp_digits, split_digits};
use super::{
    Format, FormatError, Skipped, Specificity, lines_with_offsets, skipped_unversioned,
    sort_unique, versioned_sql,
};
use crate::migration::{Migration, SourceFile};

/// The dbmate format.
pub struct Dbmate;

const EXAMPLE: &str = "20240101120000_create_users.sql";

/// A `-- migrate:<dir>` marker line: its byte range (with the line end) and its options.
struct Marker<'a> {
    line: Range<usize>,
    options: &'a str,
}

/// Finds the `-- migrate:<which>` line (`--` and optional spaces, as dbmate's regexp allows).
fn marker<'a>(text: &'a str, which: &str) -> Option<Marker<'a>> {
    lines_with_offsets(text).find_map(|(start, line)| {
        let rest = line.strip_prefix("--")?.trim_start();
        let rest = rest.strip_prefix("migrate:")?.strip_prefix(which)?;
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            return None;
        }
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        Some(Marker {
            line: start..end,
            options: rest.trim(),
        })
    })
}

fn has_up_marker(f: &SourceFile) -> bool {
    marker(&f.contents, "up").is_some()
}

/// The parts of a dbmate file.
struct Sections {
    up: Range<usize>,
    down: Option<Range<usize>>,
    transactional: bool,
}

/// Up and down ranges of a dbmate file.
fn sections(dir: &Path, f: &SourceFile) -> Result<Sections, FormatError> {
    let text = &f.contents;
    let Some(up) = marker(text, "up") else {
        return Err(FormatError::content(
            dir,
            f,
            0..0,
            format!(
                "`{}` has no `-- migrate:up` line",
                dir.join(&f.path).display()
            ),
            "expected `-- migrate:up` before the SQL",
            "dbmate migrations start with `-- migrate:up`, followed by the SQL, then optionally `-- migrate:down`",
        ));
    };
    let down = marker(text, "down");
    let first = down
        .as_ref()
        .map_or(up.line.start, |d| d.line.start.min(up.line.start));
    if let Some((start, line)) = lines_with_offsets(&text[..first])
        .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
    {
        let at = start + (line.len() - line.trim_start().len());
        return Err(FormatError::content(
            dir,
            f,
            at..start + line.len(),
            "statement outside the `-- migrate:up` / `-- migrate:down` sections",
            "before `-- migrate:up`: dbmate would refuse this file",
            "dbmate does not run SQL before the first marker; move it below `-- migrate:up`",
        ));
    }
    let (up_range, down_range) = match &down {
        Some(d) if d.line.start > up.line.start => {
            (up.line.end..d.line.start, Some(d.line.end..text.len()))
        }
        Some(d) => (up.line.end..text.len(), Some(d.line.end..up.line.start)),
        None => (up.line.end..text.len(), None),
    };
    let transactional = !up
        .options
        .split_whitespace()
        .any(|o| o == "transaction:false");
    Ok(Sections {
        up: up_range,
        down: down_range,
        transactional,
    })
}

impl Format for Dbmate {
    fn name(&self) -> &'static str {
        "dbmate"
    }

    fn specificity(&self) -> Specificity {
        Specificity::Marker
    }

    fn example(&self) -> &'static str {
        EXAMPLE
    }

    fn ordering(&self) -> &'static str {
        "version as a number (dbmate pkg/dbmate/migration.go)"
    }

    /// amacneil/dbmate `pkg/driver/postgres/postgres.go`: `CreateMigrationsTable` and
    /// `InsertMigration`, one row per applied version.
    fn tracking(&self) -> Option<Tracking> {
        Some(Tracking {
            table: "schema_migrations",
            create: &["CREATE TABLE IF NOT EXISTS {table} (version varchar(128) primary key)"],
            record: |m, _| {
                vec![(
                    "INSERT INTO {table} (version) VALUES ($1::text)",
                    vec![m.version.clone()],
                )]
            },
        })
    }

    fn detect(&self, files: &[SourceFile]) -> bool {
        versioned_sql(files).any(|(f, _)| has_up_marker(f))
    }

    fn skipped(&self, dir: &Path, files: &[SourceFile]) -> Vec<Skipped> {
        skipped_unversioned(dir, files, "dbmate")
    }

    fn migrations(&self, dir: &Path, files: &[SourceFile]) -> Result<Vec<Migration>, FormatError> {
        let mut found: Vec<(&str, &str, &SourceFile)> = versioned_sql(files)
            .map(|(f, n)| {
                let stem = n.strip_suffix(".sql").unwrap_or(n);
                let (version, rest) = split_digits(stem);
                (version, rest.trim_start_matches('_'), f)
            })
            .collect();
        sort_unique(
            self.name(),
            &mut found,
            |a, b| cmp_digits(a.0, b.0),
            |a| a.0.to_owned(),
            |a| dir.join(&a.2.path),
        )?;
        found
            .into_iter()
            .map(|(version, name, f)| {
                let Sections {
                    up,
                    down,
                    transactional,
                } = sections(dir, f)?;
                Ok(Migration {
                    version: version.to_owned(),
                    name: name.to_owned(),
                    path: dir.join(&f.path),
                    source: f.contents.clone(),
                    down: down.map(|d| f.contents[d].to_owned()),
                    up,
                    transactional,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::files;

    const USERS: &str = "-- a comment\n\n-- migrate:up\ncreate table users (id int);\n\n-- migrate:down\ndrop table users;\n";

    #[test]
    fn sections_and_order() {
        let fs = files(&[
            (
                "10_b.sql",
                "--migrate:up transaction:false\ncreate index concurrently i on t (c);\n",
            ),
            ("9_users.sql", USERS),
        ]);
        assert!(Dbmate.detect(&fs));
        let ms = Dbmate.migrations(Path::new("db/migrations"), &fs).unwrap();
        assert_eq!(ms[0].version, "9");
        assert_eq!(ms[0].name, "users");
        assert_eq!(ms[0].up_sql(), "create table users (id int);\n\n");
        assert_eq!(ms[0].down.as_deref(), Some("drop table users;\n"));
        assert!(ms[0].transactional);
        assert!(!ms[1].transactional);
        assert_eq!(ms[1].down, None);
    }

    #[test]
    fn missing_up_marker() {
        let fs = files(&[
            ("1_a.sql", "-- migrate:up\n"),
            ("2_b.sql", "create table t ();\n"),
        ]);
        let err = Dbmate.migrations(Path::new("m"), &fs).unwrap_err();
        assert!(err.to_string().contains("m/2_b.sql"), "{err}");
    }

    #[test]
    fn sql_before_marker_points_at_it() {
        let text = "-- ok\ncreate table t ();\n-- migrate:up\n";
        let fs = files(&[("1_a.sql", text)]);
        let FormatError::Content { span, .. } = Dbmate.migrations(Path::new(""), &fs).unwrap_err()
        else {
            panic!("expected a content error");
        };
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "create table t ();"
        );
    }

    #[test]
    fn migrate_upgrade_is_not_a_marker() {
        assert!(marker("-- migrate:upgrade\n", "up").is_none());
    }

    /// UPchieve/subway reindented a migration after it ran; dbmate's `(?m)^--\s*migrate:down`
    /// (amacneil/dbmate pkg/dbmate/migration.go) needs `--` at the start of the line, so an
    /// indented marker is SQL of the up section and a fresh database fails there, as with dbmate.
    #[test]
    fn indented_marker_is_not_a_marker() {
        let text = "-- migrate:up\nalter table t\n    add constraint u unique (a)\n    -- migrate:down\n    drop constraint u;\n";
        let fs = files(&[("1_a.sql", text)]);
        let ms = Dbmate.migrations(Path::new(""), &fs).unwrap();
        assert_eq!(ms[0].down, None);
        assert!(ms[0].up_sql().contains("drop constraint u;"));
    }
}
