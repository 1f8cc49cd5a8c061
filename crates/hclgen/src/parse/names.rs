//! The first pass: every object's qualified name, and the column names of tables and views, in
//! hash indexes so that references resolve in constant time.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use hcl::edit::Span;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Block, Structure};

use crate::model::{QualifiedName, TypeKind};
use crate::render::refs::Kind;

use super::value::{self, Cx, R};

pub(crate) struct Names {
    schemas: HashSet<String>,
    /// (kind, name) → schemas holding an object of that kind and name.
    objects: HashMap<(Kind, String), Vec<String>>,
    /// Column names of each table, view and materialized view.
    columns: HashMap<(Kind, QualifiedName), HashSet<String>>,
}

/// The model kind a top-level block ident declares.
pub(crate) fn block_kind(ident: &str) -> Option<Kind> {
    Some(match ident {
        "table" => Kind::Table,
        "view" => Kind::View,
        "materialized" => Kind::Materialized,
        "enum" => Kind::Enum,
        "domain" => Kind::Domain,
        "composite" => Kind::Composite,
        "range" => Kind::Range,
        "sequence" => Kind::Sequence,
        "function" => Kind::Function,
        "procedure" => Kind::Procedure,
        _ => return None,
    })
}

const TOP_LEVEL: &[&str] = &[
    "schema",
    "table",
    "view",
    "materialized",
    "function",
    "procedure",
    "trigger",
    "policy",
    "sequence",
    "enum",
    "domain",
    "composite",
    "range",
    "extension",
    "collation",
    "permission",
    "owner",
    "default_permission",
];

pub(crate) fn type_kind(k: Kind) -> TypeKind {
    match k {
        Kind::Domain => TypeKind::Domain,
        Kind::Composite => TypeKind::Composite,
        Kind::Range => TypeKind::Range,
        _ => TypeKind::Enum,
    }
}

impl Names {
    /// Indexes the file; returns the qualified name of each block (empty schema for blocks that
    /// are not schema-scoped objects).
    pub(crate) fn collect(cx: Cx<'_>, blocks: &[&Block]) -> R<(Self, Vec<QualifiedName>)> {
        let mut names = Names {
            schemas: HashSet::new(),
            objects: HashMap::new(),
            columns: HashMap::new(),
        };
        for b in blocks {
            let ident = b.ident.as_str();
            if !TOP_LEVEL.contains(&ident) {
                return Err(cx.err(
                    b.ident.span(),
                    format!("unknown block `{ident}`"),
                    "unknown block",
                    format!("top-level blocks are: {}", TOP_LEVEL.join(", ")),
                ));
            }
            if ident == "schema" {
                let l = value::expect_labels(cx, b, 1, 1, "schema \"public\" {}")?;
                if !names.schemas.insert(l[0].to_owned()) {
                    return Err(cx.err(
                        b.ident.span(),
                        format!("schema `{}` is defined twice", l[0]),
                        "second definition",
                        "remove one of them",
                    ));
                }
            }
        }
        let mut out = Vec::with_capacity(blocks.len());
        let mut seen: HashSet<(Kind, QualifiedName)> = HashSet::new();
        for b in blocks {
            let ident = b.ident.as_str();
            let Some(kind) = block_kind(ident) else {
                let name = match ident {
                    "schema" | "extension" => {
                        value::expect_labels(cx, b, 1, 1, &format!("{ident} \"name\" {{}}"))?[0]
                    }
                    _ => "",
                };
                out.push(QualifiedName::new("", name));
                continue;
            };
            let qn = names.object_name(cx, b)?;
            let overloadable = matches!(kind, Kind::Function | Kind::Procedure);
            if !seen.insert((kind, qn.clone())) && !overloadable {
                return Err(cx.err(
                    b.ident.span(),
                    format!("{ident} `{qn}` is defined twice"),
                    "second definition",
                    "remove or rename one of them",
                ));
            }
            let schemas = names.objects.entry((kind, qn.name.clone())).or_default();
            if !schemas.contains(&qn.schema) {
                schemas.push(qn.schema.clone());
            }
            if matches!(kind, Kind::Table | Kind::View | Kind::Materialized) {
                let mut cols = HashSet::new();
                for s in b.body.iter() {
                    let Structure::Block(c) = s else { continue };
                    if c.ident.as_str() != "column" {
                        continue;
                    }
                    if let Some((label, span)) = value::labels(c).first().cloned()
                        && !cols.insert(label.to_owned())
                    {
                        return Err(cx.err(
                            span,
                            format!("column `{label}` is defined twice in `{qn}`"),
                            "second definition",
                            "remove or rename one of them",
                        ));
                    }
                }
                names.columns.insert((kind, qn.clone()), cols);
            }
            // A range's multirange is a type of its own that columns name as `range.<multirange>`
            // (the model keeps it as a range-kind name); index it next to the range.
            if kind == Kind::Range
                && let Some(mr) = multirange_name(cx, b)
            {
                let schemas = names.objects.entry((kind, mr)).or_default();
                if !schemas.contains(&qn.schema) {
                    schemas.push(qn.schema.clone());
                }
            }
            out.push(qn);
        }
        Ok((names, out))
    }

