//! Clusters left behind by a run that was killed outright (SIGKILL, OOM, a CI timeout), which
//! no handler could clean up: each cluster we start is recorded in our private state directory
//! (`<state>/clusters/<temp dir name>.json`, see [`super::state`]), and the next start stops and
//! removes those whose creating process is gone.
//!
//! The sweep signals a process only when it can prove it is the postmaster we started: the
//! recorded pid still has the recorded start time, `/proc/<pid>/exe` is the recorded postgres
//! binary and its arguments name the recorded data directory. It signals that pid alone, never
//! a process group, never pid ≤ 1, and never reads anything from the shared temp dirs or from
//! directories the server user can write: `dbmigration-*` directories without a record of ours
//! are left alone, whatever they contain.

use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use super::procfs::{self, ProcessId};
use super::state;

/// Prefix of the temp dirs holding our clusters; a record naming anything else is ignored.
pub(crate) const DIR_PREFIX: &str = "dbmigration-";

/// One cluster we started, as written to the registry.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct ClusterRecord {
    /// `/proc/sys/kernel/random/boot_id` when it was written: pids of another boot mean nothing.
    boot: String,
    /// The dbmigration process that started the cluster.
    owner: ProcessId,
    /// The temp dir we created (`…/dbmigration-XXXX`).
    dir: PathBuf,
    /// The data directory inside it.
    data: PathBuf,
    /// The postgres binary, symlinks resolved (what `/proc/<pid>/exe` shows).
    postgres: PathBuf,
    /// The postmaster, once started.
    postmaster: Option<ProcessId>,
}

/// The directory holding the cluster records (created private on first use).
pub fn registry_dir() -> Result<PathBuf, String> {
    state::subdir("clusters").map_err(|e| e.to_string())
}

/// A cluster's record in the registry, removed when the cluster is torn down.
#[derive(Debug)]
pub(crate) struct Registration {
    path: PathBuf,
    record: ClusterRecord,
}

impl Registration {
    /// Records a cluster about to be created in `dir`. `None` (after one warning per process)
    /// when the registry is unusable: the cluster then runs unrecorded, and a kill -9 would
    /// leave it for the user to remove.
    pub(crate) fn create(dir: &Path, data: &Path, postgres: &Path) -> Option<Registration> {
        let attempt = || -> Result<Registration, String> {
            let registry = registry_dir()?;
            let name = dir.file_name().ok_or("temp dir without a name")?;
            let mut file_name = name.to_os_string();
            file_name.push(".json");
            let registration = Registration {
                path: registry.join(file_name),
                record: ClusterRecord {
                    boot: procfs::boot_id().ok_or("no /proc/sys/kernel/random/boot_id")?,
                    owner: ProcessId::current().ok_or("cannot read /proc/self/stat")?,
                    dir: dir.to_path_buf(),
                    data: data.to_path_buf(),
                    postgres: std::fs::canonicalize(postgres).map_err(|e| e.to_string())?,
                    postmaster: None,
                },
            };
            registration.write()?;
            Ok(registration)
        };
        attempt().map_err(|why| warn_once(&why)).ok()
    }

    /// Adds the postmaster's pid (with its start time) to the record.
    pub(crate) fn set_postmaster(&mut self, pid: u32) {
        let Some(process) = i32::try_from(pid).ok().and_then(ProcessId::of) else {
            return;
        };
        self.record.postmaster = Some(process);
        if let Err(why) = self.write() {
            warn_once(&why);
        }
    }

    fn write(&self) -> Result<(), String> {
        let json = serde_json::to_vec(&self.record).map_err(|e| e.to_string())?;
        state::write_private_file(&self.path, &json).map_err(|e| e.to_string())
    }

    /// The record's file, removed once the cluster is gone.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

fn warn_once(why: &str) {
    static WARNED: Once = Once::new();
    WARNED.call_once(|| {
        eprintln!(
            "warning: not recording scratch clusters ({why}); a cluster of a run killed with \
             SIGKILL will not be removed automatically"
        );
    });
}

/// Stops and removes every recorded cluster whose creating process is gone. Errors are
/// ignored: a sweep that cannot act leaves things as they are.
pub(crate) fn sweep() {
    let Ok(registry) = registry_dir() else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(&registry) else {
        return;
    };
    let boot = procfs::boot_id();
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let Some(record) = read_record(&path) else {
            continue;
        };
        if !plausible(&record) {
            continue;
        }
        let this_boot = boot.as_deref() == Some(record.boot.as_str());
        if this_boot && record.owner.is_running() {
            continue;
        }
        if this_boot
            && let Some(postmaster) = record.postmaster
            && postmaster.is_running()
            && !stop_postmaster(postmaster, &record)
        {
            // Still running and not provably ours: leave it (and its directory) alone.
            continue;
        }
        let _ = std::fs::remove_dir_all(&record.dir);
        let _ = std::fs::remove_file(&path);
    }
}

fn read_record(path: &Path) -> Option<ClusterRecord> {
    let file = state::open_private_file(path).ok()?;
    serde_json::from_reader(std::io::BufReader::new(file)).ok()
}

/// A record names a temp dir of ours and the data directory in it.
fn plausible(record: &ClusterRecord) -> bool {
    record.dir.is_absolute()
        && record
            .dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(DIR_PREFIX))
        && record.data == record.dir.join("data")
}

/// Whether `process` is provably the postmaster of `record`: the same process (start time),
/// running the recorded binary on the recorded data directory.
fn is_our_postmaster(process: ProcessId, record: &ClusterRecord) -> bool {
    process.pid > 1
        && process.is_running()
        && procfs::exe(process.pid).is_some_and(|exe| exe == record.postgres)
        && procfs::has_data_dir_arg(process.pid, &record.data)
}

/// Immediate shutdown (SIGQUIT; the postmaster takes its backends down), then SIGKILL to the
/// postmaster alone if it lingers. `false` when the process is not provably ours.
fn stop_postmaster(process: ProcessId, record: &ClusterRecord) -> bool {
    let pid = Pid::from_raw(process.pid);
    for (signal, grace) in [
        (Signal::SIGQUIT, Duration::from_secs(5)),
        (Signal::SIGKILL, Duration::from_secs(2)),
    ] {
        // Proven again right before each signal: the pid must not have been reused.
        if !is_our_postmaster(process, record) {
            return !process.is_running();
        }
        let _ = kill(pid, signal);
        let deadline = Instant::now() + grace;
        while process.is_running() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        if !process.is_running() {
            return true;
        }
    }
    !process.is_running()
}
