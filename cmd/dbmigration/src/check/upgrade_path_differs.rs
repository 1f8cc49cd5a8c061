//! `upgrade-path-differs`: production after the upgrade (FROM's database plus the migrations
//! the tool applies) does not have the schema of a fresh build of TO.

use super::{Check, Finding, Severity, reconciling};

/// See the module docs.
pub struct UpgradePathDiffers;

impl Check for UpgradePathDiffers {
    fn code(&self) -> &'static str {
        "upgrade-path-differs"
    }

    fn summary(&self) -> &'static str {
        "the upgraded database's schema differs from a fresh build of TO"
    }
}

/// The finding, or `None` when the schemas agree.
pub fn finding(upgraded: &hclgen::Database, fresh: &hclgen::Database, to: &str) -> Option<Finding> {
    let plan = diff::plan(upgraded, fresh);
    if plan.is_empty() {
        return None;
    }
    let (objects, sql) = reconciling(&plan);
    Some(Finding {
        code: UpgradePathDiffers.code(),
        severity: Severity::Error,
        message: format!(
            "the upgraded production schema is not the schema of a fresh build of {to}; {} difference(s): {objects}",
            plan.steps.len()
        ),
        location: None,
        help: "production and new environments would drift apart; usually a migration was edited after release or is never applied (see the other findings). Add a migration that makes the upgrade reach TO; these statements would reconcile the upgraded database with TO".to_owned(),
        detail: Some(sql),
    })
}
