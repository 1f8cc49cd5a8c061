//! Splitting SQL text into statements where psql does: at a `;` outside quotes, comments and
//! parentheses, and outside the `BEGIN ATOMIC … END` body of a SQL-standard function.
//!
//! The `BEGIN … END` tracking is psql's own heuristic (postgres/postgres
//! `src/fe_utils/psqlscan.l`, the `{identifier}` and `";"` rules): in a statement whose first
//! words are `CREATE [OR REPLACE] FUNCTION|PROCEDURE`, an unquoted `BEGIN` outside parentheses
//! opens a block, `CASE` nests once inside one, and `END` closes one.

use std::ops::Range;

use crate::lex::{Lexer, Token, TokenKind};

/// psql's statement-boundary state, fed one token at a time.
#[derive(Debug, Clone, Default)]
pub struct Boundary {
    paren_depth: usize,
    begin_depth: usize,
    /// First letters of the statement's first four words, when they are one of
    /// create/or/replace/function/procedure (psql's `identifiers`).
    heads: [u8; 4],
    word_count: usize,
}

impl Boundary {
    /// A fresh state, at the start of a statement.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next token of `src`; true when it is a `;` that ends the statement (the state
    /// is then reset for the next one). Comments change nothing.
    pub fn ends_statement(&mut self, src: &str, token: &Token) -> bool {
        match token.kind {
            TokenKind::Punct(b'(') => self.paren_depth += 1,
            TokenKind::Punct(b')') => self.paren_depth = self.paren_depth.saturating_sub(1),
            TokenKind::Punct(b';') if self.paren_depth == 0 && self.begin_depth == 0 => {
                *self = Self::default();
                return true;
            }
            TokenKind::Word => self.word(token.text(src)),
            _ => {}
        }
        false
    }

    fn word(&mut self, word: &str) {
        let lower = word.to_ascii_lowercase();
        if self.word_count < self.heads.len()
            && matches!(
                lower.as_str(),
                "create" | "or" | "replace" | "function" | "procedure"
            )
        {
            self.heads[self.word_count] = lower.as_bytes()[0];
        }
        self.word_count += 1;
        let h = self.heads;
        let routine = h[0] == b'c'
            && (matches!(h[1], b'f' | b'p')
                || (h[1] == b'o' && h[2] == b'r' && matches!(h[3], b'f' | b'p')));
        if !routine || self.paren_depth > 0 {
            return;
        }
        match lower.as_str() {
            "begin" => self.begin_depth += 1,
            "case" if self.begin_depth >= 1 => self.begin_depth += 1,
            "end" => self.begin_depth = self.begin_depth.saturating_sub(1),
            _ => {}
        }
    }
}

/// One statement of a split text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// From its first token (comments excluded) to the end of its last token before the `;`.
    pub range: Range<usize>,
    /// The byte offset of the `;` that ends it; `None` for a last statement without one.
    pub semicolon: Option<usize>,
    /// Indices into [`Split::tokens`]: from its first non-comment token through its `;`
    /// (comments inside included).
    pub tokens: Range<usize>,
}

/// A text split into statements.
#[derive(Debug, Clone)]
pub struct Split {
    /// Every token of the text, comments included.
    pub tokens: Vec<Token>,
    /// The statements, in order; empty ones (`;;`, comments only) are left out.
    pub statements: Vec<Statement>,
}

impl Split {
    /// The first unterminated string, quoted identifier, dollar quote or block comment. It
    /// runs to the end of the text, as in psql, which then never sends it: callers that run
    /// the statements must treat it as an error.
    pub fn unterminated(&self) -> Option<Unterminated> {
        let t = self.tokens.iter().find(|t| t.unterminated)?;
        let what = match t.kind {
            TokenKind::BlockComment => "block comment `/* … */`",
            TokenKind::QuotedIdent => "quoted identifier `\"…\"`",
            TokenKind::DollarString { .. } => "dollar-quoted string `$tag$ … $tag$`",
            _ => "string constant `'…'`",
        };
        Some(Unterminated {
            what,
            offset: t.start,
        })
    }
}

/// A construct the text ended inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unterminated {what} starting at byte offset {offset}")]
pub struct Unterminated {
    /// What it is, for messages.
    pub what: &'static str,
    /// Byte offset where it starts.
    pub offset: usize,
}

