//! `dbmigration run`.

use crate::cli::RunArgs;
use crate::commands::ExitStatus;

/// Runs `dbmigration run`.
pub fn run(_args: &RunArgs) -> miette::Result<ExitStatus> {
    Err(miette::miette!("`dbmigration run` is not implemented yet"))
}
