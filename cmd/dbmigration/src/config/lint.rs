//! The `lint { }` block: how migration files and the plan are linted.
//!
//! ```hcl
//! lint {
//!   rules {
//!     ban-drop-column      = "warning"   # off | error | warning | advice
//!     require-lock-timeout = "off"
//!   }
//!   lock_timeout = "2s"        # what rewrites set before DDL
//!   batch_size   = 1000        # rows per backfill batch in rewrites
//!   pg_version   = 15          # lint for this version (default: the server's)
//!   fail_level   = "error"     # lowest severity that fails: error | warning | advice
//!   exclude      = ["db/migrations/0001_init.sql"]  # globs on repository paths
//! }
//! ```

use std::collections::BTreeMap;

use hcl::edit::structure::{Body, Structure};
use serde::Deserialize;

use super::ConfigError;
use super::values::{Doc, attributes};

/// The `lint { … }` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// Level per rule name: `off`, `error`, `warning` or `advice`.
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    /// The `lock_timeout` rewrites set before DDL (a PostgreSQL duration, e.g. `2s`).
    pub lock_timeout: Option<String>,
    /// Rows per backfill batch in rewrites.
    pub batch_size: Option<u32>,
    /// The PostgreSQL major version to lint for.
    pub pg_version: Option<u32>,
    /// The lowest severity that fails the run.
    pub fail_level: Option<String>,
    /// Globs on repository paths of migration files that are not linted.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// Every key of the block (the docs test reads this list).
pub const KEYS: &[&str] = &[
    "rules",
    "lock_timeout",
    "batch_size",
    "pg_version",
    "fail_level",
    "exclude",
];

const EXPECTED: &str = "`lint` takes a `rules { rule-name = \"off\" }` block, `lock_timeout`, `batch_size`, `pg_version`, `fail_level` and `exclude` (see docs/configuration.md)";

/// The levels a rule may be set to.
pub const LEVELS: &[&str] = &["off", "error", "warning", "advice"];
/// The fail levels.
pub const FAIL_LEVELS: &[&str] = &["error", "warning", "advice"];

/// A PostgreSQL duration as `lock_timeout` takes it: a positive whole number and an optional
/// unit. The value is written into the rewrite's SQL, so nothing else may pass.
pub fn is_duration(value: &str) -> bool {
    let digits = value.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = value.split_at(digits);
    !number.is_empty()
        && number.bytes().any(|b| b != b'0')
        && number.len() <= 9
        && matches!(unit, "" | "us" | "ms" | "s" | "min" | "h" | "d")
}

pub(super) fn validate(doc: &Doc<'_>, body: &Body) -> Result<(), ConfigError> {
    for s in body.iter() {
        if let Structure::Block(b) = s {
            if b.ident.as_str() != "rules" {
                return Err(doc.unknown(s, EXPECTED));
            }
            validate_rules(doc, &b.body)?;
        }
    }
    for attr in attributes(doc, body, &["rules"], EXPECTED)? {
        match attr.key.as_str() {
            "lock_timeout" => {
                let v = doc.string(attr, "\"2s\"")?;
                if !is_duration(v) {
                    return Err(doc.bad(
                        attr,
                        "not a PostgreSQL duration",
                        "write a positive whole number with an optional unit (us, ms, s, min, h, d), e.g. `lock_timeout = \"2s\"`",
                    ));
                }
            }
            "batch_size" => doc.number(attr, 1..=1_000_000, "1000")?,
            "pg_version" => doc.number(attr, 10..=18, "16")?,
            "fail_level" => {
                let v = doc.string(attr, "\"error\"")?;
                if !FAIL_LEVELS.contains(&v) {
                    return Err(doc.bad(
                        attr,
                        format!("unknown level `{v}`"),
                        format!("one of: {}", FAIL_LEVELS.join(", ")),
                    ));
                }
            }
            "exclude" => doc.strings(attr, "[\"db/migrations/0001_*.sql\"]", &|g| {
                globset::Glob::new(g)
                    .err()
                    .map(|e| format!("not a glob: {}", e.kind()))
            })?,
            _ => return Err(doc.unknown(&Structure::Attribute(attr.clone()), EXPECTED)),
        }
    }
    Ok(())
}

fn validate_rules(doc: &Doc<'_>, body: &Body) -> Result<(), ConfigError> {
    let names = || {
        ::lint::RULES
            .iter()
            .map(|r| r.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for attr in attributes(
        doc,
        body,
        &[],
        "`rules` holds `rule-name = \"level\"` lines",
    )? {
        let name = attr.key.as_str();
        if ::lint::rules::rule(name).is_none() {
            return Err(doc.unknown(
                &Structure::Attribute(attr.clone()),
                &format!("rule names: {}", names()),
            ));
        }
        let v = doc.string(attr, "\"warning\"")?;
        if !LEVELS.contains(&v) {
            return Err(doc.bad(
                attr,
                format!("unknown level `{v}`"),
                format!("one of: {}", LEVELS.join(", ")),
            ));
        }
    }
    Ok(())
}

/// The rule levels as the linter takes them (validated already).
pub fn levels(config: &LintConfig) -> std::collections::HashMap<String, ::lint::Level> {
    config
        .rules
        .iter()
        .filter_map(|(rule, level)| {
            let level = match level.as_str() {
                "off" => ::lint::Level::Off,
                "error" => ::lint::Level::Error,
                "warning" => ::lint::Level::Warning,
                "advice" => ::lint::Level::Advice,
                _ => return None,
            };
            Some((rule.clone(), level))
        })
        .collect()
}

/// The fail level as a severity (validated already; `error` by default).
pub fn fail_level(config: &LintConfig) -> ::lint::Severity {
    match config.fail_level.as_deref() {
        Some("warning") => ::lint::Severity::Warning,
        Some("advice") => ::lint::Severity::Advice,
        _ => ::lint::Severity::Error,
    }
}

#[cfg(test)]
mod tests {
    use super::is_duration;

    #[test]
    fn durations() {
        for ok in ["2s", "500ms", "1", "3min"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in [
            "",
            "0",
            "0s",
            "2 s",
            "2s'; DROP TABLE t; --",
            "-1s",
            "1.5s",
            "s",
        ] {
            assert!(!is_duration(bad), "{bad}");
        }
    }
}
