//! `dbmigration diff`.

use crate::cli::DiffArgs;
use crate::commands::ExitStatus;

/// Runs `dbmigration diff`.
pub fn run(_args: &DiffArgs) -> miette::Result<ExitStatus> {
    Err(miette::miette!("`dbmigration diff` is not implemented yet"))
}
