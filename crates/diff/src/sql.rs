//! [`Change`] → PostgreSQL DDL text and a one-line description. Identifiers and literals are
//! quoted with `hclgen::quote_ident` / `hclgen::quote_literal` only, through the helpers here.

use std::fmt::Write as _;

use hclgen::{
    ArgMode, Check, CheckOption, Column, Deferrable, Exclusion, FkAction, ForeignKey, Function,
    FunctionKind, FunctionRef, Identity, Index, IndexKey, IndexPart, Parallel, PartitionKey,
    PartitionStrategy, Policy, PolicyCommand, PrimaryKey, QualifiedName, Returns, SequenceOptions,
    SerialWidth, Table, Trigger, TriggerEnabled, TriggerEvent, TriggerTiming, Type, TypeKind,
    UniqueConstraint, View, Volatility, quote_ident, quote_literal,
};

use crate::change::{
    Change, CommentTarget, CompositeChange, ConstraintKind, DomainChange, EnumPosition,
};

/// `schema.name`, each part quoted when needed.
pub(crate) fn qn(n: &QualifiedName) -> String {
    format!("{}.{}", quote_ident(&n.schema), quote_ident(&n.name))
}

fn ident(s: &str) -> String {
    quote_ident(s)
}

fn lit(s: &str) -> String {
    quote_literal(s)
}

fn idents(cols: &[String]) -> String {
    cols.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ")
}

/// A collation name as the model keeps it (`C`, `en_US`, `public.ci`), quoted for `COLLATE`.
fn collation(c: &str) -> String {
    if c.starts_with('"') {
        return c.to_owned();
    }
    match c.split_once('.') {
        Some((schema, name)) => format!("{}.{}", ident(schema), ident(name)),
        None => ident(c),
    }
}

/// The integer type behind a serial width.
pub(crate) fn serial_base(w: SerialWidth) -> &'static str {
    match w {
        SerialWidth::Small => "smallint",
        SerialWidth::Regular => "integer",
        SerialWidth::Big => "bigint",
    }
}

fn deferrable(d: Deferrable) -> &'static str {
    match d {
        Deferrable::No => "",
        Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE",
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    }
}

fn fk_action(a: FkAction) -> &'static str {
    match a {
        FkAction::NoAction => "NO ACTION",
        FkAction::Restrict => "RESTRICT",
        FkAction::Cascade => "CASCADE",
        FkAction::SetNull => "SET NULL",
        FkAction::SetDefault => "SET DEFAULT",
    }
}

/// Sequence options that differ from PostgreSQL's defaults for `base` (all of them for a
/// descending sequence, whose defaults differ), each prefixed with `prefix` (`""` or `"SET "`).
fn seq_options(o: &SequenceOptions, base: &str, prefix: &str) -> Vec<String> {
    let d = SequenceOptions::defaults_for(base);
    let all = o.increment < 0;
    let mut out = Vec::new();
    if all || o.start != d.start {
        out.push(format!("{prefix}START WITH {}", o.start));
    }
    if all || o.increment != d.increment {
        out.push(format!("{prefix}INCREMENT BY {}", o.increment));
    }
    if all || o.min_value != d.min_value {
        out.push(format!("{prefix}MINVALUE {}", o.min_value));
    }
    if all || o.max_value != d.max_value {
        out.push(format!("{prefix}MAXVALUE {}", o.max_value));
    }
    if all || o.cache != d.cache {
        out.push(format!("{prefix}CACHE {}", o.cache));
    }
    if o.cycle {
        out.push(format!("{prefix}CYCLE"));
    }
    out
}

/// Options changed between two sequence option sets, as `ALTER SEQUENCE` clauses.
fn seq_option_changes(from: &SequenceOptions, to: &SequenceOptions, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    if from.start != to.start {
        out.push(format!("{prefix}START WITH {}", to.start));
    }
    if from.increment != to.increment {
        out.push(format!("{prefix}INCREMENT BY {}", to.increment));
    }
    if from.min_value != to.min_value {
        out.push(format!("{prefix}MINVALUE {}", to.min_value));
    }
    if from.max_value != to.max_value {
        out.push(format!("{prefix}MAXVALUE {}", to.max_value));
    }
    if from.cache != to.cache {
        out.push(format!("{prefix}CACHE {}", to.cache));
    }
    if from.cycle != to.cycle {
        out.push(format!(
            "{prefix}{}",
            if to.cycle { "CYCLE" } else { "NO CYCLE" }
        ));
    }
    out
}

fn identity_clause(id: &Identity, base: &str) -> String {
    let mode = if id.always { "ALWAYS" } else { "BY DEFAULT" };
    let opts = seq_options(&id.options, base, "");
    if opts.is_empty() {
        format!("GENERATED {mode} AS IDENTITY")
    } else {
        format!("GENERATED {mode} AS IDENTITY ({})", opts.join(" "))
    }
}

/// The integer type of a column, for identity option defaults.
pub(crate) fn base_type(ty: &Type) -> String {
    match ty {
        Type::Serial(w) => serial_base(*w).to_owned(),
        other => other.to_sql(),
    }
}

/// A column definition as in `CREATE TABLE` / `ADD COLUMN`.
fn column_def(c: &Column) -> String {
    let mut s = format!("{} {}", ident(&c.name), c.ty.to_sql());
    if let Some(coll) = &c.collation {
        let _ = write!(s, " COLLATE {}", collation(coll));
    }
    if let Some(g) = &c.generated {
        let kind = if c.generated_virtual {
            "VIRTUAL"
        } else {
            "STORED"
        };
        let _ = write!(s, " GENERATED ALWAYS AS {} {kind}", parenthesized(g));
    }
    if let Some(id) = &c.identity {
        let _ = write!(s, " {}", identity_clause(id, &base_type(&c.ty)));
    }
    if let Some(d) = &c.default {
        let _ = write!(s, " DEFAULT {d}");
    }
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    s
}

fn index_part(p: &IndexPart, with_order: bool) -> String {
    let mut s = match &p.key {
        IndexKey::Column(c) => ident(c),
        IndexKey::Expr(e) => format!("({e})"),
    };
    if let Some(c) = &p.collation {
        let _ = write!(s, " COLLATE {}", collation(c));
    }
    if let Some(o) = &p.opclass {
        let _ = write!(s, " {o}");
    }
    if with_order {
        if p.desc {
            s.push_str(" DESC");
        }
        if p.nulls_first != p.desc {
            s.push_str(if p.nulls_first {
                " NULLS FIRST"
            } else {
                " NULLS LAST"
            });
        }
    }
    s
}

fn include(cols: &[String]) -> String {
    if cols.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", idents(cols))
    }
}

