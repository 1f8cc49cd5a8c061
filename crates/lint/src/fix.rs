//! Fixes as stored and applied: pieces of text (literal, or rendered only when a report or
//! `--fix` needs it), some needed once per file, applied to the file without overlaps.

use std::fmt::Debug;
use std::sync::Arc;

use crate::context::Stmt;
use crate::rule::{Edit, Fix};
use crate::span::Span;

/// Text generated on demand: a big migration can carry thousands of long rewrites that no
/// report shows in full.
pub(crate) trait Deferred: Debug + Send + Sync {
    /// The text.
    fn render(&self) -> String;
}

/// One edit of a [`Fix`] as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub span: Span,
    pub text: PieceText,
    /// A prerequisite the file needs once, before the first statement that needs it (a
    /// session setting): when several fixes carry the same text, only the first is applied.
    pub once: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum PieceText {
    Literal(String),
    Deferred(Arc<dyn Deferred>),
}

impl PartialEq for PieceText {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (PieceText::Literal(a), PieceText::Literal(b)) => a == b,
            (PieceText::Deferred(a), PieceText::Deferred(b)) => {
                Arc::ptr_eq(a, b) || a.render() == b.render()
            }
            _ => false,
        }
    }
}

impl Eq for PieceText {}

impl Piece {
    pub(crate) fn literal(span: Span, text: String) -> Self {
        Piece {
            span,
            text: PieceText::Literal(text),
            once: false,
        }
    }

    pub(crate) fn deferred(span: Span, text: impl Deferred + 'static) -> Self {
        Piece {
            span,
            text: PieceText::Deferred(Arc::new(text)),
            once: false,
        }
    }

    /// A prerequisite edit needed once per file (see [`Piece::once`]).
    pub(crate) fn once(e: Edit) -> Self {
        Piece {
            once: true,
            ..Piece::literal(e.span, e.text)
        }
    }

    pub(crate) fn edit(&self) -> Edit {
        Edit {
            span: self.span,
            text: match &self.text {
                PieceText::Literal(t) => t.clone(),
                PieceText::Deferred(s) => s.render(),
            },
        }
    }
}

impl From<Edit> for Piece {
    fn from(e: Edit) -> Self {
        Piece::literal(e.span, e.text)
    }
}

impl Fix {
    /// A safe fix of `stmt` made of `pieces`; its range covers the statement and every piece.
    pub(crate) fn around(stmt: &Stmt<'_>, title: String, pieces: Vec<Piece>) -> Fix {
        let start = pieces
            .iter()
            .map(|e| e.span.start)
            .min()
            .unwrap_or(stmt.span.start)
            .min(stmt.span.start);
        let end = pieces
            .iter()
            .map(|e| e.span.end)
            .max()
            .unwrap_or(stmt.span.end)
            .max(stmt.span.end);
        Fix::from_pieces(title, Span::new(start, end), pieces)
    }
}

/// Applies `edits` (sorted, non-overlapping ones; later overlapping edits are skipped) to
/// `src[range]` and returns that part rewritten.
pub(crate) fn apply_range(src: &str, edits: &[Edit], range: Span) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::new();
    let mut pos = range.start;
    for e in sorted {
        if e.span.start < pos || e.span.end > range.end {
            continue;
        }
        out.push_str(Span::new(pos, e.span.start).text(src));
        out.push_str(&e.text);
        pos = e.span.end;
    }
    out.push_str(Span::new(pos, range.end).text(src));
    out
}

/// Applies every edit to the whole file, dropping duplicates (two findings may both insert
/// the same `SET lock_timeout`).
pub fn apply(src: &str, edits: &[Edit]) -> String {
    let mut unique: Vec<Edit> = Vec::with_capacity(edits.len());
    for e in edits {
        if !unique.contains(e) {
            unique.push(e.clone());
        }
    }
    apply_range(src, &unique, Span::new(0, src.len()))
}
