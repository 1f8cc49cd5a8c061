//! Writing names and values into SQL text so that PostgreSQL reads back exactly them, and
//! nothing a reviewer could misread: identifiers, string literals, dollar quotes.

use crate::keywords::{KeywordCategory, keyword};
use crate::text::{is_unsafe_char, push_hex_escape};

/// Quotes an identifier only when PostgreSQL needs it, as `quote_identifier()` in
/// postgres/postgres `src/backend/utils/adt/ruleutils.c` does: left bare when it is all
/// lower-case ASCII letters, digits and `_`, does not start with a digit, and is not a keyword
/// other than an unreserved one; otherwise double-quoted with `"` doubled.
///
/// Inside `"…"` every other character is inert to PostgreSQL and psql (line breaks included),
/// so names are written as they are: the HCL face reads these names back. Only a NUL (which
/// PostgreSQL cannot store, and which would cut a psql input line) is written as a `U&"\0000"`
/// escape, which PostgreSQL rejects: it can never pass silently.
pub fn quote_ident(name: &str) -> String {
    let bare = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && keyword(name).is_none_or(|k| k == KeywordCategory::Unreserved);
    if bare {
        return name.to_owned();
    }
    if !name.contains('\0') {
        return format!("\"{}\"", name.replace('"', "\"\""));
    }
    let mut out = String::with_capacity(name.len() + 8);
    out.push_str("U&\"");
    for c in name.chars() {
        match c {
            '"' => out.push_str("\"\""),
            '\\' => out.push_str("\\\\"),
            '\0' => push_unicode_escape(&mut out, '\0'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `\XXXX` (or `\+XXXXXX`), the escapes of `U&""` identifiers.
fn push_unicode_escape(out: &mut String, c: char) {
    let code = u32::from(c);
    if code <= 0xFFFF {
        out.push_str(&format!("\\{code:04X}"));
    } else {
        out.push_str(&format!("\\+{code:06X}"));
    }
}

/// Quotes a string literal: `'it''s'`, or the `E'…'` form when the text holds a backslash or a
/// character that [`quote_ident`] would escape (line breaks included, so a literal always
/// stays on one line). Either form means the same under any `standard_conforming_strings`.
/// A NUL becomes `\x00`, which PostgreSQL rejects.
pub fn quote_literal(s: &str) -> String {
    if !s.chars().any(|c| c == '\\' || is_unsafe_char(c)) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str("E'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if is_unsafe_char(c) => push_hex_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A dollar-quote tag (`$base$`, else `$base1$`, `$base2$`, …) that cannot end early inside
/// `body`: the first place the tag occurs in `body` followed by the tag is the end. (A tag
/// merely absent from the body is not enough: a body ending in `$base` would close early.)
/// `base` is reduced to the characters a tag allows (ASCII letters, digits, `_`, not starting
/// with a digit), `q` when nothing is left.
pub fn dollar_tag(base: &str, body: &str) -> String {
    let mut base: String = base
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base.insert(0, 'q');
    }
    let mut tag = format!("${base}$");
    let mut n = 0u64;
    while !closes_at_end(body, &tag) {
        n += 1;
        tag = format!("${base}{n}$");
    }
    tag
}

fn closes_at_end(body: &str, tag: &str) -> bool {
    let joined = format!("{body}{tag}");
    joined.find(tag) == Some(body.len())
}

/// `body` dollar-quoted with a tag from [`dollar_tag`].
pub fn dollar_quote(base: &str, body: &str) -> String {
    let tag = dollar_tag(base, body);
    format!("{tag}{body}{tag}")
}

/// A NUL byte in text meant for SQL: PostgreSQL cannot store one, and psql reading a file
/// silently drops the rest of a line after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("NUL byte at byte offset {offset}: PostgreSQL text cannot contain NUL")]
pub struct NulError {
    /// Byte offset of the first NUL.
    pub offset: usize,
}

/// Rejects text holding a NUL byte, with the offset of the first one.
pub fn reject_nul(text: &str) -> Result<(), NulError> {
    match text.bytes().position(|b| b == 0) {
        Some(offset) => Err(NulError { offset }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_ruleutils() {
        for (name, quoted) in [
            ("users", "users"),
            ("_x1", "_x1"),
            ("name", "name"),           // unreserved keyword
            ("action", "action"),       // unreserved keyword
            ("user", "\"user\""),       // reserved
            ("between", "\"between\""), // column-name keyword
            ("left", "\"left\""),       // type/function-name keyword
            ("Users", "\"Users\""),
            ("1abc", "\"1abc\""),
            ("a$b", "\"a$b\""),
            ("naïve", "\"naïve\""),
            ("", "\"\""),
            ("a\"b", "\"a\"\"b\""),
            ("a\nb\"\\", "\"a\nb\"\"\\\""),
            ("x\0\\", "U&\"x\\0000\\\\\""),
        ] {
            assert_eq!(quote_ident(name), quoted, "{name:?}");
        }
    }

    #[test]
    fn literals() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal("a\\b"), "E'a\\\\b'");
        assert_eq!(quote_literal("a\r\nb\u{1b}"), "E'a\\r\\nb\\x1B'");
        assert_eq!(quote_literal("\u{2028}'"), "E'\\u2028'''");
        assert_eq!(quote_literal("nul\0"), "E'nul\\x00'");
    }

    #[test]
    fn dollar_tags_never_close_early() {
        assert_eq!(dollar_tag("function", "select 1"), "$function$");
        assert_eq!(dollar_tag("function", "x $function$ y"), "$function1$");
        // Not in the body, but the body's end and the tag together would close early.
        assert_eq!(dollar_tag("f", "a$f"), "$f1$");
        assert_eq!(dollar_tag("", "x"), "$q$");
        assert_eq!(dollar_tag("9-x", "x"), "$q9x$");
    }

    #[test]
    fn nul_is_found() {
        assert_eq!(reject_nul("ab\0c"), Err(NulError { offset: 2 }));
        assert_eq!(reject_nul("abc"), Ok(()));
    }
}
