use std::process::ExitCode;

use clap::Parser;
use dbmigration::cli::Cli;
use dbmigration::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    commands::install_report_handler();
    match commands::run(cli) {
        Ok(status) => status.into(),
        Err(report) => {
            eprintln!("{report:?}");
            commands::ExitStatus::Error.into()
        }
    }
}
