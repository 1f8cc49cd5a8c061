//! `duplicate-version`: two migrations with one version at TO. The format readers refuse such
//! a history, so this check turns that refusal into a finding.

use crate::format::FormatError;

use super::{Check, Finding, Location, Severity};

/// See the module docs.
pub struct DuplicateVersion;

impl Check for DuplicateVersion {
    fn code(&self) -> &'static str {
        "duplicate-version"
    }

    fn summary(&self) -> &'static str {
        "two migrations at TO have the same version"
    }
}

/// The finding for a history that failed to load because of a duplicate version, or `None`
/// when the error is anything else.
pub fn from_error(report: &miette::Report) -> Option<Finding> {
    let Some(FormatError::DuplicateVersion {
        format,
        version,
        first,
        second,
    }) = report.downcast_ref::<FormatError>()
    else {
        return None;
    };
    Some(Finding {
        code: DuplicateVersion.code(),
        severity: Severity::Error,
        message: format!(
            "{} and {} both have {format} version {version}",
            first.display(),
            second.display()
        ),
        location: Some(Location {
            file: second.display().to_string(),
            source: String::new(),
            span: 0..0,
        }),
        help: "renumber the newer one after the latest released version: the tool records one row per version, so it would apply only one of them (or stop)".to_owned(),
        detail: None,
    })
}
