//! Every SQL expression text a schema model holds that PostgreSQL parses when the object is
//! created (defaults, generated columns, checks, index expressions and predicates, view bodies,
//! policies, trigger conditions, domain defaults and checks). Function bodies are left out: a
//! plan creates functions with `check_function_bodies = off`, so their text is not parsed then.

use hclgen::{Database, IndexKey, IndexPart, Table};

/// The expression texts of `db`, in model order.
pub(crate) fn expressions(db: &Database) -> Vec<&str> {
    let mut out = Vec::new();
    visit(db, &mut |_, e| out.push(e));
    out
}

/// Whether an object present on both sides holds an expression whose text differs between
/// them. Only such a pair can compare differently once both sides are in the server's printed
/// form: an object on one side only is created or dropped whatever its text, and equal texts
/// stay equal. When this is false, putting the schemas in the server's form (a scratch
/// server building both) cannot change the plan, and callers skip it.
pub fn shared_expressions_differ(from: &Database, to: &Database) -> bool {
    let mut before = std::collections::HashMap::new();
    visit(from, &mut |key, e| {
        before.insert(key, e);
    });
    let mut differ = false;
    visit(to, &mut |key, e| {
        differ |= before.get(&key).is_some_and(|b| *b != e);
    });
    differ
}

/// The path of an expression in a model: the object's kind and names, then which of its
/// expressions. Names are joined with NUL, which no PostgreSQL name holds.
type Key = String;

fn key(parts: &[&str]) -> Key {
    parts.join("\0")
}

/// Calls `f` with each expression of `db` and its path, in model order.
fn visit<'a>(db: &'a Database, f: &mut impl FnMut(Key, &'a str)) {
    for d in &db.domains {
        let (s, n) = (d.name.schema.as_str(), d.name.name.as_str());
        if let Some(e) = d.default.as_deref() {
            f(key(&["domain", s, n, "default"]), e);
        }
        for c in &d.checks {
            f(key(&["domain", s, n, "check", &c.name]), &c.expr);
        }
    }
    for t in &db.tables {
        table_expressions(t, f);
    }
    for v in &db.views {
        let owner = ["view", v.name.schema.as_str(), v.name.name.as_str()];
        f(key(&[&owner[..], &["definition"]].concat()), &v.definition);
        for i in &v.indexes {
            index_expressions(&owner, &i.name, i.predicate.as_deref(), &i.parts, f);
        }
    }
    for p in &db.policies {
        let (s, t, n) = (
            p.table.schema.as_str(),
            p.table.name.as_str(),
            p.name.as_str(),
        );
        if let Some(e) = p.using.as_deref() {
            f(key(&["policy", s, t, n, "using"]), e);
        }
        if let Some(e) = p.check.as_deref() {
            f(key(&["policy", s, t, n, "check"]), e);
        }
    }
    for t in &db.triggers {
        if let Some(e) = t.when.as_deref() {
            let (s, n) = (t.table.schema.as_str(), t.table.name.as_str());
            f(key(&["trigger", s, n, &t.name, "when"]), e);
        }
    }
}

fn table_expressions<'a>(t: &'a Table, f: &mut impl FnMut(Key, &'a str)) {
    let owner = ["table", t.name.schema.as_str(), t.name.name.as_str()];
    let at = |rest: &[&str]| key(&[&owner[..], rest].concat());
    for c in &t.columns {
        if let Some(e) = c.default.as_deref() {
            f(at(&["column", &c.name, "default"]), e);
        }
        if let Some(e) = c.generated.as_deref() {
            f(at(&["column", &c.name, "generated"]), e);
        }
    }
    for c in &t.checks {
        f(at(&["check", &c.name]), &c.expr);
    }
    for i in &t.indexes {
        index_expressions(&owner, &i.name, i.predicate.as_deref(), &i.parts, f);
    }
    for x in &t.exclusions {
        if let Some(e) = x.predicate.as_deref() {
            f(at(&["exclusion", &x.name, "where"]), e);
        }
        for (n, el) in x.elements.iter().enumerate() {
            if let IndexKey::Expr(e) = &el.part.key {
                f(at(&["exclusion", &x.name, &n.to_string()]), e);
            }
        }
    }
}

fn index_expressions<'a>(
    owner: &[&str],
    name: &str,
    predicate: Option<&'a str>,
    parts: &'a [IndexPart],
    f: &mut impl FnMut(Key, &'a str),
) {
    let at = |rest: &[&str]| key(&[owner, &["index", name], rest].concat());
    if let Some(e) = predicate {
        f(at(&["where"]), e);
    }
    for (n, p) in parts.iter().enumerate() {
        if let IndexKey::Expr(e) = &p.key {
            f(at(&[&n.to_string()]), e);
        }
    }
}

/// Whether some expression spells `label` as a string literal (`'label'`, quotes doubled).
pub(crate) fn uses_literal(expressions: &[&str], label: &str) -> bool {
    let literal = format!("'{}'", label.replace('\'', "''"));
    expressions.iter().any(|e| e.contains(&literal))
}
