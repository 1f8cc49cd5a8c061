//! `table` blocks: columns, keys, indexes, constraints, partitioning.

use crate::model::{
    Column, ColumnRef, Deferrable, Exclusion, FkAction, ForeignKey, Index, IndexKey, IndexPart,
    PartitionKey, PartitionStrategy, SequenceOptions, Table,
};

use super::refs::{Kind, Refs};
use super::writer::{Body, list, quote, text_block};

pub(crate) fn table(root: &mut Body, refs: &Refs<'_>, t: &Table) {
    let b = root.block("table", &refs.labels(Kind::Table, &t.name));
    b.attr("schema", Refs::schema(&t.name.schema));
    b.opt_str("comment", t.comment.as_ref());
    b.flag("unlogged", t.unlogged);
    if !t.inherits.is_empty() {
        b.attr("inherits", list(t.inherits.iter().map(|p| refs.table(p))));
    }
    if let Some(p) = &t.partition_of {
        b.attr("partition_of", refs.table(&p.parent));
        b.attr("partition_bound", quote(&p.bound));
    }
    for c in &t.columns {
        column(b, refs, c);
    }
    if let Some(pk) = &t.primary_key {
        let default_name = format!("{}_pkey", t.name.name);
        let labels: Vec<&str> = if pk.name == default_name {
            vec![]
        } else {
            vec![&pk.name]
        };
        let p = b.block("primary_key", &labels);
        p.attr("columns", columns(&pk.columns));
        if !pk.include.is_empty() {
            p.attr("include", columns(&pk.include));
        }
        deferrable(p, pk.deferrable);
        p.opt_str("comment", pk.comment.as_ref());
    }
    for fk in &t.foreign_keys {
        foreign_key(b, refs, fk);
    }
    for ix in &t.indexes {
        index(b, ix, 1);
    }
    for c in &t.checks {
        let cb = b.block("check", &[&c.name]);
        cb.attr("expr", quote(&c.expr));
        cb.flag("no_inherit", c.no_inherit);
        cb.flag("not_valid", c.not_valid);
        cb.opt_str("comment", c.comment.as_ref());
    }
    for u in &t.uniques {
        let ub = b.block("unique", &[&u.name]);
        ub.attr("columns", columns(&u.columns));
        if !u.include.is_empty() {
            ub.attr("include", columns(&u.include));
        }
        if u.nulls_not_distinct {
            ub.attr("nulls_distinct", "false");
        }
        deferrable(ub, u.deferrable);
        ub.opt_str("comment", u.comment.as_ref());
    }
    for x in &t.exclusions {
        exclusion(b, x, 1);
    }
    if let Some(pk) = &t.partition_by {
        partition(b, pk);
    }
    if t.rls_enabled || t.rls_forced {
        let r = b.block("row_security", &[]);
        r.attr("enabled", t.rls_enabled.to_string());
        r.attr("enforced", t.rls_forced.to_string());
    }
}

fn column(b: &mut Body, refs: &Refs<'_>, c: &Column) {
    let cb = b.block("column", &[&c.name]);
    cb.attr("null", c.nullable.to_string());
    cb.attr("type", refs.ty(&c.ty));
    cb.opt_attr(
        "default",
        c.default.as_deref().map(|d| Refs::default(d, &c.ty)),
    );
    cb.opt_str("collate", c.collation.as_ref());
    cb.opt_str("comment", c.comment.as_ref());
    cb.flag("inherited", c.inherited);
    if let Some(id) = &c.identity {
        let ib = cb.block("identity", &[]);
        ib.attr("generated", if id.always { "ALWAYS" } else { "BY_DEFAULT" });
        sequence_options(ib, &id.options, &c.ty.to_sql());
    }
    if let Some(expr) = &c.generated {
        let gb = cb.block("as", &[]);
        gb.attr("expr", quote(expr));
        gb.attr(
            "type",
            if c.generated_virtual {
                "VIRTUAL"
            } else {
                "STORED"
            },
        );
    }
}

/// Options that differ from PostgreSQL's defaults for the type, one attribute each.
pub(crate) fn sequence_options(b: &mut Body, o: &SequenceOptions, ty: &str) {
    let d = SequenceOptions::defaults_for(ty);
    let fields = [
        ("start", o.start, d.start),
        ("increment", o.increment, d.increment),
        ("min_value", o.min_value, d.min_value),
        ("max_value", o.max_value, d.max_value),
        ("cache", o.cache, d.cache),
    ];
    for (k, v, dv) in fields {
        if v != dv {
            b.attr(k, v.to_string());
        }
    }
    b.flag("cycle", o.cycle);
}

pub(crate) fn columns(names: &[String]) -> String {
    list(names.iter().map(|c| Refs::column(c)))
}

pub(crate) fn deferrable(b: &mut Body, d: Deferrable) {
    match d {
        Deferrable::No => {}
        Deferrable::InitiallyImmediate => b.attr("deferrable", "INITIALLY_IMMEDIATE"),
        Deferrable::InitiallyDeferred => b.attr("deferrable", "INITIALLY_DEFERRED"),
    }
}

fn action(a: FkAction) -> &'static str {
    match a {
        FkAction::NoAction => "NO_ACTION",
        FkAction::Restrict => "RESTRICT",
        FkAction::Cascade => "CASCADE",
        FkAction::SetNull => "SET_NULL",
        FkAction::SetDefault => "SET_DEFAULT",
    }
}

