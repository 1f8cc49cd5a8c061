//! Every SQL expression text a schema model holds that PostgreSQL parses when the object is
//! created (defaults, generated columns, checks, index expressions and predicates, view bodies,
//! policies, trigger conditions, domain defaults and checks). Function bodies are left out: a
//! plan creates functions with `check_function_bodies = off`, so their text is not parsed then.

use hclgen::{Database, IndexKey, Table};

/// The expression texts of `db`, in model order.
pub(crate) fn expressions(db: &Database) -> Vec<&str> {
    let mut out = Vec::new();
    for d in &db.domains {
        out.extend(d.default.as_deref());
        out.extend(d.checks.iter().map(|c| c.expr.as_str()));
    }
    for t in &db.tables {
        table_expressions(t, &mut out);
    }
    for v in &db.views {
        out.push(v.definition.as_str());
        for i in &v.indexes {
            out.extend(i.predicate.as_deref());
            out.extend(i.parts.iter().filter_map(|p| match &p.key {
                IndexKey::Expr(e) => Some(e.as_str()),
                IndexKey::Column(_) => None,
            }));
        }
    }
    for p in &db.policies {
        out.extend(p.using.as_deref());
        out.extend(p.check.as_deref());
    }
    for t in &db.triggers {
        out.extend(t.when.as_deref());
    }
    out
}

fn table_expressions<'a>(t: &'a Table, out: &mut Vec<&'a str>) {
    for c in &t.columns {
        out.extend(c.default.as_deref());
        out.extend(c.generated.as_deref());
    }
    out.extend(t.checks.iter().map(|c| c.expr.as_str()));
    for i in &t.indexes {
        out.extend(i.predicate.as_deref());
        out.extend(i.parts.iter().filter_map(|p| match &p.key {
            IndexKey::Expr(e) => Some(e.as_str()),
            IndexKey::Column(_) => None,
        }));
    }
    for x in &t.exclusions {
        out.extend(x.predicate.as_deref());
        out.extend(x.elements.iter().filter_map(|e| match &e.part.key {
            IndexKey::Expr(e) => Some(e.as_str()),
            IndexKey::Column(_) => None,
        }));
    }
}

/// Whether some expression spells `label` as a string literal (`'label'`, quotes doubled).
pub(crate) fn uses_literal(expressions: &[&str], label: &str) -> bool {
    let literal = format!("'{}'", label.replace('\'', "''"));
    expressions.iter().any(|e| e.contains(&literal))
}
