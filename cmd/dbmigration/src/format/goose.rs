//! goose: one file per migration, `<version>_<name>.sql`, split by `-- +goose Up` and
//! `-- +goose Down` annotations. Rules from pressly/goose:
//!
//! - Version: the digits before the first `_`, an int64 greater than zero, compared
//!   numerically (`migration.go`, `NumericComponent`). Only top-level `.sql` and `.go` files
//!   count (`migrate.go`, `collectMigrationsFS`).
//! - Annotations: `-- +goose <word>`, the word compared case-insensitively against `Up`,
//!   `Down`, `StatementBegin`, `StatementEnd`, `NO TRANSACTION`, `ENVSUB ON/OFF`
//!   (`internal/sqlparser/parser.go`, `extractAnnotation`). goose rejects leading whitespace;
//!   we accept it (lenient). sql-migrate's spelling of the same annotations, `-- +migrate Up`
//!   (rubenv/sql-migrate `sqlparse/sqlparse.go`), is read the same way, since teams moved
//!   between the two tools without rewriting old files.
//! - `-- +goose NO TRANSACTION` anywhere in the file runs it outside a transaction
//!   (`parser.go`, `annotationNoTransaction`).
//! - `StatementBegin` / `StatementEnd` turn off goose's line-based splitting inside them;
//!   the lines stay in the SQL as comments, and the bodies they guard (functions, `DO`
//!   blocks) are dollar-quoted, which our statement splitter understands. An unbalanced pair
//!   is an error, as in goose (`parser.go`: "missing '-- +goose StatementEnd'").
//! - Go migrations (`00002_backfill.go`) are left out with a warning (see `code.rs`).

use std::ops::Range;
use std::path::Path;

use super::tracking::Tracking;
use super::version::{cmp_digits, split_digits};
use super::{
    Format, FormatError, Skipped, Specificity, lines_with_offsets, skipped_unversioned,
    sort_unique, versioned_sql,
};
use crate::migration::{Migration, SourceFile};

/// The goose format.
pub struct Goose;

const EXAMPLE: &str = "00001_create_users.sql";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Annotation {
    Up,
    Down,
    Begin,
    End,
    NoTransaction,
    Other,
}

/// The annotation on a line, if it is one (`-- +goose <word>`).
fn annotation(line: &str) -> Option<Annotation> {
    let rest = line.trim().strip_prefix("--")?.trim_start();
    let word = rest
        .strip_prefix("+goose")
        .or_else(|| rest.strip_prefix("+migrate"))?
        .trim()
        .to_ascii_lowercase();
    Some(match word.as_str() {
        // sql-migrate writes `notransaction` (rubenv/sql-migrate `sqlparse/sqlparse.go`).
        "no transaction" | "notransaction" => Annotation::NoTransaction,
        // sql-migrate puts options after the word: `-- +migrate Up notransaction`.
        _ => match word.split_whitespace().next() {
            Some("up") => Annotation::Up,
            Some("down") => Annotation::Down,
            Some("statementbegin") => Annotation::Begin,
            Some("statementend") => Annotation::End,
            _ => Annotation::Other,
        },
    })
}

/// sql-migrate's option on the Up line: `-- +migrate Up notransaction`.
fn up_without_transaction(line: &str) -> bool {
    line.to_ascii_lowercase()
        .split_whitespace()
        .skip(2)
        .any(|w| w == "notransaction")
}

fn has_up(f: &SourceFile) -> bool {
    super::lines_with_offsets(&f.contents).any(|(_, l)| annotation(l) == Some(Annotation::Up))
}

struct Parsed {
    up: Range<usize>,
    down: Option<Range<usize>>,
    transactional: bool,
}

