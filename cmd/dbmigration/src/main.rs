use std::process::ExitCode;

use clap::Parser;
use dbmigration::cli::Cli;
use dbmigration::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    dbmigration::ui::init(cli.quiet, cli.color);
    commands::install_report_handler();
    match commands::run(cli) {
        Ok(status) => status.into(),
        Err(report) => {
            eprintln!("{report:?}");
            commands::ExitStatus::Error.into()
        }
    }
}
