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

// ---------------------------------------------------------------------------------------------
// The conventions users expect from a CLI (ripgrep, ruff, Atlas): help with examples, exit codes,
// completions, --version, --quiet, --color, --out-dir, stdout kept for the result.

/// The binary, with a fixed width and no colour from the environment, outside any repository.
fn cmd(cwd: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(BIN);
    cmd.current_dir(cwd)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("DATABASE_URL");
    cmd
}

/// Every subcommand's name, from the same definition that parses the arguments.
fn subcommands() -> Vec<String> {
    use clap::CommandFactory;
    dbmigration::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}

#[test]
fn every_help_has_examples_and_the_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let top = cmd(dir.path()).arg("--help").assert().success();
    let top = String::from_utf8(top.get_output().stdout.clone()).unwrap();
    insta::assert_snapshot!("help", top);
    for name in subcommands() {
        for flag in ["-h", "--help"] {
            let out = cmd(dir.path())
                .args([name.as_str(), flag])
                .assert()
                .success();
            let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
            assert!(
                text.contains("\nExamples:\n  dbmigration "),
                "{name} {flag}:\n{text}"
            );
            if name != "completions" {
                assert!(
                    text.contains("Exit status:\n  0  clean"),
                    "{name} {flag}:\n{text}"
                );
            }
            if flag == "--help" {
                insta::assert_snapshot!(format!("help_{name}"), text);
            }
        }
    }
}

#[test]
fn exit_codes_read_the_same_in_help_readme_and_docs() {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(workspace.join("README.md")).unwrap();
    let ci = std::fs::read_to_string(workspace.join("docs/ci-integration.md")).unwrap();
    for doc in [&readme, &ci] {
        for needle in [
            "| 0 |",
            "| 1 |",
            "| 2 |",
            "release-check",
            "`diff --verify`",
        ] {
            assert!(doc.contains(needle), "{needle:?} missing in:\n{doc}");
        }
    }
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let dir = tempfile::tempdir().unwrap();
    let out = cmd(dir.path()).arg("--version").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        text.starts_with(&format!("dbmigration {version}")),
        "{text}"
    );
    // In a git checkout (CI builds from a clean clone) the commit is there; a source tarball
    // gets the plain version.
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let head = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .current_dir(&workspace)
        .output()
        .unwrap();
    if workspace.join(".git").exists() && head.status.success() {
        let sha = String::from_utf8(head.stdout).unwrap();
        assert_eq!(
            text,
            format!("dbmigration {version} (rev {})\n", sha.trim())
        );
    } else {
        assert_eq!(text, format!("dbmigration {version}\n"));
    }
}

#[test]
fn completions_for_every_shell() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = cmd(dir.path())
            .args(["completions", shell])
            .assert()
            .success();
        let script = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        for word in ["dbmigration", "completions", "migrations-format"] {
            assert!(script.contains(word), "{shell}: no {word:?}");
        }
        if shell == "bash" {
            // The script is valid bash.
            let path = dir.path().join("dbmigration.bash");
            std::fs::write(&path, &script).unwrap();
            let check = Command::new("bash").arg("-n").arg(&path).output().unwrap();
            assert!(check.status.success(), "{}", stderr(&check));
        }
    }
    let out = cmd(dir.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("[possible values: bash, elvish, fish, powershell, zsh]"),
        "{err}"
    );
}

#[test]
fn migrations_format_lists_its_values_in_help_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let values = "golang-migrate, atlas, diesel, sqlx, flyway, dbmate, goose, prisma, plain";
    let out = cmd(dir.path())
        .args(["hcl", "main", "--migrations-format", "liquibase"])
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains(&format!("[possible values: {values}]")),
        "{err}"
    );
    let out = cmd(dir.path()).args(["hcl", "-h"]).assert().success();
    let help = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains(&format!("[possible values: {values}]")),
        "{help}"
    );
    // Aliases and other spellings are still accepted (the ref is what fails here).
    for spelling in ["golang_migrate", "MIGRATE", "Flyway"] {
        let out = cmd(dir.path())
            .args(["hcl", "no-such-ref", "--migrations-format", spelling])
            .assert()
            .code(2);
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(!err.contains("invalid value"), "{spelling}: {err}");
    }
}

