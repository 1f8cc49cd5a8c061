//! The config file `dbmigration.hcl` at the repository root:
//!
//! ```hcl
//! migrations {
//!   dir    = "db/migrations"   # relative to the repository root
//!   format = "golang-migrate"  # optional; auto-detected when absent
//!   table  = "schema_om"       # optional; the tool's history table if renamed
//!   # or, for migrations written in code: the project's own migrate command, run at the ref
//!   # against the scratch database (see docs/code-migrations.md)
//!   command      = "python3 manage.py migrate --noinput"
//!   down_command = "python3 manage.py migrate shop zero --noinput"   # optional, for `check`
//! }
//! postgres {
//!   version = 16                # production's major version (optional)
//! }
//!
//! # SQL run on the scratch database before the first migration: what production has that
//! # the migrations assume (roles they GRANT to, extensions they need).
//! setup = <<-SQL
//!   CREATE ROLE app_readonly;
//! SQL
//!
//! check {
//!   ignore = ["out-of-order"]   # check codes `check` and `run` drop
//! }
//! ```
//!
//! Several histories applied into one database are named blocks, `migrations "core" { … }`,
//! applied in the order written ([`migrations`]).
//!
//! Parsed twice on purpose: hcl-edit's tree gives byte spans, so unknown keys and bad values are
//! reported at their place in the file; serde (through hcl-rs) then builds [`Config`].

use std::path::{Component, Path};
use std::sync::Arc;

use hcl::edit::expr::Expression;
use hcl::edit::structure::{Body, Structure};
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use thiserror::Error;

pub mod check;
pub mod diff;
pub mod lint;
pub mod migrations;
#[cfg(test)]
mod validation_tests;
mod values;

pub use check::CheckConfig;
pub use diff::DiffConfig;
pub use lint::LintConfig;
pub use migrations::MigrationsConfig;

/// The config file's name, looked up at the repository root.
pub const FILE_NAME: &str = "dbmigration.hcl";

/// The whole config file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The `migrations { … }` block, or the named blocks in the order they are written (the
    /// order the histories are applied in); empty when there is none. Read from the syntax
    /// tree ([`migrations::read`]), not by serde.
    #[serde(skip)]
    pub migrations: Vec<MigrationsConfig>,
    /// Serde's view of the `migrations` blocks, unused: they are read with their spans.
    #[serde(default, rename = "migrations")]
    migrations_read_elsewhere: ReadElsewhere,
    /// SQL run before the first migration.
    #[serde(default)]
    pub setup: Option<String>,
    /// The `postgres { … }` block.
    #[serde(default)]
    pub postgres: Option<PostgresConfig>,
    /// The `lint { … }` block.
    #[serde(default)]
    pub lint: Option<LintConfig>,
    /// The `diff { … }` block.
    #[serde(default)]
    pub diff: Option<DiffConfig>,
    /// The `check { … }` block.
    #[serde(default)]
    pub check: Option<CheckConfig>,
}

impl Config {
    /// The one history's block: the unnamed block, or the first named one.
    pub fn history(&self) -> Option<&MigrationsConfig> {
        self.migrations.first()
    }

    /// Whether the file declares named histories (`migrations "core" { }`), each read from its
    /// own directory.
    pub fn has_named_histories(&self) -> bool {
        self.migrations.iter().any(|m| m.label.is_some())
    }

    /// The block of the history read from `dir` (repository-relative): the one unnamed block,
    /// or the named block whose `dir` is `dir` (`.` parts aside); with named histories and no
    /// `dir`, none.
    pub fn history_in(&self, dir: Option<&std::path::Path>) -> Option<&MigrationsConfig> {
        if !self.has_named_histories() {
            return self.history();
        }
        let wanted = migrations::normalized(dir?);
        self.migrations.iter().find(|m| {
            m.dir
                .as_deref()
                .is_some_and(|d| migrations::normalized(d) == wanted)
        })
    }

    /// The check codes `check { ignore }` drops.
    pub fn ignored_checks(&self) -> &[String] {
        self.check
            .as_ref()
            .map(|c| c.ignore.as_slice())
            .unwrap_or(&[])
    }
}

/// A value serde skips over (the `migrations` blocks, read from the syntax tree instead).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ReadElsewhere;

impl<'de> Deserialize<'de> for ReadElsewhere {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d)?;
        Ok(ReadElsewhere)
    }
}

/// The `postgres { … }` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostgresConfig {
    /// The major version production runs: the scratch server's when neither `--pg-version`
    /// nor `DBMIGRATION_PG_VERSION` names one.
    pub version: Option<u32>,
}