fn parse_file(dir: &Path, f: &SourceFile) -> Result<Parsed, FormatError> {
    let text = &f.contents;
    let mut up: Option<(usize, usize)> = None;
    let mut down: Option<(usize, usize)> = None;
    let mut open_begin: Option<Range<usize>> = None;
    let mut transactional = true;
    for (start, line) in lines_with_offsets(text) {
        let next = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let here = start..start + line.len();
        match annotation(line) {
            Some(Annotation::Up) if up.is_none() => {
                up = Some((start, next));
                transactional &= !up_without_transaction(line);
            }
            Some(Annotation::Down) if down.is_none() => down = Some((start, next)),
            Some(Annotation::Begin) => {
                if open_begin.is_some() {
                    return Err(unbalanced(
                        dir,
                        f,
                        here,
                        "a second `StatementBegin` before `StatementEnd`",
                    ));
                }
                open_begin = Some(here);
            }
            Some(Annotation::End) if open_begin.take().is_none() => {
                return Err(unbalanced(
                    dir,
                    f,
                    here,
                    "`StatementEnd` without `StatementBegin`",
                ));
            }
            Some(Annotation::NoTransaction) => transactional = false,
            _ => {}
        }
    }
    if let Some(begin) = open_begin {
        return Err(unbalanced(
            dir,
            f,
            begin,
            "`StatementBegin` without `StatementEnd`",
        ));
    }
    let Some((up_line, up_start)) = up else {
        return Err(FormatError::content(
            dir,
            f,
            0..0,
            format!(
                "`{}` has no `-- +goose Up` annotation",
                dir.join(&f.path).display()
            ),
            "expected `-- +goose Up` before the SQL",
            "goose migrations start with `-- +goose Up`, then the SQL, then optionally `-- +goose Down`",
        ));
    };
    let (up, down) = match down {
        Some((d_line, d_next)) if d_line >= up_start => {
            (up_start..d_line, Some(d_next..text.len()))
        }
        // Down written first: it runs up to the Up line.
        Some((_, d_next)) => (up_start..text.len(), Some(d_next..up_line)),
        None => (up_start..text.len(), None),
    };
    Ok(Parsed {
        up,
        down,
        transactional,
    })
}

fn unbalanced(dir: &Path, f: &SourceFile, at: Range<usize>, what: &str) -> FormatError {
    FormatError::content(
        dir,
        f,
        at,
        format!("unbalanced goose annotations: {what}"),
        what,
        "wrap each multi-statement body in one `-- +goose StatementBegin` … `-- +goose StatementEnd` pair",
    )
}

