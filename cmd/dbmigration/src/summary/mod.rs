//! The summary `run` ends with, one a reviewer can paste: which refs (with their commits),
//! which migrations and PostgreSQL, the new migration files, the schema changes grouped by
//! table, the release checks, the lint findings on the files that will run and on the plan,
//! and what to do next.
//!
//! Built from plain data ([`Summary`]), so it does not care how the review was computed, and
//! written in each `--format`: plain text (`human`), one Markdown pull-request comment
//! (`markdown`), one JSON document (`json`), GitHub annotations on the migration files plus the
//! text summary (`github`). SARIF has no place for a summary: it gets the findings alone.

mod changes;
mod github;
mod json;
mod markdown;
mod text;

use std::io::{self, Write};

use lint::LintedFile;
use lint::report::Totals;

pub use changes::{Action, ChangeLine, Changes, Relation};

use crate::check::{self, Finding, Severity};
use crate::cli::ReportFormat;

/// A git ref as the user named it and the commit it resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefInfo {
    /// As given (`release`, `origin/main`, a SHA).
    pub name: String,
    /// The abbreviated commit, when it is a git ref.
    pub commit: Option<String>,
}

impl RefInfo {
    /// `release (1a2b3c4)`.
    pub fn label(&self) -> String {
        match &self.commit {
            Some(c) if *c != self.name => format!("{} ({c})", self.name),
            _ => self.name.clone(),
        }
    }
}

/// The files `run` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outputs {
    /// FROM's schema (`release.hcl`).
    pub from_hcl: String,
    /// TO's schema (`main.hcl`).
    pub to_hcl: String,
    /// The plan (`diff.sql`).
    pub plan: String,
}

/// One finding as the summary lists it, lint or release check alike.
#[derive(Debug, Clone)]
struct Row<'a> {
    /// Severity.
    severity: Severity,
    /// The rule or check code.
    code: &'static str,
    /// The file, when there is one.
    file: Option<&'a str>,
    /// The 1-based line, when there is a file.
    line: Option<usize>,
    /// What is wrong.
    message: &'a str,
    /// The rule's or check's documentation.
    url: String,
}

/// The findings of linted files, file by file.
fn lint_rows(files: &[LintedFile]) -> Vec<Row<'_>> {
    files
        .iter()
        .flat_map(|f| {
            f.violations.iter().map(move |v| Row {
                severity: v.severity,
                code: v.rule,
                file: Some(f.name.as_str()),
                line: Some(f.line_col(v.span.start).line),
                message: &v.message,
                url: lint::report::doc_url(v.rule),
            })
        })
        .collect()
}

/// The release checks' findings.
fn check_rows(findings: &[Finding]) -> Vec<Row<'_>> {
    findings
        .iter()
        .map(|f| {
            let line = f
                .location
                .as_ref()
                .filter(|l| !l.source.is_empty())
                .map(|l| {
                    let index = lint::LineIndex::new(&l.source);
                    index
                        .line_col(&l.source, l.span.start.min(l.source.len()))
                        .line
                });
            Row {
                severity: f.severity,
                code: f.code,
                file: f.location.as_ref().map(|l| l.file.as_str()),
                line,
                message: &f.message,
                url: check::report::doc_url(f.code),
            }
        })
        .collect()
}

/// `1 error, 2 warnings` style counts of rows.
fn counts(rows: &[Row<'_>]) -> String {
    let n = |s: Severity| rows.iter().filter(|r| r.severity == s).count();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut line = format!(
        "{}, {}",
        plural(n(Severity::Error), "error"),
        plural(n(Severity::Warning), "warning")
    );
    let advice = n(Severity::Advice);
    if advice > 0 {
        line.push_str(&format!(", {}", plural(advice, "hint")));
    }
    line
}

/// One thing to do: words, and the command or line to type, if any (which may quote a
/// path: each format quotes it safely).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NextStep {
    /// What to do.
    pub text: String,
    /// The command or line to type.
    pub command: Option<String>,
}

/// One of several histories in one database.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryInfo {
    /// Its name in dbmigration.hcl.
    pub name: String,
    /// Its format.
    pub format: String,
    /// Its directory, repository-relative.
    pub dir: String,
}

/// Everything the summary says, as plain data.
#[derive(Debug, Clone)]
pub struct Summary<'a> {
    /// The deployed ref.
    pub from: RefInfo,
    /// The ref to be released.
    pub to: RefInfo,
    /// The migration format (`goose`).
    pub format: String,
    /// The migrations directory, repository-relative.
    pub migrations_dir: String,
    /// Several histories in one database (named `migrations "x" { }` blocks), in the order
    /// they are applied; empty for one history (`format` and `migrations_dir` say it all).
    pub histories: Vec<HistoryInfo>,
    /// The PostgreSQL version the schemas were rendered, planned and linted with (`16.4`).
    pub postgres: String,
    /// The files written.
    pub outputs: Outputs,
    /// The migration files that will run, repository-relative, in order.
    pub new_migrations: Vec<String>,
    /// The schema changes.
    pub changes: Changes,
    /// The plan's statement count.
    pub plan_statements: usize,
    /// The release checks' findings.
    pub checks: &'a [Finding],
    /// Lint of the migration files that will run: what decides.
    pub migration_lint: &'a [LintedFile],
    /// Lint of the plan, for reference.
    pub plan_lint: &'a [LintedFile],
    /// Findings acknowledged with `dbmigration:ignore` (not listed).
    pub acknowledged: usize,
    /// Whether the review fails (the exit status is 1).
    pub failed: bool,
}

