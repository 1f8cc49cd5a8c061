//! What the end-to-end tests share: a temporary git repository with a `release` branch and a
//! `main` branch on top, and the binary run inside it.
#![allow(clippy::unwrap_used, dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_dbmigration");

/// Files as `(path relative to the repository, text)`.
pub type Files<'a> = &'a [(&'a str, &'a str)];

/// A temporary git repository: `release` holds the first files, `main` adds the second set.
pub struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    pub fn new(release: Files<'_>, main: Files<'_>) -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "release"]);
        repo.git(&["config", "user.email", "t@example.invalid"]);
        repo.git(&["config", "user.name", "t"]);
        repo.write(release);
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "release"]);
        repo.git(&["checkout", "-q", "-b", "main"]);
        repo.write(main);
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "--allow-empty", "-m", "main"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, files: Files<'_>) {
        for (path, text) in files {
            let full = self.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
    }

    pub fn git(&self, args: &[&str]) {
        let out = Command::new("git")
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}");
    }

    /// The binary in the repository, without colour and without a `DATABASE_URL` from the
    /// environment (each run starts its own scratch cluster).
    pub fn dbmigration(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