fn pk_def(pk: &PrimaryKey) -> String {
    format!(
        "CONSTRAINT {} PRIMARY KEY ({}){}{}",
        ident(&pk.name),
        idents(&pk.columns),
        include(&pk.include),
        deferrable(pk.deferrable)
    )
}

fn unique_def(u: &UniqueConstraint) -> String {
    format!(
        "CONSTRAINT {} UNIQUE{} ({}){}{}",
        ident(&u.name),
        if u.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        idents(&u.columns),
        include(&u.include),
        deferrable(u.deferrable)
    )
}

/// `(expr)` unless the deparsed expression already has its outer parentheses.
fn parenthesized(e: &str) -> String {
    let t = e.trim();
    if pgsql::is_parenthesized(t) {
        t.to_owned()
    } else {
        format!("({t})")
    }
}

fn check_def(c: &Check, with_not_valid: bool) -> String {
    let mut s = format!(
        "CONSTRAINT {} CHECK {}",
        ident(&c.name),
        parenthesized(&c.expr)
    );
    if c.no_inherit {
        s.push_str(" NO INHERIT");
    }
    if with_not_valid && c.not_valid {
        s.push_str(" NOT VALID");
    }
    s
}

fn exclusion_def(x: &Exclusion) -> String {
    let elems = x
        .elements
        .iter()
        .map(|e| format!("{} WITH {}", index_part(&e.part, true), e.operator))
        .collect::<Vec<_>>()
        .join(", ");
    let mut s = format!(
        "CONSTRAINT {} EXCLUDE USING {} ({elems}){}",
        ident(&x.name),
        x.method,
        include(&x.include)
    );
    if let Some(p) = &x.predicate {
        let _ = write!(s, " WHERE {}", parenthesized(p));
    }
    s.push_str(deferrable(x.deferrable));
    s
}

fn fk_def(fk: &ForeignKey) -> String {
    let mut s = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        ident(&fk.name),
        idents(&fk.columns),
        qn(&fk.ref_table),
        idents(&fk.ref_columns)
    );
    if fk.match_full {
        s.push_str(" MATCH FULL");
    }
    if fk.on_update != FkAction::NoAction {
        let _ = write!(s, " ON UPDATE {}", fk_action(fk.on_update));
    }
    if fk.on_delete != FkAction::NoAction {
        let _ = write!(s, " ON DELETE {}", fk_action(fk.on_delete));
    }
    s.push_str(deferrable(fk.deferrable));
    if fk.not_valid {
        s.push_str(" NOT VALID");
    }
    s
}

fn partition_by(k: &PartitionKey) -> String {
    let strategy = match k.strategy {
        PartitionStrategy::Range => "RANGE",
        PartitionStrategy::List => "LIST",
        PartitionStrategy::Hash => "HASH",
    };
    let parts = k
        .parts
        .iter()
        .map(|p| index_part(p, false))
        .collect::<Vec<_>>()
        .join(", ");
    format!(" PARTITION BY {strategy} ({parts})")
}

fn create_table(t: &Table) -> String {
    let mut items: Vec<String> = Vec::new();
    if t.partition_of.is_none() {
        items.extend(t.columns.iter().filter(|c| !c.inherited).map(column_def));
    }
    items.extend(t.primary_key.iter().map(pk_def));
    items.extend(t.uniques.iter().map(unique_def));
    // NOT VALID checks are added by a separate ALTER TABLE (CREATE TABLE would validate them).
    items.extend(
        t.checks
            .iter()
            .filter(|c| !c.not_valid)
            .map(|c| check_def(c, false)),
    );
    items.extend(t.exclusions.iter().map(exclusion_def));
    let unlogged = if t.unlogged { "UNLOGGED " } else { "" };
    let mut s = format!("CREATE {unlogged}TABLE {}", qn(&t.name));
    match &t.partition_of {
        Some(p) => {
            let _ = write!(s, " PARTITION OF {}", qn(&p.parent));
            if !items.is_empty() {
                let _ = write!(s, " (\n  {}\n)", items.join(",\n  "));
            }
            let _ = write!(s, " {}", p.bound);
        }
        None => {
            if items.is_empty() {
                s.push_str(" ()");
            } else {
                let _ = write!(s, " (\n  {}\n)", items.join(",\n  "));
            }
            if !t.inherits.is_empty() {
                let parents = t.inherits.iter().map(qn).collect::<Vec<_>>().join(", ");
                let _ = write!(s, " INHERITS ({parents})");
            }
        }
    }
    if let Some(k) = &t.partition_by {
        s.push_str(&partition_by(k));
    }
    s
}

