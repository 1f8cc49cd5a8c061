//! The diff engine proven by PostgreSQL. For each case folder of `crates/diff/tests/cases`
//! (`from.sql`, `to.sql`, optional `check.sql`): build both schemas on a scratch cluster and
//! inspect them, apply `diff::plan(from, to)` to the FROM database, inspect it again and require
//! the TO model; the plan from there must be empty, and `check.sql` (assertions about data, e.g.
//! sequences continuing) must pass; then the same for the online plan (`diff.sql`'s default) on
//! another copy of FROM with FROM's rows, applied as `--verify` applies it. Every case also
//! rebuilds TO from an empty database.
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

/// The case folders: the project's own, or those of `DIFF_CASES_DIR` (e.g. peers' fixture
/// suites turned into case folders by `scripts/peer-fixtures.py`).
fn cases() -> Vec<PathBuf> {
    let root = match std::env::var_os("DIFF_CASES_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crates/diff/tests/cases"),
    };
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

/// A database built from `sql`, and its model in the server's canonical form (built again
/// from our own DDL and read back, as `dbmigration diff` compares schemas), with columns in
/// name order; with `DIFF_WRITE_HCL=1` that model's HCL is written to `hcl` so that the
/// engine's snapshot tests (`crates/diff/tests/cases.rs`) can read it.
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
    let model = canonical(scratch, &raw).await?;
    if std::env::var_os("DIFF_WRITE_HCL").is_some() {
        std::fs::write(hcl, hclgen::render(&model)).unwrap();
    }
    Ok((db, sorted_columns(model)))
}

/// `model` in the server's canonical form.
async fn canonical(scratch: &Scratch, model: &Database) -> Result<Database, String> {
    dbmigration::canonical::canonical(scratch, model, "the schema")
        .await
        .map_err(|e| format!("canonical form: {e:?}"))
}

/// The model of a database the plan was applied to, in canonical form (its untouched objects
/// still hold the text of the case's own SQL).
async fn reached(scratch: &Scratch, client: &Client) -> Result<Database, String> {
    let raw = inspect(client, &InspectOptions::default()).await.unwrap();
    Ok(sorted_columns(canonical(scratch, &raw).await?))
}

/// Runs the plan as `psql -1 -f diff.sql` does: every step in one transaction (step by step,
/// to name the one that fails), and then checks that the file text itself also runs as one
/// multi-statement query, the way migration tools send a file.
async fn apply(client: &Client, plan: &Plan) -> Result<(), String> {
    let file = plan.to_sql(&Default::default());
    client.batch_execute("BEGIN").await.unwrap();
    for (i, step) in plan.steps.iter().enumerate() {
        if let Err(e) = client.batch_execute(&step.sql).await {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(format!(
                "step {} failed: {}\n-- {}\n{};",
                i + 1,
                dbmigration::scratch::driver_message(&e),
                step.comment,
                step.sql
            ));
        }
    }
    // Rolled back, then the file text as one query (one implicit transaction), for real.
    client.batch_execute("ROLLBACK").await.unwrap();
    client.batch_execute(&file).await.map_err(|e| {
        format!(
            "the plan as one multi-statement query failed: {}",
            dbmigration::scratch::driver_message(&e)
        )
    })
}

/// Applies the plan's `diff.sql` text as `--verify` does: as one multi-statement query when
/// it is one transaction, otherwise statement by statement (its own `BEGIN … COMMIT` blocks,
/// the steps outside them on their own).
async fn apply_as_written(db: &ScratchDatabase, plan: &Plan) -> Result<(), String> {
    let file = plan.to_sql(&Default::default());
    dbmigration::apply::apply_sql(db, "diff.sql", &file, plan.single_transaction())
        .await
        .map_err(|e| format!("{:?}\n\nplan:\n{file}", miette::Report::new(e)))
}

/// The database `db` the plan was applied to is the target, and `check.sql` holds on it.
async fn reaches(
    scratch: &Scratch,
    db: &ScratchDatabase,
    to: &Database,
    plan: &Plan,
    dir: &Path,
) -> Result<(), String> {
    // No spurious change may survive: the second diff, after applying the first, is empty.
    let got = reached(scratch, db.client()).await?;
    if &got != to {
        return Err(format!(
            "the result differs from the target:\n{}\nplan:\n{}",
            difference(&got, to),
            plan.to_sql(&Default::default())
        ));
    }
    if let Ok(check) = std::fs::read_to_string(dir.join("check.sql")) {
        db.client()
            .batch_execute(&check)
            .await
            .map_err(|e| format!("check.sql: {}", dbmigration::scratch::driver_message(&e)))?;
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
        schemas,
        extensions,
        enums,
        domains,
        composites,
        ranges,
        sequences,
        tables,
        views,
        functions,
        triggers,
        policies,
        collations,
        permissions,
        owners,
        default_permissions
    );
    out
}

