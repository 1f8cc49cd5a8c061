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
            .query_one(
                "SELECT current_database()::text, current_setting('fsync'), \
                 current_setting('listen_addresses'), current_setting('dynamic_shared_memory_type')",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, String>(0), db.name());
        assert_eq!(row.get::<_, String>(1), "off");
        assert_eq!(row.get::<_, String>(2), "");
        // Nothing of ours outside the temp dir (no /dev/shm/PostgreSQL.* segments).
        assert_eq!(row.get::<_, String>(3), "mmap");
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
        // Keyed by version and installation: `initdb-15.10-<hash of the postgres path>`.
        let prefix = format!("initdb-{}-", info.version);
        let entry = std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&prefix)
            })
            .unwrap();
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
            ..Default::default()
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
            ..Default::default()
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
            ..Default::default()
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
            ..Default::default()
        }))
        .unwrap_err();
    assert!(matches!(err, ScratchError::InvalidUrl { .. }), "{err:?}");
}

/// Not a test on its own: the child process of the signal tests. It starts a cluster,
/// reports its pid and directory through the file named by the environment, and waits to be
/// interrupted.
#[test]
fn signal_child() {
    let Some(report) = std::env::var_os("DBMIGRATION_SIGNAL_CHILD") else {
        return;
    };
    let database_url = std::env::var("DBMIGRATION_SIGNAL_URL").ok();
    rt().block_on(async {
        let opts = ScratchOptions {
            database_url,
            ..Default::default()
        };
        let scratch = Scratch::start(&opts).await.unwrap();
        let db = scratch.create_database().await.unwrap();
        let text = match scratch.cluster_info() {
            Some(info) => format!("{}\n{}", info.pid, info.dir.display()),
            None => db.name().to_owned(),
        };
        let staging = format!("{}.tmp", report.to_string_lossy());
        std::fs::write(&staging, text).unwrap();
        std::fs::rename(&staging, &report).unwrap();
        // Busy in the server, as during a slow migration, when the signal arrives. The
        // teardown breaks the connection; the error path then cleans up, as the CLI does,
        // and must not win the race against the handler's exit.
        let _ = db.client().batch_execute("SELECT pg_sleep(60)").await;
        drop(db);
        let _ = scratch.shutdown().await;
    });
    std::process::exit(3);
}

/// Starts `signal_child` in a new process, sends it `signal` once its cluster runs, and
/// checks the exit code and that the cluster is gone.
fn interrupt_child(signal: nix::sys::signal::Signal, expected_code: i32) {
    let (text, status) = run_and_signal(signal, None);
    assert_eq!(status.code(), Some(expected_code), "{status:?}");
    let (pid, dir) = text.split_once('\n').unwrap();
    let (pid, dir): (u32, &Path) = (pid.parse().unwrap(), Path::new(dir));
    assert!(
        gone(pid, dir),
        "cluster left behind: pid {pid}, {}",
        dir.display()
    );
}

/// Runs `signal_child` (in URL mode when `url` is given), signals it once it reports, and
/// returns its report and exit status.
fn run_and_signal(
    signal: nix::sys::signal::Signal,
    url: Option<&str>,
) -> (String, std::process::ExitStatus) {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("child");
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "signal_child",
        "--nocapture",
        "--test-threads",
        "1",
    ])
    .env("DBMIGRATION_SIGNAL_CHILD", &report)
    .stdout(std::process::Stdio::null());
    if let Some(url) = url {
        cmd.env("DBMIGRATION_SIGNAL_URL", url);
    }
    let mut child = cmd.spawn().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !report.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "child never started its cluster"
        );
        assert!(child.try_wait().unwrap().is_none(), "child exited early");
        std::thread::sleep(Duration::from_millis(20));
    }
    let text = std::fs::read_to_string(&report).unwrap();
    let child_pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap());
    nix::sys::signal::kill(child_pid, signal).unwrap();
    (text, child.wait().unwrap())
}

