//! The `migrations { }` block: where the history is and how its tool reads it. Or several
//! named blocks, one per history, when several migration trees are applied into one database
//! (OpenMeter's `tools/migrate/migrate.go` runs golang-migrate trees with one
//! `MigrationsConfig{FS, FSPath, StateTableName}` each, its own tree recorded in `schema_om`
//! through `x-migrations-table`):
//!
//! ```hcl
//! migrations "core" {            # applied first: blocks apply in the order they are written
//!   dir    = "core/migrations"
//!   format = "golang-migrate"
//!   table  = "schema_core"
//! }
//! migrations "billing" {
//!   dir    = "billing/migrations"
//!   format = "golang-migrate"
//!   table  = "schema_billing"
//! }
//! ```
//!
//! One unnamed block is one history, exactly as before; named blocks may not be mixed with an
//! unnamed one, must each name a `dir`, and may not share a directory or a history table (the
//! tools would read each other's rows).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use hcl::edit::expr::Expression;
use hcl::edit::structure::{Block, Body, Structure};
use miette::SourceSpan;

use super::values::Doc;
use super::{ConfigError, FILE_NAME, check_relative, span_of};
use crate::format;

/// One `migrations { … }` block: one history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationsConfig {
    /// The block's name (`migrations "billing" { }`); `None` for the one unnamed block.
    pub label: Option<String>,
    /// The migrations directory, relative to the repository root.
    pub dir: Option<PathBuf>,
    /// The format name (see [`crate::format::FORMATS`]).
    pub format: Option<String>,
    /// The migration tool's history table, when the team renamed it (golang-migrate's
    /// `x-migrations-table`, goose's `-table`, Flyway's `flyway.table`, …).
    pub table: Option<String>,
    /// The project's migrate command (run through `sh -c` in the ref's tree): the `command`
    /// source, for migrations written in code.
    pub command: Option<String>,
    /// The command that undoes every migration, for `check`'s down findings.
    pub down_command: Option<String>,
}

/// The keys of `migrations { }`.
pub const KEYS: &[&str] = &["dir", "format", "table", "command", "down_command"];

const EXPECTED: &str = "`migrations` takes `dir` (the migrations directory, relative to the repository root), `format`, `table` (the tool's history table), `command` (the project's migrate command, for migrations written in code) and `down_command`";

/// A block as read, with the spans the cross-block checks point at.
struct Read {
    config: MigrationsConfig,
    /// The label, else the block's ident.
    name_span: SourceSpan,
    dir_span: Option<SourceSpan>,
    table_span: Option<SourceSpan>,
}

/// Validates every `migrations` block of the file's `body` and returns them in the order they
/// are written (the order the histories are applied in).
pub(super) fn read(doc: &Doc<'_>, body: &Body) -> Result<Vec<MigrationsConfig>, ConfigError> {
    let mut blocks: Vec<Read> = Vec::new();
    for structure in body.iter() {
        let Structure::Block(block) = structure else {
            continue;
        };
        if block.ident.as_str() != "migrations" {
            continue;
        }
        let read = read_block(doc, block)?;
        if let Some(first) = blocks.first() {
            check_against(doc, &blocks, first, &read, block)?;
        }
        blocks.push(read);
    }
    check_shared(doc, &blocks)?;
    Ok(blocks.into_iter().map(|b| b.config).collect())
}

/// `read` may not sit next to the blocks already read: two unnamed blocks, a named and an
/// unnamed one, a name used twice.
fn check_against(
    doc: &Doc<'_>,
    earlier: &[Read],
    first: &Read,
    read: &Read,
    block: &Block,
) -> Result<(), ConfigError> {
    let ident = span_of(&block.ident, doc.text);
    match (&first.config.label, &read.config.label) {
        (None, None) => Err(doc.bad_at(
            "migrations",
            ident,
            "a second unnamed `migrations` block",
            "merge the two; or, for several histories in one database, name each one in the order they are applied: `migrations \"core\" { … }`",
        )),
        (None, Some(_)) | (Some(_), None) => Err(doc.bad_at(
            "migrations",
            if read.config.label.is_some() { first.name_span } else { ident },
            "an unnamed `migrations` block next to named ones",
            "name every history, `migrations \"core\" { … }`, in the order they are applied; or keep one unnamed block",
        )),
        (Some(_), Some(label)) => {
            match earlier
                .iter()
                .find(|b| b.config.label.as_ref() == Some(label))
            {
                Some(_) => Err(doc.bad_at(
                    "migrations",
                    read.name_span,
                    format!("the history `{label}` is declared twice"),
                    "give each `migrations` block its own name",
                )),
                None => Ok(()),
            }
        }
    }
}

/// Named histories may not share a directory or a history table.
fn check_shared(doc: &Doc<'_>, blocks: &[Read]) -> Result<(), ConfigError> {
    if blocks.len() < 2 {
        return Ok(());
    }
    let mut dirs: HashMap<PathBuf, &str> = HashMap::new();
    let mut tables: HashMap<String, &str> = HashMap::new();
    for b in blocks {
        let label = b.config.label.as_deref().unwrap_or_default();
        if let (Some(dir), Some(span)) = (&b.config.dir, b.dir_span)
            && let Some(other) = dirs.insert(normalized(dir), label)
        {
            return Err(doc.bad_at(
                "dir",
                span,
                format!("`{label}` reads the directory of `{other}`"),
                "each history has its own directory; one directory is one history",
            ));
        }
        let Some((table, span, given)) = effective_table(b) else {
            continue;
        };
        if let Some(other) = tables.insert(table.clone(), label) {
            let (message, help) = if given {
                (
                    format!("`{label}` records in `{table}`, the history table of `{other}`"),
                    format!(
                        "each history needs its own table (the tool reads the rows of the other as its own): e.g. `table = \"schema_{label}\"`"
                    ),
                )
            } else {
                (
                    format!(
                        "`{label}` and `{other}` both record in the tool's default table `{table}`"
                    ),
                    format!(
                        "give `{label}` its own table, as the tool is told (golang-migrate's `x-migrations-table`): `table = \"schema_{label}\"`"
                    ),
                )
            };
            return Err(doc.bad_at("table", span, message, help));
        }
    }
    Ok(())
}

