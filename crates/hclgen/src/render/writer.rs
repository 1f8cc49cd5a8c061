//! A tiny HCL writer with hclwrite's layout: 2-space indent, attributes before child blocks,
//! `=` aligned across consecutive attributes, empty blocks on two lines.
//!
//! Values are pre-rendered HCL expression text; the helpers here build that text with HCL's
//! escaping (which Atlas gets wrong for `${`, `%{` and control characters).

/// The body of a block (or the whole file): attributes, then child blocks.
#[derive(Debug, Default)]
pub(crate) struct Body {
    attrs: Vec<(&'static str, String)>,
    blocks: Vec<Block>,
}

#[derive(Debug)]
struct Block {
    header: String,
    body: Body,
}

impl Body {
    /// Adds an attribute; `value` is HCL expression text (a heredoc may span lines).
    pub(crate) fn attr(&mut self, key: &'static str, value: impl Into<String>) {
        self.attrs.push((key, value.into()));
    }

    /// Adds `key = value` only when `value` is `Some`.
    pub(crate) fn opt_attr(&mut self, key: &'static str, value: Option<String>) {
        if let Some(v) = value {
            self.attr(key, v);
        }
    }

    /// Adds `key = true` when `flag` is set.
    pub(crate) fn flag(&mut self, key: &'static str, flag: bool) {
        if flag {
            self.attr(key, "true");
        }
    }

    /// Adds `key = "text"` for an optional string (comments and the like).
    pub(crate) fn opt_str(&mut self, key: &'static str, value: Option<&String>) {
        if let Some(v) = value {
            self.attr(key, quote(v));
        }
    }

    /// Appends a child block with the given type and labels and returns its body.
    pub(crate) fn block(&mut self, ident: &str, labels: &[&str]) -> &mut Body {
        let mut header = ident.to_owned();
        for l in labels {
            header.push(' ');
            header.push_str(&quote(l));
        }
        self.blocks.push(Block {
            header,
            body: Body::default(),
        });
        &mut self.blocks.last_mut().expect("just pushed").body
    }

    /// Writes the body at the given nesting depth.
    pub(crate) fn write(&self, out: &mut String, depth: usize) {
        let pad = "  ".repeat(depth);
        // Attributes always precede child blocks here, so they form one alignment group; like
        // hclwrite, a heredoc counts as one line of the group (its body and closing marker do not
        // break it).
        let width = self.attrs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (k, v) in &self.attrs {
            out.push_str(&pad);
            out.push_str(k);
            for _ in k.len()..width {
                out.push(' ');
            }
            out.push_str(" = ");
            out.push_str(v);
            out.push('\n');
        }
        for b in &self.blocks {
            out.push_str(&pad);
            out.push_str(&b.header);
            out.push_str(" {\n");
            b.body.write(out, depth + 1);
            out.push_str(&pad);
            out.push_str("}\n");
        }
    }
}

/// An HCL quoted string: `\\`, `\"`, `\n`, `\r`, `\t`, `\uXXXX` for other control characters,
/// and `$${` / `%%{` so that nothing is read as a template.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let n = u32::from(c);
                if n > 0xFFFF {
                    out.push_str(&format!("\\U{n:08X}"));
                } else {
                    out.push_str(&format!("\\u{n:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A multi-line string as an indented heredoc (`<<-SQL`) when that reads back exactly, else a
/// quoted string. `depth` is the nesting depth of the attribute.
pub(crate) fn text_block(s: &str, depth: usize) -> String {
    if !heredoc_safe(s) {
        return quote(s);
    }
    let pad = "  ".repeat(depth + 1);
    let mut out = String::from("<<-SQL\n");
    for line in s.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(&escape_template(line));
        }
        out.push('\n');
    }
    out.push_str(&"  ".repeat(depth));
    out.push_str("SQL");
    out
}

/// A heredoc keeps text exactly when it spans lines, has no control characters but `\n` and
/// `\t`, no line that would end it, and at least one line starting with a non-blank character
/// (the `<<-` dedent strips the smallest common indent, which must be exactly ours).
fn heredoc_safe(s: &str) -> bool {
    s.contains('\n')
        && !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
        && !s.split('\n').any(ends_heredoc)
        && s.split('\n')
            .any(|l| l.chars().next().is_some_and(|c| !c.is_whitespace()))
}

/// Would the parser take this line for the closing `SQL` marker?
fn ends_heredoc(line: &str) -> bool {
    line.trim_start_matches([' ', '\t'])
        .strip_prefix("SQL")
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
}

fn escape_template(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if (c == '$' || c == '%') && chars.peek() == Some(&'{') {
            out.push(c);
        }
    }
    out
}

/// One traversal step: `.name` for plain identifiers, `["name"]` otherwise.
pub(crate) fn seg(name: &str) -> String {
    if is_ident(name) {
        format!(".{name}")
    } else {
        format!("[{}]", quote(name))
    }
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(
            s,
            "true" | "false" | "null" | "for" | "in" | "if" | "endif" | "endfor"
        )
}

/// `[a, b, c]`.
pub(crate) fn list(items: impl IntoIterator<Item = String>) -> String {
    let v: Vec<String> = items.into_iter().collect();
    format!("[{}]", v.join(", "))
}

/// `sql("...")`.
pub(crate) fn sql(s: &str) -> String {
    format!("sql({})", quote(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_templates_and_controls() {
        assert_eq!(quote("a${b}%{c}"), r#""a$${b}%%{c}""#);
        assert_eq!(quote("q\"\\\n\u{1}"), r#""q\"\\\n\u0001""#);
        assert_eq!(quote("$$"), r#""$$""#);
    }

    #[test]
    fn alignment_groups_break_at_blocks() {
        let mut b = Body::default();
        b.attr("null", "false");
        b.attr("default", "1");
        b.block("identity", &[]);
        let mut out = String::new();
        b.write(&mut out, 0);
        assert_eq!(out, "null    = false\ndefault = 1\nidentity {\n}\n");
    }

    #[test]
    fn heredoc_only_when_safe() {
        assert!(text_block("SELECT 1\nFROM t", 1).starts_with("<<-SQL\n"));
        assert!(text_block("  a\n  b", 1).starts_with('"'));
        assert!(text_block("one line", 1).starts_with('"'));
        assert!(text_block("a\nSQL\n", 1).starts_with('"'));
        assert!(text_block("a\n SQL;", 1).starts_with('"'));
        assert!(text_block("a\nSQLX", 1).starts_with("<<-"));
    }
}
