//! Puts the git commit into `--version` (`dbmigration 0.1.0 (rev 1a2b3c4d5e)`), as ripgrep does
//! (BurntSushi/ripgrep `build.rs`, `set_git_revision_hash`). A build without git metadata (a
//! source tarball, a vendored copy inside another repository) gets the plain version; a
//! packager may set `DBMIGRATION_BUILD_REV` instead.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=DBMIGRATION_BUILD_REV");
    let version = env("CARGO_PKG_VERSION").unwrap_or_default();
    let rev = env("DBMIGRATION_BUILD_REV")
        .filter(|r| !r.trim().is_empty())
        .or_else(git_revision);
    let full = match rev {
        Some(rev) => format!("{version} (rev {})", rev.trim()),
        None => version,
    };
    println!("cargo:rustc-env=DBMIGRATION_VERSION={full}");
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// `git` run in this package's directory; `None` when git is missing or fails.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(env("CARGO_MANIFEST_DIR")?)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The abbreviated commit of HEAD, when this source tree is the top of its own git checkout
/// (not a copy sitting inside some other repository). Asks cargo to re-run this script when
/// HEAD moves, and only for files that exist: a missing one would re-run it on every build.
fn git_revision() -> Option<String> {
    let manifest = PathBuf::from(env("CARGO_MANIFEST_DIR")?);
    // The workspace root is two levels up (cmd/dbmigration).
    let root = manifest.parent()?.parent()?.canonicalize().ok()?;
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?)
        .canonicalize()
        .ok()?;
    if top != root {
        return None;
    }
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(&["rev-parse", "--git-path", &branch])?);
    }
    watched.push(git(&["rev-parse", "--git-path", "packed-refs"])?);
    for path in watched {
        let path = absolute(&manifest, &path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    git(&["rev-parse", "--short=10", "HEAD"])
}

/// `--git-path` answers relative to the directory git ran in.
fn absolute(base: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}
