//! The summary as ONE JSON document (`run --format json`), and the findings as one SARIF log.
//! Findings keep the field names of `lint --format json` and `check --format json`: they are
//! produced by those very writers and embedded, so the contracts cannot drift apart.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Summary;
use crate::check;

/// The document's `schema_version`: bumped when a field changes meaning or goes away.
const SCHEMA_VERSION: u32 = 1;

/// Runs `write` into a buffer and parses what it wrote.
fn value_of(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> io::Result<Value> {
    let mut buf = Vec::new();
    write(&mut buf)?;
    serde_json::from_slice(&buf).map_err(io::Error::other)
}

/// Writes the document, pretty-printed, then a line feed.
pub fn write(s: &Summary<'_>, out: &mut dyn Write) -> io::Result<()> {
    let git_ref = |r: &super::RefInfo| json!({"ref": r.name, "commit": r.commit});
    let doc = json!({
        "schema_version": SCHEMA_VERSION,
        "tool_version": env!("CARGO_PKG_VERSION"),
        "status": if s.failed { "fail" } else { "pass" },
        "verdict": s.verdict(),
        "from": git_ref(&s.from),
        "to": git_ref(&s.to),
        "migrations": {"format": s.format, "dir": s.migrations_dir, "histories": s.histories},
        "postgres": s.postgres,
        "outputs": {
            "from_hcl": s.outputs.from_hcl,
            "to_hcl": s.outputs.to_hcl,
            "plan": s.outputs.plan,
            "plan_statements": s.plan_statements,
        },
        "new_migrations": s.new_migrations,
        "changes": s.changes,
        "checks": value_of(|b| check::report::json(s.checks, b))?,
        "lint": {
            "migrations": value_of(|b| lint::report::json(s.migration_lint, b))?,
            "plan": value_of(|b| lint::report::json(s.plan_lint, b))?,
            // Tables the files change that the schema at FROM lacked: linted as existing.
            "unknown_tables": s
                .migration_lint
                .iter()
                .filter(|f| !f.unknown_tables.is_empty())
                .map(|f| json!({"file": f.name, "tables": f.unknown_tables}))
                .collect::<Vec<_>>(),
        },
        "acknowledged": s.acknowledged,
        "next_steps": s.next_steps(),
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

/// One SARIF 2.1.0 log with a run for lint (the migration files and the plan) and one for the
/// release checks: a consumer reads one document.
pub fn sarif(s: &Summary<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut files = s.migration_lint.to_vec();
    files.extend(s.plan_lint.iter().cloned());
    let mut log = value_of(|b| lint::report::sarif(&files, b))?;
    let checks = value_of(|b| check::report::sarif(s.checks, b))?;
    let extra = checks["runs"].as_array().cloned().unwrap_or_default();
    if let Some(runs) = log["runs"].as_array_mut() {
        runs.extend(extra);
    }
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}
