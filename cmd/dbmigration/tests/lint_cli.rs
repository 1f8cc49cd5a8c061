//! `dbmigration lint` end to end: exit codes, formats, `--fix`, several files, `--schema`.
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

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const UNSAFE: &str =
    "ALTER TABLE users DROP COLUMN email;\nALTER TABLE users ADD COLUMN nick text NOT NULL;\n";

#[test]
fn defaults_to_diff_sql_and_exits_1_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("diff.sql"), UNSAFE).unwrap();
    let o = lint(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("ban-drop-column"), "{out}");
    assert!(out.contains("ban-unsafe-not-null"), "{out}");
    assert!(out.contains("2 errors, 1 warning"), "{out}");
    // Plain output: no ANSI escapes.
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn clean_file_exits_0_and_warnings_do_not_fail() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ok.sql"),
        "CREATE TABLE t (a int);\nALTER TABLE t DROP COLUMN a;\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("warn.sql"),
        "ALTER TABLE t ADD COLUMN a int;\n",
    )
    .unwrap();
    assert_eq!(lint(dir.path(), &["ok.sql"]).status.code(), Some(0));
    assert_eq!(lint(dir.path(), &["warn.sql"]).status.code(), Some(0));
}

#[test]
fn input_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.sql"), "  \n").unwrap();
    std::fs::write(dir.path().join("bin.sql"), [0u8, 159, 146, 150]).unwrap();
    for (file, msg) in [
        ("missing.sql", "cannot read missing.sql"),
        ("empty.sql", "empty.sql is empty"),
        ("bin.sql", "not a text file"),
    ] {
        let o = lint(dir.path(), &[file]);
        assert_eq!(o.status.code(), Some(2), "{file}");
        assert!(stderr(&o).contains(msg), "{file}: {}", stderr(&o));
    }
    // No diff.sql in the directory: a clear error too.
    let o = lint(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("diff.sql"));
}

#[test]
fn json_has_positions_and_the_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.sql"), UNSAFE).unwrap();
    std::fs::write(dir.path().join("b.sql"), "DROP TABLE old;\n").unwrap();
    let o = lint(dir.path(), &["--format", "json", "a.sql", "b.sql"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let items = v.as_array().unwrap();
    let drop = items
        .iter()
        .find(|i| i["rule"] == "ban-drop-column")
        .unwrap();
    assert_eq!(drop["file"], "a.sql");
    assert_eq!(drop["severity"], "error");
    assert_eq!(
        (drop["line"].as_u64(), drop["column"].as_u64()),
        (Some(1), Some(19))
    );
    assert_eq!(
        (drop["start"].as_u64(), drop["end"].as_u64()),
        (Some(18), Some(35))
    );
    let nn = items
        .iter()
        .find(|i| i["rule"] == "ban-unsafe-not-null")
        .unwrap();
    assert!(
        nn["rewrite"]
            .as_str()
            .unwrap()
            .contains("VALIDATE CONSTRAINT")
    );
    assert!(
        items
            .iter()
            .any(|i| i["file"] == "b.sql" && i["rule"] == "ban-drop-table")
    );
}

#[test]
fn github_sarif_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("diff.sql"), UNSAFE).unwrap();
    let gh = stdout(&lint(dir.path(), &["--format", "github"]));
    assert!(
        pgsql::lines(&gh).any(|l| l.starts_with("::error file=diff.sql,line=1,col=19,")),
        "{gh}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&stdout(&lint(dir.path(), &["--format", "sarif"]))).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);
    let md = stdout(&lint(dir.path(), &["--format", "markdown"]));
    assert!(md.starts_with("## dbmigration lint"), "{md}");
    assert!(md.contains("| ❌ | [`ban-drop-column`]"), "{md}");
}

#[test]
fn fix_writes_the_safe_rewrite_next_to_the_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("diff.sql"), UNSAFE).unwrap();
    let o = lint(dir.path(), &["--fix"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("wrote the safe rewrite to diff.safe.sql"),
        "{}",
        stderr(&o)
    );
    let safe = std::fs::read_to_string(dir.path().join("diff.safe.sql")).unwrap();
    assert!(safe.starts_with("SET lock_timeout = '2s';\n"), "{safe}");
    assert!(
        safe.contains("ALTER TABLE users ADD COLUMN nick text;"),
        "{safe}"
    );
    // The rewrite is clean for the NOT NULL rule; the drop stays for a human to decide.
    let o = lint(dir.path(), &["--format", "json", "diff.safe.sql"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["ban-drop-column"]);
    // -o - prints it instead.
    let o = lint(dir.path(), &["--fix", "-o", "-", "--format", "json"]);
    assert!(stdout(&o).contains("-- step 3: enforce NOT NULL"));
}

#[test]
fn schema_says_which_tables_exist() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("release.hcl"),
        "table \"users\" {\n  schema = schema.public\n  column \"id\" {\n    null = false\n    type = bigint\n  }\n  column \"name\" {\n    null = true\n    type = character_varying(10)\n  }\n  primary_key {\n    columns = [column.id]\n  }\n}\nschema \"public\" {\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("diff.sql"),
        "SET lock_timeout = '1s';\nALTER TABLE new_table DROP COLUMN x;\nALTER TABLE users ALTER COLUMN name TYPE varchar(20);\nALTER TABLE users ALTER COLUMN id TYPE int;\n",
    )
    .unwrap();
    let o = lint(dir.path(), &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&o), stderr(&o)));
    let got: Vec<(String, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["rule"].as_str().unwrap().to_string(),
                i["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // new_table is not in the schema: linted as existing all the same (a stale release.hcl
    // must not hide the drop); varchar widening is free; int is not.
    assert_eq!(
        got,
        vec![
            ("ban-drop-column".to_string(), 2),
            ("changing-column-type".to_string(), 4)
        ]
    );
    // The human report says why.
    let o = lint(dir.path(), &[]);
    assert!(
        stdout(&o).contains("the schema did not know table `public.new_table`; linted as existing"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn suppression_comments() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("diff.sql"),
        "SET lock_timeout = '1s';\n-- dbmigration:ignore ban-drop-column -- unused since v42\nALTER TABLE users DROP COLUMN email;\n",
    )
    .unwrap();
    let o = lint(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn in_transaction_and_pg_version_flags_reach_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("idx.sql"),
        "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n",
    )
    .unwrap();
    let o = lint(dir.path(), &["idx.sql"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = lint(dir.path(), &["idx.sql", "--in-transaction"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("ban-concurrent-index-in-transaction"));

    // A constant default on ADD COLUMN rewrites the table before PostgreSQL 11.
    std::fs::write(
        dir.path().join("add.sql"),
        "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;\n",
    )
    .unwrap();
    let new = stdout(&lint(dir.path(), &["add.sql", "--format", "json"]));
    let old = stdout(&lint(
        dir.path(),
        &["add.sql", "--format", "json", "--pg-version", "10"],
    ));
    assert_ne!(
        new, old,
        "pg 10 and pg 15 should judge a constant default differently"
    );
    assert_eq!(
        lint(dir.path(), &["add.sql", "--pg-version", "9"])
            .status
            .code(),
        Some(2)
    );
}
