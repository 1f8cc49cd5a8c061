//! Scratch-cluster benchmarks (no criterion: a few wall-clock runs, median and spread).
//!
//! ```text
//! cargo bench -p dbmigration --bench scratch            # all
//! cargo bench -p dbmigration --bench scratch -- start   # only cluster start
//! cargo bench -p dbmigration --bench scratch -- history # only the 300-migration history
//! ```
//!
//! 1. Cluster ready: cold (initdb every time) and from the cached initdb template.
//! 2. Applying a generated 300-migration history: `apply` on one connection versus
//!    `psql -f` once per file (a fresh process and connection each, as a shell loop would).
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use dbmigration::apply::apply;
use dbmigration::migration::Migration;
use dbmigration::scratch::{Scratch, ScratchOptions, TemplateCache};

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wants = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    if wants("start") {
        rt.block_on(start());
    }
    if wants("history") {
        rt.block_on(history(300));
    }
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<48} median {:>8.1} ms   min {:>8.1} ms   max {:>8.1} ms   (n={})",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

async fn start() {
    let opts = ScratchOptions::default();
    let cache = tempfile::tempdir().unwrap();
    let cached = TemplateCache::At(cache.path().to_owned());
    // Prime the cache (and the page cache for the binaries).
    Scratch::start_with(&opts, &cached)
        .await
        .unwrap()
        .shutdown()
        .await
        .unwrap();

    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut create_db = Vec::new();
    let mut stop = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let s = Scratch::start_with(&opts, &TemplateCache::Disabled)
            .await
            .unwrap();
        cold.push(t.elapsed());
        s.shutdown().await.unwrap();
    }
    let dir = Scratch::start_with(&opts, &cached).await.unwrap();
    println!(
        "server {} in {}, cluster dir {}",
        dir.cluster_info().unwrap().version,
        dir.cluster_info().unwrap().bin_dir.display(),
        dir.cluster_info().unwrap().dir.parent().unwrap().display()
    );
    dir.shutdown().await.unwrap();
    for _ in 0..15 {
        let t = Instant::now();
        let s = Scratch::start_with(&opts, &cached).await.unwrap();
        warm.push(t.elapsed());
        assert!(s.cluster_info().unwrap().from_template);
        let t = Instant::now();
        let db = s.create_database().await.unwrap();
        create_db.push(t.elapsed());
        drop(db);
        let t = Instant::now();
        s.shutdown().await.unwrap();
        stop.push(t.elapsed());
    }
    summary("cluster ready, cold (initdb)", cold);
    summary("cluster ready, cached template", warm);
    summary("create_database", create_db);
    summary("shutdown (stop + remove)", stop);
}

