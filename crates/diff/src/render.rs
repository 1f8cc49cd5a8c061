//! The `diff.sql` text: a header, then one block per step (`-- comment` lines, the statement).

use crate::{Header, Plan};

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
    out
}