    /// The name of a schema-scoped block: its last label, and its schema from the `schema`
    /// attribute (or the first of two labels).
    fn object_name(&self, cx: Cx<'_>, b: &Block) -> R<QualifiedName> {
        let ident = b.ident.as_str();
        let labels = value::expect_labels(cx, b, 1, 2, &format!("{ident} \"name\" {{ ... }}"))?;
        let attr = b.body.iter().find_map(|s| match s {
            Structure::Attribute(a) if a.key.as_str() == "schema" => Some(&a.value),
            _ => None,
        });
        let name = labels[labels.len() - 1].to_owned();
        let schema = match (attr, labels.len()) {
            (Some(e), n) => {
                let s = self.schema_ref(cx, e)?;
                if n == 2 && labels[0] != s {
                    return Err(cx.err(
                        e.span(),
                        format!(
                            "`schema` says `{s}` but the block label says `{}`",
                            labels[0]
                        ),
                        "conflicting schema",
                        "make the first label and the `schema` attribute agree",
                    ));
                }
                s
            }
            (None, 2) => labels[0].to_owned(),
            (None, _) => {
                return Err(cx.err(
                    b.ident.span(),
                    format!("{ident} `{name}` has no `schema` attribute"),
                    "missing schema",
                    "add `schema = schema.public` (or the schema it belongs to)",
                ));
            }
        };
        Ok(QualifiedName::new(schema, name))
    }

    /// `schema.x`, checked against the file's `schema` blocks.
    pub(crate) fn schema_ref(&self, cx: Cx<'_>, e: &Expression) -> R<String> {
        let s = schema_name(cx, e)?;
        if !self.schemas.contains(&s) {
            return Err(cx.err(
                e.span(),
                format!("schema `{s}` is not defined"),
                "unknown schema",
                format!("add a `schema \"{s}\" {{}}` block"),
            ));
        }
        Ok(s)
    }

