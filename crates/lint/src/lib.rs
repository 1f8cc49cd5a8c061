//! Lint PostgreSQL migration SQL: SQL text in, findings out. Pure: no I/O.
//!
//! ```text
//! file ──split──▶ statements ──parse (sqlparser, one at a time)──▶ rules ──▶ Violations
//!                                  │ DO $$ … $$ bodies: their SQL commands too
//!                                  └ unparseable: an `unanalysed-statement` error, plus a
//!                                    token-level check (fallback.rs); the rest goes on
//! ```
//!
//! Every rule lives in `rules/<name>.rs` and is registered in [`RULES`]; its kebab-case name is
//! the config key, the `-- dbmigration:ignore <name>` key, the report code and the anchor in
//! `docs/lint-rules.md`. A rule declares what it needs from the engine ([`Rule::scope`]: once
//! per file) and its fixes carry their [`Applicability`]; the engine has no rule-specific
//! code. [`LintedFile::fixed`] applies the rewrites; [`report`] renders findings as miette, JSON, GitHub annotations,
//! SARIF or Markdown.

#![deny(missing_docs)]

mod context;
mod fallback;
mod fix;
mod names;
mod parse;
pub mod report;
mod rule;
pub mod rules;
mod span;
mod split;
mod suppress;
mod volatility;

#[cfg(test)]
mod test_support;

use std::borrow::Cow;
use std::collections::HashSet;

pub use context::{ColumnFacts, Context, FileState, Level, Settings, Stmt, TableFacts};
pub use fix::apply as apply_edits;
pub use names::canonical_type_text;
pub use rule::{Applicability, Edit, Fix, Rule, Scope, Severity, Violation};
pub use rules::ban_unsafe_not_null::rewrite::PLACEHOLDER;
pub use rules::{META_CODES, RULES};
pub use span::{LineCol, LineIndex, Span};
pub use split::split_statements;

use parse::Parsed;
use rules::{UNANALYSED_STATEMENT, UNKNOWN_RULE_IN_IGNORE};
use split::{RawStatement, Splitter};
use suppress::Ignore;

/// One linted file: its text, a line index for reports, and the findings in file order.
#[derive(Debug, Clone)]
pub struct LintedFile {
    /// The name shown in reports (usually the path).
    pub name: String,
    /// The SQL.
    pub source: String,
    /// Line starts of `source`.
    pub lines: LineIndex,
    /// Findings after suppression, ordered by position.
    pub violations: Vec<Violation>,
    /// Number of statements seen (top level).
    pub statements: usize,
    /// Findings acknowledged by a `dbmigration:ignore` comment in the file or by
    /// [`Settings::acknowledged`], in file order: not reported, but a caller can carry the
    /// acknowledgement to another file (the plan) through their rule and subject.
    pub acknowledged: Vec<Violation>,
    /// Tables the file changes that the schema in the settings did not know: they were treated
    /// as existing, and reports say so.
    pub unknown_tables: Vec<String>,
    /// Tables the file creates (and does not drop again), for [`Settings::created_before`] of
    /// the migrations after it.
    pub created_tables: Vec<String>,
}

impl LintedFile {
    /// The file with every applicable fix applied (safe ones, and those with a value to fill
    /// in, marked), or `None` when no finding has one. A prerequisite several fixes share
    /// (`Piece::once`) is applied once, at the first of them.
    pub fn fixed(&self) -> Option<String> {
        let mut pieces: Vec<&fix::Piece> = self
            .violations
            .iter()
            .filter_map(|v| v.fix.as_ref())
            .filter(|f| f.applicability != Applicability::DisplayOnly)
            .flat_map(Fix::pieces)
            .collect();
        pieces.sort_by_key(|p| (p.span.start, p.span.end));
        let mut seen_once = Vec::new();
        let mut edits: Vec<Edit> = Vec::with_capacity(pieces.len());
        for p in pieces {
            let edit = p.edit();
            if p.once {
                if seen_once.contains(&edit.text) {
                    continue;
                }
                seen_once.push(edit.text.clone());
            }
            edits.push(edit);
        }
        (!edits.is_empty()).then(|| fix::apply(&self.source, &edits))
    }

