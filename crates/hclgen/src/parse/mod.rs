//! HCL (ours and Atlas's) → `Database`.
//!
//! Two passes over the syntax tree: the first collects every object's qualified name (and each
//! table's column names) into hash indexes, the second builds the model and resolves references
//! against them, so the work stays linear in the file size.

mod access;
mod index;
mod names;
mod objects;
mod routines;
mod split;
mod table;
mod value;

use hcl::edit::Span;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Block, Structure};

use crate::ParseError;
use crate::model::{Database, QualifiedName, Schema, SequenceOptions, Type};
use crate::render::refs::Kind;
use crate::types;
use names::Names;
use value::{Cx, Node, R};

/// Parses HCL (our output, or Atlas's PostgreSQL schema files) into a normalized model.
///
/// Big files would need a syntax tree ~50× their size; so the file is first cut into its
/// top-level blocks (see `split`) and each block is parsed, converted and dropped in turn. When
/// the cut is not understood or anything fails, the whole file is parsed as one tree instead,
/// which reports the error with its exact span.
pub fn parse(file_name: &str, src: &str) -> Result<Database, ParseError> {
    let cx = Cx {
        file: file_name,
        src,
    };
    // A raw NUL byte anywhere (escaped ones are caught where strings are read).
    if let Err(nul) = pgsql::reject_nul(src) {
        return Err(cx.err(
            Some(nul.offset..nul.offset + 1),
            "the file holds a NUL byte, which PostgreSQL text cannot contain",
            "NUL byte",
            "remove it (a NUL often means the file was saved as UTF-16 or is binary)",
        ));
    }
    if let Some(cut) = split::split(src)
        && let Some(db) = parse_by_block(cx, &cut)
    {
        return Ok(db);
    }
    parse_whole(cx)
}

/// One block at a time: names from the skeleton, then each block parsed on its own. `None` on
/// any failure (the whole-file path then reports it).
fn parse_by_block(cx: Cx<'_>, cut: &split::Split) -> Option<Database> {
    let (names, block_names, functions) = {
        let skeleton = hcl::edit::parser::parse_body(&cut.skeleton).ok()?;
        let blocks: Vec<&Block> = skeleton
            .iter()
            .map(Structure::as_block)
            .collect::<Option<_>>()?;
        if blocks.len() != cut.blocks.len() {
            return None;
        }
        let scx = Cx {
            file: cx.file,
            src: &cut.skeleton,
        };
        let (names, block_names) = Names::collect(scx, &blocks).ok()?;
        let functions = routines::Functions::collect(scx, &names, &blocks, &block_names).ok()?;
        (names, block_names, functions)
    };
    let mut db = Database::default();
    for (range, name) in cut.blocks.iter().zip(block_names) {
        let text = cx.src.get(range.clone())?;
        let body = hcl::edit::parser::parse_body(text).ok()?;
        let mut items = body.iter();
        let (Some(Structure::Block(b)), None) = (items.next(), items.next()) else {
            return None;
        };
        let bcx = Cx {
            file: cx.file,
            src: text,
        };
        convert(bcx, &names, &functions, b, name, &mut db).ok()?;
    }
    db.normalize();
    Some(db)
}

/// The whole file as one syntax tree: two passes, names first.
fn parse_whole(cx: Cx<'_>) -> Result<Database, ParseError> {
    let body = hcl::edit::parser::parse_body(cx.src).map_err(|e| {
        let at = e.location().offset();
        cx.err(
            Some(at..at),
            format!("HCL syntax error: {}", e.message()),
            "here",
            "check quotes, braces and `=` signs near this point",
        )
    })?;
    let mut blocks: Vec<&Block> = Vec::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                return Err(cx.err(
                    a.key.span(),
                    format!("unknown top-level attribute `{}`", a.key.as_str()),
                    "unknown attribute",
                    "the top level holds only blocks: schema, table, view, enum, …",
                ));
            }
            Structure::Block(b) => blocks.push(b),
        }
    }
    let (names, block_names) = Names::collect(cx, &blocks)?;
    let functions = routines::Functions::collect(cx, &names, &blocks, &block_names)?;
    let mut db = Database::default();
    for (b, name) in blocks.iter().zip(block_names) {
        convert(cx, &names, &functions, b, name, &mut db)?;
    }
    db.normalize();
    Ok(db)
}

/// One top-level block into `db`.
fn convert(
    cx: Cx<'_>,
    names: &Names,
    functions: &routines::Functions,
    b: &Block,
    name: QualifiedName,
    db: &mut Database,
) -> R<()> {
    match b.ident.as_str() {
        "schema" => {
            let node = Node::new(cx, &b.body, "schema", &["comment"], &[])?;
            db.schemas.push(Schema {
                name: name.name,
                comment: node.str(cx, "comment")?,
            });
        }
        "table" => db.tables.push(table::table(cx, names, b, name)?),
        "enum" => db.enums.push(objects::enumeration(cx, b, name)?),
        "domain" => db.domains.push(objects::domain(cx, names, b, name)?),
        "composite" => db.composites.push(objects::composite(cx, names, b, name)?),
        "range" => db.ranges.push(objects::range(cx, names, b, name)?),
        "sequence" => db.sequences.push(objects::sequence(cx, names, b, name)?),
        "extension" => db.extensions.push(objects::extension(cx, b, name)?),
        "view" | "materialized" => {
            db.views
                .push(routines::view(cx, names, functions, b, name)?);
        }
        "function" | "procedure" => {
            db.functions
                .push(routines::function(cx, names, functions, b, name)?);
        }
        "trigger" => db
            .triggers
            .push(routines::trigger(cx, names, functions, b)?),
        "policy" => db.policies.push(routines::policy(cx, names, b)?),
        "collation" => db.collations.push(access::collation(cx, b)?),
        "permission" => db
            .permissions
            .extend(access::permissions(cx, names, functions, b)?),
        "owner" => db.owners.push(access::owner(cx, names, functions, b)?),
        "default_permission" => db
            .default_permissions
            .extend(access::default_permissions(cx, b)?),
        _ => {}
    }
    Ok(())
}

