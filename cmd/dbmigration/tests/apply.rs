//! Applying migrations to a real scratch database: order, transactions, statements that
//! need autocommit, and errors mapped back to file line and column.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

use dbmigration::apply::{ApplyError, apply, apply_sql};
use dbmigration::migration::Migration;
use dbmigration::scratch::{Scratch, ScratchDatabase, ScratchOptions};

fn migration(path: &str, source: &str) -> Migration {
    Migration {
        version: path.split('_').next().unwrap().to_owned(),
        name: path.to_owned(),
        path: PathBuf::from("db/migrations").join(path),
        source: source.to_owned(),
        up: 0..source.len(),
        down: None,
        transactional: true,
    }
}

/// Runs `f` with a fresh database on a private cluster, then shuts it down.
fn with_db<F>(f: F)
where
    F: AsyncFnOnce(&ScratchDatabase),
{
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let db = scratch.create_database().await.unwrap();
        f(&db).await;
        drop(db);
        scratch.shutdown().await.unwrap();
    });
}

async fn tables(db: &ScratchDatabase) -> Vec<String> {
    db.client()
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn failed(err: ApplyError) -> Box<dbmigration::apply::MigrationFailed> {
    match err {
        ApplyError::Failed(f) => f,
        other => panic!("expected a migration failure, got {other:?}"),
    }
}

#[test]
fn applies_in_order() {
    with_db(async |db| {
        let ms = [
            migration(
                "001_users.up.sql",
                "CREATE TABLE users (id int PRIMARY KEY);\n",
            ),
            migration(
                "002_fn.up.sql",
                "CREATE FUNCTION one() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\
                 CREATE TABLE orders (id int, user_id int REFERENCES users);\n",
            ),
        ];
        apply(db, &ms, true).await.unwrap();
        assert_eq!(tables(db).await, ["orders", "users"]);
    });
}

#[test]
fn failing_migration_points_at_line_and_column_and_rolls_back() {
    with_db(async |db| {
        // A dbmate-style file: the up section starts after a header, so positions must be
        // shifted by the section's offset in the file.
        let source = "-- migrate:up\nCREATE TABLE a (id int);\nCREATE TABLE b (\n  id int,\n  x intgr\n);\n\n-- migrate:down\nDROP TABLE b;\n";
        let up_start = source.find("CREATE").unwrap();
        let up_end = source.find("-- migrate:down").unwrap();
        let mut m = migration("20240101_b.sql", source);
        m.up = up_start..up_end;
        let err = failed(apply(db, &[m], false).await.unwrap_err());
        assert_eq!(err.sqlstate, "42704");
        assert_eq!(err.message, "type \"intgr\" does not exist");
        assert_eq!((err.line, err.column), (5, 5));
        assert_eq!(
            &source[err.span.offset()..err.span.offset() + err.span.len()],
            "intgr"
        );
        // The whole migration was one transaction: `a` is not there either.
        assert!(tables(db).await.is_empty());
    });
}

#[test]
fn error_report_renders_with_code_detail_and_hint() {
    with_db(async |db| {
        let source = "CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (1);\n";
        let err = apply(db, &[migration("003_dupe.up.sql", source)], false)
            .await
            .unwrap_err();
        let f = match &err {
            ApplyError::Failed(f) => f,
            other => panic!("{other:?}"),
        };
        // No position from the server: the failing statement is located and labelled.
        assert_eq!(f.sqlstate, "23505");
        assert_eq!((f.line, f.column), (3, 1));
        assert!(f.detail.as_deref().unwrap().contains("already exists"));
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .render_report(&mut out, &err)
            .unwrap();
        assert!(out.contains("postgres::23505"), "{out}");
        assert!(out.contains("db/migrations/003_dupe.up.sql:3:1"), "{out}");
        assert!(
            out.contains("detail: Key (id)=(1) already exists."),
            "{out}"
        );
    });
}

#[test]
fn concurrently_runs_outside_a_transaction() {
    with_db(async |db| {
        let ms = [
            migration("001_t.up.sql", "CREATE TABLE t (a int, b int);\n"),
            migration(
                "002_idx.up.sql",
                "-- needs autocommit\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nCREATE UNIQUE INDEX CONCURRENTLY t_b ON t (b);\n",
            ),
        ];
        apply(db, &ms, false).await.unwrap();
        let n: i64 = db
            .client()
            .query_one("SELECT count(*) FROM pg_indexes WHERE tablename = 't'", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 2);
    });
}

#[test]
fn error_in_autocommit_statement_maps_through_its_offset() {
    with_db(async |db| {
        let source = "CREATE TABLE t (a int);\n\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nSELECT a,\n  nope FROM t;\n";
        let err = failed(
            apply(db, &[migration("004_idx.up.sql", source)], false)
                .await
                .unwrap_err(),
        );
        assert_eq!(err.sqlstate, "42703");
        assert_eq!((err.line, err.column), (5, 3));
        // Autocommit: the first statement stays applied.
        assert_eq!(tables(db).await, ["t"]);
    });
}

#[test]
fn apply_sql_for_a_plain_script() {
    with_db(async |db| {
        apply_sql(
            db,
            "diff.sql",
            "CREATE TABLE x (id int);\nVACUUM x;\n",
            true,
        )
        .await
        .unwrap();
        let err = failed(
            apply_sql(
                db,
                "diff.sql",
                "ALTER TABLE x\n  ADD COLUMN y int,\n  ADD COLUMN y int;",
                true,
            )
            .await
            .unwrap_err(),
        );
        assert_eq!(err.path, "diff.sql");
        assert_eq!(err.sqlstate, "42701");
    });
}

#[test]
fn error_inside_a_function_body_points_into_the_body() {
    with_db(async |db| {
        let source = "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  retrun 1;\nEND\n$$;\n";
        let err = failed(
            apply(db, &[migration("005_fn.up.sql", source)], false)
                .await
                .unwrap_err(),
        );
        assert_eq!(err.sqlstate, "42601");
        assert_eq!((err.line, err.column), (3, 3));
    });
}

#[test]
fn non_transactional_migration_runs_statement_by_statement() {
    with_db(async |db| {
        let mut m = migration(
            "006_enum.up.sql",
            "CREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'happy';\nCREATE TABLE t (m mood DEFAULT 'happy');\nSELECT 1/0;\n",
        );
        m.transactional = false;
        let err = failed(apply(db, &[m], false).await.unwrap_err());
        assert_eq!(err.sqlstate, "22012");
        // Division by zero has no position: the statement is labelled.
        assert_eq!((err.line, err.column), (4, 1));
        // Autocommit: everything before the failing statement stays.
        assert_eq!(tables(db).await, ["t"]);
    });
}

#[test]
fn split_statements_run_on_the_server_as_written() {
    with_db(async |db| {
        let version: i32 = db
            .client()
            .query_one("SELECT current_setting('server_version_num')::int4", &[])
            .await
            .unwrap()
            .get(0);
        if version < 140_000 {
            eprintln!("BEGIN ATOMIC needs PostgreSQL 14; skipped on {version}");
            return;
        }
        // CONCURRENTLY forces statement-by-statement; the splitter must keep the
        // BEGIN ATOMIC body, dollar quotes, E'' strings and comments intact.
        let source = r#"/* header; with /* nested */ comment */
CREATE TABLE t (id int, note text DEFAULT E'it\'s; fine');
CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN x IS NULL THEN 0 ELSE x + 1 END;
END;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.note := 'touched; ' || $$quoted$$; -- comment; here
  RETURN NEW;
END;
$fn$;
CREATE INDEX CONCURRENTLY t_id ON t (id);
INSERT INTO "t" (id) VALUES (add_one(41));
"#;
        apply(db, &[migration("007_mix.up.sql", source)], false)
            .await
            .unwrap();
        let row = db
            .client()
            .query_one("SELECT id, note FROM t", &[])
            .await
            .unwrap();
        assert_eq!(row.get::<_, i32>(0), 42);
        assert_eq!(row.get::<_, String>(1), "it's; fine");
    });
}

#[test]
fn explicit_transaction_in_the_file_is_fine() {
    with_db(async |db| {
        let source = "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n";
        apply(db, &[migration("008_tx.up.sql", source)], false)
            .await
            .unwrap();
        assert_eq!(tables(db).await, ["a"]);
    });
}

#[test]
fn two_databases_concurrently() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let ms_a = [migration("001_a.up.sql", "CREATE TABLE a (id int);")];
        let ms_b = [migration("001_b.up.sql", "CREATE TABLE b (id int);")];
        let (a, b) = tokio::join!(
            async {
                let db = scratch.create_database().await.unwrap();
                apply(&db, &ms_a, false).await.unwrap();
                tables(&db).await
            },
            async {
                let db = scratch.create_database().await.unwrap();
                apply(&db, &ms_b, false).await.unwrap();
                tables(&db).await
            }
        );
        assert_eq!((a, b), (vec!["a".to_owned()], vec!["b".to_owned()]));
        scratch.shutdown().await.unwrap();
    });
}

