//! The `command` source against the real tools: Django, Alembic, Knex and a go-pg-style Go
//! program (seed 004), installed by `scripts/install-orms.sh` (`.ci/run` calls it; PyPI, npm
//! and Debian only). Each project in `tests/fixtures/code/<tool>` (Django's is
//! `examples/django`) has two refs: `release`, and `main` with the models changed and the
//! tool's migration for it committed.
//!
//! For each: `dbmigration run` on the repository (both refs rendered concurrently, the
//! upgrade from release to main with main's command, the down command), then, at each ref,
//! the rendered HCL is compared column by column (and constraint by constraint, index by
//! index) with what the tool's own migrate does on a plain `git clone` of that ref, read from
//! PostgreSQL's catalogs. A tool that is not installed is skipped with a message saying so.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dbmigration::scratch::{Scratch, ScratchOptions};

const BIN: &str = env!("CARGO_BIN_EXE_dbmigration");

/// Where `scripts/install-orms.sh` puts the tools.
fn orms() -> PathBuf {
    match std::env::var_os("DBMIGRATION_ORMS") {
        Some(dir) => PathBuf::from(dir),
        None => dirs_home().join(".cache/dbmigration-orms"),
    }
}

fn dirs_home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

/// The directories to put on PATH for `tool`, or why it cannot run here.
fn tool_path(tool: &str) -> Result<Vec<PathBuf>, String> {
    let orms = orms();
    let works = |program: &Path, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    match tool {
        "django" | "alembic" => {
            let bin = orms.join("venv/bin");
            let module = if tool == "django" {
                "django"
            } else {
                "alembic"
            };
            if works(
                &bin.join("python3"),
                &["-c", &format!("import {module}, psycopg2")],
            ) {
                Ok(vec![bin])
            } else {
                Err(format!("{module} is not installed in {}", bin.display()))
            }
        }
        "knex" => {
            let bin = orms.join("node/node_modules/.bin");
            if bin.join("knex").exists() && works(Path::new("node"), &["--version"]) {
                Ok(vec![bin])
            } else {
                Err(format!("knex is not installed in {}", bin.display()))
            }
        }
        "gopg" => {
            let lib_pq = Path::new("/usr/share/gocode/src/github.com/lib/pq/conn.go");
            if works(Path::new("go"), &["version"]) && lib_pq.is_file() {
                Ok(Vec::new())
            } else {
                Err("go (golang-go) or lib/pq (golang-github-lib-pq-dev) is not installed".into())
            }
        }
        _ => Err(format!("unknown tool {tool}")),
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The fixture's repository: `release`, then `main` = release + main's files. Django's
/// project is the one in `examples/django/`.
fn fixture_repo(tool: &str) -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = match tool {
        "django" => root.join("../../examples/django"),
        _ => root.join("tests/fixtures/code").join(tool),
    };
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    git(r, &["init", "-q", "-b", "release"]);
    git(r, &["config", "user.email", "t@example.invalid"]);
    git(r, &["config", "user.name", "t"]);
    for (i, step) in ["release", "main"].into_iter().enumerate() {
        if i > 0 {
            git(r, &["checkout", "-q", "-b", step]);
        }
        copy_tree(&fixture.join(step), r);
        git(r, &["add", "-A"]);
        git(r, &["commit", "-q", "-m", step]);
    }
    dir
}

fn with_path(cmd: &mut Command, extra: &[PathBuf]) {
    let mut paths = extra.to_vec();
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    cmd.env("PATH", std::env::join_paths(paths).unwrap());
}

/// The migrate command of the fixture's dbmigration.hcl (one line, `command = "…"`).
fn configured_command(repo: &Path) -> String {
    let text = std::fs::read_to_string(repo.join("dbmigration.hcl")).unwrap();
    let config = dbmigration::config::parse("dbmigration.hcl", &text).unwrap();
    config.history().unwrap().command.clone().unwrap()
}

/// What PostgreSQL's catalogs say about the tables of `public`, tracking tables left out:
/// one line per column (type, nullability, default, identity), constraint and index.
const CATALOG: &str = r"
SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
       || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
       || CASE a.attidentity WHEN 'a' THEN ' IDENTITY ALWAYS' WHEN 'd' THEN ' IDENTITY BY DEFAULT' ELSE '' END
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  AND NOT c.relname = ANY ($1)
UNION ALL
SELECT c.relname || ' constraint ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND NOT c.relname = ANY ($1)
UNION ALL
SELECT i.tablename || ' index ' || i.indexdef FROM pg_indexes i
WHERE i.schemaname = 'public' AND NOT i.tablename = ANY ($1)
ORDER BY 1";

async fn catalog(client: &tokio_postgres::Client) -> Vec<String> {
    let tracking: Vec<String> = hclgen::inspect::TRACKING_TABLES
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
    client
        .query(CATALOG, &[&tracking])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<_, String>(0))
        .collect()
}

