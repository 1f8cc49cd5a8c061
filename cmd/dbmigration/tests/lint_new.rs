//! `run` and `lint --since` lint the migrations that will run, by their format, with the
//! schema at FROM as context; the plan (`diff.sql`) is linted for reference with the files'
//! acknowledgements. Temporary git repositories with the patterns of real repositories, run
//! against real PostgreSQL clusters the binary starts itself.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::process::Command;

use common::{BIN, Repo, stderr};
use serde_json::Value;

/// What `run --format json` says: the exit status, the findings on the migration files
/// (`rule@file:line`) and the rules found in the plan.
trait RunJson {
    fn run(&self) -> (i32, Vec<String>, Vec<String>);
    fn run_with(&self, extra: &[&str]) -> (i32, Vec<String>, Vec<String>);
}

impl RunJson for Repo {
    /// The plan's rules are sorted: its lines and order are the diff engine's business.
    fn run(&self) -> (i32, Vec<String>, Vec<String>) {
        self.run_with(&[])
    }

    /// `run --format json` with more arguments (e.g. `--unsafe-plan`).
    fn run_with(&self, extra: &[&str]) -> (i32, Vec<String>, Vec<String>) {
        let mut args = vec!["run", "--format", "json"];
        args.extend_from_slice(extra);
        let out = self.dbmigration(&args);
        let text = String::from_utf8(out.stdout.clone()).unwrap();
        // One document: the summary, with the lint of the files and of the plan inside.
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}\n{}", stderr(&out)));
        let status = out.status.code().unwrap();
        let mut plan: Vec<String> = doc["lint"]["plan"]
            .as_array()
            .unwrap_or_else(|| panic!("no lint.plan: {text}"))
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect();
        plan.sort();
        (status, findings(&doc["lint"]["migrations"]), plan)
    }
}

fn findings(doc: &Value) -> Vec<String> {
    doc.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            let file = file.rsplit('/').next().unwrap();
            format!("{}@{file}:{}", f["rule"].as_str().unwrap(), f["line"])
        })
        .collect()
}

const USERS: &str = "-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n-- +goose Down\nDROP TABLE users;\n";

/// A goose migration that builds an index on `users` without blocking writes, as it must:
/// outside a transaction, after `SET lock_timeout`.
fn concurrent_email_index(lock_timeout: &str) -> String {
    format!(
        "-- +goose NO TRANSACTION\n-- +goose Up\nSET lock_timeout = '{lock_timeout}';\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n-- +goose Down\nDROP INDEX users_email_idx;\n"
    )
}

fn goose(name: &str) -> String {
    format!("db/migrations/{name}")
}

/// A goose history whose new migration is safe (an index built concurrently outside a
/// transaction, lock_timeout set); the Down section drops a table and is not linted. The
/// online plan builds the index concurrently too; the plain plan (`--unsafe-plan`) does not,
/// and is flagged as the plan's without deciding the exit status.
#[test]
fn safe_migration_unsafe_plan_and_goose_down_sections() {
    let repo = Repo::new(
        &[(&goose("00001_users.sql"), USERS)],
        &[(
            &goose("00002_email_idx.sql"),
            "-- +goose NO TRANSACTION\n-- +goose Up\nSET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n-- +goose Down\nDROP INDEX users_email_idx;\nDROP TABLE IF EXISTS users_archive;\n",
        )],
    );
    let (status, files, plan) = repo.run();
    assert_eq!(files, Vec::<String>::new());
    assert_eq!(plan, Vec::<String>::new(), "the online plan is safe");
    assert_eq!(status, 0);
    let (status, files, plan) = repo.run_with(&["--unsafe-plan"]);
    assert_eq!(files, Vec::<String>::new());
    assert_eq!(
        plan,
        vec!["require-concurrent-index", "require-lock-timeout"]
    );
    assert_eq!(status, 0, "the plan does not decide the exit status");
}

