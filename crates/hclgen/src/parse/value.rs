//! Reading hcl-edit syntax trees: bodies with a fixed set of attributes and blocks, and typed
//! values, each failing with a [`ParseError`] that points at the offending span.

use std::ops::Range;

use hcl::edit::Span;
use std::collections::HashMap;

use hcl::edit::expr::{Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl::edit::structure::{Attribute, Block, BlockLabel, Body, Structure};
use hcl::edit::template::Element;

use crate::ParseError;

pub(crate) type R<T> = Result<T, ParseError>;

/// The file being parsed, for error reports.
#[derive(Clone, Copy)]
pub(crate) struct Cx<'s> {
    pub(crate) file: &'s str,
    pub(crate) src: &'s str,
}

impl Cx<'_> {
    pub(crate) fn err(
        &self,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> ParseError {
        ParseError::new(
            self.file,
            self.src,
            span.unwrap_or(0..0),
            message,
            label,
            help,
        )
    }

    /// "expected X" at the span of `e`.
    pub(crate) fn expected(&self, e: &Expression, what: &str, example: &str) -> ParseError {
        self.err(
            e.span(),
            format!("expected {what}"),
            format!("not {what}"),
            format!("write it like `{example}`"),
        )
    }
}

/// Rejects a string holding NUL (written as `\u0000` in HCL): PostgreSQL text cannot hold
/// one, so it could never reach the database as written.
pub(crate) fn no_nul(cx: Cx<'_>, text: &str, span: Option<Range<usize>>) -> R<()> {
    pgsql::reject_nul(text).map_err(|_| {
        cx.err(
            span,
            "a string here holds a NUL character, which PostgreSQL cannot store",
            "holds NUL",
            "remove the `\\u0000` (or the NUL byte) from this string",
        )
    })
}

/// A block body checked against the attributes and child blocks it may hold.
pub(crate) struct Node<'b> {
    attrs: Vec<&'b Attribute>,
    blocks: Vec<&'b Block>,
}

impl<'b> Node<'b> {
    pub(crate) fn new(
        cx: Cx<'_>,
        body: &'b Body,
        what: &str,
        attrs: &[&str],
        blocks: &[&str],
    ) -> R<Self> {
        let mut node = Node {
            attrs: Vec::new(),
            blocks: Vec::new(),
        };
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let key = a.key.as_str();
                    if !attrs.contains(&key) {
                        return Err(cx.err(
                            a.key.span(),
                            format!("unknown attribute `{key}` in {what}"),
                            "unknown attribute",
                            one_of("attributes", attrs),
                        ));
                    }
                    if node.attrs.iter().any(|b| b.key.as_str() == key) {
                        return Err(cx.err(
                            a.key.span(),
                            format!("attribute `{key}` is set twice in {what}"),
                            "second definition",
                            "remove one of them",
                        ));
                    }
                    node.attrs.push(a);
                }
                Structure::Block(b) => {
                    let ident = b.ident.as_str();
                    if !blocks.contains(&ident) {
                        return Err(cx.err(
                            b.ident.span(),
                            format!("unknown block `{ident}` in {what}"),
                            "unknown block",
                            one_of("blocks", blocks),
                        ));
                    }
                    node.blocks.push(b);
                }
            }
        }
        Ok(node)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'b Expression> {
        self.attrs
            .iter()
            .find(|a| a.key.as_str() == key)
            .map(|a| &a.value)
    }

    pub(crate) fn blocks(&self, ident: &'static str) -> impl Iterator<Item = &'b Block> + '_ {
        self.blocks
            .iter()
            .copied()
            .filter(move |b| b.ident.as_str() == ident)
    }

    /// At most one block of this type.
    pub(crate) fn single(&self, cx: Cx<'_>, ident: &'static str) -> R<Option<&'b Block>> {
        let mut it = self.blocks(ident);
        let first = it.next();
        if let Some(second) = it.next() {
            return Err(cx.err(
                second.ident.span(),
                format!("more than one `{ident}` block"),
                "second block",
                "merge them into one",
            ));
        }
        Ok(first)
    }

    pub(crate) fn str(&self, cx: Cx<'_>, key: &str) -> R<Option<String>> {
        self.get(key).map(|e| string(cx, e)).transpose()
    }

    pub(crate) fn bool(&self, cx: Cx<'_>, key: &str) -> R<bool> {
        Ok(self
            .get(key)
            .map(|e| boolean(cx, e))
            .transpose()?
            .unwrap_or(false))
    }
}

