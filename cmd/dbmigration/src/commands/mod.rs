//! One file per subcommand; this module dispatches and owns the exit status.

use std::process::ExitCode;

use ::lint::report::SafeHandler;

use crate::cli::{Cli, Command};

mod check;
mod completions;
mod diff;
mod hcl;
mod inspect;
mod lint;
mod run;

/// How the process ends: 0 clean, 1 findings at error level, 2 usage or input error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything fine.
    Clean = 0,
    /// The command worked and found problems (lint errors, `diff --verify` mismatch).
    Findings = 1,
    /// Usage or input error.
    Error = 2,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> Self {
        ExitCode::from(s as u8)
    }
}

/// Sets up miette: graphical and coloured when stderr gets colour (`--color`, `NO_COLOR`,
/// `FORCE_COLOR`, a terminal: see `ui`), plain otherwise. Errors quote names, paths and SQL
/// from untrusted input, so they go through the same escaping handler as lint reports: no
/// control character from input reaches the terminal raw.
pub fn install_report_handler() {
    let style = crate::ui::style(crate::ui::Stream::Stderr);
    let width = terminal_width();
    // Ignore the error: it only says a handler was already installed (tests call this twice).
    let _ = miette::set_hook(Box::new(move |_| Box::new(SafeHandler::new(style, width))));
}

/// `$COLUMNS`, else 100: reports wrap there.
pub(crate) fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w: &usize| *w >= 20)
        .unwrap_or(100)
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> miette::Result<ExitStatus> {
    match cli.command {
        Command::Hcl(args) => hcl::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Completions(args) => completions::run(&args),
    }
}