/// Splits `src` into statements (see the module docs).
pub fn split(src: &str) -> Split {
    let tokens: Vec<Token> = Lexer::new(src).collect();
    let mut statements = Vec::new();
    let mut boundary = Boundary::new();
    let mut first: Option<usize> = None;
    let mut last_code = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.is_comment() {
            continue;
        }
        let ends = boundary.ends_statement(src, t);
        if ends {
            if let Some(f) = first.take() {
                statements.push(Statement {
                    range: tokens[f].start..tokens[last_code].end,
                    semicolon: Some(t.start),
                    tokens: f..i + 1,
                });
            }
            continue;
        }
        first.get_or_insert(i);
        last_code = i;
    }
    if let Some(f) = first {
        statements.push(Statement {
            range: tokens[f].start..tokens[last_code].end,
            semicolon: None,
            tokens: f..last_code + 1,
        });
    }
    Split { tokens, statements }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<&str> {
        split(src)
            .statements
            .into_iter()
            .map(|s| &src[s.range])
            .collect()
    }

    #[test]
    fn plain_statements_and_ranges() {
        let sql = "CREATE TABLE a (id int);\n  -- note\n  INSERT INTO a VALUES (1) ;;\n";
        assert_eq!(
            texts(sql),
            ["CREATE TABLE a (id int)", "INSERT INTO a VALUES (1)"]
        );
        let s = split(sql);
        assert_eq!(s.statements[1].range.start, sql.find("INSERT").unwrap());
        assert_eq!(s.statements[1].semicolon, sql.find(" ;").map(|p| p + 1));
    }

    #[test]
    fn no_trailing_semicolon_and_comment_only() {
        assert_eq!(texts("SELECT 1; SELECT 2"), ["SELECT 1", "SELECT 2"]);
        assert!(texts("-- nothing\n/* here */  \n").is_empty());
    }

    #[test]
    fn quotes_and_comments_hide_semicolons() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\
                   DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$;\n\
                   SELECT $1, a$b$ FROM t; /* a /* nested; */ still; */ SELECT 'it''s;', \
                   E'a\\'; b', \"we\"\"ird;\" -- x; y\n; SELECT 'x\\'; SELECT 3";
        assert_eq!(
            texts(sql),
            [
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                "DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$",
                "SELECT $1, a$b$ FROM t",
                "SELECT 'it''s;', E'a\\'; b', \"we\"\"ird;\"",
                // standard_conforming_strings: a backslash is an ordinary character.
                "SELECT 'x\\'",
                "SELECT 3",
            ]
        );
    }

    #[test]
    fn a_carriage_return_ends_a_line_comment() {
        assert_eq!(
            texts("SELECT 1 -- c\rDROP TABLE x; SELECT 2"),
            ["SELECT 1 -- c\rDROP TABLE x", "SELECT 2"]
        );
    }

    #[test]
    fn begin_atomic_bodies_stay_whole() {
        let sql = "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql\n\
                   BEGIN ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND;\n\
                   create procedure p() begin atomic select 1; end; SELECT 1;";
        let got = texts(sql);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].ends_with("END"));
        assert!(got[1].ends_with("end"));
        // A transaction BEGIN is not a block.
        assert_eq!(
            texts("BEGIN; SELECT 1; COMMIT;"),
            ["BEGIN", "SELECT 1", "COMMIT"]
        );
    }

    #[test]
    fn parentheses_hold_semicolons() {
        assert_eq!(
            texts("SELECT (1;2); SELECT 3"),
            ["SELECT (1;2)", "SELECT 3"]
        );
    }

    #[test]
    fn unterminated_constructs_are_reported() {
        for (sql, what) in [
            ("/* never closed", "block comment"),
            ("SELECT 1; SELECT 'x", "string"),
            ("SELECT $a$ x", "dollar"),
            ("SELECT \"x", "quoted identifier"),
        ] {
            let u = split(sql).unterminated().unwrap();
            assert!(u.what.contains(what), "{sql}: {u}");
        }
        assert_eq!(
            split("x /* a */ 'b'").unterminated(),
            None,
            "terminated constructs"
        );
        assert_eq!(split("/* x").unterminated().unwrap().offset, 0);
    }
}
