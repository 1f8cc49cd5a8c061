//! Operands parsed once into validated types: a schema is an HCL file or a live database
//! (inspected read-only, as `dbmigration inspect` does).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use miette::Diagnostic;
use thiserror::Error;
use tokio_postgres::{Config, NoTls};

/// Connecting to the database to inspect failed.
#[derive(Debug, Error, Diagnostic)]
pub enum InspectError {
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

/// A live database given by URL or libpq `key=value` string, already parsed.
#[derive(Debug, Clone)]
pub struct Database {
    config: Config,
}

impl Database {
    /// Parses `url` (`postgres://…` or libpq `key=value`).
    pub fn parse(url: &str) -> Result<Self, InspectError> {
        let config = Config::from_str(url).map_err(|source| InspectError::Url { source })?;
        Ok(Database { config })
    }

    /// `host:port/dbname`, without credentials: safe for messages and file headers.
    pub fn describe(&self) -> String {
        describe(&self.config)
    }

    /// Connects with a read-only session and inspects it.
    pub async fn inspect(&self, opts: &hclgen::InspectOptions) -> miette::Result<hclgen::Database> {
        let mut config = self.config.clone();
        config
            .application_name("dbmigration inspect")
            .options("-c default_transaction_read_only=on");
        let (client, connection) =
            config
                .connect(NoTls)
                .await
                .map_err(|source| InspectError::Connect {
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
}

/// An input schema file could not be read.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot read {}", path.display())]
#[diagnostic(
    code(dbmigration::diff::read),
    help(
        "render it first (`dbmigration hcl <REF>`), or pass the two files: `dbmigration diff FROM.hcl TO.hcl`"
    )
)]
struct ReadError {
    path: PathBuf,
    #[source]
    source: std::io::Error,
}

/// A schema operand: an HCL file, or a live database.
#[derive(Debug, Clone)]
pub enum Schema {
    /// An HCL file (`release.hcl`).
    Hcl(PathBuf),
    /// A database, inspected read-only.
    Database(Box<Database>),
}

impl Schema {
    /// `postgres://…`, `postgresql://…`, or a `key=value` string that names no existing file,
    /// is a database; anything else a file.
    pub fn parse(arg: &Path) -> Result<Self, InspectError> {
        let s = arg.to_string_lossy();
        let database = s.starts_with("postgres://")
            || s.starts_with("postgresql://")
            || (s.contains('=') && !arg.exists());
        Ok(if database {
            Schema::Database(Box::new(Database::parse(&s)?))
        } else {
            Schema::Hcl(arg.to_path_buf())
        })
    }

    /// How the operand is named in headers and messages (never with credentials).
    pub fn label(&self) -> String {
        match self {
            Schema::Hcl(p) => p.display().to_string(),
            Schema::Database(d) => d.describe(),
        }
    }

    /// Whether it is a database.
    pub fn is_database(&self) -> bool {
        matches!(self, Schema::Database(_))
    }

