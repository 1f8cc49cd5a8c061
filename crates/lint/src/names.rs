//! How names and types are compared: PostgreSQL folds unquoted identifiers to lower case, and
//! unqualified tables live in `public` (the default `search_path`).

use sqlparser::ast::{DataType, Ident, ObjectName};

/// An identifier as PostgreSQL stores it.
pub(crate) fn ident(id: &Ident) -> String {
    if id.quote_style.is_some() {
        id.value.clone()
    } else {
        id.value.to_lowercase()
    }
}

/// `schema.table`, lower-cased unless quoted, `public` when unqualified.
pub(crate) fn qualified(name: &ObjectName) -> String {
    let parts: Vec<String> = name
        .0
        .iter()
        .filter_map(|p| p.as_ident().map(ident))
        .collect();
    match parts.as_slice() {
        [] => String::new(),
        [table] => format!("public.{table}"),
        [.., schema, table] => format!("{schema}.{table}"),
    }
}

/// A type written the way we compare types: lower case, aliases folded
/// (`int4` → `integer`, `character varying(5)` → `varchar(5)`, …), no spaces after commas.
pub(crate) fn canonical_type(ty: &DataType) -> String {
    canonical_type_text(&ty.to_string())
}

/// [`canonical_type`] for type text (e.g. from a schema file).
pub fn canonical_type_text(text: &str) -> String {
    let t = text.trim().to_lowercase().replace(", ", ",");
    let (base, args) = match t.find('(') {
        Some(i) => (t[..i].trim().to_string(), t[i..].to_string()),
        None => (t.clone(), String::new()),
    };
    let (base, args, suffix) = match base.strip_suffix("[]") {
        Some(b) => (b.trim().to_string(), args, "[]"),
        None => (base, args, ""),
    };
    let base = match base.as_str() {
        "int" | "int4" | "integer" => "integer",
        "int8" | "bigint" => "bigint",
        "int2" | "smallint" => "smallint",
        "bool" | "boolean" => "boolean",
        "character varying" | "varchar" => "varchar",
        "character" | "char" | "bpchar" => "char",
        "float8" | "double precision" | "double" => "double precision",
        "float4" | "real" => "real",
        "decimal" | "numeric" => "numeric",
        "timestamptz" | "timestamp with time zone" => "timestamptz",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "timetz" | "time with time zone" => "timetz",
        "time" | "time without time zone" => "time",
        "varbit" | "bit varying" => "varbit",
        other => other,
    };
    format!("{base}{args}{suffix}")
}

/// Type modifiers as numbers: `varchar(64)` → `[64]`, `numeric(12,2)` → `[12, 2]`.
fn modifiers(ty: &str) -> Option<(&str, Vec<u64>)> {
    let (base, rest) = ty.split_once('(')?;
    let inner = rest.strip_suffix(')')?;
    let nums = inner
        .split(',')
        .map(|n| n.trim().parse().ok())
        .collect::<Option<Vec<u64>>>()?;
    Some((base, nums))
}

/// Does changing a column from `old` to `new` (both canonical) avoid a table rewrite?
/// The binary-coercible cases PostgreSQL documents: widening or removing a `varchar`/`varbit`
/// limit, `varchar` ↔ `text`, a `numeric` with more precision and the same scale (or none),
/// `cidr` → `inet`, and no change at all.
pub(crate) fn is_binary_coercible(old: &str, new: &str) -> bool {
    if old == new {
        return true;
    }
    let base = |t: &str| t.split('(').next().unwrap_or(t).to_string();
    match (base(old).as_str(), new) {
        ("varchar", "text" | "varchar") | ("text", "varchar") | ("varbit", "varbit") => true,
        ("cidr", "inet") => true,
        ("numeric", "numeric") => true,
        ("varchar" | "varbit", _) => match (modifiers(old), modifiers(new)) {
            (Some((ob, o)), Some((nb, n))) => ob == nb && n.first() >= o.first(),
            _ => false,
        },
        ("numeric", _) => match (modifiers(old), modifiers(new)) {
            (Some(("numeric", o)), Some(("numeric", n))) => {
                n.first() >= o.first() && n.get(1).unwrap_or(&0) == o.get(1).unwrap_or(&0)
            }
            _ => false,
        },
        _ => false,
    }
}

/// The object a statement other than `ALTER TABLE` changes, as a qualified name: the first
/// table of a `DROP TABLE`, the table of a `CREATE INDEX`, the first index of a `DROP INDEX`.
pub(crate) fn subject(ast: &sqlparser::ast::Statement) -> Option<String> {
    use sqlparser::ast::{ObjectType, Statement};
    match ast {
        Statement::Drop {
            object_type: ObjectType::Table | ObjectType::Index,
            names,
            ..
        } => names.first().map(qualified),
        Statement::CreateIndex(ci) => Some(qualified(&ci.table_name)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_types_fold_aliases() {
        assert_eq!(canonical_type_text("INT4"), "integer");
        assert_eq!(canonical_type_text("character varying(64)"), "varchar(64)");
        assert_eq!(canonical_type_text("NUMERIC(12, 2)"), "numeric(12,2)");
        assert_eq!(canonical_type_text("int[]"), "integer[]");
    }

    #[test]
    fn binary_coercible_cases() {
        assert!(is_binary_coercible("varchar(10)", "varchar(20)"));
        assert!(is_binary_coercible("varchar(10)", "text"));
        assert!(is_binary_coercible("numeric(10,2)", "numeric(12,2)"));
        assert!(is_binary_coercible("numeric(10,2)", "numeric"));
        assert!(!is_binary_coercible("varchar(20)", "varchar(10)"));
        assert!(!is_binary_coercible("integer", "bigint"));
        assert!(!is_binary_coercible("numeric(10,2)", "numeric(12,3)"));
        assert!(!is_binary_coercible("text", "varchar(10)"));
    }
}
