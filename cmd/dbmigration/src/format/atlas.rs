//! Atlas: top-level `<version>_<name>.sql` files applied in file-name order (byte order, as
//! Atlas sorts them: Atlas versions are fixed-width timestamps, and following Atlas matters
//! more here than numeric order, since `atlas.sum` chains the files in that order), and an
//! `atlas.sum` integrity file that must match them.
//!
//! `atlas.sum` (Atlas `sql/migrate/dir.go`, `NewHashFile` / `HashFile.Sum`): one running
//! SHA-256 over, for each file in order, its name then its bytes; after each file the running
//! digest (base64) is that file's line `<name> h1:<digest>`. A file whose first line holds
//! `atlas:sum ignore` contributes its name but neither bytes nor a line. The first line,
//! `h1:<sum>`, is base64 SHA-256 over every line's name and digest concatenated. We check both
//! and name the first file that disagrees.
//!
//! Header directives (comment lines at the top, followed by a blank line):
//! `-- atlas:txmode none` runs the file outside a transaction; with `-- atlas:checkpoint`
//! files, a fresh database starts at the last checkpoint, as `atlas migrate apply` does.

use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use miette::NamedSource;
use sha2::{Digest, Sha256};

use super::{
    Format, FormatError, Specificity, lines_with_offsets, top_level_name, top_level_sql, whole,
};
use crate::migration::{Migration, SourceFile};

/// The Atlas format.
pub struct Atlas;

const SUM_FILE: &str = "atlas.sum";

/// One line of `atlas.sum`: file name and base64 digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumEntry {
    /// The file name.
    pub name: String,
    /// The running digest after it, base64.
    pub hash: String,
}

/// The per-file lines Atlas would write for `files` (already in Atlas order).
pub fn hash_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<SumEntry> {
    let mut running = Sha256::new();
    let mut out = Vec::new();
    for (name, contents) in files {
        running.update(name.as_bytes());
        if directive(contents.lines().next().unwrap_or_default(), "sum")
            .is_some_and(|m| m == "ignore")
        {
            continue;
        }
        running.update(contents.as_bytes());
        out.push(SumEntry {
            name: name.to_owned(),
            hash: STANDARD.encode(running.clone().finalize()),
        });
    }
    out
}

/// The `h1:` total over the entries.
pub fn total(entries: &[SumEntry]) -> String {
    let mut sha = Sha256::new();
    for e in entries {
        sha.update(e.name.as_bytes());
        sha.update(e.hash.as_bytes());
    }
    STANDARD.encode(sha.finalize())
}

/// The text of an `atlas.sum` for the entries (what `atlas migrate hash` writes).
pub fn render_sum(entries: &[SumEntry]) -> String {
    let mut s = format!("h1:{}\n", total(entries));
    for e in entries {
        s.push_str(&format!("{} h1:{}\n", e.name, e.hash));
    }
    s
}

/// Atlas's directive regexp `^([ -~]*)atlas:(\w+)(?: +([ -~]*))*` on one line: the argument
/// text when the line holds `atlas:<name>`.
fn directive<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let at = line.rfind("atlas:")?;
    if !line[..at].bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return None;
    }
    let rest = &line[at + "atlas:".len()..];
    let word_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if &rest[..word_end] != name {
        return None;
    }
    let args = &rest[word_end..];
    if args.is_empty() {
        return Some("");
    }
    args.strip_prefix(' ')
        .map(|a| a.trim_start_matches(' '))
        .filter(|a| a.bytes().all(|b| (b' '..=b'~').contains(&b)))
}

/// The file's header comment lines (Atlas `LocalFile.comments`): leading `--`/`#` lines, only
/// when a blank line separates them from the statements.
fn header(text: &str) -> Vec<&str> {
    let mut comments = Vec::new();
    let mut rest = text;
    while rest.starts_with('#') || rest.starts_with("--") {
        match rest.find('\n') {
            Some(i) => {
                comments.push(rest[..i].trim());
                rest = &rest[i + 1..];
            }
            None => {
                comments.push(rest);
                return comments;
            }
        }
    }
    if rest.starts_with('\n') || rest.starts_with("\r\n") {
        comments
    } else {
        Vec::new()
    }
}

