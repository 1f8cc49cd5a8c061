//! Splitting migration SQL into statements the way psql does: semicolons end statements
//! except inside quotes (`'…'`, `E'…'`, `"…"`, `$tag$…$tag$`), comments (`--`, nested
//! `/* */`), parentheses, and `BEGIN ATOMIC … END` bodies of SQL functions.
//!
//! Statements keep their byte range in the input so that PostgreSQL's error positions map
//! back to the file.

use std::ops::Range;

/// One statement: its byte range in the input, from its first token to just before its `;`
/// (leading comments and whitespace excluded, trailing whitespace trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Byte range in the text given to [`split`].
    pub range: Range<usize>,
}

/// Splits `sql` into statements. Empty statements (`;;`, comment-only text) are skipped.
/// Unterminated quotes or comments run to the end of the text, as in psql; the server then
/// reports the syntax error.
pub fn split(sql: &str) -> Vec<Statement> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_token_end = 0;
    let mut paren = 0usize;
    let mut words = Words::default();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let token_start = i;
        match c {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = line_end(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = block_comment_end(bytes, i);
                continue;
            }
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b';' if paren == 0 && words.begin_depth == 0 => {
                if let Some(s) = start.take() {
                    out.push(Statement {
                        range: s..last_token_end,
                    });
                }
                words = Words::default();
                i += 1;
                continue;
            }
            b'\'' => i = quoted_end(bytes, i + 1, b'\'', false),
            b'"' => i = quoted_end(bytes, i + 1, b'"', false),
            b'e' | b'E' if bytes.get(i + 1) == Some(&b'\'') && !ident_before(bytes, i) => {
                i = quoted_end(bytes, i + 2, b'\'', true);
            }
            b'$' if !ident_before(bytes, i) => {
                i = match dollar_tag(bytes, i) {
                    Some(tag_end) => {
                        let tag = &bytes[i..tag_end];
                        find(bytes, tag_end, tag).map_or(bytes.len(), |p| p + tag.len())
                    }
                    None => i + 1,
                };
            }
            b'(' => {
                paren += 1;
                i += 1;
            }
            b')' => {
                paren = paren.saturating_sub(1);
                i += 1;
            }
            c if is_ident_start(c) => {
                let end = ident_end(bytes, i);
                if paren == 0 {
                    words.push(&sql[i..end]);
                }
                i = end;
            }
            _ => i += 1,
        }
        start.get_or_insert(token_start);
        last_token_end = i;
    }
    if let Some(s) = start {
        out.push(Statement {
            range: s..last_token_end,
        });
    }
    out
}

/// psql's heuristic for `BEGIN ATOMIC … END`: in a statement that starts with
/// `CREATE [OR REPLACE] FUNCTION|PROCEDURE`, `BEGIN` (and `CASE`, once inside) open a block
/// that `END` closes; semicolons inside do not end the statement.
#[derive(Default)]
struct Words {
    /// First letters of the first words, when they are create/or/replace/function/procedure.
    head: [u8; 4],
    count: usize,
    begin_depth: usize,
}

impl Words {
    fn push(&mut self, word: &str) {
        let lower = word.to_ascii_lowercase();
        if self.count < self.head.len()
            && matches!(
                lower.as_str(),
                "create" | "function" | "procedure" | "or" | "replace"
            )
        {
            self.head[self.count] = lower.as_bytes()[0];
        }
        self.count += 1;
        let h = self.head;
        let routine = h[0] == b'c'
            && (h[1] == b'f'
                || h[1] == b'p'
                || (h[1] == b'o' && h[2] == b'r' && matches!(h[3], b'f' | b'p')));
        if !routine {
            return;
        }
        match lower.as_str() {
            "begin" => self.begin_depth += 1,
            "case" if self.begin_depth >= 1 => self.begin_depth += 1,
            "end" => self.begin_depth = self.begin_depth.saturating_sub(1),
            _ => {}
        }
    }
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

fn ident_before(bytes: &[u8], i: usize) -> bool {
    i > 0 && is_ident_char(bytes[i - 1])
}

fn ident_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_ident_char(bytes[i]) {
        i += 1;
    }
    i
}

fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| i + p + 1)
}