/// The tool's own migrate on a plain clone of `at`, and the rendered HCL built with our own
/// DDL, side by side in the catalogs.
fn compare_with_the_tool(repo: &Path, at: &str, hcl: &Path, path: &[PathBuf]) {
    let checkout = tempfile::tempdir().unwrap();
    git(
        checkout.path(),
        &["clone", "-q", "--branch", at, repo.to_str().unwrap(), "."],
    );
    let command = configured_command(checkout.path());
    let model = hclgen::parse(
        &hcl.display().to_string(),
        &std::fs::read_to_string(hcl).unwrap(),
    )
    .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let by_tool = scratch.create_database().await.unwrap();
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(&command)
            .current_dir(checkout.path())
            .env("DATABASE_URL", by_tool.connection_url())
            // knex's command links the work tree's node_modules from there.
            .env("DBMIGRATION_REPO", repo);
        for (k, v) in by_tool.libpq_env() {
            cmd.env(k, v);
        }
        with_path(&mut cmd, path);
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{command} at {at}: {out:?}");

        let from_hcl = scratch.create_database().await.unwrap();
        let plan = diff::plan(&hclgen::Database::default(), &model);
        for step in &plan.steps {
            from_hcl
                .client()
                .batch_execute(&step.sql)
                .await
                .unwrap_or_else(|e| panic!("{}: {e:?}", step.sql));
        }
        let expected = catalog(by_tool.client()).await;
        let got = catalog(from_hcl.client()).await;
        assert!(!expected.is_empty(), "{command} created nothing at {at}");
        assert_eq!(
            got, expected,
            "{at}: rendered HCL vs the tool's own migrate"
        );
        eprintln!(
            "{at}: {} columns, constraints and indexes as the tool's own migrate made them",
            expected.len()
        );
        scratch.shutdown().await.unwrap();
    });
}

fn dbmigration_run(repo: &Path, out_dir: &Path, path: &[PathBuf]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(["run", "--format", "json", "--out-dir"])
        .arg(out_dir)
        .current_dir(repo)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL");
    with_path(&mut cmd, path);
    cmd.output().unwrap()
}

/// The whole case for one tool; `prepare` sets the work tree up as its developer would.
fn tool_case(tool: &str, prepare: impl Fn(&Path)) {
    let path = match tool_path(tool) {
        Ok(p) => p,
        Err(why) => {
            eprintln!("SKIPPED {tool}: {why} (run scripts/install-orms.sh)");
            return;
        }
    };
    let repo = fixture_repo(tool);
    prepare(repo.path());
    let out_dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let out = dbmigration_run(repo.path(), out_dir.path(), &path);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // 0, or 1 for lint findings on diff.sql; never 2 (an input error).
    assert!(matches!(out.status.code(), Some(0 | 1)), "{tool}: {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The release checks (upgrade with main's command, the down command) found nothing.
    assert!(
        !stdout.contains("\"code\":\"upgrade-") && !stdout.contains("\"code\":\"down-"),
        "{tool}: {stdout}"
    );
    eprintln!(
        "{tool}: dbmigration run took {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let diff = std::fs::read_to_string(out_dir.path().join("diff.sql")).unwrap();
    assert!(diff.contains("CREATE TABLE"), "{tool}: {diff}");
    for at in ["release", "main"] {
        compare_with_the_tool(
            repo.path(),
            at,
            &out_dir.path().join(format!("{at}.hcl")),
            &path,
        );
    }
}

#[test]
fn django() {
    tool_case("django", |_| {});
}

#[test]
fn alembic() {
    tool_case("alembic", |_| {});
}

#[test]
fn knex() {
    // `npm install` done in the work tree: node_modules there, untracked.
    tool_case("knex", |repo| {
        std::os::unix::fs::symlink(orms().join("node/node_modules"), repo.join("node_modules"))
            .unwrap();
    });
}

#[test]
fn go_pg_style_go_program() {
    tool_case("gopg", |_| {});
}