fn header_directive<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    header(text).into_iter().find_map(|c| directive(c, name))
}

/// Parses `atlas.sum` into its total and entries; a malformed line is an error at that line.
fn parse_sum(dir: &Path, sum: &SourceFile) -> Result<(String, Vec<SumEntry>), FormatError> {
    let mut lines = lines_with_offsets(&sum.contents);
    let total = lines
        .next()
        .map(|(_, l)| l.strip_prefix("h1:").unwrap_or(l).to_owned())
        .unwrap_or_default();
    let mut entries = Vec::new();
    for (start, line) in lines {
        let Some((name, hash)) = line.split_once("h1:") else {
            return Err(FormatError::content(
                dir,
                sum,
                start..start + line.len(),
                "atlas.sum has a malformed line",
                "expected `<file> h1:<hash>`",
                "each line after the first is `<file> h1:<base64 sha256>`; regenerate it with `atlas migrate hash`",
            ));
        };
        entries.push(SumEntry {
            name: name.trim().to_owned(),
            hash: hash.to_owned(),
        });
    }
    Ok((total, entries))
}

/// Byte range of the line for entry `i` of the sum file (line `i + 1`), or its end.
fn entry_span(text: &str, i: usize) -> std::ops::Range<usize> {
    lines_with_offsets(text)
        .nth(i + 1)
        .map_or(text.len()..text.len(), |(s, l)| s..s + l.len())
}

fn verify(dir: &Path, sum: &SourceFile, files: &[(&str, &SourceFile)]) -> Result<(), FormatError> {
    let (written_total, written) = parse_sum(dir, sum)?;
    let mismatch = |problem: String, span: std::ops::Range<usize>, label: &str| {
        FormatError::AtlasSumMismatch {
            problem,
            src: Arc::new(NamedSource::new(
                dir.join(&sum.path).display().to_string(),
                sum.contents.clone(),
            )),
            span: span.into(),
            label: label.to_owned(),
        }
    };
    if written_total != total(&written) {
        let first = lines_with_offsets(&sum.contents)
            .next()
            .map_or(0, |(_, l)| l.len());
        return Err(mismatch(
            "the `h1:` total on the first line does not match the lines below it (atlas.sum was edited by hand)".into(),
            0..first,
            "total does not match",
        ));
    }
    let actual = hash_files(files.iter().map(|(n, f)| (*n, f.contents.as_str())));
    for i in 0..written.len().max(actual.len()) {
        let (w, a) = (written.get(i), actual.get(i));
        if w == a {
            continue;
        }
        let span = entry_span(&sum.contents, i);
        return Err(match (w, a) {
            (Some(w), Some(a)) if w.name == a.name => mismatch(
                format!(
                    "`{}` was changed after atlas.sum was written",
                    dir.join(&a.name).display()
                ),
                span,
                "hash differs",
            ),
            (_, Some(a)) if !written.iter().any(|w| w.name == a.name) => mismatch(
                format!(
                    "`{}` is not listed in atlas.sum",
                    dir.join(&a.name).display()
                ),
                span,
                "missing here",
            ),
            (Some(w), _) if !actual.iter().any(|a| a.name == w.name) => mismatch(
                format!(
                    "atlas.sum lists `{}`, which does not exist",
                    dir.join(&w.name).display()
                ),
                span,
                "no such file",
            ),
            (Some(e), _) | (None, Some(e)) => mismatch(
                format!(
                    "`{}` is out of order in atlas.sum",
                    dir.join(&e.name).display()
                ),
                span,
                "out of order",
            ),
            (None, None) => continue,
        });
    }
    Ok(())
}

