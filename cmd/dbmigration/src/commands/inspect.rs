//! `dbmigration inspect URL`: render an existing database to HCL, strictly read-only.
//!
//! The session itself is read-only (`default_transaction_read_only`), and `hclgen::inspect` runs
//! its catalog queries inside one `READ ONLY` transaction: nothing is created or written on the
//! server, whatever the role may do.

use crate::cli::InspectArgs;
use crate::commands::ExitStatus;
use crate::output::Output;

/// Runs `dbmigration inspect`.
pub fn run(args: &InspectArgs) -> miette::Result<ExitStatus> {
    let opts = hclgen::InspectOptions {
        schemas: args.schemas.clone(),
        exclude: args.exclude.clone(),
        privileges: !args.access.no_privileges,
        owners: !args.access.no_owners,
    };
    let operand = crate::pipeline::operand::Database::parse(&args.url)?;
    let db = crate::pipeline::runtime()?.block_on(operand.inspect(&opts))?;
    let text = hclgen::render(&db);
    let output = match &args.output {
        Some(path) => Output::from_arg(Some(path), "-"),
        None => Output::Stdout,
    };
    output.write(&text)?;
    Ok(ExitStatus::Clean)
}