/// Renders the report of applying `source`'s up section (after `-- migrate:up`).
async fn render_failure(db: &ScratchDatabase, source: &str) -> String {
    let mut m = migration("20240101120000_users.sql", source);
    m.up = source.find("CREATE").unwrap()..source.find("-- migrate:down").unwrap();
    let err = apply(db, &[m], false).await.unwrap_err();
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(80)
        .render_report(&mut out, &err)
        .unwrap();
    out
}

#[test]
fn failure_report_with_position_snapshot() {
    with_db(async |db| {
        let source = "-- migrate:up\nCREATE TABLE users (\n  id bigint PRIMARY KEY,\n  email txt NOT NULL\n);\n\n-- migrate:down\nDROP TABLE users;\n";
        insta::assert_snapshot!(render_failure(db, source).await);
    });
}

#[test]
fn failure_report_snapshot() {
    with_db(async |db| {
        // No position from the server: the statement is labelled.
        let source = "-- migrate:up\nCREATE TABLE users (\n  id bigint PRIMARY KEY,\n  email text NOT NULL\n);\nCREATE INDEX users_email ON users (emial);\n\n-- migrate:down\nDROP TABLE users;\n";
        insta::assert_snapshot!(render_failure(db, source).await);
    });
}

#[test]
fn failing_statement_is_located_in_a_file_with_its_own_transaction() {
    with_db(async |db| {
        let source = "BEGIN;\nCREATE TABLE a (id int PRIMARY KEY);\nINSERT INTO a VALUES (1), (1);\nCOMMIT;\n";
        let err = failed(
            apply(db, &[migration("009_tx.up.sql", source)], false)
                .await
                .unwrap_err(),
        );
        assert_eq!(err.sqlstate, "23505");
        assert_eq!((err.line, err.column), (3, 1));
        assert!(tables(db).await.is_empty());
    });
}

