//! `dbmigration lint` on hostile input, through the real CLI on real files: names that carry
//! Markdown fences, `</summary>`, ANSI and OSC 8 escapes, CR, LF and U+2028 cannot break any
//! report format, and a statement the parser cannot read does not open the gate.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn lint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dbmigration"))
        .arg("lint")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A file name and identifiers built to break out of every format (a file name cannot hold
/// `/`, so `</summary>` is in the identifiers).
const FILE: &str = "evil```<details><img src=x>|\u{1b}[31m\u{2028}.sql";
const SQL: &str = concat!(
    "SET lock_timeout = '1s';\n",
    "ALTER TABLE \"t```\n</summary></details><img src=x onerror=alert(1)>\" DROP COLUMN \"a```\u{1b}[31mred\u{1b}]8;;https://evil.example\u{7}click\u{1b}]8;;\u{7}\";\n",
    "ALTER TABLE \"u\r::error::forged\u{2028}x|y\" DROP COLUMN \"b\u{9b}2J\u{202e}c\";\n",
);

fn hostile_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(FILE), SQL).unwrap();
    dir
}

/// Characters no report may carry raw: they act on terminals and renderers.
fn assert_inert(format: &str, out: &str) {
    for c in ['\u{1b}', '\u{7}', '\r', '\u{9b}', '\u{2028}', '\u{202e}'] {
        assert!(
            !out.contains(c),
            "{format}: raw {:?} in output:\n{out}",
            c.escape_unicode().to_string()
        );
    }
}

#[test]
fn human_output_shows_escapes_not_effects() {
    let dir = hostile_dir();
    let o = lint(dir.path(), &["--format", "human", FILE]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert_inert("human", &out);
    assert_inert("human stderr", &text(&o.stderr));
    // The escapes are shown, so the reviewer sees what the name holds.
    assert!(out.contains("\\x1b[31m"), "{out}");
    assert!(out.contains("\\x1b]8;;https://evil.example\\x07"), "{out}");
    assert!(out.contains("\\u{2028}"), "{out}");
    assert!(out.contains("2 errors"), "{out}");
}

/// The lines of a Markdown document outside fenced code blocks, and the lines inside them.
fn split_fences(md: &str) -> (Vec<&str>, Vec<&str>) {
    let (mut outside, mut inside) = (Vec::new(), Vec::new());
    let mut open: Option<usize> = None;
    for line in md.split('\n') {
        let ticks = line.chars().take_while(|c| *c == '`').count();
        match open {
            None if ticks >= 3 => open = Some(ticks),
            None => outside.push(line),
            Some(n) if ticks >= n && line.trim_start_matches('`').trim().is_empty() => {
                open = None;
            }
            Some(_) => inside.push(line),
        }
    }
    assert!(open.is_none(), "a code block is never closed:\n{md}");
    (outside, inside)
}

#[test]
fn markdown_cannot_be_broken_out_of() {
    let dir = hostile_dir();
    let o = lint(dir.path(), &["--format", "markdown", FILE]);
    assert_eq!(o.status.code(), Some(1));
    let md = text(&o.stdout);
    assert_inert("markdown", &md);
    let (outside, inside) = split_fences(&md);
    // Every SQL line of the file is inside a code block; the fence only closes at its end.
    assert!(
        inside
            .iter()
            .any(|l| l.contains("</summary></details><img")),
        "{md}"
    );
    // `\<` is an escaped, literal `<`: what is left is markup.
    let outside = outside.join("\n").replace("\\<", "");
    // Outside code blocks, only our own HTML: one <details>/<summary> pair per finding.
    let findings = outside.matches("<details>").count();
    assert_eq!(findings, 2, "{md}");
    assert_eq!(outside.matches("</summary>").count(), findings, "{md}");
    assert_eq!(outside.matches("</details>").count(), findings, "{md}");
    assert!(!outside.contains("<img"), "{md}");
    // Table rows keep their four cells: a `|` in a name is escaped.
    for row in pgsql::lines(&outside).filter(|l| l.starts_with("| ")) {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 5, "{row}");
    }
    insta::assert_snapshot!("markdown_hostile", md);
}

