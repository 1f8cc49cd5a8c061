//! The diff engine proven by PostgreSQL. For each case folder of `crates/diff/tests/cases`
//! (`from.sql`, `to.sql`, optional `check.sql`): build both schemas on a scratch cluster and
//! inspect them, apply `diff::plan(from, to)` to the FROM database, inspect it again and require
//! the TO model; the plan from there must be empty, and `check.sql` (assertions about data, e.g.
//! sequences continuing) must pass. Every case also rebuilds TO from an empty database.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};

use dbmigration::scratch::{Scratch, ScratchDatabase, ScratchOptions};
use diff::Plan;
use hclgen::{Database, InspectOptions, inspect};
use tokio_postgres::Client;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crates/diff/tests/cases");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("from.sql").exists() && p.join("to.sql").exists())
        .collect();
    dirs.sort();
    if let Ok(only) = std::env::var("DIFF_CASE") {
        dirs.retain(|d| d.ends_with(&only));
    }
    dirs
}

/// The inspected model, with columns in name order: PostgreSQL cannot reorder columns, so a
/// column dropped and added again (a changed generated column) comes last; that is the one
/// difference a plan may leave, and it is not a schema difference that matters.
async fn model(client: &Client) -> Database {
    sorted_columns(inspect(client, &InspectOptions::default()).await.unwrap())
}

fn sorted_columns(mut db: Database) -> Database {
    for t in &mut db.tables {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    db
}

/// A database built from `sql`, its model, and (with `DIFF_WRITE_HCL=1`) its HCL written to
/// `hcl` so that the engine's snapshot tests (`crates/diff/tests/cases.rs`) can read it.
async fn database(
    scratch: &Scratch,
    sql: &str,
    hcl: &Path,
) -> Result<(ScratchDatabase, Database), String> {
    let db = scratch.create_database().await.unwrap();
    db.client().batch_execute(sql).await.map_err(|e| {
        format!(
            "setup SQL failed: {}",
            dbmigration::scratch::driver_message(&e)
        )
    })?;
    let raw = inspect(db.client(), &InspectOptions::default())
        .await
        .unwrap();
    if std::env::var_os("DIFF_WRITE_HCL").is_some() {
        std::fs::write(hcl, hclgen::render(&raw)).unwrap();
    }
    Ok((db, sorted_columns(raw)))
}

/// Runs the plan: transactional steps in one transaction per run, the others on their own.
async fn apply(client: &Client, plan: &Plan) -> Result<(), String> {
    let mut in_tx = false;
    for (i, step) in plan.steps.iter().enumerate() {
        if step.transactional && !in_tx {
            client.batch_execute("BEGIN").await.unwrap();
            in_tx = true;
        }
        if !step.transactional && in_tx {
            client.batch_execute("COMMIT").await.unwrap();
            in_tx = false;
        }
        if let Err(e) = client.batch_execute(&step.sql).await {
            if in_tx {
                let _ = client.batch_execute("ROLLBACK").await;
            }
            return Err(format!(
                "step {} failed: {}\n-- {}\n{};",
                i + 1,
                dbmigration::scratch::driver_message(&e),
                step.comment,
                step.sql
            ));
        }
    }
    if in_tx {
        client.batch_execute("COMMIT").await.map_err(|e| {
            format!(
                "COMMIT failed: {}",
                dbmigration::scratch::driver_message(&e)
            )
        })?;
    }
    Ok(())
}

/// What differs between the inspected result and the target, for the failure message.
fn difference(got: &Database, want: &Database) -> String {
    let mut out = String::new();
    let remaining = diff::plan(got, want);
    if !remaining.is_empty() {
        out.push_str("plan from the result to the target is not empty:\n");
        for s in &remaining.steps {
            out.push_str(&format!("  -- {}\n  {};\n", s.comment, s.sql));
        }
    }
    macro_rules! lists {
        ($($field:ident),*) => {$(
            if got.$field != want.$field {
                for g in &got.$field {
                    if !want.$field.contains(g) {
                        out.push_str(&format!("  {} only in result: {g:?}\n", stringify!($field)));
                    }
                }
                for w in &want.$field {
                    if !got.$field.contains(w) {
                        out.push_str(&format!("  {} only in target: {w:?}\n", stringify!($field)));
                    }
                }
            }
        )*};
    }
    lists!(
        schemas, extensions, enums, domains, composites, ranges, sequences, tables, views,
        functions, triggers, policies
    );
    out
}

async fn run_case(scratch: &Scratch, dir: &Path, base: &Database) -> Result<(), String> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let (a, from) = database(scratch, &read("from.sql"), &dir.join("from.hcl")).await?;
    let (_b, to) = database(scratch, &read("to.sql"), &dir.join("to.hcl")).await?;

    let plan = diff::plan(&from, &to);
    apply(a.client(), &plan).await.map_err(|e| {
        format!(
            "applying the plan: {e}\n\nplan:\n{}",
            plan.to_sql(&Default::default())
        )
    })?;
    let got = model(a.client()).await;
    if got != to {
        return Err(format!(
            "the result differs from the target:\n{}\nplan:\n{}",
            difference(&got, &to),
            plan.to_sql(&Default::default())
        ));
    }
    if dir.join("check.sql").exists() {
        a.client()
            .batch_execute(&read("check.sql"))
            .await
            .map_err(|e| format!("check.sql: {}", dbmigration::scratch::driver_message(&e)))?;
    }

    // diff(empty, to) rebuilds `to`.
    let c = scratch.create_database().await.unwrap();
    let rebuild = diff::plan(base, &to);
    apply(c.client(), &rebuild)
        .await
        .map_err(|e| format!("rebuilding TO from empty: {e}"))?;
    let got = model(c.client()).await;
    if got != to {
        return Err(format!(
            "rebuilding TO from empty differs:\n{}",
            difference(&got, &to)
        ));
    }
    Ok(())
}

#[test]
fn plans_apply_and_reach_the_target() {
    rt().block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let empty = scratch.create_database().await.unwrap();
        let base = model(empty.client()).await;
        let mut failures = Vec::new();
        for dir in cases() {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            if let Err(e) = run_case(&scratch, &dir, &base).await {
                failures.push(format!("=== case {name}: {e}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    });
}
