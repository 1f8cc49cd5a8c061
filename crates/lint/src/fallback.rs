//! The token-level check: what the gate still sees in a statement sqlparser could not read.
//!
//! sqlparser gives up on some statements PostgreSQL accepts (its recursion limit stops at
//! about 50 nested parentheses; newer syntax), and may read others differently from the
//! server. Neither may let a dropped column through, so every `ALTER TABLE` and `DROP TABLE`
//! is also scanned token by token for the changes the gate exists for:
//!
//! - `DROP TABLE name[, …]`;
//! - `ALTER TABLE name DROP [COLUMN] [IF EXISTS] c` (any `DROP` action but `DROP CONSTRAINT`);
//! - `ADD [COLUMN] c type … NOT NULL` with no default (or `DEFAULT NULL`), not generated, not
//!   serial;
//! - `ALTER [COLUMN] c SET NOT NULL`.
//!
//! When sqlparser failed, these become findings of the real rules (so the usual ignores
//! apply). When it succeeded but its tree holds fewer of one kind than the tokens show, the
//! statement counts as unanalysed too ([`missing_from`]). The scan errs on the side of
//! reporting: it knows no more than the tokens say.

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnOption, ObjectType, Statement,
};

use crate::rule::Rule;
use crate::rules::{BanDropColumn, BanDropTable, BanUnsafeNotNull};
use crate::span::Span;
use pgsql::TokenKind;

/// One token as the scan sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// An unquoted word, lower-cased.
    Word(String),
    /// A quoted identifier's value.
    Quoted(String),
    /// One punctuation byte.
    Punct(u8),
    /// Anything else (literals, operators the scan does not need).
    Other,
}

/// The statement's code tokens, comments left out. The only place the scan reads tokens
/// from: moving to another lexer changes this function alone.
fn tokens(src: &str, span: Span) -> Vec<(Tok, Span)> {
    pgsql::Lexer::range(src, span.start..span.end)
        .filter(|t| !t.is_comment())
        .map(|t| {
            let tok = match t.kind {
                TokenKind::Word => Tok::Word(t.text(src).to_lowercase()),
                TokenKind::QuotedIdent => Tok::Quoted(t.value(src).unwrap_or_default()),
                TokenKind::Punct(b) => Tok::Punct(b),
                _ => Tok::Other,
            };
            (tok, Span::new(t.start, t.end))
        })
        .collect()
}

/// What kind of change a statement makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    DropTable,
    DropColumn,
    AddNotNull,
    SetNotNull,
}

impl Kind {
    /// The rule that reports this kind.
    pub(crate) fn rule(self) -> &'static dyn Rule {
        match self {
            Kind::DropTable => &BanDropTable,
            Kind::DropColumn => &BanDropColumn,
            Kind::AddNotNull | Kind::SetNotNull => &BanUnsafeNotNull,
        }
    }

    /// What it is called in messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Kind::DropTable => "DROP TABLE",
            Kind::DropColumn => "DROP COLUMN",
            Kind::AddNotNull => "ADD COLUMN … NOT NULL without a default",
            Kind::SetNotNull => "SET NOT NULL",
        }
    }
}

/// One change found in the tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub kind: Kind,
    /// Qualified like [`crate::names::qualified`]: `schema.table`, `public` by default.
    pub table: String,
    pub column: Option<String>,
    /// The action (or the statement for `DROP TABLE`).
    pub span: Span,
}

impl Found {
    /// The finding's message.
    pub(crate) fn message(&self) -> String {
        match (self.kind, &self.column) {
            (Kind::DropTable, _) => format!(
                "dropping table `{}` breaks application versions that still use it and deletes its data",
                self.table
            ),
            (Kind::DropColumn, c) => format!(
                "dropping column `{}` of `{}` breaks application versions that still read or write it",
                c.as_deref().unwrap_or("?"),
                self.table
            ),
            (Kind::AddNotNull, c) => format!(
                "adding column `{}` to `{}` as NOT NULL without a default fails on existing rows",
                c.as_deref().unwrap_or("?"),
                self.table
            ),
            (Kind::SetNotNull, c) => format!(
                "SET NOT NULL on `{}`.`{}` scans the whole table under an ACCESS EXCLUSIVE lock and fails on any NULL",
                self.table,
                c.as_deref().unwrap_or("?")
            ),
        }
    }
}