    /// Loads the schema; `opts` narrows it (schemas, exclude globs), for files too.
    pub fn load(&self, opts: &hclgen::InspectOptions) -> miette::Result<hclgen::Database> {
        match self {
            Schema::Hcl(path) => {
                let db = read_hcl(path)?;
                Ok(narrow(db, opts)?)
            }
            // Its own small runtime, so two databases can be inspected on two threads.
            Schema::Database(d) => super::runtime()?.block_on(d.inspect(opts)),
        }
    }
}

/// Reads and parses one HCL schema file.
pub fn read_hcl(path: &Path) -> miette::Result<hclgen::Database> {
    let text = std::fs::read_to_string(path).map_err(|source| ReadError {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(hclgen::parse(&path.display().to_string(), &text)?)
}

/// An exclude glob that does not parse.
#[derive(Debug, Error, Diagnostic)]
#[error("invalid --exclude glob `{0}`")]
#[diagnostic(
    code(dbmigration::exclude),
    help("write a glob on an object name or `schema.name`, e.g. `--exclude 'audit_*'`")
)]
pub struct BadExclude(String);

/// `db` with only the objects `opts` keeps: in the given schemas (when any), and not matching
/// an exclude glob by name or `schema.name` — what `inspect` would have left out.
pub fn narrow(
    mut db: hclgen::Database,
    opts: &hclgen::InspectOptions,
) -> Result<hclgen::Database, BadExclude> {
    db = opts.access(db);
    if opts.schemas.is_empty() && opts.exclude.is_empty() {
        return Ok(db);
    }
    let mut set = globset::GlobSetBuilder::new();
    for g in &opts.exclude {
        set.add(globset::Glob::new(g).map_err(|_| BadExclude(g.clone()))?);
    }
    let excluded = set
        .build()
        .map_err(|_| BadExclude(opts.exclude.join(", ")))?;
    let schema_kept = |schema: &str| {
        (opts.schemas.is_empty() || opts.schemas.iter().any(|s| s == schema))
            && !excluded.is_match(schema)
    };
    let keep = |n: &hclgen::QualifiedName| {
        schema_kept(&n.schema)
            && !excluded.is_match(&n.name)
            && !excluded.is_match(format!("{}.{}", n.schema, n.name))
    };
    db.schemas.retain(|s| schema_kept(&s.name));
    db.extensions.retain(|e| schema_kept(&e.schema));
    db.enums.retain(|o| keep(&o.name));
    db.domains.retain(|o| keep(&o.name));
    db.composites.retain(|o| keep(&o.name));
    db.ranges.retain(|o| keep(&o.name));
    db.sequences.retain(|o| keep(&o.name));
    db.tables.retain(|o| keep(&o.name));
    db.views.retain(|o| keep(&o.name));
    db.functions.retain(|o| keep(&o.name));
    db.triggers.retain(|o| keep(&o.table));
    db.policies.retain(|o| keep(&o.table));
    db.collations.retain(|o| keep(&o.name));
    let object_kept = |o: &hclgen::ObjectRef| match o {
        hclgen::ObjectRef::Schema(s) => schema_kept(s),
        hclgen::ObjectRef::Table(n)
        | hclgen::ObjectRef::View(n)
        | hclgen::ObjectRef::MaterializedView(n)
        | hclgen::ObjectRef::Sequence(n)
        | hclgen::ObjectRef::Type(n)
        | hclgen::ObjectRef::Domain(n) => keep(n),
        hclgen::ObjectRef::Column(c) => keep(&c.table),
        hclgen::ObjectRef::Function(f) | hclgen::ObjectRef::Procedure(f) => keep(&f.name),
    };
    db.permissions.retain(|p| object_kept(&p.object));
    db.owners.retain(|o| object_kept(&o.object));
    db.default_permissions
        .retain(|d| d.schema.as_deref().is_none_or(schema_kept));
    Ok(db)
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

#[cfg(test)]
mod tests {
    use super::*;

    const HCL: &str = "table \"users\" {\n  schema = schema.public\n  column \"id\" {\n    null = false\n    type = bigint\n  }\n}\ntable \"audit_log\" {\n  schema = schema.public\n  column \"id\" {\n    null = false\n    type = bigint\n  }\n}\ntable \"invoices\" {\n  schema = schema.billing\n  column \"id\" {\n    null = false\n    type = bigint\n  }\n}\nschema \"public\" {\n}\nschema \"billing\" {\n}\n";

    fn tables(opts: &hclgen::InspectOptions) -> Vec<String> {
        let db = hclgen::parse("x.hcl", HCL).unwrap();
        let db = narrow(db, opts).unwrap();
        db.tables.iter().map(|t| t.name.to_string()).collect()
    }

    #[test]
    fn schemas_and_excludes_narrow_an_hcl_schema_as_inspect_would() {
        let all = tables(&hclgen::InspectOptions::default());
        assert_eq!(all.len(), 3);
        let only_public = hclgen::InspectOptions {
            schemas: vec!["public".into()],
            exclude: vec!["audit_*".into()],
            ..hclgen::InspectOptions::default()
        };
        assert_eq!(tables(&only_public), vec!["public.users".to_string()]);
        let by_qualified = hclgen::InspectOptions {
            schemas: vec![],
            exclude: vec!["billing.*".into()],
            ..hclgen::InspectOptions::default()
        };
        assert_eq!(tables(&by_qualified).len(), 2);
        let bad = hclgen::InspectOptions {
            schemas: vec![],
            exclude: vec!["a{".into()],
            ..hclgen::InspectOptions::default()
        };
        assert!(narrow(hclgen::parse("x.hcl", HCL).unwrap(), &bad).is_err());
    }

    #[test]
    fn operands_are_files_or_databases() {
        assert!(
            !Schema::parse(Path::new("release.hcl"))
                .unwrap()
                .is_database()
        );
        let db = Schema::parse(Path::new("postgres://u:secret@h:5433/app")).unwrap();
        assert!(db.is_database());
        assert_eq!(db.label(), "h:5433/app");
        assert!(Schema::parse(Path::new("postgres://[bad")).is_err());
    }
}
