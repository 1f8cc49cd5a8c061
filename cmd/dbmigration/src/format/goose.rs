//! goose: one file per migration, `<version>_<name>.sql` (integer version, compared
//! numerically), split by `-- +goose Up` and `-- +goose Down` annotations (case-insensitive,
//! as goose reads them). `-- +goose NO TRANSACTION` runs the migration outside a transaction.
//!
//! `-- +goose StatementBegin` / `StatementEnd` lines are kept in the SQL as they are: they are
//! comments to PostgreSQL, and the bodies they guard (functions, `DO` blocks) are dollar-quoted,
//! which our statement splitter understands. An unbalanced pair is an error, as in goose.
//! Go migrations (`00002_backfill.go`) cannot be applied by dbmigration and are an error.

use std::ops::Range;
use std::path::Path;

use super::version::{cmp_digits, split_digits};
use super::{
    Format, FormatError, Skipped, Specificity, lines_with_offsets, skipped_unversioned,
    sort_unique, top_level_name, versioned_sql,
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
    let word = rest.strip_prefix("+goose")?.trim().to_ascii_lowercase();
    Some(match word.as_str() {
        "up" => Annotation::Up,
        "down" => Annotation::Down,
        "statementbegin" => Annotation::Begin,
        "statementend" => Annotation::End,
        "no transaction" => Annotation::NoTransaction,
        _ => Annotation::Other,
    })
}

fn has_up(f: &SourceFile) -> bool {
    f.contents
        .lines()
        .any(|l| annotation(l) == Some(Annotation::Up))
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
            Some(Annotation::Up) if up.is_none() => up = Some((start, next)),
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

    fn detect(&self, files: &[SourceFile]) -> bool {
        versioned_sql(files).any(|(f, _)| has_up(f))
    }

    fn skipped(&self, dir: &Path, files: &[SourceFile]) -> Vec<Skipped> {
        skipped_unversioned(dir, files, "goose")
    }

    fn migrations(&self, dir: &Path, files: &[SourceFile]) -> Result<Vec<Migration>, FormatError> {
        if let Some(go) = files.iter().find(|f| {
            top_level_name(f).is_some_and(|n| {
                n.ends_with(".go")
                    && !n.ends_with("_test.go")
                    && n.starts_with(|c: char| c.is_ascii_digit())
            })
        }) {
            return Err(FormatError::BadName {
                path: dir.join(&go.path),
                format: self.name(),
                reason: "a goose Go migration; dbmigration applies SQL migrations only".into(),
                example: EXAMPLE,
            });
        }
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
        let go = files(&[("1_a.sql", "-- +goose Up\n"), ("2_b.go", "package m")]);
        assert!(
            Goose
                .migrations(Path::new(""), &go)
                .unwrap_err()
                .to_string()
                .contains("2_b.go")
        );
        let no_up = files(&[("1_a.sql", "select 1;")]);
        assert!(matches!(
            Goose.migrations(Path::new(""), &no_up),
            Err(FormatError::Content { .. })
        ));
        let zero = files(&[("0_a.sql", "-- +goose Up\n")]);
        assert!(Goose.migrations(Path::new(""), &zero).is_err());
    }
}
