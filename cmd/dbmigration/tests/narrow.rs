//! `--schema` and `--exclude` on `hcl`, `diff` and `run`, as users run them: what is left out
//! is neither rendered, nor planned, nor compared.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::{Repo, stderr};

const INIT: &str = "CREATE SCHEMA audit;\nCREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE tmp_import (id int);\nCREATE TABLE audit.log (id int);\n";
const MORE: &str = "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN email text;\nALTER TABLE tmp_import ADD COLUMN x int;\nALTER TABLE audit.log ADD COLUMN at timestamptz;\n";

fn repo() -> Repo {
    Repo::new(
        &[("migrations/0001_init.up.sql", INIT)],
        &[("migrations/0002_more.up.sql", MORE)],
    )
}

fn stdout_of(repo: &Repo, args: &[&str]) -> String {
    let out = repo.dbmigration(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn hcl_renders_only_the_schemas_asked_for_without_the_excluded() {
    let repo = repo();
    let hcl = stdout_of(
        &repo,
        &[
            "hcl",
            "main",
            "--schema",
            "public",
            "--exclude",
            "tmp_*",
            "-o",
            "-",
        ],
    );
    assert!(hcl.contains("table \"users\""), "{hcl}");
    assert!(!hcl.contains("tmp_import"), "{hcl}");
    assert!(!hcl.contains("audit"), "{hcl}");
}

#[test]
fn diff_leaves_out_what_is_excluded_on_either_side() {
    let repo = repo();
    stdout_of(&repo, &["hcl", "release", "-o", "release.hcl"]);
    stdout_of(&repo, &["hcl", "main", "-o", "main.hcl"]);
    let plan = stdout_of(
        &repo,
        &[
            "diff",
            "release.hcl",
            "main.hcl",
            "--exclude",
            "audit.*",
            "-o",
            "-",
        ],
    );
    assert!(plan.contains("email"), "{plan}");
    assert!(plan.contains("tmp_import"), "{plan}");
    assert!(!plan.contains("audit"), "{plan}");
    let plan = stdout_of(
        &repo,
        &[
            "diff",
            "release.hcl",
            "main.hcl",
            "--schema",
            "audit",
            "-o",
            "-",
        ],
    );
    assert!(plan.contains("\"at\"") || plan.contains(" at "), "{plan}");
    assert!(!plan.contains("email"), "{plan}");
}

#[test]
fn run_renders_plans_and_reports_only_what_is_kept() {
    let repo = repo();
    let out_dir = tempfile::tempdir().unwrap();
    let dir = out_dir.path().to_str().unwrap();
    stdout_of(
        &repo,
        &[
            "run",
            "--schema",
            "public",
            "--exclude",
            "tmp_import",
            "--out-dir",
            dir,
            "--format",
            "json",
        ],
    );
    let plan = std::fs::read_to_string(out_dir.path().join("diff.sql")).unwrap();
    assert!(plan.contains("email"), "{plan}");
    assert!(!plan.contains("tmp_import"), "{plan}");
    assert!(!plan.contains("audit"), "{plan}");
    let main = std::fs::read_to_string(out_dir.path().join("main.hcl")).unwrap();
    assert!(
        !main.contains("audit") && !main.contains("tmp_import"),
        "{main}"
    );
}
