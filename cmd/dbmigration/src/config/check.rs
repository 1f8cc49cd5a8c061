//! The `check { }` block: release-check codes the team has decided not to gate on.
//!
//! ```hcl
//! check {
//!   ignore = ["out-of-order"]   # codes of docs/check.md; `check --ignore` adds to the list
//! }
//! ```

use hcl::edit::expr::Expression;
use hcl::edit::structure::{Body, Structure};
use serde::Deserialize;

use super::values::{Doc, attributes};
use super::{ConfigError, span_of};

/// The `check { … }` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Codes whose findings `check` and `run` drop.
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// Every key of the block (the docs test reads this list).
pub const KEYS: &[&str] = &["ignore"];

const EXPECTED: &str = "`check` takes `ignore`, a list of check codes (see docs/check.md)";

pub(super) fn validate(doc: &Doc<'_>, body: &Body) -> Result<(), ConfigError> {
    for attr in attributes(doc, body, &[], EXPECTED)? {
        match attr.key.as_str() {
            "ignore" => {
                doc.strings(attr, "[\"out-of-order\"]", &|_| None)?;
                let Expression::Array(items) = &attr.value else {
                    continue;
                };
                for item in items.iter() {
                    if let Expression::String(code) = item
                        && !crate::check::codes().any(|c| c == code.value().as_str())
                    {
                        return Err(doc.bad_at(
                            "ignore",
                            span_of(item, doc.text),
                            format!("`{}` is not a check code", code.value().as_str()),
                            format!(
                                "the codes are the headings of docs/check.md: {}",
                                crate::check::codes().collect::<Vec<_>>().join(", ")
                            ),
                        ));
                    }
                }
            }
            _ => return Err(doc.unknown(&Structure::Attribute(attr.clone()), EXPECTED)),
        }
    }
    Ok(())
}
