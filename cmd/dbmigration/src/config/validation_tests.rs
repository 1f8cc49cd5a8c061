//! Config validation as users see it: each error rendered (plain miette) and snapshotted, so
//! the span under the exact key or value and the help are reviewed by eye; and the docs cover
//! every key.

use super::{ConfigError, FILE_NAME, all_keys, parse};

/// The error for `text`, rendered as the CLI prints it without colour.
fn rendered(text: &str) -> String {
    let err: ConfigError = match parse(FILE_NAME, text) {
        Ok(c) => panic!("accepted: {c:?}"),
        Err(e) => e,
    };
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_links(false);
    let mut out = String::new();
    handler.render_report(&mut out, &err).unwrap();
    out
}

#[test]
fn lint_block_errors() {
    let cases = [
        "lint {\n  fail_level = \"errors\"\n}\n",
        "lint {\n  rules {\n    ban-drop-colum = \"off\"\n  }\n}\n",
        "lint {\n  rules {\n    ban-drop-column = \"fatal\"\n  }\n}\n",
        "lint {\n  lock_timeout = \"2s'; DROP TABLE users; --\"\n}\n",
        "lint {\n  batch_size = 0\n}\n",
        "lint {\n  pg_version = \"15\"\n}\n",
        "lint {\n  exclude = [\"db/**\", \"a{b\"]\n}\n",
        "lint {\n  severity = \"error\"\n}\n",
        "lint \"main\" {\n}\n",
    ];
    let all: Vec<String> = cases.iter().map(|c| rendered(c)).collect();
    insta::assert_snapshot!(all.join("\n----\n"));
}

#[test]
fn diff_block_errors() {
    let cases = [
        "diff {\n  schemas = \"public\"\n}\n",
        "diff {\n  exclude = [42]\n}\n",
        "diff {\n  privileges = true\n}\n",
        "diff {\n  tables = []\n}\n",
    ];
    let all: Vec<String> = cases.iter().map(|c| rendered(c)).collect();
    insta::assert_snapshot!(all.join("\n----\n"));
}

#[test]
fn full_lint_and_diff_blocks_parse() {
    let c = parse(
        FILE_NAME,
        "lint {\n  rules {\n    ban-drop-column = \"warning\"\n    require-lock-timeout = \"off\"\n  }\n  lock_timeout = \"500ms\"\n  batch_size = 500\n  pg_version = 12\n  fail_level = \"warning\"\n  exclude = [\"db/0001_*.sql\"]\n}\ndiff {\n  schemas = [\"public\", \"billing\"]\n  exclude = [\"audit_*\"]\n  privileges = false\n}\n",
    )
    .unwrap();
    let lint = c.lint.unwrap();
    assert_eq!(lint.rules.len(), 2);
    assert_eq!(lint.lock_timeout.as_deref(), Some("500ms"));
    assert_eq!(lint.batch_size, Some(500));
    assert_eq!(lint.pg_version, Some(12));
    assert_eq!(super::lint::fail_level(&lint), ::lint::Severity::Warning);
    assert_eq!(lint.exclude, vec!["db/0001_*.sql"]);
    let diff = c.diff.unwrap();
    assert_eq!(diff.schemas, vec!["public", "billing"]);
    assert_eq!(diff.exclude, vec!["audit_*"]);
}

/// docs/configuration.md has a row for every key the validator accepts, and every key listed
/// is accepted (not reported as unknown).
#[test]
fn docs_cover_every_key() {
    let doc = include_str!("../../../../docs/configuration.md");
    for key in all_keys() {
        assert!(
            doc.contains(&format!("| `{key}` |")),
            "docs/configuration.md has no row for `{key}`"
        );
        let text = match key.split_once('.') {
            None => format!("{key} = 42\n"),
            Some(("lint", "rules")) => "lint {\n  rules {\n  }\n}\n".to_owned(),
            Some((block, k)) => format!("{block} {{\n  {k} = {{}}\n}}\n"),
        };
        if let Err(ConfigError::UnknownKey { key: k, .. }) = parse(FILE_NAME, &text) {
            panic!("`{key}` is listed but rejected as unknown (`{k}`)");
        }
    }
}