fn one_of(kind: &str, allowed: &[&str]) -> String {
    if allowed.is_empty() {
        format!("no {kind} are allowed here")
    } else {
        format!("allowed {kind} here: {}", allowed.join(", "))
    }
}

/// A block's labels as strings.
pub(crate) fn labels(b: &Block) -> Vec<(&str, Option<Range<usize>>)> {
    b.labels
        .iter()
        .map(|l| match l {
            BlockLabel::String(s) => (s.as_str(), s.span()),
            BlockLabel::Ident(i) => (i.as_str(), i.span()),
        })
        .collect()
}

/// Exactly `n` labels (or between `min` and `max`).
pub(crate) fn expect_labels<'b>(
    cx: Cx<'_>,
    b: &'b Block,
    min: usize,
    max: usize,
    example: &str,
) -> R<Vec<&'b str>> {
    let ls = labels(b);
    if ls.len() < min || ls.len() > max {
        let span = ls
            .last()
            .and_then(|l| l.1.clone())
            .or_else(|| b.ident.span());
        return Err(cx.err(
            span,
            format!("`{}` block has {} label(s)", b.ident.as_str(), ls.len()),
            "wrong number of labels",
            format!("write it like `{example}`"),
        ));
    }
    for (label, span) in &ls {
        no_nul(cx, label, span.clone())?;
    }
    Ok(ls.into_iter().map(|l| l.0).collect())
}

/// A string: quoted (escapes undone), or a heredoc (its final newline dropped).
pub(crate) fn string(cx: Cx<'_>, e: &Expression) -> R<String> {
    let s = string_value(cx, e)?;
    no_nul(cx, &s, e.span())?;
    Ok(s)
}

fn string_value(cx: Cx<'_>, e: &Expression) -> R<String> {
    match e {
        Expression::String(s) => Ok(s.value().clone()),
        Expression::StringTemplate(t) => literal_template(cx, e, t.iter()),
        Expression::HeredocTemplate(h) => {
            let mut s = literal_template(cx, e, h.template.iter())?;
            if s.ends_with('\n') {
                s.pop();
            }
            Ok(s)
        }
        _ => Err(cx.expected(e, "a string", "\"text\"")),
    }
}

fn literal_template<'a>(
    cx: Cx<'_>,
    e: &Expression,
    elements: impl Iterator<Item = &'a Element>,
) -> R<String> {
    let mut out = String::new();
    for el in elements {
        match el {
            Element::Literal(l) => out.push_str(l.value()),
            _ => {
                return Err(cx.err(
                    e.span(),
                    "template interpolation is not supported",
                    "contains `${...}` or `%{...}`",
                    "write a literal `${` as `$${` and `%{` as `%%{`",
                ));
            }
        }
    }
    Ok(out)
}

pub(crate) fn boolean(cx: Cx<'_>, e: &Expression) -> R<bool> {
    match e {
        Expression::Bool(b) => Ok(*b.value()),
        _ => Err(cx.expected(e, "true or false", "true")),
    }
}

/// A number, possibly negated.
pub(crate) fn number(cx: Cx<'_>, e: &Expression) -> R<f64> {
    match e {
        Expression::Number(n) => n
            .value()
            .as_f64()
            .ok_or_else(|| cx.expected(e, "a number", "100")),
        Expression::UnaryOp(op) if *op.operator.value() == UnaryOperator::Neg => {
            number(cx, &op.expr).map(|n| -n)
        }
        _ => Err(cx.expected(e, "a number", "100")),
    }
}