impl Summary<'_> {
    /// `golang-migrate in db/migrations`; with several histories, each in apply order.
    fn migrations_line(&self) -> String {
        if self.histories.is_empty() {
            return format!("{} in {}", self.format, self.migrations_dir);
        }
        let each: Vec<String> = self
            .histories
            .iter()
            .map(|h| format!("{} ({} in {})", h.name, h.format, h.dir))
            .collect();
        format!(
            "{} histories in one database, applied in this order: {}",
            self.histories.len(),
            each.join(", then ")
        )
    }

    /// Release-check errors and warnings.
    fn check_counts(&self) -> (usize, usize) {
        let errors = self
            .checks
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        (errors, self.checks.len() - errors)
    }

    /// One line: `1 table created, 2 altered, 1 dropped (2 destructive changes)`.
    fn changes_line(&self) -> String {
        let c = &self.changes;
        if c.is_empty() {
            return "none".to_owned();
        }
        let mut parts = Vec::new();
        for action in [Action::Created, Action::Altered, Action::Dropped] {
            let n = c.count(action);
            if n > 0 {
                parts.push(format!("{n} {}", action.as_str()));
            }
        }
        if !c.other.is_empty() {
            parts.push(format!("{} other", c.other.len()));
        }
        let mut line = format!(
            "{} ({} table(s) or view(s))",
            parts.join(", "),
            c.relations.len()
        );
        let destructive = c.destructive().count();
        if destructive > 0 {
            line.push_str(&format!(", {destructive} destructive"));
        }
        line
    }

    /// What the reviewer should do, most pressing first.
    pub fn next_steps(&self) -> Vec<NextStep> {
        let mut steps = Vec::new();
        let step = |text: String, command: Option<String>| NextStep { text, command };
        let (check_errors, _) = self.check_counts();
        if check_errors > 0 {
            let mut codes: Vec<&str> = self
                .checks
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.code)
                .collect();
            codes.dedup();
            steps.push(step(
                format!(
                    "Fix the {check_errors} release-check error(s) ({}): each finding says \
                     what will go wrong on the deployed database and how to fix it \
                     (docs/check.md).",
                    codes.join(", ")
                ),
                None,
            ));
        }
        let lint = Totals::of(self.migration_lint);
        if lint.errors > 0 {
            steps.push(step(
                format!(
                    "Fix the {} lint error(s) in the new migration files, or acknowledge a \
                     reviewed one with a comment above the statement:",
                    lint.errors
                ),
                Some("-- dbmigration:ignore RULE -- reason".to_owned()),
            ));
        }
        let destructive = self.changes.destructive().count();
        if destructive > 0 {
            steps.push(step(
                format!(
                    "Confirm the {destructive} destructive change(s) are intended: the data \
                     they drop is gone once deployed (take a backup, or ship the drop in a \
                     later release)."
                ),
                None,
            ));
        }
        let plan = Totals::of(self.plan_lint);
        if plan.errors + plan.warnings > 0 && lint.errors == 0 {
            steps.push(step(
                format!(
                    "The plan's findings ({plan}) are for reference: the migration files are \
                     what runs. A safe rewrite of the plan:"
                ),
                Some(format!("dbmigration lint {} --fix", self.outputs.plan)),
            ));
        }
        if !self.changes.is_empty() {
            steps.push(step(
                "Prove the plan reaches the new schema:".to_owned(),
                Some(format!(
                    "dbmigration diff {} {} --verify",
                    self.outputs.from_hcl, self.outputs.to_hcl
                )),
            ));
        }
        if !self.failed {
            let text = if self.changes.is_empty() && self.new_migrations.is_empty() {
                "Nothing to migrate: the two refs have the same schema."
            } else {
                "Nothing blocks the release: merge once the changes above are what you meant."
            };
            steps.push(step(text.to_owned(), None));
        }
        steps
    }

    /// The verdict in one line.
    fn verdict(&self) -> String {
        if !self.failed {
            return "Nothing blocks this release".to_owned();
        }
        let (check_errors, _) = self.check_counts();
        let lint_errors = Totals::of(self.migration_lint).errors;
        let mut why = Vec::new();
        if check_errors > 0 {
            why.push(format!("{check_errors} release-check error(s)"));
        }
        if lint_errors > 0 {
            why.push(format!("{lint_errors} lint error(s) in the new migrations"));
        }
        if why.is_empty() {
            "Blocked by lint findings at the configured fail level".to_owned()
        } else {
            format!("Blocked by {}", why.join(" and "))
        }
    }

    /// Writes the summary in `format` (SARIF: the findings, which is all SARIF can hold).
    pub fn write(&self, format: ReportFormat, out: &mut dyn Write) -> io::Result<()> {
        match format {
            ReportFormat::Human => text::write(self, out),
            ReportFormat::Markdown => markdown::write(self, out),
            ReportFormat::Json => json::write(self, out),
            ReportFormat::Github => github::write(self, out),
            ReportFormat::Sarif => json::sarif(self, out),
        }
    }
}

#[cfg(test)]
mod tests;
