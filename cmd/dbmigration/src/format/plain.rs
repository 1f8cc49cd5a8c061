//! Plain: every top-level `*.sql` file, in natural order (`2_x.sql` before `10_x.sql`,
//! `a9.sql` before `a10.sql`). The fallback when no tool-specific layout is recognised.
//!
//! A `X.down.sql` (or `X.undo.sql`) file is never applied: it becomes the down of `X.up.sql`
//! or `X.sql` when one exists, and is ignored otherwise.

use std::path::Path;

use super::version::{natural_cmp, split_digits};
use super::{Format, FormatError, Specificity, top_level_sql, whole};
use crate::migration::{Migration, SourceFile};

/// Plain sorted `.sql` files.
pub struct Plain;

fn down_stem(name: &str) -> Option<&str> {
    name.strip_suffix(".down.sql")
        .or_else(|| name.strip_suffix(".undo.sql"))
}

impl Format for Plain {
    fn name(&self) -> &'static str {
        "plain"
    }

    fn specificity(&self) -> Specificity {
        Specificity::Fallback
    }

    fn example(&self) -> &'static str {
        "0001-create-users.sql"
    }

    fn ordering(&self) -> &'static str {
        "file name, digit runs by value"
    }

    fn detect(&self, files: &[SourceFile]) -> bool {
        top_level_sql(files).any(|(_, n)| down_stem(n).is_none())
    }

    fn migrations(&self, dir: &Path, files: &[SourceFile]) -> Result<Vec<Migration>, FormatError> {
        let downs: Vec<(&str, &SourceFile)> = top_level_sql(files)
            .filter_map(|(f, n)| down_stem(n).map(|s| (s, f)))
            .collect();
        let mut ups: Vec<(&str, &SourceFile)> = top_level_sql(files)
            .filter(|(_, n)| down_stem(n).is_none())
            .map(|(f, n)| (n, f))
            .collect();
        ups.sort_by(|a, b| natural_cmp(a.0, b.0));
        Ok(ups
            .into_iter()
            .map(|(file_name, f)| {
                let stem = file_name.strip_suffix(".sql").unwrap_or(file_name);
                let base = stem.strip_suffix(".up").unwrap_or(stem);
                let (digits, rest) = split_digits(base);
                let (version, name) = if digits.is_empty() {
                    (base, base)
                } else {
                    (digits, rest.trim_start_matches(['_', '-', '.', ' ']))
                };
                Migration {
                    version: version.to_owned(),
                    name: name.to_owned(),
                    path: dir.join(&f.path),
                    source: f.contents.clone(),
                    up: whole(&f.contents),
                    down: downs
                        .iter()
                        .find(|(s, _)| *s == base)
                        .map(|(_, d)| d.contents.clone()),
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
    fn natural_order_not_string_order() {
        let fs = files(&[
            ("10-ten.sql", ""),
            ("2-two.sql", ""),
            ("schema.sql", ""),
            ("2-two.down.sql", "undo"),
            ("notes.txt", ""),
        ]);
        assert!(Plain.detect(&fs));
        let ms = Plain.migrations(Path::new("sql"), &fs).unwrap();
        let names: Vec<_> = ms.iter().map(|m| m.file_name()).collect();
        assert_eq!(names, ["2-two.sql", "10-ten.sql", "schema.sql"]);
        assert_eq!(ms[0].version, "2");
        assert_eq!(ms[0].name, "two");
        assert_eq!(ms[0].down.as_deref(), Some("undo"));
        assert_eq!(ms[2].version, "schema");
    }

    #[test]
    fn only_downs_is_not_plain() {
        assert!(!Plain.detect(&files(&[("1.down.sql", "")])));
    }
}
