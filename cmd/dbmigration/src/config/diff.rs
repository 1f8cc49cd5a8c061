//! The `diff { }` block: which part of the schema is rendered and compared.
//!
//! ```hcl
//! diff {
//!   schemas    = ["public", "billing"]   # only these (default: every user schema)
//!   exclude    = ["audit_*", "tmp.*"]    # globs on names or schema.name
//!   privileges = false                   # leave GRANTs and default privileges out (default: true)
//!   owners     = false                   # leave owners out (default: true)
//!   plan       = "plain"                 # `run`'s diff.sql: "online" (default) or "plain"
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
    /// Whether privileges are rendered and compared (default: yes).
    pub privileges: Option<bool>,
    /// Whether owners are rendered and compared (default: yes).
    pub owners: Option<bool>,
    /// The plan `run` writes: `online` (the default) or `plain` (as `--unsafe-plan`).
    pub plan: Option<String>,
}

/// The values of `plan`.
pub const PLANS: &[&str] = &["online", "plain"];

impl DiffConfig {
    /// Whether the config asks for the plain plan (`plan = "plain"`).
    pub fn plain_plan(&self) -> bool {
        self.plan.as_deref() == Some("plain")
    }
}

/// Every key of the block (the docs test reads this list).
pub const KEYS: &[&str] = &["schemas", "exclude", "privileges", "owners", "plan"];

const EXPECTED: &str = "`diff` takes `schemas`, `exclude`, `privileges`, `owners` and `plan` (see docs/configuration.md)";

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
            "privileges" | "owners" => {
                doc.boolean(attr)?;
            }
            "plan" => {
                let v = doc.string(attr, "\"online\"")?;
                if !PLANS.contains(&v) {
                    return Err(doc.bad(
                        attr,
                        format!("unknown plan `{v}`"),
                        format!("one of: {}", PLANS.join(", ")),
                    ));
                }
            }
            _ => return Err(doc.unknown(&Structure::Attribute(attr.clone()), EXPECTED)),
        }
    }
    Ok(())
}
