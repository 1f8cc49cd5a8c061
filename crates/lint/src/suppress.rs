//! Suppression comments:
//!
//! ```sql
//! -- dbmigration:ignore ban-drop-column -- the app stopped reading it in v42
//! ALTER TABLE t DROP COLUMN c;
//! ALTER TABLE t DROP COLUMN d; -- dbmigration:ignore ban-drop-column -- same line works too
//! -- dbmigration:ignore-file require-lock-timeout -- the runner sets it
//! ```
//!
//! A statement-level comment applies to the statement it is inside or directly precedes;
//! `ignore-file` applies to the whole file. With no rule names, every rule is ignored.

use crate::span::Span;
use crate::split::{Token, TokenKind};

/// One parsed `dbmigration:ignore` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ignore {
    /// Rule names with their spans; empty means all rules.
    pub rules: Vec<(String, Span)>,
    /// `ignore-file`.
    pub file: bool,
}

impl Ignore {
    pub(crate) fn covers(&self, rule: &str) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|(r, _)| r == rule)
    }
}

const MARKER: &str = "dbmigration:ignore";

/// Reads an ignore directive from a comment token, if it holds one.
pub(crate) fn parse_ignore(src: &str, comment: &Token) -> Option<Ignore> {
    let text = comment.span.text(src);
    let (body, body_start) = match comment.kind {
        TokenKind::LineComment => (text.get(2..)?, comment.span.start + 2),
        TokenKind::BlockComment => {
            let inner = text.get(2..)?;
            (
                inner.strip_suffix("*/").unwrap_or(inner),
                comment.span.start + 2,
            )
        }
        _ => return None,
    };
    let lead = body.len() - body.trim_start().len();
    let rest = body.trim_start().strip_prefix(MARKER)?;
    let (file, rest, consumed) = match rest.strip_prefix("-file") {
        Some(r) => (true, r, MARKER.len() + 5),
        None => (false, rest, MARKER.len()),
    };
    // The directive must end here or continue with whitespace.
    if rest.chars().next().is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    // Everything after a second `--` is the reason.
    let names = rest.split(" --").next().unwrap_or("");
    let base = body_start + lead + consumed;
    let mut rules = Vec::new();
    let mut offset = 0;
    for part in names.split(|c: char| c == ',' || c.is_whitespace()) {
        if !part.is_empty() {
            let start = base + offset;
            rules.push((part.to_string(), Span::new(start, start + part.len())));
        }
        offset += part.len() + 1;
    }
    Some(Ignore { rules, file })
}

#[cfg(test)]
mod tests {
    use super::*;
    fn ignore(src: &str) -> Option<Ignore> {
        let t = Token::from(pgsql::Lexer::new(src).next().unwrap());
        parse_ignore(src, &t)
    }

    #[test]
    fn names_and_reason() {
        let src = "-- dbmigration:ignore ban-drop-column, ban-drop-table -- we know";
        let i = ignore(src).unwrap();
        assert!(!i.file);
        let names: Vec<&str> = i.rules.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["ban-drop-column", "ban-drop-table"]);
        assert_eq!(i.rules[1].1.text(src), "ban-drop-table");
    }

    #[test]
    fn file_wide_and_block_comments() {
        let i = ignore("/* dbmigration:ignore-file require-lock-timeout */").unwrap();
        assert!(i.file);
        assert!(i.covers("require-lock-timeout"));
        assert!(!i.covers("ban-drop-column"));
        assert!(ignore("-- dbmigration:ignore").unwrap().covers("anything"));
        assert!(ignore("-- dbmigration:ignored x").is_none());
        assert!(ignore("-- just a comment").is_none());
    }
}
