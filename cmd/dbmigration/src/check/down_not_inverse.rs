//! `down-not-inverse`: a migration's down runs but does not bring back the schema from
//! before its up.

use std::fmt::Write as _;

use crate::migration::Migration;

use super::{Check, Finding, Location, Severity, first_line, reconciling};

/// See the module docs.
pub struct DownNotInverse;

impl Check for DownNotInverse {
    fn code(&self) -> &'static str {
        "down-not-inverse"
    }

    fn summary(&self) -> &'static str {
        "a migration's down does not restore the schema from before its up"
    }
}

/// The finding, or `None` when `after_down` is `before`.
pub fn finding(
    up: &Migration,
    down: &Migration,
    before: &hclgen::Database,
    after_down: &hclgen::Database,
    unchecked: usize,
) -> Option<Finding> {
    let plan = diff::plan(after_down, before);
    if plan.is_empty() {
        return None;
    }
    let (objects, sql) = reconciling(&plan);
    let mut help =
        "make the down undo exactly what the up does; these statements would finish the job"
            .to_owned();
    if unchecked > 0 {
        let _ = write!(
            help,
            "; the downs of {unchecked} earlier migration(s) were not run"
        );
    }
    Some(Finding {
        code: DownNotInverse.code(),
        severity: Severity::Error,
        message: format!(
            "the down of {} does not restore the schema from before it: {objects}",
            up.path.display()
        ),
        location: Some(Location {
            file: down.path.display().to_string(),
            source: down.source.clone(),
            span: match down.up.start {
                0 => first_line(&down.source),
                start => start..start + first_line(&down.source[start..]).end,
            },
        }),
        help,
        detail: Some(sql),
    })
}

/// The finding for `down_command` leaving something behind on TO's fresh build (code
/// migrations), or `None` when it restores the schema from before the migrate command.
pub fn command_finding(
    to: &str,
    down_command: &str,
    before: &hclgen::Database,
    after_down: &hclgen::Database,
) -> Option<Finding> {
    let plan = diff::plan(after_down, before);
    if plan.is_empty() {
        return None;
    }
    let (objects, sql) = reconciling(&plan);
    Some(Finding {
        code: DownNotInverse.code(),
        severity: Severity::Error,
        message: format!(
            "`{down_command}` does not bring {to} back to the schema from before its migrations: {objects}"
        ),
        location: None,
        help: "make the down migrations undo exactly what the ups do; these statements would finish the job".to_owned(),
        detail: Some(sql),
    })
}
