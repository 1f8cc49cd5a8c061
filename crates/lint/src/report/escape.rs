//! Escaping untrusted text (names, messages, SQL from a migration) for every human-facing
//! output, in one place. Each output has its own rules; all of them start from [`visible`],
//! which turns characters a terminal, a log viewer or a Markdown renderer would act on into
//! escapes a reader can see:
//!
//! - C0 controls (ESC, BEL, CR, …), DEL and C1 controls (`U+009B` is a one-byte CSI on some
//!   terminals) become `\x1b`, `\r`, `\u{9b}`: no colour change, hyperlink (OSC 8), title
//!   change or cursor movement can come from input;
//! - line and paragraph separators (`U+2028`, `U+2029`) and bidirectional overrides and
//!   isolates (`U+202A`–`U+202E`, `U+2066`–`U+2069`, "Trojan Source") become `\u{2028}` etc.:
//!   text cannot start a line of its own or reorder what the reader sees.
//!
//! JSON and SARIF need none of this: serde_json escapes every control character.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Would a terminal or renderer act on `c`? (`\n` and `\t` included: callers decide.)
fn is_active(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// `s` with every active character except those in `keep` written as a visible escape.
pub fn visible<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !s.chars().any(|c| is_active(c) && !keep.contains(&c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !is_active(c) || keep.contains(&c) {
            out.push(c);
            continue;
        }
        let _ = match c {
            '\n' => write!(out, "\\n"),
            '\r' => write!(out, "\\r"),
            '\t' => write!(out, "\\t"),
            c if u32::from(c) < 0x80 => write!(out, "\\x{:02x}", u32::from(c)),
            c => write!(out, "\\u{{{:x}}}", u32::from(c)),
        };
    }
    Cow::Owned(out)
}

/// For terminals and logs, multi-line text: everything active except line feeds and tabs.
pub fn terminal(s: &str) -> Cow<'_, str> {
    visible(s, &['\n', '\t'])
}

/// For terminals and logs, one line (a name, a path): line feeds are escaped too.
pub fn terminal_line(s: &str) -> Cow<'_, str> {
    visible(s, &[])
}

/// Markdown inline text that renders literally: no emphasis, link, image, HTML, table cell
/// break or line break can come from `s`. Every ASCII punctuation character is
/// backslash-escaped (CommonMark allows that for all of them), `&`, `<` and `>` become
/// entities so no entity is decoded and no tag can start, and active characters, line feeds
/// included, are made visible.
pub fn markdown_text(s: &str) -> String {
    let s = visible(s, &[]);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text inside raw HTML (`<summary>`): HTML-escaped, with the characters Markdown acts on as
/// numeric entities too (should a renderer read Markdown inside the element, no link or
/// emphasis can start), active characters made visible.
pub fn html_text(s: &str) -> String {
    let s = visible(s, &[]);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' | '\'' | '`' | '[' | ']' | '(' | ')' | '*' | '_' | '~' | '|' | '\\' | '!' | '#' => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A fenced Markdown code block holding `body` literally: the fence is longer than any run of
/// backticks in `body`, so no line of it can close the block early, whatever its line ends.
/// Active characters other than line feeds and tabs are made visible.
pub fn markdown_code_block(info: &str, body: &str) -> String {
    let body = visible(body, &['\n', '\t']);
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}{info}\n{body}\n{fence}")
}

/// The message part of a GitHub workflow command (`::error …::message`): `%`, CR and LF are
/// percent-encoded as the runner requires (actions/toolkit `packages/core/src/command.ts`,
/// `escapeData`); other active characters are made visible, so none reaches the log viewer.
pub fn github_data(s: &str) -> String {
    visible(s, &['\r', '\n'])
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a GitHub workflow command (`file=…`): [`github_data`] plus `:` and `,`
/// (actions/toolkit `escapeProperty`).
pub fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "a\u{1b}[31mred\u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{7}\r\n\u{2028}\u{9b}2J\u{202e}`|<b>";

    #[test]
    fn visible_escapes() {
        assert_eq!(terminal("plain\ttext\n"), Cow::Borrowed("plain\ttext\n"));
        assert_eq!(
            terminal(HOSTILE),
            "a\\x1b[31mred\\x1b]8;;http://x\\x07link\\x1b]8;;\\x07\\r\n\\u{2028}\\u{9b}2J\\u{202e}`|<b>"
        );
        assert!(!terminal_line(HOSTILE).contains('\n'));
    }

    #[test]
    fn markdown_and_html_are_literal() {
        let md = markdown_text(HOSTILE);
        assert!(!md.chars().any(is_active), "{md}");
        assert!(md.contains("\\`\\|&lt;b&gt;"), "{md}");
        let html = html_text("</summary><img src=x>`&");
        assert_eq!(html, "&lt;/summary&gt;&lt;img src=x&gt;&#96;&amp;");
        assert_eq!(html_text("[x](y)"), "&#91;x&#93;&#40;y&#41;");
    }

    #[test]
    fn fences_outgrow_the_body() {
        let block = markdown_code_block("sql", "select '````';\n```\r```");
        assert!(block.starts_with("`````sql\n"), "{block}");
        assert!(block.ends_with("\n`````"), "{block}");
        assert!(!block.contains('\r'));
    }

    #[test]
    fn github_commands() {
        assert_eq!(github_data("50%\r\nx\u{1b}"), "50%25%0D%0Ax\\x1b");
        assert_eq!(github_property("a:b,c"), "a%3Ab%2Cc");
    }
}
