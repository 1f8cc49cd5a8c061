//! `view`, `materialized`, `function`, `procedure`, `trigger` and `policy` blocks.

use std::collections::HashMap;
use std::ops::Range;

use hcl::edit::Span;
use hcl::edit::expr::Expression;
use hcl::edit::structure::Block;

use crate::model::{
    ArgMode, CheckOption, ColumnRef, Dependency, Function, FunctionArg, FunctionKind, FunctionRef,
    Parallel, Policy, PolicyCommand, QualifiedName, Returns, Trigger, TriggerEnabled, TriggerEvent,
    TriggerTiming, View, ViewColumn, Volatility,
};
use crate::render::refs::Kind;
use crate::render::routines::{default_cost, default_rows};

use super::index::index;
use super::names::Names;
use super::objects::relation_column;
use super::table::{Columns, deferrable, required};
use super::value::{self, Cx, Node, R};

/// Function identities by name, known before any block that refers to a function is read.
pub(crate) struct Functions {
    by_name: HashMap<QualifiedName, Vec<FunctionRef>>,
}

impl Functions {
    /// Reads just the argument types and modes of every function and procedure block.
    pub(crate) fn collect(
        cx: Cx<'_>,
        names: &Names,
        blocks: &[&Block],
        block_names: &[QualifiedName],
    ) -> R<Self> {
        let mut by_name: HashMap<QualifiedName, Vec<FunctionRef>> = HashMap::new();
        for (b, name) in blocks.iter().zip(block_names) {
            if !matches!(b.ident.as_str(), "function" | "procedure") {
                continue;
            }
            let f = Function {
                name: name.clone(),
                args: args(cx, names, b)?,
                ..Function::default()
            };
            by_name.entry(name.clone()).or_default().push(f.identity());
        }
        Ok(Functions { by_name })
    }

    fn resolve(
        &self,
        cx: Cx<'_>,
        name: &QualifiedName,
        span: Option<Range<usize>>,
    ) -> R<FunctionRef> {
        match self.by_name.get(name).map(Vec::as_slice) {
            Some([f]) => Ok(f.clone()),
            _ => Err(cx.err(
                span,
                format!("function `{name}` is overloaded"),
                "ambiguous reference",
                "name the overload: `{ schema = \"public\", name = \"f\", args = \"integer, text\" }`",
            )),
        }
    }
}

fn args(cx: Cx<'_>, names: &Names, b: &Block) -> R<Vec<FunctionArg>> {
    let mut out = Vec::new();
    for s in b.body.iter() {
        let Some(ab) = s.as_block() else { continue };
        if ab.ident.as_str() != "arg" {
            continue;
        }
        let label = value::expect_labels(cx, ab, 0, 1, "arg \"x\" { type = integer }")?;
        let n = Node::new(cx, &ab.body, "arg", &["type", "mode", "default"], &[])?;
        let ty = required(cx, &n, ab, "type", |e| super::ty(cx, names, e))?;
        let mode = match n.get("mode") {
            None => ArgMode::In,
            Some(e) => match value::keyword(cx, e, &["IN", "OUT", "INOUT", "VARIADIC", "TABLE"])? {
                0 => ArgMode::In,
                1 => ArgMode::Out,
                2 => ArgMode::InOut,
                3 => ArgMode::Variadic,
                _ => ArgMode::Table,
            },
        };
        out.push(FunctionArg {
            name: label.first().map(|l| (*l).to_owned()).unwrap_or_default(),
            default: n
                .get("default")
                .map(|e| super::default(cx, e, &ty))
                .transpose()?,
            ty,
            mode,
        });
    }
    Ok(out)
}

fn relation(cx: Cx<'_>, names: &Names, e: &Expression) -> R<(Kind, QualifiedName)> {
    let p = value::path(cx, e)?
        .ok_or_else(|| cx.expected(e, "a table or view reference", "table.orders"))?;
    let kind = match p.root {
        "table" => Kind::Table,
        "view" => Kind::View,
        "materialized" => Kind::Materialized,
        _ => return Err(cx.expected(e, "a table or view reference", "table.orders")),
    };
    Ok((kind, names.resolve(cx, kind, &p.steps, p.span)?))
}

