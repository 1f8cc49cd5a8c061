//! Pure assembly: catalog rows in, a normalized [`Database`] out. No I/O, so every rule about
//! what the model holds (serial detection, which sequences and indexes are listed, defaults) is
//! unit-tested here with hand-written rows.

use std::collections::{BTreeMap, HashMap, HashSet};

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::rows::{
    ColumnRow, ConstraintRow, FunctionRow, IndexPartRow, IndexRow, Rows, SequenceRow, TableRow,
    TriggerRow,
};
use crate::model::*;

/// Tables that migration tools create to track what they applied. They are tooling state, not
/// schema, so they are left out wherever they live.
pub const TRACKING_TABLES: &[&str] = &[
    "schema_migrations",    // golang-migrate, dbmate, Rails, sqlx-cli (old), migrate
    "ar_internal_metadata", // Rails, alongside schema_migrations
    "__diesel_schema_migrations", // diesel
    "_sqlx_migrations",     // sqlx
    "flyway_schema_history", // Flyway
    "goose_db_version",     // goose
    "atlas_schema_revisions", // Atlas (in its own schema of the same name)
    "gorp_migrations",      // sql-migrate
    "knex_migrations",      // knex (lib/migrations/migrate/migrator-configuration-merger.js)
    "knex_migrations_lock", // knex
    "_prisma_migrations",   // Prisma
    "django_migrations",    // Django (django/db/migrations/recorder.py, db_table)
    "alembic_version",      // Alembic (alembic/runtime/migration.py, version_table)
    "databasechangelog",    // Liquibase
    "databasechangeloglock", // Liquibase
    "SequelizeMeta",        // Sequelize
    "typeorm_migrations",   // TypeORM, as teams name it (`migrationsTableName`)
    "typeorm_metadata",     // TypeORM (views, generated columns)
    "gopg_migrations",      // go-pg/migrations (`tableName` in its migrations.go)
];

/// Schemas that only ever hold a tool's tracking state.
const TRACKING_SCHEMAS: &[&str] = &["atlas_schema_revisions"];

/// Which objects `--exclude` drops: a glob matching the object's name or `schema.name`.
#[derive(Debug, Clone)]
pub(crate) struct Exclude {
    globs: GlobSet,
}

impl Exclude {
    /// Compiles the patterns; the error names the bad pattern.
    pub(crate) fn new(patterns: &[String]) -> Result<Self, (String, globset::Error)> {
        let mut builder = GlobSetBuilder::new();
        for p in patterns {
            builder.add(Glob::new(p).map_err(|e| (p.clone(), e))?);
        }
        let globs = builder.build().map_err(|e| (patterns.join(" "), e))?;
        Ok(Self { globs })
    }

    fn schema(&self, schema: &str) -> bool {
        TRACKING_SCHEMAS.contains(&schema) || self.globs.is_match(schema)
    }

    fn object(&self, name: &QualifiedName) -> bool {
        self.schema(&name.schema)
            || self.globs.is_match(&name.name)
            || self.globs.is_match(name.to_string())
    }

    fn table(&self, name: &QualifiedName) -> bool {
        TRACKING_TABLES.contains(&name.name.as_str()) || self.object(name)
    }
}

impl Default for Exclude {
    fn default() -> Self {
        Self {
            globs: GlobSet::empty(),
        }
    }
}

/// User-defined types by oid, so columns and arguments can refer to them as [`Type::Named`].
struct Types(HashMap<u32, (TypeKind, QualifiedName)>);

impl Types {
    fn new(rows: &Rows) -> Self {
        let mut map = HashMap::new();
        for e in &rows.enums {
            map.insert(
                e.oid,
                (TypeKind::Enum, QualifiedName::new(&e.schema, &e.name)),
            );
        }
        for d in &rows.domains {
            map.insert(
                d.oid,
                (TypeKind::Domain, QualifiedName::new(&d.schema, &d.name)),
            );
        }
        for c in &rows.composites {
            map.insert(
                c.oid,
                (TypeKind::Composite, QualifiedName::new(&c.schema, &c.name)),
            );
        }
        for r in &rows.ranges {
            map.insert(
                r.oid,
                (TypeKind::Range, QualifiedName::new(&r.schema, &r.name)),
            );
            if let Some(multi) = &r.multirange {
                let name = QualifiedName::new(&r.schema, multi);
                map.insert(r.multirange_oid, (TypeKind::Range, name));
            }
        }
        Self(map)
    }

    /// `oid` is the type, `elem` its element when it is an array (0 otherwise), `name` the
    /// `format_type` text of the element (or of the type itself).
    fn resolve(&self, oid: u32, elem: u32, name: &str) -> Type {
        let scalar = |oid: u32| match self.0.get(&oid) {
            Some((kind, qn)) => Type::Named {
                kind: *kind,
                name: qn.clone(),
            },
            None => Type::Sql(name.to_owned()),
        };
        if let Some((kind, qn)) = self.0.get(&oid) {
            return Type::Named {
                kind: *kind,
                name: qn.clone(),
            };
        }
        if elem != 0 {
            Type::Array(Box::new(scalar(elem)))
        } else {
            Type::Sql(name.to_owned())
        }
    }
}

fn none_if_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

