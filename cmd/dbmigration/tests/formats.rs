//! Migration sources and formats end to end: fixture directories per format, git refs built in
//! temporary repositories, and the read-only guarantee towards the user's repository.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use dbmigration::format::{self, FormatError};
use dbmigration::source::{DirSource, GitRef, GitSource, Source, SourceError};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        // `git status` would otherwise refresh the index file itself, hiding what we check.
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A repository with `release` (two migrations) and `main` (one more, with a unicode and
/// space-containing name), plus a dirty work tree, a staged change and a stash entry so that
/// "nothing changed" is a meaningful check.
fn two_branch_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    git(r, &["init", "-q"]);
    write(
        r,
        "db/migrations/1_users.up.sql",
        "create table users (id int);\n",
    );
    write(r, "db/migrations/1_users.down.sql", "drop table users;\n");
    write(
        r,
        "db/migrations/2_orders.up.sql",
        "create table orders (id int);\n",
    );
    write(r, "README.md", "demo\n");
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "release"]);
    git(r, &["branch", "release"]);
    git(r, &["tag", "v1"]);
    write(
        r,
        "db/migrations/10_ünïcode name.up.sql",
        "create table \"ü\" (id int);\n",
    );
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "main"]);
    // A stash entry, then a dirty tree: modified, staged and untracked files.
    write(r, "README.md", "stashed change\n");
    git(r, &["stash", "-q"]);
    write(r, "README.md", "work in progress\n");
    write(r, "db/migrations/3_wip.up.sql", "-- staged only\n");
    git(r, &["add", "db/migrations/3_wip.up.sql"]);
    write(r, "untracked.txt", "x\n");
    tmp
}

/// Everything a read-only tool must leave alone.
fn repo_state(r: &Path) -> Vec<String> {
    let git_dir = r.join(".git");
    vec![
        git(r, &["status", "--porcelain=v1", "-uall"]),
        git(r, &["stash", "list"]),
        std::fs::read_to_string(git_dir.join("HEAD")).unwrap(),
        git(r, &["for-each-ref"]),
        format!("{:?}", std::fs::read(git_dir.join("index")).unwrap()),
        std::fs::read_to_string(r.join("README.md")).unwrap(),
        tree_listing(&git_dir),
    ]
}

/// Every path under `dir` with its size and modification time: no lock file, no new ref log,
/// no rewritten file may appear.
fn tree_listing(dir: &Path) -> String {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                out.push(format!(
                    "{} {} {:?}",
                    entry.path().strip_prefix(dir).unwrap().display(),
                    meta.len(),
                    meta.modified().unwrap()
                ));
            }
        }
    }
    out.sort();
    out.join("\n")
}

fn names(ms: &[dbmigration::migration::Migration]) -> Vec<String> {
    ms.iter().map(|m| m.file_name()).collect()
}

