//! A failing migration as a miette report on its file, with PostgreSQL's SQLSTATE, message,
//! detail and hint, labelled at the line and column the server points to.

use std::fmt::Display;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};
use tokio_postgres::error::ErrorPosition;

use super::split::Statement;
use crate::migration::Migration;

/// Why applying migrations stopped.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ApplyError {
    /// PostgreSQL rejected a statement of a migration.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Failed(Box<MigrationFailed>),

    /// The migration's text cannot be split into statements (an unterminated comment or
    /// quote, a NUL byte): nothing of it was sent.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Unreadable(Box<UnreadableSql>),

    /// The connection failed (server gone, network), not the SQL.
    #[error("applying {path} failed: {message}")]
    #[diagnostic(
        code(dbmigration::apply::connection),
        help("the scratch server stopped answering; see the messages above, then run again")
    )]
    Connection {
        /// The migration being applied.
        path: String,
        /// The driver's message.
        message: String,
    },

    /// A migration holds a NUL byte: PostgreSQL cannot take one in query text (the wire
    /// protocol ends the query there), so it is refused before anything is sent.
    #[error("{path}:{line}:{column}: a NUL byte (0x00) at byte offset {offset}")]
    #[diagnostic(
        code(dbmigration::apply::nul_byte),
        help(
            "PostgreSQL cannot receive a NUL byte in SQL text; remove it (is this a binary or \
             UTF-16 file saved as .sql?). Nothing of this migration was sent to the server"
        )
    )]
    NulByte {
        /// The migration's path as shown to users.
        path: String,
        /// Byte offset of the NUL in the file.
        offset: usize,
        /// 1-based line of it.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// The file.
        #[source_code]
        src: NamedSource<String>,
        /// The NUL itself.
        #[label("NUL byte")]
        span: SourceSpan,
    },
}

/// The report for a NUL byte at `offset` in `migration`'s file.
pub(crate) fn nul_byte(migration: &Migration, offset: usize) -> ApplyError {
    let path = migration.path.display().to_string();
    let (line, column) = line_col(&migration.source, offset);
    ApplyError::NulByte {
        path: path.clone(),
        offset,
        line,
        column,
        src: NamedSource::new(path, migration.source.clone()),
        span: SourceSpan::new(offset.into(), 1),
    }
}

impl ApplyError {
    /// The SQLSTATE of the server's error, when it was one (`42P01`, …).
    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            ApplyError::Failed(f) => Some(&f.sqlstate),
            ApplyError::Unreadable(_)
            | ApplyError::Connection { .. }
            | ApplyError::NulByte { .. } => None,
        }
    }
}

/// A migration PostgreSQL rejected.
#[derive(Debug, thiserror::Error)]
#[error("migration {}{path} failed: {message}", position.as_deref().map(|p| format!("{p} ")).unwrap_or_default())]
pub struct MigrationFailed {
    /// The migration's path as shown to users.
    pub path: String,
    /// `143/312` when it was one of a history.
    pub position: Option<String>,
    /// Where the history came from and how it was ordered (ref, format, server), one line each.
    pub notes: Vec<String>,
    /// What to do, when we know better than "fix the migration" (an ordering problem, a
    /// missing role that `setup` can create).
    pub advice: Option<String>,
    /// SQLSTATE (`42P01`).
    pub sqlstate: String,
    /// The server's primary message.
    pub message: String,
    /// `DETAIL`, if any.
    pub detail: Option<String>,
    /// `HINT`, if any.
    pub hint: Option<String>,
    /// `CONTEXT` (e.g. the PL/pgSQL line), if any.
    pub context: Option<String>,
    /// Byte span in the file: the exact token when the server gave a position, else the
    /// whole failing statement (or the whole up section).
    pub span: SourceSpan,
    /// 1-based line and column of `span`'s start.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    src: NamedSource<String>,
}

impl Diagnostic for MigrationFailed {
    fn code<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        Some(Box::new(format!("postgres::{}", self.sqlstate)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        let mut lines = Vec::new();
        if let Some(d) = &self.detail {
            lines.push(format!("detail: {d}"));
        }
        if let Some(h) = &self.hint {
            lines.push(format!("hint: {h}"));
        }
        if let Some(c) = &self.context {
            lines.push(format!("context: {c}"));
        }
        lines.extend(self.notes.iter().cloned());
        lines.push(
            self.advice.clone().unwrap_or_else(|| {
                "nothing was written; fix the migration and run again".to_owned()
            }),
        );
        Some(Box::new(lines.join("\n")))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.message.clone()), self.span),
        )))
    }
}

/// A migration whose text is not a sequence of statements.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("migration {path} cannot be run: it contains {what} (line {line}, column {column})")]
#[diagnostic(code(dbmigration::apply::unreadable))]
pub struct UnreadableSql {
    /// The migration's path as shown to users.
    pub path: String,
    /// What is wrong, e.g. `an unterminated block comment`.
    pub what: String,
    /// 1-based line of `span`'s start.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    #[label("starts here")]
    pub(crate) span: SourceSpan,
    #[help]
    help: String,
    #[source_code]
    src: NamedSource<String>,
}