fn deferrable(deferrable: bool, deferred: bool) -> Deferrable {
    match (deferrable, deferred) {
        (false, _) => Deferrable::No,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    }
}

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// Removes one pair of parentheses wrapping the whole text, as `pg_get_indexdef` adds around
/// expressions that are not bare function calls (`(a) + (b)` stays as it is).
pub(crate) fn strip_outer_parens(s: &str) -> &str {
    match s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) if pgsql::is_parenthesized(s) => inner,
        _ => s,
    }
}

/// Splits at commas outside parentheses, brackets and quotes.
pub(crate) fn split_top_level(s: &str) -> Vec<&str> {
    pgsql::split_top_level_commas(s)
}

/// The text after a top-level `DEFAULT` in one `pg_get_function_arguments` item.
fn arg_default(item: &str) -> Option<String> {
    let t = pgsql::find_top_level_word(item, "DEFAULT")?;
    Some(item[t.end..].trim_start().to_owned())
}

/// Index key parts by index oid, in key order.
type Parts = HashMap<u32, Vec<IndexPart>>;

fn index_parts(rows: &[IndexPartRow]) -> Parts {
    let mut sorted: Vec<&IndexPartRow> = rows.iter().collect();
    sorted.sort_by_key(|p| (p.index_oid, p.position));
    let mut parts = Parts::new();
    for p in sorted {
        let key = if p.column_name.is_empty() {
            IndexKey::Expr(strip_outer_parens(&p.expr).to_owned())
        } else {
            IndexKey::Column(p.column_name.clone())
        };
        parts.entry(p.index_oid).or_default().push(IndexPart {
            key,
            desc: p.descending,
            nulls_first: p.nulls_first,
            opclass: none_if_empty(&p.opclass),
            collation: none_if_empty(&p.collation),
        });
    }
    parts
}

fn sorted_options(options: &[String]) -> Vec<String> {
    let mut with = options.to_vec();
    with.sort();
    with
}

/// Names of the given columns of one relation, in the given order.
fn attnames(columns: &[&ColumnRow], attnums: &[i16]) -> Vec<String> {
    attnums
        .iter()
        .filter_map(|n| columns.iter().find(|c| c.attnum == *n))
        .map(|c| c.name.clone())
        .collect()
}

fn index(row: &IndexRow, parts: &Parts, columns: &[&ColumnRow]) -> Index {
    Index {
        name: row.name.clone(),
        unique: row.is_unique,
        method: row.method.clone(),
        parts: parts.get(&row.oid).cloned().unwrap_or_default(),
        include: attnames(columns, &row.include_attnums),
        predicate: row.predicate.clone(),
        nulls_not_distinct: row.nulls_not_distinct,
        with: sorted_options(&row.options),
        comment: row.comment.clone(),
    }
}

fn sequence_options(s: &SequenceRow) -> SequenceOptions {
    SequenceOptions {
        start: s.start,
        increment: s.increment,
        min_value: s.min_value,
        max_value: s.max_value,
        cache: s.cache,
        cycle: s.cycle,
    }
}

/// A column rendered as `serial`: integer, defaulting to `nextval` of the sequence named
/// `<table>_<column>_seq` that it owns, with that sequence untouched (same type, default options,
/// no comment). Anything else keeps its explicit default and its sequence stays listed.
fn serial_width(table: &str, col: &ColumnRow, seq: &SequenceRow) -> Option<SerialWidth> {
    let width = match col.type_name.as_str() {
        "smallint" => SerialWidth::Small,
        "integer" => SerialWidth::Regular,
        "bigint" => SerialWidth::Big,
        _ => return None,
    };
    let expected_default = format!("nextval({}::regclass)", seq.regclass_literal);
    let is_serial = col.elem_oid == 0
        && col.default.as_deref() == Some(expected_default.as_str())
        && seq.owner_deptype.as_deref() == Some("a")
        && seq.name == format!("{table}_{}_seq", col.name)
        && seq.type_name == col.type_name
        && sequence_options(seq) == SequenceOptions::defaults_for(&seq.type_name)
        && seq.comment.is_none();
    is_serial.then_some(width)
}

fn function_args(row: &FunctionRow, types: &Types) -> Vec<FunctionArg> {
    // `pg_get_function_arguments` lists every argument except RETURNS TABLE columns, in order.
    let mut listed = split_top_level(&row.arguments).into_iter();
    (0..row.arg_type_oids.len())
        .map(|i| {
            let mode = match row.arg_modes.get(i).map(String::as_str) {
                Some("o") => ArgMode::Out,
                Some("b") => ArgMode::InOut,
                Some("v") => ArgMode::Variadic,
                Some("t") => ArgMode::Table,
                _ => ArgMode::In,
            };
            let default = if mode == ArgMode::Table {
                None
            } else {
                listed.next().and_then(arg_default)
            };
            FunctionArg {
                name: row.arg_names.get(i).cloned().unwrap_or_default(),
                ty: types.resolve(
                    row.arg_type_oids[i],
                    row.arg_elem_oids.get(i).copied().unwrap_or(0),
                    row.arg_type_names
                        .get(i)
                        .map(String::as_str)
                        .unwrap_or("text"),
                ),
                mode,
                default,
            }
        })
        .collect()
}