/// The reverse: the new migrations build a blocking index on an existing table for a data
/// migration (UPDATE) and drop it again. The plan is empty; the files fail the run.
#[test]
fn data_migration_unsafe_while_the_plan_is_empty() {
    let repo = Repo::new(
        &[(&goose("00001_users.sql"), USERS)],
        &[(
            &goose("00002_backfill.sql"),
            "-- +goose Up\nSET lock_timeout = '2s';\nCREATE INDEX users_email_tmp ON users (email);\nUPDATE users SET email = lower(email) WHERE email <> lower(email);\nDROP INDEX users_email_tmp;\n-- +goose Down\nSELECT 1;\n",
        )],
    );
    let (status, files, plan) = repo.run();
    assert_eq!(files, vec!["require-concurrent-index@00002_backfill.sql:3"]);
    assert_eq!(plan, Vec::<String>::new());
    assert_eq!(status, 1);
}

/// CONCURRENTLY in a file goose wraps in a transaction fails in production: an error.
#[test]
fn concurrently_inside_a_transactional_goose_file() {
    let repo = Repo::new(
        &[(&goose("00001_users.sql"), USERS)],
        &[(
            &goose("00002_email_idx.sql"),
            "-- +goose Up\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n-- +goose Down\nDROP INDEX users_email_idx;\n",
        )],
    );
    let (status, files, _) = repo.run();
    assert_eq!(
        files,
        vec!["ban-concurrent-index-in-transaction@00002_email_idx.sql:2"]
    );
    assert_eq!(status, 1);
}

/// OpenMeter's pattern (golang-migrate): a NOT NULL column added with `DEFAULT 0`, then the
/// default dropped. The migration is safe. The online plan adds the column with a default
/// and drops it after, as the migration does; the plain plan adds it NOT NULL without a
/// default, which fails on a populated table, and is flagged as the plan's.
#[test]
fn not_null_with_a_temporary_default() {
    let repo = Repo::new(
        &[(
            "migrations/20240101000000_meters.up.sql",
            "CREATE TABLE meters (id bigint PRIMARY KEY, name text);\n",
        )],
        &[(
            "migrations/20240201000000_meter_version.up.sql",
            "SET lock_timeout = '2s';\nALTER TABLE meters ADD COLUMN version bigint NOT NULL DEFAULT 0;\nALTER TABLE meters ALTER COLUMN version DROP DEFAULT;\n",
        )],
    );
    let (status, files, plan) = repo.run();
    assert_eq!(files, Vec::<String>::new());
    assert_eq!(plan, Vec::<String>::new(), "the online plan is safe");
    assert_eq!(status, 0);
    let (status, _, plan) = repo.run_with(&["--unsafe-plan"]);
    assert_eq!(plan, vec!["ban-unsafe-not-null", "require-lock-timeout"]);
    assert_eq!(status, 0);
}

/// A drop reviewed and acknowledged in the migration is acknowledged in the plan too; without
/// the acknowledgement the online plan still reports the drop (it is truly dangerous).
#[test]
fn an_acknowledged_drop() {
    let repo = Repo::new(
        &[(&goose("00001_users.sql"), USERS)],
        &[(
            &goose("00002_drop_email.sql"),
            "-- +goose Up\nSET lock_timeout = '2s';\n-- dbmigration:ignore ban-drop-column -- nothing reads it since v42\nALTER TABLE users DROP COLUMN email;\n-- +goose Down\nALTER TABLE users ADD COLUMN email text;\n",
        )],
    );
    let (status, files, plan) = repo.run();
    assert_eq!(files, Vec::<String>::new());
    assert_eq!(
        plan,
        Vec::<String>::new(),
        "acknowledged; the online plan sets its timeouts"
    );
    assert_eq!(status, 0);
    // The plain plan sets no lock_timeout of its own; the drop itself is acknowledged.
    let (_, _, plan) = repo.run_with(&["--unsafe-plan"]);
    assert_eq!(plan, vec!["require-lock-timeout"]);

    let unacknowledged = Repo::new(
        &[(&goose("00001_users.sql"), USERS)],
        &[(
            &goose("00002_drop_email.sql"),
            "-- +goose Up\nSET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN email;\n-- +goose Down\nALTER TABLE users ADD COLUMN email text;\n",
        )],
    );
    let (status, files, plan) = unacknowledged.run();
    assert_eq!(files, vec!["ban-drop-column@00002_drop_email.sql:3"]);
    assert_eq!(plan, vec!["ban-drop-column"]);
    assert_eq!(status, 1);
}