#[test]
fn github_annotations_stay_one_command_per_finding() {
    let dir = hostile_dir();
    let o = lint(dir.path(), &["--format", "github", FILE]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert_inert("github", &out);
    let lines: Vec<&str> = pgsql::lines(&out).collect();
    // One command per finding: the CR before the forged `::error` is percent-encoded, so the
    // forged command stays message data.
    assert_eq!(lines.len(), 2, "{out}");
    for line in &lines {
        assert!(line.starts_with("::error file=evil"), "{line}");
    }
    assert!(out.contains("%0D::error::forged"), "{out}");
    // In the file= property, `,` and `:` are encoded too.
    let file = lines[0].trim_start_matches("::error file=");
    assert!(
        !file.split(",line=").next().unwrap().contains(':'),
        "{file}"
    );
}

#[test]
fn json_and_sarif_escape_everything() {
    let dir = hostile_dir();
    for format in ["json", "sarif"] {
        let o = lint(dir.path(), &["--format", format, FILE]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        let out = text(&o.stdout);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\r'),
            "{format}: {out}"
        );
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(parsed.to_string().contains("\\u001b[31m"), "{format}");
    }
}

/// An expression 60 parentheses deep: PostgreSQL accepts it, sqlparser gives up.
fn deep_alter(ack: &str, tail: &str) -> String {
    format!(
        "SET lock_timeout = '1s';\n{ack}ALTER TABLE users ADD COLUMN x int DEFAULT {}1{}{tail};\n",
        "(".repeat(60),
        ")".repeat(60)
    )
}

#[test]
fn unparseable_drop_column_fails_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("deep.sql"),
        deep_alter("", ", DROP COLUMN email"),
    )
    .unwrap();
    let o = lint(dir.path(), &["deep.sql"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("unanalysed-statement"), "{out}");
    assert!(out.contains("ban-drop-column"), "{out}");
    insta::assert_snapshot!("deep_drop_column", out);

    // Acknowledging the unparsed statement leaves the dropped column an error.
    let ack = "-- dbmigration:ignore unanalysed-statement -- reviewed: adds x, drops email\n";
    std::fs::write(
        dir.path().join("ack.sql"),
        deep_alter(ack, ", DROP COLUMN email"),
    )
    .unwrap();
    let o = lint(dir.path(), &["ack.sql"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(!out.contains("unanalysed-statement (https:"), "{out}");
    assert!(out.contains("ban-drop-column (https:"), "{out}");

    // Without the drop, the acknowledgement is all it takes.
    std::fs::write(dir.path().join("ok.sql"), deep_alter(ack, "")).unwrap();
    let o = lint(dir.path(), &["ok.sql"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    std::fs::write(dir.path().join("plain.sql"), deep_alter("", "")).unwrap();
    assert_eq!(lint(dir.path(), &["plain.sql"]).status.code(), Some(1));
}

#[test]
fn unreadable_input_writes_no_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.sql"), "SELECT 1;\n").unwrap();
    std::fs::create_dir(dir.path().join("dir.sql")).unwrap();
    for format in ["json", "sarif", "markdown", "github", "human"] {
        for bad in ["missing.sql", "dir.sql"] {
            let o = lint(dir.path(), &["--format", format, "ok.sql", bad]);
            assert_eq!(o.status.code(), Some(2), "{format} {bad}");
            assert!(o.stdout.is_empty(), "{format} {bad}: {}", text(&o.stdout));
            // A directory is read as a migrations directory: this one holds none.
            let said = if bad == "dir.sql" {
                "no migrations found in directory `dir.sql`".to_owned()
            } else {
                format!("cannot read {bad}")
            };
            assert!(
                text(&o.stderr).contains(&said),
                "{format} {bad}: {}",
                text(&o.stderr)
            );
        }
    }
}

#[test]
fn errors_quoting_a_hostile_path_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "gone\u{1b}]8;;https://evil.example\u{7}x\u{1b}]8;;\u{7}\r.sql";
    let o = lint(dir.path(), &[name]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert_inert("stderr", &err);
    assert!(err.contains("\\x1b]8;;https://evil.example"), "{err}");
}
