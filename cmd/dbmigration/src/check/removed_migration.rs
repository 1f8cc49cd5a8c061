//! `removed-migration`: a migration production already ran is gone at TO.

use super::{Check, Context, Finding, Severity, at_file};

/// See the module docs.
pub struct RemovedMigration;

impl Check for RemovedMigration {
    fn code(&self) -> &'static str {
        "removed-migration"
    }

    fn summary(&self) -> &'static str {
        "a migration present at FROM is missing at TO"
    }

    fn check_histories(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for old in &cx.upgrade.removed {
            out.push(Finding {
                code: self.code(),
                severity: Severity::Error,
                message: format!(
                    "{} (version {}) is gone at TO, but production already ran it",
                    old.path.display(),
                    old.version
                ),
                location: Some(at_file(old)),
                help: "restore the file: the tool's tracking table still lists it (sqlx, goose and Flyway refuse to run with it missing), and a fresh database built from TO would lack what it created; undo it with a new migration instead".to_owned(),
                detail: None,
            });
        }
    }
}