#[test]
fn git_source_reads_each_ref_and_changes_nothing() {
    let repo = two_branch_repo();
    let r = repo.path();
    let before = repo_state(r);
    let dir = Path::new("db/migrations");

    let release = GitSource::open(r, "release", dir).unwrap();
    let ms = format::load_migrations(&release, dir, None).unwrap();
    assert_eq!(names(&ms), ["1_users.up.sql", "2_orders.up.sql"]);
    assert_eq!(ms[0].path, Path::new("db/migrations/1_users.up.sql"));
    assert_eq!(ms[0].down.as_deref(), Some("drop table users;\n"));
    assert!(release.describe().contains("release"));

    // `main` at its commit: the staged 3_wip file is not there, and 10 sorts after 2.
    let main = GitSource::open(&r.join("db"), "main", dir).unwrap();
    let ms = format::load_migrations(&main, dir, None).unwrap();
    assert_eq!(
        names(&ms),
        [
            "1_users.up.sql",
            "2_orders.up.sql",
            "10_ünïcode name.up.sql"
        ]
    );
    assert_eq!(ms[2].name, "ünïcode name");

    for spec in ["v1", "main~1", "HEAD"] {
        GitSource::open(r, spec, dir).unwrap().files().unwrap();
    }

    // Failures leave the repository alone too.
    let err = GitSource::open(r, "relase", dir).unwrap_err();
    assert!(matches!(err, SourceError::UnknownRef { .. }), "{err:?}");
    let help = miette::Diagnostic::help(&err).unwrap().to_string();
    assert!(
        help.contains("release") && help.contains("main") && help.contains("v1"),
        "{help}"
    );
    let err = GitSource::open(r, "release", Path::new("migrations")).unwrap_err();
    assert!(
        matches!(&err, SourceError::NoDirAtRef { revspec, dir, .. } if revspec == "release" && dir == Path::new("migrations")),
        "{err:?}"
    );
    let err = GitSource::open(r, "release", Path::new("README.md")).unwrap_err();
    assert!(matches!(err, SourceError::NotADirAtRef { .. }), "{err:?}");
    let err = GitSource::open(r, "main:README.md", dir).unwrap_err();
    assert!(matches!(err, SourceError::UnknownRef { .. }), "{err:?}");

    // The whole locate-and-load path, failing and succeeding.
    use dbmigration::locate::load_at_ref;
    assert!(load_at_ref(r, "relase", None, None).is_err());
    assert!(load_at_ref(r, "release", Some(Path::new("nope")), None).is_err());
    assert!(load_at_ref(r, "release", None, Some("liquibase")).is_err());
    let at = load_at_ref(r, "main", None, None).unwrap();
    assert_eq!(at.loaded.migrations.len(), 3);
    assert_eq!(at.loaded.format.name(), "golang-migrate");

    assert_eq!(repo_state(r), before);
}

#[test]
fn git_ref_reads_single_files_and_dirs() {
    let repo = two_branch_repo();
    let r = repo.path();
    let at = GitRef::open(r, "release").unwrap();
    assert_eq!(
        at.read_file(Path::new("README.md")).unwrap().as_deref(),
        Some("demo\n")
    );
    assert_eq!(at.read_file(Path::new("dbmigration.hcl")).unwrap(), None);
    assert!(at.is_dir(Path::new("db/migrations")).unwrap());
    assert!(!at.is_dir(Path::new("README.md")).unwrap());
    assert_eq!(
        dbmigration::source::discover_root(&r.join("db/migrations"))
            .unwrap()
            .canonicalize()
            .unwrap(),
        r.canonicalize().unwrap()
    );
}

#[test]
fn not_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    // A fresh temp dir may sit inside some repository on odd machines; only check when not.
    if git2_discover_fails(tmp.path()) {
        let err = GitRef::open(tmp.path(), "main").unwrap_err();
        assert!(matches!(err, SourceError::NotARepo { .. }), "{err:?}");
    }
}

#[test]
fn a_repository_of_another_user_is_named_as_such_with_the_safe_directory_hint() {
    if !nix::unistd::geteuid().is_root() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    git(r, &["init", "-q"]);
    write(r, "db/migrations/1_a.up.sql", "select 1;\n");
    git(r, &["add", "-A"]);
    git(r, &["commit", "-qm", "one"]);
    let status = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(r)
        .status()
        .unwrap();
    assert!(status.success());
    let err = GitRef::open(r, "HEAD").unwrap_err();
    assert!(matches!(err, SourceError::UnsafeOwner { .. }), "{err:?}");
    let help = miette::Diagnostic::help(&err).unwrap().to_string();
    assert!(
        help.contains("git config --global --add safe.directory"),
        "{help}"
    );
}

