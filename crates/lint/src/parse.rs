//! Per-statement parsing with sqlparser (PostgreSQL dialect). Statements no rule looks at
//! (DML, `CREATE FUNCTION`, `COMMENT`, grants…) are not parsed at all: that keeps function
//! bodies out of the linter and the linter fast. A few things PostgreSQL accepts and
//! sqlparser 0.64 does not are patched in a same-length copy so offsets stay valid.

use std::panic::{AssertUnwindSafe, catch_unwind};

use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use crate::span::{Span, offset_of_location};
use crate::split::{RawStatement, Splitter, Token, TokenKind};

/// What to do with one statement.
#[derive(Debug)]
pub(crate) enum Parsed {
    /// Parsed; `concurrently` records a `CONCURRENTLY` sqlparser cannot represent.
    Ast {
        ast: Box<Statement>,
        concurrently: bool,
    },
    /// A kind no rule inspects.
    Skipped,
    /// A `DO` block; its body (inside the dollar quotes) is linted as SQL.
    Do { body: Span },
    /// `CREATE TABLE`: no rule inspects one (a new table is empty and unused), so only its
    /// qualified name is read, from the tokens; this skips the costliest parse in a file.
    CreateTable { name: String },
    /// sqlparser rejected it; `at` is where, when it said.
    Failed { message: String, at: Span },
}

/// First words of statements that no rule inspects, so they are never parsed.
fn is_irrelevant(words: &[&str]) -> bool {
    let w = |i: usize| words.get(i).copied().unwrap_or("");
    match w(0) {
        "select" | "insert" | "update" | "delete" | "with" | "comment" | "grant" | "revoke"
        | "copy" | "analyze" | "analyse" | "explain" | "notify" | "listen" | "unlisten"
        | "prepare" | "execute" | "deallocate" | "discard" | "call" | "savepoint" | "release"
        | "lock" | "security" | "checkpoint" | "load" | "refresh" | "import" | "values"
        | "table" | "fetch" | "move" | "close" | "declare" => true,
        "create" => {
            let mut i = 1;
            if w(1) == "or" && w(2) == "replace" {
                i = 3;
            }
            !matches!(
                w(i),
                "table"
                    | "index"
                    | "unique"
                    | "temp"
                    | "temporary"
                    | "unlogged"
                    | "global"
                    | "local"
            ) || (matches!(w(i), "temp" | "temporary" | "global" | "local")
                && !matches!(w(i + 1), "table" | "temp" | "temporary"))
        }
        "alter" => !matches!(w(1), "table"),
        "drop" => !matches!(w(1), "table" | "index"),
        _ => false,
    }
}

/// Lower-cased leading words (up to 4) of a statement.
fn leading_words<'s>(src: &'s str, tokens: &[Token], buf: &'s mut Vec<String>) -> Vec<&'s str> {
    buf.clear();
    for t in tokens.iter().filter(|t| !t.is_comment()).take(4) {
        if t.kind != TokenKind::Word {
            break;
        }
        buf.push(t.span.text(src).to_ascii_lowercase());
    }
    buf.iter().map(String::as_str).collect()
}

/// Parses one statement.
pub(crate) fn parse(src: &str, raw: &RawStatement) -> Parsed {
    let mut buf = Vec::new();
    let words = leading_words(src, &raw.tokens, &mut buf);
    if words.first() == Some(&"do") {
        return do_body(src, raw).map_or(Parsed::Skipped, |body| Parsed::Do { body });
    }
    if is_irrelevant(&words) {
        return Parsed::Skipped;
    }
    if let Some(name) = create_table_name(src, raw) {
        return Parsed::CreateTable { name };
    }
    let drop_index = words.starts_with(&["drop", "index"]);
    parse_span(src, raw.span, &raw.tokens, drop_index)
}