/// The table a block records in (`public.` dropped, so `public.x` and `x` are one), where it
/// is known before reading the files: the block's `table`, else its format's default; with the
/// span to point at and whether the table was written.
fn effective_table(b: &Read) -> Option<(String, SourceSpan, bool)> {
    let bare = |t: &str| t.strip_prefix("public.").unwrap_or(t).to_owned();
    if let (Some(t), Some(span)) = (&b.config.table, b.table_span) {
        return Some((bare(t), span, true));
    }
    let tracking = format::by_name(b.config.format.as_deref()?)
        .ok()?
        .tracking()?;
    Some((bare(tracking.table), b.name_span, false))
}

/// `./db/migrations/` → `db/migrations`.
pub(crate) fn normalized(dir: &Path) -> PathBuf {
    dir.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// Reads and validates one block.
fn read_block(doc: &Doc<'_>, block: &Block) -> Result<Read, ConfigError> {
    let mut labels = block.labels.iter();
    let label = match labels.next() {
        Some(l) => {
            let name = l.as_str();
            if !is_name(name) {
                return Err(doc.bad_at(
                    "migrations",
                    span_of(l, doc.text),
                    "not a history name",
                    "name the history with letters, digits, `_` and `-` (up to 63), e.g. `migrations \"billing\" { … }`",
                ));
            }
            Some((name.to_owned(), span_of(l, doc.text)))
        }
        None => None,
    };
    if let Some(extra) = labels.next() {
        return Err(doc.bad_at(
            "migrations",
            span_of(extra, doc.text),
            "a history has one name",
            "write `migrations \"billing\" { … }`",
        ));
    }
    let mut read = Read {
        name_span: label
            .as_ref()
            .map(|(_, s)| *s)
            .unwrap_or_else(|| span_of(&block.ident, doc.text)),
        config: MigrationsConfig {
            label: label.map(|(l, _)| l),
            ..MigrationsConfig::default()
        },
        dir_span: None,
        table_span: None,
    };
    for structure in block.body.iter() {
        let attr = match structure {
            Structure::Attribute(attr) => attr,
            Structure::Block(_) => return Err(doc.unknown(structure, EXPECTED)),
        };
        let key = attr.key.as_str();
        if !KEYS.contains(&key) {
            return Err(doc.unknown(structure, EXPECTED));
        }
        let Expression::String(value) = &attr.value else {
            return Err(doc.bad(
                attr,
                "expected a plain string",
                format!("quote it: `{key} = \"...\"`"),
            ));
        };
        let value = value.value().as_str();
        let bad = |message: String, help: String| doc.bad(attr, message, help);
        match key {
            "command" | "down_command" if read.config.label.is_some() => {
                return Err(doc.bad_at(
                    key,
                    span_of(&attr.key, doc.text),
                    "a migrate command runs one history",
                    "named histories are migration directories; for migrations written in code keep one unnamed `migrations { command = \"...\" }` block",
                ));
            }
            "command" | "down_command" => {
                if value.trim().is_empty() {
                    return Err(bad(
                        "the command is empty".into(),
                        format!("e.g. `{key} = \"python3 manage.py migrate --noinput\"`"),
                    ));
                }
                let slot = if key == "command" {
                    &mut read.config.command
                } else {
                    &mut read.config.down_command
                };
                *slot = Some(value.to_owned());
            }
            "format" => {
                format::by_name(value).map_err(|_| {
                    bad(
                        format!("unknown format `{value}`"),
                        format!("known formats: {}", format::known_names()),
                    )
                })?;
                read.config.format = Some(value.to_owned());
            }
            "table" => {
                let parts: Vec<&str> = value.split('.').collect();
                if parts.len() > 2 || parts.iter().any(|p| p.is_empty()) {
                    return Err(bad(
                        "expected `name` or `schema.name`".into(),
                        "e.g. `table = \"schema_om\"`".into(),
                    ));
                }
                read.config.table = Some(value.to_owned());
                read.table_span = Some(span_of(&attr.value, doc.text));
            }
            _ => {
                check_relative(Path::new(value)).map_err(|why| {
                    bad(
                        why.into(),
                        "give the directory relative to the repository root, e.g. `db/migrations`"
                            .into(),
                    )
                })?;
                read.config.dir = Some(PathBuf::from(value));
                read.dir_span = Some(span_of(&attr.value, doc.text));
            }
        }
    }
    if let Some(label) = &read.config.label
        && read.config.dir.is_none()
    {
        return Err(doc.bad_at(
            "migrations",
            read.name_span,
            format!("the history `{label}` names no `dir`"),
            format!(
                "named histories are not discovered: write `dir = \"{label}/migrations\"` (relative to the repository root) in the block of {FILE_NAME}"
            ),
        ));
    }
    Ok(read)
}

/// A history name: it appears in messages, reports and Markdown, so only plain characters.
fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
