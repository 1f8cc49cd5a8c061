//! A history applied the way its tool applies it: the tool's history table exists and is
//! filled while migrations run (and stays out of the rendered schema), `setup` runs first,
//! and failures say where in the history they happened and what kind of problem they are.
//! Each test renders with the binary against a real scratch cluster.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_dbmigration");

/// A git repository with one commit holding `files`.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    git(&["add", "-A"]);
    git(&["commit", "-qm", "history"]);
    dir
}

fn hcl(dir: &Path) -> Output {
    Command::new(BIN)
        .args(["hcl", "main", "-o", "-"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn history_table_is_there_while_migrations_run_and_left_out_after() {
    // The second migration reads what golang-migrate wrote after the first.
    let dir = repo(&[
        ("db/migrations/1_a.up.sql", "create table a (id int);\n"),
        (
            "db/migrations/2_b.up.sql",
            "create table b as select version from schema_migrations;\n",
        ),
    ]);
    let out = hcl(dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let hcl_text = text(&out.stdout);
    assert!(hcl_text.contains("table \"b\""), "{hcl_text}");
    assert!(!hcl_text.contains("schema_migrations"), "{hcl_text}");

    // Renamed as OpenMeter does (`x-migrations-table=schema_om`): same, under its name.
    let dir = repo(&[
        (
            "dbmigration.hcl",
            "migrations {\n  table = \"schema_om\"\n}\n",
        ),
        ("db/migrations/1_a.up.sql", "create table a (id int);\n"),
        (
            "db/migrations/2_b.up.sql",
            "create table b as select version, dirty from schema_om;\n",
        ),
    ]);
    let out = hcl(dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let hcl_text = text(&out.stdout);
    assert!(hcl_text.contains("table \"b\""), "{hcl_text}");
    assert!(!hcl_text.contains("schema_om"), "{hcl_text}");
}

#[test]
fn missing_role_suggests_setup_and_setup_fixes_it() {
    let files = [
        ("db/migrations/1_a.up.sql", "create table a (id int);\n"),
        (
            "db/migrations/2_grant.up.sql",
            "grant select on a to reporting;\n",
        ),
    ];
    let dir = repo(&files);
    let out = hcl(dir.path());
    assert!(!out.status.success());
    let err = text(&out.stderr);
    for want in [
        "migration 2/2",
        "`main` (",
        "golang-migrate format",
        "PostgreSQL",
        "setup = <<-SQL",
        "CREATE ROLE \"reporting\"",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }

    let mut with_setup = files.to_vec();
    with_setup.push((
        "dbmigration.hcl",
        "setup = <<-SQL\n  CREATE ROLE reporting;\nSQL\n",
    ));
    let dir = repo(&with_setup);
    let out = hcl(dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn relation_created_by_a_later_file_is_called_an_ordering_problem() {
    let dir = repo(&[
        (
            "db/migrations/1_idx.up.sql",
            "create index on later_t (x);\n",
        ),
        (
            "db/migrations/2_t.up.sql",
            "create table later_t (x int);\n",
        ),
    ]);
    let out = hcl(dir.path());
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("later file") && err.contains("2_t.up.sql") && err.contains("ordering"),
        "{err}"
    );
}
