//! `diff.sql` for models whose names, enum labels, comments and bodies are hostile: line breaks
//! of every kind (a lone CR ends a `--` comment in PostgreSQL), comment markers, dollar tags,
//! backslashes, psql meta-commands. Lexed as PostgreSQL and psql lex it, every comment line
//! must stay a comment and every statement must be one the plan meant.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::*;
use diff::{Header, plan};
use hclgen::*;
use pgsql::TokenKind;

const BREAKS: &[&str] = &[
    "\n", "\r", "\r\n", "\u{2028}", "\u{2029}", "\u{85}", "\u{b}", "\u{c}",
];

fn payload(brk: &str) -> String {
    format!("x{brk}DROP TABLE sentinel; */ $function$ $dbm$ \\! touch /tmp/pwned{brk}-- ")
}

fn render(from: &Database, to: &Database, header: &str) -> String {
    plan(from, to).to_sql(&Header {
        from: header.into(),
        to: header.into(),
        tool_version: "test".into(),
    })
}

/// No `sentinel` runs as code, no psql meta-command, nothing unterminated, and the comment
/// lines are whole lines.
fn assert_only_intended(sql: &str) {
    let split = pgsql::split(sql);
    assert_eq!(split.unterminated(), None, "{sql}");
    for t in &split.tokens {
        assert!(
            !(t.kind == TokenKind::Word && t.text(sql).eq_ignore_ascii_case("sentinel")),
            "`sentinel` runs as code in:\n{sql}"
        );
        assert_ne!(t.kind, TokenKind::MetaCommand, "meta-command in:\n{sql}");
        if t.kind == TokenKind::LineComment {
            // A comment token ends where its line (as an editor shows it) ends.
            let rest = &sql[t.end..];
            assert!(rest.is_empty() || rest.starts_with('\n'), "{sql:?}");
        }
    }
    for s in &split.statements {
        let first = split.tokens[s.tokens.start].text(sql).to_ascii_uppercase();
        assert!(
            matches!(
                first.as_str(),
                "CREATE" | "ALTER" | "COMMENT" | "DROP" | "SET"
            ),
            "unexpected statement {:?}",
            &sql[s.range.clone()]
        );
    }
}

#[test]
fn hostile_names_comments_and_bodies_stay_inert() {
    for brk in BREAKS {
        let p = payload(brk);
        let mut t = table(&p, vec![col(&p, "text").default(&pgsql::quote_literal(&p))]);
        t.comment = Some(p.clone());
        t.columns[0].comment = Some(p.clone());
        let mut db = db_with(vec![t, table("sentinel", vec![col("id", "integer")])]);
        db.enums.push(enum_type(&p, &[&p, "b"]));
        db.normalize();
        let base = db_with(vec![table("sentinel", vec![col("id", "integer")])]);
        // Created, then dropped: both directions name every hostile object.
        assert_only_intended(&render(&base, &db, &p));
        assert_only_intended(&render(&db, &base, &p));
    }
}

/// Defect 3 of issue 8, as reported: a CR in a name ended the step comment in `diff.sql`.
#[test]
fn a_carriage_return_in_a_name_does_not_end_the_step_comment() {
    let base = db_with(vec![table("sentinel", vec![col("id", "integer")])]);
    let evil = "a\rDROP TABLE sentinel; --";
    let db = db_with(vec![
        table("sentinel", vec![col("id", "integer")]),
        table(evil, vec![col("id", "integer")]),
    ]);
    let sql = render(&base, &db, "h");
    assert_only_intended(&sql);
}

/// A SQL-standard body (`RETURN …`, `BEGIN ATOMIC … END`) is written unquoted (kestra's
/// `PARSE_ISO8601_DATETIME`), but only when it completes exactly one statement: a body that
/// would end the statement early, open a comment or a string, or hold a psql meta-command
/// stays dollar-quoted.
#[test]
fn standard_function_bodies_are_unquoted_only_when_they_are_one_statement() {
    let base = db_with(vec![table("sentinel", vec![col("id", "integer")])]);
    let with = |body: &str| {
        let mut db = base.clone();
        db.functions.push(Function {
            name: qn("f"),
            returns: Some(Returns::Type {
                ty: Type::Sql("integer".into()),
                setof: false,
            }),
            language: "sql".into(),
            body: body.into(),
            cost: 100.0,
            ..Default::default()
        });
        render(&base, &db, "h")
    };
    for body in [
        "RETURN 1",
        "BEGIN ATOMIC\n SELECT CASE WHEN true THEN 1 END;\nEND",
    ] {
        let sql = with(body);
        assert_only_intended(&sql);
        assert!(sql.contains(&format!("\n{body};\n")), "{sql}");
    }
    for body in [
        "RETURN 1; DROP TABLE sentinel",
        "RETURN 1 --",
        "RETURN 1 /*",
        "RETURN '",
        "RETURN 1\n\\! touch /tmp/pwned\n",
        "BEGIN ATOMIC SELECT 1; END; DROP TABLE sentinel",
        "BEGIN ATOMIC SELECT 1;",
        "RETURN (1",
    ] {
        let sql = with(body);
        assert_only_intended(&sql);
        assert!(
            sql.contains("AS $function$"),
            "{body:?} unquoted in:\n{sql}"
        );
    }
}