#[test]
fn a_nul_byte_is_refused_naming_the_file_and_position() {
    with_db(async |db| {
        let sql = "CREATE TABLE sentinel (id int);\nSELECT 'a\0b';\n";
        let err = apply(db, &[migration("001_nul.sql", sql)], false)
            .await
            .unwrap_err();
        let ApplyError::NulByte {
            path,
            offset,
            line,
            column,
            ..
        } = &err
        else {
            panic!("expected a NUL byte error, got {err:?}");
        };
        assert_eq!(path, "db/migrations/001_nul.sql");
        assert_eq!((*offset, *line, *column), (41, 2, 10));
        let text = err.to_string();
        assert!(
            text.contains("001_nul.sql:2:10") && text.contains("offset 41"),
            "{text}"
        );
        // Refused before anything was sent: not even the first statement ran.
        assert!(tables(db).await.is_empty());
    });
}

/// Issue 8, defect 6: a migration that is only an unterminated `/* …` used to "succeed" (the
/// server saw an empty query). It is an error on the file, pointing at the comment, and
/// nothing of the migration runs.
#[test]
fn an_unterminated_comment_is_an_error_and_nothing_runs() {
    with_db(async |db| {
        let source =
            "CREATE TABLE kept (id int);\n/* never closed;\nCREATE TABLE hidden (id int);\n";
        let err = apply(db, &[migration("008_open.up.sql", source)], false)
            .await
            .unwrap_err();
        let ApplyError::Unreadable(u) = &err else {
            panic!("expected an unreadable migration, got {err:?}");
        };
        assert_eq!((u.line, u.column), (2, 1));
        assert!(u.what.contains("unterminated block comment"), "{}", u.what);
        assert!(tables(db).await.is_empty());
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(80)
            .render_report(&mut out, &err)
            .unwrap();
        insta::assert_snapshot!(out);
        // Only the comment, as in the report.
        let only = migration("009_only_comment.up.sql", "/* …");
        assert!(matches!(
            apply(db, &[only], false).await,
            Err(ApplyError::Unreadable(_))
        ));
    });
}
