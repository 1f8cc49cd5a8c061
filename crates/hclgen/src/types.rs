//! Type spelling both ways: the model's `format_type()` text ⇄ Atlas's HCL type expressions.
//!
//! Output uses Atlas's spellings (`character_varying(255)`, `timestamptz(3)`,
//! `double_precision`); anything without one becomes `sql("...")`. Input also accepts Atlas's
//! aliases (`varchar(255)`, `int`, `int8`, `bool`, `decimal(10,2)`, `float8`, …). Every output
//! spelling maps back to exactly the text it came from, which the round-trip tests check.

use crate::model::{SerialWidth, Type};

/// Built-in types whose HCL spelling is their `format_type` text (spaces become `_`).
const PLAIN: &[&str] = &[
    "bigint",
    "bit",
    "bit varying",
    "boolean",
    "box",
    "bpchar",
    "bytea",
    "character",
    "character varying",
    "cid",
    "cidr",
    "circle",
    "date",
    "datemultirange",
    "daterange",
    "double precision",
    "inet",
    "int4multirange",
    "int4range",
    "int8multirange",
    "int8range",
    "integer",
    "interval",
    "json",
    "jsonb",
    "jsonpath",
    "line",
    "lseg",
    "macaddr",
    "macaddr8",
    "money",
    "name",
    "numeric",
    "nummultirange",
    "numrange",
    "oid",
    "path",
    "pg_lsn",
    "pg_snapshot",
    "point",
    "polygon",
    "real",
    "regclass",
    "regconfig",
    "regproc",
    "regtype",
    "smallint",
    "text",
    "tid",
    "tsmultirange",
    "tsquery",
    "tsrange",
    "tstzmultirange",
    "tstzrange",
    "tsvector",
    "txid_snapshot",
    "uuid",
    "xid",
    "xid8",
    "xml",
];

/// The HCL spelling of a `format_type` text, when Atlas has one.
pub(crate) fn hcl_spelling(sql: &str) -> Option<String> {
    match sql {
        "timestamp without time zone" => return Some("timestamp".into()),
        "timestamp with time zone" => return Some("timestamptz".into()),
        "time without time zone" => return Some("time".into()),
        "time with time zone" => return Some("timetz".into()),
        _ => {}
    }
    if PLAIN.contains(&sql) {
        return Some(sql.replace(' ', "_"));
    }
    // `name(args) [suffix]`
    let open = sql.find('(')?;
    let close = open + sql[open..].find(')')?;
    let (base, args, suffix) = (&sql[..open], &sql[open + 1..close], &sql[close + 1..]);
    let nums = parse_args(args)?;
    let name = match (base, suffix, nums.len()) {
        ("character varying" | "character" | "bit" | "bit varying", "", 1) => {
            base.replace(' ', "_")
        }
        ("numeric", "", 1 | 2) => "numeric".to_owned(),
        ("interval", "", 1) => "interval".to_owned(),
        ("timestamp", " without time zone", 1) => "timestamp".to_owned(),
        ("timestamp", " with time zone", 1) => "timestamptz".to_owned(),
        ("time", " without time zone", 1) => "time".to_owned(),
        ("time", " with time zone", 1) => "timetz".to_owned(),
        _ => return None,
    };
    let args: Vec<String> = nums.iter().map(u32::to_string).collect();
    // `numeric(10,2)`, without a space, as Atlas writes it.
    Some(format!("{name}({})", args.join(",")))
}

/// Non-negative integer arguments `10` or `10,2` (exactly as format_type prints them).
fn parse_args(args: &str) -> Option<Vec<u32>> {
    args.split(',')
        .map(|a| {
            let a = a.trim();
            if a.is_empty()
                || !a.bytes().all(|b| b.is_ascii_digit())
                || (a.len() > 1 && a.starts_with('0'))
            {
                None
            } else {
                a.parse().ok()
            }
        })
        .collect()
}

/// The serial pseudo-type an HCL name stands for.
pub(crate) fn serial(name: &str) -> Option<SerialWidth> {
    match name {
        "smallserial" | "serial2" => Some(SerialWidth::Small),
        "serial" | "serial4" => Some(SerialWidth::Regular),
        "bigserial" | "serial8" => Some(SerialWidth::Big),
        _ => None,
    }
}

/// The `format_type` text for an HCL type name (ours or an Atlas alias) and its arguments.
pub(crate) fn canonical(name: &str, args: &[u32]) -> Option<String> {
    let name = name.to_ascii_lowercase();
    let one = |base: &str, suffix: &str| match args {
        [] => Some(format!("{base}{suffix}")),
        [n] => Some(format!("{base}({n}){suffix}")),
        _ => None,
    };
    match name.as_str() {
        "int" | "int4" | "integer" => none_args(args, "integer"),
        "int2" | "smallint" => none_args(args, "smallint"),
        "int8" | "bigint" => none_args(args, "bigint"),
        "bool" | "boolean" => none_args(args, "boolean"),
        "float4" | "real" => none_args(args, "real"),
        "float8" | "double_precision" => none_args(args, "double precision"),
        "float" => match args {
            [] => Some("double precision".into()),
            [n] if *n <= 24 => Some("real".into()),
            [_] => Some("double precision".into()),
            _ => None,
        },
        "varchar" | "character_varying" => one("character varying", ""),
        "char" => match args {
            [] => Some("character(1)".into()),
            _ => one("character", ""),
        },
        "character" => one("character", ""),
        "bit" => one("bit", ""),
        "varbit" | "bit_varying" => one("bit varying", ""),
        "decimal" | "numeric" => match args {
            [] => Some("numeric".into()),
            [p] => Some(format!("numeric({p})")),
            [p, s] => Some(format!("numeric({p},{s})")),
            _ => None,
        },
        "interval" => one("interval", ""),
        "timestamp" | "timestamp_without_time_zone" => one("timestamp", " without time zone"),
        "timestamptz" | "timestamp_with_time_zone" => one("timestamp", " with time zone"),
        "time" | "time_without_time_zone" => one("time", " without time zone"),
        "timetz" | "time_with_time_zone" => one("time", " with time zone"),
        other => {
            let spaced = other.replace('_', " ");
            if PLAIN.contains(&spaced.as_str()) {
                none_args(args, &spaced)
            } else if PLAIN.contains(&other) {
                none_args(args, other)
            } else {
                None
            }
        }
    }
}

