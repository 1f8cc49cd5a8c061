//! The `command` source: migrations written in code (Django, Alembic, Knex, go-pg, goose's Go
//! files, ent, TypeORM) are applied by running the project's own migrate command against a
//! scratch database, at a ref or in a directory (`migrations { command = "…" }` in
//! dbmigration.hcl, or `--migrations-command`).
//!
//! At a ref the command runs in a fresh private temp dir holding that commit's tree, written
//! from the object database ([`crate::source::GitRef::write_tree`]); the repository itself is
//! never checked out, and nothing under `.git` changes. The command gets the scratch database
//! as `DATABASE_URL` (URL form, a socket directory as `?host=`) and `PGHOST PGPORT PGUSER
//! PGDATABASE`, the ref as `DBMIGRATION_REF`, and the rest of the user's environment, without
//! the user's own libpq variables (a `PGSERVICE` or `PGHOSTADDR` would otherwise point it at
//! another server). It runs with the user's rights, as `go run` or `manage.py` would: see
//! docs/security.md.

mod process;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use miette::Diagnostic;
use thiserror::Error;

use crate::scratch::ScratchDatabase;

pub use process::TAIL_LINES;

/// `--command-timeout`'s default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// Where a command runs: a tree written for it (removed with it), or a directory of the user's.
#[derive(Debug)]
pub enum Workdir {
    /// A commit's tree in a private temp dir; `cwd` may be a subdirectory of it.
    Written {
        /// Keeps the temp dir alive (and removes it when dropped).
        tree: crate::source::WrittenTree,
        /// Where the command runs inside it.
        cwd: PathBuf,
    },
    /// `--dir`: the user's own directory.
    Dir(PathBuf),
}

impl Workdir {
    /// The directory the command runs in.
    pub fn cwd(&self) -> &Path {
        match self {
            Workdir::Written { cwd, .. } => cwd,
            Workdir::Dir(dir) => dir,
        }
    }
}

/// Code migrations: the command that applies them, and where it runs.
#[derive(Debug)]
pub struct CodeMigrations {
    /// The migrate command (`python3 manage.py migrate --noinput`).
    pub command: String,
    /// The command that undoes every migration (`python3 manage.py migrate app zero`), for
    /// `check`'s down findings.
    pub down_command: Option<String>,
    /// Where it runs.
    pub workdir: Workdir,
    /// `DBMIGRATION_REF` (the revspec), unset for `--dir`.
    pub reference: Option<String>,
    /// `DBMIGRATION_REPO`: the repository's work tree on disk, where the dependencies the
    /// commit does not hold live (`node_modules`, a `.venv`), for the command to link to.
    pub repo_root: Option<PathBuf>,
    /// Names the run in headings and messages: the ref, or the directory.
    pub label: String,
    /// The deadline of one run.
    pub timeout: Duration,
}

/// Which of the two commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `command`.
    Up,
    /// `down_command`.
    Down,
}

/// The command could not be run, or did not succeed.
#[derive(Debug, Error, Diagnostic)]
pub enum CommandError {
    /// `sh` itself could not be started.
    #[error("cannot start `sh -c {command}` in {}", cwd.display())]
    #[diagnostic(
        code(dbmigration::command::spawn),
        help("the command runs through `sh -c`: check that `sh` is on PATH")
    )]
    Spawn {
        /// The command.
        command: String,
        /// Where.
        cwd: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// It exited non-zero (or was killed by a signal).
    #[error("the migrate command at {label} failed ({status}): `{command}`\n{output}")]
    #[diagnostic(code(dbmigration::command::failed), help("{help}"))]
    Failed {
        /// The ref or directory.
        label: String,
        /// The command.
        command: String,
        /// `exit status 1`, `killed by signal 9`.
        status: String,
        /// The last lines of its output.
        output: String,
        /// What to do.
        help: String,
    },
    /// It ran past `--command-timeout`.
    #[error(
        "the migrate command at {label} did not finish within {} s: `{command}`; its process group was killed\n{output}",
        timeout.as_secs()
    )]
    #[diagnostic(
        code(dbmigration::command::timeout),
        help(
            "raise the limit with `--command-timeout SECONDS` if it is only slow (a first `go run` compiles); a command that waits for input gets none (stdin is /dev/null)"
        )
    )]
    TimedOut {
        /// The ref or directory.
        label: String,
        /// The command.
        command: String,
        /// The limit.
        timeout: Duration,
        /// The last lines of its output.
        output: String,
    },
}

impl CommandError {
    /// One line for a finding: which command, and how it ended.
    pub fn summary(&self) -> String {
        match self {
            CommandError::Spawn {
                command, source, ..
            } => {
                format!("`{command}` could not be started: {source}")
            }
            CommandError::Failed {
                command, status, ..
            } => format!("`{command}` ended with {status}"),
            CommandError::TimedOut {
                command, timeout, ..
            } => format!("`{command}` did not finish within {} s", timeout.as_secs()),
        }
    }

    /// The last lines of the command's output, as shown in reports.
    pub fn output(&self) -> Option<String> {
        match self {
            CommandError::Spawn { .. } => None,
            CommandError::Failed { output, .. } | CommandError::TimedOut { output, .. } => {
                Some(output.clone())
            }
        }
    }
}

impl CodeMigrations {
    /// The command of `direction`, if there is one.
    pub fn command_for(&self, direction: Direction) -> Option<&str> {
        match direction {
            Direction::Up => Some(&self.command),
            Direction::Down => self.down_command.as_deref(),
        }
    }

