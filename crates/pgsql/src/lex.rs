//! The lexer: PostgreSQL's lexical rules as in the server's scanner
//! (postgres/postgres `src/backend/parser/scan.l`) and psql's copy of it
//! (`src/fe_utils/psqlscan.l`), with byte spans.
//!
//! It is as fine as splitting, quoting checks and span finding need: every construct that can
//! hide a `;`, a comment start or a line end is exact (strings in all their forms, quoted
//! identifiers, dollar quotes, nested block comments, `--` comments ending at LF *or* CR);
//! numbers and operators follow scan.l closely enough that token boundaries agree with it.
//! Not modelled: string continuation across lines (`'a'` newline `'b'` is two tokens here, one
//! there; no boundary between statements depends on it) and `standard_conforming_strings = off`
//! (the default has been `on` since PostgreSQL 9.1).

use std::ops::Range;

use crate::keywords::{KeywordCategory, keyword};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Unquoted identifier or keyword.
    Word,
    /// `"quoted identifier"` or `U&"…"`.
    QuotedIdent,
    /// A string constant other than a dollar-quoted one: `'…'`, `E'…'`, `U&'…'`, `B'…'`,
    /// `X'…'`. (`N'…'` is the word `N` then a string, as in scan.l.)
    String,
    /// `$tag$ … $tag$`; `tag_len` is the length of the opening delimiter (2 for `$$`).
    DollarString {
        /// Length in bytes of `$tag$`.
        tag_len: u16,
    },
    /// A numeric constant (with any trailing junk PostgreSQL would reject).
    Number,
    /// A positional parameter, `$1`.
    Param,
    /// A one-byte punctuation or operator character: `( ) [ ] , ; . : + - * / % ^ < > =` and
    /// any other single byte the scanner returns as itself.
    Punct(u8),
    /// A multi-byte operator (`<>`, `::`, `||`, `->>`, …).
    Operator,
    /// `-- …` up to, not including, the LF or CR that ends it.
    LineComment,
    /// `/* … */`, nested.
    BlockComment,
    /// A psql meta-command: a backslash outside quotes and comments, up to the end of its line.
    /// The server never sees it; psql runs it (`\!` runs a shell command).
    MetaCommand,
}

/// One token with its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// A string, quoted identifier, dollar quote or block comment that the input ended inside.
    pub unterminated: bool,
}

impl Token {
    /// Its byte range.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Its text.
    pub fn text<'s>(&self, src: &'s str) -> &'s str {
        src.get(self.start..self.end).unwrap_or("")
    }

    /// A comment of either kind?
    pub fn is_comment(&self) -> bool {
        matches!(self.kind, TokenKind::LineComment | TokenKind::BlockComment)
    }

    /// An unquoted word equal to `word`, ignoring ASCII case?
    pub fn is_word(&self, src: &str, word: &str) -> bool {
        self.kind == TokenKind::Word && self.text(src).eq_ignore_ascii_case(word)
    }

    /// The one-byte punctuation `c`?
    pub fn is_punct(&self, c: u8) -> bool {
        self.kind == TokenKind::Punct(c)
    }

    /// For a word, its keyword category (if it is one).
    pub fn keyword(&self, src: &str) -> Option<KeywordCategory> {
        (self.kind == TokenKind::Word)
            .then(|| keyword(&self.text(src).to_ascii_lowercase()))
            .flatten()
    }

    /// What the token means, for identifiers and string constants: a word folded to lower
    /// case, a quoted identifier or string with its quotes removed and escapes decoded, a
    /// dollar quote's body. `None` for other kinds, unterminated tokens and escapes PostgreSQL
    /// would reject.
    pub fn value(&self, src: &str) -> Option<String> {
        if self.unterminated {
            return None;
        }
        let text = self.text(src);
        match self.kind {
            // PostgreSQL folds ASCII letters only (downcase_identifier, for UTF-8 databases).
            TokenKind::Word => Some(text.to_ascii_lowercase()),
            TokenKind::QuotedIdent => match text.strip_prefix("U&").or(text.strip_prefix("u&")) {
                Some(rest) => crate::unescape::unicode(inner(rest, '"')?, '"'),
                None => Some(inner(text, '"')?.replace("\"\"", "\"")),
            },
            TokenKind::String => {
                let (prefix, rest) = text.split_at(text.find('\'')?);
                match prefix.to_ascii_lowercase().as_str() {
                    "" => Some(string_body(rest, false, true)?.replace("''", "'")),
                    "e" => crate::unescape::backslash(&string_body(rest, true, true)?),
                    "u&" => crate::unescape::unicode(&string_body(rest, false, true)?, '\''),
                    _ => string_body(rest, false, false),
                }
            }
            TokenKind::DollarString { tag_len } => {
                let tag_len = usize::from(tag_len);
                text.get(tag_len..text.len().checked_sub(tag_len)?)
                    .map(str::to_owned)
            }
            _ => None,
        }
    }
}

