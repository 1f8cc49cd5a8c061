//! Lines and comments: where PostgreSQL ends a line, and writing comments that no text can
//! break out of.
//!
//! PostgreSQL ends a `--` comment at LF or CR (scan.l `newline`: `[\n\r]`), so a lone CR ends
//! it although `str::lines` does not split there (it is banned in `clippy.toml`). Editors and
//! terminals also break lines at VT, FF, NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH
//! SEPARATOR (U+2029): the comment writers split on all of them, so what a reviewer sees as
//! one comment line is one comment line to PostgreSQL, and what looks like code is code.

/// Characters never written raw into SQL text by this crate: control characters other than
/// TAB (line breaks included), DEL, the C1 controls, the line and paragraph separators and the
/// bidirectional formatting characters (which can make text read differently from how it
/// runs). NUL is among them.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// An escape as `E''` strings write it: `\x1B`, `\u2028`, `\U0001F600`.
pub(crate) fn push_hex_escape(out: &mut String, c: char) {
    let code = u32::from(c);
    if code < 0x80 {
        out.push_str(&format!("\\x{code:02X}"));
    } else if code <= 0xFFFF {
        out.push_str(&format!("\\u{code:04X}"));
    } else {
        out.push_str(&format!("\\U{code:08X}"));
    }
}

/// Is `c` a line break for an editor or terminal (LF, CR, VT, FF, NEL, U+2028, U+2029)?
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// `text` with every line break (as [`line_comment`] sees them; CR LF as one) replaced by a
/// space, for values that must stay on one line.
pub fn single_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_line_break(c) {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The lines of `text` as PostgreSQL sees them: split at LF, CR LF or a lone CR; the line
/// terminators are not included. A final terminator does not start an empty line (like
/// `str::lines`, which this replaces).
pub fn lines(text: &str) -> Lines<'_> {
    Lines { rest: text }
}

/// Iterator of [`lines`].
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        match self.rest.find(['\n', '\r']) {
            Some(i) => {
                let line = &self.rest[..i];
                let skip = if self.rest[i..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                self.rest = &self.rest[i + skip..];
                Some(line)
            }
            None => {
                let line = self.rest;
                self.rest = "";
                Some(line)
            }
        }
    }
}

/// Appends `c`, shown as `<U+001B>` if it is unsafe.
fn push_visible(out: &mut String, c: char) {
    if is_unsafe_char(c) {
        out.push_str(&format!("<U+{:04X}>", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// `text` as `--` comment lines, each ending in LF: one per line of `text`, whatever line
/// break separates them (see the module docs), other unsafe characters shown as `<U+XXXX>`.
/// Nothing in `text` can end a comment line early, so nothing in it can run. Empty text gives
/// one empty comment line.
pub fn line_comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut chars = text.chars().peekable();
    out.push_str("--");
    let mut line_start = true;
    while let Some(c) = chars.next() {
        if is_line_break(c) {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push_str("\n--");
            line_start = true;
            continue;
        }
        if line_start {
            out.push(' ');
            line_start = false;
        }
        push_visible(&mut out, c);
    }
    out.push('\n');
    out
}

/// `text` as one `/* … */` comment. Any `/*` or `*/` in it gets a space between its two
/// characters (block comments nest in PostgreSQL, so both matter); line breaks become LF and
/// other unsafe characters are shown as `<U+XXXX>`.
pub fn block_comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 6);
    out.push_str("/* ");
    let mut last = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_line_break(c) {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
            last = '\n';
            continue;
        }
        if (last == '*' && c == '/') || (last == '/' && c == '*') {
            out.push(' ');
        }
        push_visible(&mut out, c);
        last = c;
    }
    out.push_str(" */");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_like_postgresql() {
        let got: Vec<_> = lines("a\nb\r\nc\rd\n").collect();
        assert_eq!(got, ["a", "b", "c", "d"]);
        assert_eq!(lines("").count(), 0);
        assert_eq!(lines("\n\n").collect::<Vec<_>>(), ["", ""]);
    }

    #[test]
    fn line_comments_split_at_every_break() {
        assert_eq!(
            line_comment("a\rDROP TABLE x\u{2028}b\r\nc\u{1b}[2J"),
            "-- a\n-- DROP TABLE x\n-- b\n-- c<U+001B>[2J\n"
        );
        assert_eq!(line_comment(""), "--\n");
        assert_eq!(single_line("a\r\nb\u{2028}c\rd"), "a b c d");
        assert_eq!(line_comment("x\n"), "-- x\n--\n");
    }

    #[test]
    fn block_comments_cannot_close_early() {
        assert_eq!(block_comment("a */ b /* c"), "/* a * / b / * c */");
        assert_eq!(block_comment("*/*/"), "/* * / * / */");
        assert_eq!(block_comment("x*"), "/* x* */");
        assert_eq!(block_comment("/"), "/* / */");
    }
}
