//! `--database-url` mode: a uniquely named scratch database on a server someone else runs.

use tokio_postgres::config::Host;
use tokio_postgres::{Client, Config, NoTls};

use super::ScratchError;
use super::error::pg_message;

/// Parses a URL (`postgres://…`) or libpq `key=value` string. Without a database name we
/// connect to `postgres` to create ours (libpq would default to the user name).
pub(crate) fn parse(url: &str) -> Result<Config, ScratchError> {
    let mut config: Config = url
        .parse()
        .map_err(|source| ScratchError::InvalidUrl { source })?;
    if config.get_dbname().is_none() {
        config.dbname("postgres");
    }
    if config.get_hosts().is_empty() {
        // libpq's default: the usual socket directory.
        config.host_path("/var/run/postgresql");
    }
    if config.get_application_name().is_none() {
        config.application_name("dbmigration");
    }
    Ok(config)
}

/// Connects and spawns the connection task on the current runtime.
pub(crate) async fn connect(config: &Config) -> Result<Client, ScratchError> {
    match config.connect(NoTls).await {
        Ok((client, connection)) => {
            tokio::spawn(connection);
            Ok(client)
        }
        Err(e) => Err(ScratchError::Connect {
            target: describe(config),
            message: pg_message(&e),
        }),
    }
}

/// `host:port` or `socket /dir (port N)`, user and database, for error messages (never the
/// password).
pub(crate) fn describe(config: &Config) -> String {
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => format!("{name}:{port}"),
            Host::Unix(dir) => format!("socket {}/.s.PGSQL.{port}", dir.display()),
        })
        .collect();
    format!(
        "{} as user {} (database {})",
        hosts.join(", "),
        config.get_user().unwrap_or("(default)"),
        config.get_dbname().unwrap_or("(default)")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_and_key_value_forms() {
        let c = parse("postgres://alice:secret@db.example:6543/app").unwrap();
        assert_eq!(describe(&c), "db.example:6543 as user alice (database app)");
        let c = parse("host=/tmp/x user=postgres").unwrap();
        assert_eq!(
            describe(&c),
            "socket /tmp/x/.s.PGSQL.5432 as user postgres (database postgres)"
        );
        assert!(matches!(
            parse("postgres://[bad"),
            Err(ScratchError::InvalidUrl { .. })
        ));
    }
}
