//! `table` blocks.

use std::collections::HashSet;

use hcl::edit::Span;
use hcl::edit::expr::Expression;
use hcl::edit::structure::Block;

use crate::model::{
    Check, Column, Deferrable, FkAction, ForeignKey, Identity, PartitionOf, PrimaryKey,
    QualifiedName, Table, UniqueConstraint,
};
use crate::render::refs::Kind;

use super::index::{exclusion, index, partition};
use super::names::Names;
use super::value::{self, Cx, Node, R};

/// The column names of the table being read, for `column.x` references.
pub(crate) struct Columns<'a> {
    pub(crate) table: &'a QualifiedName,
    pub(crate) names: HashSet<&'a str>,
}

impl Columns<'_> {
    /// `column.x` → `x`, checked.
    pub(crate) fn column(&self, cx: Cx<'_>, e: &Expression) -> R<String> {
        match value::path(cx, e)? {
            Some(p) if p.root == "column" && p.steps.len() == 1 => {
                let name = &p.steps[0].0;
                if self.names.contains(name.as_str()) {
                    Ok(name.clone())
                } else {
                    Err(cx.err(
                        e.span(),
                        format!("column `{name}` is not defined in `{}`", self.table),
                        "dangling reference",
                        format!("add a `column \"{name}\"` block or fix the name"),
                    ))
                }
            }
            // Atlas also writes this table's columns fully qualified: `table.t.column.x`.
            Some(p)
                if p.root == "table"
                    && p.steps.len() >= 3
                    && p.steps[p.steps.len() - 2].0 == "column"
                    && p.steps[p.steps.len() - 3].0 == self.table.name =>
            {
                let name = &p.steps[p.steps.len() - 1].0;
                if self.names.contains(name.as_str()) {
                    Ok(name.clone())
                } else {
                    Err(cx.err(
                        e.span(),
                        format!("column `{name}` is not defined in `{}`", self.table),
                        "dangling reference",
                        format!("add a `column \"{name}\"` block or fix the name"),
                    ))
                }
            }
            _ => Err(cx.expected(e, "a column reference", "column.id")),
        }
    }

    pub(crate) fn list(&self, cx: Cx<'_>, e: &Expression) -> R<Vec<String>> {
        value::list(cx, e)?
            .into_iter()
            .map(|c| self.column(cx, c))
            .collect()
    }

    pub(crate) fn opt_list(&self, cx: Cx<'_>, e: Option<&Expression>) -> R<Vec<String>> {
        e.map(|e| self.list(cx, e))
            .transpose()
            .map(Option::unwrap_or_default)
    }
}

const TABLE_ATTRS: &[&str] = &[
    "schema",
    "comment",
    "unlogged",
    "inherits",
    "partition_of",
    "partition_bound",
];
const TABLE_BLOCKS: &[&str] = &[
    "column",
    "primary_key",
    "foreign_key",
    "index",
    "check",
    "unique",
    "exclude",
    "partition",
    "row_security",
];

