//! Rendering findings: miette (graphical or plain), JSON, GitHub annotations, SARIF 2.1.0 and
//! a Markdown PR comment. Every format reads positions from the file's [`LineIndex`], built
//! once, so output time is linear in the number of findings.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::LintedFile;
use crate::rule::{Severity, Violation};
use crate::rules::RULES;
use crate::span::LineIndex;

pub mod escape;
mod markdown;
mod sarif;

pub use markdown::markdown;
pub use sarif::sarif;

/// Where rule documentation lives in the repository; each rule is an anchor in it.
pub const RULES_DOC: &str = "docs/lint-rules.md";

/// The published repository tree that holds `docs/`: every report links there, absolutely,
/// so a link works from a pull-request comment, a CI log or a SARIF viewer.
pub const DEFAULT_DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main");

/// Names another base for those links (a fork, a mirror, a tag): `https://…/blob/v1.2`.
pub const DOCS_URL_ENV: &str = "DBMIGRATION_DOCS_URL";

/// The base of documentation links: `DBMIGRATION_DOCS_URL` when set and not empty, else
/// [`DEFAULT_DOCS_URL`]; without a trailing `/`, and with the characters that would end a
/// Markdown link or break a URL percent-encoded.
pub fn docs_base() -> &'static str {
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let base = std::env::var(DOCS_URL_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_DOCS_URL.to_owned());
        let mut out = String::with_capacity(base.len());
        for c in base.trim().trim_end_matches('/').chars() {
            match c {
                ' ' | '(' | ')' | '<' | '>' | '"' | '`' | '[' | ']' | '\\' => {
                    out.push_str(&format!("%{:02X}", u32::from(c)));
                }
                c if c.is_control() || c.is_whitespace() => {}
                c => out.push(c),
            }
        }
        out
    })
}

/// The absolute URL of a documentation page of the repository (`docs/check.md`).
pub fn doc_page(path: &str) -> String {
    format!("{}/{path}", docs_base())
}

/// The documentation URL of a rule or code.
pub fn doc_url(rule: &str) -> String {
    format!("{}#{rule}", doc_page(RULES_DOC))
}

/// Counts by severity over all files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Error findings.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Advice.
    pub advice: usize,
}

impl Totals {
    /// Counts `files`.
    pub fn of(files: &[LintedFile]) -> Self {
        let mut t = Totals::default();
        for v in files.iter().flat_map(|f| &f.violations) {
            match v.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Advice => t.advice += 1,
            }
        }
        t
    }
}

impl fmt::Display for Totals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, w: &str| {
            if n == 1 {
                format!("{n} {w}")
            } else {
                format!("{n} {w}s")
            }
        };
        write!(
            f,
            "{}, {}, {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.advice, "hint")
        )
    }
}

/// A file as miette source: spans are resolved through the line index, never by scanning
/// from the start of the file (miette's `str` impl does that, which is quadratic overall).
struct IndexedSource<'a> {
    name: &'a str,
    text: &'a str,
    lines: &'a LineIndex,
}

impl SourceCode for IndexedSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.lines.line_of(start).saturating_sub(before);
        let last_line = self.lines.line_of(end.saturating_sub(1).max(start));
        let last = (last_line + after).min(self.lines.line_count().saturating_sub(1));
        let from = self.lines.line_start(first);
        let to = self.lines.line_end(last).min(self.text.len());
        let data = &self.text.as_bytes()[from..to];
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            data,
            SourceSpan::new(from.into(), to - from),
            first,
            0,
            last - first + 1,
        )))
    }
}

/// One finding with its file, as a miette diagnostic.
struct Finding<'a> {
    v: &'a Violation,
    source: &'a IndexedSource<'a>,
    url: String,
    /// The help, with the rewrite appended when there is one.
    help: Option<String>,
}

impl fmt::Debug for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.v.message)
    }
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.v.message)
    }
}

impl std::error::Error for Finding<'_> {}

impl Diagnostic for Finding<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.v.rule))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.v.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.url.as_str()))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.v.label.to_string()), self.v.span),
        )))
    }
}

/// How human output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unicode and colour, for terminals.
    Graphical,
    /// ASCII without colour, for logs, pipes and `NO_COLOR`.
    Plain,
}

