//! Small structural questions about SQL expressions (as `pg_get_expr` prints them or as HCL
//! files hold them), answered on tokens so that quotes, comments and dollar quotes never
//! confuse them.

use crate::lex::{Lexer, Token, TokenKind};

fn depth_change(t: &Token) -> isize {
    match t.kind {
        TokenKind::Punct(b'(' | b'[') => 1,
        TokenKind::Punct(b')' | b']') => -1,
        _ => 0,
    }
}

/// Whether `text` (trimmed) is one parenthesized whole: its first token is `(` and the
/// matching `)` is its last token, as in `(a OR b)` but not `(a) OR (b)`.
pub fn is_parenthesized(text: &str) -> bool {
    let tokens: Vec<Token> = Lexer::new(text).filter(|t| !t.is_comment()).collect();
    if tokens.first().map(|t| t.kind) != Some(TokenKind::Punct(b'(')) {
        return false;
    }
    let mut depth = 0isize;
    for (i, t) in tokens.iter().enumerate() {
        if t.unterminated {
            return false;
        }
        depth += depth_change(t);
        if depth == 0 {
            return i == tokens.len() - 1 && t.kind == TokenKind::Punct(b')');
        }
    }
    false
}

/// `text` cut at the commas outside parentheses and brackets, each piece trimmed. Empty text
/// gives no pieces.
pub fn split_top_level_commas(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0isize;
    let mut start = 0;
    for t in Lexer::new(text) {
        depth += depth_change(&t);
        if depth == 0 && t.kind == TokenKind::Punct(b',') {
            parts.push(text[start..t.start].trim());
            start = t.end;
        }
    }
    let last = text[start..].trim();
    if !last.is_empty() || !parts.is_empty() {
        parts.push(last);
    }
    parts
}

/// The first unquoted `word` (ASCII case-insensitive) outside parentheses and brackets.
pub fn find_top_level_word(text: &str, word: &str) -> Option<Token> {
    let mut depth = 0isize;
    Lexer::new(text).find(|t| {
        depth += depth_change(t);
        depth == 0 && t.is_word(text, word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parenthesized_wholes() {
        assert!(is_parenthesized("(a OR b)"));
        assert!(is_parenthesized(" ((a) OR (b)) "));
        assert!(is_parenthesized("(a = ')(')"));
        assert!(!is_parenthesized("(a) OR (b)"));
        assert!(!is_parenthesized("a"));
        assert!(!is_parenthesized("(a"));
        assert!(!is_parenthesized("(a /* ) */"));
    }

    #[test]
    fn commas_at_the_top_level() {
        assert_eq!(
            split_top_level_commas(
                "a int, b text DEFAULT 'x,y', c int[] DEFAULT ARRAY[1, 2], d numeric(1,2)"
            ),
            [
                "a int",
                "b text DEFAULT 'x,y'",
                "c int[] DEFAULT ARRAY[1, 2]",
                "d numeric(1,2)"
            ]
        );
        assert!(split_top_level_commas("").is_empty());
        assert_eq!(split_top_level_commas("a,"), ["a", ""]);
    }

    #[test]
    fn top_level_words() {
        let text = "x text DEFAULT ' DEFAULT '::text";
        let t = find_top_level_word(text, "default").unwrap();
        assert_eq!(&text[t.end..], " ' DEFAULT '::text");
        assert!(find_top_level_word("f(DEFAULT)", "default").is_none());
    }
}
