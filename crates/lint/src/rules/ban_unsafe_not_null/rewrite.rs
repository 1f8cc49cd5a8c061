//! The rewrite of an unsafe NOT NULL, in three steps:
//!
//! 1. add the column nullable (and `SET DEFAULT` for new rows when a default was wanted);
//! 2. backfill existing rows in primary-key batches, outside the DDL transaction, touching
//!    only rows still NULL (with the wanted default, or a marked placeholder to fill in);
//! 3. enforce: `CHECK (c IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT` (scans without
//!    blocking writes), `SET NOT NULL` (no scan on PostgreSQL 12+ thanks to the check), and
//!    drop the check.
//!
//! All DDL runs after `SET lock_timeout`, so a blocked lock fails fast instead of queueing
//! every query behind it.

use crate::context::{Context, Stmt};
use crate::fix::{Deferred, Piece};
use crate::rule::{Applicability, Fix};
use crate::rules::require_lock_timeout::lock_timeout_edit;
use crate::span::Span;
use crate::split::{Token, TokenKind};

/// The marker a reviewer must replace when no default value was given.
pub const PLACEHOLDER: &str = "NULL /* dbmigration: FILL IN the value for existing rows */";

/// Where text inserted "after the statement" goes: the end of its line when only a comment
/// or blanks follow, else right after the `;`.
fn after(stmt: &Stmt<'_>) -> usize {
    let rest = &stmt.src[stmt.span.end.min(stmt.src.len())..];
    let line = rest.split('\n').next().unwrap_or("");
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with("--") {
        stmt.span.end + line.len()
    } else {
        stmt.span.end
    }
}

/// The text of `tokens` without the ones at `drop`, keeping the original spacing between
/// tokens that stay adjacent.
fn without(src: &str, tokens: &[&Token], drop: &[bool]) -> String {
    let mut out = String::new();
    let mut prev: Option<usize> = None;
    for (i, t) in tokens.iter().enumerate() {
        if drop[i] {
            continue;
        }
        if let Some(p) = prev {
            if p + 1 == i {
                out.push_str(Span::new(tokens[p].span.end, t.span.start).text(src));
            } else {
                out.push(' ');
            }
        }
        out.push_str(t.span.text(src));
        prev = Some(i);
    }
    out
}

const OPTION_WORDS: &[&str] = &[
    "not",
    "null",
    "constraint",
    "check",
    "unique",
    "primary",
    "references",
    "generated",
    "collate",
    "default",
];

/// Which tokens of an `ADD COLUMN` action to drop: `[CONSTRAINT n] NOT NULL`, and
/// `DEFAULT expr` when `drop_default`.
fn add_column_drops(src: &str, tokens: &[&Token], drop_default: bool) -> Vec<bool> {
    let mut drop = vec![false; tokens.len()];
    let word = |i: usize, w: &str| tokens.get(i).is_some_and(|t| t.is_word(src, w));
    let mut depth = 0i32;
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i].kind {
            TokenKind::Punct(b'(') => depth += 1,
            TokenKind::Punct(b')') => depth -= 1,
            _ => {}
        }
        if depth == 0 && word(i, "not") && word(i + 1, "null") {
            drop[i] = true;
            drop[i + 1] = true;
            if i >= 2 && word(i - 2, "constraint") {
                drop[i - 2] = true;
                drop[i - 1] = true;
            }
            i += 2;
            continue;
        }
        if depth == 0 && drop_default && word(i, "default") {
            drop[i] = true;
            let mut j = i + 1;
            let mut d = 0i32;
            while j < tokens.len() {
                let t = tokens[j];
                if d == 0
                    && j > i + 1
                    && t.kind == TokenKind::Word
                    && OPTION_WORDS.iter().any(|w| t.is_word(src, w))
                {
                    break;
                }
                match t.kind {
                    TokenKind::Punct(b'(') => d += 1,
                    TokenKind::Punct(b')') => d -= 1,
                    _ => {}
                }
                drop[j] = true;
                j += 1;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    drop
}

/// Names used in the generated SQL.
pub(crate) struct Target<'a> {
    /// The table as written in the statement (e.g. `app."Users"`).
    pub table_sql: &'a str,
    /// Qualified lower-case key, for settings lookups.
    pub table_key: &'a str,
    /// The column as written (quoted if it was).
    pub column_sql: &'a str,
    /// The column as stored (for the constraint name).
    pub column: &'a str,
}