/// An integer, possibly negated.
pub(crate) fn integer(cx: Cx<'_>, e: &Expression) -> R<i64> {
    match e {
        Expression::Number(n) => n
            .value()
            .as_i64()
            .ok_or_else(|| cx.expected(e, "an integer", "1")),
        Expression::UnaryOp(op) if *op.operator.value() == UnaryOperator::Neg => {
            integer(cx, &op.expr)?
                .checked_neg()
                .ok_or_else(|| cx.expected(e, "an integer", "1"))
        }
        _ => Err(cx.expected(e, "an integer", "1")),
    }
}

/// A bare keyword out of a fixed set (compared case-insensitively); returns its index.
pub(crate) fn keyword(cx: Cx<'_>, e: &Expression, allowed: &[&str]) -> R<usize> {
    if let Expression::Variable(v) = e
        && let Some(i) = allowed
            .iter()
            .position(|k| k.eq_ignore_ascii_case(v.as_str()))
    {
        return Ok(i);
    }
    Err(cx.err(
        e.span(),
        format!("expected one of {}", allowed.join(", ")),
        "unexpected value",
        format!("write one of: {}", allowed.join(", ")),
    ))
}

/// The elements of a list.
pub(crate) fn list<'e>(cx: Cx<'_>, e: &'e Expression) -> R<Vec<&'e Expression>> {
    match e {
        Expression::Array(a) => Ok(a.iter().collect()),
        _ => Err(cx.expected(e, "a list", "[column.a, column.b]")),
    }
}

/// `sql("...")`: the string argument.
pub(crate) fn sql_call(cx: Cx<'_>, e: &Expression) -> Option<R<String>> {
    let Expression::FuncCall(f) = e else {
        return None;
    };
    if f.name.name.as_str() != "sql" || !f.name.namespace.is_empty() {
        return None;
    }
    let args: Vec<&Expression> = f.args.iter().collect();
    Some(match args.as_slice() {
        [a] => string(cx, a),
        _ => Err(cx.expected(e, "one string argument", "sql(\"now()\")")),
    })
}

/// A traversal `root.a["b"].c`: the root and its steps with their spans.
pub(crate) struct Path<'e> {
    pub(crate) root: &'e str,
    pub(crate) steps: Vec<(String, Option<Range<usize>>)>,
    pub(crate) span: Option<Range<usize>>,
}

pub(crate) fn path<'e>(cx: Cx<'_>, e: &'e Expression) -> R<Option<Path<'e>>> {
    let Expression::Traversal(t) = e else {
        return Ok(None);
    };
    let Expression::Variable(root) = &t.expr else {
        return Ok(None);
    };
    let mut steps = Vec::with_capacity(t.operators.len());
    for op in &t.operators {
        match op.value() {
            TraversalOperator::GetAttr(i) => steps.push((i.as_str().to_owned(), i.span())),
            TraversalOperator::Index(Expression::String(s)) => {
                no_nul(cx, s.value(), s.span())?;
                steps.push((s.value().clone(), s.span()));
            }
            _ => {
                return Err(cx.err(
                    op.span(),
                    "unsupported reference step",
                    "here",
                    "references look like `table.users.column.id` or `column[\"my col\"]`",
                ));
            }
        }
    }
    Ok(Some(Path {
        root: root.as_str(),
        steps,
        span: e.span(),
    }))
}

/// The string fields of an object literal `{ key = "value", ... }`.
pub(crate) fn fields(cx: Cx<'_>, e: &Expression) -> R<HashMap<String, String>> {
    let Expression::Object(o) = e else {
        return Err(cx.expected(e, "an object", "{ schema = \"public\", name = \"f\" }"));
    };
    let mut out = HashMap::new();
    for (k, v) in o.iter() {
        let key = match k {
            ObjectKey::Ident(i) => i.as_str().to_owned(),
            ObjectKey::Expression(ke) => string(cx, ke)?,
        };
        out.insert(key, string(cx, v.expr())?);
    }
    Ok(out)
}
