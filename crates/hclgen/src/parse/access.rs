//! `collation`, `permission`, `owner` and `default_permission` blocks.

use hcl::edit::Span;
use hcl::edit::expr::Expression;
use hcl::edit::structure::Block;

use crate::model::{
    Collation, CollationProvider, ColumnRef, DefaultObjects, DefaultPermission, FunctionRef,
    Grantee, ObjectRef, Owner, Permission, Privilege, QualifiedName,
};
use crate::render::refs::Kind;

use super::names::{Names, schema_name};
use super::objects::relation_column;
use super::routines::{Functions, function_ref};
use super::table::required;
use super::value::{self, Cx, Node, R};

const PROVIDERS: &[&str] = &["libc", "icu", "builtin"];

pub(crate) fn collation(cx: Cx<'_>, b: &Block) -> R<Collation> {
    let labels = value::expect_labels(cx, b, 1, 2, "collation \"ci\" { schema = schema.public }")?;
    let n = Node::new(
        cx,
        &b.body,
        "collation",
        &[
            "schema",
            "provider",
            "locale",
            "lc_collate",
            "lc_ctype",
            "deterministic",
            "rules",
            "comment",
        ],
        &[],
    )?;
    let schema = required(cx, &n, b, "schema", |e| schema_name(cx, e))?;
    let provider = match n.get("provider") {
        Some(e) => {
            let i = value::keyword(cx, e, PROVIDERS)?;
            CollationProvider::from_keyword(PROVIDERS[i]).unwrap_or_default()
        }
        None => CollationProvider::Libc,
    };
    let deterministic = match n.get("deterministic") {
        Some(e) => value::boolean(cx, e)?,
        None => true,
    };
    Ok(Collation {
        name: QualifiedName::new(schema, labels[labels.len() - 1]),
        provider,
        locale: n.str(cx, "locale")?,
        lc_collate: n.str(cx, "lc_collate")?,
        lc_ctype: n.str(cx, "lc_ctype")?,
        deterministic,
        rules: n.str(cx, "rules")?,
        comment: n.str(cx, "comment")?,
    })
}

/// `to = PUBLIC` or `to = "role"`.
fn grantee(cx: Cx<'_>, e: &Expression) -> R<Grantee> {
    if let Expression::Variable(v) = e
        && v.as_str() == "PUBLIC"
    {
        return Ok(Grantee::Public);
    }
    match e {
        Expression::String(_) => Ok(Grantee::Role(value::string(cx, e)?)),
        _ => Err(cx.expected(e, "a role name or PUBLIC", "\"app_readonly\"")),
    }
}

fn privileges(cx: Cx<'_>, e: &Expression) -> R<Vec<Privilege>> {
    let words: Vec<&str> = Privilege::ALL.iter().map(|p| p.keyword()).collect();
    let mut out = Vec::new();
    for item in value::list(cx, e)? {
        out.push(Privilege::ALL[value::keyword(cx, item, &words)?]);
    }
    if out.is_empty() {
        return Err(cx.expected(e, "at least one privilege", "[SELECT, INSERT]"));
    }
    Ok(out)
}

