//! The `command` source end to end: the binary runs a repository's own migrate command (here
//! `sh` scripts that call `psql`, so no ORM is needed) in a tree written from the object
//! database, against its own scratch cluster. What the real ORMs do is in `tests/orms.rs`.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_dbmigration");

/// `psql` from PATH or next to the server binaries: the scripts' client.
fn psql_dir() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>());
    let server_dirs = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"));
    on_path
        .chain(server_dirs)
        .find(|d| d.join("psql").is_file())
}

macro_rules! require_psql {
    () => {
        match psql_dir() {
            Some(dir) => dir,
            None => {
                eprintln!("SKIPPED: no psql client installed (Debian: postgresql-client)");
                return;
            }
        }
    };
}

/// A repository whose commits are the given snapshots, one branch per name.
fn repo(snapshots: &[(&str, &[(&str, &str)])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    git(r, &["init", "-q", "-b", snapshots[0].0]);
    git(r, &["config", "user.email", "t@example.invalid"]);
    git(r, &["config", "user.name", "t"]);
    for (i, (branch, files)) in snapshots.iter().enumerate() {
        if i > 0 {
            git(r, &["checkout", "-q", "-b", branch]);
        }
        for (path, text) in *files {
            let full = r.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        git(r, &["add", "-A"]);
        git(r, &["commit", "-q", "--allow-empty", "-m", branch]);
    }
    dir
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The binary in `cwd`, with `psql` on PATH and the user's own libpq variables set to
/// somewhere wrong: the command must get ours.
fn dbmigration(cwd: &Path, psql: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let path = format!(
        "{}:{}",
        psql.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("PATH", path)
        .env_remove("DATABASE_URL")
        .env("PGHOST", "/nonexistent")
        .env("PGSERVICE", "no_such_service")
        .env("PGDATABASE", "production");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stderr:\n{}", stderr(out));
    assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
}

/// A migrate script: `psql` with the URL, then with the libpq variables alone; the tables of
/// the code tools' history are created too, and must not be rendered. Idempotent, as
/// migration tools are (`check` runs main's on release's database).
fn migrate_script(tables: &str) -> String {
    format!(
        r#"set -e
psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" <<'SQL'
{tables}
CREATE TABLE IF NOT EXISTS django_migrations (id serial PRIMARY KEY, app text);
CREATE TABLE IF NOT EXISTS alembic_version (version_num varchar(32) PRIMARY KEY);
CREATE TABLE IF NOT EXISTS knex_migrations (id serial PRIMARY KEY, name text);
CREATE TABLE IF NOT EXISTS knex_migrations_lock ("index" serial PRIMARY KEY, is_locked int);
CREATE TABLE IF NOT EXISTS typeorm_migrations (id serial PRIMARY KEY, name text);
CREATE TABLE IF NOT EXISTS gopg_migrations (id serial, version bigint, created_at timestamptz);
CREATE TABLE IF NOT EXISTS goose_db_version (id serial PRIMARY KEY, version_id bigint);
CREATE SCHEMA IF NOT EXISTS atlas_schema_revisions;
CREATE TABLE IF NOT EXISTS atlas_schema_revisions.atlas_schema_revisions (version text PRIMARY KEY);
SQL
psql -X -q -v ON_ERROR_STOP=1 -c "COMMENT ON TABLE users IS 'ref $DBMIGRATION_REF'"
"#
    )
}

const CONFIG: &str = "migrations {\n  command = \"sh db/migrate.sh\"\n}\n";

fn shop_repo() -> tempfile::TempDir {
    let users = "CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, email text NOT NULL);";
    let release = migrate_script(users);
    let main = migrate_script(&format!(
        "{users}\nALTER TABLE users ADD COLUMN IF NOT EXISTS name text;"
    ));
    repo(&[
        (
            "release",
            &[("dbmigration.hcl", CONFIG), ("db/migrate.sh", &release)],
        ),
        ("main", &[("db/migrate.sh", &main)]),
    ])
}

#[test]
fn hcl_runs_the_command_at_each_ref_with_our_database() {
    let psql = require_psql!();
    let r = shop_repo();
    for (at, has_name) in [("release", false), ("main", true)] {
        let out = dbmigration(r.path(), &psql, &["hcl", at, "-o", "-"], &[]);
        assert_exit(&out, 0);
        let hcl = String::from_utf8(out.stdout).unwrap();
        assert!(hcl.contains(&format!("comment = \"ref {at}\"")), "{hcl}");
        assert_eq!(hcl.contains("column \"name\""), has_name, "{hcl}");
        for tracking in [
            "django_migrations",
            "alembic_version",
            "knex_migrations",
            "typeorm_migrations",
            "gopg_migrations",
            "goose_db_version",
            "atlas_schema_revisions",
        ] {
            assert!(!hcl.contains(tracking), "{tracking} rendered:\n{hcl}");
        }
    }
}

#[test]
fn the_flag_overrides_the_config_and_dir_runs_in_place() {
    let psql = require_psql!();
    let r = shop_repo();
    let out = dbmigration(
        r.path(),
        &psql,
        &[
            "hcl",
            "main",
            "-o",
            "-",
            "--migrations-command",
            "psql -X -q -c 'CREATE TABLE from_flag (id int)'",
        ],
        &[],
    );
    assert_exit(&out, 0);
    let hcl = String::from_utf8(out.stdout).unwrap();
    assert!(hcl.contains("table \"from_flag\""), "{hcl}");
    assert!(!hcl.contains("users"), "{hcl}");

    // `--dir`: the user's directory itself, no ref (DBMIGRATION_REF unset).
    let out = dbmigration(
        r.path(),
        &psql,
        &[
            "hcl",
            "--dir",
            ".",
            "-o",
            "-",
            "--migrations-command",
            "test -z \"${DBMIGRATION_REF+set}\" && touch ran-here && sh db/migrate.sh",
        ],
        &[("DBMIGRATION_REF", "set by the user")],
    );
    assert_exit(&out, 0);
    let hcl = String::from_utf8(out.stdout).unwrap();
    assert!(
        hcl.contains("column \"name\""),
        "the work tree is main's: {hcl}"
    );
    assert!(r.path().join("ran-here").exists());
}

#[test]
fn run_renders_both_refs_concurrently() {
    let psql = require_psql!();
    let r = shop_repo();
    let sync = tempfile::tempdir().unwrap();
    // Each command announces itself and waits for the other: run sequentially, the first
    // would wait for ever (and hit the timeout).
    let rendezvous = "touch \"$SYNC/$DBMIGRATION_REF\"; n=0; until [ -e \"$SYNC/release\" ] && [ -e \"$SYNC/main\" ]; do n=$((n+1)); [ $n -lt 600 ] || exit 9; sleep 0.05; done; sh db/migrate.sh";
    let out_dir = tempfile::tempdir().unwrap();
    let out = dbmigration(
        r.path(),
        &psql,
        &[
            "run",
            "--out-dir",
            out_dir.path().to_str().unwrap(),
            "--migrations-command",
            rendezvous,
        ],
        &[("SYNC", sync.path().to_str().unwrap())],
    );
    assert_exit(&out, 0);
    let diff = std::fs::read_to_string(out_dir.path().join("diff.sql")).unwrap();
    assert!(diff.contains("ADD COLUMN name text"), "{diff}");
}

#[test]
fn a_failing_command_is_a_report_and_nothing_is_written() {
    let psql = require_psql!();
    let r = shop_repo();
    let out_file = r.path().join("out.hcl");
    let script = "echo applying 0001; echo applying 0002; echo 'boom: relation \"x\" does not exist' >&2; exit 3";
    let out = dbmigration(
        r.path(),
        &psql,
        &[
            "hcl",
            "main",
            "-o",
            out_file.to_str().unwrap(),
            "--migrations-command",
            script,
        ],
        &[],
    );
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("exit status 3"), "{err}");
    assert!(err.contains("applying 0002"), "{err}");
    assert!(err.contains("boom: relation"), "{err}");
    assert!(!out_file.exists());

    let out = dbmigration(
        r.path(),
        &psql,
        &[
            "hcl",
            "main",
            "-o",
            "-",
            "--migrations-command",
            "no-such-migrate-tool up",
        ],
        &[],
    );
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("exit status 127"), "{err}");
    assert!(err.contains("could not find the program"), "{err}");
}

/// The processes whose process group is `pgid`.
fn group_members(pgid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // Fields after the command name, which is in parentheses: state ppid pgrp …
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(2).and_then(|g| g.parse::<i32>().ok()) == Some(pgid) && fields[0] != "Z" {
            out.push(pid);
        }
    }
    out
}

#[test]
fn a_timeout_kills_the_whole_process_group() {
    let psql = require_psql!();
    let r = shop_repo();
    let sync = tempfile::tempdir().unwrap();
    // A background child and a grandchild, both in the command's group, then a wait.
    let script = "sleep 300 & (sleep 300; true) & echo $$ > \"$SYNC/pgid\"; echo started; wait";
    let out = dbmigration(
        r.path(),
        &psql,
        &[
            "hcl",
            "main",
            "-o",
            "-",
            "--command-timeout",
            "2",
            "--migrations-command",
            script,
        ],
        &[("SYNC", sync.path().to_str().unwrap())],
    );
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("did not finish within 2 s"), "{err}");
    assert!(err.contains("started"), "{err}");
    let pgid: i32 = std::fs::read_to_string(sync.path().join("pgid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_ne!(
        pgid,
        nix_pgid_of_self(),
        "the command must get a group of its own"
    );
    assert_eq!(group_members(pgid), Vec::<i32>::new(), "left running");
}

fn nix_pgid_of_self() -> i32 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let rest = stat.rsplit_once(')').unwrap().1;
    rest.split_whitespace().nth(2).unwrap().parse().unwrap()
}

