//! End-to-end tests of the `dbmigration` binary on temporary git repositories, against real
//! PostgreSQL clusters started by the binary itself.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_dbmigration");

/// A temporary git repository with `release` and `main` branches.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    /// `release` holds `release_files`; `main` is `release` plus `main_files`.
    fn new(release_files: &[(&str, &str)], main_files: &[(&str, &str)]) -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "release"]);
        repo.git(&["config", "user.email", "t@example.invalid"]);
        repo.git(&["config", "user.name", "t"]);
        repo.commit(release_files, "release");
        repo.git(&["checkout", "-q", "-b", "main"]);
        repo.commit(main_files, "main");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn commit(&self, files: &[(&str, &str)], msg: &str) {
        for (path, text) in files {
            let full = self.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
    }

    /// Everything git knows that the tool must not change.
    fn state(&self) -> String {
        [
            self.git(&["status", "--porcelain", "--ignored"]),
            self.git(&["stash", "list"]),
            self.git(&["rev-parse", "HEAD"]),
            self.git(&["for-each-ref"]),
            self.git(&["ls-files", "--stage"]),
        ]
        .join("\n--\n")
    }

    fn run(&self, args: &[&str]) -> Output {
        dbmigration(self.path(), args, &[])
    }
}

fn dbmigration(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[track_caller]
fn assert_ok(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", stderr(out));
}

#[track_caller]
fn assert_input_error(out: &Output, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr:\n{err}");
    assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
}

const USERS: &str = "CREATE TABLE users (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    email text NOT NULL UNIQUE\n);\n";
const POSTS: &str = "CREATE TABLE posts (\n    id serial PRIMARY KEY,\n    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n    title character varying(200) NOT NULL DEFAULT ''\n);\nCREATE INDEX posts_user_idx ON posts (user_id);\n";

/// One repository per migration format, each with the same two-step history.
fn format_repo(format: &str) -> Repo {
    let d = "db/migrations";
    match format {
        "golang-migrate" => Repo::new(
            &[
                (&format!("{d}/1_users.up.sql"), USERS),
                (&format!("{d}/1_users.down.sql"), "DROP TABLE users;"),
            ],
            &[
                (&format!("{d}/2_posts.up.sql"), POSTS),
                (&format!("{d}/2_posts.down.sql"), "DROP TABLE posts;"),
            ],
        ),
        "flyway" => Repo::new(
            &[(&format!("{d}/V1__users.sql"), USERS)],
            &[(&format!("{d}/V2__posts.sql"), POSTS)],
        ),
        "dbmate" => Repo::new(
            &[(
                &format!("{d}/20240101000000_users.sql"),
                &format!("-- migrate:up\n{USERS}\n-- migrate:down\nDROP TABLE users;\n"),
            )],
            &[(
                &format!("{d}/20240102000000_posts.sql"),
                &format!("-- migrate:up\n{POSTS}\n-- migrate:down\nDROP TABLE posts;\n"),
            )],
        ),
        "goose" => Repo::new(
            &[(
                &format!("{d}/00001_users.sql"),
                &format!("-- +goose Up\n{USERS}\n-- +goose Down\nDROP TABLE users;\n"),
            )],
            &[(
                &format!("{d}/00002_posts.sql"),
                &format!(
                    "-- +goose Up\n-- +goose StatementBegin\n{POSTS}\n-- +goose StatementEnd\n-- +goose Down\nDROP TABLE posts;\n"
                ),
            )],
        ),
        "diesel" => Repo::new(
            &[
                (&format!("{d}/2024-01-01-000000_users/up.sql"), USERS),
                (
                    &format!("{d}/2024-01-01-000000_users/down.sql"),
                    "DROP TABLE users;",
                ),
            ],
            &[
                (&format!("{d}/2024-01-02-000000_posts/up.sql"), POSTS),
                (
                    &format!("{d}/2024-01-02-000000_posts/down.sql"),
                    "DROP TABLE posts;",
                ),
            ],
        ),
        "sqlx" => Repo::new(
            &[(&format!("{d}/20240101000000_users.sql"), USERS)],
            &[(&format!("{d}/20240102000000_posts.sql"), POSTS)],
        ),
        "plain" => Repo::new(
            &[(&format!("{d}/schema_1.sql"), USERS)],
            &[(&format!("{d}/schema_2.sql"), POSTS)],
        ),
        other => panic!("no fixture for {other}"),
    }
}

#[test]
fn hcl_in_every_format_renders_the_same_schema() {
    let mut main_hcl: Option<String> = None;
    for format in [
        "golang-migrate",
        "flyway",
        "dbmate",
        "goose",
        "diesel",
        "sqlx",
        "plain",
    ] {
        let repo = format_repo(format);
        let before = repo.state();
        let out = repo.run(&["hcl", "main", "-o", "-", "--migrations-format", format]);
        assert_ok(&out);
        let hcl = stdout(&out);
        assert!(hcl.contains("table \"posts\""), "{format}:\n{hcl}");
        match &main_hcl {
            None => main_hcl = Some(hcl),
            Some(first) => assert_eq!(first, &hcl, "{format} renders a different schema"),
        }
        assert_eq!(before, repo.state(), "{format}: the repository changed");
    }
    insta::assert_snapshot!("main_all_formats", main_hcl.unwrap());
}

#[test]
fn hcl_writes_ref_named_files_and_leaves_the_repository_alone() {
    let repo = format_repo("golang-migrate");
    // Uncommitted work and a stash must survive untouched.
    std::fs::write(repo.path().join("notes.txt"), "wip").unwrap();
    repo.git(&[
        "stash",
        "push",
        "-q",
        "--include-untracked",
        "-m",
        "keep me",
    ]);
    std::fs::write(repo.path().join("db/migrations/3_wip.up.sql"), "garbage").unwrap();
    let before = repo.state();

    let out = repo.run(&["hcl", "release"]);
    assert_ok(&out);
    // The stash and the untracked file are unchanged; release.hcl is the only new file.
    std::fs::remove_file(repo.path().join("release.hcl")).unwrap();
    assert_eq!(before, repo.state());

    let out = repo.run(&["hcl", "release~0"]);
    assert_ok(&out);
    assert!(repo.path().join("release-0.hcl").exists());
    std::fs::remove_file(repo.path().join("release-0.hcl")).unwrap();

    // Failure paths leave everything as it was too, and write nothing.
    assert_input_error(&repo.run(&["hcl", "no-such-ref"]), "no-such-ref");
    assert_eq!(before, repo.state());
    assert!(!repo.path().join("no-such-ref.hcl").exists());
}

#[test]
fn hcl_from_a_directory_on_disk() {
    let repo = format_repo("golang-migrate");
    std::fs::write(
        repo.path().join("db/migrations/3_tags.up.sql"),
        "CREATE TABLE tags (name text PRIMARY KEY);",
    )
    .unwrap();
    let out = repo.run(&["hcl", "--dir", "db/migrations", "-o", "-"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("table \"tags\""));
}

#[test]
fn failing_migration_is_reported_at_its_line_and_nothing_is_written() {
    let repo = Repo::new(
        &[(
            "migrations/1_init.up.sql",
            "CREATE TABLE a (id int);\n\nCREATE TABLE b (\n    id int,\n    a_id int REFERENCES nope (id)\n);\n",
        )],
        &[],
    );
    let out = repo.run(&["hcl", "release"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("1_init.up.sql"), "{err}");
    assert!(err.contains("42P01"), "{err}");
    assert!(err.contains("nope"), "{err}");
    // The label points at line 5.
    assert!(err.contains("5 │") || err.contains("5 |"), "{err}");
    assert!(!repo.path().join("release.hcl").exists());
}

#[test]
fn input_errors_are_reports_with_exit_code_2() {
    let repo = format_repo("golang-migrate");
    // A ref that exists but has no migrations directory.
    repo.git(&["checkout", "-q", "--orphan", "empty"]);
    repo.git(&["rm", "-rq", "--cached", "."]);
    repo.git(&["commit", "-q", "--allow-empty", "-m", "empty"]);
    repo.git(&["checkout", "-q", "-f", "main"]);
    assert_input_error(&repo.run(&["hcl", "empty"]), "migrations");

    // An unknown format name.
    assert_input_error(
        &repo.run(&["hcl", "main", "--migrations-format", "liquibase"]),
        "liquibase",
    );

    // A bad config file at the ref.
    repo.commit(
        &[("dbmigration.hcl", "migrations {\n  dir = 42\n}\n")],
        "bad config",
    );
    assert_input_error(&repo.run(&["hcl", "main"]), "dbmigration.hcl");

    // Missing PostgreSQL binaries.
    let good = format_repo("golang-migrate");
    let out = dbmigration(
        good.path(),
        &["hcl", "main"],
        &[("PG_BIN", "/nonexistent/bin")],
    );
    assert_input_error(&out, "PG_BIN");

    // A server that refuses connections.
    let sock = tempfile::tempdir().unwrap();
    let url = format!(
        "host={} port=5999 user=postgres dbname=postgres",
        sock.path().display()
    );
    let out = dbmigration(good.path(), &["hcl", "main", "--database-url", &url], &[]);
    assert_input_error(&out, "help");

    // Not a git repository at all.
    let plain = tempfile::tempdir().unwrap();
    assert_input_error(&dbmigration(plain.path(), &["hcl", "main"], &[]), "git");
}

#[test]
fn quoted_mixed_case_and_unicode_identifiers_survive() {
    let repo = Repo::new(
        &[(
            "migrations/1_names.up.sql",
            r#"CREATE SCHEMA "Sales Data";
CREATE TYPE "Sales Data"."Status" AS ENUM ('new', 'it''s done', 'ünïcode');
CREATE TABLE "Sales Data"."Order Items" (
    "ID" bigint PRIMARY KEY,
    "naïve column" text DEFAULT '${not a template} %{nor this}',
    "quote""d" "Sales Data"."Status" NOT NULL DEFAULT 'new',
    "select" integer CHECK ("select" > 0)
);
CREATE INDEX "Idx ""odd""" ON "Sales Data"."Order Items" (lower("naïve column"));
COMMENT ON TABLE "Sales Data"."Order Items" IS 'line one
line "two" with \backslash';
"#,
        )],
        &[],
    );
    let out = repo.run(&["hcl", "release", "-o", "-"]);
    assert_ok(&out);
    let hcl = stdout(&out);
    insta::assert_snapshot!("odd_identifiers", hcl);
    // What was rendered parses back and diffs against itself as empty.
    let file = repo.path().join("odd.hcl");
    std::fs::write(&file, &hcl).unwrap();
    let f = file.to_str().unwrap();
    let out = repo.run(&["diff", f, f, "-o", "-"]);
    assert_ok(&out);
    assert!(
        stdout(&out).to_lowercase().contains("in sync"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn example_outputs_committed_at_the_top_level_do_not_drift() {
    let out_dir = tempfile::tempdir().unwrap();
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = dbmigration(out_dir.path(), &["run", "--example", "shop"], &[]);
    // The example has lint findings on purpose (a dropped column, an unsafe NOT NULL).
    assert_eq!(out.status.code(), Some(1), "stderr:\n{}", stderr(&out));
    for file in ["release.hcl", "main.hcl", "diff.sql"] {
        let produced = std::fs::read_to_string(out_dir.path().join(file)).unwrap();
        let committed = std::fs::read_to_string(workspace.join(file)).unwrap_or_default();
        assert!(
            produced == committed,
            "{file} drifted from the committed copy; regenerate with \
             `cargo run -p dbmigration -- run --example shop` at the workspace root"
        );
    }
}

#[test]
fn diff_between_two_live_databases_is_read_only_and_matches_the_hcl_route() {
    use dbmigration::scratch::{Scratch, ScratchOptions};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let a = scratch.create_database().await.unwrap();
        let b = scratch.create_database().await.unwrap();
        a.client().batch_execute(USERS).await.unwrap();
        b.client().batch_execute(USERS).await.unwrap();
        b.client().batch_execute(POSTS).await.unwrap();
        let (url_a, url_b) = (a.connection_string(), b.connection_string());
        let dir = tempfile::tempdir().unwrap();
        let out = dbmigration(dir.path(), &["diff", &url_a, &url_b, "-o", "-"], &[]);
        assert_ok(&out);
        let sql = stdout(&out);
        assert!(sql.contains("CREATE TABLE public.posts"), "{sql}");
        assert!(!sql.contains("password"), "{sql}");
        // The same plan as going through HCL files.
        for (url, file) in [(&url_a, "a.hcl"), (&url_b, "b.hcl")] {
            let out = dbmigration(dir.path(), &["inspect", url, "-o", file], &[]);
            assert_ok(&out);
        }
        let out = dbmigration(dir.path(), &["diff", "a.hcl", "b.hcl", "-o", "-"], &[]);
        assert_ok(&out);
        let body = |s: &str| pgsql::lines(s).filter(|l| !l.starts_with("-- from") && !l.starts_with("-- to")).collect::<Vec<_>>().join("\n");
        assert_eq!(body(&sql), body(&stdout(&out)));
        // Nothing was created in the inspected databases.
        let tables: i64 = a
            .client()
            .query_one("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(tables, 1);
        scratch.shutdown().await.unwrap();
    });
}

#[test]
fn run_refuses_a_planted_output_symlink_and_writes_nothing() {
    // The pull request commits `diff.sql` as a link to a file of the user running the review.
    let victim = tempfile::tempdir().unwrap();
    let precious = victim.path().join("precious");
    std::fs::write(&precious, "keep me").unwrap();
    let repo = Repo::new(
        &[("db/migrations/001_users.sql", USERS)],
        &[("db/migrations/002_posts.sql", POSTS)],
    );
    std::os::unix::fs::symlink(&precious, repo.path().join("diff.sql")).unwrap();
    repo.git(&["add", "diff.sql"]);
    repo.git(&["commit", "-qm", "planted"]);
    let out = repo.run(&["run"]);
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(0), "stderr:\n{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
    let link = std::fs::symlink_metadata(repo.path().join("diff.sql")).unwrap();
    assert!(link.file_type().is_symlink());
    // All or none: the two HCL files were not written either.
    assert!(!repo.path().join("release.hcl").exists());
    assert!(!repo.path().join("main.hcl").exists());
}
