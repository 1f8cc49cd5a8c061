//! The process-wide list of live clusters, and the Ctrl-C / SIGTERM / SIGHUP handler that
//! tears them down before the process exits.
//!
//! Every step that creates something to clean up (the temp dir, the initdb or postgres child)
//! happens while holding the registry lock, and teardown also holds it: so the signal handler
//! either sees a resource and removes it, or runs after its owner already did.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, Once};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// What must go when the cluster goes.
#[derive(Debug, Default)]
pub(crate) struct Live {
    /// The temp dir holding the data directory and the socket.
    pub(crate) dir: Option<PathBuf>,
    /// The running child (initdb or the postmaster), in its own process group.
    pub(crate) child: Option<std::process::Child>,
    /// Its record for the orphan sweep (`orphans.rs`), removed last.
    pub(crate) record: Option<PathBuf>,
}

static LIVE: Mutex<BTreeMap<u64, Live>> = Mutex::new(BTreeMap::new());
/// Scratch databases created on a server given by URL: (connection to the maintenance
/// database, name). Dropped by the signal handler; removed from here once dropped normally.
static DATABASES: Mutex<BTreeMap<u64, (tokio_postgres::Config, String)>> =
    Mutex::new(BTreeMap::new());
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
static HANDLER: Once = Once::new();
/// Locked for good by the signal handler: cleanup paths of other threads wait on it, so
/// they neither race the handler nor report the errors its teardown causes (a connection
/// terminated under them) before the process exits.
static EXITING: Mutex<()> = Mutex::new(());

/// Waits while the signal handler is tearing down (it then exits the process).
pub(crate) fn barrier() {
    drop(EXITING.lock());
}

/// The locked registry. A panic elsewhere while holding it leaves consistent data (entries
/// are only inserted or removed whole), so poisoning is ignored.
pub(crate) fn lock() -> MutexGuard<'static, BTreeMap<u64, Live>> {
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Remembers a database created on a given server, for the signal handler.
pub(crate) fn add_database(config: &tokio_postgres::Config, name: &str) -> u64 {
    let id = next_id();
    DATABASES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(id, (config.clone(), name.to_owned()));
    id
}

/// Forgets a database (it was dropped).
pub(crate) fn remove_database(id: u64) {
    DATABASES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .remove(&id);
}

/// A fresh registry id.
pub(crate) fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Stops the child (immediate shutdown, SIGKILL after `grace`) and removes the directory.
/// Errors are ignored: this runs on exit paths that cannot report them.
pub(crate) fn teardown(live: &mut Live, grace: Duration) {
    if let Some(mut child) = live.child.take() {
        stop_child(&mut child, grace);
    }
    if let Some(dir) = live.dir.take() {
        // Does not follow symlinks the server user may have planted in the data directory:
        // std removes a tree with openat/unlinkat and O_NOFOLLOW (the CVE-2022-21658 fix).
        let _ = std::fs::remove_dir_all(&dir);
    }
    if let Some(record) = live.record.take() {
        let _ = std::fs::remove_file(record);
    }
}

/// SIGQUIT is PostgreSQL's immediate shutdown: no checkpoint, the data is thrown away anyway.
/// initdb simply dies on it. Then SIGKILL to the child's process group (backends, and programs
/// `COPY … TO PROGRAM` left running), but only while the child is our unreaped child — exited
/// or not — so the group id is still its pid and cannot name anyone else's group.
pub(crate) fn stop_child(child: &mut std::process::Child, grace: Duration) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    let Ok(raw) = i32::try_from(child.id()) else {
        let _ = child.kill();
        let _ = child.wait();
        return;
    };
    if raw <= 1 {
        return;
    }
    let _ = kill(Pid::from_raw(raw), Signal::SIGQUIT);
    let deadline = Instant::now() + grace;
    // `try_wait` would reap it; a zombie (exited, not yet reaped) still holds its pid.
    while Instant::now() < deadline && !super::procfs::exited(raw) {
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = kill(Pid::from_raw(-raw), Signal::SIGKILL);
    let _ = child.kill();
    let _ = child.wait();
}