fn foreign_key(b: &mut Body, refs: &Refs<'_>, fk: &ForeignKey) {
    let fb = b.block("foreign_key", &[&fk.name]);
    fb.attr("columns", columns(&fk.columns));
    fb.attr(
        "ref_columns",
        list(fk.ref_columns.iter().map(|c| {
            refs.column_ref(&ColumnRef {
                table: fk.ref_table.clone(),
                column: c.clone(),
            })
        })),
    );
    fb.attr("on_update", action(fk.on_update));
    fb.attr("on_delete", action(fk.on_delete));
    fb.flag("match_full", fk.match_full);
    deferrable(fb, fk.deferrable);
    fb.flag("not_valid", fk.not_valid);
    fb.opt_str("comment", fk.comment.as_ref());
}

/// `GIN` for the built-in methods, a string for others; `btree` is the default and omitted.
pub(crate) fn method(m: &str) -> Option<String> {
    match m {
        "btree" => None,
        "gin" | "gist" | "brin" | "hash" | "spgist" => Some(m.to_ascii_uppercase()),
        other => Some(quote(other)),
    }
}

fn is_plain(p: &IndexPart) -> bool {
    matches!(p.key, IndexKey::Column(_))
        && !p.desc
        && !p.nulls_first
        && p.opclass.is_none()
        && p.collation.is_none()
}

/// `index` blocks of tables and materialized views; `depth` is the nesting of the block.
pub(crate) fn index(b: &mut Body, ix: &Index, depth: usize) {
    let ib = b.block("index", &[&ix.name]);
    ib.flag("unique", ix.unique);
    let plain = !ix.parts.is_empty() && ix.parts.iter().all(is_plain);
    if plain {
        ib.attr(
            "columns",
            list(ix.parts.iter().map(|p| match &p.key {
                IndexKey::Column(c) => Refs::column(c),
                IndexKey::Expr(e) => quote(e),
            })),
        );
    }
    ib.opt_str("comment", ix.comment.as_ref());
    ib.opt_attr("type", method(&ix.method));
    ib.opt_attr(
        "where",
        ix.predicate.as_deref().map(|w| text_block(w, depth + 1)),
    );
    if ix.nulls_not_distinct {
        ib.attr("nulls_distinct", "false");
    }
    if !ix.include.is_empty() {
        ib.attr("include", columns(&ix.include));
    }
    // Atlas spells the one BRIN parameter it knows as `page_per_range`.
    let pages = match ix.with.as_slice() {
        [w] => w
            .strip_prefix("pages_per_range=")
            .filter(|n| super::refs::is_plain_int(n)),
        _ => None,
    };
    if let Some(n) = pages {
        ib.attr("page_per_range", n);
    } else if !ix.with.is_empty() {
        ib.attr("with", list(ix.with.iter().map(|w| quote(w))));
    }
    if !plain {
        for p in &ix.parts {
            part(ib.block("on", &[]), p);
        }
    }
}

/// The attributes of one `on {}` / `by {}` part.
pub(crate) fn part(b: &mut Body, p: &IndexPart) {
    match &p.key {
        IndexKey::Column(c) => b.attr("column", Refs::column(c)),
        IndexKey::Expr(e) => b.attr("expr", quote(e)),
    }
    b.flag("desc", p.desc);
    if p.nulls_first != p.desc {
        if p.desc {
            b.attr("nulls_last", "true");
        } else {
            b.attr("nulls_first", "true");
        }
    }
    b.opt_attr("ops", p.opclass.as_deref().map(opclass));
    b.opt_str("collate", p.collation.as_ref());
}

/// An operator class: a bare identifier when it is one, else a string.
fn opclass(o: &str) -> String {
    let ident = o
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && o.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !matches!(o, "true" | "false" | "null");
    if ident { o.to_owned() } else { quote(o) }
}

fn exclusion(b: &mut Body, x: &Exclusion, depth: usize) {
    let xb = b.block("exclude", &[&x.name]);
    xb.opt_attr("type", method(&x.method));
    xb.opt_attr(
        "where",
        x.predicate.as_deref().map(|w| text_block(w, depth + 1)),
    );
    if !x.include.is_empty() {
        xb.attr("include", columns(&x.include));
    }
    deferrable(xb, x.deferrable);
    xb.opt_str("comment", x.comment.as_ref());
    for e in &x.elements {
        let ob = xb.block("on", &[]);
        part(ob, &e.part);
        ob.attr("op", quote(&e.operator));
    }
}

fn partition(b: &mut Body, pk: &PartitionKey) {
    let pb = b.block("partition", &[]);
    pb.attr(
        "type",
        match pk.strategy {
            PartitionStrategy::Range => "RANGE",
            PartitionStrategy::List => "LIST",
            PartitionStrategy::Hash => "HASH",
        },
    );
    let plain = !pk.parts.is_empty() && pk.parts.iter().all(is_plain);
    if plain {
        pb.attr(
            "columns",
            list(pk.parts.iter().filter_map(|p| match &p.key {
                IndexKey::Column(c) => Some(Refs::column(c)),
                IndexKey::Expr(_) => None,
            })),
        );
    } else {
        for p in &pk.parts {
            part(pb.block("by", &[]), p);
        }
    }
}
