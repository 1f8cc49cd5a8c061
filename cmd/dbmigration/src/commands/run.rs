//! `dbmigration run`: the whole review ([`crate::pipeline::review`]), written to files and
//! reported. The exit status is decided by the migration files that will run and by the
//! release checks; the plan's findings are shown for reference.

use miette::{IntoDiagnostic, WrapErr};

use crate::check;
use crate::cli::{ReportFormat, RunArgs};
use crate::commands::{ExitStatus, check as check_cmd, lint as lint_cmd};
use crate::example;
use crate::output::{self, Output, file_stem_for_ref};
use crate::pipeline::{self, review};
use crate::summary::{Changes, HistoryInfo, Outputs, RefInfo, Summary};
use crate::ui;

/// Runs `dbmigration run`.
pub fn run(args: &RunArgs) -> miette::Result<ExitStatus> {
    // The example's throwaway repository lives exactly as long as this command.
    let example_dir = match &args.example {
        Some(_) => Some(
            tempfile::tempdir()
                .map_err(|e| miette::miette!("cannot create a temporary directory: {e}"))?,
        ),
        None => None,
    };
    let mut migration_args = args.migrations.clone();
    if let (Some(name), Some(dir)) = (&args.example, &example_dir) {
        migration_args.repo = Some(example::materialize(name, dir.path())?);
    }

    let phase = ui::phase(format!("reading {} and {}", args.from, args.to));
    let loaded = review::load(&migration_args, &args.from, &args.to)?;
    phase.done();
    let (from, to) = match loaded {
        review::Histories::Loaded(pair) => *pair,
        // Nothing to render: TO cannot be read the way its tool reads it.
        review::Histories::Refused(finding) => {
            let mut options = check::Options::default();
            let from_config = pipeline::at_ref(&migration_args, &args.from)
                .ok()
                .and_then(|m| m.config);
            options.ignore_from(from_config.as_ref());
            let findings = check::without_ignored(vec![*finding], &options);
            check_cmd::print(&findings, args.format)?;
            return Ok(check_cmd::status(&findings));
        }
    };

    // Without --out-dir the names stay bare (`release.hcl`, not `./release.hcl`): they appear
    // in diff.sql's header, which must not depend on how the command was called.
    let out_dir = args.out_dir.clone().unwrap_or_default();
    // A missing --out-dir is created (with its parents, like `mkdir -p`) before the slow part,
    // so that a path that cannot be a directory fails fast.
    if !out_dir.as_os_str().is_empty() {
        output::create_dir(&out_dir)?;
    }
    let from_file = out_dir.join(format!("{}.hcl", file_stem_for_ref(&args.from)));
    let to_file = out_dir.join(format!("{}.hcl", file_stem_for_ref(&args.to)));
    let diff_file = out_dir.join("diff.sql");
    let (from_label, to_label, plan_label) = (
        from_file.display().to_string(),
        to_file.display().to_string(),
        diff_file.display().to_string(),
    );
    // The newer ref's config says how to lint and what to compare.
    let config = to.config.as_ref().or(from.config.as_ref());
    let lint = pipeline::lint_options(config);
    // Production's version is the one the newer ref's config names; the plan and the lint are
    // for the version of the server that rendered the schemas.
    let database = pipeline::with_config_version(&args.database, to.pg_version.or(from.pg_version));
    let request = review::ReviewRequest {
        from_label: &from_label,
        to_label: &to_label,
        plan_label: &plan_label,
        database: &database,
        check: {
            let mut options = check::Options::default();
            options.ignore_from(config);
            options
        },
        inspect: pipeline::narrow_options(config, &args.narrow),
        lint: lint.clone(),
        // `--unsafe-plan`, or `diff { plan = "plain" }` in the newer ref's config.
        unsafe_plan: args.unsafe_plan
            || config
                .and_then(|c| c.diff.as_ref())
                .is_some_and(|d| d.plain_plan()),
    };
    let done = review::review(&from, &to, &request)?;

    // All three or none: a fresh release.hcl next to a stale diff.sql would mislead.
    output::write_all(&[
        (Output::Chosen(from_file.clone()), done.from_hcl.as_str()),
        (Output::Chosen(to_file.clone()), done.to_hcl.as_str()),
        (Output::Chosen(diff_file.clone()), done.plan_sql.as_str()),
    ])?;
    crate::status!(
        "wrote {} ({}), {} ({}), {} ({} statement(s))",
        from_file.display(),
        from.count(),
        to_file.display(),
        to.count(),
        diff_file.display(),
        done.plan.steps.len()
    );

    let acknowledged = done.plan_lint.acknowledged.len()
        + done
            .migration_lint
            .iter()
            .map(|f| f.acknowledged.len())
            .sum::<usize>();
    let plan_lint = std::slice::from_ref(&done.plan_lint);
    let failed = done.fails(&lint);
    let summary = Summary {
        from: ref_info(&args.from, &from),
        to: ref_info(&args.to, &to),
        format: to.format.name().to_owned(),
        migrations_dir: to.dir.display().to_string(),
        histories: match to.more.is_empty() {
            true => Vec::new(),
            false => to
                .trees()
                .map(|t| HistoryInfo {
                    name: t.label.clone().unwrap_or_default(),
                    format: t.format.name().to_owned(),
                    dir: t.dir.display().to_string(),
                })
                .collect(),
        },
        postgres: done.postgres.clone(),
        outputs: Outputs {
            from_hcl: from_label,
            to_hcl: to_label,
            plan: plan_label,
        },
        new_migrations: done
            .new_migrations
            .iter()
            .map(|m| m.path.display().to_string())
            .collect(),
        changes: Changes::group(&diff::compare(&done.from_schema, &done.to_schema)),
        plan_statements: done.plan.steps.len(),
        checks: &done.check_findings,
        migration_lint: &done.migration_lint,
        plan_lint,
        acknowledged,
        failed,
    };
    report(&summary, args.format)?;
    Ok(if failed {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// A ref as named, with the commit it was read at.
fn ref_info(name: &str, migrations: &pipeline::Migrations) -> RefInfo {
    RefInfo {
        name: name.to_owned(),
        commit: migrations.commit.clone(),
    }
}

/// Prints the review on stdout. On a terminal (`human`), every finding in full (miette, with
/// the statement and the help: the files that will run, which decide, then the plan, for
/// reference, then the release checks), then the summary; every other format is the summary
/// alone, as one document (one JSON document, one Markdown comment, one SARIF log).
fn report(summary: &Summary<'_>, format: ReportFormat) -> miette::Result<()> {
    if format == ReportFormat::Human {
        lint_cmd::print_section(
            &format!(
                "New migrations ({} file(s) that will run)",
                summary.migration_lint.len()
            ),
            summary.migration_lint,
            format,
        )?;
        lint_cmd::print_section(
            "The plan (diff.sql), for reference: its findings do not decide the exit status",
            summary.plan_lint,
            format,
        )?;
        check_cmd::print(summary.checks, format)?;
        println!();
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match summary
        .write(format, &mut out)
        .and_then(|()| std::io::Write::flush(&mut out))
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.into_diagnostic().wrap_err("cannot write the report"),
    }
}