pub(crate) fn table(cx: Cx<'_>, names: &Names, b: &Block, name: QualifiedName) -> R<Table> {
    let node = Node::new(cx, &b.body, "table", TABLE_ATTRS, TABLE_BLOCKS)?;
    let mut t = Table {
        comment: node.str(cx, "comment")?,
        unlogged: node.bool(cx, "unlogged")?,
        ..Table::default()
    };
    for cb in node.blocks("column") {
        t.columns.push(column(cx, names, cb)?);
    }
    let cols = Columns {
        table: &name,
        names: t.columns.iter().map(|c| c.name.as_str()).collect(),
    };
    if let Some(e) = node.get("inherits") {
        for p in value::list(cx, e)? {
            t.inherits.push(table_ref(cx, names, p)?);
        }
    }
    if let Some(e) = node.get("partition_of") {
        let bound = node.str(cx, "partition_bound")?.ok_or_else(|| {
            cx.err(
                e.span(),
                "`partition_of` without `partition_bound`",
                "partition of what range?",
                "add `partition_bound = \"FOR VALUES FROM (...) TO (...)\"` (or \"DEFAULT\")",
            )
        })?;
        t.partition_of = Some(PartitionOf {
            parent: table_ref(cx, names, e)?,
            bound,
        });
    }
    if let Some(pb) = node.single(cx, "primary_key")? {
        let labels = value::expect_labels(cx, pb, 0, 1, "primary_key { columns = [column.id] }")?;
        let n = Node::new(
            cx,
            &pb.body,
            "primary_key",
            &["columns", "include", "deferrable", "comment"],
            &[],
        )?;
        t.primary_key = Some(PrimaryKey {
            name: labels
                .first()
                .map_or_else(|| format!("{}_pkey", name.name), |l| (*l).to_owned()),
            columns: required(cx, &n, pb, "columns", |e| cols.list(cx, e))?,
            include: cols.opt_list(cx, n.get("include"))?,
            deferrable: deferrable(cx, &n)?,
            comment: n.str(cx, "comment")?,
        });
    }
    for fb in node.blocks("foreign_key") {
        t.foreign_keys.push(foreign_key(cx, names, &cols, fb)?);
    }
    for ib in node.blocks("index") {
        t.indexes.push(index(cx, &cols, ib)?);
    }
    for cb in node.blocks("check") {
        t.checks
            .push(check(cx, cb, &format!("{}_check", name.name))?);
    }
    for ub in node.blocks("unique") {
        let label =
            value::expect_labels(cx, ub, 1, 1, "unique \"t_a_key\" { columns = [column.a] }")?;
        let n = Node::new(
            cx,
            &ub.body,
            "unique",
            &[
                "columns",
                "include",
                "nulls_distinct",
                "deferrable",
                "comment",
            ],
            &[],
        )?;
        t.uniques.push(UniqueConstraint {
            name: label[0].to_owned(),
            columns: required(cx, &n, ub, "columns", |e| cols.list(cx, e))?,
            include: cols.opt_list(cx, n.get("include"))?,
            nulls_not_distinct: nulls_not_distinct(cx, &n)?,
            deferrable: deferrable(cx, &n)?,
            comment: n.str(cx, "comment")?,
        });
    }
    for xb in node.blocks("exclude") {
        t.exclusions.push(exclusion(cx, &cols, xb)?);
    }
    if let Some(pb) = node.single(cx, "partition")? {
        t.partition_by = Some(partition(cx, &cols, pb)?);
    }
    if let Some(rb) = node.single(cx, "row_security")? {
        let n = Node::new(cx, &rb.body, "row_security", &["enabled", "enforced"], &[])?;
        t.rls_enabled = n.bool(cx, "enabled")?;
        t.rls_forced = n.bool(cx, "enforced")?;
    }
    t.name = name;
    Ok(t)
}

/// A required attribute, read with `f`.
pub(crate) fn required<'b, T>(
    cx: Cx<'_>,
    n: &Node<'b>,
    b: &Block,
    key: &str,
    f: impl FnOnce(&'b Expression) -> R<T>,
) -> R<T> {
    match n.get(key) {
        Some(e) => f(e),
        None => Err(cx.err(
            b.ident.span(),
            format!("`{}` block has no `{key}` attribute", b.ident.as_str()),
            format!("missing `{key}`"),
            format!("add `{key} = ...`"),
        )),
    }
}

/// `table.t` / `table.s.t`, or `{ schema = "s", name = "t" }` for a table outside the file.
pub(crate) fn table_ref(cx: Cx<'_>, names: &Names, e: &Expression) -> R<QualifiedName> {
    if let Expression::Object(_) = e {
        let f = value::fields(cx, e)?;
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        return Ok(QualifiedName::new(get("schema"), get("name")));
    }
    match value::path(cx, e)? {
        Some(p) if p.root == "table" => names.resolve(cx, Kind::Table, &p.steps, p.span),
        _ => Err(cx.expected(e, "a table reference", "table.users")),
    }
}

