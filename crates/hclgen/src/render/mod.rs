//! `Database` → Atlas-style HCL, deterministically (see `docs/hcl-format.md`).
//!
//! Top-level block order: `table`, `view`, `materialized`, `function`, `procedure`, `trigger`,
//! `policy`, `sequence`, `enum`, `domain`, `composite`, `range`, `collation`, `extension`,
//! `schema`, then `permission`, `owner` and `default_permission` (Atlas puts tables first and
//! schemas last; the kinds it has no OSS output for sit in between; privileges refer to
//! everything, so they close the file).

mod access;
mod objects;
pub(crate) mod refs;
pub(crate) mod routines;
mod table;
pub(crate) mod writer;

#[cfg(test)]
mod tests;

use crate::model::Database;
use refs::Refs;
use writer::Body;

/// Renders the model as HCL. Equal models give byte-identical text; the model is expected to be
/// [`Database::normalize`]d (render does not sort).
pub fn render(db: &Database) -> String {
    let refs = Refs::new(db);
    let mut root = Body::default();
    for t in &db.tables {
        table::table(&mut root, &refs, t);
    }
    for v in db.views.iter().filter(|v| !v.materialized) {
        routines::view(&mut root, &refs, v);
    }
    for v in db.views.iter().filter(|v| v.materialized) {
        routines::view(&mut root, &refs, v);
    }
    for f in &db.functions {
        routines::function(&mut root, &refs, f);
    }
    for t in &db.triggers {
        routines::trigger(&mut root, &refs, t);
    }
    for p in &db.policies {
        routines::policy(&mut root, &refs, p);
    }
    for s in &db.sequences {
        objects::sequence(&mut root, &refs, s);
    }
    for e in &db.enums {
        objects::enumeration(&mut root, &refs, e);
    }
    for d in &db.domains {
        objects::domain(&mut root, &refs, d);
    }
    for c in &db.composites {
        objects::composite(&mut root, &refs, c);
    }
    for r in &db.ranges {
        objects::range(&mut root, &refs, r);
    }
    access::collations(&mut root, db);
    for e in &db.extensions {
        objects::extension(&mut root, &refs, e);
    }
    for s in &db.schemas {
        let b = root.block("schema", &[&s.name]);
        b.opt_str("comment", s.comment.as_ref());
    }
    access::permissions(&mut root, &refs, db);
    access::owners(&mut root, &refs, db);
    access::default_permissions(&mut root, db);
    let mut out = String::new();
    root.write(&mut out, 0);
    out
}