fn function(row: &FunctionRow, types: &Types) -> Function {
    let args = function_args(row, types);
    let kind = if row.kind == "p" {
        FunctionKind::Procedure
    } else {
        FunctionKind::Function
    };
    let returns = if kind == FunctionKind::Procedure {
        None
    } else if args.iter().any(|a| a.mode == ArgMode::Table) {
        Some(Returns::Table)
    } else if row.ret_elem_oid == 0 && row.ret_type_name == "trigger" {
        Some(Returns::Trigger)
    } else {
        Some(Returns::Type {
            ty: types.resolve(row.ret_oid, row.ret_elem_oid, &row.ret_type_name),
            setof: row.setof,
        })
    };
    let mut depends_on: Vec<Dependency> = args
        .iter()
        .filter_map(|a| a.ty.named())
        .chain(match &returns {
            Some(Returns::Type { ty, .. }) => ty.named(),
            _ => None,
        })
        .map(|(_, name)| Dependency::Type(name.clone()))
        .collect();
    depends_on.sort();
    depends_on.dedup();
    Function {
        name: QualifiedName::new(&row.schema, &row.name),
        kind,
        args,
        returns,
        language: row.language.clone(),
        body: row.body.clone(),
        volatility: match row.volatility.as_str() {
            "i" => Volatility::Immutable,
            "s" => Volatility::Stable,
            _ => Volatility::Volatile,
        },
        strict: row.strict,
        security_definer: row.security_definer,
        leakproof: row.leakproof,
        parallel: match row.parallel.as_str() {
            "s" => Parallel::Safe,
            "r" => Parallel::Restricted,
            _ => Parallel::Unsafe,
        },
        cost: row.cost,
        rows: row.rows,
        config: row.config.clone(),
        depends_on,
        comment: row.comment.clone(),
    }
}

/// The `WHEN (...)` condition cut out of `pg_get_triggerdef`, as the text inside the parentheses.
fn trigger_when(definition: &str) -> Option<String> {
    let start = definition.find(" WHEN (")? + " WHEN (".len();
    let end = definition
        .rfind(") EXECUTE FUNCTION ")
        .or_else(|| definition.rfind(") EXECUTE PROCEDURE "))?;
    (end > start).then(|| definition[start..end].to_owned())
}

fn trigger(
    row: &TriggerRow,
    table: QualifiedName,
    functions: &HashMap<u32, FunctionRef>,
) -> Trigger {
    let bits = row.type_bits;
    let timing = if bits & 64 != 0 {
        TriggerTiming::InsteadOf
    } else if bits & 2 != 0 {
        TriggerTiming::Before
    } else {
        TriggerTiming::After
    };
    let events = [
        (4, TriggerEvent::Insert),
        (16, TriggerEvent::Update),
        (8, TriggerEvent::Delete),
        (32, TriggerEvent::Truncate),
    ]
    .into_iter()
    .filter(|(bit, _)| bits & bit != 0)
    .map(|(_, e)| e)
    .collect();
    // tgargs: each argument followed by a NUL byte.
    let nargs = usize::try_from(row.nargs).unwrap_or(0);
    let args = row
        .args
        .split(|b| *b == 0)
        .take(nargs)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let function = functions
        .get(&row.function_oid)
        .cloned()
        .unwrap_or_else(|| FunctionRef {
            name: QualifiedName::new(&row.function_schema, &row.function_name),
            args: row.function_args.clone(),
        });
    Trigger {
        table,
        name: row.name.clone(),
        timing,
        events,
        update_of: row.update_of.clone(),
        for_each_row: bits & 1 != 0,
        when: trigger_when(&row.definition),
        function,
        args,
        old_table: row.old_table.clone(),
        new_table: row.new_table.clone(),
        constraint: row
            .is_constraint
            .then(|| deferrable(row.deferrable, row.deferred)),
        enabled: match row.enabled.as_str() {
            "D" => TriggerEnabled::Disabled,
            "R" => TriggerEnabled::Replica,
            "A" => TriggerEnabled::Always,
            _ => TriggerEnabled::Origin,
        },
        comment: row.comment.clone(),
    }
}

fn check(c: &ConstraintRow) -> Check {
    let expr = c.definition.strip_prefix("CHECK ").unwrap_or(&c.definition);
    // pg_get_constraintdef appends these after the expression.
    let expr = expr.strip_suffix(" NOT VALID").unwrap_or(expr);
    let expr = expr.strip_suffix(" NO INHERIT").unwrap_or(expr);
    Check {
        name: c.name.clone(),
        expr: expr.to_owned(),
        no_inherit: c.no_inherit,
        not_valid: !c.validated,
        comment: c.comment.clone(),
    }
}

fn partition_key(row: &TableRow) -> Option<PartitionKey> {
    let strategy = match row.partition_strategy.as_deref()? {
        "l" => PartitionStrategy::List,
        "h" => PartitionStrategy::Hash,
        _ => PartitionStrategy::Range,
    };
    // Expression parts exist only in pg_get_partkeydef's text: `RANGE (a, lower(b))`.
    let keydef = row.partition_keydef.as_deref().unwrap_or_default();
    let inner = keydef
        .find('(')
        .and_then(|i| keydef[i..].strip_prefix('('))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_default();
    let texts = split_top_level(inner);
    let parts = row
        .partition_attnums
        .iter()
        .enumerate()
        .map(|(i, attnum)| {
            let opclass = none_if_empty(row.partition_opclasses.get(i).map_or("", String::as_str));
            let collation =
                none_if_empty(row.partition_collations.get(i).map_or("", String::as_str));
            let key = if *attnum != 0 {
                IndexKey::Column(row.partition_columns.get(i).cloned().unwrap_or_default())
            } else {
                let mut text = texts.get(i).copied().unwrap_or_default();
                if let Some(op) = &opclass {
                    text = text.strip_suffix(op.as_str()).unwrap_or(text).trim_end();
                }
                if let Some(coll) = &collation {
                    let quoted = format!(" COLLATE {}", quote_collation(coll));
                    text = text.strip_suffix(quoted.as_str()).unwrap_or(text);
                }
                IndexKey::Expr(strip_outer_parens(text).to_owned())
            };
            IndexPart {
                key,
                desc: false,
                nulls_first: false,
                opclass,
                collation,
            }
        })
        .collect();
    Some(PartitionKey { strategy, parts })
}

