//! `run --format github`: workflow annotations on the migration files that will run (they are
//! in the pull request, so GitHub shows them on its diff) and for the release checks, then the
//! text summary in the log. The plan's findings are in the summary only: `diff.sql` is not in
//! the pull request, an annotation on it would point nowhere.
//!
//! The summary quotes names from the repository. It is printed between `::stop-commands::`
//! and its resume token (actions/toolkit `docs/commands.md`, "Stopping and starting workflow
//! commands"), so no line of it is read as a workflow command, whatever it holds.

use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::{Summary, text};
use crate::check;

/// Writes the annotations and the summary.
pub fn write(s: &Summary<'_>, out: &mut dyn Write) -> io::Result<()> {
    lint::report::github(s.migration_lint, out)?;
    check::report::github(s.checks, out)?;
    let token = resume_token();
    writeln!(out, "::group::dbmigration review summary")?;
    writeln!(out, "::stop-commands::{token}")?;
    text::write(s, out)?;
    writeln!(out, "::{token}::")?;
    writeln!(out, "::endgroup::")
}

/// A token the repository cannot guess: it must not be able to resume command processing
/// from inside the summary.
fn resume_token() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let local = 0u8;
    let mut hash = Sha256::new();
    hash.update(nanos.to_le_bytes());
    hash.update(std::process::id().to_le_bytes());
    hash.update((&raw const local as usize).to_le_bytes());
    let digest = hash.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}
