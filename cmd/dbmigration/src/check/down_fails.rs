//! `down-fails`: a migration's down fails right after its up.

use crate::apply::ApplyError;
use crate::migration::Migration;

use super::upgrade_fails::failure_parts;
use super::{Check, Finding, Severity};

/// See the module docs.
pub struct DownFails;

impl Check for DownFails {
    fn code(&self) -> &'static str {
        "down-fails"
    }

    fn summary(&self) -> &'static str {
        "a migration's down fails after its up"
    }
}

/// The finding for the down `down` (of `up`) failing with `error`.
pub fn finding(up: &Migration, down: &Migration, error: &ApplyError, unchecked: usize) -> Finding {
    let (message, location, detail) = failure_parts(down, error);
    let mut help = format!(
        "the down of {} must undo it from the schema its up leaves; fix the down (a rollback would fail here)",
        up.path.display()
    );
    if unchecked > 0 {
        help.push_str(&format!(
            "; the downs of {unchecked} earlier migration(s) were not run"
        ));
    }
    Finding {
        code: DownFails.code(),
        severity: Severity::Error,
        message: format!("rolling back {} fails: {message}", up.path.display()),
        location: Some(location),
        help,
        detail,
    }
}

/// The finding for `down_command` failing on TO's fresh build (code migrations).
pub fn command_finding(error: &crate::command::CommandError, to: &str) -> Finding {
    Finding {
        code: DownFails.code(),
        severity: Severity::Error,
        message: format!(
            "rolling back every migration of {to} with the down command fails: {}",
            error.summary()
        ),
        location: None,
        help: "`down_command` runs on the database the migrate command built and must undo every migration; fix the down migration the output stops at".to_owned(),
        detail: error.output(),
    }
}
