//! A cheap lexical pre-pass that cuts a file into its top-level blocks, so that each block can be
//! parsed, converted and dropped on its own (one block's syntax tree alive at a time instead of
//! the whole file's, which is ~50× the file size).
//!
//! It also writes a *skeleton*: each block's header, its `schema` / `multirange` attributes and
//! the headers of its nested blocks with empty bodies (function and procedure blocks whole, for
//! their argument types). The skeleton holds everything the name index reads, at a fraction of
//! the size. Anything the pre-pass does not understand returns `None`, and the caller parses the
//! whole file as one tree instead (which also reports every error with its exact span).

use std::ops::Range;

/// The file cut into top-level blocks.
pub(super) struct Split {
    /// Byte range of each top-level block, in file order.
    pub(super) blocks: Vec<Range<usize>>,
    /// Headers and name-bearing attributes of every block, in the same order.
    pub(super) skeleton: String,
}

pub(super) fn split(src: &str) -> Option<Split> {
    let mut lx = Lexer {
        s: src.as_bytes(),
        i: 0,
    };
    let mut out = Split {
        blocks: Vec::new(),
        skeleton: String::with_capacity(src.len() / 4),
    };
    loop {
        lx.skip_space_and_comments()?;
        if lx.i >= lx.s.len() {
            return Some(out);
        }
        let start = lx.i;
        let ident = lx.ident()?;
        let whole = matches!(ident, b"function" | b"procedure");
        lx.labels()?;
        let open = lx.i;
        if lx.peek() != Some(b'{') {
            return None;
        }
        lx.i += 1;
        if !whole {
            out.skeleton.push_str(&src[start..=open]);
            out.skeleton.push('\n');
        }
        lx.body(|item| {
            if whole {
                return;
            }
            match item {
                Item::Attribute { key, text } if key == b"schema" || key == b"multirange" => {
                    out.skeleton.push_str(&src[text]);
                    out.skeleton.push('\n');
                }
                Item::Attribute { .. } => {}
                Item::Block { header } => {
                    out.skeleton.push_str(&src[header]);
                    out.skeleton.push_str("{\n}\n");
                }
            }
        })?;
        let end = lx.i;
        if whole {
            out.skeleton.push_str(&src[start..end]);
        } else {
            out.skeleton.push('}');
        }
        out.skeleton.push('\n');
        out.blocks.push(start..end);
        // A block ends its line: only blanks or a line comment may follow on it.
        lx.skip_blanks();
        match lx.peek() {
            None | Some(b'\n') => {}
            Some(b'\r') if lx.s.get(lx.i + 1) == Some(&b'\n') => {}
            Some(b'#') => lx.line_comment(),
            Some(b'/') if lx.s.get(lx.i + 1) == Some(&b'/') => lx.line_comment(),
            _ => return None,
        }
    }
}

enum Item {
    /// `key = value`; `text` spans the key through the end of the value.
    Attribute { key: Vec<u8>, text: Range<usize> },
    /// `ident "label" {…}`; `header` spans the ident through the blank before `{`.
    Block { header: Range<usize> },
}

