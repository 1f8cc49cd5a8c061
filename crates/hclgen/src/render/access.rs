//! `collation`, `permission`, `owner` and `default_permission` blocks (see
//! `docs/hcl-format.md`). `permission` follows Atlas's block of that name (`for`, `to`,
//! `privileges`, `grantable`); `owner` and `default_permission` have no Atlas counterpart.

use std::collections::{BTreeMap, HashMap};

use crate::model::{
    Collation, Database, DefaultPermission, Grantee, ObjectRef, Privilege, QualifiedName,
};

use super::refs::{Kind, Refs};
use super::writer::{Body, list, quote};

/// `collation "name" { ... }`, with a schema label when the name is in several schemas.
pub(crate) fn collations(root: &mut Body, db: &Database) {
    let mut schemas_by_name: HashMap<&str, usize> = HashMap::new();
    for c in &db.collations {
        *schemas_by_name.entry(c.name.name.as_str()).or_default() += 1;
    }
    for c in &db.collations {
        let labels: Vec<&str> = if schemas_by_name.get(c.name.name.as_str()) > Some(&1) {
            vec![&c.name.schema, &c.name.name]
        } else {
            vec![&c.name.name]
        };
        collation(root.block("collation", &labels), c);
    }
}

fn collation(b: &mut Body, c: &Collation) {
    b.attr("schema", Refs::schema(&c.name.schema));
    b.attr("provider", c.provider.keyword());
    b.opt_str("locale", c.locale.as_ref());
    b.opt_str("lc_collate", c.lc_collate.as_ref());
    b.opt_str("lc_ctype", c.lc_ctype.as_ref());
    if !c.deterministic {
        b.attr("deterministic", "false");
    }
    b.opt_str("rules", c.rules.as_ref());
    b.opt_str("comment", c.comment.as_ref());
}

/// `{ schema = "s", <kind> = "name", ... }` for an object the file does not describe.
fn object_literal(kind: &str, name: &QualifiedName, extra: &[(&str, &str)]) -> String {
    let mut out = format!(
        "{{ schema = {}, {kind} = {}",
        quote(&name.schema),
        quote(&name.name)
    );
    for (k, v) in extra {
        out.push_str(&format!(", {k} = {}", quote(v)));
    }
    out.push_str(" }");
    out
}

/// The `for` reference of a permission or owner.
pub(crate) fn object(refs: &Refs<'_>, o: &ObjectRef) -> String {
    let relation = |kind: Kind, word: &str, n: &QualifiedName| {
        if refs.contains(kind, n) {
            refs.object(kind, n)
        } else {
            object_literal(word, n, &[])
        }
    };
    match o {
        ObjectRef::Schema(s) => Refs::schema(s),
        ObjectRef::Table(n) => relation(Kind::Table, "table", n),
        ObjectRef::View(n) => relation(Kind::View, "view", n),
        ObjectRef::MaterializedView(n) => relation(Kind::Materialized, "materialized", n),
        ObjectRef::Sequence(n) => relation(Kind::Sequence, "sequence", n),
        ObjectRef::Domain(n) => relation(Kind::Domain, "domain", n),
        ObjectRef::Type(n) => match refs.type_kind(n) {
            Some(kind) => refs.object(kind, n),
            None => object_literal("type", n, &[]),
        },
        ObjectRef::Column(c) => refs.column_ref(c),
        ObjectRef::Function(f) | ObjectRef::Procedure(f) => refs.function(f).unwrap_or_else(|| {
            let word = if matches!(o, ObjectRef::Procedure(_)) {
                "procedure"
            } else {
                "function"
            };
            object_literal(word, &f.name, &[("args", &f.args)])
        }),
    }
}

fn grantee(g: &Grantee) -> String {
    match g {
        Grantee::Public => "PUBLIC".to_owned(),
        Grantee::Role(r) => quote(r),
    }
}

fn privileges(list_of: &[Privilege]) -> String {
    list(list_of.iter().map(|p| p.keyword().to_owned()))
}

/// One `permission` block per object, grantee, grant option and revocation.
pub(crate) fn permissions(root: &mut Body, refs: &Refs<'_>, db: &Database) {
    let mut grouped: BTreeMap<(&ObjectRef, &Grantee, bool, bool), Vec<Privilege>> = BTreeMap::new();
    for p in &db.permissions {
        grouped
            .entry((&p.object, &p.grantee, p.revoked, p.grantable))
            .or_default()
            .push(p.privilege);
    }
    for ((o, g, revoked, grantable), list_of) in grouped {
        let b = root.block("permission", &[]);
        b.attr("for", object(refs, o));
        b.attr("to", grantee(g));
        b.attr("privileges", privileges(&list_of));
        b.flag("grantable", grantable);
        b.flag("revoked", revoked);
    }
}

/// One `owner` block per object whose owner is not the database's.
pub(crate) fn owners(root: &mut Body, refs: &Refs<'_>, db: &Database) {
    for o in &db.owners {
        let b = root.block("owner", &[]);
        b.attr("for", object(refs, &o.object));
        b.attr("role", quote(&o.role));
    }
}

/// One `default_permission` block per role, schema, object kind, grantee and option.
pub(crate) fn default_permissions(root: &mut Body, db: &Database) {
    type Key<'a> = (
        &'a str,
        Option<&'a String>,
        crate::model::DefaultObjects,
        &'a Grantee,
        bool,
        bool,
    );
    let mut grouped: BTreeMap<Key<'_>, Vec<Privilege>> = BTreeMap::new();
    for d in &db.default_permissions {
        let DefaultPermission {
            role,
            schema,
            on,
            grantee,
            privilege,
            grantable,
            revoked,
        } = d;
        grouped
            .entry((role, schema.as_ref(), *on, grantee, *revoked, *grantable))
            .or_default()
            .push(*privilege);
    }
    for ((role, schema, on, g, revoked, grantable), list_of) in grouped {
        let b = root.block("default_permission", &[]);
        b.attr("role", quote(role));
        if let Some(s) = schema {
            b.attr("schema", Refs::schema(s));
        }
        b.attr("on", on.keyword());
        b.attr("to", grantee(g));
        b.attr("privileges", privileges(&list_of));
        b.flag("grantable", grantable);
        b.flag("revoked", revoked);
    }
}
