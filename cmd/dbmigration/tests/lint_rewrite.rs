//! The NOT NULL rewrite of `dbmigration lint --fix`, applied on a real populated table on the
//! scratch PostgreSQL: the original migration fails or locks, the rewrite runs statement by
//! statement (as a no-transaction migration runner would) and leaves the columns NOT NULL,
//! backfilled, with no helper constraint left behind.
#![allow(clippy::unwrap_used, clippy::panic)]

use dbmigration::scratch::{Scratch, ScratchOptions};
use lint::{PLACEHOLDER, Settings};

const ROWS: i64 = 5_000;

const MIGRATION: &str = "\
ALTER TABLE orders ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN status text NOT NULL, ADD COLUMN note text;
ALTER TABLE orders ALTER COLUMN total SET NOT NULL;
";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn rewrite_runs_on_a_populated_table() {
    // Lint and rewrite.
    let linted = lint::lint("migration.sql", MIGRATION, &Settings::default());
    let rules: Vec<&str> = linted.violations.iter().map(|v| v.rule).collect();
    assert_eq!(
        rules
            .iter()
            .filter(|r| **r == "ban-unsafe-not-null")
            .count(),
        3,
        "{rules:?}"
    );
    let fixed = linted.fixed().unwrap();
    let relinted = lint::lint("migration.safe.sql", fixed.as_str(), &Settings::default());
    for v in &relinted.violations {
        assert!(
            !matches!(
                v.rule,
                "ban-unsafe-not-null" | "unanalysed-statement" | "require-lock-timeout"
            ),
            "{}: {}\n{fixed}",
            v.rule,
            v.message
        );
    }
    // The reviewer fills in the placeholder for `status` (no default was given).
    assert_eq!(fixed.matches(PLACEHOLDER).count(), 2, "{fixed}");
    let ready = fixed.replacen(PLACEHOLDER, "'new'", 1);

    rt().block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let db = scratch.create_database().await.unwrap();
        let client = db.client();
        client
            .batch_execute(&format!(
                "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total int);
                 INSERT INTO orders (total) SELECT g FROM generate_series(1, {ROWS}) g;"
            ))
            .await
            .unwrap();

        // The original statement really fails on a populated table.
        let err = client
            .batch_execute("ALTER TABLE orders ADD COLUMN status text NOT NULL")
            .await
            .unwrap_err();
        assert!(dbmigration::scratch::driver_message(&err).contains("contains null values"));

        // The rewrite, one statement at a time (the backfill commits per batch).
        for span in lint::split_statements(&ready) {
            let stmt = span.text(&ready);
            if let Err(e) = client.batch_execute(stmt).await {
                panic!("{stmt}\nfailed: {}", dbmigration::scratch::driver_message(&e));
            }
        }

        let nullable: Vec<(String, String)> = client
            .query(
                "SELECT column_name::text, is_nullable::text FROM information_schema.columns
                 WHERE table_name = 'orders' ORDER BY ordinal_position",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let expect = [("id", "NO"), ("total", "NO"), ("token", "NO"), ("status", "NO"), ("note", "YES")];
        let expect: Vec<(String, String)> = expect.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(nullable, expect);

        let row = client
            .query_one(
                "SELECT count(*), count(DISTINCT token), count(*) FILTER (WHERE status = 'new')
                 FROM orders",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, i64>(0), ROWS);
        assert_eq!(row.get::<_, i64>(1), ROWS, "a volatile default gives every row its own value");
        assert_eq!(row.get::<_, i64>(2), ROWS);

        // The helper checks are gone, and new rows get the default.
        let checks = client
            .query_one(
                "SELECT count(*) FROM pg_constraint WHERE conrelid = 'orders'::regclass AND contype = 'c'",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(checks.get::<_, i64>(0), 0);
        client
            .batch_execute("INSERT INTO orders (total, status) VALUES (1, 'x')")
            .await
            .unwrap();
        drop(db);
        scratch.shutdown().await.unwrap();
    });
}