    /// Runs the command of `direction` against `db`. Output streams to stderr under a heading
    /// when stderr is a terminal (and not `--quiet`); otherwise it is kept, and shown only if
    /// the command fails.
    pub async fn run(
        &self,
        db: &ScratchDatabase,
        direction: Direction,
    ) -> Result<(), CommandError> {
        let Some(command) = self.command_for(direction) else {
            return Ok(());
        };
        // Streamed where progress is shown (stderr a terminal, no `--quiet`).
        let stream = crate::ui::progress();
        let shown_command = ::lint::report::escape::terminal_line(command).into_owned();
        let shown_label = ::lint::report::escape::terminal_line(&self.label).into_owned();
        if stream {
            eprintln!("── {shown_label}: running `{shown_command}` ──");
        }
        let spec = process::Spec {
            command: command.to_owned(),
            cwd: self.workdir.cwd().to_path_buf(),
            remove: libpq_variables(std::env::vars_os().map(|(k, _)| k)),
            set: environment(db, self.reference.as_deref(), self.repo_root.as_deref()),
            stream_label: stream.then(|| shown_label.clone()),
            timeout: self.timeout,
        };
        let outcome = tokio::task::spawn_blocking(move || {
            let result = process::run(&spec);
            (spec, result)
        })
        .await;
        let (spec, result) = match outcome {
            Ok(pair) => pair,
            Err(join) => {
                return Err(CommandError::Spawn {
                    command: shown_command,
                    cwd: self.workdir.cwd().to_path_buf(),
                    source: std::io::Error::other(join.to_string()),
                });
            }
        };
        let outcome = result.map_err(|source| CommandError::Spawn {
            command: shown_command.clone(),
            cwd: spec.cwd.clone(),
            source,
        })?;
        let output = shown_tail(&outcome.tail);
        match outcome.ended {
            process::Ended::Exited(status) if status.success() => {
                let what = match direction {
                    Direction::Up => "migrate",
                    Direction::Down => "down",
                };
                crate::status!(
                    "{shown_label}: {what} command finished in {:.1} s",
                    outcome.elapsed.as_secs_f64()
                );
                Ok(())
            }
            process::Ended::Exited(status) => Err(CommandError::Failed {
                label: shown_label,
                help: failure_help(&status, &spec.cwd),
                status: describe_status(&status),
                command: shown_command,
                output,
            }),
            process::Ended::TimedOut => Err(CommandError::TimedOut {
                label: shown_label,
                command: shown_command,
                timeout: spec.timeout,
                output,
            }),
        }
    }
}

/// The variables given to the command: the database, the ref and the repository.
fn environment(
    db: &ScratchDatabase,
    reference: Option<&str>,
    repo_root: Option<&Path>,
) -> Vec<(String, String)> {
    let mut set = vec![("DATABASE_URL".to_owned(), db.connection_url())];
    set.extend(db.libpq_env().into_iter().map(|(k, v)| (k.to_owned(), v)));
    if let Some(r) = reference {
        set.push(("DBMIGRATION_REF".to_owned(), r.to_owned()));
    }
    if let Some(root) = repo_root {
        set.push((
            "DBMIGRATION_REPO".to_owned(),
            root.to_string_lossy().into_owned(),
        ));
    }
    set
}

/// The user's libpq variables (`PGHOST`, `PGSERVICE`, `PGSSLMODE`, … : `PG` and capitals,
/// as libpq names them in `fe-connect.c`'s `PQconninfoOptions`), and `DBMIGRATION_REF`/`_REPO`:
/// removed so that only ours reach the command. `PG_BIN` and the like (with `_`) are not
/// libpq's and stay.
fn libpq_variables(names: impl Iterator<Item = OsString>) -> Vec<OsString> {
    names
        .filter(|name| {
            name.to_str().is_some_and(|n| {
                matches!(n, "DBMIGRATION_REF" | "DBMIGRATION_REPO")
                    || n.strip_prefix("PG").is_some_and(|rest| {
                        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_uppercase())
                    })
            })
        })
        .collect()
}

/// The last lines, indented, or a note that there was no output.
fn shown_tail(tail: &[String]) -> String {
    if tail.is_empty() {
        return "  (no output)".to_owned();
    }
    let mut out = format!("last {} line(s) of its output:", tail.len());
    for line in tail {
        out.push_str("\n  │ ");
        out.push_str(line);
    }
    out
}

fn describe_status(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit status {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => status.to_string(),
    }
}

fn failure_help(status: &std::process::ExitStatus, cwd: &Path) -> String {
    match status.code() {
        Some(127) => format!(
            "`sh` could not find the program (exit status 127): is it installed and on PATH? The command runs in {} with your environment",
            cwd.display()
        ),
        Some(126) => "the program is not executable (exit status 126)".to_owned(),
        _ => "fix the migrations (or the command) so that it applies them to an empty database; run it yourself with DATABASE_URL pointing at an empty database to see the whole output".to_owned(),
    }
}

/// Parses `--command-timeout`: seconds, or a number with `s`, `m` or `h`.
pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: write seconds (`600`) or `10m`"))?;
    let seconds = match unit {
        "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("unknown unit in `{text}`: use s, m or h")),
    };
    if seconds == 0 {
        return Err("the timeout must be at least one second".to_owned());
    }
    Ok(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_libpq_variables_are_removed() {
        let names = [
            "PGHOST",
            "PGSERVICE",
            "PG_BIN",
            "PATH",
            "PGX",
            "PG",
            "DBMIGRATION_REF",
            "DATABASE_URL",
        ]
        .map(OsString::from);
        let removed = libpq_variables(names.into_iter());
        assert_eq!(
            removed,
            ["PGHOST", "PGSERVICE", "PGX", "DBMIGRATION_REF"].map(OsString::from)
        );
    }

    #[test]
    fn timeouts() {
        assert_eq!(parse_timeout("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_timeout("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_timeout("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("ten").is_err());
        assert!(parse_timeout("5d").is_err());
    }
}
