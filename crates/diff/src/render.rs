//! The `diff.sql` text: a header, then one block per step (`-- comment` lines, the statement).

use crate::{Header, Plan};

/// Renders the plan. No timestamps: the same inputs give the same bytes.
pub(crate) fn render(plan: &Plan, header: &Header) -> String {
    let mut out = String::new();
    out.push_str("-- dbmigration diff\n");
    out.push_str(&format!("-- from: {}\n", one_line(&header.from)));
    out.push_str(&format!("-- to: {}\n", one_line(&header.to)));
    out.push_str(&format!(
        "-- tool: dbmigration {}\n",
        one_line(&header.tool_version)
    ));
    for note in &plan.notes {
        out.push_str(&format!("-- Note: {}\n", one_line(note)));
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
        for line in step.comment.lines() {
            out.push_str("-- ");
            out.push_str(line);
            out.push('\n');
        }
        if !step.transactional {
            out.push_str("-- (not transactional)\n");
        }
        out.push_str(&step.sql);
        out.push_str(";\n");
    }
    out
}

/// Keeps a header value on its comment line.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}
