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
//! Atlas hashes other tools' directories too (`atlas migrate hash --dir-format X`), each over
//! the files its `migrate.Dir` for that format lists (ariga/atlas `sql/sqltool/tool.go`):
//! golang-migrate: top-level `*.up.sql` only (`GolangMigrateDir.Files`), byte order; goose,
//! dbmate, liquibase: top-level `*.sql` (`migrate.LocalDir.Files`), byte order; Flyway: `V`,
//! `B` and `R` `.sql` files at any depth outside hidden directories, baseline first, then
//! versioned by Flyway version, then repeatables (`FlywayDir.Files`, `flywayFiles.names`).
//! So an `atlas.sum` beside golang-migrate files is that tool's directory with Atlas's
//! checksum, not an Atlas directory: [`foreign_sum_warning`] checks it the way Atlas does
//! and, since the tool that applies the files never reads `atlas.sum`, only warns.
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

use super::tracking::Tracking;
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
        if directive(
            super::lines_with_offsets(contents)
                .next()
                .map_or("", |(_, l)| l),
            "sum",
        )
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

/// The files Atlas hashes for a directory of format `format` (our name), in Atlas's order,
/// with the name each gets in `atlas.sum`; `None` for formats Atlas has no directory type for.
pub fn dir_files<'a>(
    format: &str,
    files: &'a [SourceFile],
) -> Option<Vec<(&'a str, &'a SourceFile)>> {
    let mut list: Vec<(&str, &SourceFile)> = match format {
        "atlas" | "goose" | "dbmate" => top_level_sql(files).map(|(f, n)| (n, f)).collect(),
        "golang-migrate" => top_level_sql(files)
            .filter(|(_, n)| n.ends_with(".up.sql"))
            .map(|(f, n)| (n, f))
            .collect(),
        "flyway" => return Some(flyway_files(files)),
        _ => return None,
    };
    list.sort_by(|a, b| a.0.cmp(b.0));
    Some(list)
}

