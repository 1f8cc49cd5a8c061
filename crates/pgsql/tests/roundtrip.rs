//! Property tests: whatever a name, value or comment holds, quoting then lexing gives back
//! exactly one token with the same value, and a written comment ends only where its line does.

use pgsql::{Lexer, Token, TokenKind, split};
use proptest::prelude::*;

/// Text built from the pieces that break naive quoting: line breaks of every kind, quotes,
/// comment markers, dollar tags, backslashes, psql meta-commands, keywords, control and
/// bidirectional characters, plus arbitrary characters.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_owned()),
        Just("\r".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{2028}".to_owned()),
        Just("\u{2029}".to_owned()),
        Just("\u{85}".to_owned()),
        Just("\u{b}".to_owned()),
        Just("\u{c}".to_owned()),
        Just("\u{1b}]0;x\u{7}".to_owned()),
        Just("\u{202e}".to_owned()),
        Just("'".to_owned()),
        Just("''".to_owned()),
        Just("\"".to_owned()),
        Just("*/".to_owned()),
        Just("/*".to_owned()),
        Just("--".to_owned()),
        Just("$x$".to_owned()),
        Just("$$".to_owned()),
        Just("$function$".to_owned()),
        Just("$".to_owned()),
        Just("\\".to_owned()),
        Just("\\!".to_owned()),
        Just("; DROP TABLE sentinel;".to_owned()),
        Just("select".to_owned()),
        Just("user".to_owned()),
        Just("name".to_owned()),
        Just("U&".to_owned()),
        Just("E'".to_owned()),
        "[a-z_0-9]{1,6}".prop_map(|s| s),
        any::<char>()
            .prop_filter("no NUL", |c| *c != '\0')
            .prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

/// The one token `sql` lexes to, and that it ends the text.
fn only_token(sql: &str) -> Token {
    let tokens: Vec<Token> = Lexer::new(sql).collect();
    assert_eq!(tokens.len(), 1, "{sql:?} lexes to {tokens:?}");
    assert_eq!(tokens[0].range(), 0..sql.len(), "{sql:?}");
    assert!(!tokens[0].unterminated, "{sql:?}");
    tokens[0]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn quoted_identifiers_read_back(name in hostile_text()) {
        let sql = pgsql::quote_ident(&name);
        let t = only_token(&sql);
        prop_assert!(matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent));
        prop_assert_eq!(t.value(&sql), Some(name.clone()));
        // A bare word is never a keyword PostgreSQL would not take as a name.
        if t.kind == TokenKind::Word {
            prop_assert!(t.keyword(&sql).is_none_or(|k| k == pgsql::KeywordCategory::Unreserved));
        }
    }

    #[test]
    fn quoted_literals_read_back(value in hostile_text()) {
        let sql = pgsql::quote_literal(&value);
        let t = only_token(&sql);
        prop_assert_eq!(t.kind, TokenKind::String);
        prop_assert_eq!(t.value(&sql), Some(value.clone()));
        prop_assert!(!sql.chars().any(pgsql::is_unsafe_char), "{:?}", sql);
    }

    #[test]
    fn dollar_quotes_read_back(body in hostile_text(), base in "[a-z]{0,4}") {
        let sql = pgsql::dollar_quote(&base, &body);
        let t = only_token(&sql);
        prop_assert!(matches!(t.kind, TokenKind::DollarString { .. }), "{:?}", t);
        prop_assert_eq!(t.value(&sql), Some(body));
    }

    /// A comment written in front of a statement never lets any of its text run: lexing
    /// gives comment tokens only, then the statement intact.
    #[test]
    fn line_comments_end_with_their_lines(text in hostile_text()) {
        let comment = pgsql::line_comment(&text);
        prop_assert!(comment.ends_with('\n'));
        let sql = format!("{comment}SELECT 1;");
        let tokens: Vec<Token> = Lexer::new(&sql).collect();
        let code: Vec<&str> = tokens.iter().filter(|t| !t.is_comment()).map(|t| t.text(&sql)).collect();
        prop_assert_eq!(code, ["SELECT", "1", ";"]);
        // Each comment token is one whole line of the comment.
        let lines = comment.matches('\n').count();
        prop_assert_eq!(tokens.iter().filter(|t| t.is_comment()).count(), lines);
        prop_assert!(!comment.chars().any(|c| c != '\n' && pgsql::is_unsafe_char(c)), "{:?}", comment);
    }

    #[test]
    fn block_comments_hold_all_their_text(text in hostile_text()) {
        let comment = pgsql::block_comment(&text);
        let sql = format!("{comment} SELECT 1;");
        let tokens: Vec<Token> = Lexer::new(&sql).collect();
        prop_assert_eq!(tokens[0].kind, TokenKind::BlockComment);
        prop_assert_eq!(tokens[0].range(), 0..comment.len());
        prop_assert_eq!(tokens.len(), 4);
    }

    /// Statements made of pieces that may hold `;` without ending it, joined with `;`, split
    /// back into themselves.
    #[test]
    fn split_inverts_join(stmts in proptest::collection::vec(statement(), 1..6)) {
        let sql = stmts.join(";\n");
        let got: Vec<&str> = split(&sql).statements.iter().map(|s| &sql[s.range.clone()]).collect();
        prop_assert_eq!(got, stmts.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

fn statement() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("x".to_owned()),
        Just("'a;b''c'".to_owned()),
        Just("E'q\\';'".to_owned()),
        Just("\"id;\"\"x\"".to_owned()),
        Just("$$ a; 'b $$".to_owned()),
        Just("$fn$ $$; $fn$".to_owned()),
        Just("/* c; /* n; */ */ y".to_owned()),
        Just("-- c;\n z".to_owned()),
        Just("-- c;\r z".to_owned()),
        Just("(1; 2)".to_owned()),
        Just("$1".to_owned()),
        Just("a$b".to_owned()),
        Just("U&'\\0041;'".to_owned()),
        Just("B'01'".to_owned()),
        Just("é".to_owned()),
        hostile_text().prop_map(|t| pgsql::quote_ident(&t)),
        hostile_text().prop_map(|t| pgsql::quote_literal(&t)),
        hostile_text().prop_map(|t| pgsql::dollar_quote("b", &t)),
        hostile_text().prop_map(|t| pgsql::line_comment(&t)),
        hostile_text().prop_map(|t| pgsql::block_comment(&t)),
    ];
    proptest::collection::vec(piece, 0..5).prop_map(|pieces| {
        let mut s = "SELECT".to_owned();
        for p in pieces {
            s.push(' ');
            s.push_str(&p);
        }
        // A statement's range ends at its last token: end on one, not on a comment.
        s.push_str(" z");
        s
    })
}
