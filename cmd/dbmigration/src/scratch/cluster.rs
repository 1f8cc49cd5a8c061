//! A private throwaway PostgreSQL cluster: a data directory in a RAM-backed temp dir, a server
//! listening only on a Unix socket in that 0700 directory, durability off.

use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio_postgres::{Client, NoTls};

use super::binaries::{BinariesRequest, PgBinaries};
use super::orphans::{self, Registration};
use super::registry::{self, Live};
use super::template::{self, TemplateCache};
use super::{ScratchError, error::pg_message};

/// The superuser initdb creates; we connect as it over the socket (trust authentication).
pub(crate) const SUPERUSER: &str = "postgres";
/// Only names the socket file: nothing listens on TCP.
const PORT: u16 = 5432;
/// How long a server may take to accept connections before we give up.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// Server settings: no TCP, socket private to the owner, durability off (the data is thrown
/// away), nothing running in the background, English messages for error reports.
const SETTINGS: &[(&str, &str)] = &[
    ("listen_addresses", ""),
    ("unix_socket_permissions", "0700"),
    ("fsync", "off"),
    ("synchronous_commit", "off"),
    ("full_page_writes", "off"),
    ("wal_level", "minimal"),
    ("max_wal_senders", "0"),
    // Checkpoints are cheap with fsync off; this bounds the WAL kept in RAM.
    ("max_wal_size", "256MB"),
    ("checkpoint_timeout", "1d"),
    ("autovacuum", "off"),
    ("track_counts", "off"),
    ("jit", "off"),
    ("huge_pages", "off"),
    // Dynamic shared memory as files under the data directory, removed with it: the POSIX
    // default leaves /dev/shm/PostgreSQL.* behind after an immediate shutdown.
    ("dynamic_shared_memory_type", "mmap"),
    ("shared_buffers", "32MB"),
    ("max_connections", "40"),
    // A single migration that creates thousands of tables (a squashed baseline) takes a lock per
    // relation; PostgreSQL's default table (64 per connection) runs out at a few thousand.
    ("max_locks_per_transaction", "2048"),
    ("lc_messages", "C"),
    ("log_min_messages", "warning"),
    ("logging_collector", "off"),
];

/// What a started cluster looks like from outside (tests, benchmarks, debugging).
#[derive(Debug, Clone)]
pub struct ClusterInfo {
    /// The postmaster's process id.
    pub pid: u32,
    /// The temp dir holding `data/`, `sock/` and `postgres.log`.
    pub dir: PathBuf,
    /// The directory to use as `host` to connect.
    pub socket_dir: PathBuf,
    /// Server version (`15.10`).
    pub version: String,
    /// The directory of the server binaries (psql usually sits there too).
    pub bin_dir: PathBuf,
    /// Whether the data directory was copied from the template cache (else initdb ran).
    pub from_template: bool,
    /// Wall time from `Scratch::start` until the server accepted a connection.
    pub startup: Duration,
}

/// A running cluster. Dropping it stops the server and removes the directory.
#[derive(Debug)]
pub(crate) struct Cluster {
    id: u64,
    pub(crate) info: ClusterInfo,
}