#[test]
fn a_ref_beyond_a_shallow_clone_suggests_fetching_more_history() {
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    std::fs::create_dir(&full).unwrap();
    git(&full, &["init", "-q"]);
    for n in 1..=3 {
        write(&full, &format!("db/migrations/{n}_a.up.sql"), "select 1;\n");
        git(&full, &["add", "-A"]);
        git(&full, &["commit", "-qm", &format!("commit {n}")]);
    }
    let url = format!("file://{}", full.display());
    git(
        tmp.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let err = GitRef::open(&tmp.path().join("shallow"), "HEAD~2").unwrap_err();
    assert!(matches!(err, SourceError::UnknownRef { .. }), "{err:?}");
    let help = miette::Diagnostic::help(&err).unwrap().to_string();
    assert!(help.contains("git fetch --unshallow"), "{help}");
    assert!(help.contains("fetch-depth: 0"), "{help}");
    // A full clone gets no such hint.
    let err = GitRef::open(&full, "HEAD~7").unwrap_err();
    let help = miette::Diagnostic::help(&err).unwrap().to_string();
    assert!(!help.contains("shallow"), "{help}");
}

#[test]
fn a_non_utf8_file_name_at_a_ref_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    git(r, &["init", "-q"]);
    write(r, "db/migrations/1_a.up.sql", "select 1;\n");
    let name = std::ffi::OsStr::from_bytes(b"2_caf\xe9.up.sql");
    std::fs::write(r.join("db/migrations").join(name), "select 2;\n").unwrap();
    git(r, &["add", "-A"]);
    git(r, &["commit", "-qm", "latin-1 name"]);
    let source = GitSource::open(r, "HEAD", Path::new("db/migrations")).unwrap();
    let err = source.files().unwrap_err();
    assert!(
        matches!(&err, SourceError::NameNotUtf8 { name, .. } if name.starts_with("2_caf")),
        "{err:?}"
    );
}

fn git2_discover_fails(p: &Path) -> bool {
    dbmigration::source::discover_root(p).is_err()
}

#[test]
fn dir_source_matches_git_source() {
    let repo = two_branch_repo();
    let r = repo.path();
    let dir = Path::new("db/migrations");
    let disk = DirSource::new(r.join(dir)).files().unwrap();
    let at_head: Vec<PathBuf> = GitSource::open(r, "HEAD", dir)
        .unwrap()
        .files()
        .unwrap()
        .into_iter()
        .map(|f| f.path)
        .collect();
    let on_disk: Vec<PathBuf> = disk.into_iter().map(|f| f.path).collect();
    // The work tree has the staged 3_wip file on top of HEAD.
    let mut expected = at_head.clone();
    expected.push(PathBuf::from("3_wip.up.sql"));
    expected.sort();
    assert_eq!(on_disk, expected);
}

#[test]
fn unknown_format_override() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "1_a.up.sql", "");
    let src = DirSource::new(tmp.path().to_path_buf());
    let err = format::load_migrations(&src, tmp.path(), Some("liquibase")).unwrap_err();
    assert!(err.to_string().contains("liquibase"));
    assert!(err.downcast_ref::<FormatError>().is_some());
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Loads a fixture directory with auto-detection; returns (format, [(file, transactional)]).
fn load_fixture(name: &str) -> (&'static str, Vec<(String, bool)>) {
    let dir = fixture(name);
    let loaded = format::load(&DirSource::new(dir.clone()), &dir, None).unwrap();
    for m in &loaded.migrations {
        assert!(m.path.starts_with(&dir), "{}", m.path.display());
        assert!(
            !m.up_sql().trim().is_empty(),
            "{}: empty up",
            m.path.display()
        );
    }
    let list = loaded
        .migrations
        .iter()
        .map(|m| {
            let rel = m.path.strip_prefix(&dir).unwrap();
            (rel.display().to_string(), m.transactional)
        })
        .collect();
    (loaded.format.name(), list)
}

fn owned(list: &[(&str, bool)]) -> Vec<(String, bool)> {
    list.iter().map(|(n, t)| ((*n).to_owned(), *t)).collect()
}

#[test]
fn fixture_golang_migrate() {
    assert_eq!(
        load_fixture("golang_migrate"),
        (
            "golang-migrate",
            // One statement each: golang-migrate sends a file as one query, and a query of
            // one statement runs outside any transaction.
            owned(&[
                ("2_create_users.up.sql", false),
                ("10_create_orders.up.sql", false)
            ])
        )
    );
}

#[test]
fn fixture_sqlx() {
    assert_eq!(
        load_fixture("sqlx"),
        (
            "sqlx",
            owned(&[
                ("2_create_users.sql", true),
                ("10_create_orders.sql", true),
                ("11_orders_user_index.sql", false)
            ])
        )
    );
}

