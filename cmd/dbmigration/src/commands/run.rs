//! `dbmigration run`: the whole review — both refs rendered concurrently on one scratch
//! server, diffed, the diff linted, and the release checks (`check`) on the same builds.

use crate::canonical;
use crate::check;
use crate::cli::{LintArgs, RunArgs};
use crate::commands::{ExitStatus, check as check_cmd, diff as diff_cmd, lint as lint_cmd};
use crate::example;
use crate::output::{self, Output, file_stem_for_ref};
use crate::pipeline;

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

    let options = check::Options::default();
    let (from, to) = match check_cmd::load(&migration_args, &args.from, &args.to)? {
        check_cmd::Histories::Loaded(pair) => *pair,
        // Nothing to render: TO cannot be read the way its tool reads it.
        check_cmd::Histories::Refused(finding) => {
            let findings = vec![*finding];
            check_cmd::print(&findings, args.format)?;
            return Ok(check_cmd::status(&findings));
        }
    };
    let cx = check::Context::new(&from, &to);
    let mut findings = cx.history_findings();

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
    let (from_label, to_label) = (
        from_file.display().to_string(),
        to_file.display().to_string(),
    );

    // The release checks build both refs anyway (concurrently, on one scratch server): their
    // fresh builds are the schemas rendered here. Production's version is the one the newer
    // ref's config names; the diff is planned and linted for the server's version.
    let database = pipeline::with_config_version(&args.database, to.pg_version.or(from.pg_version));
    let (from_hcl, to_hcl, plan, pg_version) =
        pipeline::runtime()?.block_on(pipeline::with_scratch(&database, async |scratch| {
            let pg_version = scratch.major_version();
            let built = check::run_database_checks(scratch, &cx, &options).await?;
            findings.extend(built.findings);
            let (from_hcl, to_hcl) = (hclgen::render(&built.from), hclgen::render(&built.to));
            // Diff what was written, so `run` gives exactly what `hcl` + `hcl` + `diff` would:
            // both sides in the server's form (see `canonical`).
            let from_model = hclgen::parse(&from_label, &from_hcl)?;
            let to_model = hclgen::parse(&to_label, &to_hcl)?;
            let as_written = pipeline::plan(&from_model, &to_model, pg_version)?;
            let plan = if as_written.is_empty() {
                as_written
            } else {
                let (f, t) = canonical::canonical_pair(
                    scratch,
                    &from_model,
                    &to_model,
                    &from_label,
                    &to_label,
                )
                .await?;
                pipeline::plan(&f, &t, pg_version)?
            };
            Ok((from_hcl, to_hcl, plan, pg_version))
        }))?;
    let sql = plan.to_sql(&diff_cmd::header(&from_label, &to_label));

    // All three or none: a fresh release.hcl next to a stale diff.sql would mislead.
    output::write_all(&[
        (Output::Chosen(from_file.clone()), from_hcl.as_str()),
        (Output::Chosen(to_file.clone()), to_hcl.as_str()),
        (Output::Chosen(diff_file.clone()), sql.as_str()),
    ])?;
    crate::status!(
        "wrote {} ({} migrations), {} ({} migrations), {} ({} statement(s))",
        from_file.display(),
        from.list.len(),
        to_file.display(),
        to.list.len(),
        diff_file.display(),
        plan.steps.len()
    );

    let lint_status = lint_cmd::run(&LintArgs {
        files: vec![diff_file],
        fix: false,
        output: None,
        format: args.format,
        schema: Some(from_file),
        // The scratch server's version is what the schemas were rendered with.
        pg_version: Some(pg_version),
        // diff.sql marks its own transaction boundaries; it is not wrapped in one.
        in_transaction: false,
    })?;
    // The release checks follow the lint report, in the same format (Markdown: a "Release
    // checks" section of the same comment).
    check_cmd::print(&findings, args.format)?;
    Ok(match (lint_status, check_cmd::status(&findings)) {
        (ExitStatus::Error, _) | (_, ExitStatus::Error) => ExitStatus::Error,
        (ExitStatus::Findings, _) | (_, ExitStatus::Findings) => ExitStatus::Findings,
        _ => ExitStatus::Clean,
    })
}