fn quote_collation(c: &str) -> String {
    match c.split_once('.') {
        Some((schema, name)) => format!("{}.{}", quote_ident(schema), quote_ident(name)),
        None => format!("\"{}\"", c.replace('"', "\"\"")),
    }
}

/// Builds the model from every query's rows; `exclude` drops schemas and objects by glob.
pub(crate) fn assemble(rows: &Rows, exclude: &Exclude) -> Database {
    let types = Types::new(rows);
    let mut db = Database::default();
    // Functions first: triggers and views refer to them by the identity the model gives them.
    let functions: Vec<Function> = rows.functions.iter().map(|f| function(f, &types)).collect();
    let function_refs: HashMap<u32, FunctionRef> = rows
        .functions
        .iter()
        .zip(&functions)
        .map(|(row, f)| (row.oid, f.identity()))
        .collect();

    db.schemas = rows
        .schemas
        .iter()
        .filter(|s| !exclude.schema(&s.name))
        .map(|s| Schema {
            name: s.name.clone(),
            comment: s.comment.clone(),
        })
        .collect();
    db.extensions = rows
        .extensions
        .iter()
        .map(|e| Extension {
            name: e.name.clone(),
            schema: e.schema.clone(),
            version: e.version.clone(),
            comment: e.comment.clone(),
        })
        .collect();

    // Relations by oid: what survives the filters, and the names triggers, policies and
    // sequences refer to.
    let relations: HashMap<u32, &TableRow> = rows.tables.iter().map(|t| (t.oid, t)).collect();
    let rel_name = |oid: u32| {
        relations
            .get(&oid)
            .map(|t| QualifiedName::new(&t.schema, &t.name))
    };
    let kept = |oid: u32| {
        relations.get(&oid).is_some_and(|t| {
            let name = QualifiedName::new(&t.schema, &t.name);
            if matches!(t.kind.as_str(), "v" | "m") {
                !exclude.object(&name)
            } else {
                !exclude.table(&name)
            }
        })
    };

    let mut sorted_inherits: Vec<_> = rows.inherits.iter().collect();
    sorted_inherits.sort_by_key(|i| (i.relid, i.seqno));
    let mut parents: HashMap<u32, Vec<QualifiedName>> = HashMap::new();
    for i in sorted_inherits {
        parents
            .entry(i.relid)
            .or_default()
            .push(QualifiedName::new(&i.parent_schema, &i.parent_name));
    }
    let mut columns: BTreeMap<u32, Vec<&ColumnRow>> = BTreeMap::new();
    for c in &rows.columns {
        columns.entry(c.relid).or_default().push(c);
    }
    for list in columns.values_mut() {
        list.sort_by_key(|c| c.attnum);
    }
    let mut constraints: HashMap<u32, Vec<&ConstraintRow>> = HashMap::new();
    let mut domain_checks: HashMap<u32, Vec<&ConstraintRow>> = HashMap::new();
    for c in &rows.constraints {
        if c.typid != 0 {
            domain_checks.entry(c.typid).or_default().push(c);
        } else {
            constraints.entry(c.relid).or_default().push(c);
        }
    }
    let parts = index_parts(&rows.index_parts);
    let mut indexes: HashMap<u32, Vec<&IndexRow>> = HashMap::new();
    let mut constraint_indexes: HashMap<u32, &IndexRow> = HashMap::new();
    for i in &rows.indexes {
        if i.constraint_oid != 0 {
            constraint_indexes.insert(i.constraint_oid, i);
        } else {
            indexes.entry(i.relid).or_default().push(i);
        }
    }
    // Sequences owned by a column: identity options, serial candidates.
    let mut owned: HashMap<(u32, i16), &SequenceRow> = HashMap::new();
    for s in &rows.sequences {
        if let (Some(oid), Some(attnum)) = (s.owner_oid, s.owner_attnum) {
            owned.insert((oid, attnum), s);
        }
    }
    let mut hidden_sequences: HashSet<u32> = HashSet::new();

    for t in &rows.tables {
        let name = QualifiedName::new(&t.schema, &t.name);
        match t.kind.as_str() {
            "r" | "p" if kept(t.oid) => {}
            "v" | "m" if kept(t.oid) => {
                db.views.push(view(
                    t,
                    &columns,
                    &indexes,
                    &parts,
                    &types,
                    rows,
                    &function_refs,
                ));
                continue;
            }
            _ => {
                // Excluded: its owned sequences go with it.
                for s in &rows.sequences {
                    if s.owner_oid == Some(t.oid) {
                        hidden_sequences.insert(s.oid);
                    }
                }
                continue;
            }
        }
        let mut table = Table {
            name: name.clone(),
            unlogged: t.unlogged,
            rls_enabled: t.rls_enabled,
            rls_forced: t.rls_forced,
            comment: t.comment.clone(),
            partition_by: partition_key(t),
            ..Table::default()
        };
        let parents = parents.remove(&t.oid).unwrap_or_default();
        if t.is_partition {
            table.partition_of = parents.first().map(|parent| PartitionOf {
                parent: parent.clone(),
                bound: t.partition_bound.clone().unwrap_or_default(),
            });
        } else {
            table.inherits = parents;
        }
        for c in columns.get(&t.oid).into_iter().flatten() {
            let mut column = Column {
                name: c.name.clone(),
                ty: types.resolve(c.type_oid, c.elem_oid, &c.type_name),
                nullable: c.nullable,
                default: c.default.clone(),
                identity: None,
                generated: c.generated.clone(),
                generated_virtual: c.generated_virtual,
                collation: c.collation.clone(),
                inherited: c.inherited,
                comment: c.comment.clone(),
            };
            if let Some(seq) = owned.get(&(t.oid, c.attnum)) {
                if !c.identity.is_empty() && seq.owner_deptype.as_deref() == Some("i") {
                    column.identity = Some(Identity {
                        always: c.identity == "a",
                        options: sequence_options(seq),
                    });
                    hidden_sequences.insert(seq.oid);
                } else if let Some(width) = serial_width(&t.name, c, seq) {
                    column.ty = Type::Serial(width);
                    column.default = None;
                    hidden_sequences.insert(seq.oid);
                }
            }
            table.columns.push(column);
        }
        let own_columns = columns.get(&t.oid).map(Vec::as_slice).unwrap_or_default();
        let names_in = |relid: u32, attnums: &[i16]| {
            attnames(
                columns.get(&relid).map(Vec::as_slice).unwrap_or_default(),
                attnums,
            )
        };
        let names = |attnums: &[i16]| names_in(t.oid, attnums);
        for c in constraints.get(&t.oid).into_iter().flatten() {
            let backing = constraint_indexes.get(&c.oid);
            let include = backing
                .map(|i| names(&i.include_attnums))
                .unwrap_or_default();
            let deferrable = deferrable(c.deferrable, c.deferred);
            match c.kind.as_str() {
                "p" => {
                    table.primary_key = Some(PrimaryKey {
                        name: c.name.clone(),
                        columns: names(&c.attnums),
                        include,
                        deferrable,
                        comment: c.comment.clone(),
                    });
                }
                "u" => table.uniques.push(UniqueConstraint {
                    name: c.name.clone(),
                    columns: names(&c.attnums),
                    include,
                    nulls_not_distinct: backing.is_some_and(|i| i.nulls_not_distinct),
                    deferrable,
                    comment: c.comment.clone(),
                }),
                "f" => table.foreign_keys.push(ForeignKey {
                    name: c.name.clone(),
                    columns: names(&c.attnums),
                    ref_table: QualifiedName::new(
                        c.ref_schema.clone().unwrap_or_default(),
                        c.ref_table.clone().unwrap_or_default(),
                    ),
                    ref_columns: if c.ref_columns.is_empty() {
                        names_in(c.ref_relid, &c.ref_attnums)
                    } else {
                        c.ref_columns.clone()
                    },
                    on_update: fk_action(&c.on_update),
                    on_delete: fk_action(&c.on_delete),
                    match_full: c.match_type == "f",
                    deferrable,
                    not_valid: !c.validated,
                    comment: c.comment.clone(),
                }),
                "c" => table.checks.push(check(c)),
                "x" => table.exclusions.push(Exclusion {
                    name: c.name.clone(),
                    method: backing.map(|i| i.method.clone()).unwrap_or_default(),
                    elements: backing
                        .and_then(|i| parts.get(&i.oid).cloned())
                        .unwrap_or_default()
                        .into_iter()
                        .zip(&c.exclusion_operators)
                        .map(|(part, op)| ExclusionElement {
                            part,
                            operator: op.clone(),
                        })
                        .collect(),
                    include,
                    predicate: backing.and_then(|i| i.predicate.clone()),
                    deferrable,
                    comment: c.comment.clone(),
                }),
                _ => {}
            }
        }
        table.indexes = indexes
            .get(&t.oid)
            .into_iter()
            .flatten()
            .map(|i| index(i, &parts, own_columns))
            .collect();
        db.tables.push(table);
    }

    for s in &rows.sequences {
        let name = QualifiedName::new(&s.schema, &s.name);
        if hidden_sequences.contains(&s.oid) || exclude.object(&name) {
            continue;
        }
        let owned_by = match (s.owner_oid, s.owner_attnum) {
            (Some(oid), Some(attnum)) => rel_name(oid).and_then(|table| {
                let column = columns
                    .get(&oid)?
                    .iter()
                    .find(|c| c.attnum == attnum)?
                    .name
                    .clone();
                Some(ColumnRef { table, column })
            }),
            _ => None,
        };
        db.sequences.push(Sequence {
            name,
            ty: Type::Sql(s.type_name.clone()),
            options: sequence_options(s),
            owned_by,
            comment: s.comment.clone(),
        });
    }

    for e in &rows.enums {
        let name = QualifiedName::new(&e.schema, &e.name);
        if !exclude.object(&name) {
            db.enums.push(Enum {
                name,
                values: e.labels.clone(),
                comment: e.comment.clone(),
            });
        }
    }
    for d in &rows.domains {
        let name = QualifiedName::new(&d.schema, &d.name);
        if exclude.object(&name) {
            continue;
        }
        db.domains.push(Domain {
            name,
            ty: types.resolve(d.type_oid, d.elem_oid, &d.type_name),
            not_null: d.not_null,
            default: d.default.clone(),
            collation: d.collation.clone(),
            checks: domain_checks
                .get(&d.oid)
                .into_iter()
                .flatten()
                .filter(|c| c.kind == "c")
                .map(|c| check(c))
                .collect(),
            comment: d.comment.clone(),
        });
    }
    for c in &rows.composites {
        let name = QualifiedName::new(&c.schema, &c.name);
        if exclude.object(&name) {
            continue;
        }
        let fields = columns
            .get(&c.relid)
            .into_iter()
            .flatten()
            .map(|f| Field {
                name: f.name.clone(),
                ty: types.resolve(f.type_oid, f.elem_oid, &f.type_name),
                collation: f.collation.clone(),
                comment: f.comment.clone(),
            })
            .collect();
        db.composites.push(Composite {
            name,
            fields,
            comment: c.comment.clone(),
        });
    }
    for r in &rows.ranges {
        let name = QualifiedName::new(&r.schema, &r.name);
        if exclude.object(&name) {
            continue;
        }
        db.ranges.push(RangeType {
            name,
            subtype: types.resolve(r.type_oid, r.elem_oid, &r.type_name),
            subtype_opclass: r.subtype_opclass.clone(),
            collation: r.collation.clone(),
            canonical: r.canonical.clone(),
            subtype_diff: r.subtype_diff.clone(),
            multirange: r.multirange.clone(),
            comment: r.comment.clone(),
        });
    }

    for func in functions {
        if !exclude.object(&func.name) {
            db.functions.push(func);
        }
    }
    for t in &rows.triggers {
        if !kept(t.relid) {
            continue;
        }
        if let Some(table) = rel_name(t.relid) {
            db.triggers.push(trigger(t, table, &function_refs));
        }
    }
    for p in &rows.policies {
        if !kept(p.relid) {
            continue;
        }
        let Some(table) = rel_name(p.relid) else {
            continue;
        };
        db.policies.push(Policy {
            table,
            name: p.name.clone(),
            permissive: p.permissive,
            command: match p.command.as_str() {
                "r" => PolicyCommand::Select,
                "a" => PolicyCommand::Insert,
                "w" => PolicyCommand::Update,
                "d" => PolicyCommand::Delete,
                _ => PolicyCommand::All,
            },
            roles: p.roles.clone(),
            using: p.using_expr.clone(),
            check: p.check_expr.clone(),
            comment: p.comment.clone(),
        });
    }

    db.collations = super::access::collations(&rows.collations, &db);
    db.default_permissions = super::access::default_permissions(&rows.default_acl);
    super::access::owners_and_permissions(rows, &function_refs, &mut db);
    db.normalize();
    db
}

