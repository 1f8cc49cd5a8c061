//! `dbmigration check`: read both refs from the object database (never the work tree), run the
//! history checks, then the database checks on one scratch server, and report.

use std::io::Write;

use miette::{Diagnostic, IntoDiagnostic, WrapErr};
use thiserror::Error;

use crate::check::{self, Finding, Options, Release, report};
use crate::cli::{CheckArgs, ReportFormat};
use crate::commands::ExitStatus;
use crate::pipeline::{self, review::Histories};

/// `--ignore` names no check.
#[derive(Debug, Error, Diagnostic)]
#[error("`--ignore {0}` names no check")]
#[diagnostic(
    code(dbmigration::check::unknown_code),
    help("known codes: {1} (see docs/check.md)")
)]
struct UnknownCode(String, String);

/// Runs `dbmigration check`.
pub fn run(args: &CheckArgs) -> miette::Result<ExitStatus> {
    let mut options = Options {
        all_downs: args.all_downs,
        ignore: args.ignore.clone(),
    };
    validate(&options)?;
    let (from, to) = match pipeline::review::load(&args.migrations, &args.from, &args.to)? {
        Histories::Loaded(pair) => *pair,
        Histories::Refused(finding) => {
            // TO could not be read: FROM's config is the one at hand.
            let config = pipeline::at_ref(&args.migrations, &args.from)
                .ok()
                .and_then(|m| m.config);
            options.ignore_from(config.as_ref());
            let findings = check::without_ignored(vec![*finding], &options);
            print(&findings, args.format)?;
            return Ok(status(&findings));
        }
    };
    // The newer ref's config decides, as for `lint { }` (`--ignore` adds to it).
    options.ignore_from(to.config.as_ref().or(from.config.as_ref()));
    let cx = Release::new(&from, &to);
    let mut findings = cx.history_findings();
    let built = pipeline::runtime()?
        .block_on(pipeline::with_scratch(&args.database, async |scratch| {
            check::run_database_checks(scratch, &cx, &options).await
        }))?;
    findings.extend(built.findings);
    let findings = check::without_ignored(findings, &options);
    print(&findings, args.format)?;
    Ok(status(&findings))
}

/// Every `--ignore` code must name a check.
pub fn validate(options: &Options) -> miette::Result<()> {
    for code in &options.ignore {
        if !check::codes().any(|c| c == code) {
            return Err(
                UnknownCode(code.clone(), check::codes().collect::<Vec<_>>().join(", ")).into(),
            );
        }
    }
    Ok(())
}

/// 1 when any finding is an error.
pub fn status(findings: &[Finding]) -> ExitStatus {
    if check::has_errors(findings) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    }
}

/// Prints the report on stdout.
pub fn print(findings: &[Finding], format: ReportFormat) -> miette::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = match format {
        ReportFormat::Human => {
            let style = crate::ui::style(crate::ui::Stream::Stdout);
            report::human(findings, style, super::terminal_width(), &mut out)
        }
        ReportFormat::Json => report::json(findings, &mut out),
        ReportFormat::Github => report::github(findings, &mut out),
        ReportFormat::Sarif => report::sarif(findings, &mut out),
        ReportFormat::Markdown => report::markdown(findings, &mut out),
    };
    match result.and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.into_diagnostic().wrap_err("cannot write the report"),
    }
}
