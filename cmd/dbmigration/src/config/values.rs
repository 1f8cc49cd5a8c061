//! Checks shared by the config blocks: each failure is a [`ConfigError`] on the exact span of
//! the key or value at fault.

use std::sync::Arc;

use hcl::edit::expr::Expression;
use hcl::edit::structure::{Attribute, Body, Structure};
use miette::NamedSource;

use super::{ConfigError, span_of};

/// The file being validated, for the errors' source code and spans.
pub(super) struct Doc<'a> {
    pub text: &'a str,
    pub src: &'a dyn Fn() -> Arc<NamedSource<String>>,
}

impl Doc<'_> {
    /// `key` is not one of the block's keys; `expected` lists them.
    pub fn unknown(&self, structure: &Structure, expected: &str) -> ConfigError {
        let (what, key, span) = match structure {
            Structure::Attribute(a) => ("key", a.key.as_str(), span_of(&a.key, self.text)),
            Structure::Block(b) => ("block", b.ident.as_str(), span_of(&b.ident, self.text)),
        };
        ConfigError::UnknownKey {
            what,
            key: key.to_owned(),
            expected: expected.to_owned(),
            src: (self.src)(),
            span,
        }
    }

    /// The value of `attr` is wrong: `message` says how, `help` what to write.
    pub fn bad(
        &self,
        attr: &Attribute,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> ConfigError {
        self.bad_at(
            attr.key.as_str(),
            span_of(&attr.value, self.text),
            message,
            help,
        )
    }

    /// Like [`Doc::bad`], at a part of the value.
    pub fn bad_at(
        &self,
        key: &str,
        span: miette::SourceSpan,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> ConfigError {
        ConfigError::BadValue {
            key: key.to_owned(),
            message: message.into(),
            help: help.into(),
            src: (self.src)(),
            span,
        }
    }

    /// A plain string value.
    pub fn string<'b>(&self, attr: &'b Attribute, example: &str) -> Result<&'b str, ConfigError> {
        match &attr.value {
            Expression::String(s) => Ok(s.value().as_str()),
            _ => Err(self.bad(
                attr,
                "expected a plain string",
                format!("write `{} = {example}`", attr.key.as_str()),
            )),
        }
    }

    /// A list of plain strings, each checked by `check` (an error message for a bad one).
    pub fn strings(
        &self,
        attr: &Attribute,
        example: &str,
        check: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        let key = attr.key.as_str();
        let Expression::Array(items) = &attr.value else {
            return Err(self.bad(
                attr,
                "expected a list of strings",
                format!("write `{key} = {example}`"),
            ));
        };
        for item in items.iter() {
            let Expression::String(s) = item else {
                return Err(self.bad_at(
                    key,
                    span_of(item, self.text),
                    "expected a string",
                    format!("write `{key} = {example}`"),
                ));
            };
            if let Some(why) = check(s.value()) {
                return Err(self.bad_at(
                    key,
                    span_of(item, self.text),
                    why,
                    format!("e.g. `{key} = {example}`"),
                ));
            }
        }
        Ok(())
    }

    /// A whole number in `range`.
    pub fn number(
        &self,
        attr: &Attribute,
        range: std::ops::RangeInclusive<u64>,
        example: &str,
    ) -> Result<(), ConfigError> {
        let ok = match &attr.value {
            Expression::Number(n) => n.value().as_u64().is_some_and(|v| range.contains(&v)),
            _ => false,
        };
        if ok {
            return Ok(());
        }
        Err(self.bad(
            attr,
            format!(
                "expected a whole number from {} to {}",
                range.start(),
                range.end()
            ),
            format!("write `{} = {example}`", attr.key.as_str()),
        ))
    }

    /// A boolean.
    pub fn boolean(&self, attr: &Attribute) -> Result<bool, ConfigError> {
        match &attr.value {
            Expression::Bool(b) => Ok(*b.value()),
            _ => Err(self.bad(
                attr,
                "expected true or false",
                format!("write `{} = false`", attr.key.as_str()),
            )),
        }
    }
}

/// The attributes of a block body, or the error for a nested block when `blocks` allows none
/// of that name.
pub(super) fn attributes<'b>(
    doc: &Doc<'_>,
    body: &'b Body,
    blocks: &[&str],
    expected: &str,
) -> Result<Vec<&'b Attribute>, ConfigError> {
    let mut out = Vec::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => out.push(a),
            Structure::Block(b) if blocks.contains(&b.ident.as_str()) => {}
            Structure::Block(_) => return Err(doc.unknown(s, expected)),
        }
    }
    Ok(out)
}