#[test]
fn fixture_atlas() {
    assert_eq!(
        load_fixture("atlas"),
        (
            "atlas",
            owned(&[
                ("20240101000000_create_users.sql", true),
                ("20240102000000_create_orders.sql", true)
            ])
        )
    );
}

#[test]
fn fixture_diesel() {
    assert_eq!(
        load_fixture("diesel"),
        (
            "diesel",
            owned(&[
                ("2024-01-01-000000_create_users/up.sql", true),
                ("2024-01-02-000000_create_orders/up.sql", true),
                ("2024-01-03-000000_orders_user_index/up.sql", false)
            ])
        )
    );
}

#[test]
fn fixture_flyway() {
    assert_eq!(
        load_fixture("flyway"),
        (
            "flyway",
            owned(&[
                ("V1.2__create_users.sql", true),
                ("V1.10__create_orders.sql", true),
                ("R__order_totals_view.sql", true)
            ])
        )
    );
}

#[test]
fn fixture_dbmate() {
    assert_eq!(
        load_fixture("dbmate"),
        (
            "dbmate",
            owned(&[
                ("20240101000000_create_users.sql", true),
                ("20240102000000_create_orders.sql", true),
                ("20240103000000_orders_user_index.sql", false)
            ])
        )
    );
}

#[test]
fn fixture_goose() {
    assert_eq!(
        load_fixture("goose"),
        (
            "goose",
            owned(&[
                ("00001_create_users.sql", true),
                ("00002_create_orders.sql", true),
                ("00003_orders_user_index.sql", false)
            ])
        )
    );
}

#[test]
fn fixture_plain() {
    assert_eq!(
        load_fixture("plain"),
        (
            "plain",
            owned(&[("2-create-users.sql", true), ("10-create-orders.sql", true)])
        )
    );
}

#[test]
fn fixture_prisma() {
    assert_eq!(
        load_fixture("prisma"),
        (
            "prisma",
            owned(&[
                ("20240101000000_init/migration.sql", true),
                ("20240102000000_orders/migration.sql", true)
            ])
        )
    );
}

#[test]
fn load_from_dir_uses_the_work_tree_config() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    git(r, &["init", "-q"]);
    write(r, "db/1_a.sql", "create table a ();\n");
    let dir = r.join("db");
    let loaded = dbmigration::locate::load_from_dir(&dir, None).unwrap();
    assert_eq!(loaded.format.name(), "sqlx");
    write(
        r,
        "dbmigration.hcl",
        "migrations {\n  format = \"plain\"\n}\n",
    );
    let loaded = dbmigration::locate::load_from_dir(&dir, None).unwrap();
    assert_eq!(loaded.format.name(), "plain");
    assert_eq!(loaded.migrations[0].path, dir.join("1_a.sql"));
    // The flag wins over the config: a sqlx name is not a golang-migrate one.
    let err = dbmigration::locate::load_from_dir(&dir, Some("golang-migrate")).unwrap_err();
    assert!(err.to_string().contains("1_a.sql"), "{err}");
}

/// Every fixture directory is detected as exactly its own format, and every format has one.
#[test]
fn every_format_has_a_fixture() {
    for f in format::FORMATS {
        let dir = f.name().replace('-', "_");
        assert!(fixture(&dir).is_dir(), "no tests/fixtures/{dir}");
        assert_eq!(load_fixture(&dir).0, f.name());
    }
}

/// Copies a fixture into a temp dir so a test can break it.
fn scratch_copy(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let src = fixture(name);
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), tmp.path().join(entry.file_name())).unwrap();
        }
    }
    tmp
}

#[test]
fn atlas_sum_mismatch_names_the_file() {
    let tmp = scratch_copy("atlas");
    let edited = tmp.path().join("20240102000000_create_orders.sql");
    let mut text = std::fs::read_to_string(&edited).unwrap();
    text.push_str("alter table orders add column note text;\n");
    std::fs::write(&edited, text).unwrap();
    let dir = Path::new("db/migrations");
    let err =
        format::load_migrations(&DirSource::new(tmp.path().to_path_buf()), dir, None).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("db/migrations/20240102000000_create_orders.sql") && msg.contains("changed"),
        "{msg}"
    );
    assert!(
        err.help()
            .unwrap()
            .to_string()
            .contains("atlas migrate hash")
    );
}

