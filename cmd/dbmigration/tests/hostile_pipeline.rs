//! Hostile input through the whole pipeline, ending in `psql -f` as a user would run it:
//! migrations whose names, comments, defaults, checks and bodies carry CR, LF, U+2028, `*/`,
//! `--`, `$tag$` markers, backslashes, psql meta-commands (`\!`), fences and ESC go through
//! `hcl` → HCL → `diff` → `psql -f diff.sql`, and through `lint --fix` → `psql -f`. Only the
//! intended objects change (the result inspects as main's HCL), the sentinel table keeps its
//! row, no `\!` ran, and the linter sees every statement psql runs.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dbmigration::scratch::{Scratch, ScratchDatabase, ScratchOptions};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn dbmigration(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dbmigration"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

fn ok(out: Output, what: &str) -> Output {
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Every `\!` below touches a file named `pwned…` in psql's working directory.
fn assert_no_shell_ran(dir: &Path) {
    let pwned: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pwned"))
        .collect();
    assert!(pwned.is_empty(), "a psql meta-command ran: {pwned:?}");
}

/// `psql -X -v ON_ERROR_STOP=1 -f file` on the database, in `cwd`; None when there is no psql
/// next to the server binaries (the npm builds carry none).
fn psql(psql: &Path, db: &ScratchDatabase, cwd: &Path, file: &Path) -> Output {
    Command::new(psql)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
        .arg(db.connection_string())
        .arg("-f")
        .arg(file)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn psql_bin(scratch: &Scratch) -> Option<PathBuf> {
    let p = scratch.cluster_info()?.bin_dir.join("psql");
    if p.is_file() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: no psql next to the server binaries ({}); the hostile pipeline needs psql",
            p.display()
        );
        None
    }
}

/// Short payloads (identifiers hold at most 63 bytes): each tries to end the comment, string,
/// identifier or dollar quote it is written into, then drop the sentinel or run a shell.
const PAYLOADS: &[&str] = &[
    "a\n\\! touch pwned1\n",
    "b\rDROP TABLE sentinel;--",
    "c\u{2028}DROP TABLE sentinel;",
    "d*/DROP TABLE sentinel;/*",
    "e$x$;DROP TABLE sentinel;$$",
    "f\\'; DROP TABLE sentinel;--",
    "g```</summary>\u{1b}[31m",
];