/// Parses `span` of `src`; with `drop_index`, a `CONCURRENTLY` after `DROP INDEX` is blanked.
pub(crate) fn parse_span(src: &str, span: Span, tokens: &[Token], drop_index: bool) -> Parsed {
    let text = span.text(src);
    let mut concurrently = false;
    let mut patched;
    let mut sql = text;
    let blank = tokens
        .iter()
        .filter(|t| !t.is_comment())
        .nth(2)
        .filter(|t| drop_index && t.is_word(src, "concurrently"));
    if let Some(t) = blank {
        concurrently = true;
        patched = text.to_string();
        let (a, b) = (t.span.start - span.start, t.span.end - span.start);
        patched.replace_range(a..b, &" ".repeat(b - a));
        sql = &patched;
    }
    let dialect = PostgreSqlDialect {};
    // sqlparser has a recursion limit, but a panic on odd input must still not take the
    // linter down: it becomes a parse failure like any other.
    let result = catch_unwind(AssertUnwindSafe(|| Parser::parse_sql(&dialect, sql)));
    match result {
        Ok(Ok(mut stmts)) if stmts.len() == 1 => Parsed::Ast {
            ast: Box::new(stmts.remove(0)),
            concurrently,
        },
        Ok(Ok(stmts)) if stmts.is_empty() => Parsed::Skipped,
        Ok(Ok(_)) => Parsed::Failed {
            message: "more than one statement where one was expected".into(),
            at: span,
        },
        Ok(Err(e)) => {
            let message = e.to_string();
            let at = error_location(&message)
                .and_then(|(l, c)| offset_of_location(text, l, c))
                .map(|o| {
                    let start = span.start + o;
                    let end = tokens
                        .iter()
                        .find(|t| t.span.start >= start)
                        .map_or(span.end, |t| t.span.end.max(start));
                    Span::new(start, end.min(span.end))
                })
                .unwrap_or(span);
            let message = match message.find(" at Line: ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            let message = message
                .strip_prefix("sql parser error: ")
                .unwrap_or(&message)
                .to_string();
            Parsed::Failed { message, at }
        }
        Err(_) => Parsed::Failed {
            message: "the SQL parser failed on this statement".into(),
            at: span,
        },
    }
}

/// The qualified name in `CREATE [TEMP|UNLOGGED|…] TABLE [IF NOT EXISTS] name`.
fn create_table_name(src: &str, raw: &RawStatement) -> Option<String> {
    let code: Vec<&Token> = raw.code().take(12).collect();
    let word = |i: usize, w: &str| code.get(i).is_some_and(|t| t.is_word(src, w));
    if !word(0, "create") {
        return None;
    }
    let mut i = 1;
    while ["global", "local", "temp", "temporary", "unlogged"]
        .iter()
        .any(|w| word(i, w))
    {
        i += 1;
    }
    if !word(i, "table") {
        return None;
    }
    i += 1;
    if word(i, "if") && word(i + 1, "not") && word(i + 2, "exists") {
        i += 3;
    }
    let mut parts = Vec::new();
    loop {
        let t = code.get(i)?;
        let text = t.span.text(src);
        parts.push(match t.kind {
            TokenKind::Word => text.to_lowercase(),
            TokenKind::QuotedIdent => text
                .get(1..text.len().saturating_sub(1))
                .unwrap_or("")
                .replace("\"\"", "\""),
            _ => return None,
        });
        if code.get(i + 1).is_some_and(|t| t.is_punct(b'.')) {
            i += 2;
        } else {
            break;
        }
    }
    Some(match parts.as_slice() {
        [table] => format!("public.{table}"),
        [.., schema, table] => format!("{schema}.{table}"),
        [] => return None,
    })
}

/// `(line, column)` from sqlparser's "… at Line: 1, Column: 5".
fn error_location(message: &str) -> Option<(u64, u64)> {
    let rest = &message[message.rfind("Line: ")? + 6..];
    let (line, rest) = rest.split_once(", Column: ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

/// The body of `DO [LANGUAGE plpgsql|sql] $tag$ … $tag$`, inside the delimiters.
fn do_body(src: &str, raw: &RawStatement) -> Option<Span> {
    let mut language_ok = true;
    let mut code = raw.code().skip(1).peekable();
    let mut body = None;
    while let Some(t) = code.next() {
        if t.is_word(src, "language") {
            if let Some(l) = code.peek() {
                let l = l.span.text(src).trim_matches('\'').to_ascii_lowercase();
                language_ok = l == "plpgsql" || l == "sql";
            }
        } else if let TokenKind::DollarString { tag_len } = t.kind {
            let tag = usize::from(tag_len);
            if t.span.len() >= 2 * tag {
                body = Some(Span::new(t.span.start + tag, t.span.end - tag));
            }
        }
    }
    body.filter(|_| language_ok)
}

/// Words after which a PL/pgSQL body can start a SQL command.
const PLPGSQL_OPENERS: &[&str] = &["begin", "then", "else", "loop"];
/// Commands worth linting inside a `DO` body.
const DO_COMMANDS: &[&str] = &["alter", "create", "drop", "set", "reset", "reindex"];

/// The SQL commands inside a PL/pgSQL body: each `;`-terminated piece, from its last opener
/// (`BEGIN`, `THEN`, `ELSE`, `LOOP`) on, when that starts a command we lint. Control flow,
/// `PERFORM`, `EXECUTE '…'` and anything unparseable are left alone.
pub(crate) fn do_commands(src: &str, body: Span) -> Vec<RawStatement> {
    let mut out = Vec::new();
    for piece in Splitter::range(src, body.start, body.end) {
        let code: Vec<Token> = piece.code().copied().collect();
        let mut start = 0;
        for (i, t) in code.iter().enumerate() {
            if t.kind == TokenKind::Word
                && PLPGSQL_OPENERS
                    .iter()
                    .any(|w| t.span.text(src).eq_ignore_ascii_case(w))
            {
                start = i + 1;
            }
        }
        let Some(first) = code.get(start) else {
            continue;
        };
        if first.kind != TokenKind::Word
            || !DO_COMMANDS
                .iter()
                .any(|w| first.span.text(src).eq_ignore_ascii_case(w))
        {
            continue;
        }
        let tokens: Vec<Token> = piece
            .tokens
            .iter()
            .filter(|t| t.span.start >= first.span.start)
            .copied()
            .collect();
        out.push(RawStatement {
            span: Span::new(first.span.start, piece.span.end),
            tokens,
            leading_comments: Vec::new(),
        });
    }
    out
}

/// For `ALTER TABLE`: the span of each comma-separated action (at parenthesis depth 0), from
/// its first token to its last. Empty when the statement does not look like one.
pub(crate) fn alter_actions(src: &str, tokens: &[Token]) -> Vec<Span> {
    let code: Vec<&Token> = tokens.iter().filter(|t| !t.is_comment()).collect();
    // ALTER [FOREIGN] TABLE [IF EXISTS] [ONLY] name [*] action, action …
    let mut i = 0;
    let word = |i: usize, w: &str| code.get(i).is_some_and(|t| t.is_word(src, w));
    if !word(i, "alter") {
        return Vec::new();
    }
    i += 1;
    if word(i, "foreign") {
        i += 1;
    }
    if !word(i, "table") {
        return Vec::new();
    }
    i += 1;
    if word(i, "if") && word(i + 1, "exists") {
        i += 2;
    }
    if word(i, "only") {
        i += 1;
    }
    // The name: ident (. ident)*
    i += 1;
    while code.get(i).is_some_and(|t| t.is_punct(b'.')) {
        i += 2;
    }
    if code.get(i).is_some_and(|t| t.is_punct(b'*')) {
        i += 1;
    }
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start: Option<Span> = None;
    let mut last: Option<Span> = None;
    for t in code.iter().skip(i) {
        match t.kind {
            TokenKind::Punct(b'(') => depth += 1,
            TokenKind::Punct(b')') => depth -= 1,
            TokenKind::Punct(b',' | b';') if depth == 0 => {
                if let (Some(s), Some(l)) = (start, last) {
                    out.push(s.join(l));
                }
                start = None;
                last = None;
                continue;
            }
            _ => {}
        }
        start.get_or_insert(t.span);
        last = Some(t.span);
    }
    if let (Some(s), Some(l)) = (start, last) {
        out.push(s.join(l));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(src: &str) -> RawStatement {
        Splitter::new(src).next().unwrap()
    }

    #[test]
    fn actions_are_split_at_top_level_commas() {
        let src = "ALTER TABLE ONLY s.\"T\" DROP COLUMN a, ADD COLUMN n numeric(10,2) DEFAULT 0, ALTER c SET NOT NULL;";
        let r = raw(src);
        let acts: Vec<&str> = alter_actions(src, &r.tokens)
            .iter()
            .map(|s| s.text(src))
            .collect();
        assert_eq!(
            acts,
            vec![
                "DROP COLUMN a",
                "ADD COLUMN n numeric(10,2) DEFAULT 0",
                "ALTER c SET NOT NULL"
            ]
        );
    }

    #[test]
    fn irrelevant_statements_are_not_parsed() {
        let src = "CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ ALTER TABLE t DROP COLUMN c $$ LANGUAGE sql;";
        assert!(matches!(parse(src, &raw(src)), Parsed::Skipped));
        let src = "UPDATE t SET c = 1;";
        assert!(matches!(parse(src, &raw(src)), Parsed::Skipped));
    }

    #[test]
    fn create_table_names_come_from_tokens() {
        for (src, name) in [
            ("CREATE TABLE t (a int);", "public.t"),
            (
                "CREATE UNLOGGED TABLE IF NOT EXISTS App.\"T x\" (a int);",
                "app.T x",
            ),
            ("create temp table s.t as select 1;", "s.t"),
        ] {
            match parse(src, &raw(src)) {
                Parsed::CreateTable { name: n } => assert_eq!(n, name),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn drop_index_concurrently_parses() {
        let src = "DROP INDEX CONCURRENTLY IF EXISTS ix;";
        assert!(matches!(
            parse(src, &raw(src)),
            Parsed::Ast {
                concurrently: true,
                ..
            }
        ));
    }

    #[test]
    fn parse_errors_point_at_the_problem() {
        let src = "ALTER TABLE t DROP COLUMN c c c;";
        match parse(src, &raw(src)) {
            Parsed::Failed { at, .. } => assert!(at.start > 20, "{at:?}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn do_bodies_yield_their_commands() {
        let src = "DO $$ DECLARE n int; BEGIN ALTER TABLE t DROP COLUMN c; IF true THEN DROP TABLE x; END IF; PERFORM 1; END $$;";
        let r = raw(src);
        let Parsed::Do { body } = parse(src, &r) else {
            panic!()
        };
        let cmds: Vec<&str> = do_commands(src, body)
            .iter()
            .map(|s| s.span.text(src))
            .collect();
        assert_eq!(cmds, vec!["ALTER TABLE t DROP COLUMN c;", "DROP TABLE x;"]);
    }
}