    /// How many fixes `fixed` writes with a value still to fill in.
    pub fn fixes_needing_values(&self) -> usize {
        self.violations
            .iter()
            .filter_map(|v| v.fix.as_ref())
            .filter(|f| f.applicability == Applicability::NeedsValue)
            .count()
    }

    /// Does any finding have error severity?
    pub fn has_errors(&self) -> bool {
        self.violations
            .iter()
            .any(|v| v.severity == Severity::Error)
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.source, offset)
    }
}

/// Why a file cannot be linted.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    /// Nothing but whitespace.
    #[error("{0} is empty")]
    #[diagnostic(
        code(lint::empty_file),
        help("give a file with SQL statements; `dbmigration diff` writes diff.sql")
    )]
    Empty(String),
    /// NUL bytes or invalid UTF-8.
    #[error("{0} is not a text file (it contains NUL bytes or invalid UTF-8)")]
    #[diagnostic(code(lint::binary_file), help("lint SQL text files only (UTF-8)"))]
    Binary(String),
}

/// Checks that `bytes` are lintable SQL text and returns them as a string.
pub fn text_from_bytes(name: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    if bytes.contains(&0) {
        return Err(InputError::Binary(name.to_string()));
    }
    let text = String::from_utf8(bytes).map_err(|_| InputError::Binary(name.to_string()))?;
    if text.trim().is_empty() {
        return Err(InputError::Empty(name.to_string()));
    }
    Ok(text)
}

/// Lints one file. Never fails and never panics: an unparseable statement becomes an
/// `unanalysed-statement` error (with what the token-level check finds in it) and the rest of
/// the file is still linted.
///
/// One thread: parsing on worker threads was measured faster on an idle machine and slower
/// on a busy one (the hand-over stalls when a core is taken), with more memory.
pub fn lint(name: impl Into<String>, source: impl Into<String>, settings: &Settings) -> LintedFile {
    let (name, source): (String, String) = (name.into(), source.into());
    let lines = LineIndex::new(&source);
    let enabled: Vec<(&dyn Rule, Severity)> = RULES
        .iter()
        .filter_map(|r| settings.severity_of(*r).map(|s| (*r, s)))
        .collect();
    let mut linter = Linter {
        src: &source,
        settings,
        enabled,
        state: FileState::default(),
        findings: Vec::new(),
        ignores: Vec::new(),
        file_ignores: Vec::new(),
    };
    let mut splitter = Splitter::new(&source);
    let mut index = 0;
    for raw in splitter.by_ref() {
        let parsed = parse::parse(&source, &raw);
        linter.statement(&raw, parsed, index);
        index += 1;
    }
    let trailing = std::mem::take(&mut splitter.trailing);
    linter.directives(&trailing, index);
    let mut created_tables: Vec<String> = linter.state.created_tables.iter().cloned().collect();
    created_tables.sort();
    let unknown_tables = linter.state.unknown_tables.take().into_iter().collect();
    let (violations, acknowledged) = linter.finish();
    LintedFile {
        name,
        violations,
        statements: index,
        lines,
        source,
        acknowledged,
        unknown_tables,
        created_tables,
    }
}

struct Linter<'a> {
    src: &'a str,
    settings: &'a Settings,
    enabled: Vec<(&'static dyn Rule, Severity)>,
    state: FileState,
    findings: Vec<Violation>,
    /// Statement-level ignores: (statement index, directive).
    ignores: Vec<(usize, Ignore)>,
    file_ignores: Vec<Ignore>,
}