/// `dbmigration.hcl` is not valid.
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    /// Not HCL.
    #[error("{FILE_NAME} is not valid HCL: {message}")]
    #[diagnostic(
        code(dbmigration::config::syntax),
        help("the file holds a block like `migrations {{ dir = \"db/migrations\" }}`")
    )]
    Syntax {
        /// What the parser said.
        message: String,
        /// The file.
        #[source_code]
        src: Arc<NamedSource<String>>,
        /// Where.
        #[label("here")]
        span: SourceSpan,
    },
    /// A key or block we do not know.
    #[error("unknown {what} `{key}` in {FILE_NAME}")]
    #[diagnostic(code(dbmigration::config::unknown_key), help("{expected}"))]
    UnknownKey {
        /// "key" or "block".
        what: &'static str,
        /// The key.
        key: String,
        /// What is allowed there.
        expected: String,
        /// The file.
        #[source_code]
        src: Arc<NamedSource<String>>,
        /// Where.
        #[label("not a known {what}")]
        span: SourceSpan,
    },
    /// A known key with a value we cannot use.
    #[error("bad value for `{key}` in {FILE_NAME}: {message}")]
    #[diagnostic(code(dbmigration::config::bad_value), help("{help}"))]
    BadValue {
        /// The key.
        key: String,
        /// What is wrong.
        message: String,
        /// What would be right.
        help: String,
        /// The file.
        #[source_code]
        src: Arc<NamedSource<String>>,
        /// Where.
        #[label("{message}")]
        span: SourceSpan,
    },
}

/// Parses `text` (the contents of the file shown as `name`).
pub fn parse(name: &str, text: &str) -> Result<Config, ConfigError> {
    let src = || Arc::new(NamedSource::new(name, text.to_owned()));
    let body = hcl::edit::parser::parse_body(text).map_err(|e| ConfigError::Syntax {
        message: e.message().to_owned(),
        src: src(),
        span: (e.location().offset().min(text.len()), 0).into(),
    })?;
    validate(&body, text, &src)?;
    let migrations = migrations::read(&values::Doc { text, src: &src }, &body)?;
    let mut config = hcl::from_str::<Config>(text).map_err(|e| ConfigError::Syntax {
        message: e.to_string(),
        src: src(),
        span: (0, text.len()).into(),
    })?;
    config.migrations = migrations;
    Ok(config)
}

pub(crate) fn span_of(s: &impl hcl::edit::Span, text: &str) -> SourceSpan {
    let r = s.span().unwrap_or(0..text.len());
    (r.start, r.end.saturating_sub(r.start)).into()
}

fn validate(
    body: &Body,
    text: &str,
    src: &dyn Fn() -> Arc<NamedSource<String>>,
) -> Result<(), ConfigError> {
    for structure in body.iter() {
        match structure {
            // Read and checked together by `migrations::read` (named blocks relate).
            Structure::Block(block) if block.ident.as_str() == "migrations" => {}
            Structure::Block(block) if block.ident.as_str() == "postgres" => {
                validate_postgres(&block.body, text, src)?;
            }
            Structure::Block(block)
                if matches!(block.ident.as_str(), "lint" | "diff" | "check") =>
            {
                let doc = values::Doc { text, src };
                if let Some(label) = block.labels.first() {
                    let name = block.ident.as_str();
                    return Err(doc.bad_at(
                        name,
                        span_of(label, text),
                        "the block takes no label",
                        format!("write `{name} {{ … }}`"),
                    ));
                }
                match block.ident.as_str() {
                    "lint" => lint::validate(&doc, &block.body)?,
                    "diff" => diff::validate(&doc, &block.body)?,
                    _ => check::validate(&doc, &block.body)?,
                }
            }
            Structure::Block(block) => {
                return Err(ConfigError::UnknownKey {
                    what: "block",
                    key: block.ident.as_str().to_owned(),
                    expected: "the top-level blocks are `migrations { dir = \"...\" format = \"...\" }`, `postgres { version = 16 }`, `lint { … }`, `diff { … }` and `check { … }` (see docs/configuration.md)".into(),
                    src: src(),
                    span: span_of(&block.ident, text),
                });
            }
            Structure::Attribute(attr) if attr.key.as_str() == "setup" => {
                if !matches!(
                    &attr.value,
                    Expression::String(_) | Expression::HeredocTemplate(_)
                ) {
                    return Err(ConfigError::BadValue {
                        key: "setup".into(),
                        message: "expected SQL in a string or heredoc".into(),
                        help: "write `setup = <<-SQL` … `SQL` with the statements between".into(),
                        src: src(),
                        span: span_of(&attr.value, text),
                    });
                }
            }
            Structure::Attribute(attr) => {
                return Err(ConfigError::UnknownKey {
                    what: "key",
                    key: attr.key.as_str().to_owned(),
                    expected: "the top level has `setup = <<-SQL … SQL`; other settings go inside a block: `migrations { dir = \"...\" format = \"...\" }`".into(),
                    src: src(),
                    span: span_of(&attr.key, text),
                });
            }
        }
    }
    Ok(())
}

