//! `dbmigration completions SHELL`: the completion script clap_complete generates from the
//! same command definition that parses the arguments, so it never goes stale.

use std::io::Write;

use clap::CommandFactory;
use miette::{IntoDiagnostic, WrapErr};

use crate::cli::{Cli, CompletionsArgs};
use crate::commands::ExitStatus;

/// Writes the script to stdout.
pub fn run(args: &CompletionsArgs) -> miette::Result<ExitStatus> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "dbmigration", &mut script);
    let mut out = std::io::stdout().lock();
    match out.write_all(&script).and_then(|()| out.flush()) {
        // `| head` closing the pipe is the reader's choice.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e)
            .into_diagnostic()
            .wrap_err("cannot write the completion script"),
        _ => Ok(ExitStatus::Clean),
    }
}