fn view(
    t: &TableRow,
    columns: &BTreeMap<u32, Vec<&ColumnRow>>,
    indexes: &HashMap<u32, Vec<&IndexRow>>,
    parts: &Parts,
    types: &Types,
    rows: &Rows,
    function_refs: &HashMap<u32, FunctionRef>,
) -> View {
    let option = |key: &str| {
        t.options
            .iter()
            .find_map(|o| o.strip_prefix(key)?.strip_prefix('='))
    };
    let flag = |key: &str| option(key).is_some_and(|v| matches!(v, "true" | "on" | "1" | "yes"));
    let own_columns = columns.get(&t.oid).map(Vec::as_slice).unwrap_or_default();
    let definition = t.view_definition.as_deref().unwrap_or_default();
    let definition = definition.trim();
    let definition = definition.strip_suffix(';').unwrap_or(definition);
    View {
        name: QualifiedName::new(&t.schema, &t.name),
        materialized: t.kind == "m",
        definition: definition.to_owned(),
        columns: columns
            .get(&t.oid)
            .into_iter()
            .flatten()
            .map(|c| ViewColumn {
                name: c.name.clone(),
                ty: types.resolve(c.type_oid, c.elem_oid, &c.type_name),
                comment: c.comment.clone(),
            })
            .collect(),
        check_option: match option("check_option") {
            Some("local") => Some(CheckOption::Local),
            Some("cascaded") => Some(CheckOption::Cascaded),
            _ => None,
        },
        security_barrier: flag("security_barrier"),
        security_invoker: flag("security_invoker"),
        indexes: indexes
            .get(&t.oid)
            .into_iter()
            .flatten()
            .map(|i| index(i, parts, own_columns))
            .collect(),
        depends_on: rows
            .view_dependencies
            .iter()
            .filter(|d| d.view_oid == t.oid)
            .flat_map(|d| {
                let name = QualifiedName::new(&d.ref_schema, &d.ref_name);
                // A column read implies its relation is read: diff orders by either.
                let relation = (d.kind == "column").then(|| {
                    if matches!(d.ref_relkind.as_str(), "v" | "m") {
                        Dependency::View(name.clone())
                    } else {
                        Dependency::Table(name.clone())
                    }
                });
                let dep = match d.kind.as_str() {
                    "column" => Dependency::Column(ColumnRef {
                        table: name,
                        column: d.ref_column.clone(),
                    }),
                    "view" => Dependency::View(name),
                    "sequence" => Dependency::Sequence(name),
                    "function" => {
                        Dependency::Function(function_refs.get(&d.ref_oid).cloned().unwrap_or(
                            FunctionRef {
                                name,
                                args: d.ref_args.clone(),
                            },
                        ))
                    }
                    "type" => Dependency::Type(name),
                    _ => Dependency::Table(name),
                };
                std::iter::once(dep).chain(relation)
            })
            .collect(),
        comment: t.comment.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::rows::*;
    use super::*;

    fn table(oid: u32, schema: &str, name: &str) -> TableRow {
        TableRow {
            oid,
            schema: schema.into(),
            name: name.into(),
            kind: "r".into(),
            ..TableRow::default()
        }
    }

    fn column(relid: u32, attnum: i16, name: &str, ty: &str) -> ColumnRow {
        ColumnRow {
            relid,
            attnum,
            name: name.into(),
            type_oid: 23,
            type_name: ty.into(),
            nullable: false,
            ..ColumnRow::default()
        }
    }

    fn owned_sequence(oid: u32, name: &str, owner: u32, attnum: i16, deptype: &str) -> SequenceRow {
        let defaults = SequenceOptions::defaults_for("integer");
        SequenceRow {
            oid,
            schema: "public".into(),
            name: name.into(),
            type_name: "integer".into(),
            start: defaults.start,
            increment: defaults.increment,
            min_value: defaults.min_value,
            max_value: defaults.max_value,
            cache: defaults.cache,
            cycle: false,
            owner_oid: Some(owner),
            owner_attnum: Some(attnum),
            owner_deptype: Some(deptype.into()),
            regclass_literal: format!("'public.{name}'"),
            comment: None,
        }
    }

    fn assemble_rows(rows: &Rows) -> Database {
        assemble(rows, &Exclude::default())
    }

    #[test]
    fn serial_column_hides_its_sequence() {
        let mut id = column(1, 1, "id", "integer");
        id.default = Some("nextval('public.t_id_seq'::regclass)".into());
        let rows = Rows {
            tables: vec![table(1, "public", "t")],
            columns: vec![id],
            sequences: vec![owned_sequence(9, "t_id_seq", 1, 1, "a")],
            ..Rows::default()
        };
        let db = assemble_rows(&rows);
        let col = &db.tables[0].columns[0];
        assert_eq!(col.ty, Type::Serial(SerialWidth::Regular));
        assert_eq!(col.default, None);
        assert!(db.sequences.is_empty());
    }

    #[test]
    fn altered_serial_sequence_stays_listed() {
        let mut id = column(1, 1, "id", "integer");
        id.default = Some("nextval('public.t_id_seq'::regclass)".into());
        let mut seq = owned_sequence(9, "t_id_seq", 1, 1, "a");
        seq.start = 1000;
        let rows = Rows {
            tables: vec![table(1, "public", "t")],
            columns: vec![id],
            sequences: vec![seq],
            ..Rows::default()
        };
        let db = assemble_rows(&rows);
        assert_eq!(db.tables[0].columns[0].ty, Type::Sql("integer".into()));
        assert!(db.tables[0].columns[0].default.is_some());
        assert_eq!(db.sequences.len(), 1);
        let owner = db.sequences[0].owned_by.clone().unwrap();
        assert_eq!(owner.column, "id");
        assert_eq!(db.sequences[0].options.start, 1000);
    }

    #[test]
    fn identity_takes_sequence_options() {
        let mut id = column(1, 1, "id", "integer");
        id.identity = "d".into();
        let mut seq = owned_sequence(9, "t_id_seq", 1, 1, "i");
        seq.increment = 7;
        let rows = Rows {
            tables: vec![table(1, "public", "t")],
            columns: vec![id],
            sequences: vec![seq],
            ..Rows::default()
        };
        let db = assemble_rows(&rows);
        let identity = db.tables[0].columns[0].identity.clone().unwrap();
        assert!(!identity.always);
        assert_eq!(identity.options.increment, 7);
        assert!(db.sequences.is_empty());
    }

    #[test]
    fn tracking_tables_and_excluded_objects_are_left_out() {
        let rows = Rows {
            schemas: vec![
                SchemaRow {
                    name: "public".into(),
                    comment: None,
                },
                SchemaRow {
                    name: "archive".into(),
                    comment: None,
                },
            ],
            tables: vec![
                table(1, "public", "users"),
                table(2, "public", "schema_migrations"),
                table(3, "public", "audit_log"),
                table(4, "archive", "old"),
                table(5, "public", "flyway_schema_history"),
            ],
            ..Rows::default()
        };
        let exclude = Exclude::new(&["audit_*".into(), "archive".into()]).unwrap();
        let db = assemble(&rows, &exclude);
        let names: Vec<_> = db.tables.iter().map(|t| t.name.to_string()).collect();
        assert_eq!(names, ["public.users"]);
        let schemas: Vec<_> = db.schemas.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(schemas, ["public"]);
        assert!(Exclude::new(&["[".into()]).is_err());
    }

    #[test]
    fn constraint_indexes_feed_constraints_not_indexes() {
        let rows = Rows {
            tables: vec![table(1, "public", "t")],
            columns: vec![column(1, 1, "a", "integer"), column(1, 2, "b", "integer")],
            constraints: vec![ConstraintRow {
                oid: 50,
                relid: 1,
                name: "t_a_key".into(),
                kind: "u".into(),
                definition: "UNIQUE (a) INCLUDE (b)".into(),
                attnums: vec![1],
                validated: true,
                ..ConstraintRow::default()
            }],
            indexes: vec![
                IndexRow {
                    oid: 60,
                    relid: 1,
                    name: "t_a_key".into(),
                    is_unique: true,
                    method: "btree".into(),
                    constraint_oid: 50,
                    include_attnums: vec![2],
                    ..IndexRow::default()
                },
                IndexRow {
                    oid: 61,
                    relid: 1,
                    name: "t_expr_idx".into(),
                    method: "btree".into(),
                    options: vec!["fillfactor=50".into(), "deduplicate_items=off".into()],
                    ..IndexRow::default()
                },
            ],
            index_parts: vec![
                IndexPartRow {
                    index_oid: 61,
                    position: 2,
                    column_name: "b".into(),
                    ..IndexPartRow::default()
                },
                IndexPartRow {
                    index_oid: 61,
                    position: 1,
                    expr: "(a + b)".into(),
                    descending: true,
                    nulls_first: true,
                    ..IndexPartRow::default()
                },
                IndexPartRow {
                    index_oid: 60,
                    position: 1,
                    column_name: "a".into(),
                    ..IndexPartRow::default()
                },
            ],
            ..Rows::default()
        };
        let db = assemble_rows(&rows);
        let t = &db.tables[0];
        assert_eq!(t.uniques[0].include, ["b"]);
        assert_eq!(t.indexes.len(), 1);
        let idx = &t.indexes[0];
        assert_eq!(idx.parts[0].key, IndexKey::Expr("a + b".into()));
        assert!(idx.parts[0].desc && idx.parts[0].nulls_first);
        assert_eq!(idx.parts[0].opclass, None);
        assert_eq!(idx.parts[1].key, IndexKey::Column("b".into()));
        assert_eq!(idx.with, ["deduplicate_items=off", "fillfactor=50"]);
    }

    #[test]
    fn check_expression_drops_prefix_and_suffixes() {
        let row = ConstraintRow {
            name: "c".into(),
            kind: "c".into(),
            definition: "CHECK ((a > 0)) NO INHERIT NOT VALID".into(),
            no_inherit: true,
            validated: false,
            ..ConstraintRow::default()
        };
        let c = check(&row);
        assert_eq!(c.expr, "((a > 0))");
        assert!(c.no_inherit && c.not_valid);
        let plain = check(&ConstraintRow {
            definition: "CHECK (false)".into(),
            validated: true,
            ..row
        });
        assert_eq!(plain.expr, "(false)");
    }

    #[test]
    fn parens_and_commas() {
        assert_eq!(strip_outer_parens("(a + b)"), "a + b");
        assert_eq!(strip_outer_parens("(a) + (b)"), "(a) + (b)");
        assert_eq!(strip_outer_parens("lower(x)"), "lower(x)");
        assert_eq!(strip_outer_parens("(')' || x)"), "')' || x");
        assert_eq!(
            split_top_level("a integer, b text DEFAULT 'x, y'::text, c numeric(10,2)"),
            [
                "a integer",
                "b text DEFAULT 'x, y'::text",
                "c numeric(10,2)"
            ]
        );
        assert!(split_top_level("").is_empty());
        assert_eq!(
            arg_default("b text DEFAULT 'x'::text").as_deref(),
            Some("'x'::text")
        );
        assert_eq!(arg_default("\"a DEFAULT b\" text"), None);
    }

    #[test]
    fn function_args_defaults_and_returns() {
        let row = FunctionRow {
            oid: 7,
            schema: "public".into(),
            name: "f".into(),
            kind: "f".into(),
            arg_names: vec!["a".into(), "b".into(), "x".into()],
            arg_modes: vec!["i".into(), "i".into(), "t".into()],
            arg_type_oids: vec![23, 1007, 25],
            arg_elem_oids: vec![0, 23, 0],
            arg_type_names: vec!["integer".into(), "integer".into(), "text".into()],
            arguments: "a integer, b integer[] DEFAULT '{1,2}'::integer[]".into(),
            ret_type_name: "record".into(),
            setof: true,
            ..FunctionRow::default()
        };
        let f = function(&row, &Types(HashMap::new()));
        assert_eq!(
            f.args[1].ty,
            Type::Array(Box::new(Type::Sql("integer".into())))
        );
        assert_eq!(f.args[1].default.as_deref(), Some("'{1,2}'::integer[]"));
        assert_eq!(f.args[2].mode, ArgMode::Table);
        assert_eq!(f.returns, Some(Returns::Table));
        assert_eq!(f.identity().args, "integer, integer[]");
    }

    #[test]
    fn trigger_bits_args_and_when() {
        let row = TriggerRow {
            relid: 1,
            name: "t".into(),
            type_bits: 1 | 2 | 4 | 16,
            definition: "CREATE TRIGGER t BEFORE INSERT OR UPDATE ON public.x FOR EACH ROW \
                         WHEN ((new.a > 0)) EXECUTE FUNCTION public.f('a', 'b')"
                .into(),
            function_schema: "public".into(),
            function_name: "f".into(),
            args: b"a\0b\0".to_vec(),
            nargs: 2,
            enabled: "O".into(),
            ..TriggerRow::default()
        };
        let t = trigger(&row, QualifiedName::new("public", "x"), &HashMap::new());
        assert_eq!(t.timing, TriggerTiming::Before);
        assert_eq!(t.events, [TriggerEvent::Insert, TriggerEvent::Update]);
        assert!(t.for_each_row);
        assert_eq!(t.args, ["a", "b"]);
        assert_eq!(t.when.as_deref(), Some("(new.a > 0)"));
        assert_eq!(t.function.name, QualifiedName::new("public", "f"));
    }
}