/// A type expression: `integer`, `varchar(255)`, `sql("...")`, `enum.status`, …
pub(crate) fn ty(cx: Cx<'_>, names: &Names, e: &Expression) -> R<Type> {
    let unknown = |name: &str| {
        cx.err(
            e.span(),
            format!("unknown type `{name}`"),
            "unknown type",
            "use an Atlas type name (`integer`, `varchar(255)`, `timestamptz`, …), \
             `enum.<name>`, or `sql(\"<any PostgreSQL type>\")`",
        )
    };
    match e {
        Expression::Variable(v) => {
            let n = v.as_str();
            if let Some(w) = types::serial(&n.to_ascii_lowercase()) {
                return Ok(Type::Serial(w));
            }
            types::canonical(n, &[])
                .map(Type::Sql)
                .ok_or_else(|| unknown(n))
        }
        Expression::FuncCall(f) => {
            if let Some(text) = value::sql_call(cx, e) {
                return Ok(sql_type(names, &text?));
            }
            let name = f.name.name.as_str();
            let mut args = Vec::new();
            for a in f.args.iter() {
                let n = value::integer(cx, a)?;
                args.push(u32::try_from(n).map_err(|_| cx.expected(a, "a type size", "255"))?);
            }
            types::canonical(name, &args)
                .map(Type::Sql)
                .ok_or_else(|| unknown(name))
        }
        // Older Atlas files spell types as strings: `type = "varchar(255)"`.
        Expression::String(s) => {
            value::no_nul(cx, s.value(), s.span())?;
            Ok(sql_type(names, s.value()))
        }
        Expression::Traversal(_) => {
            let p = value::path(cx, e)?.ok_or_else(|| unknown("?"))?;
            let kind = match p.root {
                "enum" => Kind::Enum,
                "domain" => Kind::Domain,
                "composite" => Kind::Composite,
                "range" => Kind::Range,
                other => return Err(unknown(other)),
            };
            let name = names.resolve(cx, kind, &p.steps, p.span.clone())?;
            Ok(Type::Named {
                kind: names::type_kind(kind),
                name,
            })
        }
        _ => Err(cx.expected(e, "a type", "integer")),
    }
}

/// The text of `sql("...")` as a type: arrays, aliases, and this file's own types by name.
fn sql_type(names: &Names, text: &str) -> Type {
    let t = text.trim();
    if let Some(inner) = t.strip_suffix(']')
        && let Some(open) = inner.rfind('[')
        && inner[open + 1..].bytes().all(|b| b.is_ascii_digit())
    {
        return Type::Array(Box::new(sql_type(names, &inner[..open])));
    }
    if let Some(w) = types::serial(&t.to_ascii_lowercase()) {
        return Type::Serial(w);
    }
    let normalized = types::normalize_sql(t);
    if normalized != t || types::hcl_spelling(t).is_some() {
        return Type::Sql(normalized);
    }
    if let Some((name, one_part)) = names::sql_name(t)
        && let Some((kind, qn)) = names.type_by_sql_name(&name, one_part)
    {
        return Type::Named { kind, name: qn };
    }
    Type::Sql(t.to_owned())
}

/// A default (or other literal-capable expression) for a value of type `ty`.
pub(crate) fn default(cx: Cx<'_>, e: &Expression, ty: &Type) -> R<String> {
    let cast = || types::cast_name(ty);
    if let Some(text) = value::sql_call(cx, e) {
        return text;
    }
    match e {
        Expression::Bool(b) => Ok(b.value().to_string()),
        Expression::String(_) | Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
            Ok(types::wrap_literal(&value::string(cx, e)?, &cast()))
        }
        // Non-negative numbers print bare (`0`, `1.5`); negative ones as PostgreSQL prints them.
        Expression::Number(n) => {
            let v = n.value();
            let text = match (v.as_u64(), v.as_i64()) {
                (Some(u), _) => u.to_string(),
                (None, Some(i)) => i.to_string(),
                _ => v.as_f64().map(|f| f.to_string()).unwrap_or_default(),
            };
            Ok(if text.starts_with('-') {
                types::wrap_literal(&text, &cast())
            } else {
                text
            })
        }
        Expression::UnaryOp(_) => {
            let n = value::number(cx, e)?;
            Ok(types::wrap_literal(&n.to_string(), &cast()))
        }
        _ => Err(cx.expected(e, "a default value", "sql(\"now()\")")),
    }
}

/// `start`, `increment`, … with PostgreSQL's defaults for the type filled in.
pub(crate) fn sequence_options(cx: Cx<'_>, node: &Node<'_>, ty: &str) -> R<SequenceOptions> {
    let mut o = SequenceOptions::defaults_for(ty);
    for (key, slot) in [
        ("start", &mut o.start),
        ("increment", &mut o.increment),
        ("min_value", &mut o.min_value),
        ("max_value", &mut o.max_value),
        ("cache", &mut o.cache),
    ] {
        if let Some(e) = node.get(key) {
            *slot = value::integer(cx, e)?;
        }
    }
    o.cycle = node.bool(cx, "cycle")?;
    Ok(o)
}

#[cfg(test)]
#[path = "multirange_tests.rs"]
mod multirange_tests;
