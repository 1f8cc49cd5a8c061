//! The linter never panics: random bytes, and valid migrations with bytes cut, duplicated or
//! replaced at random places (unterminated quotes, comments, dollar quotes, DO blocks…).
#![allow(clippy::unwrap_used, clippy::panic)]

use lint::{Settings, lint, report, split_statements};
use proptest::prelude::*;

const SEED: &str = "-- dbmigration:ignore ban-drop-column -- why\n\
ALTER TABLE ONLY app.\"Users\" DROP COLUMN IF EXISTS \"E\" CASCADE, ADD COLUMN n int NOT NULL;\n\
ALTER TABLE t ADD COLUMN u uuid NOT NULL DEFAULT gen_random_uuid(), ALTER COLUMN c SET NOT NULL;\n\
CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n\
DO $x$ BEGIN ALTER TABLE t DROP COLUMN d; END $x$;\n\
SELECT E'it\\'s', 'a''b', $$ ; $$, /* /* nested */ */ 1;\n\
CREATE INDEX CONCURRENTLY ix ON t (a); DROP INDEX CONCURRENTLY ix;\n\
ALTER TABLE t ADD CONSTRAINT c CHECK (c IS NOT NULL) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT c;\n";

fn exercise(sql: &str) {
    let file = lint("fuzz.sql", sql, &Settings::default());
    for v in &file.violations {
        assert!(v.span.end <= sql.len() && v.span.start <= v.span.end);
        assert!(sql.is_char_boundary(v.span.start) && sql.is_char_boundary(v.span.end));
    }
    let _ = file.fixed();
    let files = [file];
    let mut out = Vec::new();
    report::json(&files, &mut out).unwrap();
    report::human(&files, report::Style::Plain, 80, &mut out).unwrap();
    report::sarif(&files, &mut out).unwrap();
    report::github(&files, &mut out).unwrap();
    report::markdown(&files, &mut out).unwrap();
    for s in split_statements(sql) {
        assert!(sql.get(s.start..s.end).is_some());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        exercise(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mutated_sql(edits in proptest::collection::vec((0usize..SEED.len(), 0usize..6, "[ ;'\"$()*/\\-a-zé\n]{0,3}"), 1..6)) {
        let mut s = SEED.to_string();
        for (at, cut, insert) in edits {
            let mut at = at.min(s.len());
            while !s.is_char_boundary(at) { at -= 1; }
            let mut end = (at + cut).min(s.len());
            while !s.is_char_boundary(end) { end -= 1; }
            s.replace_range(at..end, &insert);
        }
        exercise(&s);
    }
}