async fn run_case(scratch: &Scratch, dir: &Path, base: &Database) -> Result<(), String> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let (a, from) = database(scratch, &read("from.sql"), &dir.join("from.hcl")).await?;
    let (_b, to) = database(scratch, &read("to.sql"), &dir.join("to.hcl")).await?;

    // Planned for the server's version: 17+ changes generated expressions in place. The plain
    // plan (`--unsafe-plan`) first, in one transaction.
    let plain = diff::Settings {
        pg_version: scratch.major_version(),
        online: None,
    };
    let plan = diff::plan_for(&from, &to, &plain).map_err(|e| e.to_string())?;
    apply(a.client(), &plan).await.map_err(|e| {
        format!(
            "applying the plan: {e}\n\nplan:\n{}",
            plan.to_sql(&Default::default())
        )
    })?;
    reaches(scratch, &a, &to, &plan, dir).await?;

    // The online plan (`diff.sql`'s default) on another copy of FROM, with FROM's rows, run as
    // `--verify` runs it: its own transaction blocks, the steps outside them on their own.
    let online = diff::Settings {
        online: Some(diff::Online::default()),
        ..plain
    };
    let plan = diff::plan_for(&from, &to, &online).map_err(|e| e.to_string())?;
    let populated = scratch.create_database().await.unwrap();
    populated
        .client()
        .batch_execute(&read("from.sql"))
        .await
        .unwrap();
    apply_as_written(&populated, &plan)
        .await
        .map_err(|e| format!("online plan: {e}"))?;
    reaches(scratch, &populated, &to, &plan, dir)
        .await
        .map_err(|e| format!("online plan: {e}"))?;

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
        let (mut passed, mut setup_failed) = (0, 0);
        let major = scratch.major_version();
        let all = cases();
        for dir in &all {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            // A case whose SQL needs a newer server names that major version in `since`.
            if let Ok(since) = std::fs::read_to_string(dir.join("since"))
                && major < since.trim().parse::<u32>().unwrap()
            {
                setup_failed += 1;
                println!(
                    "skip {name}: needs PostgreSQL {}, this is {major}",
                    since.trim()
                );
                continue;
            }
            match run_case(&scratch, dir, &base).await {
                Ok(()) => passed += 1,
                // A peer's case our server cannot even build (another version, an extension).
                Err(e) if e.starts_with("setup SQL failed") => {
                    setup_failed += 1;
                    println!("skip {name}: {e}");
                }
                Err(e) => {
                    println!("FAIL {name}");
                    failures.push(format!("=== case {name}: {e}"));
                }
            }
        }
        println!(
            "{passed} passed, {} failed, {setup_failed} not buildable, of {} case(s)",
            failures.len(),
            all.len()
        );
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    });
}

mod random {
    //! Random schema pairs as SQL: tables with typed columns, primary keys, foreign keys,
    //! indexes, uniques, checks, an enum and views, all over one small name space so that two
    //! random schemas share most names and differ in types, keys and membership.
    use proptest::prelude::*;

    const TYPES: &[&str] = &[
        "integer",
        "bigint",
        "text",
        "varchar(20)",
        "boolean",
        "numeric(10,2)",
        "mood",
        "mood[]",
        "timestamptz",
    ];

    #[derive(Debug, Clone)]
    pub struct Table {
        cols: Vec<(usize, bool, bool)>, // type, nullable, default
        fk: Option<usize>,
        index: Option<usize>,
        unique: Option<usize>,
        check: bool,
    }

    #[derive(Debug, Clone)]
    pub struct Schema {
        labels: Vec<usize>,
        tables: Vec<Option<Table>>,
        views: Vec<(usize, usize)>,
    }

    fn table() -> impl Strategy<Value = Table> {
        (
            prop::collection::vec((0..TYPES.len(), any::<bool>(), any::<bool>()), 0..4),
            prop::option::of(0..4usize),
            prop::option::of(0..4usize),
            prop::option::of(0..4usize),
            any::<bool>(),
        )
            .prop_map(|(cols, fk, index, unique, check)| Table {
                cols,
                fk,
                index,
                unique,
                check,
            })
    }

    pub fn schema() -> impl Strategy<Value = Schema> {
        (
            prop::sample::subsequence(vec![0usize, 1, 2, 3], 1..4),
            prop::collection::vec(prop::option::of(table()), 4),
            prop::collection::vec((0..4usize, 0..4usize), 0..3),
        )
            .prop_map(|(labels, tables, views)| Schema {
                labels,
                tables,
                views,
            })
    }

