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
        "diff {\n  privileges = \"yes\"\n}\n",
        "diff {\n  tables = []\n}\n",
        "diff {\n  plan = \"safe\"\n}\n",
    ];
    let all: Vec<String> = cases.iter().map(|c| rendered(c)).collect();
    insta::assert_snapshot!(all.join("\n----\n"));
}

#[test]
fn full_lint_and_diff_blocks_parse() {
    let c = parse(
        FILE_NAME,
        "lint {\n  rules {\n    ban-drop-column = \"warning\"\n    require-lock-timeout = \"off\"\n  }\n  lock_timeout = \"500ms\"\n  batch_size = 500\n  pg_version = 12\n  fail_level = \"warning\"\n  exclude = [\"db/0001_*.sql\"]\n}\ndiff {\n  schemas = [\"public\", \"billing\"]\n  exclude = [\"audit_*\"]\n  privileges = false\n  owners = true\n  plan = \"plain\"\n}\n",
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
    assert_eq!((diff.privileges, diff.owners), (Some(false), Some(true)));
    assert!(diff.plain_plan());
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

#[test]
fn migrations_block_errors() {
    let named = |name: &str, body: &str| format!("migrations \"{name}\" {{\n{body}}}\n");
    let core = named(
        "core",
        "  dir = \"core/migrations\"\n  table = \"schema_core\"\n",
    );
    let cases = [
        // Two unnamed blocks.
        "migrations {\n  dir = \"a\"\n}\nmigrations {\n  dir = \"b\"\n}\n".to_owned(),
        // A named block next to an unnamed one.
        format!("migrations {{\n  dir = \"a\"\n}}\n{core}"),
        // One name twice.
        format!("{core}{}", named("core", "  dir = \"other\"\n")),
        // Two histories reading one directory.
        format!(
            "{core}{}",
            named(
                "billing",
                "  dir = \"./core/migrations\"\n  table = \"schema_billing\"\n"
            )
        ),
        // Two histories recording in one table.
        format!(
            "{core}{}",
            named(
                "billing",
                "  dir = \"billing/migrations\"\n  table = \"public.schema_core\"\n"
            )
        ),
        // Both in golang-migrate's default table.
        format!(
            "{}{}",
            named(
                "core",
                "  dir = \"core/migrations\"\n  format = \"golang-migrate\"\n"
            ),
            named(
                "billing",
                "  dir = \"billing/migrations\"\n  format = \"golang-migrate\"\n"
            )
        ),
        // A named history must say where it is.
        format!("{core}{}", named("billing", "  format = \"goose\"\n")),
        named("bad name", "  dir = \"x\"\n"),
        "migrations \"a\" \"b\" {\n  dir = \"x\"\n}\n".to_owned(),
        format!(
            "{core}{}",
            named("billing", "  dir = \"b\"\n  command = \"make migrate\"\n")
        ),
    ];
    let all: Vec<String> = cases.iter().map(|c| rendered(c)).collect();
    insta::assert_snapshot!(all.join("\n----\n"));
}

#[test]
fn check_block_errors() {
    let cases = [
        "check {\n  ignore = [\"history-conflicts\"]\n}\n",
        "check {\n  ignore = \"out-of-order\"\n}\n",
        "check {\n  fail_level = \"warning\"\n}\n",
    ];
    let all: Vec<String> = cases.iter().map(|c| rendered(c)).collect();
    insta::assert_snapshot!(all.join("\n----\n"));
}

#[test]
fn named_histories_parse_in_declared_order() {
    let c = parse(
        FILE_NAME,
        "migrations \"core\" {\n  dir = \"core/migrations\"\n  format = \"golang-migrate\"\n  table = \"schema_core\"\n}\nmigrations \"billing\" {\n  dir = \"billing/migrations\"\n  table = \"schema_billing\"\n}\ncheck {\n  ignore = [\"out-of-order\"]\n}\n",
    )
    .unwrap();
    let names: Vec<_> = c
        .migrations
        .iter()
        .map(|m| (m.label.as_deref(), m.dir.as_deref(), m.table.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            (
                Some("core"),
                Some(std::path::Path::new("core/migrations")),
                Some("schema_core")
            ),
            (
                Some("billing"),
                Some(std::path::Path::new("billing/migrations")),
                Some("schema_billing")
            ),
        ]
    );
    assert!(c.has_named_histories());
    assert_eq!(c.ignored_checks(), ["out-of-order"]);
    // One unnamed block is one history, as before.
    let c = parse(FILE_NAME, "migrations {\n  dir = \"db\"\n}\n").unwrap();
    assert!(!c.has_named_histories());
    assert_eq!(c.history().unwrap().label, None);
}