const COLUMN_ATTRS: &[&str] = &[
    "null",
    "type",
    "default",
    "collate",
    "comment",
    "inherited",
    "as",
];

fn column(cx: Cx<'_>, names: &Names, b: &Block) -> R<Column> {
    let label = value::expect_labels(cx, b, 1, 1, "column \"id\" { type = integer }")?;
    let n = Node::new(cx, &b.body, "column", COLUMN_ATTRS, &["identity", "as"])?;
    let ty = required(cx, &n, b, "type", |e| super::ty(cx, names, e))?;
    let mut c = Column {
        name: label[0].to_owned(),
        // Atlas: a missing `null` means NOT NULL.
        nullable: n.bool(cx, "null")?,
        default: n
            .get("default")
            .map(|e| super::default(cx, e, &ty))
            .transpose()?,
        collation: n.str(cx, "collate")?,
        comment: n.str(cx, "comment")?,
        inherited: n.bool(cx, "inherited")?,
        ..Column::default()
    };
    if let Some(ib) = n.single(cx, "identity")? {
        let inode = Node::new(
            cx,
            &ib.body,
            "identity",
            &[
                "generated",
                "start",
                "increment",
                "min_value",
                "max_value",
                "cache",
                "cycle",
            ],
            &[],
        )?;
        let always = match inode.get("generated") {
            Some(e) => value::keyword(cx, e, &["ALWAYS", "BY_DEFAULT"])? == 0,
            None => false,
        };
        c.identity = Some(Identity {
            always,
            options: super::sequence_options(cx, &inode, &ty.to_sql())?,
        });
    }
    if let Some(e) = n.get("as") {
        c.generated = Some(value::string(cx, e)?);
    }
    if let Some(gb) = n.single(cx, "as")? {
        let g = Node::new(cx, &gb.body, "as", &["expr", "type"], &[])?;
        if let Some(e) = g.get("type") {
            c.generated_virtual = value::keyword(cx, e, &["STORED", "VIRTUAL"])? == 1;
        }
        c.generated = Some(required(cx, &g, gb, "expr", |e| value::string(cx, e))?);
    }
    c.ty = ty;
    Ok(c)
}

pub(crate) fn deferrable(cx: Cx<'_>, n: &Node<'_>) -> R<Deferrable> {
    Ok(match n.get("deferrable") {
        None => Deferrable::No,
        Some(e) => match value::keyword(cx, e, &["INITIALLY_IMMEDIATE", "INITIALLY_DEFERRED"])? {
            0 => Deferrable::InitiallyImmediate,
            _ => Deferrable::InitiallyDeferred,
        },
    })
}

pub(crate) fn nulls_not_distinct(cx: Cx<'_>, n: &Node<'_>) -> R<bool> {
    Ok(match n.get("nulls_distinct") {
        Some(e) => !value::boolean(cx, e)?,
        None => false,
    })
}

const ACTIONS: &[&str] = &[
    "NO_ACTION",
    "RESTRICT",
    "CASCADE",
    "SET_NULL",
    "SET_DEFAULT",
];

fn action(cx: Cx<'_>, n: &Node<'_>, key: &str) -> R<FkAction> {
    Ok(match n.get(key) {
        None => FkAction::NoAction,
        Some(e) => match value::keyword(cx, e, ACTIONS)? {
            0 => FkAction::NoAction,
            1 => FkAction::Restrict,
            2 => FkAction::Cascade,
            3 => FkAction::SetNull,
            _ => FkAction::SetDefault,
        },
    })
}