/// Every key of the file as `block.key` (`setup` at the top level): the schema
/// docs/configuration.md must document in full (a test checks it).
pub fn all_keys() -> Vec<String> {
    let blocks: [(&str, &[&str]); 5] = [
        ("migrations", migrations::KEYS),
        ("postgres", &["version"]),
        ("lint", lint::KEYS),
        ("diff", diff::KEYS),
        ("check", check::KEYS),
    ];
    let mut keys = vec!["setup".to_owned()];
    for (block, names) in blocks {
        keys.extend(names.iter().map(|k| format!("{block}.{k}")));
    }
    keys
}

const POSTGRES_KEYS: &str =
    "`postgres` takes `version`, the major version production runs (13..18)";

fn validate_postgres(
    body: &Body,
    text: &str,
    src: &dyn Fn() -> Arc<NamedSource<String>>,
) -> Result<(), ConfigError> {
    for structure in body.iter() {
        let (key, span) = match structure {
            Structure::Attribute(attr) if attr.key.as_str() == "version" => {
                let supported = crate::scratch::SUPPORTED;
                let ok = match &attr.value {
                    Expression::Number(n) => n
                        .value()
                        .as_u64()
                        .is_some_and(|v| supported.contains(&u32::try_from(v).unwrap_or(0))),
                    _ => false,
                };
                if ok {
                    continue;
                }
                return Err(ConfigError::BadValue {
                    key: "version".into(),
                    message: "not a supported PostgreSQL major version".into(),
                    help: format!(
                        "write a number from {} to {}: `version = 16`",
                        supported.start(),
                        supported.end()
                    ),
                    src: src(),
                    span: span_of(&attr.value, text),
                });
            }
            Structure::Attribute(attr) => (attr.key.as_str(), span_of(&attr.key, text)),
            Structure::Block(block) => (block.ident.as_str(), span_of(&block.ident, text)),
        };
        return Err(ConfigError::UnknownKey {
            what: if matches!(structure, Structure::Block(_)) {
                "block"
            } else {
                "key"
            },
            key: key.to_owned(),
            expected: POSTGRES_KEYS.into(),
            src: src(),
            span,
        });
    }
    Ok(())
}