/// End of a `/* */` comment starting at `i`; they nest in PostgreSQL.
fn block_comment_end(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// End (after the closing quote) of a quoted token whose body starts at `i`. A doubled quote
/// is an escaped quote; in `E''` strings a backslash escapes the next byte.
fn quoted_end(bytes: &[u8], mut i: usize, quote: u8, backslash: bool) -> usize {
    while i < bytes.len() {
        let c = bytes[i];
        if backslash && c == b'\\' {
            i += 2;
        } else if c == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// If a dollar-quote opening tag (`$$`, `$tag$`) starts at `i`, the index just after it.
/// `$1` (a parameter) is not a tag.
fn dollar_tag(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if let Some(&c) = bytes.get(j)
        && c != b'$'
    {
        if !(c.is_ascii_alphabetic() || c == b'_' || c >= 0x80) {
            return None;
        }
        while j < bytes.len()
            && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] >= 0x80)
        {
            j += 1;
        }
    }
    (bytes.get(j) == Some(&b'$')).then_some(j + 1)
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// The first `n` keywords of a statement (outside quotes and comments, upper-cased).
pub fn leading_words(stmt: &str, n: usize) -> Vec<String> {
    let bytes = stmt.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < bytes.len() && words.len() < n {
        let c = bytes[i];
        i = match c {
            b'-' if bytes.get(i + 1) == Some(&b'-') => line_end(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => block_comment_end(bytes, i),
            b'\'' => quoted_end(bytes, i + 1, b'\'', false),
            b'"' => quoted_end(bytes, i + 1, b'"', false),
            b'$' => dollar_tag(bytes, i).map_or(i + 1, |end| {
                let tag = &bytes[i..end];
                find(bytes, end, tag).map_or(bytes.len(), |p| p + tag.len())
            }),
            c if is_ident_start(c) => {
                let end = ident_end(bytes, i);
                words.push(stmt[i..end].to_ascii_uppercase());
                end
            }
            _ => i + 1,
        };
    }
    words
}

/// `BEGIN`, `COMMIT`, `ROLLBACK` and friends.
pub fn is_transaction_control(stmt: &str) -> bool {
    let w = leading_words(stmt, 1);
    matches!(
        w.first().map(String::as_str),
        Some("BEGIN" | "START" | "COMMIT" | "END" | "ROLLBACK" | "ABORT" | "SAVEPOINT" | "RELEASE")
    )
}

/// Whether PostgreSQL refuses to run this statement inside a transaction block.
pub fn needs_autocommit(stmt: &str) -> bool {
    let w = leading_words(stmt, 12);
    let word = |i: usize| w.get(i).map_or("", String::as_str);
    let has = |k: &str| w.iter().any(|x| x == k);
    match word(0) {
        "VACUUM" => true,
        "CREATE" | "DROP" if matches!(word(1), "DATABASE" | "TABLESPACE") => true,
        "ALTER" if word(1) == "SYSTEM" => true,
        "CREATE" => {
            let idx = if word(1) == "UNIQUE" { 2 } else { 1 };
            word(idx) == "INDEX" && word(idx + 1) == "CONCURRENTLY"
        }
        "DROP" => word(1) == "INDEX" && word(2) == "CONCURRENTLY",
        "REINDEX" => has("CONCURRENTLY") || has("DATABASE") || has("SYSTEM"),
        "ALTER" => word(1) == "TABLE" && has("DETACH") && has("CONCURRENTLY"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<&str> {
        split(sql).into_iter().map(|s| &sql[s.range]).collect()
    }

    #[test]
    fn plain_statements_and_ranges() {
        let sql = "CREATE TABLE a (id int);\n  -- note\n  INSERT INTO a VALUES (1) ;;\n";
        assert_eq!(
            texts(sql),
            ["CREATE TABLE a (id int)", "INSERT INTO a VALUES (1)"]
        );
        assert_eq!(split(sql)[1].range.start, sql.find("INSERT").unwrap());
    }

    #[test]
    fn no_trailing_semicolon_and_comment_only() {
        assert_eq!(texts("SELECT 1; SELECT 2"), ["SELECT 1", "SELECT 2"]);
        assert!(texts("-- nothing\n/* here */  \n").is_empty());
    }

    #[test]
    fn dollar_quotes() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\
                   DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$;\n\
                   SELECT $1, a$b$ FROM t;";
        let got = texts(sql);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[1].ends_with("$body$"));
    }

    #[test]
    fn comments_nested_and_line() {
        let sql = "/* a /* nested; */ still; */ SELECT 1; -- x; y\nSELECT 2;";
        assert_eq!(texts(sql), ["SELECT 1", "SELECT 2"]);
    }

    #[test]
    fn strings_and_identifiers() {
        let sql =
            "SELECT 'it''s; fine', E'a\\'; b', \"we\"\"ird;\" FROM t; SELECT 'x\\'; SELECT 3;";
        assert_eq!(
            texts(sql),
            [
                "SELECT 'it''s; fine', E'a\\'; b', \"we\"\"ird;\" FROM t",
                // standard_conforming_strings: a backslash is an ordinary character.
                "SELECT 'x\\'",
                "SELECT 3",
            ]
        );
    }

    #[test]
    fn begin_atomic_bodies() {
        let sql = "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql\n\
                   BEGIN ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND;\n\
                   SELECT 1;";
        let got = texts(sql);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].ends_with("END"));
        // A transaction BEGIN is not a block.
        assert_eq!(
            texts("BEGIN; SELECT 1; COMMIT;"),
            ["BEGIN", "SELECT 1", "COMMIT"]
        );
    }

    #[test]
    fn parentheses_hold_semicolons() {
        assert_eq!(
            texts("SELECT (1;2); SELECT 3"),
            ["SELECT (1;2)", "SELECT 3"]
        );
    }

    proptest::proptest! {
        /// Joining statements made of tricky pieces with `;` and splitting gives them back.
        #[test]
        fn split_inverts_join(stmts in proptest::collection::vec(statement(), 1..6)) {
            let sql = stmts.join(";\n");
            proptest::prop_assert_eq!(texts(&sql), stmts.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }

    /// A statement: a keyword followed by pieces that may hold `;` without ending it.
    fn statement() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("x".to_owned()),
            Just("'a;b''c'".to_owned()),
            Just("E'q\\';'".to_owned()),
            Just("\"id;\"\"x\"".to_owned()),
            Just("$$ a; 'b $$".to_owned()),
            Just("$fn$ $$; $fn$".to_owned()),
            Just("/* c; /* n; */ */ y".to_owned()),
            Just("-- c;\n z".to_owned()),
            Just("(1; 2)".to_owned()),
            Just("$1".to_owned()),
            Just("a$b".to_owned()),
            Just("é;".to_owned()).prop_map(|s| s.replace(';', "")),
        ];
        proptest::collection::vec(piece, 0..5).prop_map(|pieces| {
            let mut s = "SELECT".to_owned();
            for p in pieces {
                s.push(' ');
                s.push_str(&p);
            }
            s
        })
    }

    #[test]
    fn autocommit_statements() {
        for yes in [
            "CREATE INDEX CONCURRENTLY i ON t (a)",
            "create unique index concurrently i on t (a)",
            "DROP INDEX CONCURRENTLY i",
            "REINDEX TABLE CONCURRENTLY t",
            "REINDEX (VERBOSE) INDEX CONCURRENTLY i",
            "VACUUM ANALYZE t",
            "CREATE DATABASE x",
            "ALTER SYSTEM SET work_mem = '1MB'",
            "ALTER TABLE p DETACH PARTITION c CONCURRENTLY",
            "/* c */ -- x\n CREATE INDEX CONCURRENTLY i ON t (a)",
        ] {
            assert!(needs_autocommit(yes), "{yes}");
        }
        for no in [
            "CREATE INDEX i ON t (a)",
            "REFRESH MATERIALIZED VIEW CONCURRENTLY v",
            "COMMENT ON TABLE t IS 'CREATE INDEX CONCURRENTLY'",
            "CREATE INDEX \"concurrently\" ON t (a)",
            "ALTER TABLE t ADD COLUMN c int",
        ] {
            assert!(!needs_autocommit(no), "{no}");
        }
    }
}
