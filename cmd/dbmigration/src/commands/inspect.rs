//! `dbmigration inspect URL`: render an existing database to HCL, strictly read-only.
//!
//! The session itself is read-only (`default_transaction_read_only`), and `hclgen::inspect` runs
//! its catalog queries inside one `READ ONLY` transaction: nothing is created or written on the
//! server, whatever the role may do.

use std::str::FromStr;

use miette::Diagnostic;
use thiserror::Error;
use tokio_postgres::{Config, NoTls};

use crate::cli::InspectArgs;
use crate::commands::ExitStatus;
use crate::output::Output;

/// Connecting to the database to inspect failed.
#[derive(Debug, Error, Diagnostic)]
pub(crate) enum InspectCommandError {
    /// The URL does not parse.
    #[error("invalid database URL: {source}")]
    #[diagnostic(
        code(dbmigration::inspect::url),
        help(
            "use a URL such as `postgres://user@host:5432/db` or the libpq form \
             `host=/run/postgresql dbname=db user=me`"
        )
    )]
    Url {
        /// Why it does not parse.
        #[source]
        source: tokio_postgres::Error,
    },
    /// The server refused or could not be reached.
    #[error("cannot connect to {target}: {source}")]
    #[diagnostic(
        code(dbmigration::inspect::connect),
        help(
            "check that the server is running, the host and port are right, and the role may log in"
        )
    )]
    Connect {
        /// Host and database, never the password.
        target: String,
        /// The connection error.
        #[source]
        source: tokio_postgres::Error,
    },
}

/// Runs `dbmigration inspect`.
pub fn run(args: &InspectArgs) -> miette::Result<ExitStatus> {
    let opts = hclgen::InspectOptions {
        schemas: args.schemas.clone(),
        exclude: args.exclude.clone(),
    };
    let db = crate::pipeline::runtime()?.block_on(inspect_url(&args.url, &opts))?;
    let text = hclgen::render(&db);
    let output = match &args.output {
        Some(path) => Output::from_arg(Some(path), "-"),
        None => Output::Stdout,
    };
    output.write(&text)?;
    Ok(ExitStatus::Clean)
}

/// Connects to `url` with a read-only session and inspects it.
pub(crate) async fn inspect_url(
    url: &str,
    opts: &hclgen::InspectOptions,
) -> miette::Result<hclgen::Database> {
    let mut config = Config::from_str(url).map_err(|source| InspectCommandError::Url { source })?;
    config
        .application_name("dbmigration inspect")
        .options("-c default_transaction_read_only=on");
    let (client, connection) =
        config
            .connect(NoTls)
            .await
            .map_err(|source| InspectCommandError::Connect {
                target: describe(&config),
                source,
            })?;
    let connection = tokio::spawn(connection);
    let db = hclgen::inspect(&client, opts).await;
    drop(client);
    // The connection task ends once the client is gone; its own error adds nothing here.
    let _ = connection.await;
    Ok(db?)
}

/// [`describe`] for a URL as given on the command line (`(invalid URL)` when it does not parse).
pub(crate) fn describe_url(url: &str) -> String {
    Config::from_str(url)
        .map(|c| describe(&c))
        .unwrap_or_else(|_| "(invalid URL)".to_owned())
}

/// `host:port/dbname` for messages, leaving out credentials.
fn describe(config: &Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".to_owned());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config.get_dbname().unwrap_or("(default database)");
    format!("{host}:{port}/{db}")
}