/// `FlywayDir.Files` (ariga/atlas `sql/sqltool/tool.go`): `V`/`B`/`R` `.sql` files at any
/// depth outside hidden directories; the newest baseline, then versioned files above it by
/// Flyway version (`flywayVersionCompare`: `_` read as `.`, parts as integers), then
/// repeatables.
fn flyway_files(files: &[SourceFile]) -> Vec<(&str, &SourceFile)> {
    let version = |name: &str| -> Vec<u64> {
        let base = name.rsplit('/').next().unwrap_or(name);
        let stem = base.strip_suffix(".sql").unwrap_or(base);
        let v = stem
            .split("__")
            .next()
            .unwrap_or_default()
            .get(1..)
            .unwrap_or_default();
        v.replace('_', ".")
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    let mut baseline: Option<(&str, &SourceFile)> = None;
    let (mut versioned, mut repeatable) = (Vec::new(), Vec::new());
    for f in files {
        let Some(path) = f.path.to_str() else {
            continue;
        };
        let hidden = path.split('/').rev().skip(1).any(|d| d.starts_with('.'));
        let base = path.rsplit('/').next().unwrap_or(path);
        if hidden || !base.ends_with(".sql") || base.len() < 4 {
            continue;
        }
        match base.as_bytes()[0] {
            b'B' if baseline.is_none_or(|(b, _)| version(b) <= version(path)) => {
                baseline = Some((path, f))
            }
            b'V' => versioned.push((path, f)),
            b'R' => repeatable.push((path, f)),
            _ => {}
        }
    }
    if let Some((b, _)) = baseline {
        let bv = version(b);
        versioned.retain(|(p, _)| version(p) > bv);
    }
    versioned.sort_by_key(|(p, _)| version(p));
    repeatable.sort_by(|a, b| a.0.cmp(b.0));
    baseline
        .into_iter()
        .chain(versioned)
        .chain(repeatable)
        .collect()
}

/// For a directory of another tool's format holding an `atlas.sum`: a warning when the sum
/// does not match the files the way Atlas hashes that format. The tool applying the files
/// ignores `atlas.sum`, so a mismatch does not stop the run.
pub fn foreign_sum_warning(format: &str, dir: &Path, files: &[SourceFile]) -> Option<String> {
    if format == "atlas" {
        return None;
    }
    let sum = files.iter().find(|f| top_level_name(f) == Some(SUM_FILE))?;
    let Some(list) = dir_files(format, files) else {
        return Some(format!(
            "{} is not checked: Atlas has no `{format}` directory format",
            dir.join(SUM_FILE).display()
        ));
    };
    verify(dir, sum, &list).err().map(|e| {
        format!(
            "{e}; {format} does not read atlas.sum, so the files are applied anyway (run `atlas migrate hash --dir-format {format}` to update it)"
        )
    })
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

    fn ordering(&self) -> &'static str {
        "file name, byte order (Atlas sql/migrate/dir.go, LocalDir.Files)"
    }

    /// Atlas keeps its revisions in `atlas_schema_revisions.atlas_schema_revisions`
    /// (ariga/atlas `cmd/atlas/internal/migrate/ent/schema/revision.go`), one row per file.
    fn tracking(&self) -> Option<Tracking> {
        Some(Tracking {
            table: "atlas_schema_revisions.atlas_schema_revisions",
            create: &[
                "CREATE SCHEMA IF NOT EXISTS \"atlas_schema_revisions\"",
                "CREATE TABLE IF NOT EXISTS {table} (version character varying NOT NULL PRIMARY KEY, description character varying NOT NULL, type bigint NOT NULL DEFAULT 2, applied bigint NOT NULL DEFAULT 0, total bigint NOT NULL DEFAULT 0, executed_at timestamptz NOT NULL, execution_time bigint NOT NULL, error text NULL, error_stmt text NULL, hash character varying NOT NULL, partial_hashes jsonb NULL, operator_version character varying NOT NULL)",
            ],
            record: |m, _| {
                vec![(
                    "INSERT INTO {table} (version, description, type, applied, total, executed_at, execution_time, hash, operator_version) VALUES ($1::text, $2::text, 2, 0, 0, now(), 0, '', 'dbmigration')",
                    vec![m.version.clone(), m.name.clone()],
                )]
            },
        })
    }

    /// An `atlas.sum` with Atlas's own layout: not when another tool's files sit beside it
    /// (golang-migrate `.up.sql` names, goose or dbmate markers, Flyway names), which Atlas
    /// hashes with that tool's `--dir-format`.
    fn detect(&self, files: &[SourceFile]) -> bool {
        let foreign: [&dyn Format; 4] = [
            &super::GolangMigrate,
            &super::Goose,
            &super::Dbmate,
            &super::Flyway,
        ];
        files.iter().any(|f| top_level_name(f) == Some(SUM_FILE))
            && !foreign.iter().any(|f| f.detect(files))
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

    /// An atlas.sum beside golang-migrate files (as `atlas migrate diff --dir-format
    /// golang-migrate` writes it) hashes only the `.up.sql` files: detected as golang-migrate,
    /// checked that way, and a mismatch is a warning, not an error.
    #[test]
    fn golang_migrate_dir_with_atlas_sum() {
        let ups = [
            ("1_a.up.sql", "create table a ();"),
            ("2_b.up.sql", "create table b ();"),
        ];
        let sum = render_sum(&hash_files(ups.iter().copied()));
        let mut list = ups.to_vec();
        list.extend([
            ("1_a.down.sql", "drop table a;"),
            ("2_b.down.sql", "drop table b;"),
        ]);
        list.push((SUM_FILE, &sum));
        let fs = files(&list);
        assert!(!Atlas.detect(&fs));
        assert_eq!(crate::format::detect(&fs).unwrap().name(), "golang-migrate");
        assert_eq!(
            foreign_sum_warning("golang-migrate", Path::new("m"), &fs),
            None
        );

        let mut edited = fs.clone();
        edited[1].contents.push_str(" -- edited");
        let w = foreign_sum_warning("golang-migrate", Path::new("m"), &edited).unwrap();
        assert!(
            w.contains("m/2_b.up.sql") && w.contains("applied anyway"),
            "{w}"
        );
    }

    /// Atlas's Flyway directory: baseline first, then versioned above it in Flyway order
    /// (`1.10` after `1.9`), then repeatables; hidden directories are not read.
    #[test]
    fn flyway_dir_order() {
        let fs = files(&[
            ("V1__old.sql", ""),
            ("B2__base.sql", ""),
            ("sub/V1_10__ten.sql", ""),
            ("V1_9__nine.sql", ""),
            ("V3__three.sql", ""),
            ("R__views.sql", ""),
            (".hidden/V4__x.sql", ""),
            ("README.sql", ""),
        ]);
        let names: Vec<_> = dir_files("flyway", &fs)
            .unwrap()
            .iter()
            .map(|(n, _)| *n)
            .collect();
        // Any `R…sql` counts as repeatable in Atlas's reading, `README.sql` included.
        assert_eq!(
            names,
            [
                "B2__base.sql",
                "V3__three.sql",
                "README.sql",
                "R__views.sql"
            ]
        );
        let fs = files(&[("sub/V1_10__ten.sql", ""), ("V1_9__nine.sql", "")]);
        let names: Vec<_> = dir_files("flyway", &fs)
            .unwrap()
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(names, ["V1_9__nine.sql", "sub/V1_10__ten.sql"]);
    }

    #[test]
    fn goose_dir_with_atlas_sum_hashes_every_sql_file() {
        let list = [("1_a.sql", "-- +goose Up\ncreate table a ();\n")];
        let sum = render_sum(&hash_files(list.iter().copied()));
        let fs = files(&[list[0], (SUM_FILE, &sum)]);
        assert_eq!(crate::format::detect(&fs).unwrap().name(), "goose");
        assert_eq!(foreign_sum_warning("goose", Path::new(""), &fs), None);
        let w = foreign_sum_warning("sqlx", Path::new(""), &fs).unwrap();
        assert!(w.contains("no `sqlx` directory format"), "{w}");
    }
}
