//! `dbmigration diff [FROM TO]`: two HCL schemas → `diff.sql`; `--verify` proves it on a
//! scratch database.

use hclgen::{Database, InspectOptions};

use crate::canonical;
use crate::cli::DiffArgs;
use crate::commands::ExitStatus;
use crate::output::Output;
use crate::pipeline::{self, operand::Schema};
use crate::scratch::Scratch;

/// Runs `dbmigration diff`.
pub fn run(args: &DiffArgs) -> miette::Result<ExitStatus> {
    let from_arg = Schema::parse(&args.from.clone().unwrap_or_else(|| "release.hcl".into()))?;
    let to_arg = Schema::parse(&args.to.clone().unwrap_or_else(|| "main.hcl".into()))?;
    // Privileges and owners are compared when both sides were built the same way (two files
    // rendered from migrations, or two live databases); between a live database and a file,
    // production's hand-made grants would all read as changes, so they are left out.
    let mixed = from_arg.is_database() != to_arg.is_database();
    if mixed {
        crate::status!(
            "note: privileges and owners are not compared between a live database and a file"
        );
    }
    let narrow = InspectOptions {
        schemas: args.schemas.clone(),
        exclude: args.exclude.clone(),
        privileges: !args.access.no_privileges && !mixed,
        owners: !args.access.no_owners && !mixed,
    };
    let (from_label, to_label) = (from_arg.label(), to_arg.label());
    let (from, to) = if from_arg.is_database() && to_arg.is_database() {
        // Two live databases: inspect both at once, as the server does the work.
        let (from, to) = std::thread::scope(|s| {
            let from = s.spawn(|| from_arg.load(&narrow));
            (from.join(), to_arg.load(&narrow))
        });
        let from = from.map_err(|_| miette::miette!("inspecting {from_label} failed"))??;
        (from, to?)
    } else {
        // HCL files one after the other, so only one file's parse state is alive at a time
        // (measured before block-by-block parsing: 5,000 tables peaked at 590 MB in parallel,
        // 343 MB in sequence).
        (from_arg.load(&narrow)?, to_arg.load(&narrow)?)
    };
    let header = pipeline::diff_header(&from_label, &to_label);
    let pg_version = pipeline::requested_version(args.database.pg_version)?;
    let settings = pipeline::plan_settings(pg_version, args.unsafe_plan, None);
    let as_written = pipeline::plan(&from, &to, &settings)?;
    // Expressions are compared as the server prints them (see `canonical`), unless told not
    // to; only an object on both sides whose expression texts differ can compare differently
    // that way, so without one (equal schemas included) no server is needed.
    let needs_server = args.verify
        || (!as_written.is_empty()
            && !args.as_written
            && diff::shared_expressions_differ(&from, &to));
    let (plan, report) = if needs_server {
        let work = pipeline::runtime()?.block_on(pipeline::with_scratch(
            &args.database,
            async |scratch| {
                let (from, to) =
                    canonical::canonical_pair(scratch, &from, &to, &from_label, &to_label).await?;
                let plan = pipeline::plan(&from, &to, &settings)?;
                let report = if args.verify {
                    Some(verify(scratch, &from, &to, &plan, &header, &from_label).await?)
                } else {
                    None
                };
                Ok((plan, report))
            },
        ));
        match work {
            Ok(done) => done,
            Err(e) if !args.verify => {
                eprintln!(
                    "warning: expressions are compared as written: they could not be put in the server's form ({e})"
                );
                (as_written, None)
            }
            Err(e) => return Err(e),
        }
    } else {
        (as_written, None)
    };
    let sql = plan.to_sql(&header);
    let output = Output::from_arg(args.output.as_deref(), "diff.sql");
    output.write(&sql)?;
    let verified = match &report {
        Some(r) if !r.remaining.is_empty() => {
            eprint!("{}", r.describe(&to_label));
            return Ok(ExitStatus::Findings);
        }
        Some(r) => {
            for note in &r.notes {
                crate::status!("note: {note}");
            }
            ", verified"
        }
        None => "",
    };
    if output != Output::Stdout {
        let what = if plan.is_empty() {
            "no changes".to_owned()
        } else {
            format!("{} statement(s)", plan.steps.len())
        };
        crate::status!("wrote {} ({what}{verified})", output.describe());
    }
    Ok(ExitStatus::Clean)
}

/// What `--verify` found: the statements still needed after applying the diff, and notes
/// (column order) that are not failures.
#[derive(Debug)]
pub struct VerifyReport {
    /// The plan from the reached schema to the target; empty when the diff reached it.
    pub remaining: diff::Plan,
    /// Column order differences, one line per table.
    pub notes: Vec<String>,
}

impl VerifyReport {
    /// The failure report: each object that still differs and the statement still needed.
    pub fn describe(&self, to: &str) -> String {
        let mut out = format!(
            "verification failed: after applying the diff, {} object(s) still differ from {to}:\n",
            self.remaining.steps.len()
        );
        for step in &self.remaining.steps {
            out.push_str(&format!("  - {}\n", pgsql::single_line(&step.comment)));
            for line in pgsql::lines(&step.sql) {
                out.push_str(&format!("      {line}\n"));
            }
        }
        for note in &self.notes {
            out.push_str(&format!("note: {note}\n"));
        }
        out.push_str(
            "help: this is a bug in dbmigration's diff engine; please report it with both HCL files\n",
        );
        out
    }
}

/// Proof by PostgreSQL: build FROM from nothing (the plan that builds it is named in errors),
/// apply `plan`'s `diff.sql` text as it must run — as one multi-statement query (one
/// transaction, as written) when every step can share one, otherwise statement by statement
/// with its own `BEGIN … COMMIT` blocks and the steps outside them on their own (the online
/// plan) — inspect, compare with TO. `from` and `to` are in the server's form (see
/// `canonical`).
pub async fn verify(
    scratch: &Scratch,
    from: &Database,
    to: &Database,
    plan: &diff::Plan,
    header: &diff::Header,
    from_label: &str,
) -> miette::Result<VerifyReport> {
    let (db, _) = canonical::build(scratch, from, &format!("FROM ({from_label})")).await?;
    crate::apply::apply_sql(
        &db,
        "diff.sql",
        &plan.to_sql(header),
        plan.single_transaction(),
    )
    .await?;
    let reached = hclgen::inspect(db.client(), &InspectOptions::default()).await?;
    let remaining = diff::plan(&reached, to);
    let notes = column_order_notes(&reached, to);
    Ok(VerifyReport { remaining, notes })
}

/// Tables whose columns are in another order than the target's.
fn column_order_notes(reached: &Database, to: &Database) -> Vec<String> {
    let got: std::collections::HashMap<_, _> =
        reached.tables.iter().map(|t| (&t.name, t)).collect();
    to.tables
        .iter()
        .filter_map(|t| {
            let g = got.get(&t.name)?;
            let names = |t: &hclgen::Table| -> Vec<String> {
                t.columns.iter().map(|c| c.name.clone()).collect()
            };
            let (have, want) = (names(g), names(t));
            let (mut a, mut b) = (have.clone(), want.clone());
            a.sort();
            b.sort();
            (have != want && a == b).then(|| {
                let have: Vec<&str> = have.iter().map(String::as_str).collect();
                let want: Vec<&str> = want.iter().map(String::as_str).collect();
                diff::order_note(&t.name, &have, &want)
            })
        })
        .collect()
}
