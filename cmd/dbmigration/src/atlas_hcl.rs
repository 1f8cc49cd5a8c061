//! `atlas.hcl` at the repository root, read for what `dbmigration` needs: each `env` block's
//! `migration { dir format exclude }` (ariga/atlas `cmd/atlas/internal/cmdapi/project.go`,
//! `Migration` struct: `Dir`, `Format`, `Exclude`), with `locals` resolved as Atlas does
//! (`local.<name>` references and `"${…}"` templates), so a repository whose migrations Atlas
//! manages needs no flags. `dir` is a URL: `file://tools/migrate/migrations`, where older Atlas
//! versions also took the format as a query (`file://migrations?format=golang-migrate`).
//! Atlas's format names map to ours (`atlas`, `golang-migrate`, `goose`, `flyway`, `dbmate`;
//! `liquibase` has no dbmigration format and is an error).
//!
//! Anything else in the file (`src`, `url`, `lint`, `var`, functions) is ignored; an `env`
//! whose migration settings use something we cannot evaluate (`var.x`, `getenv(...)`) is
//! skipped with a note.

use std::path::PathBuf;

use hcl::eval::{Context, Evaluate};
use hcl::{Block, Body, Expression, Map, Value};
use miette::Diagnostic;
use thiserror::Error;

/// The file's name, looked up at the repository root.
pub const FILE_NAME: &str = "atlas.hcl";

/// What an `env` block's `migration` block says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtlasMigration {
    /// The `env` block's label, for messages.
    pub env: String,
    /// The directory, relative to the repository root.
    pub dir: PathBuf,
    /// The format in dbmigration's naming; `None` when atlas.hcl does not say (Atlas then
    /// uses its own format).
    pub format: Option<String>,
    /// `exclude` patterns as globs (Atlas's `[type=…]` selectors removed).
    pub exclude: Vec<String>,
}

/// What reading `atlas.hcl` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AtlasConfig {
    /// The migration settings, when some `env` has them.
    pub migration: Option<AtlasMigration>,
    /// Envs left out and why.
    pub notes: Vec<String>,
}

/// `atlas.hcl` cannot be used.
#[derive(Debug, Error, Diagnostic)]
pub enum AtlasHclError {
    /// Not HCL.
    #[error("{FILE_NAME} is not valid HCL: {message}")]
    #[diagnostic(
        code(dbmigration::atlas_hcl::syntax),
        help(
            "fix {FILE_NAME}, or set the directory in dbmigration.hcl: migrations {{ dir = \"...\" format = \"...\" }}"
        )
    )]
    Syntax {
        /// The parser's message.
        message: String,
    },
    /// Envs disagree on the directory.
    #[error("{FILE_NAME} names more than one migrations directory: {}", found.join(", "))]
    #[diagnostic(
        code(dbmigration::atlas_hcl::ambiguous),
        help(
            "choose one with `--migrations-dir DIR`, or in dbmigration.hcl: migrations {{ dir = \"...\" }}"
        )
    )]
    Ambiguous {
        /// `env "x": dir (format)` for each.
        found: Vec<String>,
    },
    /// A format dbmigration does not have.
    #[error(
        "{FILE_NAME} env \"{env}\" uses the `{format}` migration format, which dbmigration does not read"
    )]
    #[diagnostic(
        code(dbmigration::atlas_hcl::format),
        help(
            "known formats: {known}; set another in dbmigration.hcl: migrations {{ format = \"...\" }}"
        )
    )]
    UnsupportedFormat {
        /// The env.
        env: String,
        /// The format.
        format: String,
        /// Our format names.
        known: String,
    },
}