#[test]
fn ctrl_c_in_url_mode_drops_the_scratch_database() {
    rt().block_on(async {
        let server = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let socket = server.cluster_info().unwrap().socket_dir.clone();
        let url = format!("host={} dbname=postgres user=postgres", socket.display());
        let (name, status) = run_and_signal(nix::sys::signal::Signal::SIGINT, Some(&url));
        assert_eq!(status.code(), Some(130), "{status:?}");
        assert!(name.starts_with("dbmigration_scratch_"), "{name}");
        let (admin, conn) = url
            .parse::<tokio_postgres::Config>()
            .unwrap()
            .connect(tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
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
fn ctrl_c_removes_the_cluster() {
    interrupt_child(nix::sys::signal::Signal::SIGINT, 130);
}

#[test]
fn sigterm_removes_the_cluster() {
    interrupt_child(nix::sys::signal::Signal::SIGTERM, 143);
}

#[test]
fn handles_can_be_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Scratch>();
    send_sync::<dbmigration::scratch::ScratchDatabase>();
}

#[test]
fn clusters_of_killed_processes_are_swept_on_next_start() {
    // A child that starts a cluster and is then SIGKILLed: no handler runs.
    let (text, status) = run_and_signal(nix::sys::signal::Signal::SIGKILL, None);
    assert_eq!(status.code(), None, "{status:?}");
    let (pid, dir) = text.split_once('\n').unwrap();
    let (pid, dir): (u32, &Path) = (pid.parse().unwrap(), Path::new(dir));
    assert!(process_alive(pid) && dir.exists(), "orphan expected");
    rt().block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        scratch.shutdown().await.unwrap();
    });
    assert!(
        gone(pid, dir),
        "orphan left behind: pid {pid}, {}",
        dir.display()
    );
}

/// Child of `pg_bin_without_binaries_is_reported`, run with `PG_BIN` set to an empty dir.
#[test]
fn pg_bin_child() {
    if std::env::var_os("DBMIGRATION_PG_BIN_CHILD").is_none() {
        return;
    }
    let err = rt()
        .block_on(Scratch::start(&ScratchOptions::default()))
        .unwrap_err();
    assert!(matches!(err, ScratchError::PgBinInvalid { .. }), "{err:?}");
    let help = miette::Diagnostic::help(&err).unwrap().to_string();
    assert!(help.contains("PG_BIN"), "{help}");
}

#[test]
fn pg_bin_without_binaries_is_reported() {
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "pg_bin_child", "--test-threads", "1"])
        .env("DBMIGRATION_PG_BIN_CHILD", "1")
        .env("PG_BIN", empty.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn missing_binaries_help_says_how_to_install() {
    let err = ScratchError::BinariesNotFound {
        searched: "$PATH".into(),
    };
    let help = miette::Diagnostic::help(&err).unwrap().to_string();
    assert!(help.contains("apt-get install postgresql"), "{help}");
    assert!(help.contains("PG_BIN"), "{help}");
}

#[test]
fn unknown_server_user_is_reported_when_root() {
    if !nix::unistd::geteuid().is_root() {
        return; // Not root: the server runs as ourselves and --pg-user does not apply.
    }
    let err = rt()
        .block_on(Scratch::start(&ScratchOptions {
            pg_user: Some("no_such_user_dbmigration".into()),
            ..Default::default()
        }))
        .unwrap_err();
    assert!(matches!(err, ScratchError::NoSuchUser { .. }), "{err:?}");
    assert!(err.to_string().contains("no_such_user_dbmigration"));
}

#[test]
fn connection_strings_reach_the_database() {
    rt().block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let db = scratch.create_database().await.unwrap();
        for text in [db.connection_string(), db.connection_url()] {
            let config: tokio_postgres::Config = text.parse().unwrap();
            let (client, conn) = config.connect(tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            let name: String = client
                .query_one("SELECT current_database()::text", &[])
                .await
                .unwrap()
                .get(0);
            assert_eq!(name, db.name(), "{text}");
        }
        // psql (libpq) reads the URL form too, when it is installed next to the server.
        let psql = scratch.cluster_info().unwrap().bin_dir.join("psql");
        if psql.is_file() {
            let out = std::process::Command::new(psql)
                .args(["-XAtc", "SELECT current_database()"])
                .arg(db.connection_url())
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(stdout.trim(), db.name(), "{out:?}");
        }
        scratch.shutdown().await.unwrap();
    });
}

#[test]
fn sighup_removes_the_cluster() {
    interrupt_child(nix::sys::signal::Signal::SIGHUP, 129);
}

/// `/proc/<pid>/stat` field 22, as the cluster registry records it.
fn start_time(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let rest = &stat[stat.rfind(')').unwrap() + 1..];
    rest.split_whitespace().nth(19).unwrap().parse().unwrap()
}

/// A cluster record as an attacker who could write the registry would forge it (nobody else
/// can: it is private), with a dead owner.
fn planted_record(dir: &Path, postmaster: (i64, u64), postgres: &Path) -> String {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap();
    serde_json::json!({
        "boot": boot.trim(),
        "owner": {"pid": 2_147_483_000, "start": 1},
        "dir": dir,
        "data": dir.join("data"),
        "postgres": postgres,
        "postmaster": {"pid": postmaster.0, "start": postmaster.1},
    })
    .to_string()
}

