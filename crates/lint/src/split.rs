//! Statements of a file before any parsing, so one broken statement cannot hide the others.
//! Lexing and statement boundaries are the workspace's one implementation of PostgreSQL's
//! and psql's rules (`pgsql`); this module only attaches comments to statements and carries
//! spans as the linter's [`Span`]. Unterminated constructs run to the end of the file (the
//! parser then reports the statement).

pub(crate) use pgsql::TokenKind;

use crate::span::Span;

/// One token: its kind and byte range in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

impl Token {
    pub(crate) fn is_comment(&self) -> bool {
        matches!(self.kind, TokenKind::LineComment | TokenKind::BlockComment)
    }

    /// Is this an unquoted word equal to `kw` (ASCII case-insensitive)?
    pub(crate) fn is_word(&self, src: &str, kw: &str) -> bool {
        self.kind == TokenKind::Word && self.span.text(src).eq_ignore_ascii_case(kw)
    }

    pub(crate) fn is_punct(&self, c: u8) -> bool {
        self.kind == TokenKind::Punct(c)
    }
}

impl From<pgsql::Token> for Token {
    fn from(t: pgsql::Token) -> Self {
        Token {
            kind: t.kind,
            span: Span::new(t.start, t.end),
        }
    }
}

/// One statement as split from the file, before parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawStatement {
    /// From the first real token to the end of the terminating `;` (or the last token).
    pub span: Span,
    /// Every token of the statement, comments inside it included, plus a comment that
    /// follows the `;` on the same line.
    pub tokens: Vec<Token>,
    /// Comments between the previous statement and this one.
    pub leading_comments: Vec<Token>,
}

impl RawStatement {
    /// The statement's tokens without comments.
    pub(crate) fn code(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| !t.is_comment())
    }
}

/// Splits `src[start..end]` into statements.
pub(crate) struct Splitter<'a> {
    src: &'a str,
    lexer: pgsql::Lexer<'a>,
    pending: Option<pgsql::Token>,
    /// Comments after the last statement, once iteration has ended.
    pub trailing: Vec<Token>,
}

impl<'a> Splitter<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Self::range(src, 0, src.len())
    }

    pub(crate) fn range(src: &'a str, start: usize, end: usize) -> Self {
        Splitter {
            src,
            lexer: pgsql::Lexer::range(src, start..end),
            pending: None,
            trailing: Vec::new(),
        }
    }

    fn next_token(&mut self) -> Option<pgsql::Token> {
        self.pending.take().or_else(|| self.lexer.next())
    }
}

impl Iterator for Splitter<'_> {
    type Item = RawStatement;

    fn next(&mut self) -> Option<RawStatement> {
        let mut leading = Vec::new();
        let first = loop {
            let Some(t) = self.next_token() else {
                self.trailing = leading;
                return None;
            };
            if t.is_comment() {
                leading.push(Token::from(t));
            } else if t.is_punct(b';') {
                // An empty statement: nothing to lint, but its comments stay leading.
                continue;
            } else {
                break t;
            }
        };
        let src = self.src;
        let mut boundary = pgsql::Boundary::new();
        let mut tokens = vec![Token::from(first)];
        let mut end = first.end;
        let mut t = first;
        loop {
            if !t.is_comment() {
                end = t.end;
                if boundary.ends_statement(src, &t) {
                    // A comment on the same line after `;` belongs to this statement.
                    if let Some(next) = self.lexer.next() {
                        let gap = &src.as_bytes()[t.end..next.start];
                        if next.is_comment() && !gap.contains(&b'\n') && !gap.contains(&b'\r') {
                            tokens.push(Token::from(next));
                        } else {
                            self.pending = Some(next);
                        }
                    }
                    break;
                }
            }
            match self.next_token() {
                Some(next) => {
                    tokens.push(Token::from(next));
                    t = next;
                }
                None => break,
            }
        }
        Some(RawStatement {
            span: Span::new(first.start, end),
            tokens,
            leading_comments: leading,
        })
    }
}

/// Splits a whole file into statement spans (for tools that run statements one by one).
pub fn split_statements(src: &str) -> Vec<Span> {
    Splitter::new(src).map(|s| s.span).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<&str> {
        split_statements(src)
            .into_iter()
            .map(|s| s.text(src))
            .collect()
    }

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let src = "SELECT 'a;b'; -- c;d\nSELECT $x$ ; $x$; /* ; /* ; */ ; */ SELECT E'\\';' ; SELECT \"q;\"";
        assert_eq!(
            texts(src),
            vec![
                "SELECT 'a;b';",
                "SELECT $x$ ; $x$;",
                "SELECT E'\\';' ;",
                "SELECT \"q;\""
            ]
        );
    }

    #[test]
    fn begin_atomic_bodies_stay_whole() {
        let src = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END; SELECT 2;";
        let t = texts(src);
        assert_eq!(t.len(), 2);
        assert!(t[0].ends_with("END; END;"));
    }

    #[test]
    fn unterminated_string_runs_to_the_end() {
        assert_eq!(
            texts("SELECT 'oops; SELECT 1;"),
            vec!["SELECT 'oops; SELECT 1;"]
        );
    }

    #[test]
    fn trailing_comment_belongs_to_the_statement() {
        let src = "SELECT 1; -- tail\n-- lead\nSELECT 2;";
        let stmts: Vec<_> = Splitter::new(src).collect();
        assert_eq!(
            stmts[0].tokens.last().map(|t| t.span.text(src)),
            Some("-- tail")
        );
        assert_eq!(stmts[1].leading_comments[0].span.text(src), "-- lead");
    }

    #[test]
    fn dollar_param_is_not_a_quote() {
        assert_eq!(texts("SELECT $1; SELECT 2"), vec!["SELECT $1;", "SELECT 2"]);
    }
}