/// Reads `atlas.hcl` text.
pub fn parse(text: &str) -> Result<AtlasConfig, AtlasHclError> {
    let body: Body = hcl::parse(text).map_err(|e| AtlasHclError::Syntax {
        message: e.to_string(),
    })?;
    let ctx = context(&body);
    let mut out = AtlasConfig::default();
    let mut found: Vec<AtlasMigration> = Vec::new();
    for env in body.blocks().filter(|b| b.identifier() == "env") {
        let name = env
            .labels()
            .first()
            .map_or_else(String::new, |l| l.as_str().to_owned());
        let Some(migration) = env.body().blocks().find(|b| b.identifier() == "migration") else {
            continue;
        };
        match read_migration(&name, migration, &ctx) {
            Ok(Some(m)) => found.push(m),
            Ok(None) => {}
            Err(why) => out
                .notes
                .push(format!("{FILE_NAME}: env \"{name}\" left out: {why}")),
        }
    }
    let mut distinct: Vec<&AtlasMigration> = Vec::new();
    for m in &found {
        if !distinct
            .iter()
            .any(|d| d.dir == m.dir && d.format == m.format)
        {
            distinct.push(m);
        }
    }
    match distinct.as_slice() {
        [] => {}
        [one] => {
            if let Some(f) = &one.format {
                crate::format::by_name(f).map_err(|_| AtlasHclError::UnsupportedFormat {
                    env: one.env.clone(),
                    format: f.clone(),
                    known: crate::format::known_names(),
                })?;
            }
            out.migration = Some((*one).clone());
        }
        many => {
            return Err(AtlasHclError::Ambiguous {
                found: many
                    .iter()
                    .map(|m| {
                        format!(
                            "env \"{}\": {} ({})",
                            m.env,
                            m.dir.display(),
                            m.format.as_deref().unwrap_or("atlas")
                        )
                    })
                    .collect(),
            });
        }
    }
    Ok(out)
}

/// A context where `local.<name>` resolves to the `locals` blocks' values (evaluated in a few
/// rounds, so locals may refer to each other).
fn context(body: &Body) -> Context<'static> {
    let attrs: Vec<(String, Expression)> = body
        .blocks()
        .filter(|b| b.identifier() == "locals")
        .flat_map(|b| b.body().attributes())
        .map(|a| (a.key().to_owned(), a.expr().clone()))
        .collect();
    let mut locals: Map<String, Value> = Map::new();
    for _ in 0..4 {
        let mut ctx = Context::new();
        ctx.declare_var("local", Value::Object(locals.clone()));
        let before = locals.len();
        for (key, expr) in &attrs {
            if let Ok(v) = expr.evaluate(&ctx) {
                locals.insert(key.clone(), v);
            }
        }
        if locals.len() == before && before > 0 {
            break;
        }
    }
    let mut ctx = Context::new();
    ctx.declare_var("local", Value::Object(locals));
    ctx
}

/// The `migration` block of one env, `Ok(None)` when it has no `dir`.
fn read_migration(
    env: &str,
    block: &Block,
    ctx: &Context<'_>,
) -> Result<Option<AtlasMigration>, String> {
    let get = |key: &str| -> Result<Option<Value>, String> {
        match block.body().attributes().find(|a| a.key() == key) {
            None => Ok(None),
            Some(a) => a
                .expr()
                .evaluate(ctx)
                .map(Some)
                .map_err(|e| format!("cannot evaluate `{key}`: {e}")),
        }
    };
    let Some(dir) = get("dir")? else {
        return Ok(None);
    };
    let Value::String(url) = dir else {
        return Err("`dir` is not a string".into());
    };
    let (path, query_format) = split_url(&url)?;
    // Atlas's docs write the format as a bare identifier (`format = golang-migrate`, an HCL
    // variable Atlas defines); read its name.
    let bare = block
        .body()
        .attributes()
        .find(|a| a.key() == "format")
        .and_then(|a| match a.expr() {
            Expression::Variable(v) => Some(Value::String(v.as_str().to_owned())),
            _ => None,
        });
    let format = match bare.map_or_else(|| get("format"), |v| Ok(Some(v)))? {
        Some(Value::String(f)) => Some(f),
        Some(_) => return Err("`format` is not a string".into()),
        None => query_format,
    }
    .map(|f| our_format(&f));
    let exclude = match get("exclude")? {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(glob_of(&s)),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) => vec![glob_of(&s)],
        Some(_) => return Err("`exclude` is not a list of strings".into()),
    };
    crate::config::check_relative(std::path::Path::new(&path))
        .map_err(|why| format!("`dir` {path}: {why}"))?;
    Ok(Some(AtlasMigration {
        env: env.to_owned(),
        dir: PathBuf::from(path),
        format,
        exclude,
    }))
}