/// A deterministic history of `count` migrations in the shapes real projects have: tables
/// with foreign keys, added columns, indexes (some CONCURRENTLY), enums, PL/pgSQL triggers,
/// views, check constraints and seed data.
fn generate(count: usize) -> Vec<Migration> {
    let mut tables = 0usize;
    let mut out = Vec::new();
    for i in 0..count {
        let k = if tables == 0 { 0 } else { (i * 7) % tables };
        let sql = match i % 8 {
            _ if tables == 0 || i % 8 == 0 => {
                let n = tables;
                tables += 1;
                let parent = if n == 0 {
                    String::new()
                } else {
                    format!(
                        "    parent_id bigint REFERENCES t{} (id) ON DELETE CASCADE,\n",
                        n - 1
                    )
                };
                format!(
                    "-- table {n}\nCREATE TABLE t{n} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n{parent}    name text NOT NULL DEFAULT '',\n    created_at timestamptz NOT NULL DEFAULT now(),\n    updated_at timestamptz\n);\nCREATE INDEX t{n}_created_at ON t{n} (created_at);\nCOMMENT ON TABLE t{n} IS 'table number {n}';\n"
                )
            }
            1 => format!(
                "ALTER TABLE t{k} ADD COLUMN c{i} text;\nCOMMENT ON COLUMN t{k}.c{i} IS 'added by migration {i}';\n"
            ),
            2 if i % 5 == 2 => format!(
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix{i} ON t{k} (name, created_at);\n"
            ),
            2 => format!(
                "CREATE UNIQUE INDEX ix{i} ON t{k} (lower(name), id) WHERE updated_at IS NULL;\n"
            ),
            3 => format!(
                "CREATE FUNCTION touch{i}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    NEW.updated_at := now(); -- keep it fresh; really\n    RETURN NEW;\nEND;\n$$;\nCREATE TRIGGER touch{i} BEFORE UPDATE ON t{k}\n    FOR EACH ROW EXECUTE FUNCTION touch{i}();\n"
            ),
            4 => format!(
                "INSERT INTO t{k} (name) SELECT 'row ' || g FROM generate_series(1, 50) AS g;\nUPDATE t{k} SET updated_at = now() WHERE name LIKE 'row 1%';\n"
            ),
            5 => format!(
                "CREATE TYPE status{i} AS ENUM ('new', 'active', 'it''s done');\nALTER TABLE t{k} ADD COLUMN status{i} status{i} NOT NULL DEFAULT 'new';\n"
            ),
            6 => format!(
                "CREATE OR REPLACE VIEW v{i} AS\n    SELECT id, name, created_at FROM t{k} WHERE name <> E'\\'';\n"
            ),
            _ => format!(
                "ALTER TABLE t{k} ADD CONSTRAINT ck{i} CHECK (char_length(name) < 1000);\n/* a block /* nested */ comment */\nALTER TABLE t{k} ALTER COLUMN name SET DEFAULT 'x{i}';\n"
            ),
        };
        let file = format!("{:05}_step{i}.up.sql", i + 1);
        out.push(Migration {
            version: format!("{:05}", i + 1),
            name: format!("step{i}"),
            path: PathBuf::from("migrations").join(&file),
            up: 0..sql.len(),
            source: sql,
            down: None,
            transactional: true,
        });
    }
    out
}

async fn history(count: usize) {
    let migrations = generate(count);
    let files = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for m in &migrations {
        let path = files.path().join(m.path.file_name().unwrap());
        std::fs::write(&path, &m.source).unwrap();
        paths.push(path);
    }
    let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
    let info = scratch.cluster_info().unwrap().clone();
    let psql = [info.bin_dir.join("psql"), PathBuf::from("/usr/bin/psql")]
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("psql"));

    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut theirs_1 = Vec::new();
    for _ in 0..3 {
        let db = scratch.create_database().await.unwrap();
        let t = Instant::now();
        apply(&db, &migrations, false).await.unwrap();
        ours.push(t.elapsed());

        for (single, times) in [(false, &mut theirs), (true, &mut theirs_1)] {
            let db = scratch.create_database().await.unwrap();
            let t = Instant::now();
            for (m, path) in migrations.iter().zip(&paths) {
                let mut cmd = Command::new(&psql);
                cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
                    .arg(&info.socket_dir)
                    .args(["-U", "postgres", "-d", db.name(), "-f"])
                    .arg(path);
                // psql -1 cannot wrap CREATE INDEX CONCURRENTLY in its transaction.
                if single && !m.source.contains("CONCURRENTLY") {
                    cmd.arg("-1");
                }
                let out = cmd.output().unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            times.push(t.elapsed());
        }
    }
    println!("{count} migrations, psql = {}", psql.display());
    summary("apply (one connection, one message per file)", ours);
    summary("psql -f per file", theirs);
    summary("psql -1 -f per file", theirs_1);

    // End to end, as `hcl` pays it: cluster from template + database + history + stop.
    let mut total = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let s = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let db = s.create_database().await.unwrap();
        apply(&db, &migrations, false).await.unwrap();
        drop(db);
        s.shutdown().await.unwrap();
        total.push(t.elapsed());
    }
    summary("start + create + apply + shutdown", total);
    scratch.shutdown().await.unwrap();
}