/// A file with one error-level finding and a rewrite.
const UNSAFE_INDEX: &str = "CREATE INDEX users_email_idx ON users (email);\n";

#[test]
fn color_follows_the_flag_then_force_color_then_no_color() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.sql"), UNSAFE_INDEX).unwrap();
    let ansi = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = cmd(dir.path());
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        let all = [out.stdout, out.stderr].concat();
        all.contains(&0x1b)
    };
    // stdout is a pipe here: no colour unless asked for.
    assert!(!ansi(&["lint", "m.sql"], &[]));
    assert!(ansi(&["lint", "m.sql", "--color", "always"], &[]));
    assert!(ansi(&["lint", "m.sql"], &[("FORCE_COLOR", "1")]));
    assert!(ansi(
        &["lint", "m.sql"],
        &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]
    ));
    assert!(!ansi(
        &["lint", "m.sql", "--color", "never"],
        &[("FORCE_COLOR", "1")]
    ));
    assert!(!ansi(
        &["lint", "m.sql", "--color", "auto"],
        &[("FORCE_COLOR", "0")]
    ));
    // The flag may come after the subcommand, and applies to error reports on stderr too.
    assert!(ansi(&["lint", "missing.sql", "--color=always"], &[]));
    assert!(!ansi(&["--color", "never", "lint", "missing.sql"], &[]));
    let out = cmd(dir.path())
        .args(["--color", "sometimes", "lint"])
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("[possible values: auto, always, never]"),
        "{err}"
    );
}

#[test]
fn lint_fix_to_stdout_keeps_the_report_out_of_the_sql() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.sql"), UNSAFE_INDEX).unwrap();
    for format in ["human", "json", "github", "sarif", "markdown"] {
        let out = cmd(dir.path())
            .args(["lint", "m.sql", "--fix", "-o", "-", "--format", format])
            .assert()
            .code(1);
        let (sql, report) = (
            String::from_utf8(out.get_output().stdout.clone()).unwrap(),
            String::from_utf8(out.get_output().stderr.clone()).unwrap(),
        );
        // stdout is exactly the rewrite: SQL statements and nothing of the report.
        assert_eq!(
            sql,
            format!("SET lock_timeout = '2s';\n{UNSAFE_INDEX}"),
            "{format}"
        );
        assert!(
            report.contains("require-concurrent-index"),
            "{format}: {report}"
        );
    }
    // Nothing to rewrite: the SQL passes through unchanged, so `> safe.sql` is never empty.
    std::fs::write(dir.path().join("ok.sql"), "SELECT 1;\n").unwrap();
    let out = cmd(dir.path())
        .args(["lint", "ok.sql", "--fix", "-o", "-"])
        .assert()
        .success();
    assert_eq!(out.get_output().stdout, b"SELECT 1;\n");
}

#[test]
fn quiet_leaves_only_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let hcl = "schema \"public\" {\n}\ntable \"t\" {\n  schema = schema.public\n  column \"id\" {\n    null = false\n    type = bigint\n  }\n}\n";
    std::fs::write(dir.path().join("a.hcl"), hcl).unwrap();
    std::fs::write(dir.path().join("b.hcl"), hcl).unwrap();
    let loud = cmd(dir.path())
        .args(["diff", "a.hcl", "b.hcl"])
        .assert()
        .success();
    let loud = String::from_utf8(loud.get_output().stderr.clone()).unwrap();
    assert!(loud.contains("wrote diff.sql"), "{loud}");
    for quiet in ["-q", "--quiet"] {
        let out = cmd(dir.path())
            .args(["diff", "a.hcl", "b.hcl", quiet])
            .assert()
            .success();
        assert!(out.get_output().stderr.is_empty(), "{out:?}");
    }
    // Errors are still reported.
    let out = cmd(dir.path())
        .args(["-q", "diff", "a.hcl", "missing.hcl"])
        .assert()
        .code(2);
    assert!(!out.get_output().stderr.is_empty());
}

