//! The `diff.sql` text: a header, then one block per step (`-- comment` lines, the statement).

use std::time::Duration;

use crate::{Header, Online, Plan, Step};

/// Renders the plan. No timestamps: the same inputs give the same bytes.
pub(crate) fn render(plan: &Plan, header: &Header) -> String {
    let mut out = String::new();
    out.push_str("-- dbmigration diff\n");
    // Header values stay on their comment line: line breaks become spaces.
    let line = |text: String| pgsql::line_comment(&pgsql::single_line(&text));
    out.push_str(&line(format!("from: {}", header.from)));
    out.push_str(&line(format!("to: {}", header.to)));
    out.push_str(&line(format!("tool: dbmigration {}", header.tool_version)));
    for note in &plan.notes {
        out.push_str(&line(format!("Note: {note}")));
    }
    if plan.steps.is_empty() {
        out.push_str("-- The schemas are in sync: no changes.\n");
        return out;
    }
    let destructive = plan.steps.iter().filter(|s| s.destructive).count();
    out.push_str(&format!(
        "-- {} change(s), {destructive} destructive.\n",
        plan.steps.len()
    ));
    match plan.online {
        None => plain(plan, &mut out),
        Some(online) => online_plan(plan, online, &mut out),
    }
    out
}

/// The plain plan: one transaction, as written.
fn plain(plan: &Plan, out: &mut String) {
    if plan.steps.iter().any(|s| !s.transactional) {
        out.push_str(
            "-- Steps marked \"not transactional\" must be committed before the steps after them run.\n",
        );
    }
    for step in &plan.steps {
        out.push('\n');
        // A comment can hold names; pgsql writes it so that no line break (CR included)
        // in them ends a comment line early.
        out.push_str(&pgsql::line_comment(&step.comment));
        if !step.transactional {
            out.push_str("-- (not transactional)\n");
        }
        out.push_str(&step.sql);
        out.push_str(";\n");
    }
}

/// The online plan: timeouts first; then, when some step must run on its own, transaction
/// blocks of their own around the other steps.
fn online_plan(plan: &Plan, online: Online, out: &mut String) {
    let hazards = plan.steps.iter().map(|s| s.hazards.len()).sum::<usize>();
    out.push_str(&format!(
        "-- Online plan ({hazards} hazard(s) marked below); `--unsafe-plan` gives the plain one.\n"
    ));
    let blocks = !plan.single_transaction();
    if blocks {
        out.push_str(
            "-- Run it as it is, statement by statement and without an outer transaction (`psql -f diff.sql`,\n\
             -- not `-1`): it commits between its BEGIN … COMMIT blocks and runs the steps marked\n\
             -- \"on its own\" outside them.\n",
        );
    } else {
        out.push_str("-- Every step runs in one transaction (`psql -1 -f diff.sql`).\n");
    }
    out.push('\n');
    out.push_str(&format!(
        "SET lock_timeout = '{}';\n",
        duration(online.lock_timeout)
    ));
    let short = format!(
        "SET statement_timeout = '{}';\n",
        duration(online.statement_timeout)
    );
    out.push_str(&short);
    let mut open = false;
    for step in &plan.steps {
        if blocks && step.transactional && !open {
            out.push_str("\nBEGIN;\n");
            open = true;
        }
        if !step.transactional && open {
            out.push_str("\nCOMMIT;\n");
            open = false;
        }
        out.push('\n');
        comments(step, out);
        if step.transactional {
            out.push_str(&step.sql);
            out.push_str(";\n");
        } else {
            out.push_str(&format!(
                "SET statement_timeout = '{}';\n{};\n{short}",
                duration(online.long_statement_timeout),
                step.sql
            ));
        }
    }
    if open {
        out.push_str("\nCOMMIT;\n");
    }
}

/// A step's comment lines: what it does, whether it runs on its own, its hazards.
fn comments(step: &Step, out: &mut String) {
    out.push_str(&pgsql::line_comment(&step.comment));
    if !step.transactional {
        out.push_str("-- (on its own, outside any transaction block)\n");
    }
    for h in &step.hazards {
        out.push_str(&pgsql::line_comment(&format!(
            "Hazard {}: {}",
            h.kind.as_str(),
            h.message
        )));
    }
}

/// A duration as PostgreSQL reads a time setting: `2s`, `500ms`, `20min`.
fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    // Never round a configured sub-millisecond timeout down to 0, which disables it.
    if !d.as_micros().is_multiple_of(1000) {
        return format!("{}us", d.as_micros());
    }
    if ms != 0 && ms.is_multiple_of(60_000) {
        format!("{}min", ms / 60_000)
    } else if ms != 0 && ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}