impl Format for Atlas {
    fn name(&self) -> &'static str {
        "atlas"
    }

    fn specificity(&self) -> Specificity {
        Specificity::Marker
    }

    fn example(&self) -> &'static str {
        "20240101120000_create_users.sql"
    }

    fn detect(&self, files: &[SourceFile]) -> bool {
        files.iter().any(|f| top_level_name(f) == Some(SUM_FILE))
    }

    fn migrations(&self, dir: &Path, files: &[SourceFile]) -> Result<Vec<Migration>, FormatError> {
        let mut sql: Vec<(&str, &SourceFile)> = top_level_sql(files).map(|(f, n)| (n, f)).collect();
        sql.sort_by(|a, b| a.0.cmp(b.0));
        let sum = files.iter().find(|f| top_level_name(f) == Some(SUM_FILE));
        match sum {
            Some(sum) => verify(dir, sum, &sql)?,
            None if sql.is_empty() => {}
            None => {
                return Err(FormatError::AtlasSumMissing {
                    dir: dir.to_path_buf(),
                });
            }
        }
        let start = sql
            .iter()
            .rposition(|(_, f)| header_directive(&f.contents, "checkpoint").is_some())
            .unwrap_or(0);
        Ok(sql[start..]
            .iter()
            .map(|(n, f)| {
                let stem = n.strip_suffix(".sql").unwrap_or(n);
                let (version, name) = stem.split_once('_').unwrap_or((stem, ""));
                Migration {
                    version: version.to_owned(),
                    name: name.to_owned(),
                    path: dir.join(&f.path),
                    source: f.contents.clone(),
                    up: whole(&f.contents),
                    down: None,
                    transactional: header_directive(&f.contents, "txmode") != Some("none"),
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::files;

    fn with_sum(list: &[(&str, &str)]) -> Vec<SourceFile> {
        let mut sorted: Vec<_> = list.to_vec();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        let sum = render_sum(&hash_files(sorted.iter().copied()));
        let mut all = list.to_vec();
        all.push((SUM_FILE, &sum));
        files(&all)
    }

    /// Known answer: Atlas's own `sql/migrate/testdata/partial-checkpoint` directory and the
    /// atlas.sum that Atlas wrote for it (MySQL syntax; only the hashes matter here).
    #[test]
    fn matches_atlas_written_sum() {
        const SUM: &str = "h1:POfbsH2G2GIXAZQ2CdPa5ufTxcLpcnperz/gX0Vw6Uk=
1_first.sql h1:uJ2MyyeTqXx4rCqtRMQAvRrfsvdwmvsZ3LcadVvCdOc=
2_second.sql h1:TLO00GtsqSi8o0ySoaofBqxemrElL8fHOs3IRnqYvB8=
3_checkpoint.sql h1:LR4UjDYVtrRuHLN5GQwLAYnXrSf/iO70psY8hTmLmjw=
4_fourth.sql h1:QvaneqKxg+3R+zNzCP/wW43XkECdHkUwEpxJKPICEP8=
5_checkpoint.sql h1:syyuaJb/hoMRO7MJlv4AMhYqMCoSb8ZgcHENO8RqN3I=
6_sixth.sql h1:JNhpyBtH7XKqGBNRHQ+AvM9IDpO08C3G/swWPHfLkfw=
";
        let fs = files(&[
            ("1_first.sql", "create table `tbl_1` (`col` int);\n"),
            ("2_second.sql", "create table `tbl_2` (`col` int);\n"),
            (
                "3_checkpoint.sql",
                "-- atlas:checkpoint\n\nCREATE TABLE `tbl_1` (`col` int);\nCREATE TABLE `tbl_2` (`col` int);\n",
            ),
            ("4_fourth.sql", "create table `tbl_3` (`col` int);\n"),
            (
                "5_checkpoint.sql",
                "-- atlas:checkpoint\n\nCREATE TABLE `tbl_1` (`col` int);\nCREATE TABLE `tbl_2` (`col` int);\ncreate table `tbl_3` (`col` int);\n",
            ),
            ("6_sixth.sql", "CREATE TABLE `tbl_4` (`col` int);\n"),
            (SUM_FILE, SUM),
        ]);
        let entries = hash_files(
            fs[..6]
                .iter()
                .map(|f| (top_level_name(f).unwrap(), f.contents.as_str())),
        );
        assert_eq!(render_sum(&entries), SUM);
        // A fresh database starts at the last checkpoint, as `atlas migrate apply` does.
        let ms = Atlas.migrations(Path::new(""), &fs).unwrap();
        let names: Vec<_> = ms.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["checkpoint", "sixth"]);
    }

    #[test]
    fn valid_dir_in_name_order() {
        let fs = with_sum(&[
            ("20240102000000_b.sql", "create table b ();"),
            ("20240101000000_a.sql", "create table a ();"),
        ]);
        assert!(Atlas.detect(&fs));
        let ms = Atlas.migrations(Path::new("migrations"), &fs).unwrap();
        assert_eq!(ms[0].version, "20240101000000");
        assert_eq!(ms[0].name, "a");
        assert_eq!(ms[1].path, Path::new("migrations/20240102000000_b.sql"));
    }

    #[test]
    fn edited_file_is_named() {
        let mut fs = with_sum(&[("1_a.sql", "a"), ("2_b.sql", "b"), ("3_c.sql", "c")]);
        fs[1].contents.push_str(" -- edited");
        let err = Atlas.migrations(Path::new("m"), &fs).unwrap_err();
        let FormatError::AtlasSumMismatch {
            problem, span, src, ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert!(
            problem.contains("m/2_b.sql") && problem.contains("changed"),
            "{problem}"
        );
        let text = src.inner();
        assert!(text[span.offset()..span.offset() + span.len()].starts_with("2_b.sql h1:"));
    }

    #[test]
    fn added_removed_and_tampered_total() {
        let mut fs = with_sum(&[("1_a.sql", "a")]);
        fs.push(SourceFile {
            path: "2_b.sql".into(),
            contents: "b".into(),
        });
        let err = Atlas
            .migrations(Path::new(""), &fs)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`2_b.sql` is not listed"), "{err}");

        let mut fs = with_sum(&[("1_a.sql", "a"), ("2_b.sql", "b")]);
        fs.retain(|f| f.path != Path::new("2_b.sql"));
        let err = Atlas
            .migrations(Path::new(""), &fs)
            .unwrap_err()
            .to_string();
        assert!(err.contains("lists `2_b.sql`"), "{err}");

        let mut fs = with_sum(&[("1_a.sql", "a")]);
        let sum = fs
            .iter_mut()
            .find(|f| f.path == Path::new(SUM_FILE))
            .unwrap();
        sum.contents = sum.contents.replacen("h1:", "h1:x", 1);
        let err = Atlas
            .migrations(Path::new(""), &fs)
            .unwrap_err()
            .to_string();
        assert!(err.contains("first line"), "{err}");
    }

    #[test]
    fn missing_sum_with_override() {
        let fs = files(&[("1_a.sql", "a")]);
        assert!(!Atlas.detect(&fs));
        assert!(matches!(
            Atlas.migrations(Path::new(""), &fs),
            Err(FormatError::AtlasSumMissing { .. })
        ));
    }

    #[test]
    fn sum_ignore_checkpoint_and_txmode() {
        let fs = with_sum(&[
            ("1_a.sql", "-- atlas:sum ignore\nselect 1;"),
            ("2_b.sql", "create table b ();"),
            ("3_cp.sql", "-- atlas:checkpoint\n\ncreate table b ();"),
            (
                "4_c.sql",
                "-- atlas:txmode none\n\ncreate index concurrently i on b (x);",
            ),
        ]);
        let sum = &fs.last().unwrap().contents;
        assert!(!sum.contains("1_a.sql"), "{sum}");
        let ms = Atlas.migrations(Path::new(""), &fs).unwrap();
        let names: Vec<_> = ms.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["cp", "c"]);
        assert!(ms[0].transactional);
        assert!(!ms[1].transactional);
    }

    #[test]
    fn directive_parsing() {
        assert_eq!(directive("-- atlas:sum ignore", "sum"), Some("ignore"));
        assert_eq!(directive("atlas:sum", "sum"), Some(""));
        assert_eq!(directive("-- atlas:summary", "sum"), None);
        assert_eq!(
            header("-- atlas:checkpoint\ncreate table t ();"),
            Vec::<&str>::new()
        );
    }
}