/// Renders miette diagnostics for a terminal or a log so that nothing from input reaches it
/// raw. Each diagnostic is first rendered without colour; when that text has no active
/// character ([`escape::terminal`]), the coloured rendering (same text plus our own styles) is
/// used, otherwise the uncoloured one with those characters made visible. One handler for
/// lint findings and for every error the CLI prints.
pub struct SafeHandler {
    plain: GraphicalReportHandler,
    styled: Option<GraphicalReportHandler>,
}

impl SafeHandler {
    /// A handler drawing with `style`, wrapping at `width` columns; never emits hyperlinks.
    pub fn new(style: Style, width: usize) -> Self {
        let build = |theme| {
            GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .with_links(false)
                .without_syntax_highlighting()
        };
        match style {
            Style::Graphical => SafeHandler {
                plain: build(GraphicalTheme {
                    characters: miette::ThemeCharacters::unicode(),
                    styles: miette::ThemeStyles::none(),
                }),
                styled: Some(build(GraphicalTheme::unicode())),
            },
            Style::Plain => SafeHandler {
                plain: build(GraphicalTheme {
                    characters: miette::ThemeCharacters::ascii(),
                    styles: miette::ThemeStyles::none(),
                }),
                styled: None,
            },
        }
    }

    /// Appends the rendering of `diagnostic` to `out`.
    pub fn render(&self, diagnostic: &dyn Diagnostic, out: &mut String) -> fmt::Result {
        let mut plain = String::new();
        self.plain.render_report(&mut plain, diagnostic)?;
        match (escape::terminal(&plain), &self.styled) {
            (std::borrow::Cow::Borrowed(_), Some(styled)) => styled.render_report(out, diagnostic),
            (text, _) => {
                out.push_str(&text);
                Ok(())
            }
        }
    }
}

impl fmt::Debug for SafeHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SafeHandler")
    }
}

impl miette::ReportHandler for SafeHandler {
    fn debug(&self, diagnostic: &dyn Diagnostic, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            return fmt::Debug::fmt(diagnostic, f);
        }
        let mut out = String::new();
        self.render(diagnostic, &mut out)?;
        f.write_str(&out)
    }
}

/// miette reports, one per finding, then a summary line.
pub fn human(
    files: &[LintedFile],
    style: Style,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let handler = SafeHandler::new(style, width);
    let mut buf = String::new();
    for file in files {
        let source = IndexedSource {
            name: &file.name,
            text: &file.source,
            lines: &file.lines,
        };
        for v in &file.violations {
            buf.clear();
            let help = match (&v.help, &v.fix) {
                (Some(h), Some(f)) => Some(format!("{h}:\n{}", f.rewrite(&file.source))),
                (h, _) => h.as_ref().map(|h| h.to_string()),
            };
            let finding = Finding {
                v,
                source: &source,
                url: doc_url(v.rule),
                help,
            };
            if handler.render(&finding, &mut buf).is_err() {
                buf = format!(
                    "{}: {} [{}]\n",
                    escape::terminal_line(&file.name),
                    escape::terminal_line(&v.message),
                    v.rule
                );
            }
            out.write_all(buf.as_bytes())?;
            out.write_all(b"\n")?;
        }
        if let Some(note) = unknown_tables_note(file) {
            writeln!(out, "note: {}\n", escape::terminal_line(&note))?;
        }
    }
    let totals = Totals::of(files);
    let n = files.len();
    writeln!(
        out,
        "{totals} in {n} file{} (rules: {})",
        if n == 1 { "" } else { "s" },
        doc_page(RULES_DOC)
    )
}

/// "the schema did not know …" for a file that changed tables its schema lacked: they were
/// linted as existing tables, and a reviewer should know why (a stale schema, or a table
/// created outside the migrations).
pub fn unknown_tables_note(file: &LintedFile) -> Option<String> {
    if file.unknown_tables.is_empty() {
        return None;
    }
    let names: Vec<String> = file
        .unknown_tables
        .iter()
        .map(|t| format!("`{t}`"))
        .collect();
    Some(format!(
        "{}: the schema did not know {} {}; linted as existing",
        file.name,
        if names.len() == 1 { "table" } else { "tables" },
        names.join(", ")
    ))
}

/// One finding in `--format json`; field names are the stable output contract.
#[derive(serde::Serialize)]
struct JsonFinding<'a> {
    file: &'a str,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start: usize,
    end: usize,
    rewrite: Option<String>,
    /// `safe`, `needs-value` or `display-only` when there is a rewrite.
    applicability: Option<crate::rule::Applicability>,
    url: String,
}

