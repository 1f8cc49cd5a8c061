//! The throwaway database every command and test uses: a private PostgreSQL cluster we start
//! ourselves, or a uniquely named database on a server given by `--database-url`.
//!
//! ```text
//! Scratch::start ─┬─ no URL: find binaries → copy cached initdb (or run it) → postgres on a
//!                 │          Unix socket in a 0700 temp dir → poll until it accepts
//!                 └─ URL:    connect to the given server
//! Scratch::create_database → CREATE DATABASE dbmigration_scratch_<random> (marked as ours in
//!                            URL mode), connected
//! Scratch::shutdown / Drop / panic / Ctrl-C → drop what we created, stop, remove
//! ```
//!
//! The caller must run inside a tokio runtime with IO and time enabled (`enable_all`).

mod binaries;
mod cluster;
mod error;
mod marker;
mod orphans;
mod procfs;
mod registry;
mod server_url;
mod state;
mod template;

use std::sync::Mutex;
use std::time::Duration;

use tokio_postgres::{Client, Config, NoTls};

pub use binaries::{DIR_ENV, SUPPORTED, VERSION_ENV, version_from_env};
pub use cluster::ClusterInfo;
pub use error::ScratchError;
pub use orphans::registry_dir as cluster_registry_dir;
pub use template::TemplateCache;

pub(crate) use registry::{add_group, kill_group, reap_group, track_dir, untrack_dir};

use cluster::Cluster;
use error::pg_message;

/// How to get a scratch database (from the command line: `DatabaseArgs`).
#[derive(Debug, Clone, Default)]
pub struct ScratchOptions {
    /// Use this server (URL or libpq `key=value`) instead of a private cluster.
    pub database_url: Option<String>,
    /// When we are root, run the private cluster as this user (default `postgres`).
    pub pg_user: Option<String>,
    /// The PostgreSQL major version of the private cluster (`--pg-version`; default:
    /// `DBMIGRATION_PG_VERSION`, else the highest installed).
    pub pg_version: Option<u32>,
    /// The directory of the cluster's server binaries (`--pg-bin`; default: `PG_BIN`, else
    /// searched, see `binaries`).
    pub pg_bin: Option<std::path::PathBuf>,
}

/// A place to create scratch databases: a private cluster we started, or a given server.
/// Dropping it (or [`Scratch::shutdown`]) removes everything it created.
pub struct Scratch {
    /// Superuser (cluster) or the given user (URL) on the maintenance database.
    admin: Client,
    backend: Backend,
    /// Databases we created (with their signal-registry id), the only ones we ever drop.
    created: Mutex<Vec<(u64, String)>>,
    /// The server's `server_version_num` (`150010`).
    version_num: u32,
}

enum Backend {
    Cluster(Cluster),
    Server(Config),
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.backend {
            Backend::Cluster(c) => f.debug_tuple("Scratch::Cluster").field(&c.info).finish(),
            Backend::Server(config) => f
                .debug_tuple("Scratch::Server")
                .field(&server_url::describe(config))
                .finish(),
        }
    }
}

impl Scratch {
    /// Starts a private cluster (no URL) or connects to the given server.
    pub async fn start(opts: &ScratchOptions) -> Result<Scratch, ScratchError> {
        Scratch::start_with(opts, &TemplateCache::Default).await
    }

