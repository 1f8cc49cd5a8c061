//! The whole review (`dbmigration run`) composed from the pipeline's steps:
//!
//! ```text
//! load FROM, TO ─▶ history checks ─▶ scratch server: build both refs (the database checks)
//!              ─▶ render both ─▶ plan (in the server's form) ─▶ lint the files that will run
//!              ─▶ lint the plan, with their acknowledgements
//! ```
//!
//! Commands are thin leaves over this: `run` writes the files and prints the reports; the
//! summary report reads the same [`Review`].

use ::lint::LintedFile;
use hclgen::{Database, InspectOptions};

use crate::canonical;
use crate::check::{self, Finding};
use crate::cli::DatabaseArgs;
use crate::migration::Migration;
use crate::pipeline::linting::{self, LintOptions, Sequence};
use crate::pipeline::{self, Migrations};
use crate::scratch::Scratch;

/// Both histories, or the finding that stops TO from being read at all.
pub enum Histories {
    /// FROM and TO.
    Loaded(Box<(Migrations, Migrations)>),
    /// TO cannot be read the way the tool reads it (`duplicate-version`).
    Refused(Box<Finding>),
}

/// Reads FROM and TO. A TO history with two migrations of one version is a finding, not an
/// input error: it is what `check` is for.
/// Each history of one ref gets its partner at the other ([`check::pair_histories`]).
pub fn load(args: &crate::cli::MigrationArgs, from: &str, to: &str) -> miette::Result<Histories> {
    let mut from = pipeline::at_ref(args, from)?;
    match pipeline::at_ref(args, to) {
        Ok(mut to) => {
            check::pair_histories(&mut from, &mut to);
            Ok(Histories::Loaded(Box::new((from, to))))
        }
        Err(e) => match check::duplicate_version::from_error(&e) {
            Some(f) => Ok(Histories::Refused(Box::new(f))),
            None => Err(e),
        },
    }
}

/// What to review and how.
#[derive(Debug, Clone)]
pub struct ReviewRequest<'a> {
    /// FROM's and TO's names in the rendered files (`release.hcl`, `main.hcl`).
    pub from_label: &'a str,
    /// See `from_label`.
    pub to_label: &'a str,
    /// The plan's name in its header and in reports.
    pub plan_label: &'a str,
    /// The scratch server.
    pub database: &'a DatabaseArgs,
    /// The release checks' options.
    pub check: check::Options,
    /// Schemas and exclude globs of the rendered schemas (`--schema`, `--exclude`, `diff {}`).
    pub inspect: InspectOptions,
    /// How to lint.
    pub lint: LintOptions,
    /// Plan `diff.sql` plainly, in one transaction (`--unsafe-plan`), not online.
    pub unsafe_plan: bool,
}

/// Everything `run` found, for the reports.
#[derive(Debug)]
pub struct Review {
    /// FROM's schema, built fresh.
    pub from_schema: Database,
    /// TO's schema, built fresh.
    pub to_schema: Database,
    /// FROM's schema as HCL.
    pub from_hcl: String,
    /// TO's schema as HCL.
    pub to_hcl: String,
    /// The migration from FROM to TO.
    pub plan: diff::Plan,
    /// The plan as SQL (`diff.sql`).
    pub plan_sql: String,
    /// The server's major version: what was rendered, planned and linted for.
    pub pg_version: u32,
    /// The server's full version (`16.4`), for the report.
    pub postgres: String,
    /// The release checks' findings.
    pub check_findings: Vec<Finding>,
    /// The migrations that will run on FROM's database, in order (new ones and changed
    /// repeatables), as read at TO.
    pub new_migrations: Vec<Migration>,
    /// Lint of those files: what decides the review.
    pub migration_lint: Vec<LintedFile>,
    /// Lint of the plan, with the files' acknowledgements: shown for reference.
    pub plan_lint: LintedFile,
}

impl Review {
    /// Does the review fail: a release-check error, or a lint finding on the files that will
    /// run at or above the fail level? The plan's findings do not decide it: the plan is not
    /// what runs.
    pub fn fails(&self, lint: &LintOptions) -> bool {
        check::has_errors(&self.check_findings) || lint.fails(&self.migration_lint)
    }
}