/// A migrations dir must stay inside the repository: relative, no `..`, not empty.
pub fn check_relative(dir: &Path) -> Result<(), &'static str> {
    if dir.as_os_str().is_empty() {
        return Err("the directory is empty");
    }
    for c in dir.components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err("`..` leaves the repository"),
            Component::RootDir | Component::Prefix(_) => {
                return Err("an absolute path; it must be relative to the repository root");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn label(err: &ConfigError) -> (usize, usize) {
        let span = match err {
            ConfigError::Syntax { span, .. }
            | ConfigError::UnknownKey { span, .. }
            | ConfigError::BadValue { span, .. } => *span,
        };
        (span.offset(), span.len())
    }

    #[test]
    fn full_config() {
        let c = parse(
            FILE_NAME,
            "# where they live\nmigrations {\n  dir = \"db/migrations\"\n  format = \"golang-migrate\"\n}\n",
        )
        .unwrap();
        assert_eq!(
            c.migrations,
            vec![MigrationsConfig {
                label: None,
                dir: Some(PathBuf::from("db/migrations")),
                format: Some("golang-migrate".into()),
                table: None,
                command: None,
                down_command: None,
            }]
        );
    }

    #[test]
    fn postgres_version() {
        let c = parse(FILE_NAME, "postgres {\n  version = 16\n}\n").unwrap();
        assert_eq!(c.postgres, Some(PostgresConfig { version: Some(16) }));
        for bad in ["12", "19", "\"16\"", "16.2"] {
            let text = format!("postgres {{\n  version = {bad}\n}}\n");
            let err = parse(FILE_NAME, &text).unwrap_err();
            let (at, len) = label(&err);
            assert_eq!(&text[at..at + len], bad, "{err:?}");
        }
        let err = parse(FILE_NAME, "postgres {\n  bin = \"/x\"\n}\n").unwrap_err();
        assert!(matches!(&err, ConfigError::UnknownKey { key, .. } if key == "bin"));
    }

    #[test]
    fn empty_file_is_fine() {
        assert_eq!(parse(FILE_NAME, "").unwrap(), Config::default());
        assert_eq!(
            parse(FILE_NAME, "migrations {}").unwrap().migrations,
            vec![MigrationsConfig::default()]
        );
    }

    #[test]
    fn unknown_key_has_a_span() {
        let text = "migrations {\n  dir = \"m\"\n  directory = \"x\"\n}\n";
        let err = parse(FILE_NAME, text).unwrap_err();
        assert!(matches!(&err, ConfigError::UnknownKey { key, .. } if key == "directory"));
        let (at, len) = label(&err);
        assert_eq!(&text[at..at + len], "directory");
    }

    #[test]
    fn unknown_block_and_top_level_key() {
        let err = parse(FILE_NAME, "linter {\n}\n").unwrap_err();
        assert!(
            matches!(&err, ConfigError::UnknownKey { key, what: "block", .. } if key == "linter")
        );
        let err = parse(FILE_NAME, "dir = \"m\"\n").unwrap_err();
        assert!(matches!(&err, ConfigError::UnknownKey { key, what: "key", .. } if key == "dir"));
    }

    #[test]
    fn bad_values_have_spans() {
        let text = "migrations {\n  format = \"liquibase\"\n}\n";
        let err = parse(FILE_NAME, text).unwrap_err();
        let (at, len) = label(&err);
        assert_eq!(&text[at..at + len], "\"liquibase\"");
        let help = miette::Diagnostic::help(&err).unwrap().to_string();
        assert!(help.contains("golang-migrate"), "{help}");

        let text = "migrations {\n  dir = 42\n}\n";
        let err = parse(FILE_NAME, text).unwrap_err();
        assert!(matches!(&err, ConfigError::BadValue { key, .. } if key == "dir"));
        let (at, len) = label(&err);
        assert_eq!(&text[at..at + len], "42");

        for dir in ["../elsewhere", "/abs/path", ""] {
            let text = format!("migrations {{\n  dir = \"{dir}\"\n}}\n");
            let err = parse(FILE_NAME, &text).unwrap_err();
            assert!(
                matches!(err, ConfigError::BadValue { .. }),
                "{dir}: {err:?}"
            );
        }
    }

    #[test]
    fn syntax_error_points_into_the_file() {
        let text = "migrations {\n  dir = \n}\n";
        let err = parse(FILE_NAME, text).unwrap_err();
        assert!(matches!(err, ConfigError::Syntax { .. }), "{err:?}");
        let (at, _) = label(&err);
        assert!(at > 0 && at <= text.len());
    }

    #[test]
    fn commands() {
        let text = "migrations {\n  command = \"npx knex migrate:latest\"\n  down_command = \"npx knex migrate:rollback --all\"\n}\n";
        let m = parse(FILE_NAME, text).unwrap().migrations.remove(0);
        assert_eq!(m.command.as_deref(), Some("npx knex migrate:latest"));
        assert_eq!(
            m.down_command.as_deref(),
            Some("npx knex migrate:rollback --all")
        );
        for bad in ["\"\"", "\"  \"", "42"] {
            let text = format!("migrations {{\n  command = {bad}\n}}\n");
            let err = parse(FILE_NAME, &text).unwrap_err();
            let (at, len) = label(&err);
            assert_eq!(&text[at..at + len], bad, "{err:?}");
        }
    }

    #[test]
    fn table_and_setup() {
        let text =
            "migrations {\n  table = \"schema_om\"\n}\nsetup = <<-SQL\n  CREATE ROLE app;\nSQL\n";
        let c = parse(FILE_NAME, text).unwrap();
        assert_eq!(c.history().unwrap().table.as_deref(), Some("schema_om"));
        assert!(c.setup.unwrap().contains("CREATE ROLE app;"));
        let err = parse(FILE_NAME, "setup = 42\n").unwrap_err();
        assert!(matches!(err, ConfigError::BadValue { .. }), "{err:?}");
        let err = parse(FILE_NAME, "migrations {\n  table = \"a.b.c\"\n}\n").unwrap_err();
        assert!(matches!(err, ConfigError::BadValue { .. }), "{err:?}");
    }
}
