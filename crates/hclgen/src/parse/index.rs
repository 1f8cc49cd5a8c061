//! Index-like parts of a table: `index`, `exclude`, `partition`, and their `on {}` / `by {}`
//! parts.

use hcl::edit::Span;
use hcl::edit::expr::Expression;
use hcl::edit::structure::Block;

use crate::model::{
    Exclusion, ExclusionElement, Index, IndexKey, IndexPart, PartitionKey, PartitionStrategy,
};

use super::table::{Columns, deferrable, nulls_not_distinct, required};
use super::value::{self, Cx, Node, R};

/// `type = GIN` / `type = "hnsw"`; `btree` when absent.
pub(crate) fn method(cx: Cx<'_>, n: &Node<'_>) -> R<String> {
    Ok(match n.get("type") {
        None => "btree".to_owned(),
        Some(Expression::Variable(v)) => v.as_str().to_ascii_lowercase(),
        Some(e) => value::string(cx, e)?,
    })
}

/// `ops = jsonb_path_ops` / `"..."` / `sql("...")`.
fn opclass(cx: Cx<'_>, e: &Expression) -> R<String> {
    if let Some(s) = value::sql_call(cx, e) {
        return s;
    }
    match e {
        Expression::Variable(v) => Ok(v.as_str().to_owned()),
        _ => value::string(cx, e),
    }
}

const PART_ATTRS: &[&str] = &[
    "column",
    "expr",
    "desc",
    "nulls_first",
    "nulls_last",
    "ops",
    "collate",
];

/// One `on {}` / `by {}` part; `extra` are further allowed attributes (`op`).
pub(crate) fn part<'b>(
    cx: Cx<'_>,
    cols: &Columns<'_>,
    b: &'b Block,
    extra: &[&str],
) -> R<(IndexPart, Node<'b>)> {
    let allowed: Vec<&str> = PART_ATTRS.iter().chain(extra).copied().collect();
    let n = Node::new(cx, &b.body, b.ident.as_str(), &allowed, &[])?;
    let key = match (n.get("column"), n.get("expr")) {
        (Some(c), None) => IndexKey::Column(cols.column(cx, c)?),
        (None, Some(e)) => IndexKey::Expr(value::string(cx, e)?),
        _ => {
            return Err(cx.err(
                b.ident.span(),
                "an index part needs exactly one of `column` and `expr`",
                "here",
                "write `column = column.x` or `expr = \"lower(name)\"`",
            ));
        }
    };
    let desc = n.bool(cx, "desc")?;
    let mut nulls_first = desc;
    if let Some(e) = n.get("nulls_first") {
        nulls_first = value::boolean(cx, e)?;
    }
    if let Some(e) = n.get("nulls_last") {
        nulls_first = !value::boolean(cx, e)?;
    }
    let part = IndexPart {
        key,
        desc,
        nulls_first,
        opclass: n.get("ops").map(|e| opclass(cx, e)).transpose()?,
        collation: n.str(cx, "collate")?,
    };
    Ok((part, n))
}

fn plain_parts(cx: Cx<'_>, cols: &Columns<'_>, e: &Expression) -> R<Vec<IndexPart>> {
    Ok(cols
        .list(cx, e)?
        .into_iter()
        .map(|c| IndexPart {
            key: IndexKey::Column(c),
            ..IndexPart::default()
        })
        .collect())
}

pub(crate) fn index(cx: Cx<'_>, cols: &Columns<'_>, b: &Block) -> R<Index> {
    let label = value::expect_labels(cx, b, 1, 1, "index \"t_a_idx\" { columns = [column.a] }")?;
    let n = Node::new(
        cx,
        &b.body,
        "index",
        &[
            "unique",
            "columns",
            "comment",
            "type",
            "where",
            "nulls_distinct",
            "include",
            "with",
            "page_per_range",
        ],
        &["on"],
    )?;
    let mut parts = match n.get("columns") {
        Some(e) => plain_parts(cx, cols, e)?,
        None => Vec::new(),
    };
    for ob in n.blocks("on") {
        parts.push(part(cx, cols, ob, &[])?.0);
    }
    let mut with = match n.get("with") {
        Some(e) => value::list(cx, e)?
            .into_iter()
            .map(|w| value::string(cx, w))
            .collect::<R<Vec<_>>>()?,
        None => Vec::new(),
    };
    if let Some(e) = n.get("page_per_range") {
        with.push(format!("pages_per_range={}", value::integer(cx, e)?));
        with.sort();
    }
    Ok(Index {
        name: label[0].to_owned(),
        unique: n.bool(cx, "unique")?,
        method: method(cx, &n)?,
        parts,
        include: cols.opt_list(cx, n.get("include"))?,
        predicate: n.str(cx, "where")?,
        nulls_not_distinct: nulls_not_distinct(cx, &n)?,
        with,
        comment: n.str(cx, "comment")?,
    })
}

pub(crate) fn exclusion(cx: Cx<'_>, cols: &Columns<'_>, b: &Block) -> R<Exclusion> {
    let label = value::expect_labels(cx, b, 1, 1, "exclude \"no_overlap\" { ... }")?;
    let n = Node::new(
        cx,
        &b.body,
        "exclude",
        &["type", "where", "include", "deferrable", "comment"],
        &["on"],
    )?;
    let mut elements = Vec::new();
    for ob in n.blocks("on") {
        let (part, pn) = part(cx, cols, ob, &["op"])?;
        let operator = required(cx, &pn, ob, "op", |e| value::string(cx, e))?;
        elements.push(ExclusionElement { part, operator });
    }
    Ok(Exclusion {
        name: label[0].to_owned(),
        method: method(cx, &n)?,
        elements,
        include: cols.opt_list(cx, n.get("include"))?,
        predicate: n.str(cx, "where")?,
        deferrable: deferrable(cx, &n)?,
        comment: n.str(cx, "comment")?,
    })
}

pub(crate) fn partition(cx: Cx<'_>, cols: &Columns<'_>, b: &Block) -> R<PartitionKey> {
    let n = Node::new(cx, &b.body, "partition", &["type", "columns"], &["by"])?;
    let strategy = match required(cx, &n, b, "type", |e| {
        value::keyword(cx, e, &["RANGE", "LIST", "HASH"])
    })? {
        0 => PartitionStrategy::Range,
        1 => PartitionStrategy::List,
        _ => PartitionStrategy::Hash,
    };
    let mut parts = match n.get("columns") {
        Some(e) => plain_parts(cx, cols, e)?,
        None => Vec::new(),
    };
    for bb in n.blocks("by") {
        parts.push(part(cx, cols, bb, &[])?.0);
    }
    Ok(PartitionKey { strategy, parts })
}
