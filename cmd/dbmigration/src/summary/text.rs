//! The summary as plain text, for a terminal or a log, to paste into a review. Everything
//! from the repository (file and object names, messages) is escaped for the terminal: no
//! control character reaches it, and no name can start a line of its own.

use std::io::{self, Write};

use lint::report::escape::terminal_line;

use super::{Action, Row, Summary, check_rows, counts, lint_rows};

/// Writes the summary.
pub fn write(s: &Summary<'_>, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(render(s).as_bytes())
}

fn render(s: &Summary<'_>) -> String {
    let mut t = String::new();
    let mut line = |l: String| {
        t.push_str(&l);
        t.push('\n');
    };
    let mark = if s.failed { "FAIL" } else { "OK" };
    line(format!(
        "== dbmigration review: {} -> {} ==",
        terminal_line(&s.from.label()),
        terminal_line(&s.to.label())
    ));
    line(format!("{mark}: {}", s.verdict()));
    line(String::new());
    line(format!(
        "  migrations    {}",
        terminal_line(&s.migrations_line())
    ));
    line(format!("  PostgreSQL    {}", terminal_line(&s.postgres)));
    line(format!(
        "  wrote         {}, {}, {} ({} statement(s))",
        terminal_line(&s.outputs.from_hcl),
        terminal_line(&s.outputs.to_hcl),
        terminal_line(&s.outputs.plan),
        s.plan_statements
    ));
    line(String::new());

    line(format!("New migration files ({}):", s.new_migrations.len()));
    if s.new_migrations.is_empty() {
        line("  none".to_owned());
    }
    for f in &s.new_migrations {
        line(format!("  {}", terminal_line(f)));
    }
    line(String::new());

    line(format!("Schema changes: {}", s.changes_line()));
    for r in &s.changes.relations {
        let flag = if r.destructive { "  [destructive]" } else { "" };
        line(format!(
            "  {} {} {}{flag}",
            r.kind,
            terminal_line(&r.name),
            r.action.as_str()
        ));
        // A created table's statements are all "create": its name says it.
        if r.action == Action::Altered {
            for c in &r.changes {
                let flag = if c.destructive { "  [destructive]" } else { "" };
                line(format!("    - {}{flag}", terminal_line(&c.description)));
            }
        }
    }
    for c in &s.changes.other {
        let flag = if c.destructive { "  [destructive]" } else { "" };
        line(format!("  - {}{flag}", terminal_line(&c.description)));
    }
    line(String::new());

    rows(
        &mut line,
        "Release checks",
        &check_rows(s.checks),
        "the upgrade applies cleanly",
    );
    rows(
        &mut line,
        "Lint, new migration files",
        &lint_rows(s.migration_lint),
        "no findings",
    );
    rows(
        &mut line,
        "Lint, the plan (for reference)",
        &lint_rows(s.plan_lint),
        "no findings",
    );

    if s.acknowledged > 0 {
        line(format!(
            "Acknowledged with dbmigration:ignore: {} finding(s)",
            s.acknowledged
        ));
        line(String::new());
    }
    line("Next:".to_owned());
    for (i, step) in s.next_steps().iter().enumerate() {
        let command = step
            .command
            .as_ref()
            .map(|c| format!(" {}", terminal_line(c)))
            .unwrap_or_default();
        line(format!("  {}. {}{command}", i + 1, step.text));
    }
    t
}

/// A section of findings: a count line, then one line each.
fn rows(line: &mut impl FnMut(String), title: &str, rows: &[Row<'_>], clean: &str) {
    if rows.is_empty() {
        line(format!("{title}: {clean}"));
        line(String::new());
        return;
    }
    line(format!("{title}: {}", counts(rows)));
    for r in rows {
        let at = match (r.file, r.line) {
            (Some(f), Some(l)) => format!("{}:{l}: ", terminal_line(f)),
            (Some(f), None) => format!("{}: ", terminal_line(f)),
            _ => String::new(),
        };
        line(format!(
            "  {:<7} {at}{} [{}]",
            r.severity.as_str(),
            terminal_line(r.message),
            r.code
        ));
    }
    line(String::new());
}