/// Installs, once per process, a thread that waits for SIGINT/SIGTERM/SIGHUP (a closed
/// terminal), tears down every live cluster and exits with 128 + the signal number (130 for
/// Ctrl-C).
pub(crate) fn install_signal_handler() {
    HANDLER.call_once(|| {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("dbmigration-signals".into())
            .spawn(move || signal_thread(ready_tx));
        if spawned.is_ok() {
            // Wait until the handlers are registered, so a signal right after start is ours.
            let _ = ready_rx.recv_timeout(Duration::from_secs(5));
        }
    });
}

fn signal_thread(ready: std::sync::mpsc::Sender<()>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    rt.block_on(async move {
        let (Ok(mut int), Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            return;
        };
        let _ = ready.send(());
        let code = tokio::select! {
            _ = int.recv() => 130,
            _ = term.recv() => 143,
            _ = hup.recv() => 129,
        };
        std::mem::forget(EXITING.lock());
        kill_all_groups();
        let databases = std::mem::take(
            &mut *DATABASES
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for (config, name) in databases.into_values() {
            let drop = async {
                if let Ok((client, connection)) = config.connect(tokio_postgres::NoTls).await {
                    tokio::spawn(connection);
                    let _ = super::drop_database(&client, &name).await;
                }
            };
            let _ = tokio::time::timeout(Duration::from_secs(3), drop).await;
        }
        let mut live = lock();
        for entry in live.values_mut() {
            teardown(entry, Duration::from_secs(2));
        }
        live.clear();
        eprintln!("\ninterrupted: scratch databases removed");
        std::process::exit(code);
    });
}

/// Process groups of running migrate commands (`crate::command`), by registry id: the value is
/// the group leader's pid, which is also the group id. An entry is removed, under this lock,
/// just before its leader is reaped, so while it is here the id cannot name anyone else's
/// group: the signal handler and a timeout may SIGKILL it.
static GROUPS: Mutex<BTreeMap<u64, i32>> = Mutex::new(BTreeMap::new());

fn groups() -> MutexGuard<'static, BTreeMap<u64, i32>> {
    GROUPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Records a process group we created (its leader is our unreaped child); see [`GROUPS`].
pub(crate) fn add_group(leader: i32) -> u64 {
    install_signal_handler();
    let id = next_id();
    groups().insert(id, leader);
    id
}

/// SIGKILL to the group, if its leader is not reaped yet.
pub(crate) fn kill_group(id: u64) {
    if let Some(&leader) = groups().get(&id)
        && leader > 1
    {
        let _ = nix::sys::signal::killpg(Pid::from_raw(leader), Signal::SIGKILL);
    }
}

/// Forgets the group and runs `reap` (which waits for the leader) under the lock.
pub(crate) fn reap_group<T>(id: u64, reap: impl FnOnce() -> T) -> T {
    let mut groups = groups();
    groups.remove(&id);
    reap()
}

/// The signal handler's part: every recorded group is killed, and the lock is kept so that
/// none is reaped (and its id reused) afterwards.
fn kill_all_groups() {
    let groups = groups();
    for &leader in groups.values() {
        if leader > 1 {
            let _ = nix::sys::signal::killpg(Pid::from_raw(leader), Signal::SIGKILL);
        }
    }
    std::mem::forget(groups);
}

/// Records a temp dir of ours (a tree written for a migrate command) for the signal handler
/// to remove.
pub(crate) fn track_dir(dir: PathBuf) -> u64 {
    install_signal_handler();
    let id = next_id();
    lock().insert(
        id,
        Live {
            dir: Some(dir),
            ..Live::default()
        },
    );
    id
}

/// Forgets a temp dir (its owner removes it).
pub(crate) fn untrack_dir(id: u64) {
    lock().remove(&id);
}