/// Forged registry records, removed even when the test fails.
struct Planted(Vec<std::path::PathBuf>);

impl Drop for Planted {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[test]
fn sweep_spares_what_it_cannot_prove_it_started() {
    // A process of ours that is no postmaster, and files pointing at it everywhere a sweep
    // might look: old-style pid files in `dbmigration-*` dirs under the shared temp dirs, and
    // records (even in our private registry) that fail one of the proofs.
    let postgres = std::fs::canonicalize(rt().block_on(async {
        let s = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let bin = s.cluster_info().unwrap().bin_dir.join("postgres");
        s.shutdown().await.unwrap();
        bin
    }))
    .unwrap();
    // The old-style pid files below are exactly the exploit of issue 8: a dbmigration built
    // before its fix, running on the same machine at the same moment, would signal the
    // sleeper. Those builds swept only the one base dir they used (`/dev/shm` when it has
    // room), so the files go in the plain temp dir, which the fixed sweep ignores just the same.
    let mut sleeper = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    let pid = sleeper.id();
    let start = start_time(pid);
    let leftover = tempfile::Builder::new()
        .prefix("dbmigration-planted-")
        .tempdir()
        .unwrap();
    std::fs::create_dir(leftover.path().join("data")).unwrap();
    std::fs::write(leftover.path().join("dbmigration.pid"), "2147483000").unwrap();
    let planted_pid_file = leftover.path().join("data/postmaster.pid");
    std::fs::write(&planted_pid_file, format!("{pid}\n")).unwrap();
    let victim = tempfile::tempdir().unwrap();
    std::fs::write(victim.path().join("keep"), "x").unwrap();
    let fake = tempfile::Builder::new()
        .prefix("dbmigration-")
        .tempdir()
        .unwrap();
    let registry = dbmigration::scratch::cluster_registry_dir().unwrap();
    let sleep_exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap();
    let records = [
        // Our sleeper as the postmaster, with the postgres binary recorded: exe differs.
        planted_record(fake.path(), (pid.into(), start), &postgres),
        // The sleeper's own binary recorded: its arguments name no data directory.
        planted_record(fake.path(), (pid.into(), start), &sleep_exe),
        // pid 1, and a negative pid (a process group).
        planted_record(fake.path(), (1, start_time(1)), &sleep_exe),
        planted_record(fake.path(), (-i64::from(pid), start), &sleep_exe),
        // A directory that is not one of ours: never removed.
        planted_record(victim.path(), (2_147_483_000, 1), &postgres),
    ];
    let mut planted = Planted(Vec::new());
    for (n, record) in records.iter().enumerate() {
        let path = registry.join(format!("dbmigration-planted-{pid}-{n}.json"));
        std::fs::write(&path, record).unwrap();
        planted.0.push(path);
    }
    // Junk that is not a record at all.
    let junk = registry.join(format!("dbmigration-junk-{pid}.json"));
    std::fs::write(&junk, "1\n").unwrap();
    planted.0.push(junk);

    // A run's sweep.
    rt().block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        scratch.shutdown().await.unwrap();
    });

    assert!(
        process_alive(pid),
        "the sweep signalled a process it did not start"
    );
    assert!(sleeper.try_wait().unwrap().is_none());
    assert!(planted_pid_file.exists());
    assert!(victim.path().join("keep").exists());
    drop(leftover);
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    drop(planted);
}

#[test]
fn the_server_user_cannot_redirect_what_root_writes_or_removes() {
    if !nix::unistd::geteuid().is_root() {
        return;
    }
    // A root-owned file and directory a migration would like to see truncated or removed.
    let victim = tempfile::tempdir().unwrap();
    let precious = victim.path().join("precious");
    std::fs::write(&precious, "root's data").unwrap();
    let info = rt().block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let info = scratch.cluster_info().unwrap().clone();
        let db = scratch.create_database().await.unwrap();
        // As the server user (COPY … TO PROGRAM), plant symlinks: in the cluster's directory
        // next to the logs (refused: it is root's), and inside the data and socket dirs.
        let dir = info.dir.display();
        let data = info.dir.join("data");
        let sock = info.socket_dir.display();
        let target = victim.path().display();
        let script = format!(
            "ln -s {target}/precious {dir}/postgres.log.2; rm -f {dir}/postgres.log; \
             ln -s {target}/precious {dir}/postgres.log; ln -s {target} {d}/evil_dir; \
             ln -s {target}/precious {d}/evil_file; ln -s {target} {sock}/evil; true",
            d = data.display()
        );
        db.client()
            .batch_execute(&format!(
                "COPY (SELECT 1) TO PROGRAM '{}'",
                script.replace('\'', "''")
            ))
            .await
            .unwrap();
        assert!(
            std::fs::symlink_metadata(data.join("evil_dir")).is_ok(),
            "the planting itself must have run"
        );
        assert!(std::fs::symlink_metadata(info.dir.join("postgres.log.2")).is_err());
        use std::os::unix::fs::MetadataExt;
        let log = std::fs::symlink_metadata(info.dir.join("postgres.log")).unwrap();
        assert!(log.is_file());
        assert_eq!((log.uid(), log.mode() & 0o777), (0, 0o600));
        let top = std::fs::metadata(&info.dir).unwrap();
        assert_eq!((top.uid(), top.mode() & 0o777), (0, 0o711));
        scratch.shutdown().await.unwrap();
        info
    });
    assert!(!info.dir.exists());
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "root's data");
}