    /// Resolves `kind.name` / `kind.schema.name` steps to a qualified name.
    pub(crate) fn resolve(
        &self,
        cx: Cx<'_>,
        kind: Kind,
        steps: &[(String, Option<Range<usize>>)],
        span: Option<Range<usize>>,
    ) -> R<QualifiedName> {
        let root = kind.root();
        let empty = Vec::new();
        match steps {
            [(name, _)] => {
                let schemas = self.objects.get(&(kind, name.clone())).unwrap_or(&empty);
                match schemas.as_slice() {
                    [s] => Ok(QualifiedName::new(s.clone(), name.clone())),
                    [] => Err(cx.err(
                        span,
                        format!("{root} `{name}` is not defined"),
                        "dangling reference",
                        format!("define a `{root} \"{name}\"` block or fix the name"),
                    )),
                    _ => Err(cx.err(
                        span,
                        format!("{root} `{name}` exists in several schemas"),
                        "ambiguous reference",
                        format!("qualify it: `{root}.<schema>.{name}`"),
                    )),
                }
            }
            [(schema, _), (name, _)] => {
                let found = self
                    .objects
                    .get(&(kind, name.clone()))
                    .is_some_and(|v| v.contains(schema));
                if found {
                    Ok(QualifiedName::new(schema.clone(), name.clone()))
                } else {
                    Err(cx.err(
                        span,
                        format!("{root} `{schema}.{name}` is not defined"),
                        "dangling reference",
                        format!("define a `{root} \"{schema}\" \"{name}\"` block or fix the name"),
                    ))
                }
            }
            _ => Err(cx.err(
                span,
                format!("malformed {root} reference"),
                "here",
                format!("write `{root}.<name>` or `{root}.<schema>.<name>`"),
            )),
        }
    }

    /// Is there an object of this kind with this name?
    pub(crate) fn exists(&self, kind: Kind, name: &QualifiedName) -> bool {
        self.objects
            .get(&(kind, name.name.clone()))
            .is_some_and(|v| v.contains(&name.schema))
    }

    pub(crate) fn columns_of(&self, kind: Kind, table: &QualifiedName) -> Option<&HashSet<String>> {
        self.columns.get(&(kind, table.clone()))
    }

    pub(crate) fn has_column(&self, kind: Kind, table: &QualifiedName, column: &str) -> bool {
        self.columns
            .get(&(kind, table.clone()))
            .is_some_and(|c| c.contains(column))
    }

    /// A user-defined type of this file named by SQL text (`public.status`, `"MyType"`).
    pub(crate) fn type_by_sql_name(
        &self,
        parts: &[String],
        one_part: bool,
    ) -> Option<(TypeKind, QualifiedName)> {
        for kind in [Kind::Enum, Kind::Domain, Kind::Composite, Kind::Range] {
            match parts {
                [schema, name] => {
                    let qn = QualifiedName::new(schema.clone(), name.clone());
                    if self.exists(kind, &qn) {
                        return Some((type_kind(kind), qn));
                    }
                }
                [name] if one_part => {
                    if let Some([s]) = self.objects.get(&(kind, name.clone())).map(Vec::as_slice) {
                        return Some((
                            type_kind(kind),
                            QualifiedName::new(s.clone(), name.clone()),
                        ));
                    }
                }
                _ => {}
            }
        }
        None
    }
}

/// The `multirange = "..."` attribute of a `range` block, when it is a plain string (a malformed
/// value is reported when the block itself is read).
fn multirange_name(cx: Cx<'_>, b: &Block) -> Option<String> {
    b.body.iter().find_map(|s| match s {
        Structure::Attribute(a) if a.key.as_str() == "multirange" => {
            value::string(cx, &a.value).ok()
        }
        _ => None,
    })
}

/// The name in `schema.x` / `schema["x"]`, unchecked.
pub(crate) fn schema_name(cx: Cx<'_>, e: &Expression) -> R<String> {
    match value::path(cx, e)? {
        Some(p) if p.root == "schema" && p.steps.len() == 1 => Ok(p.steps[0].0.clone()),
        _ => Err(cx.expected(e, "a schema reference", "schema.public")),
    }
}

/// Splits a SQL (possibly quoted, possibly qualified) name into its parts; `None` when the text
/// is not just a name. The flag says whether it was a single, unquoted-or-quoted part.
pub(crate) fn sql_name(text: &str) -> Option<(Vec<String>, bool)> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_alphanumeric() || c == '_' || c == '$' {
                    part.push(c.to_ascii_lowercase());
                    chars.next();
                } else {
                    break;
                }
            }
            if part.is_empty() {
                return None;
            }
        }
        parts.push(part);
        match chars.next() {
            None => break,
            Some('.') => {}
            Some(_) => return None,
        }
    }
    let one = parts.len() == 1;
    (parts.len() <= 2).then_some((parts, one))
}
