//! The summary as ONE pull-request comment: a heading, the verdict, an overview table and
//! the next steps, then a collapsible `<details>` section for each part (new files, schema
//! changes, release checks, lint of the files, lint of the plan).
//!
//! Everything from the repository or the command line (refs, file and object names,
//! messages) goes through `lint::report::escape`: `markdown_text` in Markdown, `html_text`
//! inside `<summary>`. No name can open a tag, end a `<details>`, break a table cell or start
//! a heading. Names are never put in code spans, where backslash escapes do not work.

use std::fmt::Write as _;
use std::io::{self, Write};

use lint::report::escape::{html_text, markdown_text};

use super::{Action, Row, Severity, Summary, check_rows, counts, lint_rows};

/// GitHub rejects comments over 65,536 characters; stay clear of it.
const LIMIT: usize = 60_000;

/// Writes the comment.
pub fn write(s: &Summary<'_>, out: &mut dyn Write) -> io::Result<()> {
    // Long reviews list fewer findings and changes per section rather than exceed the limit.
    let mut text = render(s, usize::MAX);
    for cap in [50, 10, 0] {
        if text.len() <= LIMIT {
            break;
        }
        text = render(s, cap);
    }
    out.write_all(text.as_bytes())
}

fn icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Advice => "💡",
    }
}

fn render(s: &Summary<'_>, cap: usize) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "## dbmigration review: {} → {}\n",
        markdown_text(&s.from.label()),
        markdown_text(&s.to.label())
    );
    let _ = writeln!(
        t,
        "{} **{}**\n",
        if s.failed { "❌" } else { "✅" },
        markdown_text(&s.verdict())
    );

    let checks = check_rows(s.checks);
    let lint = lint_rows(s.migration_lint);
    let plan = lint_rows(s.plan_lint);
    let _ = writeln!(t, "| | |\n|---|---|");
    let _ = writeln!(t, "| From | {} |", markdown_text(&s.from.label()));
    let _ = writeln!(t, "| To | {} |", markdown_text(&s.to.label()));
    let _ = writeln!(
        t,
        "| Migrations | {} |",
        markdown_text(&s.migrations_line())
    );
    let _ = writeln!(t, "| PostgreSQL | {} |", markdown_text(&s.postgres));
    let _ = writeln!(t, "| New migration files | {} |", s.new_migrations.len());
    let _ = writeln!(
        t,
        "| Schema changes | {} |",
        markdown_text(&s.changes_line())
    );
    let _ = writeln!(t, "| Release checks | {} |", counts(&checks));
    let _ = writeln!(t, "| Lint, new migration files | {} |", counts(&lint));
    let _ = writeln!(t, "| Lint, the plan (for reference) | {} |", counts(&plan));
    if s.acknowledged > 0 {
        let _ = writeln!(
            t,
            "| Acknowledged with dbmigration:ignore | {} |",
            s.acknowledged
        );
    }
    t.push('\n');

    t.push_str("### Next steps\n\n");
    for (i, step) in s.next_steps().iter().enumerate() {
        let command = step
            .command
            .as_ref()
            .map(|c| format!(" {}", code_span(c)))
            .unwrap_or_default();
        let _ = writeln!(t, "{}. {}{command}", i + 1, markdown_text(&step.text));
    }
    t.push('\n');

    // New files.
    let mut body = String::new();
    if s.new_migrations.is_empty() {
        body.push_str("None.\n");
    }
    for f in s.new_migrations.iter().take(cap) {
        let _ = writeln!(body, "- {}", markdown_text(f));
    }
    more(&mut body, s.new_migrations.len(), cap);
    details(
        &mut t,
        &format!("New migration files ({})", s.new_migrations.len()),
        &body,
    );

    // Schema changes, by table.
    let mut body = String::new();
    if s.changes.is_empty() {
        body.push_str("None: the two refs have the same schema.\n");
    }
    let mut shown = 0;
    for r in &s.changes.relations {
        let flag = if r.destructive {
            " — ⚠️ **destructive**"
        } else {
            ""
        };
        let _ = writeln!(
            body,
            "- {} **{}** {}{flag}",
            r.kind,
            markdown_text(&r.name),
            r.action.as_str()
        );
        if r.action != Action::Altered {
            continue;
        }
        for c in &r.changes {
            if shown >= cap {
                break;
            }
            shown += 1;
            let flag = if c.destructive { " ⚠️ " } else { " " };
            let _ = writeln!(body, "  -{flag}{}", markdown_text(&c.description));
        }
    }
    if !s.changes.other.is_empty() {
        body.push_str("- other objects\n");
        for c in s.changes.other.iter().take(cap) {
            let flag = if c.destructive { " ⚠️ " } else { " " };
            let _ = writeln!(body, "  -{flag}{}", markdown_text(&c.description));
        }
    }
    details(
        &mut t,
        &format!("Schema changes: {}", s.changes_line()),
        &body,
    );

    findings(
        &mut t,
        "Release checks",
        &checks,
        cap,
        "✅ The upgrade applies cleanly and reaches the new schema.",
    );
    findings(
        &mut t,
        "Lint, new migration files",
        &lint,
        cap,
        "✅ No findings.",
    );
    findings(
        &mut t,
        &format!("Lint, the plan ({}), for reference", s.outputs.plan),
        &plan,
        cap,
        "✅ No findings.",
    );
    t
}

/// A code span holding `s` literally: the fence is a backtick run longer than any in `s`
/// (CommonMark 6.1), padded with spaces so a leading or trailing backtick stays inside; line
/// breaks and active characters are made visible.
fn code_span(s: &str) -> String {
    let s = lint::report::escape::visible(s, &[]);
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    format!("{fence} {s} {fence}")
}

/// A collapsible section. The `<summary>` is HTML: its text is HTML-escaped; the body is
/// Markdown, set off by blank lines so GitHub renders it.
fn details(t: &mut String, summary: &str, body: &str) {
    let _ = writeln!(
        t,
        "<details><summary>{}</summary>\n\n{}\n</details>\n",
        html_text(summary),
        body.trim_end()
    );
}

/// "… and N more" when `cap` left some out.
fn more(body: &mut String, total: usize, cap: usize) {
    if total > cap {
        let _ = writeln!(
            body,
            "\n_… and {} more (the comment would be too long; run `dbmigration run` for all)._",
            total - cap
        );
    }
}

/// A section of findings as a table.
fn findings(t: &mut String, title: &str, rows: &[Row<'_>], cap: usize, clean: &str) {
    let mut body = String::new();
    if rows.is_empty() {
        body.push_str(clean);
        body.push('\n');
    } else {
        body.push_str("| | Rule | File | Line | Problem |\n|---|---|---|---|---|\n");
        for r in rows.iter().take(cap) {
            let _ = writeln!(
                body,
                "| {} | [{}]({}) | {} | {} | {} |",
                icon(r.severity),
                markdown_text(r.code),
                r.url,
                r.file.map(markdown_text).unwrap_or_default(),
                r.line.map(|l| l.to_string()).unwrap_or_default(),
                markdown_text(r.message)
            );
        }
        more(&mut body, rows.len(), cap);
    }
    details(t, &format!("{title}: {}", counts(rows)), &body);
}