/// The text between the outer quotes of `"…"` / `'…'`.
fn inner(text: &str, quote: char) -> Option<&str> {
    text.strip_prefix(quote)?.strip_suffix(quote)
}

/// scan.l `quotecontinue`: whitespace holding at least one newline, then a quote — the SQL
/// standard's string continuation (`'foo'` LF `'bar'` is `'foobar'`). Comments may sit in
/// the whitespace: `{horiz_whitespace}*{newline}{special_whitespace}*{quote}`. Returns the
/// length up to and including the quote.
fn quote_continuation(rest: &[u8]) -> Option<usize> {
    let mut i = 0;
    let line_comment = |i: usize| {
        rest[i..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(rest.len(), |p| i + p)
    };
    // {horiz_whitespace}*: spaces, tabs, form feeds and `--` comments.
    loop {
        match rest.get(i) {
            Some(b' ' | b'\t' | b'\x0c') => i += 1,
            Some(b'-') if rest.get(i + 1) == Some(&b'-') => i = line_comment(i),
            _ => break,
        }
    }
    // {newline}
    if !matches!(rest.get(i), Some(b'\n' | b'\r')) {
        return None;
    }
    i += 1;
    // {special_whitespace}*: any space (VT since PostgreSQL 16; taken leniently) or a
    // `--` comment and its newline.
    loop {
        match rest.get(i) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\x0b') => i += 1,
            Some(b'-') if rest.get(i + 1) == Some(&b'-') => i = line_comment(i),
            _ => break,
        }
    }
    (rest.get(i) == Some(&b'\'')).then_some(i + 1)
}

/// The bodies of a string constant's pieces (`'a'` LF `'b'` gives `ab`), quotes removed and
/// nothing decoded; `text` starts at the first quote. `backslash`: `\` escapes the next byte
/// (E''); `doubled`: `''` stands for a quote (every form but B''/X'').
fn string_body(text: &str, backslash: bool, doubled: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut i = 1;
    if bytes.first() != Some(&b'\'') {
        return None;
    }
    loop {
        let start = i;
        loop {
            match bytes.get(i)? {
                b'\\' if backslash => i += 2,
                b'\'' if doubled && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                b'\'' => break,
                _ => i += 1,
            }
        }
        out.push_str(text.get(start..i)?);
        i += 1;
        if i >= bytes.len() {
            return Some(out);
        }
        i += quote_continuation(&bytes[i..])?;
    }
}

/// scan.l `ident_start`: `[A-Za-z\200-\377_]`.
pub(crate) fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// scan.l `ident_cont`: `[A-Za-z\200-\377_0-9\$]`.
pub(crate) fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// scan.l `dolq_cont`: like `ident_cont` without `$`.
fn is_dolq_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

/// scan.l `space`: `[ \t\n\r\f\v]`.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// scan.l `op_chars`.
fn is_op_char(b: u8) -> bool {
    matches!(
        b,
        b'~' | b'!'
            | b'@'
            | b'#'
            | b'^'
            | b'&'
            | b'|'
            | b'`'
            | b'?'
            | b'+'
            | b'-'
            | b'*'
            | b'/'
            | b'%'
            | b'<'
            | b'>'
            | b'='
    )
}

