//! `view`, `materialized`, `function`, `procedure`, `trigger` and `policy` blocks.

use crate::model::{
    ArgMode, CheckOption, Dependency, Function, FunctionKind, FunctionRef, Parallel, Policy,
    PolicyCommand, Returns, Trigger, TriggerEnabled, TriggerEvent, TriggerTiming, View, Volatility,
};

use super::refs::{Kind, Refs};
use super::table::{deferrable, index};
use super::writer::{Body, list, quote, text_block};

pub(crate) fn view(root: &mut Body, refs: &Refs<'_>, v: &View) {
    let kind = if v.materialized {
        Kind::Materialized
    } else {
        Kind::View
    };
    let b = root.block(kind.root(), &refs.labels(kind, &v.name));
    b.attr("schema", Refs::schema(&v.name.schema));
    b.attr("as", text_block(&v.definition, 1));
    b.opt_attr(
        "check_option",
        v.check_option.map(|c| match c {
            CheckOption::Local => "LOCAL".to_owned(),
            CheckOption::Cascaded => "CASCADED".to_owned(),
        }),
    );
    b.flag("security_barrier", v.security_barrier);
    b.flag("security_invoker", v.security_invoker);
    b.opt_str("comment", v.comment.as_ref());
    depends_on(b, refs, &v.depends_on);
    for c in &v.columns {
        let cb = b.block("column", &[&c.name]);
        cb.attr("type", refs.ty(&c.ty));
        cb.opt_str("comment", c.comment.as_ref());
    }
    for ix in &v.indexes {
        index(b, ix, 1);
    }
}

fn depends_on(b: &mut Body, refs: &Refs<'_>, deps: &[Dependency]) {
    if deps.is_empty() {
        return;
    }
    b.attr("depends_on", list(deps.iter().map(|d| dependency(refs, d))));
}

/// A reference when the object is in the model, else an object literal naming it.
fn dependency(refs: &Refs<'_>, d: &Dependency) -> String {
    let fallback = |kind: &str, fields: &[(&str, &str)]| {
        let mut parts = vec![format!("kind = {}", quote(kind))];
        parts.extend(fields.iter().map(|(k, v)| format!("{k} = {}", quote(v))));
        format!("{{ {} }}", parts.join(", "))
    };
    match d {
        Dependency::Table(n) if refs.contains(Kind::Table, n) => refs.object(Kind::Table, n),
        Dependency::Table(n) => fallback("table", &[("schema", &n.schema), ("name", &n.name)]),
        Dependency::View(n) if refs.contains(Kind::View, n) => refs.object(Kind::View, n),
        Dependency::View(n) if refs.contains(Kind::Materialized, n) => {
            refs.object(Kind::Materialized, n)
        }
        Dependency::View(n) => fallback("view", &[("schema", &n.schema), ("name", &n.name)]),
        Dependency::Column(c) if refs.contains(refs.relation_kind(&c.table), &c.table) => {
            refs.column_ref(c)
        }
        Dependency::Column(c) => fallback(
            "column",
            &[
                ("schema", &c.table.schema),
                ("table", &c.table.name),
                ("column", &c.column),
            ],
        ),
        Dependency::Function(f) => refs.function(f).unwrap_or_else(|| {
            fallback(
                "function",
                &[
                    ("schema", &f.name.schema),
                    ("name", &f.name.name),
                    ("args", &f.args),
                ],
            )
        }),
        Dependency::Type(n) => match refs.type_kind(n) {
            Some(k) => refs.object(k, n),
            None => fallback("type", &[("schema", &n.schema), ("name", &n.name)]),
        },
        Dependency::Sequence(n) if refs.contains(Kind::Sequence, n) => {
            refs.object(Kind::Sequence, n)
        }
        Dependency::Sequence(n) => {
            fallback("sequence", &[("schema", &n.schema), ("name", &n.name)])
        }
    }
}

/// `function.f`, or `{ schema = ..., name = ..., args = ... }` for functions outside the model.
fn function_ref(refs: &Refs<'_>, f: &FunctionRef) -> String {
    match refs.function(f) {
        Some(r) => r,
        None => format!(
            "{{ schema = {}, name = {}, args = {} }}",
            quote(&f.name.schema),
            quote(&f.name.name),
            quote(&f.args)
        ),
    }
}