/// The changes the tokens of `span` show.
pub(crate) fn scan(src: &str, span: Span) -> Vec<Found> {
    let toks = tokens(src, span);
    let word = |i: usize, w: &str| matches!(toks.get(i), Some((Tok::Word(x), _)) if x == w);
    if word(0, "drop") && word(1, "table") {
        let mut i = 2;
        if word(i, "if") && word(i + 1, "exists") {
            i += 2;
        }
        let mut out = Vec::new();
        while let Some((table, next)) = qualified_name(&toks, i) {
            out.push(Found {
                kind: Kind::DropTable,
                table,
                column: None,
                span,
            });
            if !matches!(toks.get(next), Some((Tok::Punct(b','), _))) {
                break;
            }
            i = next + 1;
        }
        return out;
    }
    let mut i = 1;
    if !word(0, "alter") {
        return Vec::new();
    }
    if word(i, "foreign") {
        i += 1;
    }
    if !word(i, "table") {
        return Vec::new();
    }
    i += 1;
    if word(i, "if") && word(i + 1, "exists") {
        i += 2;
    }
    if word(i, "only") {
        i += 1;
    }
    let Some((table, mut i)) = qualified_name(&toks, i) else {
        return Vec::new();
    };
    if matches!(toks.get(i), Some((Tok::Punct(b'*'), _))) {
        i += 1;
    }
    let mut out = Vec::new();
    for action in actions(&toks[i.min(toks.len())..]) {
        if let Some((kind, column)) = classify(action) {
            let (first, last) = (action[0].1, action[action.len() - 1].1);
            out.push(Found {
                kind,
                table: table.clone(),
                column,
                span: first.join(last),
            });
        }
    }
    out
}

/// `ident(.ident)*` at `i`, qualified with `public` when bare; and the index after it.
fn qualified_name(toks: &[(Tok, Span)], mut i: usize) -> Option<(String, usize)> {
    let mut parts = Vec::new();
    loop {
        match toks.get(i) {
            Some((Tok::Word(w) | Tok::Quoted(w), _)) => parts.push(w.clone()),
            _ => return None,
        }
        i += 1;
        if matches!(toks.get(i), Some((Tok::Punct(b'.'), _))) {
            i += 1;
        } else {
            break;
        }
    }
    let name = match parts.as_slice() {
        [table] => format!("public.{table}"),
        [.., schema, table] => format!("{schema}.{table}"),
        [] => return None,
    };
    Some((name, i))
}

/// The comma-separated actions at parenthesis depth 0, up to a `;`.
fn actions(toks: &[(Tok, Span)]) -> Vec<&[(Tok, Span)]> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, (t, _)) in toks.iter().enumerate() {
        match t {
            Tok::Punct(b'(') => depth += 1,
            Tok::Punct(b')') => depth -= 1,
            Tok::Punct(b',' | b';') if depth <= 0 => {
                out.push(&toks[start..i]);
                start = i + 1;
                if matches!(t, Tok::Punct(b';')) {
                    break;
                }
            }
            _ => {}
        }
    }
    if start < toks.len() && !matches!(toks.last(), Some((Tok::Punct(b';'), _))) {
        out.push(&toks[start..]);
    }
    out.retain(|a| !a.is_empty());
    out
}

fn ident(t: Option<&(Tok, Span)>) -> Option<String> {
    match t {
        Some((Tok::Word(w) | Tok::Quoted(w), _)) => Some(w.clone()),
        _ => None,
    }
}

/// What one `ALTER TABLE` action does, when it is one of the kinds the scan looks for.
fn classify(a: &[(Tok, Span)]) -> Option<(Kind, Option<String>)> {
    let word = |i: usize, w: &str| matches!(a.get(i), Some((Tok::Word(x), _)) if x == w);
    if word(0, "drop") {
        if word(1, "constraint") {
            return None;
        }
        let mut j = 1;
        if word(j, "column") {
            j += 1;
        }
        if word(j, "if") && word(j + 1, "exists") {
            j += 2;
        }
        return Some((Kind::DropColumn, ident(a.get(j))));
    }
    if word(0, "add") {
        let mut j = 1;
        if word(j, "column") {
            j += 1;
        } else if [
            "constraint",
            "primary",
            "unique",
            "check",
            "foreign",
            "exclude",
        ]
        .iter()
        .any(|w| word(j, w))
        {
            return None;
        }
        if word(j, "if") && word(j + 1, "not") && word(j + 2, "exists") {
            j += 3;
        }
        let column = ident(a.get(j));
        let serial = [
            "serial",
            "bigserial",
            "smallserial",
            "serial2",
            "serial4",
            "serial8",
        ]
        .iter()
        .any(|w| word(j + 1, w));
        let (mut depth, mut not_null, mut default, mut generated) = (0i32, false, false, false);
        for (k, (t, _)) in a.iter().enumerate().skip(j + 1) {
            match t {
                Tok::Punct(b'(') => depth += 1,
                Tok::Punct(b')') => depth -= 1,
                Tok::Word(w) if depth == 0 => match w.as_str() {
                    "not" if word(k + 1, "null") => not_null = true,
                    "default" if !word(k + 1, "null") => default = true,
                    "generated" => generated = true,
                    _ => {}
                },
                _ => {}
            }
        }
        return (not_null && !default && !generated && !serial)
            .then_some((Kind::AddNotNull, column));
    }
    if word(0, "alter") {
        let mut j = 1;
        if word(j, "column") {
            j += 1;
        }
        let column = ident(a.get(j));
        if word(j + 1, "set") && word(j + 2, "not") && word(j + 3, "null") {
            return Some((Kind::SetNotNull, column));
        }
    }
    None
}