fn none_args(args: &[u32], name: &str) -> Option<String> {
    args.is_empty().then(|| name.to_owned())
}

/// Normalises the text inside `sql("...")` when it is a plain alias such as `varchar(255)` or
/// `int`; anything else (qualified names, modifiers after the parentheses) is kept verbatim.
pub(crate) fn normalize_sql(text: &str) -> String {
    let (base, args) = match text.find('(') {
        Some(open) if text.ends_with(')') => {
            (&text[..open], parse_args(&text[open + 1..text.len() - 1]))
        }
        Some(_) => return text.to_owned(),
        None => (text, Some(Vec::new())),
    };
    let base = base.trim();
    if base.is_empty()
        || !base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'_')
    {
        return text.to_owned();
    }
    args.and_then(|a| canonical(&base.replace(' ', "_"), &a))
        .unwrap_or_else(|| text.to_owned())
}

/// The type name PostgreSQL's deparser puts in a literal's cast (`'x'::character varying`):
/// the column type without its modifiers.
pub(crate) fn cast_name(ty: &Type) -> String {
    match ty {
        Type::Sql(s) => {
            let mut out = String::with_capacity(s.len());
            let mut depth = 0usize;
            for c in s.chars() {
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    _ if depth == 0 => out.push(c),
                    _ => {}
                }
            }
            let out = out.trim().replace("  ", " ");
            if out.starts_with("interval") {
                "interval".to_owned()
            } else if out == "character" {
                "bpchar".to_owned()
            } else {
                out
            }
        }
        Type::Serial(SerialWidth::Small) => "smallint".to_owned(),
        Type::Serial(SerialWidth::Regular) => "integer".to_owned(),
        Type::Serial(SerialWidth::Big) => "bigint".to_owned(),
        Type::Named { .. } => ty.to_sql(),
        Type::Array(inner) => format!("{}[]", cast_name(inner)),
    }
}

/// Splits `'lit'::cast` into `lit` when the expression is exactly one string literal cast to
/// `cast` (the shape pg_get_expr prints for literal defaults), undoing `''` doubling.
pub(crate) fn unwrap_literal(expr: &str, cast: &str) -> Option<String> {
    let lit = pgsql::Lexer::new(expr).next()?;
    if lit.start != 0 || lit.kind != pgsql::TokenKind::String || !expr.starts_with('\'') {
        return None;
    }
    (expr[lit.end..].strip_prefix("::")? == cast).then(|| lit.value(expr))?
}

/// The inverse of [`unwrap_literal`].
pub(crate) fn wrap_literal(lit: &str, cast: &str) -> String {
    format!("'{}'::{cast}", lit.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for sql in [
            "integer",
            "character varying(255)",
            "character varying",
            "numeric(10,2)",
            "numeric(10)",
            "timestamp(3) with time zone",
            "timestamp with time zone",
            "time(0) without time zone",
            "double precision",
            "bit varying(8)",
            "character(1)",
            "interval(2)",
            "bpchar",
        ] {
            let hcl = hcl_spelling(sql).unwrap();
            let (name, args) = match hcl.find('(') {
                Some(i) => (
                    &hcl[..i],
                    hcl[i + 1..hcl.len() - 1]
                        .split(',')
                        .map(|a| a.parse().unwrap())
                        .collect(),
                ),
                None => (hcl.as_str(), vec![]),
            };
            assert_eq!(canonical(name, &args).as_deref(), Some(sql), "{hcl}");
        }
        assert_eq!(hcl_spelling("interval day to second(4)"), None);
        assert_eq!(hcl_spelling("public.citext"), None);
        assert_eq!(hcl_spelling("numeric(5,-2)"), None);
    }

    #[test]
    fn atlas_aliases() {
        assert_eq!(
            canonical("varchar", &[255]).as_deref(),
            Some("character varying(255)")
        );
        assert_eq!(canonical("int8", &[]).as_deref(), Some("bigint"));
        assert_eq!(
            canonical("decimal", &[10, 2]).as_deref(),
            Some("numeric(10,2)")
        );
        assert_eq!(
            canonical("timestamptz", &[3]).as_deref(),
            Some("timestamp(3) with time zone")
        );
        assert_eq!(normalize_sql("varchar(255)"), "character varying(255)");
        assert_eq!(normalize_sql("public.x"), "public.x");
        assert_eq!(
            normalize_sql("interval day to second(4)"),
            "interval day to second(4)"
        );
    }

    #[test]
    fn literals() {
        assert_eq!(
            unwrap_literal("'it''s'::text", "text").as_deref(),
            Some("it's")
        );
        assert_eq!(unwrap_literal("'a'::text || 'b'::text", "text"), None);
        assert_eq!(wrap_literal("it's", "text"), "'it''s'::text");
        assert_eq!(
            cast_name(&Type::Sql("character varying(9)".into())),
            "character varying"
        );
        assert_eq!(
            cast_name(&Type::Sql("timestamp(3) with time zone".into())),
            "timestamp with time zone"
        );
    }
}
