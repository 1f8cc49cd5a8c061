//! Type-level and database-level blocks: `sequence`, `enum`, `domain`, `composite`, `range`,
//! `extension`.

use crate::model::{Composite, Domain, Enum, Extension, RangeType, Sequence};

use super::refs::{Kind, Refs};
use super::table::sequence_options;
use super::writer::{Body, list, quote};

pub(crate) fn sequence(root: &mut Body, refs: &Refs<'_>, s: &Sequence) {
    let b = root.block("sequence", &refs.labels(Kind::Sequence, &s.name));
    b.attr("schema", Refs::schema(&s.name.schema));
    b.attr("type", refs.ty(&s.ty));
    sequence_options(b, &s.options, &s.ty.to_sql());
    b.opt_attr("owner", s.owned_by.as_ref().map(|c| refs.column_ref(c)));
    b.opt_str("comment", s.comment.as_ref());
}

pub(crate) fn enumeration(root: &mut Body, refs: &Refs<'_>, e: &Enum) {
    let b = root.block("enum", &refs.labels(Kind::Enum, &e.name));
    b.attr("schema", Refs::schema(&e.name.schema));
    b.attr("values", list(e.values.iter().map(|v| quote(v))));
    b.opt_str("comment", e.comment.as_ref());
}

pub(crate) fn domain(root: &mut Body, refs: &Refs<'_>, d: &Domain) {
    let b = root.block("domain", &refs.labels(Kind::Domain, &d.name));
    b.attr("schema", Refs::schema(&d.name.schema));
    b.attr("type", refs.ty(&d.ty));
    b.attr("null", (!d.not_null).to_string());
    b.opt_attr(
        "default",
        d.default.as_deref().map(|x| Refs::default(x, &d.ty)),
    );
    b.opt_str("collate", d.collation.as_ref());
    b.opt_str("comment", d.comment.as_ref());
    for c in &d.checks {
        let cb = b.block("check", &[&c.name]);
        cb.attr("expr", quote(&c.expr));
        cb.flag("no_inherit", c.no_inherit);
        cb.flag("not_valid", c.not_valid);
        cb.opt_str("comment", c.comment.as_ref());
    }
}

pub(crate) fn composite(root: &mut Body, refs: &Refs<'_>, c: &Composite) {
    let b = root.block("composite", &refs.labels(Kind::Composite, &c.name));
    b.attr("schema", Refs::schema(&c.name.schema));
    b.opt_str("comment", c.comment.as_ref());
    for f in &c.fields {
        let fb = b.block("field", &[&f.name]);
        fb.attr("type", refs.ty(&f.ty));
        fb.opt_str("collate", f.collation.as_ref());
        fb.opt_str("comment", f.comment.as_ref());
    }
}

pub(crate) fn range(root: &mut Body, refs: &Refs<'_>, r: &RangeType) {
    let b = root.block("range", &refs.labels(Kind::Range, &r.name));
    b.attr("schema", Refs::schema(&r.name.schema));
    b.attr("subtype", refs.ty(&r.subtype));
    b.opt_str("subtype_opclass", r.subtype_opclass.as_ref());
    b.opt_str("collate", r.collation.as_ref());
    b.opt_str("canonical", r.canonical.as_ref());
    b.opt_str("subtype_diff", r.subtype_diff.as_ref());
    b.opt_str("multirange", r.multirange.as_ref());
    b.opt_str("comment", r.comment.as_ref());
}

pub(crate) fn extension(root: &mut Body, _refs: &Refs<'_>, e: &Extension) {
    let b = root.block("extension", &[&e.name]);
    b.attr("schema", Refs::schema(&e.schema));
    b.attr("version", quote(&e.version));
    b.opt_str("comment", e.comment.as_ref());
}