    /// [`Scratch::start`] with an explicit initdb template cache (tests and benchmarks).
    pub async fn start_with(
        opts: &ScratchOptions,
        cache: &TemplateCache,
    ) -> Result<Scratch, ScratchError> {
        let (admin, backend) = match opts.database_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => {
                let config = server_url::parse(url)?;
                let admin = server_url::connect(&config).await?;
                registry::install_signal_handler();
                marker::sweep_stale(&admin).await;
                (admin, Backend::Server(config))
            }
            None => {
                let request = binaries::BinariesRequest {
                    major: opts.pg_version,
                    bin_dir: opts.pg_bin.clone(),
                };
                let (cluster, admin) =
                    Cluster::start(opts.pg_user.as_deref(), &request, cache).await?;
                (admin, Backend::Cluster(cluster))
            }
        };
        let version_num = server_version_num(&admin).await?;
        Ok(Scratch {
            admin,
            backend,
            created: Mutex::new(Vec::new()),
            version_num,
        })
    }

    /// The server's `server_version_num` (`150010` for 15.10): the private cluster's, or the
    /// given server's.
    pub fn server_version_num(&self) -> u32 {
        self.version_num
    }

    /// The server's major version (`15`).
    pub fn major_version(&self) -> u32 {
        self.version_num / 10000
    }

    /// The private cluster's details; `None` in URL mode.
    pub fn cluster_info(&self) -> Option<&ClusterInfo> {
        match &self.backend {
            Backend::Cluster(c) => Some(&c.info),
            Backend::Server(_) => None,
        }
    }

    /// Creates a new, uniquely named, empty database (from `template0`) and connects to it.
    pub async fn create_database(&self) -> Result<ScratchDatabase, ScratchError> {
        let name = format!("dbmigration_scratch_{}", unique_suffix());
        // On our own cluster (fsync off) the checkpoints of FILE_COPY cost nothing, and it
        // is faster than PostgreSQL 15's default WAL_LOG copy.
        let strategy = match &self.backend {
            Backend::Cluster(_) if self.major_version() >= 15 => " STRATEGY FILE_COPY",
            _ => "",
        };
        self.admin
            .batch_execute(&format!(
                "CREATE DATABASE \"{name}\" TEMPLATE template0{strategy}"
            ))
            .await
            .map_err(|e| ScratchError::Sql {
                action: format!("CREATE DATABASE {name}"),
                message: pg_message(&e),
            })?;
        let id = match &self.backend {
            Backend::Server(config) => {
                // Lets a later run drop it if this one is killed outright (`marker.rs`). Not
                // fatal: an unmarked database is only never swept.
                if let Some(comment) = marker::comment_for(&name) {
                    let _ = self
                        .admin
                        .batch_execute(&format!(
                            "COMMENT ON DATABASE \"{name}\" IS '{}'",
                            comment.replace('\'', "''")
                        ))
                        .await;
                }
                registry::add_database(config, &name)
            }
            Backend::Cluster(_) => 0,
        };
        self.created_list().push((id, name.clone()));
        let config = self.config_for(&name);
        let client = match config.connect(NoTls).await {
            Ok((client, connection)) => {
                tokio::spawn(connection);
                client
            }
            Err(e) => {
                return Err(ScratchError::Connect {
                    target: server_url::describe(&config),
                    message: pg_message(&e),
                });
            }
        };
        Ok(ScratchDatabase {
            client,
            name,
            config,
        })
    }

    /// Drops the databases we created (URL mode) or stops and removes the cluster.
    pub async fn shutdown(self) -> Result<(), ScratchError> {
        registry::barrier();
        if let Backend::Server(_) = &self.backend {
            let names = std::mem::take(&mut *self.created_list());
            let mut first_error = None;
            for (id, name) in names {
                match drop_database(&self.admin, &name).await {
                    Ok(()) => registry::remove_database(id),
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            if let Some(e) = first_error {
                return Err(e);
            }
        }
        // Drop stops and removes a cluster.
        Ok(())
    }

    fn config_for(&self, dbname: &str) -> Config {
        match &self.backend {
            Backend::Cluster(c) => c.config(dbname),
            Backend::Server(config) => {
                let mut config = config.clone();
                config.dbname(dbname);
                config
            }
        }
    }

    fn created_list(&self) -> std::sync::MutexGuard<'_, Vec<(u64, String)>> {
        self.created
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for Scratch {
    /// URL mode without `shutdown` (an error or panic on the way): drop our databases from a
    /// helper thread with its own runtime, since Drop cannot await. A cluster cleans up in
    /// its own Drop.
    fn drop(&mut self) {
        registry::barrier();
        let Backend::Server(config) = &self.backend else {
            return;
        };
        let names = std::mem::take(&mut *self.created_list());
        if names.is_empty() {
            return;
        }
        let config = config.clone();
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("dbmigration-dropdb".into())
            .spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(async {
                        if let Ok((client, connection)) = config.connect(NoTls).await {
                            tokio::spawn(connection);
                            for (id, name) in &names {
                                if drop_database(&client, name).await.is_ok() {
                                    registry::remove_database(*id);
                                }
                            }
                        }
                    });
                }
                let _ = done_tx.send(());
            });
        if spawned.is_ok() {
            let _ = done_rx.recv_timeout(Duration::from_secs(10));
        }
    }
}

/// `SHOW server_version_num` (an integer since PostgreSQL 8.2).
async fn server_version_num(admin: &Client) -> Result<u32, ScratchError> {
    let sql_error = |message: String| ScratchError::Sql {
        action: "SHOW server_version_num".to_owned(),
        message,
    };
    let row = admin
        .query_one("SHOW server_version_num", &[])
        .await
        .map_err(|e| sql_error(pg_message(&e)))?;
    let text: String = row.try_get(0).map_err(|e| sql_error(pg_message(&e)))?;
    text.trim()
        .parse()
        .map_err(|_| sql_error(format!("not a number: {text}")))
}

