//! Is a `DEFAULT` expression safe to add on PostgreSQL 11+ (evaluated once, stored in the
//! catalog), or volatile (evaluated per row: the table is rewritten)? Literals, casts,
//! arithmetic, `CURRENT_*` and calls of known non-volatile functions are safe; known volatile
//! functions (from `pg_proc.provolatile = 'v'`) and unknown functions are not, since an
//! unknown function cannot be proved safe.

use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Value};

/// What a default expression does to existing rows when a column is added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Volatility {
    /// `NULL` or `NULL::type`: no default at all.
    Null,
    /// Evaluated once: no rewrite.
    Safe,
    /// Evaluated per row, or cannot be proved otherwise: rewrite.
    Volatile,
}

const VOLATILE: &[&str] = &[
    "random",
    "random_normal",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "setval",
    "txid_current",
    "pg_current_xact_id",
    "gen_random_bytes",
    "gen_salt",
    "random_string",
    "currval",
    "lastval",
];

const NON_VOLATILE: &[&str] = &[
    "now",
    "transaction_timestamp",
    "statement_timestamp",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtimestamp",
    "localtime",
    "current_user",
    "current_role",
    "session_user",
    "current_schema",
    "current_database",
    "lower",
    "upper",
    "trim",
    "btrim",
    "concat",
    "length",
    "abs",
    "coalesce",
    "nullif",
    "greatest",
    "least",
    "make_date",
    "make_time",
    "make_timestamp",
    "make_timestamptz",
    "make_interval",
    "to_timestamp",
    "to_date",
    "to_char",
    "to_number",
    "date_trunc",
    "jsonb_build_object",
    "json_build_object",
    "jsonb_build_array",
    "json_build_array",
    "array_fill",
    "timezone",
    "round",
    "floor",
    "ceil",
    "md5",
    "replace",
    "substring",
    "left",
    "right",
    "lpad",
    "rpad",
    "format",
];

/// Classifies a default expression.
pub(crate) fn volatility(expr: &Expr) -> Volatility {
    match expr {
        Expr::Value(v) if matches!(v.value, Value::Null) => Volatility::Null,
        Expr::Cast { expr, .. } if volatility(expr) == Volatility::Null => Volatility::Null,
        Expr::Nested(e) => volatility(e),
        _ => {
            if is_safe(expr) {
                Volatility::Safe
            } else {
                Volatility::Volatile
            }
        }
    }
}

/// The name of the first function call that makes `expr` volatile, for messages.
pub(crate) fn volatile_call(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Function(f) => {
            let name = f.name.to_string().to_lowercase();
            let bare = name.rsplit('.').next().unwrap_or(&name).to_string();
            if NON_VOLATILE.contains(&bare.as_str()) {
                args(f).find_map(volatile_call)
            } else {
                Some(format!("{bare}()"))
            }
        }
        Expr::Cast { expr, .. } | Expr::Nested(expr) | Expr::UnaryOp { expr, .. } => {
            volatile_call(expr)
        }
        Expr::BinaryOp { left, right, .. } => volatile_call(left).or_else(|| volatile_call(right)),
        _ => None,
    }
}

fn args(f: &sqlparser::ast::Function) -> impl Iterator<Item = &Expr> {
    let list = match &f.args {
        FunctionArguments::List(l) => l.args.as_slice(),
        _ => &[],
    };
    list.iter().filter_map(|a| match a {
        FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
        | FunctionArg::Named {
            arg: FunctionArgExpr::Expr(e),
            ..
        } => Some(e),
        _ => None,
    })
}

fn is_safe(expr: &Expr) -> bool {
    match expr {
        Expr::Value(_) | Expr::TypedString { .. } | Expr::Interval(_) => true,
        Expr::Identifier(id) => {
            // CURRENT_TIMESTAMP and friends parse as identifiers or functions.
            let v = id.value.to_lowercase();
            NON_VOLATILE.contains(&v.as_str()) || v == "true" || v == "false"
        }
        Expr::Cast { expr, .. } | Expr::Nested(expr) | Expr::UnaryOp { expr, .. } => is_safe(expr),
        Expr::Collate { expr, .. } => is_safe(expr),
        Expr::BinaryOp { left, right, .. } => is_safe(left) && is_safe(right),
        Expr::Array(a) => a.elem.iter().all(is_safe),
        Expr::Function(f) => {
            let name = f.name.to_string().to_lowercase();
            let bare = name.rsplit('.').next().unwrap_or(&name);
            !VOLATILE.contains(&bare) && NON_VOLATILE.contains(&bare) && args(f).all(is_safe)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn v(sql: &str) -> Volatility {
        let e = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(sql)
            .unwrap()
            .parse_expr()
            .unwrap();
        volatility(&e)
    }

    #[test]
    fn classifies_defaults() {
        assert_eq!(v("NULL"), Volatility::Null);
        assert_eq!(v("NULL::text"), Volatility::Null);
        for safe in [
            "0",
            "'x'",
            "true",
            "'{}'::jsonb",
            "now()",
            "CURRENT_TIMESTAMP",
            "CURRENT_DATE",
            "-1",
            "ARRAY[]::int[]",
            "now() - interval '1 day'",
        ] {
            assert_eq!(v(safe), Volatility::Safe, "{safe}");
        }
        for volatile in [
            "gen_random_uuid()",
            "random()",
            "clock_timestamp()",
            "my_func()",
            "nextval('s')",
        ] {
            assert_eq!(v(volatile), Volatility::Volatile, "{volatile}");
        }
    }
}
