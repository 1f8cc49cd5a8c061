//! `dbmigration hcl`.

use crate::cli::HclArgs;
use crate::commands::ExitStatus;

/// Runs `dbmigration hcl`.
pub fn run(_args: &HclArgs) -> miette::Result<ExitStatus> {
    Err(miette::miette!("`dbmigration hcl` is not implemented yet"))
}