/// The report for a migration whose text cannot be split; `offset` is relative to its up
/// section.
pub(crate) fn unreadable(
    migration: &Migration,
    offset: usize,
    what: &str,
    help: &str,
) -> ApplyError {
    let path = migration.path.display().to_string();
    let start = (migration.up.start + offset).min(migration.source.len());
    let len = migration.source[start..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    let (line, column) = line_col(&migration.source, start);
    ApplyError::Unreadable(Box::new(UnreadableSql {
        path: path.clone(),
        what: what.to_owned(),
        line,
        column,
        span: SourceSpan::new(start.into(), len),
        help: format!("{help}; nothing of this migration was run"),
        src: NamedSource::new(path, migration.source.clone()).with_language("sql"),
    }))
}

/// Whether the server pointed at a character of the statement we sent.
pub(crate) fn has_position(err: &tokio_postgres::Error) -> bool {
    matches!(
        err.as_db_error().and_then(|d| d.position()),
        Some(ErrorPosition::Original(_))
    )
}

/// Builds the report. `stmt` is the statement that was sent alone, or `None` when the whole
/// up section was sent (positions are then relative to it).
pub(crate) fn failure(
    migration: &Migration,
    err: &tokio_postgres::Error,
    stmt: Option<&Statement>,
) -> ApplyError {
    let path = migration.path.display().to_string();
    let Some(db) = err.as_db_error() else {
        return ApplyError::Connection {
            path,
            message: crate::scratch::driver_message(err),
        };
    };
    let up = migration.up.clone();
    let up_sql = migration.up_sql();
    // The text the server saw and where it starts in the file.
    let (sent_start, sent) = match stmt {
        Some(s) => (up.start + s.range.start, &up_sql[s.range.clone()]),
        None => (up.start, up_sql),
    };
    let span = match db.position() {
        Some(ErrorPosition::Original(pos)) => {
            let offset = char_to_byte(sent, *pos as usize);
            token_span(&migration.source, sent_start, sent, offset)
        }
        // A position inside a query the server ran for us (a function body, `EXECUTE`d
        // text): usable when that text appears verbatim in what we sent.
        Some(ErrorPosition::Internal { position, query })
            if stmt.is_some() && !query.is_empty() && sent.contains(query.as_str()) =>
        {
            let base = sent.find(query.as_str()).unwrap_or(0);
            let offset = base + char_to_byte(query, *position as usize);
            token_span(&migration.source, sent_start, sent, offset)
        }
        _ => match stmt {
            Some(s) => SourceSpan::new((up.start + s.range.start).into(), s.range.len()),
            None => SourceSpan::new(up.start.into(), up.len()),
        },
    };
    let (line, column) = line_col(&migration.source, span.offset());
    ApplyError::Failed(Box::new(MigrationFailed {
        path: path.clone(),
        position: None,
        notes: Vec::new(),
        advice: None,
        sqlstate: db.code().code().to_owned(),
        message: db.message().to_owned(),
        detail: db.detail().map(str::to_owned),
        hint: db.hint().map(str::to_owned),
        context: db.where_().map(str::to_owned),
        span,
        line,
        column,
        src: NamedSource::new(path, migration.source.clone()).with_language("sql"),
    }))
}

/// PostgreSQL positions are 1-based character (not byte) offsets.
fn char_to_byte(text: &str, pos: usize) -> usize {
    text.char_indices()
        .nth(pos.saturating_sub(1))
        .map_or(text.len(), |(b, _)| b)
}

/// The span of the token at `offset` within the sent text (the last character when the
/// server points past the end, as in `syntax error at end of input`).
fn token_span(source: &str, sent_start: usize, sent: &str, offset: usize) -> SourceSpan {
    let rest = &sent[offset.min(sent.len())..];
    let (offset, len) = match rest.chars().next() {
        None => match sent.char_indices().next_back() {
            Some((b, c)) => (b, c.len_utf8()),
            None => (0, 0),
        },
        Some(c) if c.is_alphanumeric() || c == '_' => (
            offset,
            rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .unwrap_or(rest.len()),
        ),
        Some(c) => (offset, c.len_utf8()),
    };
    let start = (sent_start + offset).min(source.len());
    SourceSpan::new(start.into(), len.min(source.len() - start))
}

/// 1-based line and character column of a byte offset.
fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_characters() {
        let text = "SELECT 'é', nope";
        let b = char_to_byte(text, 13);
        assert_eq!(&text[b..], "nope");
        assert_eq!(char_to_byte(text, 100), text.len());
    }

    #[test]
    fn token_and_line_col() {
        let source = "-- header\nCREATE TABLE t (\n  id integr\n);\n";
        let sent = &source[10..];
        let offset = sent.find("integr").unwrap();
        let span = token_span(source, 10, sent, offset);
        assert_eq!(&source[span.offset()..span.offset() + span.len()], "integr");
        assert_eq!(line_col(source, span.offset()), (3, 6));
        let end = token_span(source, 10, sent, sent.len());
        assert_eq!(end.len(), 1);
    }
}
