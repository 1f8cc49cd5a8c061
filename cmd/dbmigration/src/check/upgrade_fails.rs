//! `upgrade-fails`: a migration the tool applies to production's database (FROM's, built on
//! a scratch database) fails there.

use crate::apply::ApplyError;
use crate::migration::Migration;

use super::{Check, Finding, Location, Severity, at_file};

/// See the module docs.
pub struct UpgradeFails;

impl Check for UpgradeFails {
    fn code(&self) -> &'static str {
        "upgrade-fails"
    }

    fn summary(&self) -> &'static str {
        "a new migration fails on a database built from FROM"
    }
}

/// The finding for `m` failing with `error` while upgrading from `from`.
pub fn finding(m: &Migration, error: &ApplyError, from: &str) -> Finding {
    let (message, location, detail) = failure_parts(m, error);
    Finding {
        code: UpgradeFails.code(),
        severity: Severity::Error,
        message: format!("upgrading the database of {from} fails: {message}"),
        location: Some(location),
        help: "the migration must run on the released schema, not only on a fresh build; fix it so it applies after the released migrations".to_owned(),
        detail,
    }
}

/// The finding for TO's migrate command failing on FROM's database (code migrations).
pub fn command_finding(error: &crate::command::CommandError, from: &str) -> Finding {
    Finding {
        code: UpgradeFails.code(),
        severity: Severity::Error,
        message: format!(
            "upgrading the database of {from} with the new migrate command fails: {}",
            error.summary()
        ),
        location: None,
        help: "the new migrations must run on the released schema (built by the released ref's own command), not only on an empty database; fix the migration the output stops at".to_owned(),
        detail: error.output(),
    }
}

/// Message, location and server detail of a failed migration (shared with `down-fails`).
pub(super) fn failure_parts(
    m: &Migration,
    error: &ApplyError,
) -> (String, Location, Option<String>) {
    match error {
        ApplyError::Failed(f) => {
            let mut detail = Vec::new();
            for (label, text) in [
                ("detail", &f.detail),
                ("hint", &f.hint),
                ("context", &f.context),
            ] {
                if let Some(t) = text {
                    detail.push(format!("{label}: {t}"));
                }
            }
            (
                format!(
                    "{} at line {}: {} ({})",
                    f.path, f.line, f.message, f.sqlstate
                ),
                Location {
                    file: f.path.clone(),
                    source: m.source.clone(),
                    span: f.span.offset()..f.span.offset() + f.span.len(),
                },
                (!detail.is_empty()).then(|| detail.join("\n")),
            )
        }
        ApplyError::NulByte { path, offset, .. } => (
            error.to_string(),
            Location {
                file: path.clone(),
                source: m.source.clone(),
                span: *offset..*offset + 1,
            },
            None,
        ),
        ApplyError::Unreadable(u) => (
            error.to_string(),
            Location {
                file: u.path.clone(),
                source: m.source.clone(),
                span: u.span.offset()..u.span.offset() + u.span.len(),
            },
            None,
        ),
        ApplyError::Connection { .. } => (error.to_string(), at_file(m), None),
    }
}