pub(crate) fn view(
    cx: Cx<'_>,
    names: &Names,
    functions: &Functions,
    b: &Block,
    name: QualifiedName,
) -> R<View> {
    let materialized = b.ident.as_str() == "materialized";
    let blocks: &[&str] = if materialized {
        &["column", "index"]
    } else {
        &["column"]
    };
    let n = Node::new(
        cx,
        &b.body,
        b.ident.as_str(),
        &[
            "schema",
            "as",
            "check_option",
            "security_barrier",
            "security_invoker",
            "security",
            "comment",
            "depends_on",
        ],
        blocks,
    )?;
    let mut columns = Vec::new();
    for cb in n.blocks("column") {
        let label = value::expect_labels(cx, cb, 1, 1, "column \"id\" { type = integer }")?;
        let c = Node::new(cx, &cb.body, "column", &["null", "type", "comment"], &[])?;
        columns.push(ViewColumn {
            name: label[0].to_owned(),
            ty: required(cx, &c, cb, "type", |e| super::ty(cx, names, e))?,
            comment: c.str(cx, "comment")?,
        });
    }
    let cols = Columns {
        table: &name,
        names: columns.iter().map(|c| c.name.as_str()).collect(),
    };
    let mut indexes = Vec::new();
    for ib in n.blocks("index") {
        indexes.push(index(cx, &cols, ib)?);
    }
    Ok(View {
        materialized,
        definition: required(cx, &n, b, "as", |e| value::string(cx, e))?,
        check_option: match n.get("check_option") {
            None => None,
            Some(e) => Some(match value::keyword(cx, e, &["LOCAL", "CASCADED"])? {
                0 => CheckOption::Local,
                _ => CheckOption::Cascaded,
            }),
        },
        security_barrier: n.bool(cx, "security_barrier")?,
        // Atlas spells the PostgreSQL 15 option `security = INVOKER`.
        security_invoker: n.bool(cx, "security_invoker")?
            || match n.get("security") {
                Some(e) => value::keyword(cx, e, &["DEFINER", "INVOKER"])? == 1,
                None => false,
            },
        indexes,
        depends_on: depends_on(cx, names, functions, &n)?,
        comment: n.str(cx, "comment")?,
        columns,
        name,
    })
}

fn depends_on(
    cx: Cx<'_>,
    names: &Names,
    functions: &Functions,
    n: &Node<'_>,
) -> R<Vec<Dependency>> {
    let Some(e) = n.get("depends_on") else {
        return Ok(Vec::new());
    };
    value::list(cx, e)?
        .into_iter()
        .map(|d| dependency(cx, names, functions, d))
        .collect()
}

fn dependency(cx: Cx<'_>, names: &Names, functions: &Functions, e: &Expression) -> R<Dependency> {
    if let Expression::Object(_) = e {
        let f = value::fields(cx, e)?;
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        let qn = || QualifiedName::new(get("schema"), get("name"));
        return Ok(match get("kind").as_str() {
            "table" => Dependency::Table(qn()),
            "view" => Dependency::View(qn()),
            "column" => Dependency::Column(ColumnRef {
                table: QualifiedName::new(get("schema"), get("table")),
                column: get("column"),
            }),
            "function" => Dependency::Function(FunctionRef {
                name: qn(),
                args: get("args"),
            }),
            "type" => Dependency::Type(qn()),
            "sequence" => Dependency::Sequence(qn()),
            _ => {
                return Err(cx.err(
                    e.span(),
                    "unknown dependency kind",
                    "here",
                    "kind is one of: table, view, column, function, type, sequence",
                ));
            }
        });
    }
    let p = value::path(cx, e)?.ok_or_else(|| cx.expected(e, "a reference", "table.orders"))?;
    let kind = match p.root {
        "table" => Kind::Table,
        "view" => Kind::View,
        "materialized" => Kind::Materialized,
        "function" => Kind::Function,
        "procedure" => Kind::Procedure,
        "enum" => Kind::Enum,
        "domain" => Kind::Domain,
        "composite" => Kind::Composite,
        "range" => Kind::Range,
        "sequence" => Kind::Sequence,
        _ => {
            return Err(cx.expected(
                e,
                "a reference to a table, view, function, type or sequence",
                "table.orders",
            ));
        }
    };
    let k = p.steps.len();
    if k >= 3 && p.steps[k - 2].0 == "column" {
        return Ok(Dependency::Column(relation_column(cx, names, e)?));
    }
    let qn = names.resolve(cx, kind, &p.steps, p.span.clone())?;
    Ok(match kind {
        Kind::Table => Dependency::Table(qn),
        Kind::View | Kind::Materialized => Dependency::View(qn),
        Kind::Function | Kind::Procedure => {
            Dependency::Function(functions.resolve(cx, &qn, p.span)?)
        }
        Kind::Sequence => Dependency::Sequence(qn),
        Kind::Enum | Kind::Domain | Kind::Composite | Kind::Range => Dependency::Type(qn),
    })
}

