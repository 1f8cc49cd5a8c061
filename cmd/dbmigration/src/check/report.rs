//! Rendering check findings in the formats `lint` offers, with the same contracts: miette
//! (graphical or plain), a JSON array with lint's field names, GitHub workflow commands,
//! SARIF 2.1.0 and a Markdown section ("Release checks") for a pull-request comment.

use std::fmt::{self, Write as _};
use std::io::{self, Write};

use lint::LineIndex;
use lint::report::{SafeHandler, escape};
use miette::{Diagnostic, LabeledSpan, NamedSource};
use serde_json::{Value, json};

use super::{CHECKS, CHECKS_DOC, Finding, Severity};

/// How human output looks (as `lint::report::Style`).
pub use lint::report::Style;

/// The documentation URL of a code.
pub fn doc_url(code: &str) -> String {
    format!("{}#{code}", lint::report::doc_page(CHECKS_DOC))
}

/// 1-based (line, column, end line, end column) of a finding, (1, 1, 1, 1) without a file.
fn position(f: &Finding) -> (usize, usize, usize, usize) {
    match &f.location {
        Some(l) if !l.source.is_empty() => {
            let index = LineIndex::new(&l.source);
            let start = index.line_col(&l.source, l.span.start.min(l.source.len()));
            let end = index.line_col(&l.source, l.span.end.min(l.source.len()));
            (start.line, start.column, end.line, end.column)
        }
        _ => (1, 1, 1, 1),
    }
}

fn count(findings: &[Finding]) -> String {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// A finding as a miette diagnostic.
struct Report<'a> {
    f: &'a Finding,
    source: Option<NamedSource<String>>,
    url: String,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        out.write_str(&self.f.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        out.write_str(&self.f.message)
    }
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.f.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.f.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.f.help.as_str()))
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.url.as_str()))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let l = self.f.location.as_ref()?;
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(self.f.code.to_owned()),
                l.span.start..l.span.end,
            ),
        )))
    }
}

/// miette reports, each followed by its evidence (diff, SQL) verbatim, then a summary line.
pub fn human(
    findings: &[Finding],
    style: Style,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let handler = SafeHandler::new(style, width);
    for f in findings {
        let source = f
            .location
            .as_ref()
            .filter(|l| !l.source.is_empty() && l.span.end <= l.source.len())
            .map(|l| NamedSource::new(l.file.clone(), l.source.clone()));
        let report = Report {
            f,
            source,
            url: doc_url(f.code),
        };
        let mut buf = String::new();
        if handler.render(&report, &mut buf).is_err() {
            buf = format!("{} [{}]\n", escape::terminal_line(&f.message), f.code);
        }
        out.write_all(buf.as_bytes())?;
        if let Some(file) = f.location.as_ref().filter(|_| report.source.is_none()) {
            writeln!(out, "  at {}", escape::terminal_line(&file.file))?;
        }
        if let Some(detail) = &f.detail {
            // Verbatim evidence from the repository: made visible, never raw.
            for line in detail.trim_end_matches('\n').split('\n') {
                writeln!(out, "    {}", escape::terminal_line(line))?;
            }
        }
        out.write_all(b"\n")?;
    }
    writeln!(
        out,
        "release checks: {} (checks: {})",
        count(findings),
        lint::report::doc_page(CHECKS_DOC)
    )
}

fn json_value(f: &Finding) -> Value {
    let (line, column, end_line, end_column) = position(f);
    let (file, start, end) = match &f.location {
        Some(l) => (Some(l.file.as_str()), l.span.start, l.span.end),
        None => (None, 0, 0),
    };
    json!({
        "file": file,
        "rule": f.code,
        "severity": f.severity.as_str(),
        "message": f.message,
        "help": f.help,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "start": start,
        "end": end,
        "detail": f.detail,
        "url": doc_url(f.code),
    })
}

/// One JSON array, one object per finding, with `lint --format json`'s field names (`rule`
/// holds the check code) plus `detail`.
pub fn json(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, f) in findings.iter().enumerate() {
        out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut *out, &json_value(f))?;
    }
    out.write_all(if findings.is_empty() {
        b"]\n"
    } else {
        b"\n]\n"
    })
}

/// GitHub Actions workflow commands, one per finding (on the file when there is one).
pub fn github(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "notice",
        };
        let mut message = format!("{}\n\nhelp: {}", f.message, f.help);
        if let Some(d) = &f.detail {
            message.push_str("\n\n");
            message.push_str(d);
        }
        let (line, column, end_line, end_column) = position(f);
        let at = match &f.location {
            Some(l) => format!(
                "file={},line={line},col={column},endLine={end_line},endColumn={end_column},",
                escape::github_property(&l.file)
            ),
            None => String::new(),
        };
        writeln!(
            out,
            "::{level} {at}title={}::{}",
            escape::github_property(f.code),
            escape::github_data(&message)
        )?;
    }
    Ok(())
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

