//! Inspecting a live PostgreSQL catalog into the [`Database`] model.
//!
//! A fixed set of bulk queries (one per object kind, over all user schemas at once, kept as `.sql`
//! files next to this module) runs inside one read-only, repeatable-read transaction with an
//! empty `search_path`, so every name outside `pg_catalog` comes back schema-qualified. The
//! queries are issued together and tokio-postgres pipelines them on the one connection. Their
//! rows become plain structs ([`rows`]) and a pure function ([`assemble`]) builds the model; the
//! number of queries never depends on how many tables there are.

mod access;
pub(crate) mod assemble;
mod rows;

use futures_util::future::try_join_all;
use miette::Diagnostic;
use thiserror::Error;
use tokio_postgres::Client;
use tokio_postgres::types::ToSql;

use crate::model::Database;
use assemble::{Exclude, assemble};
use rows::Rows;

pub use assemble::TRACKING_TABLES;

/// What to inspect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectOptions {
    /// Only these schemas; empty means every user schema.
    pub schemas: Vec<String>,
    /// Leave out objects whose name or `schema.name` matches one of these globs (a schema
    /// matching drops everything in it).
    pub exclude: Vec<String>,
    /// Privileges and default privileges (`--no-privileges` turns them off).
    pub privileges: bool,
    /// Owners (`--no-owners` turns them off).
    pub owners: bool,
}

impl Default for InspectOptions {
    /// Everything: every schema, privileges and owners included.
    fn default() -> Self {
        Self {
            schemas: Vec::new(),
            exclude: Vec::new(),
            privileges: true,
            owners: true,
        }
    }
}

impl InspectOptions {
    /// `db` without what these options leave out (privileges, owners).
    pub fn access(&self, mut db: Database) -> Database {
        if !self.privileges {
            db = db.without_privileges();
        }
        if !self.owners {
            db = db.without_owners();
        }
        db
    }
}

/// Inspecting the catalog failed.
#[derive(Debug, Error, Diagnostic)]
pub enum InspectError {
    /// A catalog query (or the transaction around them) failed on the server.
    #[error("catalog query `{query}` failed: {source}")]
    #[diagnostic(
        code(hclgen::inspect::query),
        help(
            "inspect needs a role that can read pg_catalog; check that the connection is \
             still open"
        )
    )]
    Query {
        /// Which query: the `.sql` file name, or `BEGIN`/`COMMIT`.
        query: &'static str,
        /// The server's error.
        #[source]
        source: tokio_postgres::Error,
    },
    /// A row did not have the shape the query promises (a bug, or an unexpected server version).
    #[error("cannot read a row of catalog query `{query}`: {source}")]
    #[diagnostic(
        code(hclgen::inspect::row),
        help(
            "this is a bug in dbmigration's catalog queries; please report it with the server version"
        )
    )]
    Row {
        /// Which query.
        query: &'static str,
        /// The decoding error.
        #[source]
        source: tokio_postgres::Error,
    },
    /// The server is older than the catalog queries support.
    #[error("PostgreSQL {found} is too old to inspect (need 13 or newer)")]
    #[diagnostic(
        code(hclgen::inspect::version),
        help("inspect a server running PostgreSQL 13 or newer")
    )]
    Version {
        /// `server_version_num` as the server reports it.
        found: i32,
    },
    /// An `--exclude` pattern is not a valid glob.
    #[error("invalid exclude pattern `{pattern}`: {source}")]
    #[diagnostic(
        code(hclgen::inspect::exclude),
        help("use a glob such as `audit_*` or `archive.*`")
    )]
    Exclude {
        /// The pattern as given.
        pattern: String,
        /// Why it does not parse.
        #[source]
        source: globset::Error,
    },
}

/// The catalog queries, by name, in the order [`Rows`] is filled. Every one takes the schema
/// filter as `$1 text[]`.
pub const QUERIES: &[(&str, &str)] = &[
    ("schemas.sql", include_str!("inspect/schemas.sql")),
    ("extensions.sql", include_str!("inspect/extensions.sql")),
    ("enums.sql", include_str!("inspect/enums.sql")),
    ("domains.sql", include_str!("inspect/domains.sql")),
    ("composites.sql", include_str!("inspect/composites.sql")),
    ("ranges.sql", include_str!("inspect/ranges.sql")),
    ("sequences.sql", include_str!("inspect/sequences.sql")),
    ("tables.sql", include_str!("inspect/tables.sql")),
    ("inherits.sql", include_str!("inspect/inherits.sql")),
    ("columns.sql", include_str!("inspect/columns.sql")),
    ("constraints.sql", include_str!("inspect/constraints.sql")),
    ("indexes.sql", include_str!("inspect/indexes.sql")),
    ("index_parts.sql", include_str!("inspect/index_parts.sql")),
    (
        "view_dependencies.sql",
        include_str!("inspect/view_dependencies.sql"),
    ),
    ("functions.sql", include_str!("inspect/functions.sql")),
    ("triggers.sql", include_str!("inspect/triggers.sql")),
    ("policies.sql", include_str!("inspect/policies.sql")),
    ("collations.sql", include_str!("inspect/collations.sql")),
    ("access.sql", include_str!("inspect/access.sql")),
    ("default_acl.sql", include_str!("inspect/default_acl.sql")),
];

