//! `dbmigration run`: the whole review ([`crate::pipeline::review`]), written to files and
//! reported. The exit status is decided by the migration files that will run and by the
//! release checks; the plan's findings are shown for reference.

use crate::check;
use crate::cli::{ReportFormat, RunArgs};
use crate::commands::{ExitStatus, check as check_cmd, lint as lint_cmd};
use crate::example;
use crate::output::{self, Output, file_stem_for_ref};
use crate::pipeline::{self, review};

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

    let (from, to) = match review::load(&migration_args, &args.from, &args.to)? {
        review::Histories::Loaded(pair) => *pair,
        // Nothing to render: TO cannot be read the way its tool reads it.
        review::Histories::Refused(finding) => {
            let findings = vec![*finding];
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
        check: check::Options::default(),
        inspect: pipeline::narrow_options(config, &args.narrow),
        lint: lint.clone(),
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

    // The files that will run decide; the plan is shown as the plan's, for reference.
    lint_cmd::print_section(
        &format!(
            "New migrations ({} file(s) that will run)",
            done.migration_lint.len()
        ),
        &done.migration_lint,
        args.format,
    )?;
    lint_cmd::print_section(
        "The plan (diff.sql), for reference: its findings do not decide the exit status",
        std::slice::from_ref(&done.plan_lint),
        args.format,
    )?;
    // The release checks follow the lint report, in the same format (Markdown: a "Release
    // checks" section of the same comment).
    check_cmd::print(&done.check_findings, args.format)?;
    if args.format == ReportFormat::Human {
        let acknowledged = done.plan_lint.acknowledged.len()
            + done
                .migration_lint
                .iter()
                .map(|f| f.acknowledged.len())
                .sum::<usize>();
        if acknowledged > 0 {
            crate::status!("{acknowledged} finding(s) acknowledged with dbmigration:ignore");
        }
    }
    Ok(if done.fails(&lint) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}