/// Everything under `.git` with size and mtime, and what git says of the work tree.
fn repo_state(r: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![r.join(".git")];
    while let Some(d) = stack.pop() {
        let meta = std::fs::metadata(&d).unwrap();
        files.push(format!("{} {}", d.display(), meta.mtime_nsec()));
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                files.push(format!(
                    "{} {} {}.{}",
                    entry.path().display(),
                    meta.len(),
                    meta.mtime(),
                    meta.mtime_nsec()
                ));
            }
        }
    }
    files.sort();
    // `--no-optional-locks`: a plain `git status` refreshes the index itself.
    [
        git(
            r,
            &[
                "--no-optional-locks",
                "status",
                "--porcelain=v1",
                "-uall",
                "--ignored",
            ],
        ),
        git(r, &["stash", "list"]),
        git(r, &["rev-parse", "HEAD"]),
        git(r, &["for-each-ref"]),
        git(r, &["ls-files", "--stage"]),
        files.join("\n"),
    ]
    .join("\n--\n")
}

#[test]
fn the_command_is_confined_to_its_tree_and_the_repository_is_untouched() {
    let psql = require_psql!();
    let r = shop_repo();
    let p = r.path();
    // A stash entry, a staged change and an untracked file: the state to keep.
    std::fs::write(p.join("db/migrate.sh"), "stashed\n").unwrap();
    git(p, &["stash", "-q"]);
    std::fs::write(p.join("notes.txt"), "untracked\n").unwrap();
    std::fs::write(p.join("staged.txt"), "staged\n").unwrap();
    git(p, &["add", "staged.txt"]);
    let before = repo_state(p);
    let sync = tempfile::tempdir().unwrap();
    // Writes relative to its cwd, records where that is, and tries git on its tree.
    let script = "pwd > \"$SYNC/cwd\"; echo x > created.txt; mkdir -p db && echo y > db/new.sql; \
                  git status >/dev/null 2>&1 && echo in-a-repo > \"$SYNC/git\"; sh db/migrate.sh";
    let out = dbmigration(
        p,
        &psql,
        &["check", "--migrations-command", script],
        &[("SYNC", sync.path().to_str().unwrap())],
    );
    assert_exit(&out, 0);
    assert_eq!(repo_state(p), before);
    assert!(!p.join("created.txt").exists());
    assert!(!p.join("db/new.sql").exists());
    let cwd = std::fs::read_to_string(sync.path().join("cwd")).unwrap();
    let cwd = Path::new(cwd.trim());
    assert!(!cwd.starts_with(p), "{}", cwd.display());
    assert!(
        !cwd.exists(),
        "the written tree is removed: {}",
        cwd.display()
    );
    assert!(
        !sync.path().join("git").exists(),
        "the written tree is not a git repository"
    );
}