/// Statements sent besides [`QUERIES`]: the server version, the transaction's start (with
/// `SET LOCAL`) and its end.
pub const STATEMENTS_AROUND_QUERIES: usize = 3;

/// Oldest server the queries support (`pg_trigger.tgparentid` appeared in 13).
const MIN_SERVER_VERSION: i32 = 130_000;

/// Catalog columns newer than [`MIN_SERVER_VERSION`]: below `version`, `new` is replaced by
/// `old` in the query text, which is what the model holds on such servers anyway.
const COMPAT: &[(i32, &str, &str)] = &[
    (150_000, "i.indnullsnotdistinct", "false"),
    (
        140_000,
        "CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) ELSE p.prosrc END",
        "p.prosrc",
    ),
    (140_000, "r.rngmultitypid", "0::oid"),
    // The pseudo-type arrived with multiranges; no opclass takes it before.
    (140_000, "'anymultirange'::regtype", "0::oid"),
];

/// The query text for a server of the given `server_version_num`.
fn for_version(sql: &'static str, version: i32) -> std::borrow::Cow<'static, str> {
    let mut text = std::borrow::Cow::Borrowed(sql);
    for (since, new, old) in COMPAT {
        if version < *since && text.contains(new) {
            text = std::borrow::Cow::Owned(text.replace(new, old));
        }
    }
    text
}

/// One snapshot for every query; an empty `search_path` so names come back qualified; no JIT,
/// whose compile time (~50 ms per query whose cost estimate passes `jit_above_cost`) is far more
/// than these catalog scans take.
const BEGIN: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
                     SET LOCAL search_path = ''; SET LOCAL jit = off";

/// Inspects the database `client` is connected to. Read-only: runs [`QUERIES`] inside one
/// `READ ONLY` transaction and writes nothing. The result is [`Database::normalize`]d.
pub async fn inspect(client: &Client, opts: &InspectOptions) -> Result<Database, InspectError> {
    let exclude = Exclude::new(&opts.exclude)
        .map_err(|(pattern, source)| InspectError::Exclude { pattern, source })?;
    let version: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int4", &[])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|source| InspectError::Query {
            query: "server_version_num",
            source,
        })?;
    if version < MIN_SERVER_VERSION {
        return Err(InspectError::Version { found: version });
    }
    client
        .batch_execute(BEGIN)
        .await
        .map_err(|source| InspectError::Query {
            query: "BEGIN",
            source,
        })?;
    let fetched = fetch(client, &opts.schemas, version).await;
    let end = if fetched.is_ok() {
        "COMMIT"
    } else {
        "ROLLBACK"
    };
    let ended = client.batch_execute(end).await;
    let rows = fetched?;
    ended.map_err(|source| InspectError::Query { query: end, source })?;
    Ok(opts.access(assemble(&rows, &exclude)))
}

/// Runs every query at once (pipelined) and converts the rows.
async fn fetch(client: &Client, schemas: &[String], version: i32) -> Result<Rows, InspectError> {
    let params: [&(dyn ToSql + Sync); 1] = [&schemas];
    let results = try_join_all(QUERIES.iter().map(|(name, sql)| async move {
        client
            .query(for_version(sql, version).as_ref(), &params)
            .await
            .map_err(|source| InspectError::Query {
                query: name,
                source,
            })
    }))
    .await?;
    let mut results = results
        .into_iter()
        .zip(QUERIES.iter().map(|(name, _)| *name));
    let mut next = || {
        results
            .next()
            .expect("one result per entry of QUERIES, taken in the same order")
    };
    Ok(Rows {
        schemas: convert(next())?,
        extensions: convert(next())?,
        enums: convert(next())?,
        domains: convert(next())?,
        composites: convert(next())?,
        ranges: convert(next())?,
        sequences: convert(next())?,
        tables: convert(next())?,
        inherits: convert(next())?,
        columns: convert(next())?,
        constraints: convert(next())?,
        indexes: convert(next())?,
        index_parts: convert(next())?,
        view_dependencies: convert(next())?,
        functions: convert(next())?,
        triggers: convert(next())?,
        policies: convert(next())?,
        collations: convert(next())?,
        access: convert(next())?,
        default_acl: convert(next())?,
    })
}

fn convert<T>(
    (rows, query): (Vec<tokio_postgres::Row>, &'static str),
) -> Result<Vec<T>, InspectError>
where
    T: for<'a> TryFrom<&'a tokio_postgres::Row, Error = tokio_postgres::Error>,
{
    rows.iter()
        .map(|r| T::try_from(r).map_err(|source| InspectError::Row { query, source }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compat_replacements_match_the_query_text() {
        // Every replaced fragment must occur verbatim in some query, or the rewrite is dead.
        for (_, new, _) in COMPAT {
            assert!(QUERIES.iter().any(|(_, sql)| sql.contains(new)), "{new}");
        }
        let indexes = QUERIES
            .iter()
            .find(|(n, _)| *n == "indexes.sql")
            .map(|(_, s)| *s);
        let indexes = indexes.unwrap_or_default();
        assert!(for_version(indexes, 140_000).contains("false AS nulls_not_distinct"));
        assert!(matches!(
            for_version(indexes, 150_000),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
