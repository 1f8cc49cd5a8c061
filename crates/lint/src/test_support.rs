//! Helpers for rule tests: lint with one rule, render like the CLI (plain, width 100).

use crate::report::{Style, human};
use crate::rule::Rule;
use crate::{LintedFile, Settings, lint};

fn only(sql: &str, rule: &dyn Rule) -> LintedFile {
    let mut file = lint("test.sql", sql, &Settings::default());
    file.violations.retain(|v| v.rule == rule.name());
    file
}

/// The rule's findings on `sql`, rendered; asserts there is at least one.
pub(crate) fn lint_errors(sql: &str, rule: &dyn Rule) -> String {
    let file = only(sql, rule);
    assert!(
        !file.violations.is_empty(),
        "{} did not fire on:\n{sql}",
        rule.name()
    );
    let mut out = Vec::new();
    human(std::slice::from_ref(&file), Style::Plain, 100, &mut out).expect("writing to a Vec");
    String::from_utf8(out).expect("miette writes UTF-8")
}

/// Asserts the rule does not fire on `sql`.
pub(crate) fn lint_ok(sql: &str, rule: &dyn Rule) {
    let file = only(sql, rule);
    assert!(
        file.violations.is_empty(),
        "{} fired on:\n{sql}\n{:#?}",
        rule.name(),
        file.violations
    );
}

/// `sql` after `--fix`; asserts the result has no syntax errors and no NOT NULL findings.
pub(crate) fn fixed(sql: &str) -> String {
    let file = lint("test.sql", sql, &Settings::default());
    let out = file.fixed().expect("a fix");
    let again = lint("fixed.sql", out.as_str(), &Settings::default());
    for v in &again.violations {
        assert!(
            !matches!(
                v.rule,
                "unanalysed-statement" | "ban-unsafe-not-null" | "require-lock-timeout"
            ),
            "the rewrite still has {}: {}\n{out}",
            v.rule,
            v.message
        );
    }
    out
}