pub(crate) fn function(root: &mut Body, refs: &Refs<'_>, f: &Function) {
    let kind = match f.kind {
        FunctionKind::Function => Kind::Function,
        FunctionKind::Procedure => Kind::Procedure,
    };
    let b = root.block(kind.root(), &refs.labels(kind, &f.name));
    b.attr("schema", Refs::schema(&f.name.schema));
    b.attr("lang", language(&f.language));
    let mut setof = false;
    match &f.returns {
        None => {}
        Some(Returns::Type { ty, setof: s }) => {
            b.attr("return", refs.ty(ty));
            setof = *s;
        }
        Some(Returns::Table) => b.attr("return", "TABLE"),
        Some(Returns::Trigger) => b.attr("return", "trigger"),
    }
    b.flag("return_set", setof);
    b.attr("as", text_block(&f.body, 1));
    match f.volatility {
        Volatility::Volatile => {}
        Volatility::Stable => b.attr("volatility", "STABLE"),
        Volatility::Immutable => b.attr("volatility", "IMMUTABLE"),
    }
    b.flag("strict", f.strict);
    if f.security_definer {
        b.attr("security", "DEFINER");
    }
    b.flag("leakproof", f.leakproof);
    match f.parallel {
        Parallel::Unsafe => {}
        Parallel::Restricted => b.attr("parallel", "RESTRICTED"),
        Parallel::Safe => b.attr("parallel", "SAFE"),
    }
    if f.cost != default_cost(&f.language) {
        b.attr("cost", number(f.cost));
    }
    if f.rows != default_rows(f.returns.as_ref()) {
        b.attr("rows", number(f.rows));
    }
    if !f.config.is_empty() {
        b.attr("config", list(f.config.iter().map(|c| quote(c))));
    }
    b.opt_str("comment", f.comment.as_ref());
    depends_on(b, refs, &f.depends_on);
    for a in &f.args {
        let labels: Vec<&str> = if a.name.is_empty() {
            vec![]
        } else {
            vec![&a.name]
        };
        let ab = b.block("arg", &labels);
        ab.attr("type", refs.ty(&a.ty));
        match a.mode {
            ArgMode::In => {}
            ArgMode::Out => ab.attr("mode", "OUT"),
            ArgMode::InOut => ab.attr("mode", "INOUT"),
            ArgMode::Variadic => ab.attr("mode", "VARIADIC"),
            ArgMode::Table => ab.attr("mode", "TABLE"),
        }
        ab.opt_attr(
            "default",
            a.default.as_deref().map(|d| Refs::default(d, &a.ty)),
        );
    }
}

/// `SQL`, `PLpgSQL` (Atlas's spellings), else the language name as a string.
fn language(l: &str) -> String {
    match l {
        "sql" => "SQL".to_owned(),
        "plpgsql" => "PLpgSQL".to_owned(),
        other => quote(other),
    }
}

/// PostgreSQL's default `COST`: 1 for C and internal functions, 100 otherwise.
pub(crate) fn default_cost(language: &str) -> f64 {
    if language == "c" || language == "internal" {
        1.0
    } else {
        100.0
    }
}

/// PostgreSQL's default `ROWS`: 1000 for set-returning functions, else 0.
pub(crate) fn default_rows(returns: Option<&Returns>) -> f64 {
    match returns {
        Some(Returns::Type { setof: true, .. } | Returns::Table) => 1000.0,
        _ => 0.0,
    }
}

fn number(x: f64) -> String {
    format!("{x}")
}

pub(crate) fn trigger(root: &mut Body, refs: &Refs<'_>, t: &Trigger) {
    let b = root.block("trigger", &[&t.name]);
    b.attr("on", refs.object(refs.relation_kind(&t.table), &t.table));
    b.attr("for", if t.for_each_row { "ROW" } else { "STATEMENT" });
    b.opt_str("when", t.when.as_ref());
    if let Some(d) = t.constraint {
        b.attr("constraint", "true");
        deferrable(b, d);
    }
    match t.enabled {
        TriggerEnabled::Origin => {}
        TriggerEnabled::Disabled => b.attr("enabled", "DISABLED"),
        TriggerEnabled::Replica => b.attr("enabled", "REPLICA"),
        TriggerEnabled::Always => b.attr("enabled", "ALWAYS"),
    }
    b.opt_str("comment", t.comment.as_ref());
    let timing = match t.timing {
        TriggerTiming::Before => "before",
        TriggerTiming::After => "after",
        TriggerTiming::InsteadOf => "instead_of",
    };
    let tb = b.block(timing, &[]);
    for (ev, key) in [
        (TriggerEvent::Insert, "insert"),
        (TriggerEvent::Update, "update"),
        (TriggerEvent::Delete, "delete"),
        (TriggerEvent::Truncate, "truncate"),
    ] {
        tb.flag(key, t.events.contains(&ev));
    }
    if !t.update_of.is_empty() {
        tb.attr("update_of", super::table::columns(&t.update_of));
    }
    if t.old_table.is_some() || t.new_table.is_some() {
        let rb = b.block("referencing", &[]);
        rb.opt_str("old_table", t.old_table.as_ref());
        rb.opt_str("new_table", t.new_table.as_ref());
    }
    let eb = b.block("execute", &[]);
    eb.attr("function", function_ref(refs, &t.function));
    if !t.args.is_empty() {
        eb.attr("args", list(t.args.iter().map(|a| quote(a))));
    }
}

pub(crate) fn policy(root: &mut Body, refs: &Refs<'_>, p: &Policy) {
    let b = root.block("policy", &[&p.name]);
    b.attr("on", refs.object(Kind::Table, &p.table));
    if !p.permissive {
        b.attr("as", "RESTRICTIVE");
    }
    match p.command {
        PolicyCommand::All => {}
        PolicyCommand::Select => b.attr("for", "SELECT"),
        PolicyCommand::Insert => b.attr("for", "INSERT"),
        PolicyCommand::Update => b.attr("for", "UPDATE"),
        PolicyCommand::Delete => b.attr("for", "DELETE"),
    }
    if !p.roles.is_empty() {
        b.attr(
            "to",
            list(p.roles.iter().map(|r| {
                if r == "public" {
                    "PUBLIC".to_owned()
                } else {
                    quote(r)
                }
            })),
        );
    }
    b.opt_str("using", p.using.as_ref());
    b.opt_str("check", p.check.as_ref());
    b.opt_str("comment", p.comment.as_ref());
}