/// Tokens of a text, comments included, whitespace skipped.
#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Lexer<'a> {
    /// Lexes all of `src`.
    pub fn new(src: &'a str) -> Self {
        Lexer {
            src: src.as_bytes(),
            pos: 0,
            end: src.len(),
        }
    }

    /// Lexes `src[range]`; spans stay relative to `src`. The range is clamped to `src`.
    pub fn range(src: &'a str, range: Range<usize>) -> Self {
        let end = range.end.min(src.len());
        Lexer {
            src: src.as_bytes(),
            pos: range.start.min(end),
            end,
        }
    }

    fn at(&self, offset: usize) -> Option<u8> {
        let i = self.pos + offset;
        (i < self.end).then(|| self.src[i])
    }

    /// Consumes a quoted body closed by `q`, where a doubled `q` stands for one; with
    /// `backslash`, `\` escapes the next byte. `self.pos` is just past the opening quote.
    /// Returns whether the closing quote was found.
    fn quoted(&mut self, q: u8, backslash: bool) -> bool {
        while self.pos < self.end {
            let b = self.src[self.pos];
            self.pos += 1;
            if backslash && b == b'\\' {
                self.pos = (self.pos + 1).min(self.end);
            } else if b == q {
                if self.at(0) == Some(q) {
                    self.pos += 1;
                } else {
                    return true;
                }
            }
        }
        false
    }

    /// Runs `body` (which consumes one quoted piece), then again for every quote
    /// continuation that follows ([`quote_continuation`]). Returns whether the last piece
    /// was closed.
    fn continued(&mut self, mut body: impl FnMut(&mut Self) -> bool) -> bool {
        loop {
            if !body(self) {
                return false;
            }
            match quote_continuation(&self.src[self.pos..self.end]) {
                Some(len) => self.pos += len,
                None => return true,
            }
        }
    }

    /// Consumes a `B'…'` / `X'…'` body: no escapes, the first quote ends it.
    fn bit_string(&mut self) -> bool {
        match self.src[self.pos..self.end]
            .iter()
            .position(|&b| b == b'\'')
        {
            Some(p) => {
                self.pos += p + 1;
                true
            }
            None => {
                self.pos = self.end;
                false
            }
        }
    }

    /// Length of a `$tag$` delimiter at `self.pos` (scan.l `dolqdelim`), if there is one.
    fn dollar_tag_len(&self) -> Option<usize> {
        match self.at(1) {
            Some(b'$') => return Some(2),
            Some(b) if is_ident_start(b) => {}
            _ => return None,
        }
        let mut i = 2;
        while let Some(b) = self.at(i) {
            if b == b'$' {
                return Some(i + 1);
            }
            if !is_dolq_cont(b) {
                return None;
            }
            i += 1;
        }
        None
    }

    fn block_comment(&mut self) -> bool {
        self.pos += 2;
        let mut depth = 1usize;
        while self.pos < self.end {
            match (self.src[self.pos], self.at(1)) {
                (b'*', Some(b'/')) => {
                    self.pos += 2;
                    depth -= 1;
                    if depth == 0 {
                        return true;
                    }
                }
                (b'/', Some(b'*')) => {
                    self.pos += 2;
                    depth += 1;
                }
                _ => self.pos += 1,
            }
        }
        false
    }

    /// Up to, not including, the next LF or CR (scan.l `non_newline` is `[^\n\r]`).
    fn skip_to_line_end(&mut self) {
        self.pos = self.src[self.pos..self.end]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(self.end, |p| self.pos + p);
    }

    /// scan.l's numeric rules, loosely: digits and `_`, one `.` (not `..`) and an exponent
    /// with its sign in decimal numbers, and trailing identifier characters (which PostgreSQL
    /// rejects as junk). `self.pos` is past the first character, `seen_dot` when it was `.`.
    fn number(&mut self, mut seen_dot: bool) {
        let first = self.src[self.pos - 1];
        let radix =
            first == b'0' && matches!(self.at(0), Some(b'x' | b'X' | b'o' | b'O' | b'b' | b'B'));
        while let Some(b) = self.at(0) {
            let prev = self.src[self.pos - 1];
            let decimal = !radix;
            if decimal && b == b'.' && !seen_dot && self.at(1) != Some(b'.') {
                seen_dot = true;
            } else if decimal
                && matches!(b, b'+' | b'-')
                && matches!(prev, b'e' | b'E')
                && self.at(1).is_some_and(|c| c.is_ascii_digit())
            {
                // An exponent's sign.
            } else if !is_dolq_cont(b) {
                break;
            }
            self.pos += 1;
        }
    }

    /// scan.l's `operator` rule: the longest run of `op_chars`, cut before an embedded `--` or
    /// `/*`, and losing trailing `+`/`-` unless it holds one of `~!@#^&|\`?%`.
    fn operator(&mut self) -> TokenKind {
        let start = self.pos;
        let mut n = 0;
        while self.at(n).is_some_and(is_op_char) {
            n += 1;
        }
        let run = &self.src[start..start + n];
        if let Some(cut) = run.windows(2).position(|w| w == b"--" || w == b"/*") {
            n = cut;
        }
        if n > 1 && matches!(run[n - 1], b'+' | b'-') {
            let special = run[..n - 1].iter().any(|b| {
                matches!(
                    b,
                    b'~' | b'!' | b'@' | b'#' | b'^' | b'&' | b'|' | b'`' | b'?' | b'%'
                )
            });
            if !special {
                while n > 1 && matches!(run[n - 1], b'+' | b'-') {
                    n -= 1;
                }
            }
        }
        // `n` is at least 1: a single op char never starts `--` or `/*` here (those were
        // lexed as comments before reaching this rule).
        let n = n.max(1);
        self.pos = start + n;
        if n == 1 {
            TokenKind::Punct(run[0])
        } else {
            TokenKind::Operator
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        while self.pos < self.end && is_space(self.src[self.pos]) {
            self.pos += 1;
        }
        if self.pos >= self.end {
            return None;
        }
        let start = self.pos;
        let b = self.src[self.pos];
        let mut terminated = true;
        let kind = match b {
            b'-' if self.at(1) == Some(b'-') => {
                self.skip_to_line_end();
                TokenKind::LineComment
            }
            b'/' if self.at(1) == Some(b'*') => {
                terminated = self.block_comment();
                TokenKind::BlockComment
            }
            b'\'' => {
                self.pos += 1;
                terminated = self.continued(|l| l.quoted(b'\'', false));
                TokenKind::String
            }
            b'"' => {
                self.pos += 1;
                terminated = self.quoted(b'"', false);
                TokenKind::QuotedIdent
            }
            b'e' | b'E' if self.at(1) == Some(b'\'') => {
                self.pos += 2;
                terminated = self.continued(|l| l.quoted(b'\'', true));
                TokenKind::String
            }
            b'b' | b'B' | b'x' | b'X' if self.at(1) == Some(b'\'') => {
                self.pos += 2;
                terminated = self.continued(Self::bit_string);
                TokenKind::String
            }
            b'u' | b'U' if self.at(1) == Some(b'&') && matches!(self.at(2), Some(b'\'' | b'"')) => {
                let q = self.src[self.pos + 2];
                self.pos += 3;
                terminated = if q == b'"' {
                    self.quoted(q, false)
                } else {
                    self.continued(|l| l.quoted(q, false))
                };
                if q == b'"' {
                    TokenKind::QuotedIdent
                } else {
                    TokenKind::String
                }
            }
            b'$' => {
                if let Some(len) = self.dollar_tag_len() {
                    let tag = &self.src[self.pos..self.pos + len];
                    let body = self.pos + len;
                    match self.src[body..self.end].windows(len).position(|w| w == tag) {
                        Some(p) => self.pos = body + p + len,
                        None => {
                            self.pos = self.end;
                            terminated = false;
                        }
                    }
                    TokenKind::DollarString {
                        tag_len: u16::try_from(len).unwrap_or(u16::MAX),
                    }
                } else if self.at(1).is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                    while self.at(0).is_some_and(is_dolq_cont) {
                        self.pos += 1;
                    }
                    TokenKind::Param
                } else {
                    self.pos += 1;
                    TokenKind::Punct(b'$')
                }
            }
            b'\\' => {
                self.skip_to_line_end();
                TokenKind::MetaCommand
            }
            b if is_ident_start(b) => {
                while self.at(0).is_some_and(is_ident_cont) {
                    self.pos += 1;
                }
                TokenKind::Word
            }
            b'0'..=b'9' => {
                self.pos += 1;
                self.number(false);
                TokenKind::Number
            }
            b'.' if self.at(1).is_some_and(|c| c.is_ascii_digit()) => {
                self.pos += 1;
                self.number(true);
                TokenKind::Number
            }
            b':' if matches!(self.at(1), Some(b':' | b'=')) => {
                self.pos += 2;
                TokenKind::Operator
            }
            b'.' if self.at(1) == Some(b'.') => {
                self.pos += 2;
                TokenKind::Operator
            }
            b if is_op_char(b) => self.operator(),
            _ => {
                // Non-ASCII bytes were taken as identifier characters, so this keeps UTF-8
                // boundaries intact.
                self.pos += 1;
                TokenKind::Punct(b)
            }
        };
        Some(Token {
            kind,
            start,
            end: self.pos,
            unterminated: !terminated,
        })
    }
}

