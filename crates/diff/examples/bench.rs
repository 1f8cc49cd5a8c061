//! Times `diff::plan` on pairs of large generated models (the shape of
//! `shared/tools/gen_schema.py`: 10 columns, a primary key, 2 indexes, 1 foreign key and 1 check
//! per table; about 5 % of the tables changed). Run with
//! `cargo run --release -p diff --example bench [TABLES...]`, or with two `.hcl` files to time
//! parsing them plus the plan (what `dbmigration diff` does).
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use hclgen::*;

fn col(name: &str, ty: &str, nullable: bool, default: Option<&str>) -> Column {
    Column {
        name: name.into(),
        ty: Type::Sql(ty.into()),
        nullable,
        default: default.map(Into::into),
        ..Default::default()
    }
}

fn index(table: &str, name: &str, cols: &[&str], unique: bool) -> Index {
    Index {
        name: format!("{table}_{name}"),
        unique,
        method: "btree".into(),
        parts: cols
            .iter()
            .map(|c| IndexPart {
                key: IndexKey::Column((*c).into()),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

fn table(i: usize) -> Table {
    let name = format!("t{i:05}");
    let q = |n: &str| QualifiedName::new("public", n);
    Table {
        name: q(&name),
        columns: vec![
            col("id", "bigint", false, None),
            col("ref_id", "bigint", true, None),
            col("name", "text", false, None),
            col("code", "character varying(32)", true, None),
            col("qty", "integer", false, Some("0")),
            col("amount", "numeric(12,2)", true, None),
            col("active", "boolean", false, Some("true")),
            col(
                "created_at",
                "timestamp with time zone",
                false,
                Some("now()"),
            ),
            col("payload", "jsonb", true, None),
            col("ext_id", "uuid", true, None),
        ],
        primary_key: Some(PrimaryKey {
            name: format!("{name}_pkey"),
            columns: vec!["id".into()],
            ..Default::default()
        }),
        foreign_keys: vec![ForeignKey {
            name: format!("{name}_ref_id_fkey"),
            columns: vec!["ref_id".into()],
            ref_table: q(&format!("t{:05}", i / 2)),
            ref_columns: vec!["id".into()],
            ..Default::default()
        }],
        indexes: vec![
            index(&name, "name_idx", &["name"], false),
            index(&name, "created_idx", &["created_at"], false),
        ],
        checks: vec![Check {
            name: format!("{name}_qty_check"),
            expr: "(qty >= 0)".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// The "to" side: every 20th table changed one of six ways (as gen_schema.py does).
fn change(mut t: Table, i: usize) -> Table {
    let name = t.name.name.clone();
    match (i / 20) % 6 {
        0 => t.columns.push(col("extra", "text", true, None)),
        1 => t.columns.retain(|c| c.name != "payload"),
        2 => t.columns[4].ty = Type::Sql("bigint".into()),
        3 => t.columns[3].nullable = false,
        4 => t.indexes.push(index(&name, "code_idx", &["code"], false)),
        _ => t.indexes.retain(|x| !x.name.ends_with("created_idx")),
    }
    t
}

fn models(n: usize) -> (Database, Database) {
    let schemas = vec![Schema {
        name: "public".into(),
        comment: None,
    }];
    let mut from = Database {
        schemas: schemas.clone(),
        tables: (0..n).map(table).collect(),
        ..Default::default()
    };
    let mut to = Database {
        schemas,
        tables: (0..n)
            .map(|i| {
                if i % 20 == 0 {
                    change(table(i), i)
                } else {
                    table(i)
                }
            })
            .collect(),
        ..Default::default()
    };
    from.normalize();
    to.normalize();
    (from, to)
}

/// `bench FROM.hcl TO.hcl`: parse both files and plan, as `dbmigration diff` does.
fn files(from: &str, to: &str) {
    let read = |p: &str| std::fs::read_to_string(p).unwrap();
    let (a, b) = (read(from), read(to));
    let mut best = [f64::MAX; 3];
    let mut steps = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let (x, y) = (
            hclgen::parse(from, &a).unwrap(),
            hclgen::parse(to, &b).unwrap(),
        );
        let parsed = start.elapsed().as_secs_f64();
        let plan = diff::plan(&x, &y);
        let planned = start.elapsed().as_secs_f64();
        let sql = plan.to_sql(&diff::Header::default());
        let total = start.elapsed().as_secs_f64();
        steps = plan.steps.len();
        assert!(!sql.is_empty());
        best[0] = best[0].min(parsed);
        best[1] = best[1].min(planned - parsed);
        best[2] = best[2].min(total);
    }
    println!("| files | steps | parse both | plan | total (parse + plan + diff.sql text) |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| {from} → {to} | {steps} | {:.0} ms | {:.1} ms | {:.0} ms |",
        best[0] * 1e3,
        best[1] * 1e3,
        best[2] * 1e3
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() == 2 && args.iter().all(|a| a.ends_with(".hcl")) {
        files(&args[0], &args[1]);
        return;
    }
    let sizes: Vec<usize> = args.iter().map(|a| a.parse().unwrap()).collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 5_000, 20_000]
    } else {
        sizes
    };
    println!(
        "| tables | changes | compare | plan (compare + order + SQL) | plan from empty (create all) |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for n in sizes {
        let (from, to) = models(n);
        let best = |f: &dyn Fn() -> usize| {
            let mut best = f64::MAX;
            let mut out = 0;
            for _ in 0..5 {
                let start = Instant::now();
                out = f();
                best = best.min(start.elapsed().as_secs_f64());
            }
            (best, out)
        };
        let (t_compare, _) = best(&|| diff::compare(&from, &to).len());
        let (t_plan, steps) = best(&|| diff::plan(&from, &to).steps.len());
        let empty = Database::default();
        let (t_create, _) = best(&|| diff::plan(&empty, &to).steps.len());
        println!(
            "| {n} | {steps} | {:.1} ms | {:.1} ms | {:.1} ms |",
            t_compare * 1e3,
            t_plan * 1e3,
            t_create * 1e3
        );
    }
}