/// What a `for` names: a reference (`table.orders`, `table.orders.column.total`,
/// `function.f`, `schema.app`, …) or `{ schema = "s", <kind> = "name", ... }` for an object
/// the file does not describe.
fn object(cx: Cx<'_>, names: &Names, functions: &Functions, e: &Expression) -> R<ObjectRef> {
    let example = "table.orders";
    if let Expression::Object(_) = e {
        let f = value::fields(cx, e)?;
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        let name = |n: String| QualifiedName::new(get("schema"), n);
        let function = |n: String| FunctionRef {
            name: name(n),
            args: get("args"),
        };
        let kinds = [
            "table",
            "view",
            "materialized",
            "sequence",
            "function",
            "procedure",
            "type",
            "domain",
        ];
        let Some(kind) = kinds.into_iter().find(|k| f.contains_key(*k)) else {
            return Err(cx.expected(e, "an object", "{ schema = \"public\", sequence = \"s\" }"));
        };
        let n = get(kind);
        return Ok(match (kind, f.get("column")) {
            (_, Some(column)) => ObjectRef::Column(ColumnRef {
                table: name(n),
                column: column.clone(),
            }),
            ("table", None) => ObjectRef::Table(name(n)),
            ("view", None) => ObjectRef::View(name(n)),
            ("materialized", None) => ObjectRef::MaterializedView(name(n)),
            ("sequence", None) => ObjectRef::Sequence(name(n)),
            ("function", None) => ObjectRef::Function(function(n)),
            ("procedure", None) => ObjectRef::Procedure(function(n)),
            ("domain", None) => ObjectRef::Domain(name(n)),
            _ => ObjectRef::Type(name(n)),
        });
    }
    let p = value::path(cx, e)?.ok_or_else(|| cx.expected(e, "a reference", example))?;
    let kind = match p.root {
        "schema" => return Ok(ObjectRef::Schema(names.schema_ref(cx, e)?)),
        "function" | "procedure" => {
            let f = function_ref(cx, names, functions, e)?;
            return Ok(if p.root == "procedure" {
                ObjectRef::Procedure(f)
            } else {
                ObjectRef::Function(f)
            });
        }
        "table" => Kind::Table,
        "view" => Kind::View,
        "materialized" => Kind::Materialized,
        "sequence" => Kind::Sequence,
        "enum" => Kind::Enum,
        "composite" => Kind::Composite,
        "range" => Kind::Range,
        "domain" => Kind::Domain,
        _ => return Err(cx.expected(e, "a reference", example)),
    };
    let is_column = p.steps.len() >= 3 && p.steps[p.steps.len() - 2].0 == "column";
    if is_column && matches!(kind, Kind::Table | Kind::View | Kind::Materialized) {
        return Ok(ObjectRef::Column(relation_column(cx, names, e)?));
    }
    let name = names.resolve(cx, kind, &p.steps, p.span.clone())?;
    Ok(match kind {
        Kind::Table => ObjectRef::Table(name),
        Kind::View => ObjectRef::View(name),
        Kind::Materialized => ObjectRef::MaterializedView(name),
        Kind::Sequence => ObjectRef::Sequence(name),
        Kind::Domain => ObjectRef::Domain(name),
        _ => ObjectRef::Type(name),
    })
}

pub(crate) fn permissions(
    cx: Cx<'_>,
    names: &Names,
    functions: &Functions,
    b: &Block,
) -> R<Vec<Permission>> {
    let n = Node::new(
        cx,
        &b.body,
        "permission",
        &["for", "to", "privileges", "grantable", "revoked"],
        &[],
    )?;
    let object = required(cx, &n, b, "for", |e| object(cx, names, functions, e))?;
    let grantee = required(cx, &n, b, "to", |e| grantee(cx, e))?;
    let (grantable, revoked) = (n.bool(cx, "grantable")?, n.bool(cx, "revoked")?);
    let list = required(cx, &n, b, "privileges", |e| privileges(cx, e))?;
    Ok(list
        .into_iter()
        .map(|privilege| Permission {
            object: object.clone(),
            grantee: grantee.clone(),
            privilege,
            grantable,
            revoked,
        })
        .collect())
}

pub(crate) fn owner(cx: Cx<'_>, names: &Names, functions: &Functions, b: &Block) -> R<Owner> {
    let n = Node::new(cx, &b.body, "owner", &["for", "role"], &[])?;
    let object = required(cx, &n, b, "for", |e| object(cx, names, functions, e))?;
    if let (ObjectRef::Column(_), Some(e)) = (&object, n.get("for")) {
        return Err(cx.err(
            e.span(),
            "a column has no owner of its own",
            "column",
            "name the table instead: `for = table.orders`",
        ));
    }
    Ok(Owner {
        object,
        role: required(cx, &n, b, "role", |e| value::string(cx, e))?,
    })
}

pub(crate) fn default_permissions(cx: Cx<'_>, b: &Block) -> R<Vec<DefaultPermission>> {
    let n = Node::new(
        cx,
        &b.body,
        "default_permission",
        &[
            "role",
            "schema",
            "on",
            "to",
            "privileges",
            "grantable",
            "revoked",
        ],
        &[],
    )?;
    let words: Vec<&str> = DefaultObjects::ALL.iter().map(|k| k.keyword()).collect();
    let on = required(cx, &n, b, "on", |e| value::keyword(cx, e, &words))?;
    let role = required(cx, &n, b, "role", |e| value::string(cx, e))?;
    let schema = n.get("schema").map(|e| schema_name(cx, e)).transpose()?;
    let grantee = required(cx, &n, b, "to", |e| grantee(cx, e))?;
    let (grantable, revoked) = (n.bool(cx, "grantable")?, n.bool(cx, "revoked")?);
    let list = required(cx, &n, b, "privileges", |e| privileges(cx, e))?;
    Ok(list
        .into_iter()
        .map(|privilege| DefaultPermission {
            role: role.clone(),
            schema: schema.clone(),
            on: DefaultObjects::ALL[on],
            grantee: grantee.clone(),
            privilege,
            grantable,
            revoked,
        })
        .collect())
}