/// How many changes of `kind` sqlparser's tree of the statement holds.
fn count_in(ast: &Statement, kind: Kind) -> usize {
    match (ast, kind) {
        (
            Statement::Drop {
                object_type: ObjectType::Table,
                names,
                ..
            },
            Kind::DropTable,
        ) => names.len(),
        (Statement::AlterTable(at), _) => at
            .operations
            .iter()
            .map(|op| match (op, kind) {
                (AlterTableOperation::DropColumn { column_names, .. }, Kind::DropColumn) => {
                    column_names.len()
                }
                (AlterTableOperation::AddColumn { column_def, .. }, Kind::AddNotNull) => {
                    usize::from(
                        column_def
                            .options
                            .iter()
                            .any(|o| matches!(o.option, ColumnOption::NotNull)),
                    )
                }
                (
                    AlterTableOperation::AlterColumn {
                        op: AlterColumnOperation::SetNotNull,
                        ..
                    },
                    Kind::SetNotNull,
                ) => 1,
                _ => 0,
            })
            .sum(),
        _ => 0,
    }
}

/// The changes in `found` whose kind sqlparser's tree holds fewer of than the tokens show:
/// the parser read the statement differently from what the server will run.
pub(crate) fn missing_from(ast: &Statement, found: Vec<Found>) -> Vec<Found> {
    let short = |kind: Kind| found.iter().filter(|f| f.kind == kind).count() > count_in(ast, kind);
    let kinds: Vec<Kind> = [
        Kind::DropTable,
        Kind::DropColumn,
        Kind::AddNotNull,
        Kind::SetNotNull,
    ]
    .into_iter()
    .filter(|k| short(*k))
    .collect();
    found
        .into_iter()
        .filter(|f| kinds.contains(&f.kind))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(sql: &str) -> Vec<(Kind, String, Option<String>, String)> {
        scan(sql, Span::new(0, sql.len()))
            .into_iter()
            .map(|f| (f.kind, f.table, f.column, f.span.text(sql).to_string()))
            .collect()
    }

    #[test]
    fn every_kind_the_gate_needs() {
        let deep = format!("{}1{}", "(".repeat(60), ")".repeat(60));
        let sql = format!(
            "ALTER TABLE ONLY app.\"Users\" ADD COLUMN c int DEFAULT {deep}, DROP email, \
             DROP COLUMN IF EXISTS \"X\" CASCADE, DROP CONSTRAINT k, ADD COLUMN n text NOT NULL, \
             ADD m int NOT NULL DEFAULT NULL, ADD g int NOT NULL GENERATED ALWAYS AS IDENTITY, \
             ADD COLUMN d int NOT NULL DEFAULT 0, ADD s bigserial NOT NULL, \
             ALTER COLUMN a SET NOT NULL, ALTER b DROP NOT NULL, ADD CHECK (x IS NOT NULL);"
        );
        let got: Vec<(Kind, Option<String>)> =
            kinds(&sql).into_iter().map(|(k, _, c, _)| (k, c)).collect();
        let s = |c: &str| Some(c.to_string());
        assert_eq!(
            got,
            vec![
                (Kind::DropColumn, s("email")),
                (Kind::DropColumn, s("X")),
                (Kind::AddNotNull, s("n")),
                (Kind::AddNotNull, s("m")),
                (Kind::SetNotNull, s("a")),
            ]
        );
        assert!(kinds(&sql).iter().all(|(_, t, _, _)| t == "app.Users"));
    }

    #[test]
    fn drop_table_lists_and_the_action_span() {
        let got = kinds("DROP TABLE IF EXISTS a, s.b CASCADE;");
        let tables: Vec<&str> = got.iter().map(|(_, t, _, _)| t.as_str()).collect();
        assert_eq!(tables, vec!["public.a", "s.b"]);
        let got = kinds("alter table t /* x */ drop column c -- y\n;");
        assert_eq!(got[0].3, "drop column c");
    }

    #[test]
    fn nothing_else() {
        for sql in [
            "SELECT 'ALTER TABLE t DROP COLUMN c';",
            "ALTER INDEX i RENAME TO j;",
            "ALTER TABLE t ADD CONSTRAINT k CHECK (c IS NOT NULL) NOT VALID;",
            "ALTER TABLE t ALTER COLUMN c DROP NOT NULL;",
        ] {
            assert!(kinds(sql).is_empty(), "{sql}");
        }
    }
}