struct Lexer<'s> {
    s: &'s [u8],
    i: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn at(&self, text: &[u8]) -> bool {
        self.s[self.i..].starts_with(text)
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    fn line_comment(&mut self) {
        while !matches!(self.peek(), None | Some(b'\n')) {
            self.i += 1;
        }
    }

    fn block_comment(&mut self) -> Option<()> {
        self.i += 2;
        while !self.at(b"*/") {
            if self.i >= self.s.len() {
                return None;
            }
            self.i += 1;
        }
        self.i += 2;
        Some(())
    }

    /// Whitespace (newlines included) and comments between items.
    fn skip_space_and_comments(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.i += 1,
                Some(b'#') => self.line_comment(),
                Some(b'/') if self.at(b"//") => self.line_comment(),
                Some(b'/') if self.at(b"/*") => self.block_comment()?,
                _ => return Some(()),
            }
        }
    }

    fn ident(&mut self) -> Option<&[u8]> {
        let start = self.i;
        if !matches!(self.peek(), Some(c) if c.is_ascii_alphabetic() || c == b'_') {
            return None;
        }
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            self.i += 1;
        }
        Some(&self.s[start..self.i])
    }

    /// Block labels (quoted without templates, or bare identifiers) up to the `{`, on one line.
    fn labels(&mut self) -> Option<()> {
        loop {
            self.skip_blanks();
            match self.peek()? {
                b'{' => return Some(()),
                b'"' => {
                    self.i += 1;
                    loop {
                        match self.peek()? {
                            b'"' => break,
                            b'\\' => self.i += 2,
                            b'\n' => return None,
                            b'$' | b'%' if self.s.get(self.i + 1) == Some(&b'{') => return None,
                            _ => self.i += 1,
                        }
                    }
                    self.i += 1;
                }
                _ => {
                    self.ident()?;
                }
            }
        }
    }

    /// A block body after its `{`, through its `}`; reports each item at this level.
    fn body(&mut self, mut item: impl FnMut(Item)) -> Option<()> {
        loop {
            self.skip_space_and_comments()?;
            if self.peek()? == b'}' {
                self.i += 1;
                return Some(());
            }
            let start = self.i;
            let key = self.ident()?.to_vec();
            self.skip_blanks();
            if self.peek()? == b'=' && self.s.get(self.i + 1) != Some(&b'=') {
                self.i += 1;
                self.expr(true)?;
                item(Item::Attribute {
                    key,
                    text: start..self.i,
                });
            } else {
                self.labels()?;
                let header = start..self.i;
                self.i += 1;
                self.expr(false)?;
                if self.peek()? != b'}' {
                    return None;
                }
                self.i += 1;
                item(Item::Block { header });
            }
        }
    }

    /// Code up to (not including) an unmatched `}` or `)` / `]`, or — when `line` — a newline
    /// outside brackets.
    fn expr(&mut self, line: bool) -> Option<()> {
        let mut stack: Vec<u8> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return if stack.is_empty() && line {
                    Some(())
                } else {
                    None
                };
            };
            match c {
                b'\n' if line && stack.is_empty() => return Some(()),
                b'{' | b'(' | b'[' => {
                    stack.push(c);
                    self.i += 1;
                }
                b'}' | b')' | b']' => {
                    let Some(open) = stack.pop() else {
                        return Some(());
                    };
                    let want = match open {
                        b'{' => b'}',
                        b'(' => b')',
                        _ => b']',
                    };
                    if c != want {
                        return None;
                    }
                    self.i += 1;
                }
                b'"' => self.quoted()?,
                b'<' if self.at(b"<<") => self.heredoc()?,
                b'#' => self.line_comment(),
                b'/' if self.at(b"//") => self.line_comment(),
                b'/' if self.at(b"/*") => self.block_comment()?,
                _ => self.i += 1,
            }
        }
    }

    /// `"…"` with escapes and `${…}` / `%{…}` templates.
    fn quoted(&mut self) -> Option<()> {
        self.i += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => self.i += 2,
                b'\n' => return None,
                _ => self.template_part()?,
            }
        }
    }

    /// One character of template text, or a whole `${…}` / `%{…}` (with `$${` / `%%{` escapes).
    fn template_part(&mut self) -> Option<()> {
        if self.at(b"$${") || self.at(b"%%{") {
            self.i += 3;
        } else if self.at(b"${") || self.at(b"%{") {
            self.i += 2;
            self.expr(false)?;
            if self.peek()? != b'}' {
                return None;
            }
            self.i += 1;
        } else {
            self.i += 1;
        }
        Some(())
    }

    /// `<<MARK` / `<<-MARK` through the line holding only `MARK` (after blanks).
    fn heredoc(&mut self) -> Option<()> {
        self.i += 2;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let mark = self.ident()?.to_vec();
        match self.peek()? {
            b'\n' => self.i += 1,
            b'\r' if self.s.get(self.i + 1) == Some(&b'\n') => self.i += 2,
            _ => return None,
        }
        loop {
            if self.i >= self.s.len() {
                return None;
            }
            let line_end = self.s[self.i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(self.s.len(), |p| self.i + p);
            let line = &self.s[self.i..line_end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let text = line.trim_ascii_start();
            if text == mark.as_slice() {
                self.i = line_end;
                return Some(());
            }
            self.i = (line_end + 1).min(self.s.len());
            if line_end == self.s.len() {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn cuts_top_level_blocks_and_keeps_headers() {
        let src = "# c\nschema \"public\" {\n}\ntable \"t\" { # x\n  schema = schema.public\n  comment = \"a } ${ \"b\" }\"\n  column \"id\" {\n    type = integer\n  }\n  check \"c\" {\n    expr = <<-SQL\n    x > 0 }\n    SQL\n  }\n}\n";
        let s = split(src).expect("understood");
        let texts: Vec<&str> = s.blocks.iter().map(|r| &src[r.clone()]).collect();
        assert_eq!(texts.len(), 2);
        assert_eq!(texts[0], "schema \"public\" {\n}");
        assert!(texts[1].starts_with("table \"t\" {") && texts[1].ends_with("SQL\n  }\n}"));
        assert_eq!(
            s.skeleton,
            "schema \"public\" {\n}\ntable \"t\" {\nschema = schema.public\ncolumn \"id\" {\n}\ncheck \"c\" {\n}\n}\n"
        );
    }

    #[test]
    fn gives_up_on_what_it_does_not_understand() {
        assert!(split("a = 1\n").is_none());
        assert!(split("table \"t\" {\n").is_none());
        assert!(split("a {} b {}\n").is_none());
        assert!(split("table \"${x}\" {}\n").is_none());
    }

    /// Every HCL text in the Atlas-input tests (valid or not): block by block gives exactly the
    /// whole-file result, and fails wherever the whole file fails.
    #[test]
    fn block_by_block_agrees_with_whole_file() {
        let tests = include_str!("../../tests/atlas_input.rs");
        let texts: Vec<&str> = tests
            .split("r#\"")
            .skip(1)
            .filter_map(|t| t.split("\"#").next())
            .collect();
        assert!(texts.len() >= 4);
        let mut cases: Vec<String> = Vec::new();
        for src in texts {
            cases.push(src.to_owned());
            // Damaged variants: cut short, or one line left out.
            cases.extend(
                (0..src.len())
                    .step_by(23)
                    .filter(|&i| src.is_char_boundary(i))
                    .map(|i| src[..i].to_owned()),
            );
            let lines: Vec<&str> = src.split('\n').collect();
            for skip in 0..lines.len() {
                let mut kept = lines.clone();
                kept.remove(skip);
                cases.push(kept.join("\n"));
            }
        }
        for src in &cases {
            let cx = crate::parse::value::Cx { file: "t.hcl", src };
            let whole = crate::parse::parse_whole(cx);
            let by_block = split(src).and_then(|cut| crate::parse::parse_by_block(cx, &cut));
            match whole {
                Ok(db) => assert_eq!(by_block, Some(db), "{src}"),
                Err(_) => assert!(by_block.is_none(), "{src}"),
            }
        }
    }
}
