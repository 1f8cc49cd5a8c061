//! The scratch database on a real PostgreSQL: private clusters (start, stop, cleanup on
//! drop, panic and Ctrl-C, the initdb template cache) and URL mode against one of them.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::Path;
use std::time::Duration;

use dbmigration::scratch::{Scratch, ScratchError, ScratchOptions, TemplateCache};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn process_alive(pid: u32) -> bool {
    // A reaped child's /proc entry is gone; a zombie would still show, so check its state.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat.contains(") Z "),
        Err(_) => false,
    }
}

/// Waits briefly for asynchronous process exit to become visible.
fn gone(pid: u32, dir: &Path) -> bool {
    for _ in 0..200 {
        if !process_alive(pid) && !dir.exists() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn start_create_database_and_shutdown() {
    rt().block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let info = scratch.cluster_info().unwrap().clone();
        assert!(process_alive(info.pid));
        let db = scratch.create_database().await.unwrap();
        assert!(db.name().starts_with("dbmigration_scratch_"));
        let row = db
            .client()
            .query_one("SELECT current_database(), current_setting('fsync'), current_setting('listen_addresses')", &[])
            .await
            .unwrap();
        assert_eq!(row.get::<_, String>(0), db.name());
        assert_eq!(row.get::<_, String>(1), "off");
        assert_eq!(row.get::<_, String>(2), "");
        // A second connection from the exposed config, and a second database.
        let (other, conn) = db
            .connection_config()
            .connect(tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        other.batch_execute("CREATE TABLE t (id int)").await.unwrap();
        let db2 = scratch.create_database().await.unwrap();
        assert_ne!(db.name(), db2.name());
        // The socket directory is private.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&info.socket_dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        scratch.shutdown().await.unwrap();
        assert!(gone(info.pid, &info.dir), "cluster left behind: {info:?}");
    });
}

#[test]
fn dropped_without_shutdown_is_removed() {
    let info = rt().block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        scratch.cluster_info().unwrap().clone()
    });
    assert!(gone(info.pid, &info.dir), "cluster left behind: {info:?}");
}

#[test]
fn panic_removes_the_cluster() {
    let (tx, rx) = std::sync::mpsc::channel();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt().block_on(async {
            let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
            tx.send(scratch.cluster_info().unwrap().clone()).unwrap();
            panic!("boom while the cluster runs");
        })
    }));
    assert!(result.is_err());
    let info = rx.recv().unwrap();
    assert!(gone(info.pid, &info.dir), "cluster left behind: {info:?}");
}

#[test]
fn template_cache_is_written_once_then_reused() {
    let cache = tempfile::tempdir().unwrap();
    let opts = ScratchOptions::default();
    rt().block_on(async {
        let mode = TemplateCache::At(cache.path().to_owned());
        let first = Scratch::start_with(&opts, &mode).await.unwrap();
        let info = first.cluster_info().unwrap().clone();
        assert!(!info.from_template);
        let entry = cache.path().join(format!("initdb-{}", info.version));
        assert!(entry.join("PG_VERSION").is_file());
        let second = Scratch::start_with(&opts, &mode).await.unwrap();
        assert!(second.cluster_info().unwrap().from_template);
        second.create_database().await.unwrap();
        // Only the finished entry is left in the cache directory: no staging leftovers.
        let names: Vec<_> = std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        first.shutdown().await.unwrap();
        second.shutdown().await.unwrap();
    });
}

#[test]
fn url_mode_creates_and_drops_only_its_database() {
    rt().block_on(async {
        let server = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let socket = server.cluster_info().unwrap().socket_dir.clone();
        let url = format!("host={} dbname=postgres user=postgres", socket.display());
        let (admin, conn) = url
            .parse::<tokio_postgres::Config>()
            .unwrap()
            .connect(tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        admin
            .batch_execute("CREATE DATABASE keep_me")
            .await
            .unwrap();

        let scratch = Scratch::start(&ScratchOptions {
            database_url: Some(url.clone()),
            pg_user: None,
        })
        .await
        .unwrap();
        assert!(scratch.cluster_info().is_none());
        let db = scratch.create_database().await.unwrap();
        let name = db.name().to_owned();
        db.client()
            .batch_execute("CREATE TABLE t (id int)")
            .await
            .unwrap();
        // Shutdown drops our database even while we are still connected to it.
        scratch.shutdown().await.unwrap();
        let names: Vec<String> = admin
            .query("SELECT datname FROM pg_database ORDER BY 1", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(!names.contains(&name), "{names:?}");
        assert!(names.contains(&"keep_me".to_owned()), "{names:?}");

        // Dropped without shutdown (an error path): the database goes as well.
        let scratch = Scratch::start(&ScratchOptions {
            database_url: Some(url),
            pg_user: None,
        })
        .await
        .unwrap();
        let name = scratch.create_database().await.unwrap().name().to_owned();
        drop(scratch);
        let left: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_database WHERE datname = $1",
                &[&name],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(left, 0);
        server.shutdown().await.unwrap();
    });
}

#[test]
fn refused_connection_names_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("host={} user=postgres", dir.path().display());
    let err = rt()
        .block_on(Scratch::start(&ScratchOptions {
            database_url: Some(url),
            pg_user: None,
        }))
        .unwrap_err();
    assert!(matches!(err, ScratchError::Connect { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains(&dir.path().display().to_string()), "{text}");
    let help = miette::Diagnostic::help(&err).unwrap().to_string();
    assert!(help.contains("DATABASE_URL"), "{help}");
}

#[test]
fn bad_url_is_reported() {
    let err = rt()
        .block_on(Scratch::start(&ScratchOptions {
            database_url: Some("postgres://[oops".into()),
            pg_user: None,
        }))
        .unwrap_err();
    assert!(matches!(err, ScratchError::InvalidUrl { .. }), "{err:?}");
}