/// Every token of `src`, comments included.
pub fn tokens(src: &str) -> Vec<Token> {
    Lexer::new(src).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(TokenKind, &str)> {
        Lexer::new(src).map(|t| (t.kind, t.text(src))).collect()
    }

    #[test]
    fn line_comments_end_at_cr_as_well_as_lf() {
        let src = "-- c\rDROP TABLE x";
        assert_eq!(
            kinds(src),
            [
                (TokenKind::LineComment, "-- c"),
                (TokenKind::Word, "DROP"),
                (TokenKind::Word, "TABLE"),
                (TokenKind::Word, "x"),
            ]
        );
        // U+2028 is an identifier character to PostgreSQL, not a line end.
        assert_eq!(kinds("-- a\u{2028}b").len(), 1);
    }

    /// scan.l `quotecontinue`: pieces separated by whitespace holding a newline (comments
    /// allowed) are one string; on one line they are two tokens (a syntax error later).
    #[test]
    fn string_continuation_is_one_token() {
        for (sql, value) in [
            ("'foo'\n'bar'", "foobar"),
            ("'a' -- c\n  'b'", "ab"),
            ("E'\\n'\r\n'x'", "\nx"),
            ("U&'\\0041' --\n ''", "A"),
            ("'it''s'\n'''s'", "it's's"),
            ("B'01'\n'10'", "0110"),
        ] {
            let toks = tokens(sql);
            assert_eq!(toks.len(), 1, "{sql:?}: {toks:?}");
            assert_eq!(toks[0].value(sql).as_deref(), Some(value), "{sql:?}");
        }
        assert_eq!(tokens("'a' 'b'").len(), 2);
        assert_eq!(tokens("'a'\n-- only a comment").len(), 2);
    }

    #[test]
    fn strings_of_every_form() {
        for (src, value) in [
            ("'it''s'", "it's"),
            ("E'a\\'b\\n'", "a'b\n"),
            ("e'\\x41\\101\\u00e9'", "AAé"),
            ("U&'d\\0061t\\+000061'", "data"),
            ("B'101'", "101"),
            ("X'1F'", "1F"),
            ("$$a'b$$", "a'b"),
            ("$f$ $$ $f$", " $$ "),
        ] {
            let t = tokens(src);
            assert_eq!(t.len(), 1, "{src}: {t:?}");
            assert_eq!(t[0].value(src).as_deref(), Some(value), "{src}");
        }
    }

    #[test]
    fn identifiers_and_keywords() {
        let src = "Foo \"Bar\"\"x\" U&\"d\\0061t\" a$b select";
        let t = tokens(src);
        let values: Vec<_> = t.iter().map(|t| t.value(src).unwrap()).collect();
        assert_eq!(values, ["foo", "Bar\"x", "dat", "a$b", "select"]);
        assert_eq!(t[4].keyword(src), Some(KeywordCategory::Reserved));
        assert_eq!(t[0].keyword(src), None);
    }

    #[test]
    fn dollar_tags_follow_scan_l() {
        assert_eq!(
            kinds("$1 $a1$x$a1$ $_$ $1$"),
            [
                (TokenKind::Param, "$1"),
                (TokenKind::DollarString { tag_len: 4 }, "$a1$x$a1$"),
                (TokenKind::DollarString { tag_len: 3 }, "$_$ $1$"),
            ]
        );
        // A tag cannot start with a digit; `$` alone is a character.
        assert_eq!(kinds("$ x")[0], (TokenKind::Punct(b'$'), "$"));
    }

    #[test]
    fn nested_block_comments_and_unterminated_constructs() {
        assert_eq!(
            kinds("/* a /* b */ c */ d"),
            [
                (TokenKind::BlockComment, "/* a /* b */ c */"),
                (TokenKind::Word, "d")
            ]
        );
        for src in ["/* a /* b */", "'x", "\"x", "$q$ x", "E'\\'"] {
            let t = tokens(src);
            assert_eq!(t.len(), 1, "{src}");
            assert!(t[0].unterminated, "{src}");
        }
    }

    #[test]
    fn operators_stop_at_comment_starts() {
        assert_eq!(
            kinds("a +-- c\n<> b::int ->> 1 @- 2 *"),
            [
                (TokenKind::Word, "a"),
                (TokenKind::Punct(b'+'), "+"),
                (TokenKind::LineComment, "-- c"),
                (TokenKind::Operator, "<>"),
                (TokenKind::Word, "b"),
                (TokenKind::Operator, "::"),
                (TokenKind::Word, "int"),
                (TokenKind::Operator, "->>"),
                (TokenKind::Number, "1"),
                (TokenKind::Operator, "@-"),
                (TokenKind::Number, "2"),
                (TokenKind::Punct(b'*'), "*"),
            ]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            kinds("1.5e-3 .5 1..2 0x1F 1_000"),
            [
                (TokenKind::Number, "1.5e-3"),
                (TokenKind::Number, ".5"),
                (TokenKind::Number, "1"),
                (TokenKind::Operator, ".."),
                (TokenKind::Number, "2"),
                (TokenKind::Number, "0x1F"),
                (TokenKind::Number, "1_000"),
            ]
        );
    }

    #[test]
    fn meta_commands_run_to_the_line_end() {
        assert_eq!(
            kinds("\\! rm x; y\nSELECT"),
            [
                (TokenKind::MetaCommand, "\\! rm x; y"),
                (TokenKind::Word, "SELECT")
            ]
        );
    }
}