impl Linter<'_> {
    fn statement(&mut self, raw: &RawStatement, parsed: Parsed, index: usize) {
        let comments: Vec<_> = raw
            .leading_comments
            .iter()
            .chain(raw.tokens.iter().filter(|t| t.is_comment()))
            .copied()
            .collect();
        self.directives(&comments, index);
        match parsed {
            Parsed::Ast { ast, concurrently } => {
                self.run(&ast, raw, index, false, concurrently);
            }
            Parsed::Do { body } => {
                for cmd in parse::do_commands(self.src, body) {
                    let words: Vec<String> = cmd
                        .code()
                        .take(2)
                        .map(|t| t.span.text(self.src).to_ascii_lowercase())
                        .collect();
                    let drop_index = words == ["drop", "index"];
                    match parse::parse_span(self.src, cmd.span, &cmd.tokens, drop_index) {
                        Parsed::Ast { ast, concurrently } => {
                            self.run(&ast, &cmd, index, true, concurrently);
                        }
                        Parsed::Failed { message, at } => {
                            self.unanalysed(cmd.span, &message, at, index);
                        }
                        _ => {}
                    }
                }
            }
            Parsed::CreateTable { name } => {
                self.state.created_tables.insert(name);
            }
            Parsed::Skipped => {}
            Parsed::Failed { message, at } => self.unanalysed(raw.span, &message, at, index),
        }
    }

    /// sqlparser could not read the statement at `stmt`: that is an error of its own, and the
    /// token-level check reports what it can still see.
    fn unanalysed(&mut self, stmt: Span, why: &str, at: Span, index: usize) {
        self.unanalysed_finding(
            format!("this statement was not analysed: the SQL parser stopped ({why}); only the token-level check for dropped tables and columns and NOT NULL ran on it"),
            at,
            index,
        );
        let found = fallback::scan(self.src, stmt);
        self.token_findings(found, index);
    }

    /// The `unanalysed-statement` error itself, at `at`.
    fn unanalysed_finding(&mut self, message: String, at: Span, index: usize) {
        self.findings.push(Violation {
            rule: UNANALYSED_STATEMENT,
            severity: Severity::Error,
            message,
            label: Cow::Borrowed("the parser stopped here"),
            span: at,
            help: Some(Cow::Borrowed(
                "if PostgreSQL rejects it, fix the syntax; if it accepts it, simplify the statement (e.g. fewer nested parentheses) or review it by hand and acknowledge it with `-- dbmigration:ignore unanalysed-statement -- <what you checked>`",
            )),
            fix: None,
            subject: None,
            statement: index,
        });
    }

    /// Reports what the token-level check found, under the rules that own those changes.
    fn token_findings(&mut self, found: Vec<fallback::Found>, index: usize) {
        for f in found {
            let rule = f.kind.rule();
            let Some(severity) = self.settings.severity_of(rule) else {
                continue;
            };
            if !self.state.existed(self.settings, &f.table) {
                continue;
            }
            self.findings.push(Violation {
                rule: rule.name(),
                severity,
                message: f.message(),
                label: Cow::Owned(format!("{} (found by the token-level check)", f.kind.describe())),
                span: f.span,
                help: Some(Cow::Borrowed(
                    "the SQL parser could not read this statement the way PostgreSQL will, so this was found in its tokens; see the rule in docs/lint-rules.md for the safe alternative",
                )),
                fix: None,
                subject: Some(f.table),
                statement: index,
            });
        }
    }

    fn run(
        &mut self,
        ast: &sqlparser::ast::Statement,
        raw: &RawStatement,
        index: usize,
        in_do: bool,
        concurrently: bool,
    ) {
        let tokens: Vec<split::Token> = raw.code().copied().collect();
        let actions = if matches!(ast, sqlparser::ast::Statement::AlterTable(_)) {
            let acts = parse::alter_actions(self.src, &tokens);
            match ast {
                sqlparser::ast::Statement::AlterTable(at) if at.operations.len() == acts.len() => {
                    acts
                }
                _ => Vec::new(),
            }
        } else {
            Vec::new()
        };
        let table = match ast {
            sqlparser::ast::Statement::AlterTable(at) => Some(names::qualified(&at.name)),
            _ => None,
        };
        let subject = table.clone().or_else(|| names::subject(ast));
        let stmt = Stmt {
            ast,
            src: self.src,
            span: raw.span,
            tokens: &tokens,
            actions,
            table,
            subject,
            table_existed: std::cell::Cell::new(None),
            index,
            in_do,
            concurrently,
        };
        for &(rule, severity) in &self.enabled {
            let mut cx = Context {
                settings: self.settings,
                state: &self.state,
                findings: &mut self.findings,
                severity,
            };
            rule.check(&stmt, &mut cx);
        }
        // sqlparser may read a statement differently from the server: when its tree holds
        // fewer dropped columns (tables, NOT NULLs) than the tokens show, the gate goes by the
        // tokens.
        if matches!(
            ast,
            sqlparser::ast::Statement::AlterTable(_) | sqlparser::ast::Statement::Drop { .. }
        ) {
            let missing = fallback::missing_from(ast, fallback::scan(self.src, raw.span));
            if let Some(first) = missing.first() {
                let what = first.kind.describe();
                self.unanalysed_finding(
                    format!("the SQL parser read this statement without the {what} its tokens show, so its checks may not match what PostgreSQL runs; the token-level check reports it"),
                    first.span,
                    index,
                );
                self.token_findings(missing, index);
            }
        }
        self.state.update(&stmt, self.settings);
    }

    fn directives(&mut self, comments: &[split::Token], index: usize) {
        for c in comments {
            let Some(ignore) = suppress::parse_ignore(self.src, c) else {
                continue;
            };
            for (name, span) in &ignore.rules {
                if rules::rule(name).is_none() && !META_CODES.contains(&name.as_str()) {
                    self.findings.push(Violation {
                        rule: UNKNOWN_RULE_IN_IGNORE,
                        severity: Severity::Warning,
                        message: format!("unknown rule `{name}` in dbmigration:ignore"),
                        label: Cow::Borrowed("no rule has this name"),
                        span: *span,
                        help: Some(Cow::Owned(format!(
                            "rule names: {}",
                            RULES
                                .iter()
                                .map(|r| r.name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))),
                        fix: None,
                        subject: None,
                        statement: usize::MAX,
                    });
                }
            }
            if ignore.file {
                self.file_ignores.push(ignore);
            } else {
                self.ignores.push((index, ignore));
            }
        }
    }

    /// The findings to report and the acknowledged ones, each in file order.
    fn finish(self) -> (Vec<Violation>, Vec<Violation>) {
        let Linter {
            mut findings,
            ignores,
            file_ignores,
            settings,
            ..
        } = self;
        findings.sort_by_key(|v| (v.span.start, v.span.end));
        let (acknowledged, mut findings): (Vec<Violation>, Vec<Violation>) =
            findings.into_iter().partition(|v| {
                file_ignores.iter().any(|i| i.covers(v.rule))
                    || ignores
                        .iter()
                        .any(|(s, i)| *s == v.statement && i.covers(v.rule))
                    || v.subject.as_ref().is_some_and(|s| {
                        settings
                            .acknowledged
                            .contains(&(v.rule.to_owned(), s.clone()))
                    })
            });
        // A rule that reports once per file keeps its first unacknowledged finding.
        let mut reported = HashSet::new();
        findings.retain(|v| {
            let once = rules::rule(v.rule).is_some_and(|r| r.scope() == Scope::OncePerFile);
            !once || reported.insert(v.rule)
        });
        (findings, acknowledged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_statement_does_not_hide_the_rest() {
        let sql = "ALTER TABLE t DROP COLUMN a;\nALTER TABLE t DROP COLUMN b c d;\nALTER TABLE t DROP COLUMN e;";
        let r = lint("x.sql", sql, &Settings::default());
        let rules: Vec<&str> = r.violations.iter().map(|v| v.rule).collect();
        assert_eq!(
            rules,
            vec![
                "require-lock-timeout",
                "ban-drop-column",
                "ban-drop-column",
                "unanalysed-statement",
                "ban-drop-column"
            ]
        );
        let unanalysed = &r.violations[3];
        assert_eq!(r.line_col(unanalysed.span.start).line, 2);
        assert_eq!(unanalysed.severity, Severity::Error);
        // The token-level check names the column sqlparser could not get to.
        assert!(
            r.violations[2].message.contains("`b`"),
            "{:?}",
            r.violations[2]
        );
    }

    /// 60 nested parentheses: PostgreSQL accepts them, sqlparser's recursion limit does not.
    fn deep(sql_around: &str) -> String {
        let expr = format!("{}1{}", "(".repeat(60), ")".repeat(60));
        sql_around.replace("DEEP", &expr)
    }

    #[test]
    fn the_gate_stays_shut_on_what_the_parser_cannot_read() {
        let cases = [
            (
                "ALTER TABLE t ADD COLUMN x int DEFAULT DEEP, DROP COLUMN c;",
                vec!["ban-drop-column", "unanalysed-statement"],
            ),
            (
                "ALTER TABLE t ADD COLUMN x int DEFAULT DEEP, ADD COLUMN n text NOT NULL;",
                vec!["ban-unsafe-not-null", "unanalysed-statement"],
            ),
            (
                "ALTER TABLE t ALTER COLUMN n SET NOT NULL, ADD CHECK (DEEP > 0);",
                vec!["ban-unsafe-not-null", "unanalysed-statement"],
            ),
            (
                "DO $$ BEGIN ALTER TABLE t ADD COLUMN x int DEFAULT DEEP, DROP COLUMN c; END $$;",
                vec!["ban-drop-column", "unanalysed-statement"],
            ),
            ("SELECT DEEP;", vec![]),
        ];
        for (sql, want) in cases {
            let sql = format!("SET lock_timeout = '1s';\n{}", deep(sql));
            let r = lint("x.sql", sql.as_str(), &Settings::default());
            let mut got: Vec<&str> = r.violations.iter().map(|v| v.rule).collect();
            got.sort_unstable();
            assert_eq!(got, want, "{sql}");
            assert_eq!(r.has_errors(), !want.is_empty());
        }
        // A table created in the file may lose columns, parsed or not.
        let sql = deep(
            "CREATE TABLE t (c int);\nALTER TABLE t ADD COLUMN x int DEFAULT DEEP, DROP COLUMN c;",
        );
        let got: Vec<&str> = lint("x.sql", sql, &Settings::default())
            .violations
            .iter()
            .map(|v| v.rule)
            .collect();
        assert_eq!(got, vec!["unanalysed-statement"]);
    }

    #[test]
    fn unanalysed_statements_can_be_acknowledged() {
        let sql = deep(
            "SET lock_timeout = '1s';\n-- dbmigration:ignore unanalysed-statement -- reviewed by hand\nALTER TABLE t ADD COLUMN x int DEFAULT DEEP;",
        );
        assert!(
            lint("x.sql", sql, &Settings::default())
                .violations
                .is_empty()
        );
        // Acknowledging the parse failure does not acknowledge the dropped column.
        let sql = deep(
            "SET lock_timeout = '1s';\n-- dbmigration:ignore unanalysed-statement -- reviewed by hand\nALTER TABLE t ADD COLUMN x int DEFAULT DEEP, DROP c;",
        );
        let r = lint("x.sql", sql, &Settings::default());
        let got: Vec<&str> = r.violations.iter().map(|v| v.rule).collect();
        assert_eq!(got, vec!["ban-drop-column"]);
    }

    #[test]
    fn suppression_on_and_above_the_statement_and_file_wide() {
        let sql = "-- dbmigration:ignore-file require-lock-timeout -- runner sets it\n\
                   -- dbmigration:ignore ban-drop-column -- app stopped using it in v3\n\
                   ALTER TABLE t DROP COLUMN a;\n\
                   ALTER TABLE t DROP COLUMN b; -- dbmigration:ignore ban-drop-column\n\
                   ALTER TABLE t DROP COLUMN c;\n\
                   -- dbmigration:ignore ban-drop-colum -- typo\n\
                   ALTER TABLE t DROP COLUMN d;";
        let r = lint("x.sql", sql, &Settings::default());
        let got: Vec<(&str, usize)> = r
            .violations
            .iter()
            .map(|v| (v.rule, r.line_col(v.span.start).line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("ban-drop-column", 5),
                ("unknown-rule-in-ignore", 6),
                ("ban-drop-column", 7)
            ]
        );
    }

    #[test]
    fn levels_turn_rules_off_or_change_severity() {
        let mut settings = Settings::default();
        settings
            .levels
            .insert("ban-drop-column".into(), Level::Warning);
        settings
            .levels
            .insert("require-lock-timeout".into(), Level::Off);
        let r = lint("x.sql", "ALTER TABLE t DROP COLUMN a;", &settings);
        assert_eq!(r.violations.len(), 1);
        assert_eq!(r.violations[0].severity, Severity::Warning);
        assert!(!r.has_errors());
    }

    #[test]
    fn many_statements_keep_order_and_file_wide_ignores_at_the_end() {
        let sql = "-- head\nALTER TABLE t DROP COLUMN a; -- dbmigration:ignore ban-drop-column\nALTER TABLE t ADD COLUMN b int NOT NULL;\nSELECT 1;\nALTER TABLE t ALTER c c;\n"
            .repeat(3000)
            + "-- dbmigration:ignore-file require-lock-timeout\n";
        let big = lint("x.sql", sql.as_str(), &Settings::default());
        assert_eq!(big.statements, 12000);
        let rules: Vec<&str> = big.violations.iter().map(|v| v.rule).collect();
        assert_eq!(rules.len(), 6000);
        assert!(!rules.contains(&"require-lock-timeout"));
        assert!(!rules.contains(&"ban-drop-column"));
        assert!(
            big.violations
                .windows(2)
                .all(|w| w[0].span.start <= w[1].span.start)
        );
    }

    #[test]
    fn fixes_carry_their_applicability_and_share_prerequisites_once() {
        let mut settings = Settings::default();
        settings.tables.insert(
            "public.t".into(),
            TableFacts {
                primary_key: vec!["id".into()],
                ..TableFacts::default()
            },
        );
        let sql = "ALTER TABLE t ADD COLUMN a int NOT NULL;\nALTER TABLE t ADD COLUMN b int NOT NULL DEFAULT random();\n";
        let r = lint("x.sql", sql, &settings);
        let fixes: Vec<(&str, Applicability)> = r
            .violations
            .iter()
            .filter_map(|v| Some((v.rule, v.fix.as_ref()?.applicability)))
            .collect();
        assert_eq!(
            fixes,
            vec![
                ("require-lock-timeout", Applicability::Safe),
                ("ban-unsafe-not-null", Applicability::NeedsValue),
                ("ban-unsafe-not-null", Applicability::Safe),
            ]
        );
        assert_eq!(r.fixes_needing_values(), 1);
        let fixed = r.fixed().unwrap();
        // Three fixes want `SET lock_timeout` first: the file gets it once.
        assert_eq!(fixed.matches("SET lock_timeout").count(), 1, "{fixed}");
        assert_eq!(fixed.matches(PLACEHOLDER).count(), 1, "{fixed}");
    }

    #[test]
    fn a_once_per_file_rule_reports_its_first_unacknowledged_finding() {
        let sql = "-- dbmigration:ignore require-lock-timeout\nALTER TABLE t ADD COLUMN a int;\nALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ADD COLUMN c int;\n";
        let r = lint("x.sql", sql, &Settings::default());
        let lines: Vec<usize> = r
            .violations
            .iter()
            .map(|v| r.line_col(v.span.start).line)
            .collect();
        assert_eq!(lines, vec![3]);
        assert_eq!(r.acknowledged.len(), 1);
    }

    #[test]
    fn input_checks() {
        assert!(matches!(
            text_from_bytes("a", b"  \n".to_vec()),
            Err(InputError::Empty(_))
        ));
        assert!(matches!(
            text_from_bytes("a", vec![0x53, 0, 1]),
            Err(InputError::Binary(_))
        ));
        assert!(matches!(
            text_from_bytes("a", vec![0xff, 0xfe]),
            Err(InputError::Binary(_))
        ));
        assert!(text_from_bytes("a", b"SELECT 1;".to_vec()).is_ok());
    }
}