impl Format for Goose {
    fn name(&self) -> &'static str {
        "goose"
    }

    fn specificity(&self) -> Specificity {
        Specificity::Marker
    }

    fn example(&self) -> &'static str {
        EXAMPLE
    }

    fn ordering(&self) -> &'static str {
        "version as an integer (goose migration.go, NumericComponent)"
    }

    /// pressly/goose `internal/dialects/postgres.go`: `CreateTable`, then version 0 inserted
    /// when the table is created (`provider.go`, `initialize`), then `InsertVersion` per file.
    fn tracking(&self) -> Option<Tracking> {
        Some(Tracking {
            table: "goose_db_version",
            create: &[
                "CREATE TABLE IF NOT EXISTS {table} (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now())",
                "INSERT INTO {table} (version_id, is_applied) VALUES (0, true)",
            ],
            record: |m, _| {
                vec![(
                    "INSERT INTO {table} (version_id, is_applied) VALUES ($1::text::bigint, true)",
                    vec![m.version.clone()],
                )]
            },
        })
    }

    fn detect(&self, files: &[SourceFile]) -> bool {
        versioned_sql(files).any(|(f, _)| has_up(f))
    }

    fn skipped(&self, dir: &Path, files: &[SourceFile]) -> Vec<Skipped> {
        skipped_unversioned(dir, files, "goose")
    }

    fn migrations(&self, dir: &Path, files: &[SourceFile]) -> Result<Vec<Migration>, FormatError> {
        let mut found = Vec::new();
        for (f, n) in versioned_sql(files) {
            let stem = n.strip_suffix(".sql").unwrap_or(n);
            let (version, rest) = split_digits(stem);
            let Some(name) = rest.strip_prefix('_') else {
                return Err(FormatError::BadName {
                    path: dir.join(&f.path),
                    format: self.name(),
                    reason: "expected `<version>_<name>.sql`".into(),
                    example: EXAMPLE,
                });
            };
            if version.trim_start_matches('0').is_empty() {
                return Err(FormatError::BadName {
                    path: dir.join(&f.path),
                    format: self.name(),
                    reason: "goose versions must be greater than zero".into(),
                    example: EXAMPLE,
                });
            }
            found.push((version, name, f));
        }
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
                let p = parse_file(dir, f)?;
                Ok(Migration {
                    version: version.to_owned(),
                    name: name.to_owned(),
                    path: dir.join(&f.path),
                    source: f.contents.clone(),
                    up: p.up,
                    down: p.down.map(|d| f.contents[d].to_owned()),
                    transactional: p.transactional,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::files;

    const FUNC: &str = "-- +goose Up\n-- +goose StatementBegin\ncreate function f() returns int as $$ select 1; $$ language sql;\n-- +goose StatementEnd\n\n-- +goose Down\ndrop function f();\n";

    #[test]
    fn sections_order_and_no_transaction() {
        let fs = files(&[
            ("00010_f.sql", FUNC),
            (
                "00002_idx.sql",
                "-- +goose NO TRANSACTION\n-- +goose up\ncreate index concurrently i on t (c);\n",
            ),
        ]);
        assert!(Goose.detect(&fs));
        let ms = Goose.migrations(Path::new("db"), &fs).unwrap();
        assert_eq!(ms[0].version, "00002");
        assert!(!ms[0].transactional);
        assert_eq!(ms[0].up_sql(), "create index concurrently i on t (c);\n");
        assert_eq!(ms[1].name, "f");
        assert!(ms[1].transactional);
        assert!(
            ms[1]
                .up_sql()
                .starts_with("-- +goose StatementBegin\ncreate function")
        );
        assert!(ms[1].up_sql().ends_with("-- +goose StatementEnd\n\n"));
        assert_eq!(ms[1].down.as_deref(), Some("drop function f();\n"));
    }

    /// sql-migrate's `-- +migrate` spelling reads like goose's.
    #[test]
    fn sql_migrate_spelling() {
        let fs = files(&[(
            "1_a.sql",
            "-- +migrate Up notransaction\ncreate table a ();\n-- +migrate Down\ndrop table a;\n",
        )]);
        assert!(Goose.detect(&fs));
        let ms = Goose.migrations(Path::new(""), &fs).unwrap();
        assert_eq!(ms[0].up_sql(), "create table a ();\n");
        assert_eq!(ms[0].down.as_deref(), Some("drop table a;\n"));
    }

    #[test]
    fn unbalanced_statement_begin() {
        let text = "-- +goose Up\n-- +goose StatementBegin\nselect 1;\n";
        let fs = files(&[("1_a.sql", text)]);
        let FormatError::Content { span, .. } = Goose.migrations(Path::new(""), &fs).unwrap_err()
        else {
            panic!("expected a content error");
        };
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "-- +goose StatementBegin"
        );
    }

    #[test]
    fn errors() {
        // Go migrations are not SQL: left out here, warned about by `code.rs`.
        let go = files(&[("1_a.sql", "-- +goose Up\n"), ("2_b.go", "package m")]);
        assert_eq!(Goose.migrations(Path::new(""), &go).unwrap().len(), 1);
        let no_up = files(&[("1_a.sql", "select 1;")]);
        assert!(matches!(
            Goose.migrations(Path::new(""), &no_up),
            Err(FormatError::Content { .. })
        ));
        let zero = files(&[("0_a.sql", "-- +goose Up\n")]);
        assert!(Goose.migrations(Path::new(""), &zero).is_err());
    }
}
