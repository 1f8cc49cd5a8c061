//! `lint --fix` rewrites of migrations whose names and defaults are hostile: line breaks of
//! every kind in names (which the rewrite quotes in `--` comments), `$backfill$` in a default
//! (which lands in the backfill's `DO` body). The rewrite must run only what it means to:
//! lexed as PostgreSQL and psql lex it, no statement of it is the attacker's.
#![allow(clippy::unwrap_used, clippy::panic)]

use lint::{Settings, lint};
use pgsql::TokenKind;

/// The `--fix` output of `sql`.
fn fixed(sql: &str) -> String {
    lint("hostile.sql", sql, &Settings::default())
        .fixed()
        .unwrap_or_else(|| panic!("no fix for {sql:?}"))
}

/// Every statement of `out`, by its first word, and no `sentinel` outside quotes, strings and
/// comments.
fn assert_only_intended(out: &str) {
    let split = pgsql::split(out);
    assert_eq!(split.unterminated(), None, "{out}");
    for t in &split.tokens {
        assert!(
            !(t.kind == TokenKind::Word && t.text(out).eq_ignore_ascii_case("sentinel")),
            "`sentinel` runs as code in:\n{out}"
        );
        assert_ne!(
            t.kind,
            TokenKind::MetaCommand,
            "a psql meta-command runs in:\n{out}"
        );
    }
    for s in &split.statements {
        let first = split.tokens[s.tokens.start].text(out).to_ascii_uppercase();
        assert!(
            matches!(first.as_str(), "SET" | "ALTER" | "DO"),
            "unexpected statement {:?} in:\n{out}",
            &out[s.range.clone()]
        );
    }
}

#[test]
fn names_with_line_breaks_stay_in_their_comments() {
    for brk in [
        "\n", "\r", "\r\n", "\u{2028}", "\u{2029}", "\u{85}", "\u{b}", "\u{c}",
    ] {
        let payload = format!("x{brk}DROP TABLE sentinel;{brk}\\! touch /tmp/pwned{brk}--");
        let name = payload.replace('"', "\"\"");
        // ADD COLUMN … NOT NULL with a volatile default: the three-step rewrite, whose
        // comments name the table and column as written.
        let add = format!(
            "ALTER TABLE \"{name}\" ADD COLUMN \"{name}\" uuid NOT NULL DEFAULT gen_random_uuid();\n"
        );
        let out = fixed(&add);
        assert!(out.contains("ban-unsafe-not-null rewrite"), "{out}");
        assert_only_intended(&out);
        // SET NOT NULL: the rewrite comments out a whole backfill that holds the names.
        let set = format!("ALTER TABLE \"{name}\" ALTER COLUMN \"{name}\" SET NOT NULL;\n");
        let out = fixed(&set);
        assert!(out.contains("-- DO $backfill$"), "{out}");
        assert_only_intended(&out);
    }
}

#[test]
fn a_backfill_tag_in_a_default_does_not_close_the_block() {
    let sql = "ALTER TABLE t ADD COLUMN c text NOT NULL \
               DEFAULT (gen_random_uuid()::text || '$backfill$; DROP TABLE sentinel; --');\n";
    let out = fixed(sql);
    assert_only_intended(&out);
    // The default is in the DO body, whole, under a tag it does not contain.
    let tokens = pgsql::tokens(&out);
    let body = tokens
        .iter()
        .find(|t| matches!(t.kind, TokenKind::DollarString { .. }))
        .unwrap_or_else(|| panic!("no DO body in:\n{out}"));
    let text = body.text(&out);
    assert!(text.starts_with("$backfill1$"), "{text}");
    assert!(
        body.value(&out)
            .unwrap()
            .contains("'$backfill$; DROP TABLE sentinel; --'"),
        "{text}"
    );
}