/// The comment of database `name`.
async fn comment_of(admin: &tokio_postgres::Client, name: &str) -> Option<String> {
    admin
        .query_one(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            &[&name],
        )
        .await
        .unwrap()
        .get(0)
}

/// Rewrites a marker's creation time to long ago (as if the run had died an hour back).
fn aged(comment: &str) -> String {
    let (head, _) = comment.rsplit_once(" created=").unwrap();
    format!("{head} created=1")
}

#[test]
fn url_mode_sweeps_only_its_own_stale_databases() {
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
        let exists = async |name: &str| -> bool {
            let n: i64 = admin
                .query_one(
                    "SELECT count(*) FROM pg_database WHERE datname = $1",
                    &[&name],
                )
                .await
                .unwrap()
                .get(0);
            n == 1
        };
        let set_comment = async |name: &str, comment: &str| {
            admin
                .batch_execute(&format!(
                    "COMMENT ON DATABASE \"{name}\" IS '{}'",
                    comment.replace('\'', "''")
                ))
                .await
                .unwrap();
        };

        // A run killed outright leaves its database behind, marked as ours.
        let (orphan, status) = run_and_signal(nix::sys::signal::Signal::SIGKILL, Some(&url));
        assert_eq!(status.code(), None);
        let marker = comment_of(&admin, &orphan).await.unwrap();
        assert!(
            marker.starts_with("dbmigration-scratch v1 token="),
            "{marker}"
        );
        set_comment(&orphan, &aged(&marker)).await;

        // A live run's database, just as old: its owner (this process) still runs.
        let live = Scratch::start(&ScratchOptions {
            database_url: Some(url.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
        let live_db = live.create_database().await.unwrap();
        let live_name = live_db.name().to_owned();
        let live_marker = comment_of(&admin, &live_name).await.unwrap();
        set_comment(&live_name, &aged(&live_marker)).await;

        // Look-alikes nobody may drop: the orphan's marker copied onto other names, and a
        // scratch-named database without a marker.
        for (name, comment) in [
            ("dbmigration_scratch_copied", Some(aged(&marker))),
            ("keep_me", Some(aged(&marker))),
            ("dbmigration_scratch_plain", None),
        ] {
            admin
                .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap();
            if let Some(comment) = comment {
                set_comment(name, &comment).await;
            }
        }

        // The next run's start sweeps.
        let next = Scratch::start(&ScratchOptions {
            database_url: Some(url.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
        next.shutdown().await.unwrap();

        assert!(
            !exists(&orphan).await,
            "the stale database of a dead run stays"
        );
        assert!(
            exists(&live_name).await,
            "a live run's database was dropped"
        );
        for name in [
            "dbmigration_scratch_copied",
            "keep_me",
            "dbmigration_scratch_plain",
        ] {
            assert!(exists(name).await, "{name} was dropped");
        }
        drop(live_db);
        live.shutdown().await.unwrap();
        server.shutdown().await.unwrap();
    });
}

/// `DBMIGRATION_PG_VERSION` accepts what `--pg-version` accepts (13 to 18), with a clear error
/// otherwise, before anything starts.
#[test]
fn version_env_outside_the_supported_range_is_an_error() {
    for value in ["12", "19", "fifteen"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dbmigration"))
            .args(["hcl", "--dir", ".", "-o", "-"])
            .env("DBMIGRATION_PG_VERSION", value)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{value}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "DBMIGRATION_PG_VERSION={value} is not a supported PostgreSQL major version (13 to 18)"
            )),
            "{value}: {stderr}"
        );
    }
}