    fn default_for(ty: &str) -> Option<&'static str> {
        match ty {
            "integer" | "bigint" | "numeric(10,2)" => Some("0"),
            "text" | "varchar(20)" => Some("'x'"),
            "boolean" => Some("false"),
            "timestamptz" => Some("now()"),
            _ => None,
        }
    }

    pub fn sql(s: &Schema) -> String {
        const LABELS: &[&str] = &["a", "b", "c", "d"];
        let labels: Vec<String> = s
            .labels
            .iter()
            .map(|l| format!("'{}'", LABELS[*l]))
            .collect();
        let mut out = format!("CREATE TYPE mood AS ENUM ({});\n", labels.join(", "));
        // Tables first, then foreign keys (they may point forward).
        let mut fks = String::new();
        for (i, t) in s.tables.iter().enumerate() {
            let Some(t) = t else { continue };
            let mut items = vec!["id integer PRIMARY KEY".to_owned()];
            for (j, (ty, nullable, default)) in t.cols.iter().enumerate() {
                let ty = TYPES[*ty];
                let mut c = format!("c{j} {ty}");
                if *default && let Some(d) = default_for(ty) {
                    c.push_str(&format!(" DEFAULT {d}"));
                }
                if !nullable {
                    c.push_str(" NOT NULL");
                }
                items.push(c);
            }
            if let Some(target) = t.fk
                && s.tables[target].is_some()
            {
                items.push(format!("ref_{target} integer"));
                fks.push_str(&format!(
                    "ALTER TABLE t{i} ADD CONSTRAINT t{i}_ref_{target}_fkey FOREIGN KEY (ref_{target}) REFERENCES t{target} (id);\n"
                ));
            }
            if t.check {
                items.push(format!("CONSTRAINT t{i}_id_check CHECK (id > 0)"));
            }
            out.push_str(&format!("CREATE TABLE t{i} ({});\n", items.join(", ")));
            let indexable = |c: usize| c < t.cols.len() && !TYPES[t.cols[c].0].ends_with("[]");
            if let Some(c) = t.index.filter(|c| indexable(*c)) {
                out.push_str(&format!("CREATE INDEX t{i}_c{c}_idx ON t{i} (c{c});\n"));
            }
            if let Some(c) = t.unique.filter(|c| indexable(*c)) {
                out.push_str(&format!(
                    "ALTER TABLE t{i} ADD CONSTRAINT t{i}_c{c}_key UNIQUE (c{c});\n"
                ));
            }
        }
        out.push_str(&fks);
        for (v, (t, c)) in s.views.iter().enumerate() {
            if let Some(Some(table)) = s.tables.get(*t) {
                let col = if *c < table.cols.len() {
                    format!(", c{c}")
                } else {
                    String::new()
                };
                out.push_str(&format!("CREATE VIEW v{v} AS SELECT id{col} FROM t{t};\n"));
            }
        }
        out
    }
}

#[test]
fn random_schema_pairs_apply_and_reach_the_target() {
    use proptest::test_runner::{Config, TestCaseError, TestRunner};
    let rt = rt();
    let scratch = rt
        .block_on(Scratch::start(&ScratchOptions::default()))
        .unwrap();
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(24);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (random::schema(), random::schema());
    runner
        .run(&strategy, |(a, b)| {
            let (from_sql, to_sql) = (random::sql(&a), random::sql(&b));
            rt.block_on(async {
                let none = Path::new("/nonexistent");
                let (db, from) = database(&scratch, &from_sql, none)
                    .await
                    .map_err(TestCaseError::fail)?;
                let (_other, to) = database(&scratch, &to_sql, none)
                    .await
                    .map_err(TestCaseError::fail)?;
                let plan = diff::plan(&from, &to);
                apply(db.client(), &plan).await.map_err(|e| {
                    TestCaseError::fail(format!("{e}\nfrom:\n{from_sql}\nto:\n{to_sql}"))
                })?;
                let got = reached(&scratch, db.client())
                    .await
                    .map_err(TestCaseError::fail)?;
                if got != to {
                    return Err(TestCaseError::fail(format!(
                        "result differs:\n{}\nfrom:\n{from_sql}\nto:\n{to_sql}\nplan:\n{}",
                        difference(&got, &to),
                        plan.to_sql(&Default::default())
                    )));
                }
                // The online plan too, on another copy of FROM.
                let online = diff::plan_for(&from, &to, &diff::Settings::default()).unwrap();
                let copy = scratch.create_database().await.unwrap();
                copy.client().batch_execute(&from_sql).await.unwrap();
                apply_as_written(&copy, &online).await.map_err(|e| {
                    TestCaseError::fail(format!("online: {e}\nfrom:\n{from_sql}\nto:\n{to_sql}"))
                })?;
                let got = reached(&scratch, copy.client())
                    .await
                    .map_err(TestCaseError::fail)?;
                if got != to {
                    return Err(TestCaseError::fail(format!(
                        "online result differs:\n{}\nfrom:\n{from_sql}\nto:\n{to_sql}\nplan:\n{}",
                        difference(&got, &to),
                        online.to_sql(&Default::default())
                    )));
                }
                Ok(())
            })
        })
        .unwrap();
}