pub(crate) fn function(
    cx: Cx<'_>,
    names: &Names,
    functions: &Functions,
    b: &Block,
    name: QualifiedName,
) -> R<Function> {
    let kind = if b.ident.as_str() == "procedure" {
        FunctionKind::Procedure
    } else {
        FunctionKind::Function
    };
    let n = Node::new(
        cx,
        &b.body,
        b.ident.as_str(),
        &[
            "schema",
            "lang",
            "return",
            "return_set",
            "as",
            "volatility",
            "strict",
            "security",
            "leakproof",
            "parallel",
            "cost",
            "rows",
            "config",
            "comment",
            "depends_on",
        ],
        &["arg"],
    )?;
    let language = required(cx, &n, b, "lang", |e| match e {
        Expression::Variable(v) => Ok(v.as_str().to_ascii_lowercase()),
        _ => value::string(cx, e),
    })?;
    let setof = n.bool(cx, "return_set")?;
    let returns = match n.get("return") {
        None => None,
        Some(Expression::Variable(v)) if v.as_str() == "TABLE" => Some(Returns::Table),
        Some(Expression::Variable(v)) if v.as_str().eq_ignore_ascii_case("trigger") => {
            Some(Returns::Trigger)
        }
        Some(e) => Some(Returns::Type {
            ty: super::ty(cx, names, e)?,
            setof,
        }),
    };
    let cost = match n.get("cost") {
        Some(e) => value::number(cx, e)?,
        None => default_cost(&language),
    };
    let rows = match n.get("rows") {
        Some(e) => value::number(cx, e)?,
        None => default_rows(returns.as_ref()),
    };
    let config = match n.get("config") {
        Some(e) => value::list(cx, e)?
            .into_iter()
            .map(|c| value::string(cx, c))
            .collect::<R<Vec<_>>>()?,
        None => Vec::new(),
    };
    Ok(Function {
        kind,
        args: args(cx, names, b)?,
        returns,
        body: required(cx, &n, b, "as", |e| value::string(cx, e))?,
        volatility: match n.get("volatility") {
            None => Volatility::Volatile,
            Some(e) => match value::keyword(cx, e, &["VOLATILE", "STABLE", "IMMUTABLE"])? {
                0 => Volatility::Volatile,
                1 => Volatility::Stable,
                _ => Volatility::Immutable,
            },
        },
        strict: n.bool(cx, "strict")?,
        security_definer: match n.get("security") {
            None => false,
            Some(e) => value::keyword(cx, e, &["INVOKER", "DEFINER"])? == 1,
        },
        leakproof: n.bool(cx, "leakproof")?,
        parallel: match n.get("parallel") {
            None => Parallel::Unsafe,
            Some(e) => match value::keyword(cx, e, &["UNSAFE", "RESTRICTED", "SAFE"])? {
                0 => Parallel::Unsafe,
                1 => Parallel::Restricted,
                _ => Parallel::Safe,
            },
        },
        cost,
        rows,
        config,
        depends_on: depends_on(cx, names, functions, &n)?,
        comment: n.str(cx, "comment")?,
        language,
        name,
    })
}