impl Cluster {
    /// Starts a cluster and returns it with a superuser connection to `postgres`.
    ///
    /// Layout, so that root never writes where the server user could plant a symlink:
    /// `dbmigration-XXXX/` (ours, 0711 when the server runs as another user, else 0700) holds
    /// the logs (ours) and `data/` and `sock/` (the server user's, 0700).
    pub(crate) async fn start(
        pg_user: Option<&str>,
        request: &BinariesRequest,
        cache: &TemplateCache,
    ) -> Result<(Cluster, Client), ScratchError> {
        let started = Instant::now();
        let bins = PgBinaries::find(request)?;
        let owner = run_as(pg_user)?;
        let base = base_dir(owner.is_some());
        registry::install_signal_handler();
        orphans::sweep();

        // From here on, the registry entry (and `Cluster`'s Drop) own the directory.
        let id = registry::next_id();
        let dir = {
            let mut live = registry::lock();
            let dir = tempfile::Builder::new()
                .prefix(orphans::DIR_PREFIX)
                .tempdir_in(&base)
                .map_err(|e| ScratchError::io("creating a temp dir in", &base, e))?
                .keep();
            let record = Registration::create(&dir, &dir.join("data"), &bins.postgres);
            live.insert(
                id,
                Live {
                    dir: Some(dir.clone()),
                    child: None,
                    record: record.as_ref().map(|r| r.path().to_path_buf()),
                },
            );
            (dir, record)
        };
        let (dir, mut record) = dir;
        let socket_dir = dir.join("sock");
        let mut cluster = Cluster {
            id,
            info: ClusterInfo {
                pid: 0,
                dir: dir.clone(),
                socket_dir: socket_dir.clone(),
                version: bins.version.clone(),
                bin_dir: bins
                    .postgres
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
                from_template: false,
                startup: Duration::ZERO,
            },
        };
        {
            use std::os::unix::fs::PermissionsExt;
            // The server user may pass through to its own subdirectories, nothing more.
            let mode = if owner.is_some() { 0o711 } else { 0o700 };
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode))
                .map_err(|e| ScratchError::io("setting permissions of", &dir, e))?;
        }
        template::private_dir_for(&socket_dir, owner)?;

        let data = dir.join("data");
        let cache_root = cache.root();
        match cache_root
            .as_deref()
            .and_then(|r| template::cached(r, &bins.template_key()))
        {
            Some(pristine) if template::copy_tree(&pristine, &data, owner).is_ok() => {
                cluster.info.from_template = true;
            }
            _ => {
                // No template, or an unusable one: initdb as if there were none.
                if std::fs::symlink_metadata(&data).is_ok() {
                    std::fs::remove_dir_all(&data)
                        .map_err(|e| ScratchError::io("removing", &data, e))?;
                }
                // initdb (as the server user) cannot create it in our directory.
                template::private_dir_for(&data, owner)?;
                cluster.initdb(&bins, &data, owner).await?;
                if let Some(root) = &cache_root {
                    // A cache we cannot write only costs speed next time.
                    let _ = template::store(root, &bins.template_key(), &data);
                }
            }
        }

        let log = dir.join("postgres.log");
        let mut cmd = Command::new(&bins.postgres);
        cmd.arg("-D").arg(&data).arg("-k").arg(&socket_dir);
        cmd.arg("-p").arg(PORT.to_string());
        for (name, value) in SETTINGS {
            cmd.arg("-c").arg(format!("{name}={value}"));
        }
        cluster.info.pid = cluster.spawn(cmd, &log, owner, &dir)?;
        if let Some(record) = &mut record {
            record.set_postmaster(cluster.info.pid);
        }
        let client = cluster.wait_ready(&log).await?;
        cluster.info.startup = started.elapsed();
        Ok((cluster, client))
    }

    /// Connection settings for database `dbname` as the superuser, over the socket.
    pub(crate) fn config(&self, dbname: &str) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config
            .host_path(&self.info.socket_dir)
            .port(PORT)
            .user(SUPERUSER)
            .dbname(dbname)
            .application_name("dbmigration");
        config
    }

    async fn initdb(
        &mut self,
        bins: &PgBinaries,
        data: &Path,
        owner: Option<(u32, u32)>,
    ) -> Result<(), ScratchError> {
        let log = self.info.dir.join("initdb.log");
        let mut cmd = Command::new(&bins.initdb);
        cmd.arg("-D").arg(data);
        cmd.args([
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
            // 1 MB WAL segments instead of 16: a smaller template copies faster.
            "--wal-segsize",
            "1",
        ]);
        self.spawn(cmd, &log, owner, &self.info.dir.clone())?;
        let status = loop {
            if let Some(status) = self.try_wait_child() {
                break status;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        if status.success() {
            return Ok(());
        }
        Err(ScratchError::Initdb {
            status: status.to_string(),
            output: std::fs::read_to_string(&log).unwrap_or_default(),
        })
    }

    /// Spawns a server binary in its own process group (so a terminal's Ctrl-C reaches only
    /// us, and we decide how it stops), as `owner` when we are root, with output to `log`.
    fn spawn(
        &self,
        mut cmd: Command,
        log: &Path,
        owner: Option<(u32, u32)>,
        cwd: &Path,
    ) -> Result<u32, ScratchError> {
        // A new file (never an existing one, never through a symlink) in our own directory;
        // the child writes to it through the inherited descriptor.
        let out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(nix::libc::O_NOFOLLOW)
            .open(log)
            .map_err(|e| ScratchError::io("creating", log, e))?;
        let err = out
            .try_clone()
            .map_err(|e| ScratchError::io("opening", log, e))?;
        cmd.stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .current_dir(cwd)
            .env("LC_ALL", "C")
            .process_group(0);
        if let Some((uid, gid)) = owner {
            cmd.uid(uid).gid(gid);
        }
        let mut live = registry::lock();
        let child = cmd.spawn().map_err(|source| ScratchError::Spawn {
            program: PathBuf::from(cmd.get_program()),
            source,
        })?;
        let pid = child.id();
        if let Some(entry) = live.get_mut(&self.id) {
            entry.child = Some(child);
        }
        Ok(pid)
    }

    /// The registered child's exit status once it has exited (and forgets the child).
    fn try_wait_child(&self) -> Option<std::process::ExitStatus> {
        let mut live = registry::lock();
        let entry = live.get_mut(&self.id)?;
        let child = entry.child.as_mut()?;
        match child.try_wait() {
            Ok(Some(status)) => {
                entry.child = None;
                Some(status)
            }
            Ok(None) => None,
            Err(_) => {
                entry.child = None;
                Some(std::process::ExitStatus::default())
            }
        }
    }

    /// Polls the socket until the server accepts a connection; fails fast if it exits.
    async fn wait_ready(&self, log: &Path) -> Result<Client, ScratchError> {
        let socket = self.info.socket_dir.join(format!(".s.PGSQL.{PORT}"));
        let config = self.config("postgres");
        let deadline = Instant::now() + READY_TIMEOUT;
        let mut last_error = String::new();
        loop {
            if let Some(status) = self.try_wait_child() {
                return Err(ScratchError::ServerStart {
                    reason: format!("postgres {status}"),
                    log: log_tail(log),
                });
            }
            if socket.exists() {
                match config.connect(NoTls).await {
                    Ok((client, connection)) => {
                        tokio::spawn(connection);
                        return Ok(client);
                    }
                    Err(e) => last_error = pg_message(&e),
                }
            }
            if Instant::now() > deadline {
                return Err(ScratchError::ServerStart {
                    reason: format!(
                        "not accepting connections after {} s ({last_error})",
                        READY_TIMEOUT.as_secs()
                    ),
                    log: log_tail(log),
                });
            }
            tokio::time::sleep(Duration::from_millis(3)).await;
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        registry::barrier();
        let mut live = registry::lock();
        if let Some(mut entry) = live.remove(&self.id) {
            registry::teardown(&mut entry, Duration::from_secs(5));
        }
    }
}

/// The uid/gid to run the server as: only when we are root, since PostgreSQL refuses root.
fn run_as(pg_user: Option<&str>) -> Result<Option<(u32, u32)>, ScratchError> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    let name = pg_user.unwrap_or("postgres");
    match nix::unistd::User::from_name(name) {
        Ok(Some(user)) => Ok(Some((user.uid.as_raw(), user.gid.as_raw()))),
        _ => Err(ScratchError::NoSuchUser {
            user: name.to_owned(),
        }),
    }
}

/// A RAM-backed directory when there is one. `$XDG_RUNTIME_DIR` is private to its owner, so
/// it is only usable when the server runs as ourselves.
fn base_dir(other_user: bool) -> PathBuf {
    let shm = Path::new("/dev/shm");
    if is_writable_dir(shm) && has_room(shm) {
        return shm.to_owned();
    }
    if !other_user
        && let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from)
        && is_writable_dir(&runtime)
        && has_room(&runtime)
    {
        return runtime;
    }
    let tmp = std::env::temp_dir();
    // Unix socket paths are limited to ~107 bytes.
    if tmp.as_os_str().len() > 60 {
        return PathBuf::from("/tmp");
    }
    tmp
}

/// Whether a RAM-backed file system has room for a cluster and a long history's WAL:
/// containers often mount a 64 MB /dev/shm, too small to be worth the risk.
// The casts are no-ops on 64-bit Linux, not on 32-bit targets (c_ulong is u32 there).
#[allow(clippy::unnecessary_cast)]
fn has_room(dir: &Path) -> bool {
    const NEEDED: u64 = 512 * 1024 * 1024;
    match nix::sys::statvfs::statvfs(dir) {
        Ok(st) => {
            (st.blocks_available() as u64).saturating_mul(st.fragment_size() as u64) >= NEEDED
        }
        Err(_) => false,
    }
}

fn is_writable_dir(dir: &Path) -> bool {
    dir.is_dir() && nix::unistd::access(dir, nix::unistd::AccessFlags::W_OK).is_ok()
}

/// The last lines of a log file, for error reports.
fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = pgsql::lines(&text).collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