/// One JSON array of findings: file, rule, severity, message, help, 1-based line/column and
/// byte offsets of start and end, and the rewrite text when there is one.
pub fn json(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"[")?;
    let mut first = true;
    for file in files {
        for v in &file.violations {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            let start = file.line_col(v.span.start);
            let end = file.line_col(v.span.end);
            let item = JsonFinding {
                file: &file.name,
                rule: v.rule,
                severity: v.severity,
                message: &v.message,
                help: v.help.as_deref(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                start: v.span.start,
                end: v.span.end,
                rewrite: v.fix.as_ref().map(|f| f.rewrite(&file.source)),
                applicability: v.fix.as_ref().map(|f| f.applicability),
                url: doc_url(v.rule),
            };
            out.write_all(b"\n  ")?;
            serde_json::to_writer(&mut *out, &item)?;
        }
    }
    out.write_all(if first { b"]\n" } else { b"\n]\n" })
}

/// GitHub Actions workflow commands (`::error file=…,line=…::message`), one per finding.
pub fn github(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    for file in files {
        for v in &file.violations {
            let level = match v.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Advice => "notice",
            };
            let start = file.line_col(v.span.start);
            let end = file.line_col(v.span.end);
            let mut message = v.message.clone();
            if let Some(h) = &v.help {
                message.push_str("\n\nhelp: ");
                message.push_str(h);
            }
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape::github_property(&file.name),
                start.line,
                start.column,
                end.line,
                end.column,
                escape::github_property(v.rule),
                escape::github_data(&message)
            )?;
        }
        // Said on the file, so a reviewer sees why a finding on such a table may be missing
        // or worded for an existing table.
        if let Some(note) = unknown_tables_note(file) {
            writeln!(
                out,
                "::notice file={},title=schema did not know::{}",
                escape::github_property(&file.name),
                escape::github_data(&note)
            )?;
        }
    }
    Ok(())
}

/// Every rule name with its summary (for listings).
pub fn rule_summaries() -> impl Iterator<Item = (&'static str, &'static str)> {
    RULES.iter().map(|r| (r.name(), r.summary()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Settings, lint};

    fn sample() -> Vec<LintedFile> {
        let sql = "-- migration\nALTER TABLE users DROP COLUMN email, ADD COLUMN nick text NOT NULL;\nALTER TABLE users ALTER COLUMN id TYPE bigint;\nALTER TABLE t DROP COLUMN;\n";
        vec![lint("migrations/002_users.sql", sql, &Settings::default())]
    }

    fn render(f: impl Fn(&[LintedFile], &mut dyn Write) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&sample(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn github_notes_tables_the_schema_did_not_know() {
        let settings = Settings {
            existing_tables: Some(["public.kept".to_string()].into()),
            ..Default::default()
        };
        let sql = "SET lock_timeout = '1s';\nALTER TABLE other DROP COLUMN c;\n";
        let files = vec![lint("db/0002_drop.sql", sql, &settings)];
        let mut out = Vec::new();
        github(&files, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let last = text.trim_end().rsplit('\n').next().unwrap();
        assert_eq!(
            last,
            "::notice file=db/0002_drop.sql,title=schema did not know::db/0002_drop.sql: the schema did not know table `public.other`; linted as existing"
        );
    }

    #[test]
    fn human_plain() {
        insta::assert_snapshot!(render(|f, o| human(f, Style::Plain, 100, o)));
    }

    #[test]
    fn json_format() {
        let text = render(json);
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            parsed.as_array().unwrap().len(),
            sample()[0].violations.len()
        );
        insta::assert_snapshot!(text);
    }

    #[test]
    fn github_format() {
        insta::assert_snapshot!(render(github));
    }

    #[test]
    fn sarif_format() {
        let text = render(sarif);
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["version"], "2.1.0");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn markdown_format() {
        insta::assert_snapshot!(render(markdown));
    }

    #[test]
    fn human_output_is_linear() {
        // 4,000 findings must not take quadratic time: each span lookup is O(log n).
        let sql = "ALTER TABLE t DROP COLUMN c;\n".repeat(4000);
        let files = vec![lint("big.sql", sql, &Settings::default())];
        let started = std::time::Instant::now();
        let mut out = Vec::new();
        human(&files, Style::Plain, 100, &mut out).unwrap();
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}