/// `DROP INDEX [CONCURRENTLY]` of an index of `table` (indexes live in their table's schema).
pub(crate) fn drop_index(table: &QualifiedName, name: &str, concurrently: bool) -> String {
    format!(
        "DROP INDEX {}{}",
        if concurrently { "CONCURRENTLY " } else { "" },
        qn(&QualifiedName::new(table.schema.clone(), name.to_owned()))
    )
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] …`.
pub(crate) fn create_index(table: &QualifiedName, i: &Index, concurrently: bool) -> String {
    let parts = i
        .parts
        .iter()
        .map(|p| index_part(p, true))
        .collect::<Vec<_>>()
        .join(", ");
    let mut s = format!(
        "CREATE {}INDEX {}{} ON {} USING {} ({parts}){}",
        if i.unique { "UNIQUE " } else { "" },
        if concurrently { "CONCURRENTLY " } else { "" },
        ident(&i.name),
        qn(table),
        i.method,
        include(&i.include)
    );
    if i.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    if !i.with.is_empty() {
        let _ = write!(s, " WITH ({})", i.with.join(", "));
    }
    if let Some(p) = &i.predicate {
        let _ = write!(s, " WHERE {}", parenthesized(p));
    }
    s
}

fn create_view(v: &View, replace: bool) -> String {
    let mut opts = Vec::new();
    if v.security_barrier {
        opts.push("security_barrier = true");
    }
    if v.security_invoker {
        opts.push("security_invoker = true");
    }
    let kind = if v.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    let or_replace = if replace { "OR REPLACE " } else { "" };
    let mut s = format!("CREATE {or_replace}{kind} {}", qn(&v.name));
    if !opts.is_empty() {
        let _ = write!(s, " WITH ({})", opts.join(", "));
    }
    let _ = write!(s, " AS\n{}", v.definition.trim().trim_end_matches(';'));
    match v.check_option {
        Some(CheckOption::Local) => s.push_str("\nWITH LOCAL CHECK OPTION"),
        Some(CheckOption::Cascaded) => s.push_str("\nWITH CASCADED CHECK OPTION"),
        None => {}
    }
    s
}

/// A `$tag$` that cannot close early inside `body`.
fn dollar_tag(base: &str, body: &str) -> String {
    pgsql::dollar_tag(base, body)
}

fn function_kind(k: FunctionKind) -> &'static str {
    match k {
        FunctionKind::Function => "FUNCTION",
        FunctionKind::Procedure => "PROCEDURE",
    }
}

pub(crate) fn function_ref(f: &FunctionRef) -> String {
    format!("{}({})", qn(&f.name), f.args)
}

/// GUCs whose `proconfig` value is a list printed ready for `SET` (pg_dump's GUC_LIST_QUOTE).
const LIST_GUCS: &[&str] = &[
    "search_path",
    "temp_tablespaces",
    "session_preload_libraries",
    "shared_preload_libraries",
    "local_preload_libraries",
];

fn create_function(f: &Function, replace: bool) -> String {
    let args = f
        .args
        .iter()
        .filter(|a| a.mode != ArgMode::Table)
        .map(|a| {
            let mode = match a.mode {
                ArgMode::In | ArgMode::Table => "",
                ArgMode::Out => "OUT ",
                ArgMode::InOut => "INOUT ",
                ArgMode::Variadic => "VARIADIC ",
            };
            let name = if a.name.is_empty() {
                String::new()
            } else {
                format!("{} ", ident(&a.name))
            };
            let default = a
                .default
                .as_ref()
                .map(|d| format!(" DEFAULT {d}"))
                .unwrap_or_default();
            format!("{mode}{name}{}{default}", a.ty.to_sql())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let or_replace = if replace { "OR REPLACE " } else { "" };
    let mut s = format!(
        "CREATE {or_replace}{} {}({args})",
        function_kind(f.kind),
        qn(&f.name)
    );
    match &f.returns {
        Some(Returns::Type { ty, setof }) => {
            let _ = write!(
                s,
                "\n RETURNS {}{}",
                if *setof { "SETOF " } else { "" },
                ty.to_sql()
            );
        }
        Some(Returns::Table) => {
            let cols = f
                .args
                .iter()
                .filter(|a| a.mode == ArgMode::Table)
                .map(|a| format!("{} {}", ident(&a.name), a.ty.to_sql()))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = write!(s, "\n RETURNS TABLE({cols})");
        }
        Some(Returns::Trigger) => s.push_str("\n RETURNS trigger"),
        None => {}
    }
    let _ = write!(s, "\n LANGUAGE {}", ident(&f.language));
    if f.kind == FunctionKind::Function {
        match f.volatility {
            Volatility::Volatile => {}
            Volatility::Stable => s.push_str(" STABLE"),
            Volatility::Immutable => s.push_str(" IMMUTABLE"),
        }
        if f.strict {
            s.push_str(" STRICT");
        }
        if f.leakproof {
            s.push_str(" LEAKPROOF");
        }
        match f.parallel {
            Parallel::Unsafe => {}
            Parallel::Restricted => s.push_str(" PARALLEL RESTRICTED"),
            Parallel::Safe => s.push_str(" PARALLEL SAFE"),
        }
    }
    if f.security_definer {
        s.push_str(" SECURITY DEFINER");
    }
    if f.kind == FunctionKind::Function {
        let default_cost = if matches!(f.language.as_str(), "c" | "internal") {
            1.0
        } else {
            100.0
        };
        if f.cost != default_cost && f.cost > 0.0 {
            let _ = write!(s, " COST {}", f.cost);
        }
        let set_returning = matches!(
            &f.returns,
            Some(Returns::Type { setof: true, .. }) | Some(Returns::Table)
        );
        if set_returning && f.rows > 0.0 && f.rows != 1000.0 {
            let _ = write!(s, " ROWS {}", f.rows);
        }
    }
    for cfg in &f.config {
        let (name, value) = cfg.split_once('=').unwrap_or((cfg.as_str(), ""));
        if LIST_GUCS.contains(&name) {
            let _ = write!(s, "\n SET {} TO {value}", ident(name));
        } else {
            let _ = write!(s, "\n SET {} TO {}", ident(name), lit(value));
        }
    }
    if let Some(body) = standard_body(&s, f) {
        let _ = write!(s, "\n{body}");
        return s;
    }
    let tag = dollar_tag("function", &f.body);
    let _ = write!(s, "\nAS {tag}{}{tag}", f.body);
    s
}

/// A SQL-standard body (`RETURN …` or `BEGIN ATOMIC … END`, as `pg_get_function_sqlbody`
/// prints it, like pg_dump's `pg_get_functiondef`) written as it is: dollar-quoted, it would
/// become a string body, which PostgreSQL rejects when it inlines the function (kestra's
/// `PARSE_ISO8601_DATETIME`). The body comes from an HCL file, so it is written unquoted only
/// when the statement it completes (`head` + body + `;`) still splits as exactly one statement
/// ending at that `;`, with no psql meta-command and nothing unterminated; otherwise it stays
/// dollar-quoted (a string cannot escape).
fn standard_body<'f>(head: &str, f: &'f Function) -> Option<&'f str> {
    if !is_standard_body(f) {
        return None;
    }
    let body = f.body.trim();
    let statement = format!("{head}\n{body};");
    let split = pgsql::split(&statement);
    let one = split.statements.len() == 1
        && split.statements[0].semicolon == Some(statement.len() - 1)
        && split.unterminated().is_none()
        && !split
            .tokens
            .iter()
            .any(|t| t.kind == pgsql::TokenKind::MetaCommand);
    one.then_some(body)
}

/// A `LANGUAGE sql` body that starts `RETURN` or `BEGIN ATOMIC`: SQL-standard, parsed (and
/// its dependencies recorded) when the function is created.
pub(crate) fn is_standard_body(f: &Function) -> bool {
    if !f.language.eq_ignore_ascii_case("sql") {
        return false;
    }
    let body = f.body.trim();
    let words: Vec<pgsql::Token> = pgsql::tokens(body)
        .into_iter()
        .filter(|t| !t.is_comment())
        .take(2)
        .collect();
    match words.as_slice() {
        [first, second] => {
            first.is_word(body, "return")
                || (first.is_word(body, "begin") && second.is_word(body, "atomic"))
        }
        [first] => first.is_word(body, "return"),
        _ => false,
    }
}

fn trigger_event(e: TriggerEvent, t: &Trigger) -> String {
    match e {
        TriggerEvent::Insert => "INSERT".to_owned(),
        TriggerEvent::Update if !t.update_of.is_empty() => {
            format!("UPDATE OF {}", idents(&t.update_of))
        }
        TriggerEvent::Update => "UPDATE".to_owned(),
        TriggerEvent::Delete => "DELETE".to_owned(),
        TriggerEvent::Truncate => "TRUNCATE".to_owned(),
    }
}

fn create_trigger(t: &Trigger) -> String {
    let timing = match t.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let events = t
        .events
        .iter()
        .map(|e| trigger_event(*e, t))
        .collect::<Vec<_>>()
        .join(" OR ");
    let mut s = format!(
        "CREATE {}TRIGGER {} {timing} {events} ON {}",
        if t.constraint.is_some() {
            "CONSTRAINT "
        } else {
            ""
        },
        ident(&t.name),
        qn(&t.table)
    );
    if let Some(d) = t.constraint {
        s.push_str(match d {
            Deferrable::No => " NOT DEFERRABLE",
            other => deferrable(other),
        });
    }
    if t.old_table.is_some() || t.new_table.is_some() {
        s.push_str(" REFERENCING");
        if let Some(o) = &t.old_table {
            let _ = write!(s, " OLD TABLE AS {}", ident(o));
        }
        if let Some(n) = &t.new_table {
            let _ = write!(s, " NEW TABLE AS {}", ident(n));
        }
    }
    s.push_str(if t.for_each_row {
        " FOR EACH ROW"
    } else {
        " FOR EACH STATEMENT"
    });
    if let Some(w) = &t.when {
        let _ = write!(s, " WHEN {}", parenthesized(w));
    }
    let args = t.args.iter().map(|a| lit(a)).collect::<Vec<_>>().join(", ");
    let _ = write!(s, " EXECUTE FUNCTION {}({args})", qn(&t.function.name));
    s
}

fn policy_roles(p: &Policy) -> String {
    if p.roles.is_empty() {
        return "PUBLIC".to_owned();
    }
    p.roles
        .iter()
        .map(|r| {
            if r == "public" {
                "PUBLIC".to_owned()
            } else {
                ident(r)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn policy_tail(p: &Policy) -> String {
    let mut s = format!(" TO {}", policy_roles(p));
    if let Some(u) = &p.using {
        let _ = write!(s, " USING {}", parenthesized(u));
    }
    if let Some(c) = &p.check {
        let _ = write!(s, " WITH CHECK {}", parenthesized(c));
    }
    s
}

fn create_policy(p: &Policy) -> String {
    let cmd = match p.command {
        PolicyCommand::All => "ALL",
        PolicyCommand::Select => "SELECT",
        PolicyCommand::Insert => "INSERT",
        PolicyCommand::Update => "UPDATE",
        PolicyCommand::Delete => "DELETE",
    };
    format!(
        "CREATE POLICY {} ON {} AS {} FOR {cmd}{}",
        ident(&p.name),
        qn(&p.table),
        if p.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        },
        policy_tail(p)
    )
}

fn comment_target(t: &CommentTarget) -> String {
    match t {
        CommentTarget::Schema(s) => format!("SCHEMA {}", ident(s)),
        CommentTarget::Extension(e) => format!("EXTENSION {}", ident(e)),
        CommentTarget::Type(n) => format!("TYPE {}", qn(n)),
        CommentTarget::Domain(n) => format!("DOMAIN {}", qn(n)),
        CommentTarget::Sequence(n) => format!("SEQUENCE {}", qn(n)),
        CommentTarget::Table(n) => format!("TABLE {}", qn(n)),
        CommentTarget::View { name, materialized } => format!(
            "{} {}",
            if *materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            },
            qn(name)
        ),
        CommentTarget::Column(c) => format!("COLUMN {}.{}", qn(&c.table), ident(&c.column)),
        CommentTarget::Index(n) => format!("INDEX {}", qn(n)),
        CommentTarget::Constraint { table, name } => {
            format!("CONSTRAINT {} ON {}", ident(name), qn(table))
        }
        CommentTarget::DomainConstraint { domain, name } => {
            format!("CONSTRAINT {} ON DOMAIN {}", ident(name), qn(domain))
        }
        CommentTarget::Function { kind, function } => {
            format!("{} {}", function_kind(*kind), function_ref(function))
        }
        CommentTarget::Trigger { table, name } => {
            format!("TRIGGER {} ON {}", ident(name), qn(table))
        }
        CommentTarget::Policy { table, name } => {
            format!("POLICY {} ON {}", ident(name), qn(table))
        }
    }
}

fn alter_column(table: &QualifiedName, column: &str, action: &str) -> String {
    format!(
        "ALTER TABLE {} ALTER COLUMN {} {action}",
        qn(table),
        ident(column)
    )
}

/// A `DO` block around `body`, with a dollar tag that does not occur in it.
fn do_block(declare: &str, body: &str) -> String {
    let tag = dollar_tag("dbm", body);
    format!("DO {tag}\nDECLARE\n{declare}BEGIN\n{body}END\n{tag}")
}

/// `pg_get_serial_sequence('schema.table', 'column')`.
fn serial_sequence(table: &QualifiedName, column: &str) -> String {
    format!(
        "pg_get_serial_sequence({}, {})",
        lit(&qn(table)),
        lit(column)
    )
}

/// The sequence a serial column owns (`<table>_<column>_seq`, as PostgreSQL names it).
pub(crate) fn serial_sequence_name(table: &QualifiedName, column: &str) -> QualifiedName {
    QualifiedName::new(
        table.schema.clone(),
        format!("{}_{}_seq", table.name, column),
    )
}

/// The SQL statement for one change, without the trailing `;`.
pub(crate) fn statement(change: &Change) -> String {
    match change {
        Change::Collation(_)
        | Change::Owner(_)
        | Change::Privilege(_)
        | Change::DefaultPrivilege(_) => change.kind().map(|k| k.statement()).unwrap_or_default(),
        Change::CreateSchema(s) => {
            let ine = if s.name == "public" {
                "IF NOT EXISTS "
            } else {
                ""
            };
            format!("CREATE SCHEMA {ine}{}", ident(&s.name))
        }
        Change::DropSchema(s) => format!("DROP SCHEMA {}", ident(s)),
        Change::CreateExtension(e) => {
            let mut s = format!(
                "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}",
                ident(&e.name),
                ident(&e.schema)
            );
            if !e.version.is_empty() {
                let _ = write!(s, " VERSION {}", lit(&e.version));
            }
            s
        }
        Change::UpdateExtension { name, version } => {
            format!("ALTER EXTENSION {} UPDATE TO {}", ident(name), lit(version))
        }
        Change::SetExtensionSchema { name, schema } => {
            format!(
                "ALTER EXTENSION {} SET SCHEMA {}",
                ident(name),
                ident(schema)
            )
        }
        Change::DropExtension(e) => format!("DROP EXTENSION {}", ident(e)),
        Change::CreateEnum(e) => {
            let values = e
                .values
                .iter()
                .map(|v| lit(v))
                .collect::<Vec<_>>()
                .join(", ");
            format!("CREATE TYPE {} AS ENUM ({values})", qn(&e.name))
        }
        Change::AddEnumValue {
            name,
            value,
            position,
        } => {
            let pos = match position {
                EnumPosition::End => String::new(),
                EnumPosition::Before(v) => format!(" BEFORE {}", lit(v)),
                EnumPosition::After(v) => format!(" AFTER {}", lit(v)),
            };
            format!("ALTER TYPE {} ADD VALUE {}{pos}", qn(name), lit(value))
        }
        Change::RenameType { name, new_name } => {
            format!("ALTER TYPE {} RENAME TO {}", qn(name), ident(new_name))
        }
        Change::CreateDomain(d) => {
            let mut s = format!("CREATE DOMAIN {} AS {}", qn(&d.name), d.ty.to_sql());
            if let Some(c) = &d.collation {
                let _ = write!(s, " COLLATE {}", collation(c));
            }
            if let Some(def) = &d.default {
                let _ = write!(s, " DEFAULT {def}");
            }
            if d.not_null {
                s.push_str(" NOT NULL");
            }
            for c in &d.checks {
                let _ = write!(s, " {}", check_def(c, false));
            }
            s
        }
        Change::AlterDomain { name, change } => {
            let action = match change {
                DomainChange::Default(Some(d)) => format!("SET DEFAULT {d}"),
                DomainChange::Default(None) => "DROP DEFAULT".to_owned(),
                DomainChange::NotNull(true) => "SET NOT NULL".to_owned(),
                DomainChange::NotNull(false) => "DROP NOT NULL".to_owned(),
                DomainChange::AddCheck(c) => format!("ADD {}", check_def(c, true)),
                DomainChange::DropCheck(n) => format!("DROP CONSTRAINT {}", ident(n)),
            };
            format!("ALTER DOMAIN {} {action}", qn(name))
        }
        Change::CreateComposite(c) => {
            let fields = c
                .fields
                .iter()
                .map(|f| {
                    let coll = f
                        .collation
                        .as_ref()
                        .map(|c| format!(" COLLATE {}", collation(c)))
                        .unwrap_or_default();
                    format!("{} {}{coll}", ident(&f.name), f.ty.to_sql())
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("CREATE TYPE {} AS ({fields})", qn(&c.name))
        }
        Change::AlterComposite { name, change } => {
            let action = match change {
                CompositeChange::Add(f) => {
                    let coll = f
                        .collation
                        .as_ref()
                        .map(|c| format!(" COLLATE {}", collation(c)))
                        .unwrap_or_default();
                    format!("ADD ATTRIBUTE {} {}{coll}", ident(&f.name), f.ty.to_sql())
                }
                CompositeChange::Drop(n) => format!("DROP ATTRIBUTE {}", ident(n)),
                CompositeChange::Alter(f) => {
                    let coll = f
                        .collation
                        .as_ref()
                        .map(|c| format!(" COLLATE {}", collation(c)))
                        .unwrap_or_default();
                    format!(
                        "ALTER ATTRIBUTE {} TYPE {}{coll}",
                        ident(&f.name),
                        f.ty.to_sql()
                    )
                }
            };
            format!("ALTER TYPE {} {action}", qn(name))
        }
        Change::CreateRange(r) => {
            let mut opts = vec![format!("SUBTYPE = {}", r.subtype.to_sql())];
            if let Some(o) = &r.subtype_opclass {
                opts.push(format!("SUBTYPE_OPCLASS = {o}"));
            }
            if let Some(c) = &r.collation {
                opts.push(format!("COLLATION = {}", collation(c)));
            }
            if let Some(c) = &r.canonical {
                opts.push(format!("CANONICAL = {c}"));
            }
            if let Some(d) = &r.subtype_diff {
                opts.push(format!("SUBTYPE_DIFF = {d}"));
            }
            if let Some(m) = &r.multirange {
                opts.push(format!(
                    "MULTIRANGE_TYPE_NAME = {}",
                    qn(&QualifiedName::new(r.name.schema.clone(), m.clone()))
                ));
            }
            format!("CREATE TYPE {} AS RANGE ({})", qn(&r.name), opts.join(", "))
        }
        Change::DropType { name, kind } => match kind {
            TypeKind::Domain => format!("DROP DOMAIN {}", qn(name)),
            _ => format!("DROP TYPE {}", qn(name)),
        },
        Change::CreateSequence(seq) => {
            let base = seq.ty.to_sql();
            let mut s = format!("CREATE SEQUENCE {} AS {base}", qn(&seq.name));
            for o in seq_options(&seq.options, &base, "") {
                let _ = write!(s, " {o}");
            }
            s
        }
        Change::AlterSequence { name, ty, from, to } => {
            let mut s = format!("ALTER SEQUENCE {} AS {}", qn(name), ty.to_sql());
            for o in seq_option_changes(from, to, "") {
                let _ = write!(s, " {o}");
            }
            s
        }
        Change::SetSequenceOwner { name, owned_by } => match owned_by {
            Some(c) => format!(
                "ALTER SEQUENCE {} OWNED BY {}.{}",
                qn(name),
                qn(&c.table),
                ident(&c.column)
            ),
            None => format!("ALTER SEQUENCE {} OWNED BY NONE", qn(name)),
        },
        Change::DropSequence(n) => format!("DROP SEQUENCE {}", qn(n)),
        Change::CreateTable(t) => create_table(t),
        Change::DropTable(n) => format!("DROP TABLE {}", qn(n)),
        Change::AddColumn { table, column } => {
            format!(
                "ALTER TABLE {} ADD COLUMN {}",
                qn(table),
                column_def(column)
            )
        }
        Change::DropColumn {
            table,
            column,
            only,
        } => {
            let only = if *only { "ONLY " } else { "" };
            format!(
                "ALTER TABLE {only}{} DROP COLUMN {}",
                qn(table),
                ident(column)
            )
        }
        Change::AlterColumnType {
            table,
            column,
            ty,
            collation: coll,
            using,
        } => {
            let mut action = format!("TYPE {}", ty.to_sql());
            if let Some(c) = coll {
                let _ = write!(action, " COLLATE {}", collation(c));
            }
            if let Some(u) = using {
                let _ = write!(action, " USING {u}");
            }
            alter_column(table, column, &action)
        }
        Change::SetNotNull {
            table,
            column,
            not_null,
        } => alter_column(
            table,
            column,
            if *not_null {
                "SET NOT NULL"
            } else {
                "DROP NOT NULL"
            },
        ),
        Change::SetDefault {
            table,
            column,
            default,
        } => match default {
            Some(d) => alter_column(table, column, &format!("SET DEFAULT {d}")),
            None => alter_column(table, column, "DROP DEFAULT"),
        },
        Change::AddIdentity {
            table,
            column,
            base,
            identity,
        } => alter_column(
            table,
            column,
            &format!("ADD {}", identity_clause(identity, base)),
        ),
        Change::AlterIdentity {
            table,
            column,
            from,
            to,
        } => {
            let mut parts = Vec::new();
            if from.always != to.always {
                parts.push(
                    if to.always {
                        "SET GENERATED ALWAYS"
                    } else {
                        "SET GENERATED BY DEFAULT"
                    }
                    .to_owned(),
                );
            }
            parts.extend(seq_option_changes(&from.options, &to.options, "SET "));
            alter_column(table, column, &parts.join(" "))
        }
        Change::DropIdentity { table, column } => alter_column(table, column, "DROP IDENTITY"),
        Change::DropExpression { table, column } => alter_column(table, column, "DROP EXPRESSION"),
        Change::SetExpression {
            table,
            column,
            expression,
        } => alter_column(
            table,
            column,
            &format!("SET EXPRESSION AS {}", parenthesized(expression)),
        ),
        Change::SerialToIdentity {
            table,
            column,
            base,
            identity,
        } => {
            let t = qn(table);
            let c = ident(column);
            let seq = serial_sequence(table, column);
            let body = format!(
                "  seq := {seq};\n  EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO last, called;\n  ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;\n  EXECUTE format('DROP SEQUENCE %s', seq);\n  ALTER TABLE {t} ALTER COLUMN {c} ADD {};\n  PERFORM setval({seq}, last, called);\n",
                identity_clause(identity, base)
            );
            do_block("  seq text;\n  last bigint;\n  called boolean;\n", &body)
        }
        Change::IdentityToSerial {
            table,
            column,
            width,
        } => {
            let t = qn(table);
            let c = ident(column);
            let seq_name = qn(&serial_sequence_name(table, column));
            let body = format!(
                "  EXECUTE format('SELECT last_value, is_called FROM %s', {}) INTO last, called;\n  ALTER TABLE {t} ALTER COLUMN {c} DROP IDENTITY;\n  CREATE SEQUENCE {seq_name} AS {} OWNED BY {t}.{c};\n  ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT nextval({}::regclass);\n  PERFORM setval({}::regclass, last, called);\n",
                serial_sequence(table, column),
                serial_base(*width),
                lit(&seq_name),
                lit(&seq_name),
            );
            do_block("  last bigint;\n  called boolean;\n", &body)
        }
        Change::AddSerial {
            table,
            column,
            width,
        } => {
            let t = qn(table);
            let c = ident(column);
            let seq_name = qn(&serial_sequence_name(table, column));
            let body = format!(
                "  CREATE SEQUENCE {seq_name} AS {} OWNED BY {t}.{c};\n  ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT nextval({}::regclass);\n  PERFORM setval({}::regclass, COALESCE(max({c}), 0) + 1, false) FROM {t};\n",
                serial_base(*width),
                lit(&seq_name),
                lit(&seq_name),
            );
            do_block("", &body)
        }
        Change::DropSerial { table, column } => {
            let body = format!(
                "  seq := {};\n  ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT;\n  EXECUTE format('DROP SEQUENCE %s', seq);\n",
                serial_sequence(table, column),
                qn(table),
                ident(column)
            );
            do_block("  seq text;\n", &body)
        }
        Change::SerialWidth {
            table,
            column,
            width,
        } => {
            let body = format!(
                "  EXECUTE format('ALTER SEQUENCE %s AS {}', {});\n",
                serial_base(*width),
                serial_sequence(table, column)
            );
            do_block("", &body)
        }
        Change::AddPrimaryKey { table, key } => {
            format!("ALTER TABLE {} ADD {}", qn(table), pk_def(key))
        }
        Change::AddUnique { table, unique } => {
            format!("ALTER TABLE {} ADD {}", qn(table), unique_def(unique))
        }
        Change::AddCheck { table, check } => {
            format!("ALTER TABLE {} ADD {}", qn(table), check_def(check, true))
        }
        Change::AddExclusion { table, exclusion } => {
            format!("ALTER TABLE {} ADD {}", qn(table), exclusion_def(exclusion))
        }
        Change::AddForeignKey { table, fk } => {
            format!("ALTER TABLE {} ADD {}", qn(table), fk_def(fk))
        }
        Change::ValidateConstraint { table, name } => format!(
            "ALTER TABLE {} VALIDATE CONSTRAINT {}",
            qn(table),
            ident(name)
        ),
        Change::DropConstraint { table, name, .. } => {
            format!("ALTER TABLE {} DROP CONSTRAINT {}", qn(table), ident(name))
        }
        Change::CreateIndex { table, index } => create_index(table, index, false),
        Change::DropIndex { table, name } => drop_index(table, name, false),
        Change::AttachPartition {
            table,
            parent,
            bound,
        } => format!(
            "ALTER TABLE {} ATTACH PARTITION {} {bound}",
            qn(parent),
            qn(table)
        ),
        Change::DetachPartition { table, parent } => {
            format!("ALTER TABLE {} DETACH PARTITION {}", qn(parent), qn(table))
        }
        Change::Inherit { table, parent } => {
            format!("ALTER TABLE {} INHERIT {}", qn(table), qn(parent))
        }
        Change::NoInherit { table, parent } => {
            format!("ALTER TABLE {} NO INHERIT {}", qn(table), qn(parent))
        }
        Change::SetUnlogged { table, unlogged } => format!(
            "ALTER TABLE {} SET {}",
            qn(table),
            if *unlogged { "UNLOGGED" } else { "LOGGED" }
        ),
        Change::SetRls { table, enabled } => format!(
            "ALTER TABLE {} {} ROW LEVEL SECURITY",
            qn(table),
            if *enabled { "ENABLE" } else { "DISABLE" }
        ),
        Change::ForceRls { table, forced } => format!(
            "ALTER TABLE {} {} ROW LEVEL SECURITY",
            qn(table),
            if *forced { "FORCE" } else { "NO FORCE" }
        ),
        Change::CreateView { view, replace } => create_view(view, *replace),
        Change::DropView { name, materialized } => format!(
            "DROP {} {}",
            if *materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            },
            qn(name)
        ),
        Change::CreateFunction { function, replace } => create_function(function, *replace),
        Change::DropFunction { kind, function } => {
            format!("DROP {} {}", function_kind(*kind), function_ref(function))
        }
        Change::CreateTrigger(t) => create_trigger(t),
        Change::SetTriggerEnabled {
            table,
            name,
            enabled,
        } => {
            let action = match enabled {
                TriggerEnabled::Origin => "ENABLE TRIGGER",
                TriggerEnabled::Disabled => "DISABLE TRIGGER",
                TriggerEnabled::Replica => "ENABLE REPLICA TRIGGER",
                TriggerEnabled::Always => "ENABLE ALWAYS TRIGGER",
            };
            format!("ALTER TABLE {} {action} {}", qn(table), ident(name))
        }
        Change::DropTrigger { table, name } => {
            format!("DROP TRIGGER {} ON {}", ident(name), qn(table))
        }
        Change::CreatePolicy(p) => create_policy(p),
        Change::AlterPolicy(p) => format!(
            "ALTER POLICY {} ON {}{}",
            ident(&p.name),
            qn(&p.table),
            policy_tail(p)
        ),
        Change::DropPolicy { table, name } => {
            format!("DROP POLICY {} ON {}", ident(name), qn(table))
        }
        Change::Comment { target, text } => format!(
            "COMMENT ON {} IS {}",
            comment_target(target),
            text.as_deref().map_or_else(|| "NULL".to_owned(), lit)
        ),
        Change::SkipFunctionBodyChecks => "SET check_function_bodies = off".to_owned(),
    }
}

/// `"schema"."name"` for comments: always quoted, so names read the same in every comment.
/// `"schema"."name"` for descriptions (quotes doubled, always quoted).
pub(crate) fn q(n: &QualifiedName) -> String {
    format!(
        "\"{}\".\"{}\"",
        n.schema.replace('"', "\"\""),
        n.name.replace('"', "\"\"")
    )
}

fn constraint_word(k: ConstraintKind) -> &'static str {
    match k {
        ConstraintKind::PrimaryKey => "primary key",
        ConstraintKind::Unique => "unique constraint",
        ConstraintKind::Check => "check constraint",
        ConstraintKind::Exclusion => "exclusion constraint",
        ConstraintKind::ForeignKey => "foreign key",
    }
}

fn comment_what(t: &CommentTarget) -> String {
    match t {
        CommentTarget::Schema(s) => format!("schema \"{s}\""),
        CommentTarget::Extension(e) => format!("extension \"{e}\""),
        CommentTarget::Type(n) => format!("type {}", q(n)),
        CommentTarget::Domain(n) => format!("domain {}", q(n)),
        CommentTarget::Sequence(n) => format!("sequence {}", q(n)),
        CommentTarget::Table(n) => format!("table {}", q(n)),
        CommentTarget::View { name, .. } => format!("view {}", q(name)),
        CommentTarget::Column(c) => format!("column \"{}\" of {}", c.column, q(&c.table)),
        CommentTarget::Index(n) => format!("index {}", q(n)),
        CommentTarget::Constraint { table, name } => {
            format!("constraint \"{name}\" of table {}", q(table))
        }
        CommentTarget::DomainConstraint { domain, name } => {
            format!("constraint \"{name}\" of domain {}", q(domain))
        }
        CommentTarget::Function { function, .. } => {
            format!("function {}({})", q(&function.name), function.args)
        }
        CommentTarget::Trigger { table, name } => {
            format!("trigger \"{name}\" on {}", q(table))
        }
        CommentTarget::Policy { table, name } => format!("policy \"{name}\" on {}", q(table)),
    }
}

pub(crate) fn col(table: &QualifiedName, column: &str) -> String {
    format!("column \"{column}\" of table {}", q(table))
}

/// What a change does, in words (the `-- ` comment above the statement).
pub(crate) fn describe(change: &Change) -> String {
    match change {
        Change::Collation(_)
        | Change::Owner(_)
        | Change::Privilege(_)
        | Change::DefaultPrivilege(_) => change.kind().map(|k| k.describe()).unwrap_or_default(),
        Change::CreateSchema(s) => format!("Create schema \"{}\"", s.name),
        Change::DropSchema(s) => format!("Drop schema \"{s}\""),
        Change::CreateExtension(e) => format!("Create extension \"{}\"", e.name),
        Change::UpdateExtension { name, version } => {
            format!("Update extension \"{name}\" to version {version}")
        }
        Change::SetExtensionSchema { name, schema } => {
            format!("Move extension \"{name}\" to schema \"{schema}\"")
        }
        Change::DropExtension(e) => format!("Drop extension \"{e}\""),
        Change::CreateEnum(e) => format!("Create enum type {}", q(&e.name)),
        Change::AddEnumValue { name, value, .. } => format!(
            "Add value '{value}' to enum type {} (usable once committed: nothing in this plan uses it)",
            q(name)
        ),
        Change::RenameType { name, new_name } => format!(
            "Move type {} aside as \"{new_name}\" so that it can be re-created",
            q(name)
        ),
        Change::CreateDomain(d) => format!("Create domain {}", q(&d.name)),
        Change::AlterDomain { name, .. } => format!("Modify domain {}", q(name)),
        Change::CreateComposite(c) => format!("Create composite type {}", q(&c.name)),
        Change::AlterComposite { name, .. } => format!("Modify composite type {}", q(name)),
        Change::CreateRange(r) => format!("Create range type {}", q(&r.name)),
        Change::DropType { name, kind } => match kind {
            TypeKind::Domain => format!("Drop domain {}", q(name)),
            _ => format!("Drop type {}", q(name)),
        },
        Change::CreateSequence(s) => format!("Create sequence {}", q(&s.name)),
        Change::AlterSequence { name, .. } => {
            format!("Modify sequence {} (its current value is kept)", q(name))
        }
        Change::SetSequenceOwner { name, .. } => format!("Set owner of sequence {}", q(name)),
        Change::DropSequence(n) => format!("Drop sequence {} (its current value is lost)", q(n)),
        Change::CreateTable(t) => format!("Create table {}", q(&t.name)),
        Change::DropTable(n) => format!("Drop table {} (data loss)", q(n)),
        Change::AddColumn { table, column } => format!("Add {}", col(table, &column.name)),
        Change::DropColumn {
            table,
            column,
            only: false,
        } => format!("Drop {} (data loss)", col(table, column)),
        Change::DropColumn {
            table,
            column,
            only: true,
        } => format!(
            "Drop {} (data loss; inheritance children keep their copy)",
            col(table, column)
        ),
        Change::AlterColumnType { table, column, .. } => {
            format!("Change type of {}", col(table, column))
        }
        Change::SetNotNull {
            table,
            column,
            not_null,
        } => format!(
            "{} {}",
            if *not_null {
                "Set NOT NULL on"
            } else {
                "Drop NOT NULL on"
            },
            col(table, column)
        ),
        Change::SetDefault {
            table,
            column,
            default,
        } => format!(
            "{} {}",
            if default.is_some() {
                "Set default of"
            } else {
                "Drop default of"
            },
            col(table, column)
        ),
        Change::AddIdentity { table, column, .. } => {
            format!("Make {} an identity column", col(table, column))
        }
        Change::AlterIdentity { table, column, .. } => format!(
            "Modify identity of {} (its current value is kept)",
            col(table, column)
        ),
        Change::DropIdentity { table, column } => {
            format!("Drop identity of {}", col(table, column))
        }
        Change::DropExpression { table, column } => format!(
            "Make generated {} a plain column (values are kept)",
            col(table, column)
        ),
        Change::SetExpression { table, column, .. } => format!(
            "Change the expression of generated {} (values are recomputed, PostgreSQL 17+)",
            col(table, column)
        ),
        Change::SerialToIdentity { table, column, .. } => format!(
            "Turn serial {} into an identity column, continuing from the sequence's current value",
            col(table, column)
        ),
        Change::IdentityToSerial { table, column, .. } => format!(
            "Turn identity {} into a serial column, continuing from the sequence's current value",
            col(table, column)
        ),
        Change::AddSerial { table, column, .. } => format!(
            "Make {} serial (its sequence starts after the largest value)",
            col(table, column)
        ),
        Change::DropSerial { table, column } => format!(
            "Make serial {} a plain integer column (drops its sequence)",
            col(table, column)
        ),
        Change::SerialWidth { table, column, .. } => format!(
            "Change the type of the sequence of serial {}",
            col(table, column)
        ),
        Change::AddPrimaryKey { table, key } => {
            format!("Add primary key \"{}\" to table {}", key.name, q(table))
        }
        Change::AddUnique { table, unique } => format!(
            "Add unique constraint \"{}\" to table {}",
            unique.name,
            q(table)
        ),
        Change::AddCheck { table, check } => format!(
            "Add check constraint \"{}\" to table {}",
            check.name,
            q(table)
        ),
        Change::AddExclusion { table, exclusion } => format!(
            "Add exclusion constraint \"{}\" to table {}",
            exclusion.name,
            q(table)
        ),
        Change::AddForeignKey { table, fk } => format!(
            "Add foreign key \"{}\" to table {} referencing {}",
            fk.name,
            q(table),
            q(&fk.ref_table)
        ),
        Change::ValidateConstraint { table, name } => {
            format!("Validate constraint \"{name}\" of table {}", q(table))
        }
        Change::DropConstraint { table, name, kind } => format!(
            "Drop {} \"{name}\" of table {}",
            constraint_word(*kind),
            q(table)
        ),
        Change::CreateIndex { table, index } => {
            format!("Create index \"{}\" on {}", index.name, q(table))
        }
        Change::DropIndex { table, name } => {
            format!("Drop index \"{name}\" of {}", q(table))
        }
        Change::AttachPartition { table, parent, .. } => {
            format!("Attach partition {} to table {}", q(table), q(parent))
        }
        Change::DetachPartition { table, parent } => {
            format!("Detach partition {} from table {}", q(table), q(parent))
        }
        Change::Inherit { table, parent } => {
            format!("Make table {} inherit from {}", q(table), q(parent))
        }
        Change::NoInherit { table, parent } => {
            format!("Make table {} stop inheriting from {}", q(table), q(parent))
        }
        Change::SetUnlogged { table, unlogged } => format!(
            "Make table {} {}",
            q(table),
            if *unlogged { "unlogged" } else { "logged" }
        ),
        Change::SetRls { table, enabled } => format!(
            "{} row level security on table {}",
            if *enabled { "Enable" } else { "Disable" },
            q(table)
        ),
        Change::ForceRls { table, forced } => format!(
            "{} row level security on table {}",
            if *forced { "Force" } else { "Stop forcing" },
            q(table)
        ),
        Change::CreateView { view, replace } => format!(
            "{} {}view {}",
            if *replace { "Replace" } else { "Create" },
            if view.materialized {
                "materialized "
            } else {
                ""
            },
            q(&view.name)
        ),
        Change::DropView { name, materialized } => format!(
            "Drop {}view {}",
            if *materialized { "materialized " } else { "" },
            q(name)
        ),
        Change::CreateFunction { function, replace } => format!(
            "{} {} {}({})",
            if *replace { "Replace" } else { "Create" },
            if function.kind == FunctionKind::Procedure {
                "procedure"
            } else {
                "function"
            },
            q(&function.name),
            function.identity().args
        ),
        Change::DropFunction { kind, function } => format!(
            "Drop {} {}({})",
            if *kind == FunctionKind::Procedure {
                "procedure"
            } else {
                "function"
            },
            q(&function.name),
            function.args
        ),
        Change::CreateTrigger(t) => format!("Create trigger \"{}\" on {}", t.name, q(&t.table)),
        Change::SetTriggerEnabled { table, name, .. } => {
            format!("Set firing of trigger \"{name}\" on {}", q(table))
        }
        Change::DropTrigger { table, name } => {
            format!("Drop trigger \"{name}\" on {}", q(table))
        }
        Change::CreatePolicy(p) => format!("Create policy \"{}\" on {}", p.name, q(&p.table)),
        Change::AlterPolicy(p) => format!("Modify policy \"{}\" on {}", p.name, q(&p.table)),
        Change::DropPolicy { table, name } => format!("Drop policy \"{name}\" on {}", q(table)),
        Change::Comment { target, text } => match text {
            Some(_) => format!("Set comment of {}", comment_what(target)),
            None => format!("Remove comment of {}", comment_what(target)),
        },
        Change::SkipFunctionBodyChecks => {
            "Check function bodies when they run: they may use objects created later in this plan"
                .to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parenthesized_keeps_one_outer_pair() {
        assert_eq!(parenthesized("(a > 0)"), "(a > 0)");
        assert_eq!(parenthesized("a > 0"), "(a > 0)");
        assert_eq!(parenthesized("(a) OR (b)"), "((a) OR (b))");
        assert_eq!(parenthesized("(')')"), "(')')");
    }

    #[test]
    fn quoting_goes_through_hclgen() {
        let n = QualifiedName::new("public", "Order\"s");
        assert_eq!(qn(&n), "public.\"Order\"\"s\"");
        assert_eq!(collation("C"), "\"C\"");
        assert_eq!(collation("public.ci"), "public.ci");
    }

    #[test]
    fn dollar_tag_avoids_the_body() {
        assert_eq!(dollar_tag("function", "select 1"), "$function$");
        assert_eq!(dollar_tag("function", "x $function$ y"), "$function1$");
    }
}
