//! `enum`, `domain`, `composite`, `range`, `sequence` and `extension` blocks.

use hcl::edit::Span;
use hcl::edit::structure::Block;

use crate::model::{
    ColumnRef, Composite, Domain, Enum, Extension, Field, QualifiedName, RangeType, Sequence,
};
use crate::render::refs::Kind;

use super::names::{Names, schema_name};
use super::table::{check, required};
use super::value::{self, Cx, Node, R};

pub(crate) fn enumeration(cx: Cx<'_>, b: &Block, name: QualifiedName) -> R<Enum> {
    let n = Node::new(cx, &b.body, "enum", &["schema", "values", "comment"], &[])?;
    let values = required(cx, &n, b, "values", |e| {
        value::list(cx, e)?
            .into_iter()
            .map(|v| value::string(cx, v))
            .collect()
    })?;
    Ok(Enum {
        name,
        values,
        comment: n.str(cx, "comment")?,
    })
}

pub(crate) fn domain(cx: Cx<'_>, names: &Names, b: &Block, name: QualifiedName) -> R<Domain> {
    let n = Node::new(
        cx,
        &b.body,
        "domain",
        &["schema", "type", "null", "default", "collate", "comment"],
        &["check"],
    )?;
    let ty = required(cx, &n, b, "type", |e| super::ty(cx, names, e))?;
    let mut checks = Vec::new();
    for cb in n.blocks("check") {
        checks.push(check(cx, cb, &format!("{}_check", name.name))?);
    }
    Ok(Domain {
        // Like columns: a missing `null` means NOT NULL.
        not_null: !n.bool(cx, "null")?,
        default: n
            .get("default")
            .map(|e| super::default(cx, e, &ty))
            .transpose()?,
        collation: n.str(cx, "collate")?,
        comment: n.str(cx, "comment")?,
        checks,
        ty,
        name,
    })
}

pub(crate) fn composite(cx: Cx<'_>, names: &Names, b: &Block, name: QualifiedName) -> R<Composite> {
    let n = Node::new(cx, &b.body, "composite", &["schema", "comment"], &["field"])?;
    let mut fields = Vec::new();
    for fb in n.blocks("field") {
        let label = value::expect_labels(cx, fb, 1, 1, "field \"x\" { type = integer }")?;
        let f = Node::new(cx, &fb.body, "field", &["type", "collate", "comment"], &[])?;
        fields.push(Field {
            name: label[0].to_owned(),
            ty: required(cx, &f, fb, "type", |e| super::ty(cx, names, e))?,
            collation: f.str(cx, "collate")?,
            comment: f.str(cx, "comment")?,
        });
    }
    Ok(Composite {
        name,
        fields,
        comment: n.str(cx, "comment")?,
    })
}

pub(crate) fn range(cx: Cx<'_>, names: &Names, b: &Block, name: QualifiedName) -> R<RangeType> {
    let n = Node::new(
        cx,
        &b.body,
        "range",
        &[
            "schema",
            "subtype",
            "subtype_opclass",
            "collate",
            "canonical",
            "subtype_diff",
            "multirange",
            "comment",
        ],
        &[],
    )?;
    Ok(RangeType {
        name,
        subtype: required(cx, &n, b, "subtype", |e| super::ty(cx, names, e))?,
        subtype_opclass: n.str(cx, "subtype_opclass")?,
        collation: n.str(cx, "collate")?,
        canonical: n.str(cx, "canonical")?,
        subtype_diff: n.str(cx, "subtype_diff")?,
        multirange: n.str(cx, "multirange")?,
        comment: n.str(cx, "comment")?,
    })
}

pub(crate) fn sequence(cx: Cx<'_>, names: &Names, b: &Block, name: QualifiedName) -> R<Sequence> {
    let n = Node::new(
        cx,
        &b.body,
        "sequence",
        &[
            "schema",
            "type",
            "start",
            "increment",
            "min_value",
            "max_value",
            "cache",
            "cycle",
            "owner",
            "comment",
        ],
        &[],
    )?;
    let ty = match n.get("type") {
        Some(e) => super::ty(cx, names, e)?,
        None => crate::model::Type::Sql("bigint".to_owned()),
    };
    let owned_by = match n.get("owner") {
        Some(e) => Some(relation_column(cx, names, e)?),
        None => None,
    };
    Ok(Sequence {
        options: super::sequence_options(cx, &n, &ty.to_sql())?,
        ty,
        owned_by,
        comment: n.str(cx, "comment")?,
        name,
    })
}

/// `table.t.column.c` / `view.v.column.c` (optionally schema-qualified), checked.
pub(crate) fn relation_column(
    cx: Cx<'_>,
    names: &Names,
    e: &hcl::edit::expr::Expression,
) -> R<ColumnRef> {
    let bad = || cx.expected(e, "a column reference", "table.users.column.id");
    if let hcl::edit::expr::Expression::Object(_) = e {
        // A relation outside this file (rendered from a schema-filtered inspection).
        let f = value::fields(cx, e)?;
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        return Ok(ColumnRef {
            table: QualifiedName::new(get("schema"), get("table")),
            column: get("column"),
        });
    }
    let p = value::path(cx, e)?.ok_or_else(bad)?;
    let kind = match p.root {
        "table" => Kind::Table,
        "view" => Kind::View,
        "materialized" => Kind::Materialized,
        _ => return Err(bad()),
    };
    let k = p.steps.len();
    if k < 3 || p.steps[k - 2].0 != "column" {
        return Err(bad());
    }
    let table = names.resolve(cx, kind, &p.steps[..k - 2], p.span.clone())?;
    let column = p.steps[k - 1].0.clone();
    if !names.has_column(kind, &table, &column) {
        return Err(cx.err(
            p.steps[k - 1].1.clone(),
            format!("column `{column}` is not defined in `{table}`"),
            "dangling reference",
            format!("add `column \"{column}\"` to `{table}` or fix the name"),
        ));
    }
    Ok(ColumnRef { table, column })
}

pub(crate) fn extension(cx: Cx<'_>, b: &Block, name: QualifiedName) -> R<Extension> {
    let n = Node::new(
        cx,
        &b.body,
        "extension",
        &["schema", "version", "comment"],
        &[],
    )?;
    // The extension's schema may be one this file does not describe (e.g. `pg_catalog`).
    let schema = required(cx, &n, b, "schema", |e| schema_name(cx, e))?;
    let version = n.str(cx, "version")?.unwrap_or_default();
    let _ = b.ident.span();
    Ok(Extension {
        name: name.name,
        schema,
        version,
        comment: n.str(cx, "comment")?,
    })
}