fn foreign_key(cx: Cx<'_>, names: &Names, cols: &Columns<'_>, b: &Block) -> R<ForeignKey> {
    let label = value::expect_labels(cx, b, 1, 1, "foreign_key \"t_a_fkey\" { ... }")?;
    let n = Node::new(
        cx,
        &b.body,
        "foreign_key",
        &[
            "columns",
            "ref_columns",
            "on_update",
            "on_delete",
            "match_full",
            "deferrable",
            "not_valid",
            "comment",
        ],
        &[],
    )?;
    let columns = required(cx, &n, b, "columns", |e| cols.list(cx, e))?;
    let refs = required(cx, &n, b, "ref_columns", |e| value::list(cx, e))?;
    let mut ref_table: Option<QualifiedName> = None;
    let mut ref_columns = Vec::with_capacity(refs.len());
    for r in refs {
        let (t, c) = match value::path(cx, r)? {
            // Atlas's schema-scoped files refer to their own table's columns as `column.x`.
            Some(p) if p.root == "column" => (cols.table.clone(), cols.column(cx, r)?),
            // A table outside this file (rendered from a schema-filtered inspection).
            None if matches!(r, Expression::Object(_)) => {
                let f = value::fields(cx, r)?;
                let get = |k: &str| f.get(k).cloned().unwrap_or_default();
                (
                    QualifiedName::new(get("schema"), get("table")),
                    get("column"),
                )
            }
            Some(p) if p.root == "table" && p.steps.len() >= 3 => {
                let k = p.steps.len();
                if p.steps[k - 2].0 != "column" {
                    return Err(cx.expected(r, "a column reference", "table.users.column.id"));
                }
                let t = names.resolve(cx, Kind::Table, &p.steps[..k - 2], p.span.clone())?;
                let c = p.steps[k - 1].0.clone();
                if !names.has_column(Kind::Table, &t, &c) {
                    return Err(cx.err(
                        p.steps[k - 1].1.clone(),
                        format!("column `{c}` is not defined in `{t}`"),
                        "dangling reference",
                        format!("add `column \"{c}\"` to table `{t}` or fix the name"),
                    ));
                }
                (t, c)
            }
            _ => return Err(cx.expected(r, "a column reference", "table.users.column.id")),
        };
        if ref_table.as_ref().is_some_and(|rt| *rt != t) {
            return Err(cx.err(
                r.span(),
                "all `ref_columns` must belong to one table",
                "different table",
                "a foreign key references columns of a single table",
            ));
        }
        ref_table = Some(t);
        ref_columns.push(c);
    }
    let Some(ref_table) = ref_table else {
        return Err(cx.err(
            b.ident.span(),
            "`ref_columns` is empty",
            "no referenced columns",
            "list the referenced columns: `ref_columns = [table.users.column.id]`",
        ));
    };
    Ok(ForeignKey {
        name: label[0].to_owned(),
        columns,
        ref_table,
        ref_columns,
        on_update: action(cx, &n, "on_update")?,
        on_delete: action(cx, &n, "on_delete")?,
        match_full: n.bool(cx, "match_full")?,
        deferrable: deferrable(cx, &n)?,
        not_valid: n.bool(cx, "not_valid")?,
        comment: n.str(cx, "comment")?,
    })
}

/// `check "name" { expr ... }` on tables and domains.
pub(crate) fn check(cx: Cx<'_>, b: &Block, default_name: &str) -> R<Check> {
    let label = value::expect_labels(cx, b, 0, 1, "check \"positive\" { expr = \"(a > 0)\" }")?;
    let n = Node::new(
        cx,
        &b.body,
        "check",
        &["expr", "no_inherit", "not_valid", "comment"],
        &[],
    )?;
    Ok(Check {
        name: label
            .first()
            .map_or_else(|| default_name.to_owned(), |l| (*l).to_owned()),
        expr: required(cx, &n, b, "expr", |e| value::string(cx, e))?,
        no_inherit: n.bool(cx, "no_inherit")?,
        not_valid: n.bool(cx, "not_valid")?,
        comment: n.str(cx, "comment")?,
    })
}