#[test]
fn run_creates_a_missing_out_dir_and_is_quiet_when_asked() {
    let repo = Repo::new(
        &[("db/migrations/001_users.sql", USERS)],
        &[("db/migrations/002_posts.sql", POSTS)],
    );
    let out = cmd(repo.path())
        .args(["run", "--quiet", "--out-dir", "review/nested"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{err}");
    for file in ["release.hcl", "main.hcl", "diff.sql"] {
        assert!(
            repo.path().join("review/nested").join(file).is_file(),
            "{file}"
        );
    }
    for chatter in ["wrote", "PostgreSQL", "note:"] {
        assert!(!err.contains(chatter), "{chatter:?} in:\n{err}");
    }
    // A path that cannot be a directory fails before anything starts, and says so.
    std::fs::write(repo.path().join("file"), "").unwrap();
    let out = repo.run(&["run", "--out-dir", "file/sub"]);
    assert_input_error(&out, "file/sub");
}

#[test]
fn the_documented_workflow_is_the_shipped_file() {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(workspace.join("docs/ci-integration.md")).unwrap();
    let workflow =
        std::fs::read_to_string(workspace.join("docs/examples/github-actions.yml")).unwrap();
    assert!(
        doc.contains(&format!("```yaml\n{workflow}```")),
        "docs/ci-integration.md must quote docs/examples/github-actions.yml whole"
    );
    for needle in [
        "fetch-depth: 0",
        "git merge-base",
        "github.event.pull_request.head.sha",
    ] {
        assert!(workflow.contains(needle), "{needle}");
    }
    let hooks = std::fs::read_to_string(workspace.join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("git merge-base") && hooks.contains("stages: [pre-push]"));
}

/// The pre-push hook of docs/ci-integration.md, run as git would on a feature branch: it checks
/// the branch against its merge base with `main`, not against `main`'s tip.
#[test]
fn the_documented_pre_push_hook_checks_against_the_merge_base() {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(workspace.join("docs/ci-integration.md")).unwrap();
    let start = doc.find("```sh\n#!/bin/sh").unwrap() + "```sh\n".len();
    let hook = &doc[start..start + doc[start..].find("```").unwrap()];
    // `main` moved on after the branch was cut (003 on main only): the branch (002) is still
    // in order relative to its merge base.
    let repo = Repo::new(&[("db/migrations/001_users.sql", USERS)], &[]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.commit(&[("db/migrations/002_posts.sql", POSTS)], "posts");
    repo.git(&["checkout", "-q", "release"]);
    repo.commit(
        &[(
            "db/migrations/003_tags.sql",
            "CREATE TABLE tags (id int PRIMARY KEY);\n",
        )],
        "tags",
    );
    repo.git(&["checkout", "-q", "feature"]);
    let hook_path = repo.path().join(".git/hooks/pre-push");
    std::fs::write(&hook_path, hook).unwrap();
    let bin_dir = PathBuf::from(BIN).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let out = Command::new("sh")
        .arg(&hook_path)
        .current_dir(repo.path())
        .env("PATH", path)
        .env("DBMIGRATION_BASE", "release")
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert_ok(&out);
    assert!(stderr(&out).is_empty(), "--quiet: {}", stderr(&out));
}

// ---------------------------------------------------------------------------------------------
// `run`'s summary, end to end: one document per format, on a real review.

/// A review with a new table and a dropped column (a lint error, on the file and on the plan).
fn review_repo() -> Repo {
    let repo = Repo::new(
        &[
            ("db/migrations/001_users.sql", USERS),
            (
                "db/migrations/002_legacy.sql",
                "ALTER TABLE users ADD COLUMN legacy text;\n",
            ),
        ],
        &[("db/migrations/003_posts.sql", POSTS)],
    );
    repo.commit(
        &[(
            "db/migrations/004_drop_legacy.sql",
            "ALTER TABLE users DROP COLUMN legacy;\n",
        )],
        "drop legacy",
    );
    repo
}

fn short_sha(repo: &Repo, rev: &str) -> String {
    repo.git(&["rev-parse", "--short=7", rev]).trim().to_owned()
}

#[test]
fn run_json_is_one_document_with_the_whole_review() {
    let repo = review_repo();
    let out = repo.run(&["run", "--format", "json", "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{}", stderr(&out));
    // The whole of stdout is one JSON value.
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["status"], "fail");
    assert_eq!(doc["from"]["ref"], "release");
    assert_eq!(doc["from"]["commit"], short_sha(&repo, "release"));
    assert_eq!(doc["to"]["commit"], short_sha(&repo, "main"));
    assert_eq!(doc["migrations"]["dir"], "db/migrations");
    assert!(
        doc["postgres"]
            .as_str()
            .unwrap()
            .starts_with(char::is_numeric)
    );
    assert_eq!(
        doc["new_migrations"],
        serde_json::json!([
            "db/migrations/003_posts.sql",
            "db/migrations/004_drop_legacy.sql"
        ])
    );
    let relations = doc["changes"]["relations"].as_array().unwrap();
    let find = |name: &str| relations.iter().find(|r| r["name"] == name).unwrap();
    assert_eq!(find("public.posts")["action"], "created");
    assert_eq!(find("public.users")["action"], "altered");
    assert_eq!(find("public.users")["destructive"], true);
    assert!(
        doc["lint"]["plan"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "ban-drop-column")
    );
    assert!(doc["next_steps"].as_array().unwrap().len() >= 2);
}

#[test]
fn run_markdown_is_one_comment_that_renders() {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};
    let repo = review_repo();
    let out = repo.run(&["run", "--format", "markdown", "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{}", stderr(&out));
    let markdown = stdout(&out);
    let mut headings = Vec::new();
    let mut details = 0;
    for event in Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => headings.push(level),
            Event::Html(h) | Event::InlineHtml(h) => details += h.matches("<details>").count(),
            _ => {}
        }
    }
    assert_eq!(headings, [HeadingLevel::H2, HeadingLevel::H3], "{markdown}");
    assert_eq!(details, 5, "{markdown}");
    let main = short_sha(&repo, "main");
    assert!(
        markdown.starts_with("## dbmigration review: release \\("),
        "{markdown}"
    );
    assert!(
        markdown.contains(&format!("main \\({main}\\)")),
        "{markdown}"
    );
}

#[test]
fn run_human_and_github_end_with_the_summary() {
    let repo = review_repo();
    let out = repo.run(&["run", "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{}", stderr(&out));
    let text = stdout(&out);
    let summary = &text[text.find("== dbmigration review: release (").unwrap()..];
    for needle in [
        "New migration files (2):\n  db/migrations/003_posts.sql\n",
        "  table public.posts created\n",
        "  table public.users altered  [destructive]\n",
        "Release checks: ",
        "Lint, the plan (for reference): ",
        "\nNext:\n  1. ",
    ] {
        assert!(summary.contains(needle), "{needle:?} in:\n{summary}");
    }
    let out = repo.run(&["run", "--format", "github", "--quiet"]);
    let log = stdout(&out);
    let stop = log.find("::stop-commands::").unwrap();
    assert!(
        log[stop..].contains("== dbmigration review: release ("),
        "{log}"
    );
    // Before the summary, only annotations.
    for line in log[..stop].split('\n').filter(|l| !l.is_empty()) {
        assert!(
            ["::error ", "::warning ", "::notice ", "::group::"]
                .iter()
                .any(|p| line.starts_with(p)),
            "{line}"
        );
    }
}

#[test]
fn rule_links_are_absolute_and_their_base_can_be_changed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.sql"), UNSAFE_INDEX).unwrap();
    let url = |env: Option<&str>| {
        let mut c = cmd(dir.path());
        c.args(["lint", "m.sql", "--format", "json"])
            .env_remove("DBMIGRATION_DOCS_URL");
        if let Some(base) = env {
            c.env("DBMIGRATION_DOCS_URL", base);
        }
        let out = c.output().unwrap();
        let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        findings[0]["url"].as_str().unwrap().to_owned()
    };
    let default = url(None);
    assert!(default.starts_with("https://"), "{default}");
    assert!(
        default.ends_with("/docs/lint-rules.md#require-concurrent-index"),
        "{default}"
    );
    assert_eq!(
        url(Some("https://mirror.example/dbmigration/tree/v1.2/")),
        "https://mirror.example/dbmigration/tree/v1.2/docs/lint-rules.md#require-concurrent-index"
    );
    // Characters that would end a Markdown link are encoded.
    assert_eq!(
        url(Some("https://x.example/a b)")),
        "https://x.example/a%20b%29/docs/lint-rules.md#require-concurrent-index"
    );
}