fn constraint_name(t: &Target<'_>) -> String {
    let table = t.table_key.rsplit('.').next().unwrap_or(t.table_key);
    let mut name = format!("{table}_{}_not_null", t.column);
    while name.len() > 63 {
        name.remove(0);
    }
    pgsql::quote_ident(&name)
}

/// The generated steps of a NOT NULL rewrite, kept as their few parameters and rendered only
/// when a report or `--fix` needs the text: a big migration has thousands of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Steps {
    table: String,
    column: String,
    constraint: String,
    pk: String,
    pk_assumed: bool,
    batch: u32,
    /// The backfill value; `None` for the placeholder.
    value: Option<String>,
    pg12: bool,
    kind: StepsKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StepsKind {
    /// After `ADD COLUMN` (made nullable); with `SET DEFAULT` when a default was wanted.
    AddColumn { set_default: bool },
    /// In place of `SET NOT NULL`; `alone` when it replaces the whole statement.
    SetNotNull { alone: bool },
}

impl Steps {
    fn new(cx: &Context<'_>, t: &Target<'_>, value: Option<&str>, kind: StepsKind) -> Self {
        let pk = cx
            .settings
            .tables
            .get(t.table_key)
            .and_then(|f| f.primary_key.first());
        Steps {
            table: t.table_sql.to_string(),
            column: t.column_sql.to_string(),
            constraint: constraint_name(t),
            pk: pk.map_or_else(|| "id".to_string(), |p| pgsql::quote_ident(p)),
            pk_assumed: pk.is_none(),
            batch: cx.settings.batch_size,
            value: value.map(str::to_string),
            pg12: cx.settings.pg_version >= 12,
            kind,
        }
    }

    fn backfill(&self) -> String {
        let (table, col, pk, batch) = (&self.table, &self.column, &self.pk, self.batch);
        let value = self.value.as_deref().unwrap_or(PLACEHOLDER);
        let assumed = if self.pk_assumed {
            "\n-- dbmigration: primary key assumed to be `id`; adjust if it differs."
        } else {
            ""
        };
        let body = format!(
            "
DECLARE
  batch_min {table}.{pk}%TYPE;
  batch_max {table}.{pk}%TYPE;
BEGIN
  SELECT min({pk}) INTO batch_min FROM {table};
  WHILE batch_min IS NOT NULL LOOP
    SELECT max({pk}) INTO batch_max FROM (
      SELECT {pk} FROM {table} WHERE {pk} >= batch_min ORDER BY {pk} LIMIT {batch}
    ) AS batch;
    UPDATE {table} SET {col} = {value}
      WHERE {pk} >= batch_min AND {pk} <= batch_max AND {col} IS NULL;
    COMMIT;
    SELECT min({pk}) INTO batch_min FROM {table} WHERE {pk} > batch_max;
  END LOOP;
END
"
        );
        // The body holds names and a default expression from the migration: the tag must be
        // one that cannot occur in them, or they could close the block early.
        let tag = pgsql::dollar_tag("backfill", &body);
        format!(
            "-- step 2: backfill existing rows in primary-key batches of {batch}. Run it outside a \
transaction block: each batch commits on its own.{assumed}
DO {tag}{body}{tag};
"
        )
    }

    fn enforce(&self) -> String {
        let (table, col, name) = (&self.table, &self.column, &self.constraint);
        let mut s = format!(
            "-- step 3: enforce NOT NULL without a long lock: VALIDATE scans while writes continue.
ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({col} IS NOT NULL) NOT VALID;
ALTER TABLE {table} VALIDATE CONSTRAINT {name};
"
        );
        if self.pg12 {
            s.push_str(&format!(
                "-- PostgreSQL 12+ sees the validated check and skips the scan.
ALTER TABLE {table} ALTER COLUMN {col} SET NOT NULL;
ALTER TABLE {table} DROP CONSTRAINT {name};
"
            ));
        } else {
            s.push_str(
                "-- Before PostgreSQL 12, SET NOT NULL would scan again: keep the check instead.\n",
            );
        }
        s
    }

    /// Whether the rewrite runs as it is: not with a placeholder value or a guessed key.
    fn applicability(&self) -> Applicability {
        let placeholder = self.value.is_none() && matches!(self.kind, StepsKind::AddColumn { .. });
        if placeholder || self.pk_assumed {
            Applicability::NeedsValue
        } else {
            Applicability::Safe
        }
    }
}