/// `file://path[?format=x]` → the path and the query's format.
fn split_url(url: &str) -> Result<(String, Option<String>), String> {
    let rest = url
        .strip_prefix("file://")
        .ok_or_else(|| format!("`dir` is `{url}`; only `file://` directories can be read"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let format = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("format="))
        .map(str::to_owned);
    let path = path.trim_end_matches('/');
    Ok((path.strip_prefix("./").unwrap_or(path).to_owned(), format))
}

/// Atlas's format names in ours (they agree except for spelling variants).
fn our_format(atlas: &str) -> String {
    match atlas {
        "golang_migrate" | "golangmigrate" => "golang-migrate".into(),
        other => other.to_owned(),
    }
}

/// An Atlas exclude pattern (`om_migration_backup_*[type=table]`, `schema.table`) as a glob
/// on names: the `[type=…]` selectors are dropped (ariga/atlas `sql/schema/inspect.go`
/// `ExcludeRealm` reads them; we exclude by name only).
fn glob_of(pattern: &str) -> String {
    pattern
        .split('.')
        .map(|part| part.split_once('[').map_or(part, |(name, _)| name))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape OpenMeter's atlas.hcl has: two envs sharing `locals`, templates around them.
    const LIKE_OPENMETER: &str = r#"
env "local" {
  src = "${local.schema_src}"
  migration {
    dir = "${local.migrations_dir}"
    format = "${local.migrations_format}"
    exclude = "${local.migration_exclude}"
  }
  url = "${local.local_url}"
  dev = "docker://postgres/15/dev?search_path=public"
  lint {
    latest = 100
  }
}

env "ci" {
  migration {
    dir = "${local.migrations_dir}"
    format = "${local.migrations_format}"
    exclude = "${local.migration_exclude}"
  }
  dev = "${local.ci_url}"
}

locals {
  schema_src = "ent://app/ent/schema"
  migrations_dir = "file://tools/migrate/migrations"
  migrations_format = "golang-migrate"
  local_url = "postgres://localhost/postgres"
  ci_url = "postgres://ci/postgres"
  migration_exclude = [
    "distributed_locks[type=table]",
    "backup_*[type=table]",
  ]
}

lint {
  destructive {
    error = false
  }
}
"#;

    #[test]
    fn locals_and_templates_resolve() {
        let c = parse(LIKE_OPENMETER).unwrap();
        let m = c.migration.unwrap();
        assert_eq!(m.dir, PathBuf::from("tools/migrate/migrations"));
        assert_eq!(m.format.as_deref(), Some("golang-migrate"));
        assert_eq!(m.exclude, ["distributed_locks", "backup_*"]);
        assert!(c.notes.is_empty(), "{:?}", c.notes);
    }

    #[test]
    fn format_in_the_url_query() {
        let c = parse(
            "env \"dev\" {\n migration {\n dir = \"file://./db/migrations/?format=goose\"\n }\n}\n",
        )
        .unwrap();
        let m = c.migration.unwrap();
        assert_eq!(m.dir, PathBuf::from("db/migrations"));
        assert_eq!(m.format.as_deref(), Some("goose"));
    }

    #[test]
    fn envs_that_disagree_are_ambiguous() {
        let text = "env \"a\" {\n migration { dir = \"file://a\" }\n}\nenv \"b\" {\n migration { dir = \"file://b\" }\n}\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.contains("env \"a\": a") && err.contains("env \"b\": b"),
            "{err}"
        );
    }

    #[test]
    fn what_cannot_be_evaluated_is_a_note() {
        let text = "env \"a\" {\n migration { dir = var.dir }\n}\n";
        let c = parse(text).unwrap();
        assert_eq!(c.migration, None);
        assert!(c.notes[0].contains("env \"a\""), "{:?}", c.notes);
        let text = "env \"a\" {\n migration { dir = \"s3://bucket/m\" }\n}\n";
        assert!(parse(text).unwrap().notes[0].contains("file://"));
    }

    #[test]
    fn liquibase_is_unsupported() {
        let text =
            "env \"a\" {\n migration {\n dir = \"file://m\"\n format = golang-migrate\n }\n}\n";
        let m = parse(text).unwrap().migration.unwrap();
        assert_eq!(m.format.as_deref(), Some("golang-migrate"));
        let text =
            "env \"a\" {\n migration {\n dir = \"file://m\"\n format = \"liquibase\"\n }\n}\n";
        assert!(matches!(
            parse(text),
            Err(AtlasHclError::UnsupportedFormat { .. })
        ));
    }

    #[test]
    fn syntax_error() {
        assert!(matches!(
            parse("env \"a\" {"),
            Err(AtlasHclError::Syntax { .. })
        ));
    }
}
