//! Our lexer and splitter held against PostgreSQL's own scanner and grammar (libpg_query,
//! built from the server's sources): on random SQL-ish text, every token must start and end
//! where PostgreSQL's do, and statements must end at the same `;`.
//!
//! Behind the `pg_query-oracle` feature (libpg_query needs libclang to build); `.ci/run`
//! is meant to run `cargo test -p pgsql --features pg_query-oracle` (not yet: some cases differ).
#![cfg(feature = "pg_query-oracle")]

use proptest::prelude::*;

/// One piece of SQL-ish text, always a complete token (or comment) in PostgreSQL's scanner.
fn piece() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("select".to_owned()),
        Just("begin".to_owned()),
        Just("end".to_owned()),
        Just("atomic".to_owned()),
        Just("é_1".to_owned()),
        Just("a$b".to_owned()),
        "[A-Za-z_][A-Za-z0-9_]{0,5}",
    ];
    let text = "[a-z ;'\"$*/\\-\\r\\n\\\\]{0,10}";
    prop_oneof![
        word,
        Just(";".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("$1".to_owned()),
        Just("1.5e-3".to_owned()),
        Just("42".to_owned()),
        Just("::".to_owned()),
        Just("+-".to_owned()),
        Just("<>".to_owned()),
        Just("->>".to_owned()),
        Just("@-".to_owned()),
        Just("*".to_owned()),
        Just(",".to_owned()),
        Just("U&'\\0041'".to_owned()),
        Just("B'0101'".to_owned()),
        Just("X'1F'".to_owned()),
        Just("N'n'".to_owned()),
        text.prop_map(|t| pgsql::quote_ident(&t)),
        text.prop_map(|t| pgsql::quote_literal(&t)),
        text.prop_map(|t| format!("E'{}'", t.replace('\\', "\\\\").replace('\'', "\\'"))),
        (text, "[a-z_]{0,3}").prop_map(|(t, tag)| pgsql::dollar_quote(&tag, &t)),
        text.prop_map(|t| pgsql::block_comment(&t)),
        // Raw block comments, nested, with CR and LF inside.
        text.prop_map(|t| {
            let t = without_comment_markers(&t);
            format!("/* {t} /* {t} */ */")
        }),
        // Line comments ending at LF or at a lone CR.
        (text, prop_oneof![Just("\n"), Just("\r"), Just("\r\n")])
            .prop_map(|(t, end)| format!("--{}{end}", t.replace(['\n', '\r'], " "))),
        text.prop_map(|t| pgsql::line_comment(&t)),
    ]
}

fn without_comment_markers(t: &str) -> String {
    let mut t = t.to_owned();
    while t.contains("*/") || t.contains("/*") {
        t = t.replace("*/", "").replace("/*", "");
    }
    t
}

/// Pieces joined by single spaces (never a newline between two strings, which PostgreSQL
/// would join into one string constant).
fn sqlish() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 1..24).prop_map(|p| p.join(" "))
}

fn our_tokens(sql: &str) -> Vec<(usize, usize)> {
    pgsql::Lexer::new(sql).map(|t| (t.start, t.end)).collect()
}

fn their_tokens(sql: &str) -> Result<Vec<(usize, usize)>, pg_query::Error> {
    Ok(pg_query::scan(sql)?
        .tokens
        .iter()
        .map(|t| (t.start as usize, t.end as usize))
        .collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Token boundaries, comments included, agree with PostgreSQL's scanner.
    #[test]
    fn tokens_match_postgresql(sql in sqlish()) {
        let theirs = their_tokens(&sql);
        prop_assume!(theirs.is_ok(), "PostgreSQL's scanner rejected it: {:?}", theirs);
        prop_assert_eq!(our_tokens(&sql), theirs.unwrap(), "{:?}", sql);
    }

    /// With no `;` inside parentheses or `BEGIN … END`, statements end at every `;` token,
    /// as libpg_query's scanner-based split ends them.
    #[test]
    fn statement_ends_match_postgresql(sql in sqlish()) {
        let Ok(scan) = pg_query::scan(&sql) else { return Ok(()) };
        if sql.to_ascii_lowercase().contains("begin") || sql.contains('(') {
            return Ok(());
        }
        let semicolon = pg_query::protobuf::Token::Ascii59 as i32;
        let theirs: Vec<usize> = scan.tokens.iter().filter(|t| t.token == semicolon).map(|t| t.start as usize).collect();
        let ours: Vec<usize> = pgsql::tokens(&sql).iter().filter(|t| t.is_punct(b';')).map(|t| t.start).collect();
        prop_assert_eq!(&ours, &theirs, "{:?}", sql);
        let split = pgsql::split(&sql);
        let ends: Vec<usize> = split.statements.iter().filter_map(|s| s.semicolon).collect();
        // Empty statements (`;;`) are left out of ours: every end we report is one of theirs.
        prop_assert!(ends.iter().all(|e| theirs.contains(e)), "{:?}", sql);
    }
}

/// Valid SQL with `;` inside SQL-standard function bodies, dollar quotes and comments: the
/// grammar-based split (which knows `BEGIN ATOMIC`) ends statements where we do.
#[test]
fn statements_match_the_postgresql_grammar() {
    let sql = "CREATE TABLE t (a int); -- one\r\
               CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql\n\
               BEGIN ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND;\n\
               CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;\n\
               CREATE FUNCTION g() RETURNS text AS $g$ SELECT ';' $g$ LANGUAGE sql;\n\
               /* a /* nested ; */ comment; */ SELECT E'\\';', $$;$$, \"q;\" FROM t;\n\
               BEGIN; SELECT (SELECT 1); COMMIT";
    let theirs = pg_query::split_with_parser(sql).expect("valid SQL");
    let ours = pgsql::split(sql);
    assert_eq!(ours.statements.len(), theirs.len(), "{theirs:#?}");
    for (s, t) in ours.statements.iter().zip(&theirs) {
        // Their statement may start with the comments before it; both end at the last token.
        assert!(
            t.trim_end().ends_with(&sql[s.range.clone()]),
            "ours {:?}, theirs {t:?}",
            &sql[s.range.clone()]
        );
    }
}

/// The issue's two cases: a comment ended by a lone CR, and 60 nested parentheses (which
/// PostgreSQL accepts).
#[test]
fn carriage_return_and_deep_parentheses() {
    let sql = "-- c\rDROP TABLE x";
    assert_eq!(our_tokens(sql), their_tokens(sql).unwrap());
    let deep = format!("SELECT {}1{}; SELECT 2", "(".repeat(60), ")".repeat(60));
    assert_eq!(our_tokens(&deep), their_tokens(&deep).unwrap());
    assert_eq!(pg_query::split_with_parser(&deep).unwrap().len(), 2);
    assert_eq!(pgsql::split(&deep).statements.len(), 2);
}