/// SARIF 2.1.0: every check in `tool.driver.rules`, every finding a result.
pub fn sarif(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<Value> = CHECKS
        .iter()
        .map(|c| {
            json!({
                "id": c.code(),
                "name": c.code(),
                "shortDescription": {"text": c.summary()},
                "helpUri": doc_url(c.code()),
                "defaultConfiguration": {"level": sarif_level(c.severity())},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut text = format!("{}\nhelp: {}", f.message, f.help);
            if let Some(d) = &f.detail {
                text.push('\n');
                text.push_str(d);
            }
            let (line, column, end_line, end_column) = position(f);
            let locations: Vec<Value> = f
                .location
                .iter()
                .map(|l| {
                    json!({"physicalLocation": {
                        "artifactLocation": {"uri": l.file},
                        "region": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        }
                    }})
                })
                .collect();
            json!({
                "ruleId": f.code,
                "ruleIndex": CHECKS.iter().position(|c| c.code() == f.code),
                "level": sarif_level(f.severity),
                "message": {"text": text},
                "locations": locations,
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dbmigration check",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

/// The "Release checks" section of a pull-request comment: a table, then each finding's
/// evidence in a collapsed block.
pub fn markdown(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let mut text = String::from("## Release checks\n\n");
    if findings.is_empty() {
        text.push_str("✅ The upgrade from the released migrations applies cleanly and reaches the new schema.\n");
        return out.write_all(text.as_bytes());
    }
    let _ = writeln!(text, "**{}**\n", count(findings));
    text.push_str("| | Check | File | Line | Problem |\n|---|---|---|---|---|\n");
    for f in findings {
        let icon = if f.severity == Severity::Error {
            "❌"
        } else {
            "⚠️"
        };
        let (line, ..) = position(f);
        let (file, line) = match &f.location {
            Some(l) => (escape::markdown_text(&l.file), line.to_string()),
            None => (String::new(), String::new()),
        };
        let _ = writeln!(
            text,
            "| {icon} | [`{}`]({}) | {file} | {line} | {} |",
            f.code,
            doc_url(f.code),
            escape::markdown_text(&f.message)
        );
    }
    text.push('\n');
    for f in findings.iter().filter(|f| f.detail.is_some()) {
        let _ = writeln!(
            text,
            "<details><summary><code>{}</code>: {}</summary>\n",
            f.code,
            escape::html_text(&f.message)
        );
        let _ = writeln!(text, "**Help:** {}\n", escape::markdown_text(&f.help));
        if let Some(d) = &f.detail {
            let lang = if f.code == "edited-migration" {
                "diff"
            } else {
                "sql"
            };
            text.push_str(&escape::markdown_code_block(lang, d.trim_end()));
            text.push('\n');
        }
        text.push_str("\n</details>\n\n");
    }
    out.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Location;

    fn sample() -> Vec<Finding> {
        vec![
            Finding {
                code: "edited-migration",
                severity: Severity::Error,
                message: "db/migrations/1_users.up.sql was changed after it was released".into(),
                location: Some(Location {
                    file: "db/migrations/1_users.up.sql".into(),
                    source: "CREATE TABLE users (\n  id bigint\n);\n".into(),
                    span: 21..30,
                }),
                help: "revert it | put the change in a new migration".into(),
                detail: Some("--- a\n+++ b\n@@ -1,3 +1,3 @@\n CREATE TABLE users (\n-  id int\n+  id bigint\n );\n".into()),
            },
            Finding {
                code: "out-of-order",
                severity: Severity::Warning,
                message: "db/migrations/2_a.sql sorts before 3_b.sql".into(),
                location: Some(Location {
                    file: "db/migrations/2_a.sql".into(),
                    source: "SELECT 1;\n".into(),
                    span: 0..9,
                }),
                help: "rename it".into(),
                detail: None,
            },
            Finding {
                code: "upgrade-path-differs",
                severity: Severity::Error,
                message: "1 difference(s): create table public.t".into(),
                location: None,
                help: "add a migration".into(),
                detail: Some("-- create table public.t\nCREATE TABLE public.t ();\n```\n".into()),
            },
        ]
    }

    fn render(f: impl Fn(&[Finding], &mut dyn Write) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&sample(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn human_plain() {
        insta::assert_snapshot!(render(|f, o| human(f, Style::Plain, 100, o)));
    }

    #[test]
    fn json_format() {
        let text = render(json);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed.as_array().unwrap().len(), 3);
        insta::assert_snapshot!(text);
    }

    #[test]
    fn github_format() {
        insta::assert_snapshot!(render(github));
    }

    #[test]
    fn sarif_format() {
        let text = render(sarif);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["version"], "2.1.0");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn markdown_format() {
        let text = render(markdown);
        // The fence around SQL holding ``` is longer, so the block does not end early.
        assert!(text.contains("````sql"), "{text}");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn markdown_names_cannot_add_markup() {
        let finding = Finding {
            code: "removed-migration",
            severity: Severity::Error,
            message: "[x](https://example.invalid) <img src=x> | `y`".into(),
            location: Some(Location {
                file: "m/<b>|2_x.sql".into(),
                source: String::new(),
                span: 0..0,
            }),
            help: "h".into(),
            detail: Some("SELECT 1;".into()),
        };
        let mut out = Vec::new();
        markdown(&[finding], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for bad in ["<img", "<b>", "[x](https", "|2_x", "`y`"] {
            assert!(!text.contains(bad), "{bad} in {text}");
        }
    }

    #[test]
    fn empty_reports() {
        let mut out = Vec::new();
        markdown(&[], &mut out).unwrap();
        json(&[], &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }
}