impl Deferred for Steps {
    /// The text inserted for these steps.
    fn render(&self) -> String {
        let (table, col) = (&self.table, &self.column);
        match self.kind {
            StepsKind::AddColumn { set_default } => {
                // Names as written may hold line breaks: pgsql keeps them inside the comment.
                let mut text = String::from("\n");
                text.push_str(&pgsql::line_comment(&format!(
                    "dbmigration: ban-unsafe-not-null rewrite for {table}.{col}: step 1 added the column nullable."
                )));
                if let (true, Some(d)) = (set_default, &self.value) {
                    text.push_str(&format!(
                        "-- new rows get the default; existing rows are filled below.\nALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {d};\n"
                    ));
                }
                text.push_str(&self.backfill());
                text.push_str(&self.enforce());
                text
            }
            StepsKind::SetNotNull { alone } => {
                let lead = if alone { "" } else { "\n" };
                let mut text = lead.to_owned();
                text.push_str(&pgsql::line_comment(&format!(
                    "dbmigration: ban-unsafe-not-null rewrite for {table}.{col} SET NOT NULL."
                )));
                text.push_str(
                    "-- If existing rows may be NULL, uncomment and fill in this backfill first:\n",
                );
                // Commented out whole: no line break in a name or default (CR included) may
                // end a comment line and let the rest run.
                text.push_str(&pgsql::line_comment(self.backfill().trim_end_matches('\n')));
                text.push_str(&self.enforce());
                if alone {
                    text.truncate(text.trim_end().len());
                }
                text
            }
        }
    }
}

/// The rewrite of `ALTER TABLE … ADD COLUMN c T NOT NULL [DEFAULT NULL | DEFAULT volatile]`.
/// `default` is the wanted default's SQL (volatile ones become `SET DEFAULT` + backfill).
pub(crate) fn add_column_not_null(
    stmt: &Stmt<'_>,
    cx: &Context<'_>,
    action: usize,
    t: &Target<'_>,
    default: Option<&str>,
) -> Option<Fix> {
    let span = *stmt.actions.get(action)?;
    let tokens: Vec<&Token> = stmt
        .tokens
        .iter()
        .filter(|tok| tok.span.start >= span.start && tok.span.end <= span.end)
        .collect();
    let drop = add_column_drops(stmt.src, &tokens, true);
    let mut pieces = Vec::new();
    pieces.extend(lock_timeout_edit(stmt, cx).map(Piece::once));
    pieces.push(Piece::literal(span, without(stmt.src, &tokens, &drop)));
    let steps = Steps::new(
        cx,
        t,
        default,
        StepsKind::AddColumn {
            set_default: default.is_some(),
        },
    );
    let at = after(stmt);
    let applicability = steps.applicability();
    pieces.push(Piece::deferred(Span::new(at, at), steps));
    Some(
        Fix::around(
            stmt,
            format!(
                "add {} nullable, backfill in batches, then enforce NOT NULL",
                t.column_sql
            ),
            pieces,
        )
        .with_applicability(applicability),
    )
}

/// The rewrite of `ALTER TABLE … ALTER COLUMN c SET NOT NULL`: the action is removed from the
/// statement (or the statement, if it was the only action) and the check-based steps follow.
pub(crate) fn set_not_null(
    stmt: &Stmt<'_>,
    cx: &Context<'_>,
    action: usize,
    t: &Target<'_>,
) -> Option<Fix> {
    let span = *stmt.actions.get(action)?;
    let mut pieces = Vec::new();
    pieces.extend(lock_timeout_edit(stmt, cx).map(Piece::once));
    let n = stmt.actions.len();
    let alone = n == 1;
    let steps = Steps::new(cx, t, None, StepsKind::SetNotNull { alone });
    let applicability = steps.applicability();
    if alone {
        pieces.push(Piece::deferred(stmt.span, steps));
    } else {
        let removed = if action + 1 < n {
            Span::new(span.start, stmt.actions[action + 1].start)
        } else {
            Span::new(stmt.actions[action - 1].end, span.end)
        };
        pieces.push(Piece::literal(removed, String::new()));
        let at = after(stmt);
        pieces.push(Piece::deferred(Span::new(at, at), steps));
    }
    Some(
        Fix::around(
            stmt,
            format!(
                "enforce NOT NULL on {} through a validated check",
                t.column_sql
            ),
            pieces,
        )
        .with_applicability(applicability),
    )
}
