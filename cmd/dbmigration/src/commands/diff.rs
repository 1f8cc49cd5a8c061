//! `dbmigration diff [FROM TO]`: two HCL schemas → `diff.sql`; `--verify` proves it on a
//! scratch database.

use std::path::{Path, PathBuf};

use hclgen::{Database, InspectOptions};
use miette::Diagnostic;
use thiserror::Error;

use crate::canonical;
use crate::cli::DiffArgs;
use crate::commands::ExitStatus;
use crate::output::Output;
use crate::pipeline;
use crate::scratch::Scratch;

/// An input schema file could not be read.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot read {}", path.display())]
#[diagnostic(
    code(dbmigration::diff::read),
    help(
        "render it first (`dbmigration hcl <REF>`), or pass the two files: `dbmigration diff FROM.hcl TO.hcl`"
    )
)]
struct ReadError {
    path: PathBuf,
    #[source]
    source: std::io::Error,
}

/// Reads and parses one HCL schema file.
pub fn read_schema(path: &Path) -> miette::Result<Database> {
    let text = std::fs::read_to_string(path).map_err(|source| ReadError {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(hclgen::parse(&path.display().to_string(), &text)?)
}

/// A `diff` operand: an HCL file, or a live database (`postgres://…` or libpq `key=value`),
/// which is inspected read-only like `dbmigration inspect`.
fn is_database(arg: &Path) -> bool {
    let s = arg.to_string_lossy();
    s.starts_with("postgres://")
        || s.starts_with("postgresql://")
        || (s.contains('=') && !arg.exists())
}

/// Loads one operand; a database operand gets its own small runtime, so two of them can be
/// inspected on two threads.
fn load(arg: &Path) -> miette::Result<Database> {
    if is_database(arg) {
        let url = arg.to_string_lossy();
        pipeline::runtime()?.block_on(crate::commands::inspect::inspect_url(
            &url,
            &InspectOptions::default(),
        ))
    } else {
        read_schema(arg)
    }
}

/// How an operand is named in the diff header: the path, or the database without credentials.
fn label(arg: &Path) -> String {
    if is_database(arg) {
        crate::commands::inspect::describe_url(&arg.to_string_lossy())
    } else {
        arg.display().to_string()
    }
}

/// The header of a diff between two named schemas.
pub fn header(from: &str, to: &str) -> diff::Header {
    diff::Header {
        from: from.to_owned(),
        to: to.to_owned(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// Runs `dbmigration diff`.
pub fn run(args: &DiffArgs) -> miette::Result<ExitStatus> {
    let from_path = args.from.clone().unwrap_or_else(|| "release.hcl".into());
    let to_path = args.to.clone().unwrap_or_else(|| "main.hcl".into());
    let (from, to) = if is_database(&from_path) && is_database(&to_path) {
        // Two live databases: inspect both at once, as the server does the work.
        let (from, to) = std::thread::scope(|s| {
            let from = s.spawn(|| load(&from_path));
            (from.join(), load(&to_path))
        });
        let from =
            from.map_err(|_| miette::miette!("inspecting {} failed", label(&from_path)))??;
        (from, to?)
    } else {
        // HCL files one after the other, so only one file's parse state is alive at a time
        // (measured before block-by-block parsing: 5,000 tables peaked at 590 MB in parallel,
        // 343 MB in sequence).
        (load(&from_path)?, load(&to_path)?)
    };
    let (from_label, to_label) = (label(&from_path), label(&to_path));
    let header = header(&from_label, &to_label);
    let pg_version = pipeline::requested_version(args.database.pg_version)?;
    let as_written = pipeline::plan(&from, &to, pg_version)?;
    // Schemas that are equal as written need no server; otherwise expressions are compared
    // as the server prints them (see `canonical`), unless told not to.
    let needs_server = args.verify || (!as_written.is_empty() && !args.as_written);
    let (plan, report) = if needs_server {
        let work = pipeline::runtime()?.block_on(pipeline::with_scratch(
            &args.database,
            async |scratch| {
                let (from, to) =
                    canonical::canonical_pair(scratch, &from, &to, &from_label, &to_label).await?;
                let plan = pipeline::plan(&from, &to, pg_version)?;
                let report = if args.verify {
                    Some(verify(scratch, &from, &to, &plan.to_sql(&header), &from_label).await?)
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
/// apply `diff_sql` as one multi-statement query (one transaction, as written), inspect,
/// compare with TO. `from` and `to` are in the server's form (see `canonical`).
pub async fn verify(
    scratch: &Scratch,
    from: &Database,
    to: &Database,
    diff_sql: &str,
    from_label: &str,
) -> miette::Result<VerifyReport> {
    let (db, _) = canonical::build(scratch, from, &format!("FROM ({from_label})")).await?;
    crate::apply::apply_sql(&db, "diff.sql", diff_sql, true).await?;
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
