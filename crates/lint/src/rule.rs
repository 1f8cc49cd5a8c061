//! The rule contract and what a rule reports.

use std::borrow::Cow;

use serde::Serialize;

use crate::context::{Context, Stmt};
use crate::span::Span;

/// One lint rule. Implementors are unit structs, registered once in [`crate::rules::RULES`].
pub trait Rule: Sync {
    /// Stable kebab-case name: config key, ignore-comment key, report code and docs anchor.
    fn name(&self) -> &'static str;
    /// Severity unless the settings override it.
    fn severity(&self) -> Severity;
    /// One line saying what the rule flags (SARIF rule descriptions, `--help`-like listings).
    fn summary(&self) -> &'static str;
    /// How often the rule reports in one file: some problems (no `lock_timeout`) are about
    /// the file, and one finding says it all.
    fn scope(&self) -> Scope {
        Scope::EachStatement
    }
    /// Looks at one statement and reports what is wrong with it. The file state in `cx`
    /// describes everything *before* this statement.
    fn check(&self, stmt: &Stmt<'_>, cx: &mut Context<'_>);
}

/// How often a rule reports in one file; the engine enforces it after acknowledgements, so an
/// acknowledged first occurrence does not hide a later unacknowledged one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every statement that breaks the rule is a finding.
    EachStatement,
    /// Only the first finding in the file is reported.
    OncePerFile,
}

/// How serious a finding is. Only `Error` findings make `lint` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks or blocks production; fails the run.
    Error,
    /// Worth a look; does not fail the run.
    Warning,
    /// A hint.
    Advice,
}

impl Severity {
    /// Lower-case name as used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        }
    }
}

/// One finding, plain data; the report formats render it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule's name (or `unanalysed-statement` / `unknown-rule-in-ignore`).
    pub rule: &'static str,
    /// Severity after settings were applied.
    pub severity: Severity,
    /// What is wrong, naming the objects involved.
    pub message: String,
    /// Short text for the label under the span.
    pub label: Cow<'static, str>,
    /// Bytes of the exact action (not the whole statement) in the file.
    pub span: Span,
    /// The safe alternative.
    pub help: Option<Cow<'static, str>>,
    /// A mechanical rewrite, when there is one.
    pub fix: Option<Fix>,
    /// What the finding is about (`public.users`, `public.users.email`): with the rule, the key
    /// that matches an acknowledgement made in another file ([`crate::Settings::acknowledged`]).
    pub subject: Option<String>,
    /// Index of the statement in the file (suppression comments attach to statements).
    pub(crate) statement: usize,
}

impl Violation {
    /// Sets the label text.
    pub fn label(&mut self, label: impl Into<Cow<'static, str>>) -> &mut Self {
        self.label = label.into();
        self
    }

    /// Sets the help text.
    pub fn help(&mut self, help: impl Into<Cow<'static, str>>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Narrows what the finding is about (e.g. the column of the table).
    pub fn subject(&mut self, subject: impl Into<String>) -> &mut Self {
        self.subject = Some(subject.into());
        self
    }

    /// Attaches a fix.
    pub fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }
}

/// Whether a fix can be applied as it is, after ruff's `Applicability` (astral-sh/ruff
/// `crates/ruff_diagnostics/src/fix.rs`: `Safe`, `Unsafe`, `DisplayOnly`) and rustc's
/// `HasPlaceholders` (rust-lang/cargo `crates/rustfix/src/diagnostics.rs`): a rewrite with a
/// value to fill in is written by `--fix`, marked, and reported as needing review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps the migration's meaning: `--fix` applies it.
    Safe,
    /// Needs a value filled in (a backfill value, a guessed key): `--fix` writes it with a
    /// marked placeholder the migration cannot run with unedited.
    NeedsValue,
    /// Shown in reports only; `--fix` leaves the statement alone.
    DisplayOnly,
}

impl Applicability {
    /// Lower-case name as used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::NeedsValue => "needs-value",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// A rewrite: text edits to the file, generated on demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What applying it does.
    pub title: String,
    /// The part of the file the edits touch (the statement and what is inserted around it).
    pub range: Span,
    /// Whether `--fix` applies it as it is.
    pub applicability: Applicability,
    pieces: Vec<crate::fix::Piece>,
}

impl Fix {
    /// A fix from literal edits.
    pub fn new(title: impl Into<String>, range: Span, edits: Vec<Edit>) -> Self {
        Self::from_pieces(
            title.into(),
            range,
            edits.into_iter().map(Into::into).collect(),
        )
    }

    pub(crate) fn from_pieces(title: String, range: Span, pieces: Vec<crate::fix::Piece>) -> Self {
        Fix {
            title,
            range,
            applicability: Applicability::Safe,
            pieces,
        }
    }

    /// The same fix with another applicability.
    pub fn with_applicability(mut self, applicability: Applicability) -> Self {
        self.applicability = applicability;
        self
    }

    pub(crate) fn pieces(&self) -> &[crate::fix::Piece] {
        &self.pieces
    }

    /// Non-overlapping edits; insertions are empty spans.
    pub fn edits(&self) -> Vec<Edit> {
        self.pieces.iter().map(crate::fix::Piece::edit).collect()
    }

    /// The affected statement, rewritten.
    pub fn rewrite(&self, src: &str) -> String {
        crate::fix::apply_range(src, &self.edits(), self.range)
            .trim_end()
            .to_string()
    }
}

/// Replace `span` with `text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    /// What to replace (empty for an insertion).
    pub span: Span,
    /// The replacement.
    pub text: String,
}
