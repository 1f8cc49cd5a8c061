//! `dbmigration lint`.

use crate::cli::LintArgs;
use crate::commands::ExitStatus;

/// Runs `dbmigration lint`.
pub fn run(_args: &LintArgs) -> miette::Result<ExitStatus> {
    Err(miette::miette!("`dbmigration lint` is not implemented yet"))
}