/// The migrations that will run when TO is deployed on FROM's database: what the tool
/// applies, plus the new files it refuses to apply out of order (they are new all the same,
/// and `check` reports the order); history after history, in their order.
pub fn files_that_run<'a>(release: &check::Release<'a>) -> Vec<&'a Migration> {
    let mut files: Vec<&Migration> = Vec::new();
    for cx in &release.trees {
        let start = files.len();
        files.extend(cx.upgrade.apply.iter().copied());
        for m in &cx.upgrade.new {
            if !files[start..].iter().any(|f| std::ptr::eq(*f, *m)) {
                files.push(m);
            }
        }
    }
    files
}

/// Runs the review of `from` → `to`.
pub fn review(
    from: &Migrations,
    to: &Migrations,
    request: &ReviewRequest<'_>,
) -> miette::Result<Review> {
    let cx = check::Release::new(from, to);
    let mut check_findings = cx.history_findings();
    let (from_schema, to_schema, plan, pg_version, postgres) = pipeline::runtime()?.block_on(
        pipeline::with_scratch(request.database, async |scratch| {
            let pg_version = scratch.major_version();
            let postgres = pipeline::version_text(scratch.server_version_num());
            let phase = crate::ui::phase("building both schemas, release checks");
            let built = check::run_database_checks(scratch, &cx, &request.check).await?;
            phase.done();
            check_findings.extend(built.findings);
            let from_schema = linting_narrow(built.from, &request.inspect)?;
            let to_schema = linting_narrow(built.to, &request.inspect)?;
            let phase = crate::ui::phase("planning");
            let plan = plan(
                scratch,
                &from_schema,
                &to_schema,
                request.from_label,
                request.to_label,
                &pipeline::plan_settings(
                    pg_version,
                    request.unsafe_plan,
                    request.lint.lock_timeout.as_deref(),
                ),
            )
            .await?;
            phase.done();
            Ok((from_schema, to_schema, plan, pg_version, postgres))
        }),
    )?;
    let check_findings = check::without_ignored(check_findings, &request.check);
    let (from_hcl, to_hcl) = (hclgen::render(&from_schema), hclgen::render(&to_schema));
    let header = pipeline::diff_header(request.from_label, request.to_label);
    let plan_sql = plan.to_sql(&header);

    let phase = crate::ui::phase("linting");
    let base = request.lint.settings(pg_version, Some(&from_schema));
    let files = files_that_run(&cx);
    let migration_lint =
        linting::lint_migrations(&files, &base, Sequence::OneDeployment, &request.lint)?;
    let plan_lint = linting::lint_plan(
        request.plan_label,
        &plan_sql,
        &base,
        linting::acknowledgements(&migration_lint),
    );
    phase.done();
    Ok(Review {
        from_schema,
        to_schema,
        from_hcl,
        to_hcl,
        plan,
        plan_sql,
        pg_version,
        postgres,
        check_findings,
        new_migrations: files.into_iter().cloned().collect(),
        migration_lint,
        plan_lint,
    })
}

/// The rendered schema narrowed to `--schema` / `--exclude`.
fn linting_narrow(db: Database, opts: &InspectOptions) -> miette::Result<Database> {
    Ok(pipeline::operand::narrow(db, opts)?)
}

/// The plan from `from` to `to` as `hcl` + `hcl` + `diff` would give it: planned on the HCL
/// as written, and when that is not empty, again with both sides in the server's form (see
/// `canonical`).
pub async fn plan(
    scratch: &Scratch,
    from: &Database,
    to: &Database,
    from_label: &str,
    to_label: &str,
    settings: &diff::Settings,
) -> miette::Result<diff::Plan> {
    // Diff what is written, so `run` gives exactly what `hcl` + `hcl` + `diff` would.
    let from_model = hclgen::parse(from_label, &hclgen::render(from))?;
    let to_model = hclgen::parse(to_label, &hclgen::render(to))?;
    let as_written = pipeline::plan(&from_model, &to_model, settings)?;
    // Only a shared object's differing expression can compare differently in the server's
    // form; without one, building both schemas again cannot change the plan.
    if as_written.is_empty() || !diff::shared_expressions_differ(&from_model, &to_model) {
        return Ok(as_written);
    }
    let (f, t) =
        canonical::canonical_pair(scratch, &from_model, &to_model, from_label, to_label).await?;
    pipeline::plan(&f, &t, settings)
}