/// A SQL literal for `s`, written by hand (not by the code under test).
fn lit(s: &str) -> String {
    let mut out = String::from("E'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\x1b"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A quoted identifier for `s`, written by hand.
fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

const SENTINEL: &str = "CREATE TABLE sentinel (id int PRIMARY KEY, note text NOT NULL);\n";

fn release_sql() -> String {
    let mut sql = String::from(SENTINEL);
    for (i, p) in PAYLOADS.iter().enumerate() {
        sql.push_str(&format!(
            "CREATE TABLE {t} (id int PRIMARY KEY, {c} text DEFAULT {d});\n\
             COMMENT ON TABLE {t} IS {d};\n",
            t = ident(&format!("t{i}{p}")),
            c = ident(&format!("c{p}")),
            d = lit(p),
        ));
    }
    // A table main drops: the one intended destructive change.
    sql.push_str(&format!(
        "CREATE TABLE {} (id int);\n",
        ident("gone\n\\! touch pwned0\n")
    ));
    sql
}

fn main_sql() -> String {
    let mut sql = String::from(SENTINEL);
    for (i, p) in PAYLOADS.iter().enumerate() {
        let t = ident(&format!("t{i}{p}"));
        sql.push_str(&format!(
            "CREATE TABLE {t} (id int PRIMARY KEY, {c} text DEFAULT {d});\n\
             COMMENT ON TABLE {t} IS {d2};\n\
             ALTER TABLE {t} ADD COLUMN {n} text DEFAULT {d2} CHECK ({n} <> {d});\n\
             COMMENT ON COLUMN {t}.{n} IS {d};\n\
             CREATE INDEX {ix} ON {t} ({n});\n\
             CREATE FUNCTION {f}() RETURNS text LANGUAGE sql AS $body$ SELECT {d} $body$;\n\
             CREATE FUNCTION {g}() RETURNS text LANGUAGE plpgsql AS $body$\n\
             BEGIN\n  -- {comment}\n  RETURN {d};\nEND\n$body$;\n\
             CREATE VIEW {v} AS SELECT {d}::text AS {c};\n",
            c = ident(&format!("c{p}")),
            n = ident(&format!("n{p}")),
            ix = ident(&format!("i{i}{p}")),
            f = ident(&format!("f{i}{p}")),
            g = ident(&format!("g{i}{p}")),
            v = ident(&format!("v{i}{p}")),
            d = lit(p),
            d2 = lit(&format!("changed {p}")),
            // Inside the plpgsql body: a comment that a CR or U+2028 must not end early for
            // the tool (the server keeps the body as text either way).
            comment = p.replace('\n', " "),
        ));
    }
    sql.push_str(&format!(
        "CREATE TYPE {} AS ENUM ({}, {});\n",
        ident("mood\r\\! touch pwned9"),
        lit(PAYLOADS[0]),
        lit(PAYLOADS[3])
    ));
    sql
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn hostile_schema_through_hcl_diff_and_psql() {
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    write(&w.join("release"), "1-schema.sql", &release_sql());
    write(&w.join("main"), "1-schema.sql", &main_sql());
    for (dir, out) in [("release", "release.hcl"), ("main", "main.hcl")] {
        ok(
            dbmigration(
                w,
                &[
                    "hcl",
                    "--dir",
                    dir,
                    "--migrations-format",
                    "plain",
                    "-o",
                    out,
                ],
            ),
            &format!("hcl --dir {dir}"),
        );
    }
    ok(
        dbmigration(w, &["diff", "release.hcl", "main.hcl", "-o", "diff.sql"]),
        "diff",
    );
    let plan = std::fs::read_to_string(w.join("diff.sql")).unwrap();
    assert!(
        plan.contains("DROP TABLE"),
        "the intended drop is planned:\n{plan}"
    );
    // Every payload reaches the plan (as names, literals, comments or bodies), so psql below
    // really reads them.
    for p in PAYLOADS {
        assert!(
            plan.contains(&format!("n{}", p.replace('"', "\"\""))),
            "{p:?} not in:\n{plan}"
        );
    }
    for op in [
        "CREATE FUNCTION",
        "CREATE VIEW",
        "COMMENT ON COLUMN",
        "CREATE TYPE",
        "CHECK",
    ] {
        assert!(plan.contains(op), "{op} not in:\n{plan}");
    }

    rt().block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let Some(psql_bin) = psql_bin(&scratch) else {
            return;
        };
        let db = scratch.create_database().await.unwrap();
        // psql applies release as the tool would, then the plan.
        ok(
            psql(&psql_bin, &db, w, &w.join("release/1-schema.sql")),
            "psql release",
        );
        db.client()
            .batch_execute("INSERT INTO sentinel VALUES (1, 'alive')")
            .await
            .unwrap();
        ok(
            psql(&psql_bin, &db, w, &w.join("diff.sql")),
            "psql -f diff.sql",
        );
        assert_no_shell_ran(w);
        let note: String = db
            .client()
            .query_one("SELECT note FROM sentinel WHERE id = 1", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(note, "alive");

        // Only the intended objects changed: the database now inspects as main's schema.
        let url = db.connection_string();
        ok(
            dbmigration(w, &["inspect", &url, "-o", "applied.hcl"]),
            "inspect",
        );
        let out = ok(
            dbmigration(w, &["diff", "applied.hcl", "main.hcl", "-o", "-"]),
            "diff applied main",
        );
        let rest = String::from_utf8_lossy(&out.stdout);
        let statements: Vec<&str> = pgsql_statements(&rest);
        assert!(
            statements.is_empty(),
            "after diff.sql the database still differs from main:\n{rest}"
        );
        scratch.shutdown().await.unwrap();
    });
}

/// The statements of `sql` that are not only comments or `SET`/transaction control, by the
/// project's lexer.
fn pgsql_statements(sql: &str) -> Vec<&str> {
    pgsql::split(sql)
        .statements
        .iter()
        .map(|s| sql[s.range.clone()].trim())
        .filter(|s| {
            let head = s
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            !s.is_empty()
                && !matches!(
                    head.as_str(),
                    "SET" | "BEGIN" | "COMMIT" | "RESET" | "SELECT"
                )
        })
        .collect()
}

#[test]
fn lint_fix_output_runs_only_what_was_reviewed() {
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    // The table name holds the tag a fixed-tag backfill block would use.
    let table = ident("tbl\n\\! touch pwned1\n$backfill$;");
    let added = ident("x\rDROP TABLE sentinel;--");
    let existing = ident("y\u{2028}*/ DROP TABLE sentinel; /*");
    let migration = format!(
        "SET lock_timeout = '1s';\n\
         ALTER TABLE {table} ADD COLUMN {added} int NOT NULL;\n\
         ALTER TABLE {table} ALTER COLUMN {existing} SET NOT NULL;\n"
    );
    write(w, "m.sql", &migration);
    let out = dbmigration(w, &["lint", "--fix", "-o", "fixed.sql", "m.sql"]);
    assert!(
        w.join("fixed.sql").is_file(),
        "lint --fix wrote nothing ({:?}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    // The reviewer fills in the value the rewrite asks for, as its comment says.
    let fixed = std::fs::read_to_string(w.join("fixed.sql")).unwrap();
    let placeholder = "NULL /* dbmigration: FILL IN the value for existing rows */";
    assert!(fixed.contains(placeholder), "{fixed}");
    std::fs::write(w.join("fixed.sql"), fixed.replace(placeholder, "0")).unwrap();

    rt().block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let Some(psql_bin) = psql_bin(&scratch) else {
            return;
        };
        let db = scratch.create_database().await.unwrap();
        db.client()
            .batch_execute(&format!(
                "{SENTINEL} INSERT INTO sentinel VALUES (1, 'alive');\n\
                 CREATE TABLE {table} (id int PRIMARY KEY, {existing} int);\n\
                 INSERT INTO {table} SELECT i, i FROM generate_series(1, 2500) AS i;"
            ))
            .await
            .unwrap();
        ok(psql(&psql_bin, &db, w, &w.join("fixed.sql")), "psql -f fixed.sql");
        assert_no_shell_ran(w);
        let rows = db
            .client()
            .query("SELECT note FROM sentinel", &[])
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "the sentinel survives");
        // The rewrite did what the original meant: both columns NOT NULL, the new one filled,
        // and no helper constraint left behind.
        let cols = db
            .client()
            .query(
                "SELECT attname::text, attnotnull FROM pg_attribute \
                 WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped \
                 ORDER BY attnum",
                &[&table],
            )
            .await
            .unwrap();
        let cols: Vec<(String, bool)> = cols.iter().map(|r| (r.get(0), r.get(1))).collect();
        assert_eq!(cols.len(), 3, "{cols:?}");
        assert!(cols.iter().all(|(_, notnull)| *notnull), "{cols:?}");
        let filled: i64 = db
            .client()
            .query_one(&format!("SELECT count(*) FROM {table} WHERE {added} = 0"), &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(filled, 2500);
        let checks: i64 = db
            .client()
            .query_one(
                "SELECT count(*) FROM pg_constraint WHERE conrelid = $1::text::regclass AND contype = 'c'",
                &[&table],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(checks, 0, "the helper CHECK constraints are dropped");
        scratch.shutdown().await.unwrap();
    });
}

/// psql ends a `--` comment at CR as the server does; a statement hidden there runs, so the
/// linter must see it (and fail the gate on the drop).
#[test]
fn lint_sees_the_statements_psql_runs() {
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let hidden = "SET lock_timeout = '1s';\n\
                  SELECT 1; -- harmless\rDROP TABLE sentinel;\n\
                  /* note \u{2028} */ ALTER TABLE other DROP COLUMN note; -- x\r\n";
    write(w, "m.sql", hidden);
    let out = dbmigration(w, &["lint", "--format", "json", "m.sql"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("ban-drop-table"), "{report}");
    assert!(report.contains("ban-drop-column"), "{report}");

    rt().block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let Some(psql_bin) = psql_bin(&scratch) else {
            return;
        };
        let db = scratch.create_database().await.unwrap();
        db.client()
            .batch_execute(&format!("{SENTINEL} CREATE TABLE other (note text);"))
            .await
            .unwrap();
        ok(psql(&psql_bin, &db, w, &w.join("m.sql")), "psql -f m.sql");
        // psql did run the hidden drop: what the linter flagged is what happened.
        let gone = db
            .client()
            .query_opt("SELECT 1 FROM pg_class WHERE relname = 'sentinel'", &[])
            .await
            .unwrap()
            .is_none();
        assert!(gone, "psql did not run the statement after the CR");
        scratch.shutdown().await.unwrap();
    });
}