#[test]
fn numeric_not_string_order_everywhere() {
    // `10_x` must come after `9_x` in every versioned format.
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "golang-migrate",
            &[("10_b.up.sql", "b"), ("9_a.up.sql", "a")],
        ),
        ("sqlx", &[("10_b.sql", "b"), ("9_a.sql", "a")]),
        (
            "dbmate",
            &[
                ("10_b.sql", "-- migrate:up\nb"),
                ("9_a.sql", "-- migrate:up\na"),
            ],
        ),
        (
            "goose",
            &[
                ("10_b.sql", "-- +goose Up\nb"),
                ("9_a.sql", "-- +goose Up\na"),
            ],
        ),
        ("flyway", &[("V1.10__b.sql", "b"), ("V1.9__a.sql", "a")]),
        // diesel compares the version with `-` removed as a string (crates.io's history):
        // naive digit-run order would put `2017-…` before `20140924113530`.
        (
            "diesel",
            &[
                ("2017-08-31-000000_b/up.sql", "b"),
                ("20140924113530_a/up.sql", "a"),
            ],
        ),
        ("plain", &[("10_b.sql", "b"), ("9_a.sql", "a")]),
    ];
    for (name, list) in cases {
        let tmp = tempfile::tempdir().unwrap();
        for (p, text) in *list {
            write(tmp.path(), p, text);
        }
        let src = DirSource::new(tmp.path().to_path_buf());
        let loaded = format::load(&src, tmp.path(), Some(name)).unwrap();
        let ups: Vec<_> = loaded
            .migrations
            .iter()
            .map(|m| m.up_sql().trim().to_owned())
            .collect();
        assert_eq!(ups, ["a", "b"], "{name}");
    }
}

#[test]
fn detection_is_unambiguous_on_fixtures_and_overridable() {
    // golang-migrate's directory read as plain: the down files are not applied.
    let dir = fixture("golang_migrate");
    let loaded = format::load(&DirSource::new(dir.clone()), &dir, Some("plain")).unwrap();
    assert_eq!(loaded.format.name(), "plain");
    assert_eq!(loaded.migrations.len(), 2);
}

#[test]
fn ambiguous_directory_lists_candidates() {
    let tmp = tempfile::tempdir().unwrap();
    // An atlas.sum beside Flyway names is a Flyway directory with Atlas's checksum, so the
    // ambiguity here is two tools' markers in one directory.
    write(tmp.path(), "1_a.sql", "-- migrate:up\nselect 1;\n");
    write(tmp.path(), "2_b.sql", "-- +goose Up\nselect 1;\n");
    let err =
        format::detect(&DirSource::new(tmp.path().to_path_buf()).files().unwrap()).unwrap_err();
    let FormatError::Ambiguous { candidates, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(candidates, &["dbmate", "goose"]);
    assert!(
        miette::Diagnostic::help(&err)
            .unwrap()
            .to_string()
            .contains("dbmigration.hcl")
    );
}

#[test]
fn config_at_the_ref_picks_dir_and_format() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    git(r, &["init", "-q"]);
    write(r, "schema/changes/1_a.sql", "create table a ();\n");
    write(
        r,
        "dbmigration.hcl",
        "migrations {\n  dir    = \"schema/changes\"\n  format = \"plain\"\n}\n",
    );
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "one"]);
    write(
        r,
        "dbmigration.hcl",
        "migrations {\n  dir = \"elsewhere\"\n}\n",
    );
    git(r, &["commit", "-q", "-am", "two"]);
    let at = dbmigration::locate::load_at_ref(r, "HEAD~1", None, None).unwrap();
    assert_eq!(at.located.dir, Path::new("schema/changes"));
    assert_eq!(at.loaded.format.name(), "plain");
    assert_eq!(
        at.loaded.migrations[0].path,
        Path::new("schema/changes/1_a.sql")
    );
    // At HEAD the config points at a directory that does not exist there.
    let err = dbmigration::locate::load_at_ref(r, "HEAD", None, None).unwrap_err();
    assert!(err.to_string().contains("elsewhere"), "{err}");
    // The flag wins over the config.
    let at = dbmigration::locate::load_at_ref(r, "HEAD", Some(Path::new("schema/changes")), None)
        .unwrap();
    assert_eq!(at.loaded.format.name(), "sqlx");
}

