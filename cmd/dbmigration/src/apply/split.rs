//! Splitting migration SQL into statements the way psql does, through the workspace's one
//! SQL lexer (`pgsql`): semicolons end statements except inside quotes, comments,
//! parentheses and `BEGIN ATOMIC … END` bodies of SQL functions.
//!
//! Statements keep their byte range in the input so that PostgreSQL's error positions map
//! back to the file.

use pgsql::{Lexer, TokenKind};
pub use pgsql::{Statement, Unterminated};

/// Splits `sql` into statements. Empty statements (`;;`, comment-only text) are skipped.
/// A string, quoted identifier, dollar quote or block comment the text ends inside is an
/// error: psql would wait for the rest forever and send nothing, so applying it must not
/// "succeed".
pub fn split(sql: &str) -> Result<Vec<Statement>, Unterminated> {
    let split = pgsql::split(sql);
    match split.unterminated() {
        Some(u) => Err(u),
        None => Ok(split.statements),
    }
}

/// The first `n` keywords of a statement (outside quotes and comments, upper-cased).
pub fn leading_words(stmt: &str, n: usize) -> Vec<String> {
    Lexer::new(stmt)
        .filter(|t| t.kind == TokenKind::Word)
        .take(n)
        .map(|t| t.text(stmt).to_ascii_uppercase())
        .collect()
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
        split(sql)
            .unwrap()
            .into_iter()
            .map(|s| &sql[s.range])
            .collect()
    }

    #[test]
    fn an_unterminated_comment_is_an_error() {
        let err = split("SELECT 1;\n/* never closed; DROP TABLE t;").unwrap_err();
        assert_eq!(err.offset, 10);
        assert!(err.what.contains("block comment"), "{err}");
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
