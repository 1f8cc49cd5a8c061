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
    ]
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
