//! A PostgreSQL-aware lexer that splits a file into statements before any parsing, so one
//! broken statement cannot hide the others. It knows exactly what hides a `;`: strings
//! (`'…'`, `E'…'` with backslash escapes, `$tag$…$tag$`), quoted identifiers, line comments and
//! nested block comments, and `BEGIN ATOMIC … END` function bodies. Unterminated constructs
//! run to the end of the file (the parser then reports the statement).

use crate::span::Span;

/// What a token is; only as fine as statement splitting and span finding need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Identifier or keyword (unquoted).
    Word,
    /// `"quoted identifier"`.
    QuotedIdent,
    /// Any string literal except dollar-quoted ones.
    String,
    /// `$tag$ … $tag$`; `tag_len` counts the whole opening delimiter, e.g. 2 for `$$`.
    DollarString { tag_len: u16 },
    /// Numeric literal or `$1` parameter.
    Number,
    /// One punctuation or operator byte.
    Punct(u8),
    /// `-- …` up to the end of the line.
    LineComment,
    /// `/* … */`, possibly nested.
    BlockComment,
}

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

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// Lexes `src[start..end]`.
pub(crate) struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str, start: usize, end: usize) -> Self {
        let end = end.min(src.len());
        Lexer {
            src: src.as_bytes(),
            pos: start.min(end),
            end,
        }
    }

    fn peek(&self, at: usize) -> Option<u8> {
        let i = self.pos + at;
        if i < self.end {
            Some(self.src[i])
        } else {
            None
        }
    }

    /// Consumes a quoted run closed by `q`, where a doubled `q` is an escape; with
    /// `backslash`, `\x` escapes too. `self.pos` is just past the opening quote.
    fn quoted(&mut self, q: u8, backslash: bool) {
        while self.pos < self.end {
            let b = self.src[self.pos];
            self.pos += 1;
            if backslash && b == b'\\' {
                self.pos = (self.pos + 1).min(self.end);
            } else if b == q {
                if self.peek(0) == Some(q) {
                    self.pos += 1;
                } else {
                    return;
                }
            }
        }
    }

    /// Length of a `$tag$` delimiter starting at `self.pos`, if there is one.
    fn dollar_tag_len(&self) -> Option<usize> {
        let mut i = 1;
        match self.peek(i) {
            Some(b'$') => return Some(2),
            Some(b) if is_ident_start(b) => {}
            _ => return None,
        }
        while let Some(b) = self.peek(i) {
            if b == b'$' {
                return Some(i + 1);
            }
            if !(is_ident_start(b) || b.is_ascii_digit()) {
                return None;
            }
            i += 1;
        }
        None
    }

    fn find_bytes(&self, needle: &[u8], from: usize) -> Option<usize> {
        let hay = &self.src[from.min(self.end)..self.end];
        if needle.is_empty() || hay.len() < needle.len() {
            return None;
        }
        hay.windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        while self.pos < self.end
            && matches!(
                self.src[self.pos],
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c
            )
        {
            self.pos += 1;
        }
        if self.pos >= self.end {
            return None;
        }
        let start = self.pos;
        let b = self.src[self.pos];
        let kind = match b {
            b'-' if self.peek(1) == Some(b'-') => {
                self.pos = match self.src[self.pos..self.end]
                    .iter()
                    .position(|&c| c == b'\n')
                {
                    Some(p) => self.pos + p,
                    None => self.end,
                };
                TokenKind::LineComment
            }
            b'/' if self.peek(1) == Some(b'*') => {
                self.pos += 2;
                let mut depth = 1usize;
                while self.pos < self.end && depth > 0 {
                    if self.peek(0) == Some(b'*') && self.peek(1) == Some(b'/') {
                        depth -= 1;
                        self.pos += 2;
                    } else if self.peek(0) == Some(b'/') && self.peek(1) == Some(b'*') {
                        depth += 1;
                        self.pos += 2;
                    } else {
                        self.pos += 1;
                    }
                }
                self.pos = self.pos.min(self.end);
                TokenKind::BlockComment
            }
            b'\'' => {
                self.pos += 1;
                self.quoted(b'\'', false);
                TokenKind::String
            }
            b'"' => {
                self.pos += 1;
                self.quoted(b'"', false);
                TokenKind::QuotedIdent
            }
            b'e' | b'E' if self.peek(1) == Some(b'\'') => {
                self.pos += 2;
                self.quoted(b'\'', true);
                TokenKind::String
            }
            b'b' | b'B' | b'x' | b'X' | b'n' | b'N' if self.peek(1) == Some(b'\'') => {
                self.pos += 2;
                self.quoted(b'\'', false);
                TokenKind::String
            }
            b'u' | b'U'
                if self.peek(1) == Some(b'&') && matches!(self.peek(2), Some(b'\'' | b'"')) =>
            {
                let q = self.src[self.pos + 2];
                self.pos += 3;
                self.quoted(q, false);
                if q == b'"' {
                    TokenKind::QuotedIdent
                } else {
                    TokenKind::String
                }
            }
            b'$' => {
                if let Some(len) = self.dollar_tag_len() {
                    let tag = &self.src[self.pos..self.pos + len];
                    self.pos = match self.find_bytes(tag, self.pos + len) {
                        Some(close) => close + len,
                        None => self.end,
                    };
                    TokenKind::DollarString {
                        tag_len: u16::try_from(len).unwrap_or(u16::MAX),
                    }
                } else if self.peek(1).is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                    while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    TokenKind::Number
                } else {
                    self.pos += 1;
                    TokenKind::Punct(b'$')
                }
            }
            b if is_ident_start(b) => {
                while self.peek(0).is_some_and(is_ident_cont) {
                    self.pos += 1;
                }
                TokenKind::Word
            }
            b'0'..=b'9' => {
                while let Some(c) = self.peek(0) {
                    let exponent_sign =
                        matches!(c, b'+' | b'-') && matches!(self.src[self.pos - 1], b'e' | b'E');
                    if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exponent_sign {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                TokenKind::Number
            }
            b'.' if self.peek(1).is_some_and(|c| c.is_ascii_digit()) => {
                self.pos += 1;
                while self
                    .peek(0)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    self.pos += 1;
                }
                TokenKind::Number
            }
            _ => {
                // Keep UTF-8 boundaries intact: non-ASCII bytes were taken by the word branch.
                self.pos += 1;
                TokenKind::Punct(b)
            }
        };
        Some(Token {
            kind,
            span: Span::new(start, self.pos),
        })
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
    lexer: Lexer<'a>,
    pending: Option<Token>,
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
            lexer: Lexer::new(src, start, end),
            pending: None,
            trailing: Vec::new(),
        }
    }

    fn next_token(&mut self) -> Option<Token> {
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
                leading.push(t);
            } else if t.is_punct(b';') {
                // An empty statement: nothing to lint, but its comments stay leading.
                continue;
            } else {
                break t;
            }
        };
        let src = self.src;
        let mut tokens = vec![first];
        let mut end = first.span.end;
        // `CREATE FUNCTION … BEGIN ATOMIC … END` holds `;`s; CASE … END nests inside.
        let is_create = first.is_word(src, "create");
        let mut atomic_depth = 0usize;
        let mut prev_begin = false;
        while let Some(t) = self.next_token() {
            tokens.push(t);
            if t.is_comment() {
                continue;
            }
            end = t.span.end;
            if t.kind == TokenKind::Word {
                let opens = (is_create && prev_begin && t.is_word(src, "atomic"))
                    || (atomic_depth > 0 && t.is_word(src, "case"));
                if opens {
                    atomic_depth += 1;
                } else if atomic_depth > 0 && t.is_word(src, "end") {
                    atomic_depth -= 1;
                }
                prev_begin = t.is_word(src, "begin");
                continue;
            }
            prev_begin = false;
            if t.is_punct(b';') && atomic_depth == 0 {
                // A comment on the same line after `;` belongs to this statement.
                if let Some(next) = self.lexer.next() {
                    let gap = &src.as_bytes()[t.span.end..next.span.start];
                    if next.is_comment() && !gap.contains(&b'\n') {
                        tokens.push(next);
                    } else {
                        self.pending = Some(next);
                    }
                }
                break;
            }
        }
        Some(RawStatement {
            span: Span::new(first.span.start, end),
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