pub(crate) fn trigger(cx: Cx<'_>, names: &Names, functions: &Functions, b: &Block) -> R<Trigger> {
    let label = value::expect_labels(cx, b, 1, 1, "trigger \"t\" { on = table.orders ... }")?;
    let n = Node::new(
        cx,
        &b.body,
        "trigger",
        &[
            "on",
            "for",
            "when",
            "constraint",
            "deferrable",
            "enabled",
            "comment",
        ],
        &["before", "after", "instead_of", "referencing", "execute"],
    )?;
    let (kind, table) = required(cx, &n, b, "on", |e| relation(cx, names, e))?;
    let col_names = names.columns_of(kind, &table);
    let cols = Columns {
        table: &table,
        names: col_names
            .iter()
            .flat_map(|s| s.iter().map(String::as_str))
            .collect(),
    };
    let mut timing = None;
    for (ident, t) in [
        ("before", TriggerTiming::Before),
        ("after", TriggerTiming::After),
        ("instead_of", TriggerTiming::InsteadOf),
    ] {
        if let Some(tb) = n.single(cx, ident)? {
            if timing.is_some() {
                return Err(cx.err(
                    tb.ident.span(),
                    "a trigger has one of `before`, `after`, `instead_of`",
                    "second timing block",
                    "keep only one timing block",
                ));
            }
            timing = Some((t, tb));
        }
    }
    let Some((timing, tb)) = timing else {
        return Err(cx.err(
            b.ident.span(),
            "trigger has no `before`, `after` or `instead_of` block",
            "missing timing",
            "add e.g. `before { insert = true }`",
        ));
    };
    let tn = Node::new(
        cx,
        &tb.body,
        tb.ident.as_str(),
        &["insert", "update", "update_of", "delete", "truncate"],
        &[],
    )?;
    let mut events = Vec::new();
    for (key, ev) in [
        ("insert", TriggerEvent::Insert),
        ("update", TriggerEvent::Update),
        ("delete", TriggerEvent::Delete),
        ("truncate", TriggerEvent::Truncate),
    ] {
        if tn.bool(cx, key)? {
            events.push(ev);
        }
    }
    let update_of = match tn.get("update_of") {
        Some(e) => cols.list(cx, e)?,
        None => Vec::new(),
    };
    let (old_table, new_table) = match n.single(cx, "referencing")? {
        Some(rb) => {
            let rn = Node::new(
                cx,
                &rb.body,
                "referencing",
                &["old_table", "new_table"],
                &[],
            )?;
            (rn.str(cx, "old_table")?, rn.str(cx, "new_table")?)
        }
        None => (None, None),
    };
    let eb = n.single(cx, "execute")?.ok_or_else(|| {
        cx.err(
            b.ident.span(),
            "trigger has no `execute` block",
            "missing execute",
            "add `execute { function = function.f }`",
        )
    })?;
    let en = Node::new(cx, &eb.body, "execute", &["function", "args"], &[])?;
    let function = required(cx, &en, eb, "function", |e| {
        function_ref(cx, names, functions, e)
    })?;
    let args = match en.get("args") {
        Some(e) => value::list(cx, e)?
            .into_iter()
            .map(|a| value::string(cx, a))
            .collect::<R<Vec<_>>>()?,
        None => Vec::new(),
    };
    Ok(Trigger {
        name: label[0].to_owned(),
        timing,
        events,
        update_of,
        for_each_row: match n.get("for") {
            None => false,
            Some(e) => value::keyword(cx, e, &["ROW", "STATEMENT"])? == 0,
        },
        when: n.str(cx, "when")?,
        function,
        args,
        old_table,
        new_table,
        constraint: if n.bool(cx, "constraint")? {
            Some(deferrable(cx, &n)?)
        } else {
            None
        },
        enabled: match n.get("enabled") {
            None => TriggerEnabled::Origin,
            Some(e) => match value::keyword(cx, e, &["ORIGIN", "DISABLED", "REPLICA", "ALWAYS"])? {
                0 => TriggerEnabled::Origin,
                1 => TriggerEnabled::Disabled,
                2 => TriggerEnabled::Replica,
                _ => TriggerEnabled::Always,
            },
        },
        comment: n.str(cx, "comment")?,
        table,
    })
}

/// `function.f` (resolved to its only overload) or `{ schema, name, args }`.
pub(crate) fn function_ref(
    cx: Cx<'_>,
    names: &Names,
    functions: &Functions,
    e: &Expression,
) -> R<FunctionRef> {
    if let Expression::Object(_) = e {
        let f = value::fields(cx, e)?;
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        return Ok(FunctionRef {
            name: QualifiedName::new(get("schema"), get("name")),
            args: get("args"),
        });
    }
    let p = value::path(cx, e)?
        .ok_or_else(|| cx.expected(e, "a function reference", "function.set_updated_at"))?;
    let kind = match p.root {
        "function" => Kind::Function,
        "procedure" => Kind::Procedure,
        _ => return Err(cx.expected(e, "a function reference", "function.set_updated_at")),
    };
    let qn = names.resolve(cx, kind, &p.steps, p.span.clone())?;
    functions.resolve(cx, &qn, p.span)
}

pub(crate) fn policy(cx: Cx<'_>, names: &Names, b: &Block) -> R<Policy> {
    let label = value::expect_labels(cx, b, 1, 1, "policy \"p\" { on = table.t ... }")?;
    let n = Node::new(
        cx,
        &b.body,
        "policy",
        &["on", "as", "for", "to", "using", "check", "comment"],
        &[],
    )?;
    let (_, table) = required(cx, &n, b, "on", |e| relation(cx, names, e))?;
    let roles = match n.get("to") {
        Some(e) => value::list(cx, e)?
            .into_iter()
            .map(|r| match r {
                Expression::Variable(v) if v.as_str().eq_ignore_ascii_case("public") => {
                    Ok("public".to_owned())
                }
                Expression::Variable(v) => Ok(v.as_str().to_owned()),
                _ => value::string(cx, r),
            })
            .collect::<R<Vec<_>>>()?,
        None => Vec::new(),
    };
    Ok(Policy {
        name: label[0].to_owned(),
        permissive: match n.get("as") {
            None => true,
            Some(e) => value::keyword(cx, e, &["PERMISSIVE", "RESTRICTIVE"])? == 0,
        },
        command: match n.get("for") {
            None => PolicyCommand::All,
            Some(e) => {
                match value::keyword(cx, e, &["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"])? {
                    0 => PolicyCommand::All,
                    1 => PolicyCommand::Select,
                    2 => PolicyCommand::Insert,
                    3 => PolicyCommand::Update,
                    _ => PolicyCommand::Delete,
                }
            }
        },
        roles,
        using: n.str(cx, "using")?,
        check: n.str(cx, "check")?,
        comment: n.str(cx, "comment")?,
        table,
    })
}