/// Drops a database we created, disconnecting whoever is still on it (PostgreSQL 13+ has
/// `WITH (FORCE)`; older servers get the backends terminated first).
pub(crate) async fn drop_database(admin: &Client, name: &str) -> Result<(), ScratchError> {
    let quoted = format!("\"{}\"", name.replace('"', "\"\""));
    let forced = admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        .await;
    let result = match forced {
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::SYNTAX_ERROR) => {
            let _ = admin
                .execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                    &[&name],
                )
                .await;
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {quoted}"))
                .await
        }
        other => other,
    };
    result.map_err(|e| ScratchError::Sql {
        action: format!("DROP DATABASE {name}"),
        message: pg_message(&e),
    })
}

/// One scratch database with an open connection.
pub struct ScratchDatabase {
    client: Client,
    name: String,
    config: Config,
}

impl std::fmt::Debug for ScratchDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScratchDatabase")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl ScratchDatabase {
    /// The open connection.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The database's name (`dbmigration_scratch_…`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Settings to open more connections to this database.
    pub fn connection_config(&self) -> Config {
        self.config.clone()
    }

    /// The same as a libpq `key=value` string (for `DATABASE_URL` of a migrate command).
    pub fn connection_string(&self) -> String {
        use tokio_postgres::config::Host;
        let mut parts = Vec::new();
        for host in self.config.get_hosts() {
            match host {
                Host::Tcp(h) => parts.push(format!("host={}", quote_kv(h))),
                Host::Unix(p) => parts.push(format!("host={}", quote_kv(&p.to_string_lossy()))),
            }
        }
        if let Some(port) = self.config.get_ports().first() {
            parts.push(format!("port={port}"));
        }
        if let Some(user) = self.config.get_user() {
            parts.push(format!("user={}", quote_kv(user)));
        }
        if let Some(pw) = self.config.get_password() {
            parts.push(format!(
                "password={}",
                quote_kv(&String::from_utf8_lossy(pw))
            ));
        }
        parts.push(format!("dbname={}", quote_kv(&self.name)));
        parts.join(" ")
    }
}

impl ScratchDatabase {
    /// The same as a `postgresql://` URL, for tools that only take URLs (sqlx, diesel, Django's
    /// dj-database-url, SQLAlchemy, knex, lib/pq). A socket directory goes in the `host` query
    /// parameter, as libpq documents. `postgresql://`, not `postgres://`: both are libpq's,
    /// and SQLAlchemy 1.4+ accepts only the first (`sqlalchemy/dialects/postgresql`).
    pub fn connection_url(&self) -> String {
        use tokio_postgres::config::Host;
        let mut url = String::from("postgresql://");
        if let Some(user) = self.config.get_user() {
            url.push_str(&percent_encode(user));
            if let Some(pw) = self.config.get_password() {
                url.push(':');
                url.push_str(&percent_encode(&String::from_utf8_lossy(pw)));
            }
            url.push('@');
        }
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        let mut query = Vec::new();
        match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) if h.contains(':') => url.push_str(&format!("[{h}]:{port}")),
            Some(Host::Tcp(h)) => url.push_str(&format!("{}:{port}", percent_encode(h))),
            Some(Host::Unix(dir)) => {
                query.push(format!("host={}", percent_encode(&dir.to_string_lossy())));
                query.push(format!("port={port}"));
            }
            None => {}
        }
        url.push('/');
        url.push_str(&percent_encode(&self.name));
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query.join("&"));
        }
        url
    }
}

impl ScratchDatabase {
    /// The libpq variables naming this database (`PGHOST PGPORT PGUSER PGDATABASE`, and
    /// `PGPASSWORD` when the given server's URL has one), for a migrate command.
    pub fn libpq_env(&self) -> Vec<(&'static str, String)> {
        use tokio_postgres::config::Host;
        let mut env = Vec::new();
        match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => env.push(("PGHOST", h.clone())),
            Some(Host::Unix(dir)) => env.push(("PGHOST", dir.to_string_lossy().into_owned())),
            None => {}
        }
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        env.push(("PGPORT", port.to_string()));
        if let Some(user) = self.config.get_user() {
            env.push(("PGUSER", user.to_owned()));
        }
        env.push(("PGDATABASE", self.name.clone()));
        if let Some(pw) = self.config.get_password() {
            env.push(("PGPASSWORD", String::from_utf8_lossy(pw).into_owned()));
        }
        env
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn quote_kv(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A short random-enough hex string: process id, time and a counter, hashed.
pub(crate) fn unique_suffix() -> String {
    use sha2::{Digest, Sha256};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let seed = format!(
        "{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let digest = Sha256::digest(seed.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// One-line text of a driver error (the server's message and SQLSTATE, or the error chain).
pub fn driver_message(err: &tokio_postgres::Error) -> String {
    pg_message(err)
}
