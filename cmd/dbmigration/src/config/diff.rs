//! The `diff { }` block: which part of the schema is rendered and compared.
//!
//! ```hcl
//! diff {
//!   schemas    = ["public", "billing"]   # only these (default: every user schema)
//!   exclude    = ["audit_*", "tmp.*"]    # globs on names or schema.name
//!   privileges = false                   # GRANTs are not compared (the only value for now)
//! }
//! ```

use hcl::edit::structure::{Body, Structure};
use serde::Deserialize;

use super::ConfigError;
use super::values::{Doc, attributes};

/// The `diff { … }` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffConfig {
    /// Only these schemas.
    #[serde(default)]
    pub schemas: Vec<String>,
    /// Globs on object names (or `schema.name`) left out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Whether privileges are compared (only `false` is supported).
    pub privileges: Option<bool>,
}

/// Every key of the block (the docs test reads this list).
pub const KEYS: &[&str] = &["schemas", "exclude", "privileges"];

const EXPECTED: &str =
    "`diff` takes `schemas`, `exclude` and `privileges` (see docs/configuration.md)";

pub(super) fn validate(doc: &Doc<'_>, body: &Body) -> Result<(), ConfigError> {
    for attr in attributes(doc, body, &[], EXPECTED)? {
        match attr.key.as_str() {
            "schemas" => doc.strings(attr, "[\"public\"]", &|s| {
                (s.is_empty() || s.contains(['\0', '\n'])).then(|| "not a schema name".to_owned())
            })?,
            "exclude" => doc.strings(attr, "[\"audit_*\"]", &|g| {
                globset::Glob::new(g)
                    .err()
                    .map(|e| format!("not a glob: {}", e.kind()))
            })?,
            "privileges" => {
                if doc.boolean(attr)? {
                    return Err(doc.bad(
                        attr,
                        "comparing privileges is not supported yet",
                        "the schema model has no GRANTs: remove the key or write `privileges = false`",
                    ));
                }
            }
            _ => return Err(doc.unknown(&Structure::Attribute(attr.clone()), EXPECTED)),
        }
    }
    Ok(())
}