#[test]
fn auto_discovery_at_a_ref_and_bad_config() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    git(r, &["init", "-q"]);
    write(r, "db/migrations/1_a.up.sql", "create table a ();\n");
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "one"]);
    let at = dbmigration::locate::load_at_ref(r, "main", None, None).unwrap();
    assert_eq!(at.located.dir, Path::new("db/migrations"));
    assert_eq!(at.located.origin, dbmigration::locate::Origin::Discovered);

    write(
        r,
        "dbmigration.hcl",
        "migrations {\n  formatt = \"goose\"\n}\n",
    );
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "two"]);
    let err = dbmigration::locate::load_at_ref(r, "main", None, None).unwrap_err();
    assert!(err.to_string().contains("formatt"), "{err}");
}

/// A diagnostic as users see it on a terminal without color, at a fixed width.
fn render(diagnostic: &dyn miette::Diagnostic) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(80)
        .render_report(&mut out, diagnostic)
        .unwrap();
    out
}

#[test]
fn rendered_config_unknown_key() {
    let err = dbmigration::config::parse(
        "dbmigration.hcl",
        "migrations {\n  dir     = \"db/migrations\"\n  formatt = \"goose\"\n}\n",
    )
    .unwrap_err();
    insta::assert_snapshot!(render(&err));
}

#[test]
fn rendered_config_bad_format() {
    let err = dbmigration::config::parse(
        "dbmigration.hcl",
        "migrations {\n  format = \"liquibase\"\n}\n",
    )
    .unwrap_err();
    insta::assert_snapshot!(render(&err));
}

#[test]
fn rendered_atlas_sum_mismatch() {
    let tmp = scratch_copy("atlas");
    let edited = tmp.path().join("20240101000000_create_users.sql");
    std::fs::write(&edited, "create table users (id int);\n").unwrap();
    let err = format::load_migrations(
        &DirSource::new(tmp.path().to_path_buf()),
        Path::new("db/migrations"),
        None,
    )
    .unwrap_err();
    insta::assert_snapshot!(render(err.as_ref()));
}

#[test]
fn rendered_dbmate_statement_outside_sections() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "20240101000000_users.sql",
        "-- users\ncreate table users (id int);\n-- migrate:up\ncreate table t ();\n",
    );
    let err = format::load_migrations(
        &DirSource::new(tmp.path().to_path_buf()),
        Path::new("db/migrations"),
        Some("dbmate"),
    )
    .unwrap_err();
    insta::assert_snapshot!(render(err.as_ref()));
}

#[test]
fn rendered_duplicate_version_and_bad_name() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "001_users.up.sql", "");
    write(tmp.path(), "1_accounts.up.sql", "");
    let src = DirSource::new(tmp.path().to_path_buf());
    let err = format::load_migrations(&src, Path::new("db/migrations"), None).unwrap_err();
    insta::assert_snapshot!("duplicate_version", render(err.as_ref()));

    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "V1__users.sql", "");
    write(tmp.path(), "V2_orders.sql", "");
    let src = DirSource::new(tmp.path().to_path_buf());
    let err = format::load_migrations(&src, Path::new("db/migration"), None).unwrap_err();
    insta::assert_snapshot!("bad_name", render(err.as_ref()));
}

#[test]
fn rendered_not_detected() {
    let files = DirSource::new(fixture("plain")).files().unwrap();
    let only_readme: Vec<_> = files
        .into_iter()
        .filter(|f| f.path.ends_with("README.md"))
        .collect();
    let err = format::detect(&only_readme).unwrap_err();
    insta::assert_snapshot!(render(&err));
}
