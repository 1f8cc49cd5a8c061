//! Errors of the HCL face: [`ParseError`].

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};
use thiserror::Error;

/// An HCL file could not be read into the model: a syntax error, an unknown block or attribute,
/// a value of the wrong type, an unknown type name, or a reference to something that does not
/// exist. Points at the exact offending span.
#[derive(Debug, Error)]
#[error(transparent)]
pub struct ParseError(Box<Inner>);

#[derive(Debug, Error)]
#[error("{message}")]
struct Inner {
    message: String,
    src: NamedSource<String>,
    span: SourceSpan,
    label: String,
    help: String,
}

impl ParseError {
    /// A new error in `file` (its text is `src`) at byte range `span`.
    pub(crate) fn new(
        file: &str,
        src: &str,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        let end = span.end.min(src.len());
        let start = span.start.min(end);
        ParseError(Box::new(Inner {
            message: message.into(),
            src: NamedSource::new(file, src.to_owned()).with_language("HCL"),
            span: (start..end).into(),
            label: label.into(),
            help: help.into(),
        }))
    }

    /// What went wrong, without the location.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The byte range the error points at.
    pub fn span(&self) -> SourceSpan {
        self.0.span
    }

    /// The suggestion shown under the report.
    pub fn help_text(&self) -> &str {
        &self.0.help
    }
}

impl Diagnostic for ParseError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("hclgen::parse"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.0.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.0.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.0.label.clone()),
            self.0.span,
        ))))
    }
}
