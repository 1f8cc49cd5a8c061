//! `dbmigration check` end to end: temporary repositories with `release` and `main` branches
//! in each format, one per finding and a clean one, against real PostgreSQL clusters the
//! binary starts itself. Each test asserts the codes, the exit status and that the repository
//! is untouched.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_dbmigration");

/// A temporary git repository: `release` holds the first files, `main` is `release` with the
/// second set written over it (`None` deletes the file).
struct Repo {
    dir: tempfile::TempDir,
}

type Files<'a> = &'a [(&'a str, Option<&'a str>)];

impl Repo {
    fn new(release: Files<'_>, main: Files<'_>) -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "release"]);
        repo.git(&["config", "user.email", "t@example.invalid"]);
        repo.git(&["config", "user.name", "t"]);
        repo.commit(release, "release");
        repo.git(&["checkout", "-q", "-b", "main"]);
        repo.commit(main, "main");
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
        assert!(out.status.success(), "git {args:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    fn commit(&self, files: Files<'_>, msg: &str) {
        for (path, text) in files {
            let full = self.path().join(path);
            match text {
                Some(text) => {
                    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                    std::fs::write(full, text).unwrap();
                }
                None => std::fs::remove_file(full).unwrap(),
            }
        }
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
    }

    /// Everything git knows that `check` must not change.
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

    /// Runs `check --format json` plus `extra`, asserting the repository is unchanged; returns
    /// the exit status and the finding codes with their severities.
    fn check(&self, extra: &[&str]) -> (i32, Vec<String>, serde_json::Value) {
        let before = self.state();
        let out = self.run(&[&["check", "--format", "json"], extra].concat());
        assert_eq!(before, self.state(), "check changed the repository");
        let text = String::from_utf8(out.stdout.clone()).unwrap();
        let findings: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{e}: stdout {text}\nstderr {}", stderr(&out)));
        let codes = findings
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f["severity"].as_str().unwrap(),
                    f["rule"].as_str().unwrap()
                )
            })
            .collect();
        (out.status.code().unwrap(), codes, findings)
    }

    /// Runs `run --format markdown` into a temporary directory, asserting the repository is
    /// unchanged; returns the exit status and the comment (followed by stderr, for failure
    /// messages).
    fn review_markdown(&self) -> (i32, String) {
        let out_dir = tempfile::tempdir().unwrap();
        let before = self.state();
        let out = self.run(&[
            "run",
            "--format",
            "markdown",
            "--out-dir",
            out_dir.path().to_str().unwrap(),
        ]);
        assert_eq!(before, self.state(), "run changed the repository");
        let text = String::from_utf8(out.stdout.clone()).unwrap();
        (
            out.status.code().unwrap(),
            format!("{text}\nstderr: {}", stderr(&out)),
        )
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const USERS: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n";
const POSTS: &str =
    "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\n";
const TAGS: &str = "CREATE TABLE tags (id bigint PRIMARY KEY);\n";

fn gm(name: &str) -> String {
    format!("db/migrations/{name}")
}

#[test]
fn golang_migrate_clean_upgrade_exits_zero() {
    let repo = Repo::new(
        &[
            (&gm("1_users.up.sql"), Some(USERS)),
            (&gm("1_users.down.sql"), Some("DROP TABLE users;\n")),
        ],
        &[
            (&gm("2_posts.up.sql"), Some(POSTS)),
            (&gm("2_posts.down.sql"), Some("DROP TABLE posts;\n")),
        ],
    );
    let (status, codes, _) = repo.check(&[]);
    assert_eq!((status, codes), (0, Vec::<String>::new()));
}

#[test]
fn golang_migrate_edit_is_reported_with_a_diff_and_the_drift() {
    let repo = Repo::new(
        &[(&gm("1_users.up.sql"), Some(USERS))],
        &[(
            &gm("1_users.up.sql"),
            Some("CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"),
        )],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(status, 1);
    assert_eq!(
        codes,
        ["error edited-migration", "error upgrade-path-differs"]
    );
    let diff = findings[0]["detail"].as_str().unwrap();
    assert!(
        diff.contains("-CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);"),
        "{diff}"
    );
    assert_eq!(findings[0]["file"], "db/migrations/1_users.up.sql");
    assert_eq!(findings[0]["line"], 1);
    let sql = findings[1]["detail"].as_str().unwrap();
    assert!(sql.contains("DROP NOT NULL"), "{sql}");
}

#[test]
fn golang_migrate_removed_migration() {
    let repo = Repo::new(
        &[
            (&gm("1_users.up.sql"), Some(USERS)),
            (&gm("2_tags.up.sql"), Some(TAGS)),
        ],
        &[(&gm("2_tags.up.sql"), None)],
    );
    let (status, codes, _) = repo.check(&[]);
    assert_eq!(status, 1);
    assert_eq!(
        codes,
        ["error removed-migration", "error upgrade-path-differs"]
    );
}

#[test]
fn golang_migrate_never_applies_an_out_of_order_migration() {
    let repo = Repo::new(
        &[
            (&gm("1_users.up.sql"), Some(USERS)),
            (&gm("3_tags.up.sql"), Some(TAGS)),
        ],
        &[(&gm("2_posts.up.sql"), Some(POSTS))],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(status, 1);
    assert_eq!(codes, ["error out-of-order", "error upgrade-path-differs"]);
    let message = findings[0]["message"].as_str().unwrap();
    assert!(message.contains("never applied"), "{message}");
    assert!(findings[1]["message"].as_str().unwrap().contains("posts"));
}

#[test]
fn golang_migrate_duplicate_version() {
    let repo = Repo::new(
        &[(&gm("1_users.up.sql"), Some(USERS))],
        &[
            (&gm("2_posts.up.sql"), Some(POSTS)),
            (&gm("2_tags.up.sql"), Some(TAGS)),
        ],
    );
    let (status, codes, _) = repo.check(&[]);
    assert_eq!(
        (status, codes),
        (1, vec!["error duplicate-version".to_owned()])
    );
}

#[test]
fn golang_migrate_upgrade_fails_on_the_released_schema() {
    // The edit makes 2 pass on a fresh build but fail on production's table.
    let repo = Repo::new(
        &[(&gm("1_users.up.sql"), Some(USERS))],
        &[
            (
                &gm("1_users.up.sql"),
                Some("CREATE TABLE users (id bigint PRIMARY KEY);\n"),
            ),
            (
                &gm("2_email.up.sql"),
                Some("-- add the address\nALTER TABLE users ADD COLUMN email text NOT NULL;\n"),
            ),
        ],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(status, 1);
    assert_eq!(codes, ["error edited-migration", "error upgrade-fails"]);
    assert_eq!(findings[1]["file"], "db/migrations/2_email.up.sql");
    assert_eq!(findings[1]["line"], 2);
    let message = findings[1]["message"].as_str().unwrap();
    assert!(message.contains("already exists"), "{message}");
}

#[test]
fn golang_migrate_down_fails_and_down_not_inverse() {
    let release: Files<'_> = &[(&gm("1_users.up.sql"), Some(USERS))];
    let repo = Repo::new(
        release,
        &[
            (&gm("2_posts.up.sql"), Some(POSTS)),
            (&gm("2_posts.down.sql"), Some("DROP TABLE post;\n")),
        ],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!((status, codes), (1, vec!["error down-fails".to_owned()]));
    assert_eq!(findings[0]["file"], "db/migrations/2_posts.down.sql");

    let repo = Repo::new(
        release,
        &[
            (&gm("2_posts.up.sql"), Some(&format!("{POSTS}{TAGS}"))),
            (&gm("2_posts.down.sql"), Some("DROP TABLE posts;\n")),
        ],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(
        (status, codes),
        (1, vec!["error down-not-inverse".to_owned()])
    );
    let message = findings[0]["message"].as_str().unwrap();
    assert!(message.contains("tags"), "{message}");

    // --all-downs also runs the released migration's (missing) down: still clean there.
    let (status, ..) = repo.check(&["--all-downs", "--ignore", "down-not-inverse"]);
    assert_eq!(status, 0);
}

#[test]
fn dbmate_applies_out_of_order_migrations_so_it_is_a_warning() {
    let f = |up: &str, down: &str| format!("-- migrate:up\n{up}\n-- migrate:down\n{down}\n");
    let users = f(USERS, "DROP TABLE users;");
    let tags = f(TAGS, "DROP TABLE tags;");
    let posts = f(POSTS, "DROP TABLE posts;");
    let repo = Repo::new(
        &[
            (&gm("20240101_users.sql"), Some(&users)),
            (&gm("20240301_tags.sql"), Some(&tags)),
        ],
        &[(&gm("20240201_posts.sql"), Some(&posts))],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(
        (status, codes),
        (0, vec!["warning out-of-order".to_owned()])
    );
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("--strict")
    );
}

#[test]
fn dbmate_down_section_not_inverse_points_into_the_file() {
    let repo = Repo::new(
        &[(
            &gm("20240101_users.sql"),
            Some(&format!("-- migrate:up\n{USERS}")),
        )],
        &[(
            &gm("20240201_posts.sql"),
            Some(&format!(
                "-- migrate:up\n{POSTS}{TAGS}\n-- migrate:down\nDROP TABLE posts;\n"
            )),
        )],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(
        (status, codes),
        (1, vec!["error down-not-inverse".to_owned()])
    );
    assert_eq!(findings[0]["file"], "db/migrations/20240201_posts.sql");
    assert_eq!(findings[0]["line"], 6);
}

#[test]
fn goose_refuses_out_of_order_migrations() {
    let f = |up: &str| format!("-- +goose Up\n{up}\n-- +goose Down\nSELECT 1;\n");
    let repo = Repo::new(
        &[
            (&gm("00001_users.sql"), Some(&f(USERS))),
            (&gm("00003_tags.sql"), Some(&f(TAGS))),
        ],
        &[(&gm("00002_posts.sql"), Some(&f(POSTS)))],
    );
    let (status, codes, findings) = repo.check(&["--ignore", "down-not-inverse"]);
    assert_eq!((status, codes), (1, vec!["error out-of-order".to_owned()]));
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("-allow-missing")
    );
}

#[test]
fn flyway_compares_by_its_checksum() {
    let v1 = "db/migration/V1__users.sql";
    // Line endings alone do not change Flyway's checksum: clean.
    let repo = Repo::new(
        &[(v1, Some("CREATE TABLE users (id bigint);\nSELECT 1;\n"))],
        &[(v1, Some("CREATE TABLE users (id bigint);\r\nSELECT 1;"))],
    );
    let (status, codes, _) = repo.check(&["--migrations-dir", "db/migration"]);
    assert_eq!((status, codes), (0, Vec::<String>::new()));

    let repo = Repo::new(
        &[(v1, Some(USERS)), ("db/migration/V3__tags.sql", Some(TAGS))],
        &[
            (
                v1,
                Some(
                    "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);\n",
                ),
            ),
            ("db/migration/V2__posts.sql", Some(POSTS)),
        ],
    );
    let (status, codes, findings) = repo.check(&["--migrations-dir", "db/migration"]);
    assert_eq!(status, 1);
    assert_eq!(
        codes,
        [
            "error edited-migration",
            "error out-of-order",
            "error upgrade-path-differs"
        ]
    );
    assert!(findings[0]["help"].as_str().unwrap().contains("CRC-32"));
    assert!(
        findings[1]["message"]
            .as_str()
            .unwrap()
            .contains("outOfOrder")
    );
}

#[test]
fn sqlx_applies_out_of_order_migrations_and_checksums_the_up_file() {
    let repo = Repo::new(
        &[
            (&gm("1_users.sql"), Some(USERS)),
            (&gm("3_tags.sql"), Some(TAGS)),
        ],
        &[(&gm("2_posts.sql"), Some(POSTS))],
    );
    let (status, codes, _) = repo.check(&[]);
    assert_eq!(
        (status, codes),
        (0, vec!["warning out-of-order".to_owned()])
    );

    let repo = Repo::new(
        &[(&gm("1_users.sql"), Some(USERS))],
        &[(&gm("1_users.sql"), Some(&format!("{USERS}\n")))],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(
        (status, codes),
        (1, vec!["error edited-migration".to_owned()])
    );
    assert!(findings[0]["help"].as_str().unwrap().contains("SHA-384"));
}

#[test]
fn diesel_out_of_order_is_a_warning_and_downs_run() {
    let d = |name: &str| format!("migrations/{name}");
    let repo = Repo::new(
        &[
            (&d("2024-01-01-000000_users/up.sql"), Some(USERS)),
            (
                &d("2024-01-01-000000_users/down.sql"),
                Some("DROP TABLE users;\n"),
            ),
            (&d("2024-03-01-000000_tags/up.sql"), Some(TAGS)),
            (
                &d("2024-03-01-000000_tags/down.sql"),
                Some("DROP TABLE tags;\n"),
            ),
        ],
        &[
            (&d("2024-02-01-000000_posts/up.sql"), Some(POSTS)),
            (&d("2024-02-01-000000_posts/down.sql"), Some("SELECT 1;\n")),
        ],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(status, 1);
    assert_eq!(codes, ["warning out-of-order", "error down-not-inverse"]);
    assert_eq!(
        findings[1]["file"],
        "migrations/2024-02-01-000000_posts/down.sql"
    );
}

#[test]
fn atlas_edit_and_out_of_order() {
    use dbmigration::format::atlas::{hash_files, render_sum};
    let dir = "migrations";
    let files = |list: &[(&str, &str)]| -> Vec<(String, Option<String>)> {
        let mut out: Vec<(String, Option<String>)> = list
            .iter()
            .map(|(n, t)| (format!("{dir}/{n}"), Some((*t).to_owned())))
            .collect();
        out.push((
            format!("{dir}/atlas.sum"),
            Some(render_sum(&hash_files(list.iter().copied()))),
        ));
        out
    };
    let release = files(&[
        ("20240101000000_users.sql", USERS),
        ("20240301000000_tags.sql", TAGS),
    ]);
    let main = files(&[
        ("20240101000000_users.sql", USERS),
        ("20240201000000_posts.sql", POSTS),
        ("20240301000000_tags.sql", TAGS),
    ]);
    let release: Vec<(&str, Option<&str>)> = release
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_deref()))
        .collect();
    let main: Vec<(&str, Option<&str>)> = main
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_deref()))
        .collect();
    let repo = Repo::new(&release, &main);
    let (status, codes, _) = repo.check(&[]);
    assert_eq!((status, codes), (1, vec!["error out-of-order".to_owned()]));
}

#[test]
fn human_and_markdown_reports_and_unknown_codes() {
    let repo = Repo::new(
        &[(&gm("1_users.up.sql"), Some(USERS))],
        &[(
            &gm("1_users.up.sql"),
            Some("CREATE TABLE users (id bigint PRIMARY KEY);\n"),
        )],
    );
    let out = repo.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("edited-migration"), "{text}");
    assert!(text.contains("-CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);"));
    assert!(
        text.contains("release checks: 2 errors, 0 warnings"),
        "{text}"
    );

    let out = repo.run(&["check", "--format", "markdown"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("## Release checks\n"), "{text}");

    let out = repo.run(&["check", "--ignore", "no-such-check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("edited-migration"),
        "{}",
        stderr(&out)
    );

    let out = repo.run(&["check", "--from", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn run_includes_the_release_checks() {
    let repo = Repo::new(
        &[
            (&gm("1_users.up.sql"), Some(USERS)),
            (&gm("3_tags.up.sql"), Some(TAGS)),
        ],
        &[(&gm("2_posts.up.sql"), Some(POSTS))],
    );
    let (status, text) = repo.review_markdown();
    assert_eq!(status, 1, "{text}");
    // One comment: the release checks are a section of the summary.
    assert!(text.contains("<summary>Release checks: "), "{text}");
    assert!(text.contains("out-of-order"), "{text}");
}

/// Two golang-migrate histories in one database, each with its own table, as OpenMeter runs
/// them (`tools/migrate/migrate.go`: one `x-migrations-table` per tree).
const TWO_HISTORIES: &str = "migrations \"core\" {\n  dir    = \"core/migrations\"\n  format = \"golang-migrate\"\n  table  = \"schema_core\"\n}\nmigrations \"billing\" {\n  dir    = \"billing/migrations\"\n  format = \"golang-migrate\"\n  table  = \"schema_billing\"\n}\n";

const INVOICES: &str = "CREATE TABLE invoices (id bigint PRIMARY KEY, user_id bigint NOT NULL);\n";

fn two_histories_release() -> Vec<(&'static str, Option<&'static str>)> {
    vec![
        ("dbmigration.hcl", Some(TWO_HISTORIES)),
        ("core/migrations/1_users.up.sql", Some(USERS)),
        (
            "core/migrations/1_users.down.sql",
            Some("DROP TABLE users;\n"),
        ),
        ("billing/migrations/1_invoices.up.sql", Some(INVOICES)),
        (
            "billing/migrations/1_invoices.down.sql",
            Some("DROP TABLE invoices;\n"),
        ),
    ]
}

#[test]
fn two_histories_clean_upgrade_exits_zero() {
    let repo = Repo::new(
        &two_histories_release(),
        &[
            ("core/migrations/2_posts.up.sql", Some(POSTS)),
            (
                "core/migrations/2_posts.down.sql",
                Some("DROP TABLE posts;\n"),
            ),
            (
                "billing/migrations/2_payments.up.sql",
                Some(
                    "CREATE TABLE payments (id bigint PRIMARY KEY, invoice_id bigint REFERENCES invoices);\n",
                ),
            ),
            (
                "billing/migrations/2_payments.down.sql",
                Some("DROP TABLE payments;\n"),
            ),
        ],
    );
    let (status, codes, _) = repo.check(&[]);
    assert_eq!((status, codes), (0, Vec::<String>::new()));

    // `hcl` renders both histories into one schema, without either history table.
    let out = repo.run(&["hcl", "main", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let hcl = String::from_utf8(out.stdout).unwrap();
    for table in ["users", "posts", "invoices", "payments"] {
        assert!(hcl.contains(&format!("table \"{table}\"")), "{hcl}");
    }
    assert!(
        !hcl.contains("schema_core") && !hcl.contains("schema_billing"),
        "{hcl}"
    );

    // `run` names both histories in its Markdown comment and lints the new files of each.
    let (status, text) = repo.review_markdown();
    assert_eq!(status, 0, "{text}");
    // Markdown-escaped: `\(` for `(` and so on.
    assert!(
        text.contains(r"| Migrations | 2 histories in one database\, applied in this order\: core \(golang\-migrate in core\/migrations\)\, then billing \(golang\-migrate in billing\/migrations\) |"),
        "{text}"
    );
    assert!(text.contains("| New migration files | 2 |"), "{text}");
}

#[test]
fn two_histories_one_altering_the_others_table_is_a_conflict() {
    let repo = Repo::new(
        &two_histories_release(),
        &[(
            "billing/migrations/2_user_plan.up.sql",
            Some("ALTER TABLE users ADD COLUMN plan text;\n"),
        )],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(status, 1);
    assert_eq!(
        codes,
        ["error history-conflict", "warning history-conflict"],
        "{findings:#}"
    );
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`billing` alters table `public.users`, which history `core` created"),
        "{message}"
    );
    assert_eq!(findings[0]["file"], "billing/migrations/2_user_plan.up.sql");
    let detail = findings[0]["detail"].as_str().unwrap();
    assert!(detail.contains("plan"), "{detail}");
    // In the other order billing's migration runs before `users` exists.
    let message = findings[1]["message"].as_str().unwrap();
    assert!(message.contains("other order"), "{message}");

    // `check { ignore }` in dbmigration.hcl drops the code.
    let config = format!("{TWO_HISTORIES}check {{\n  ignore = [\"history-conflict\"]\n}}\n");
    let repo = Repo::new(
        &two_histories_release(),
        &[
            (
                "billing/migrations/2_user_plan.up.sql",
                Some("ALTER TABLE users ADD COLUMN plan text;\n"),
            ),
            ("dbmigration.hcl", Some(config.as_str())),
        ],
    );
    let (status, codes, _) = repo.check(&[]);
    assert_eq!((status, codes), (0, Vec::<String>::new()));
    // `run` honours it too (the new file's lint findings are warnings).
    let (status, text) = repo.review_markdown();
    assert_eq!(status, 0, "{text}");
    assert!(
        text.contains("| Release checks | 0 errors, 0 warnings |"),
        "{text}"
    );
}

#[test]
fn two_histories_creating_one_object_differ_in_the_other_order() {
    let repo = Repo::new(
        &two_histories_release(),
        &[
            (
                "billing/migrations/2_settings.up.sql",
                Some("CREATE TABLE IF NOT EXISTS settings (billing_key text);\n"),
            ),
            (
                "core/migrations/2_settings.up.sql",
                Some("CREATE TABLE IF NOT EXISTS settings (core_key text);\n"),
            ),
        ],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(status, 1);
    assert_eq!(codes, ["error history-conflict"], "{findings:#}");
    let message = findings[0]["message"].as_str().unwrap();
    assert!(message.contains("another schema"), "{message}");
}

#[test]
fn a_history_added_at_to_is_all_new_and_its_edits_are_per_history() {
    // release: one unnamed history; main: the same directory named `core`, and `billing`.
    let repo = Repo::new(
        &[
            (
                "dbmigration.hcl",
                Some("migrations {\n  dir = \"core/migrations\"\n  table = \"schema_core\"\n}\n"),
            ),
            ("core/migrations/1_users.up.sql", Some(USERS)),
        ],
        &[
            ("dbmigration.hcl", Some(TWO_HISTORIES)),
            ("billing/migrations/1_invoices.up.sql", Some(INVOICES)),
            (
                "billing/migrations/1_invoices.down.sql",
                Some("DROP TABLE invoices;\n"),
            ),
        ],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!((status, codes), (0, Vec::<String>::new()), "{findings:#}");

    // An edit in one history is reported on that history's file.
    let mut release = two_histories_release();
    release.push(("core/migrations/2_tags.up.sql", Some(TAGS)));
    let repo = Repo::new(
        &release,
        &[(
            "billing/migrations/1_invoices.up.sql",
            Some("CREATE TABLE invoices (id bigint PRIMARY KEY);\n"),
        )],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(status, 1);
    assert_eq!(
        codes,
        ["error edited-migration", "error upgrade-path-differs"],
        "{findings:#}"
    );
    assert_eq!(findings[0]["file"], "billing/migrations/1_invoices.up.sql");
}

#[test]
fn two_histories_that_depend_on_their_order_are_a_warning() {
    let repo = Repo::new(
        &two_histories_release(),
        &[(
            "billing/migrations/2_payments.up.sql",
            Some(
                "CREATE TABLE payments (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\n",
            ),
        )],
    );
    let (status, codes, findings) = repo.check(&[]);
    assert_eq!(
        (status, codes),
        (0, vec!["warning history-conflict".to_owned()]),
        "{findings:#}"
    );
    assert_eq!(findings[0]["file"], "billing/migrations/2_payments.up.sql");
}

#[test]
fn two_detected_histories_in_one_default_table_are_refused() {
    // No `format` and no `table`: both are detected as golang-migrate, whose default table
    // is `schema_migrations` — only known once the files are read.
    let config = "migrations \"core\" {\n  dir = \"core/migrations\"\n}\nmigrations \"billing\" {\n  dir = \"billing/migrations\"\n}\n";
    let repo = Repo::new(
        &[
            ("dbmigration.hcl", Some(config)),
            ("core/migrations/1_users.up.sql", Some(USERS)),
            ("billing/migrations/1_invoices.up.sql", Some(INVOICES)),
        ],
        &[],
    );
    let out = repo.run(&["hcl", "main", "-o", "-"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("`core` and `billing` both record in the table `schema_migrations`"),
        "{err}"
    );
    assert!(err.contains("table = \"schema_billing\""), "{err}");
}

#[test]
fn lint_since_reads_the_new_files_of_every_history() {
    let repo = Repo::new(
        &two_histories_release(),
        &[
            ("core/migrations/2_posts.up.sql", Some(POSTS)),
            (
                "billing/migrations/2_user_plan.up.sql",
                Some("ALTER TABLE users ADD COLUMN plan text;\n"),
            ),
        ],
    );
    let out = repo.run(&["lint", "--since", "release", "--format", "json"]);
    let err = stderr(&out);
    assert!(
        err.contains("2 new migration(s) in `core/migrations`"),
        "{err}"
    );
    assert!(err.contains("(history `billing`)"), "{err}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("billing/migrations/2_user_plan.up.sql"),
        "{text}"
    );
}