/// `lint --since REF` lints what is new in the work tree, uncommitted files included, with
/// REF's schema as context; `lint DIR` reads every file by its format; `lint -` reads stdin.
#[test]
fn lint_since_dir_and_stdin() {
    let repo = Repo::new(&[(&goose("00001_users.sql"), USERS)], &[]);
    repo.write(&[(
        &goose("00002_drop.sql"),
        "-- +goose Up\nSET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN email;\nCREATE TABLE notes (id int, body text);\nALTER TABLE notes DROP COLUMN body;\n-- +goose Down\nDROP TABLE notes;\n",
    )]);
    let out = repo.dbmigration(&["lint", "--since", "release", "--format", "json"]);
    let got = findings(&serde_json::from_slice(&out.stdout).unwrap());
    assert_eq!(
        got,
        vec!["ban-drop-column@00002_drop.sql:3"],
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("1 new migration(s)"),
        "{}",
        stderr(&out)
    );

    // The directory: each file on its own; Down sections (DROP TABLE users) not linted.
    let out = repo.dbmigration(&["lint", "db/migrations", "--format", "json"]);
    let got = findings(&serde_json::from_slice(&out.stdout).unwrap());
    assert_eq!(
        got,
        vec!["ban-drop-column@00002_drop.sql:3"],
        "{}",
        stderr(&out)
    );

    let mut child = Command::new(BIN)
        .args(["lint", "-", "--format", "json"])
        .current_dir(repo.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        b"SET lock_timeout = '1s';\nDROP TABLE users;\n",
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    let got = findings(&serde_json::from_slice(&out.stdout).unwrap());
    assert_eq!(got, vec!["ban-drop-table@<stdin>:2"]);
}

/// `lint { }` in dbmigration.hcl: a rule turned down to a warning, a fail level, an excluded
/// file.
#[test]
fn lint_block_levels_fail_level_and_exclude() {
    let repo = Repo::new(&[(&goose("00001_users.sql"), USERS)], &[]);
    let drop = "-- +goose Up\nSET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN email;\n-- +goose Down\nSELECT 1;\n";
    repo.write(&[
        (&goose("00002_drop.sql"), drop),
        (&goose("00003_old.sql"), drop),
        (
            "dbmigration.hcl",
            "lint {\n  rules {\n    ban-drop-column = \"warning\"\n  }\n  exclude = [\"db/migrations/00003_*.sql\"]\n}\n",
        ),
    ]);
    let out = repo.dbmigration(&["lint", "db/migrations", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings(&doc), vec!["ban-drop-column@00002_drop.sql:3"]);
    assert_eq!(doc[0]["severity"], "warning");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let config = "lint {\n  rules {\n    ban-drop-column = \"warning\"\n  }\n  fail_level = \"warning\"\n}\n";
    repo.write(&[("dbmigration.hcl", config)]);
    let out = repo.dbmigration(&["lint", "db/migrations", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

/// `lint { lock_timeout }` is the timeout the reviewed migrations are held to, and the
/// online plan waits for its locks no longer.
#[test]
fn the_plan_takes_the_configured_lock_timeout() {
    let repo = Repo::new(
        &[(&goose("00001_users.sql"), USERS)],
        &[
            (
                &goose("00002_email_idx.sql"),
                &concurrent_email_index("500ms"),
            ),
            // `run` reads the newer ref's config.
            ("dbmigration.hcl", "lint {\n  lock_timeout = \"500ms\"\n}\n"),
        ],
    );
    let out_dir = tempfile::tempdir().unwrap();
    let out = repo.dbmigration(&["run", "--out-dir", out_dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = std::fs::read_to_string(out_dir.path().join("diff.sql")).unwrap();
    assert!(plan.contains("SET lock_timeout = '500ms';"), "{plan}");
    assert!(!plan.contains("SET lock_timeout = '2s';"), "{plan}");
}

/// `diff { plan = "plain" }` in the newer ref's config is `--unsafe-plan` for `run`.
#[test]
fn the_config_can_ask_for_the_plain_plan() {
    let repo = Repo::new(
        &[(&goose("00001_users.sql"), USERS)],
        &[
            (&goose("00002_email_idx.sql"), &concurrent_email_index("2s")),
            ("dbmigration.hcl", "diff {\n  plan = \"plain\"\n}\n"),
        ],
    );
    let (status, files, plan) = repo.run();
    assert_eq!(files, Vec::<String>::new());
    assert_eq!(
        plan,
        vec!["require-concurrent-index", "require-lock-timeout"]
    );
    assert_eq!(status, 0);
}
