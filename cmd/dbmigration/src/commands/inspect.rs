//! `dbmigration inspect`.

use crate::cli::InspectArgs;
use crate::commands::ExitStatus;

/// Runs `dbmigration inspect`.
pub fn run(_args: &InspectArgs) -> miette::Result<ExitStatus> {
    Err(miette::miette!("`dbmigration inspect` is not implemented yet"))
}
