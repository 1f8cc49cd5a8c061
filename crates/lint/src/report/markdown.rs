//! A Markdown report meant for a pull-request comment: a summary table, then per finding the
//! statement, the help and the rewrite. Falls back to the table alone past GitHub's comment
//! size limit. Everything taken from input (file names, messages, help, SQL) goes through
//! [`super::escape`]: it renders as literal text and cannot end a code block, a table cell or
//! the `<details>` element early.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::escape::{html_text, markdown_code_block, markdown_text};
use super::{Totals, doc_url};
use crate::LintedFile;
use crate::rule::Severity;

/// GitHub rejects comments over 65,536 characters; stay clear of it.
const LIMIT: usize = 60_000;

fn icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Advice => "💡",
    }
}

/// Writes the comment.
pub fn markdown(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    let totals = Totals::of(files);
    let mut head = String::from("## dbmigration lint\n\n");
    if totals == Totals::default() {
        let _ = writeln!(head, "✅ No problems found in {} file(s).", files.len());
        return out.write_all(head.as_bytes());
    }
    let _ = writeln!(head, "**{totals}** in {} file(s).\n", files.len());
    let mut table = String::new();
    let mut details = String::new();
    for file in files {
        if file.violations.is_empty() {
            continue;
        }
        let _ = writeln!(table, "### {}\n", markdown_text(&file.name));
        let _ = writeln!(table, "| | Rule | Line | Problem |\n|---|---|---|---|");
        for v in &file.violations {
            let at = file.line_col(v.span.start);
            let _ = writeln!(
                table,
                "| {} | [`{}`]({}) | {} | {} |",
                icon(v.severity),
                v.rule,
                doc_url(v.rule),
                at.line,
                markdown_text(&v.message)
            );
            let _ = writeln!(
                details,
                "<details><summary>{} <code>{}</code> line {}: {}</summary>\n",
                icon(v.severity),
                v.rule,
                at.line,
                html_text(&v.message)
            );
            let stmt_start = file.lines.line_start(file.lines.line_of(v.span.start));
            let stmt_end = file.lines.line_end(
                file.lines
                    .line_of(v.span.end.saturating_sub(1).max(v.span.start)),
            );
            let text = file
                .source
                .get(stmt_start..stmt_end)
                .unwrap_or("")
                .trim_end();
            let _ = writeln!(details, "{}\n", markdown_code_block("sql", text));
            if let Some(h) = &v.help {
                let h = h.split('\n').next().unwrap_or("");
                let _ = writeln!(details, "**Help:** {}\n", markdown_text(h));
            }
            if let Some(f) = &v.fix {
                let _ = writeln!(
                    details,
                    "Safe rewrite (`dbmigration lint --fix`):\n\n{}\n",
                    markdown_code_block("sql", &f.rewrite(&file.source))
                );
            }
            details.push_str("</details>\n\n");
        }
        table.push('\n');
        if let Some(note) = super::unknown_tables_note(file) {
            let _ = writeln!(table, "> Note: {}\n", markdown_text(&note));
        }
    }
    out.write_all(head.as_bytes())?;
    out.write_all(table.as_bytes())?;
    if head.len() + table.len() + details.len() <= LIMIT {
        out.write_all(details.as_bytes())?;
    } else {
        out.write_all(b"_Details left out: the report is too long for one comment. Run `dbmigration lint` locally for the full report._\n")?;
    }
    Ok(())
}