#[test]
fn check_upgrades_with_the_new_command_and_runs_the_down_command() {
    let psql = require_psql!();
    // An idempotent migrate script, as migration tools are: it applies what is missing.
    let up = |extra: &str| {
        format!(
            "set -e\npsql -X -q -v ON_ERROR_STOP=1 -c 'CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY)'\n{extra}"
        )
    };
    let add_email = "psql -X -q -v ON_ERROR_STOP=1 -c 'ALTER TABLE users ADD COLUMN IF NOT EXISTS email text'\n";
    let config = |down: &str| {
        format!("migrations {{\n  command = \"sh up.sh\"\n  down_command = \"{down}\"\n}}\n")
    };
    let good_down = "psql -X -q -c 'DROP TABLE users'";
    let leaky_down = "psql -X -q -c 'ALTER TABLE users DROP COLUMN email'";
    let failing_down = "psql -X -q -v ON_ERROR_STOP=1 -c 'DROP TABLE nope'";
    let cases = [
        (good_down, 0, ""),
        (leaky_down, 1, "down-not-inverse"),
        (failing_down, 1, "down-fails"),
    ];
    for (down, code, finding) in cases {
        let up_main = up(add_email);
        let r = repo(&[
            (
                "release",
                &[("dbmigration.hcl", &config(down)), ("up.sh", &up(""))],
            ),
            ("main", &[("up.sh", &up_main)]),
        ]);
        let out = dbmigration(r.path(), &psql, &["check"], &[]);
        assert_exit(&out, code);
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(report.contains(finding), "{down}: {report}");
    }

    // A new command that fails on the released database (not on an empty one).
    let r = repo(&[
        (
            "release",
            &[("dbmigration.hcl", &config(good_down)), ("up.sh", &up(""))],
        ),
        (
            "main",
            &[(
                "up.sh",
                "set -e\npsql -X -q -v ON_ERROR_STOP=1 -c 'CREATE TABLE users (id int PRIMARY KEY)'\n",
            )],
        ),
    ]);
    let out = dbmigration(r.path(), &psql, &["check"], &[]);
    assert_exit(&out, 1);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("upgrade-fails"), "{report}");
    assert!(report.contains("already exists"), "{report}");
}
