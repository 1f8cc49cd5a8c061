//! Property tests: `parse(render(m)) == m` for generated normalized models covering every object
//! kind with hostile names and texts, and `render(parse(text)) == text`.
#![allow(clippy::unwrap_used, clippy::panic)]

use hclgen::*;
use proptest::prelude::*;

/// Names that break naive writers: quotes, template markers, unicode, spaces, keywords,
/// newlines, control characters, HCL and SQL keywords, the heredoc marker.
const NASTY: &[&str] = &[
    "users",
    "User",
    "my col",
    "a\"b",
    "${x}",
    "%{y}",
    "naïve",
    "select",
    "null",
    "true",
    "for",
    "with\nnewline",
    "tab\there",
    "$${",
    "back\\slash",
    "column",
    "table",
    "1abc",
    "a-b",
    "",
    "\u{1}ctl",
    "SQL",
    "public",
    "日本",
    "a.b",
    "[x]",
];

/// A tiny deterministic generator so one proptest seed drives a whole consistent model.
struct Gen {
    state: u64,
    names: Vec<String>,
    texts: Vec<String>,
}

impl Gen {
    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn coin(&mut self) -> bool {
        self.next().is_multiple_of(2)
    }
    fn name(&mut self) -> String {
        let i = self.below(self.names.len());
        self.names[i].clone()
    }
    fn text(&mut self) -> String {
        let i = self.below(self.texts.len());
        self.texts[i].clone()
    }
    fn opt_text(&mut self) -> Option<String> {
        self.coin().then(|| self.text())
    }
    fn int(&mut self) -> i64 {
        match self.below(4) {
            0 => 0,
            1 => -(self.below(1000) as i64),
            2 => i64::MAX,
            _ => self.below(100_000) as i64,
        }
    }
    /// `n` distinct names.
    fn distinct(&mut self, n: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for _ in 0..n * 3 {
            let c = self.name();
            if !out.contains(&c) {
                out.push(c);
            }
            if out.len() == n {
                break;
            }
        }
        out
    }
    fn pick<T: Clone>(&mut self, v: &[T]) -> Option<T> {
        (!v.is_empty()).then(|| v[self.below(v.len())].clone())
    }
}

const SQL_TYPES: &[&str] = &[
    "integer",
    "bigint",
    "smallint",
    "text",
    "boolean",
    "character varying(255)",
    "character varying",
    "character(3)",
    "numeric(10,2)",
    "numeric",
    "timestamp with time zone",
    "timestamp(3) with time zone",
    "timestamp without time zone",
    "time(0) without time zone",
    "double precision",
    "interval day to second(4)",
    "public.citext",
    "bit varying(8)",
    "jsonb",
    "uuid",
    "tstzrange",
];

fn build(seed: u64, names: Vec<String>, texts: Vec<String>) -> Database {
    let mut g = Gen {
        state: seed | 1,
        names,
        texts,
    };
    let mut db = Database::default();
    let schemas = {
        let n = 1 + g.below(2);
        g.distinct(n)
    };
    for s in &schemas {
        db.schemas.push(Schema {
            name: s.clone(),
            comment: g.opt_text(),
        });
    }
    // User-defined types: one name space per schema across kinds (as pg_type).
    let mut named: Vec<Type> = Vec::new();
    for s in &schemas {
        let tnames = g.distinct(4);
        for (i, n) in tnames.iter().enumerate() {
            let name = QualifiedName::new(s.clone(), n.clone());
            match i % 4 {
                0 => {
                    db.enums.push(Enum {
                        name: name.clone(),
                        values: (0..g.below(3)).map(|_| g.text()).collect(),
                        comment: g.opt_text(),
                    });
                    named.push(Type::Named {
                        kind: TypeKind::Enum,
                        name,
                    });
                }
                1 => {
                    let ty = Type::Sql(g.pick(SQL_TYPES).unwrap().to_owned());
                    db.domains.push(Domain {
                        name: name.clone(),
                        default: g.coin().then(|| default_expr(&mut g)),
                        ty,
                        not_null: g.coin(),
                        collation: g.opt_text(),
                        checks: (0..g.below(2))
                            .map(|_| Check {
                                name: g.name(),
                                expr: g.text(),
                                no_inherit: g.coin(),
                                not_valid: g.coin(),
                                comment: g.opt_text(),
                            })
                            .collect(),
                        comment: g.opt_text(),
                    });
                    named.push(Type::Named {
                        kind: TypeKind::Domain,
                        name,
                    });
                }
                2 => {
                    let fields = g.distinct(2);
                    db.composites.push(Composite {
                        name: name.clone(),
                        fields: fields
                            .into_iter()
                            .map(|f| Field {
                                name: f,
                                ty: Type::Sql(g.pick(SQL_TYPES).unwrap().to_owned()),
                                collation: g.opt_text(),
                                comment: g.opt_text(),
                            })
                            .collect(),
                        comment: g.opt_text(),
                    });
                    named.push(Type::Named {
                        kind: TypeKind::Composite,
                        name,
                    });
                }
                _ => {
                    db.ranges.push(RangeType {
                        name: name.clone(),
                        subtype: Type::Sql("integer".into()),
                        subtype_opclass: g.opt_text(),
                        collation: g.opt_text(),
                        canonical: g.opt_text(),
                        subtype_diff: g.opt_text(),
                        multirange: g.opt_text(),
                        comment: g.opt_text(),
                    });
                    named.push(Type::Named {
                        kind: TypeKind::Range,
                        name,
                    });
                }
            }
        }
    }
    let ty = |g: &mut Gen| -> Type {
        match g.below(6) {
            0 => Type::Serial(
                *g.pick(&[SerialWidth::Small, SerialWidth::Regular, SerialWidth::Big])
                    .as_ref()
                    .unwrap(),
            ),
            1 if !named.is_empty() => g.pick(&named).unwrap(),
            2 => Type::Array(Box::new(match g.pick(&named) {
                Some(t) if g.coin() => t,
                _ => Type::Sql(g.pick(SQL_TYPES).unwrap().to_owned()),
            })),
            _ => Type::Sql(g.pick(SQL_TYPES).unwrap().to_owned()),
        }
    };
    // Tables: the same names in both schemas to force qualification.
    let table_names = g.distinct(3);
    let mut tables = Vec::new();
    for s in &schemas {
        for t in &table_names {
            if g.below(4) == 0 {
                continue;
            }
            let cols = {
                let n = 1 + g.below(4);
                g.distinct(n)
            };
            let columns: Vec<Column> = cols
                .iter()
                .map(|c| {
                    let ty = ty(&mut g);
                    let serial = matches!(ty, Type::Serial(_));
                    let generated = (g.below(5) == 0).then(|| g.text());
                    // Only a generated column has a kind.
                    let generated_virtual = generated.is_some() && g.coin();
                    Column {
                        name: c.clone(),
                        nullable: g.coin(),
                        default: (!serial && g.coin()).then(|| default_expr_for(&mut g, &ty)),
                        identity: (!serial && g.below(4) == 0).then(|| Identity {
                            always: g.coin(),
                            options: seq_options(&mut g),
                        }),
                        generated,
                        generated_virtual,
                        collation: g.opt_text(),
                        inherited: g.coin(),
                        comment: g.opt_text(),
                        ty,
                    }
                })
                .collect();
            tables.push(Table {
                name: QualifiedName::new(s.clone(), t.clone()),
                columns,
                unlogged: g.coin(),
                rls_enabled: g.coin(),
                rls_forced: g.coin(),
                comment: g.opt_text(),
                ..Table::default()
            });
        }
    }
    let table_names_all: Vec<QualifiedName> = tables.iter().map(|t| t.name.clone()).collect();
    let columns_of: Vec<(QualifiedName, Vec<String>)> = tables
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                t.columns.iter().map(|c| c.name.clone()).collect(),
            )
        })
        .collect();
    for t in &mut tables {
        let cols: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
        let some = |g: &mut Gen| -> Vec<String> {
            (0..1 + g.below(2))
                .map(|_| g.pick(&cols).unwrap())
                .collect()
        };
        if g.coin() {
            t.primary_key = Some(PrimaryKey {
                name: if g.coin() {
                    format!("{}_pkey", t.name.name)
                } else {
                    g.name()
                },
                columns: some(&mut g),
                include: if g.coin() { some(&mut g) } else { vec![] },
                deferrable: deferrable(&mut g),
                comment: g.opt_text(),
            });
        }
        for _ in 0..g.below(2) {
            // Sometimes a table outside the model (a schema-filtered inspection).
            let (rt, rcols) = if g.below(4) == 0 {
                (QualifiedName::new("elsewhere", g.name()), vec![g.name()])
            } else {
                g.pick(&columns_of).unwrap()
            };
            t.foreign_keys.push(ForeignKey {
                name: g.name(),
                columns: some(&mut g),
                ref_table: rt,
                ref_columns: vec![g.pick(&rcols).unwrap()],
                on_update: action(&mut g),
                on_delete: action(&mut g),
                match_full: g.coin(),
                deferrable: deferrable(&mut g),
                not_valid: g.coin(),
                comment: g.opt_text(),
            });
        }
        for _ in 0..g.below(3) {
            t.indexes.push(index(&mut g, &cols));
        }
        for _ in 0..g.below(2) {
            t.checks.push(Check {
                name: g.name(),
                expr: g.text(),
                no_inherit: g.coin(),
                not_valid: g.coin(),
                comment: g.opt_text(),
            });
        }
        for _ in 0..g.below(2) {
            t.uniques.push(UniqueConstraint {
                name: g.name(),
                columns: some(&mut g),
                include: if g.coin() { some(&mut g) } else { vec![] },
                nulls_not_distinct: g.coin(),
                deferrable: deferrable(&mut g),
                comment: g.opt_text(),
            });
        }
        for _ in 0..g.below(2) {
            t.exclusions.push(Exclusion {
                name: g.name(),
                method: g.pick(&["gist", "btree", "hnsw"]).unwrap().into(),
                elements: (0..1 + g.below(2))
                    .map(|_| ExclusionElement {
                        part: part(&mut g, &cols),
                        operator: g.pick(&["=", "&&", "public.<->"]).unwrap().into(),
                    })
                    .collect(),
                include: if g.coin() { some(&mut g) } else { vec![] },
                predicate: g.opt_text(),
                deferrable: deferrable(&mut g),
                comment: g.opt_text(),
            });
        }
        match g.below(4) {
            0 => {
                t.partition_by = Some(PartitionKey {
                    strategy: *g
                        .pick(&[
                            PartitionStrategy::Range,
                            PartitionStrategy::List,
                            PartitionStrategy::Hash,
                        ])
                        .as_ref()
                        .unwrap(),
                    parts: (0..1 + g.below(2)).map(|_| part(&mut g, &cols)).collect(),
                });
            }
            1 => {
                t.partition_of = Some(PartitionOf {
                    parent: if g.below(4) == 0 {
                        QualifiedName::new("elsewhere", g.name())
                    } else {
                        g.pick(&table_names_all).unwrap()
                    },
                    bound: g.text(),
                });
            }
            2 => {
                t.inherits = (0..1 + g.below(2))
                    .map(|_| g.pick(&table_names_all).unwrap())
                    .collect()
            }
            _ => {}
        }
    }
    db.tables = tables;
    // Sequences.
    for s in &schemas {
        if g.coin() {
            let ty = g.pick(&["smallint", "integer", "bigint"]).unwrap();
            db.sequences.push(Sequence {
                name: QualifiedName::new(s.clone(), g.name()),
                ty: Type::Sql(ty.into()),
                options: seq_options(&mut g),
                owned_by: g
                    .pick(&columns_of)
                    .filter(|_| g.coin())
                    .map(|(t, c)| ColumnRef {
                        table: t,
                        column: c[0].clone(),
                    }),
                comment: g.opt_text(),
            });
        }
    }
    // Functions (sometimes overloaded).
    for s in &schemas {
        for _ in 0..g.below(3) {
            let language = g
                .pick(&["sql", "plpgsql", "c", "internal", "plv8"])
                .unwrap()
                .to_owned();
            let returns = match g.below(5) {
                0 => None,
                1 => Some(Returns::Table),
                2 => Some(Returns::Trigger),
                _ => Some(Returns::Type {
                    ty: ty(&mut g),
                    setof: g.coin(),
                }),
            };
            let argn = {
                let n = g.below(3);
                g.distinct(n)
            };
            db.functions.push(Function {
                name: QualifiedName::new(
                    s.clone(),
                    g.pick(&["f", "g", "Överload"]).unwrap().to_owned(),
                ),
                kind: if returns.is_none() {
                    FunctionKind::Procedure
                } else {
                    FunctionKind::Function
                },
                args: argn
                    .into_iter()
                    .map(|n| {
                        let ty = ty(&mut g);
                        FunctionArg {
                            name: n,
                            default: g.coin().then(|| default_expr_for(&mut g, &ty)),
                            ty,
                            mode: *g
                                .pick(&[
                                    ArgMode::In,
                                    ArgMode::Out,
                                    ArgMode::InOut,
                                    ArgMode::Variadic,
                                    ArgMode::Table,
                                ])
                                .as_ref()
                                .unwrap(),
                        }
                    })
                    .collect(),
                returns,
                body: g.text(),
                volatility: *g
                    .pick(&[
                        Volatility::Volatile,
                        Volatility::Stable,
                        Volatility::Immutable,
                    ])
                    .as_ref()
                    .unwrap(),
                strict: g.coin(),
                security_definer: g.coin(),
                leakproof: g.coin(),
                parallel: *g
                    .pick(&[Parallel::Unsafe, Parallel::Restricted, Parallel::Safe])
                    .as_ref()
                    .unwrap(),
                cost: g.pick(&[1.0, 100.0, 0.5, 2500.0]).unwrap(),
                rows: g.pick(&[0.0, 1000.0, 12.5]).unwrap(),
                config: (0..g.below(2)).map(|_| g.text()).collect(),
                depends_on: named
                    .iter()
                    .filter_map(|t| t.named())
                    .take(g.below(2))
                    .map(|(_, n)| Dependency::Type(n.clone()))
                    .collect(),
                language,
                comment: g.opt_text(),
            });
        }
    }
    // Functions with the same identity twice are not a valid model.
    db.functions
        .sort_by_key(|f| (f.name.clone(), f.identity().args));
    db.functions
        .dedup_by_key(|f| (f.name.clone(), f.identity().args));
    let frefs: Vec<FunctionRef> = db.functions.iter().map(Function::identity).collect();
    // Views and materialized views.
    for s in &schemas {
        for materialized in [false, true] {
            if g.coin() {
                continue;
            }
            let cols = {
                let n = 1 + g.below(3);
                g.distinct(n)
            };
            let mut deps = Vec::new();
            for _ in 0..g.below(4) {
                deps.push(match g.below(6) {
                    0 => match g.pick(&columns_of) {
                        Some((t, c)) => Dependency::Column(ColumnRef {
                            table: t,
                            column: c[0].clone(),
                        }),
                        None => Dependency::Table(QualifiedName::new("x", g.name())),
                    },
                    1 => Dependency::Table(g.pick(&table_names_all).unwrap_or_default()),
                    2 => Dependency::Function(g.pick(&frefs).unwrap_or_else(|| FunctionRef {
                        name: QualifiedName::new("pg_catalog", g.name()),
                        args: "integer, text".into(),
                    })),
                    3 => Dependency::Type(QualifiedName::new(g.name(), g.name())),
                    4 => Dependency::Sequence(QualifiedName::new(g.name(), g.name())),
                    _ => Dependency::View(QualifiedName::new(g.name(), g.name())),
                });
            }
            db.views.push(View {
                name: QualifiedName::new(s.clone(), g.name()),
                materialized,
                definition: g.text(),
                indexes: if materialized {
                    (0..g.below(2)).map(|_| index(&mut g, &cols)).collect()
                } else {
                    vec![]
                },
                columns: cols
                    .iter()
                    .map(|c| ViewColumn {
                        name: c.clone(),
                        ty: ty(&mut g),
                        comment: g.opt_text(),
                    })
                    .collect(),
                check_option: g
                    .pick(&[None, Some(CheckOption::Local), Some(CheckOption::Cascaded)])
                    .unwrap(),
                security_barrier: g.coin(),
                security_invoker: g.coin(),
                depends_on: deps,
                comment: g.opt_text(),
            });
        }
    }
    // A view and a table of the same name cannot coexist in one schema.
    db.views.retain(|v| !table_names_all.contains(&v.name));
    db.views.sort_by(|a, b| a.name.cmp(&b.name));
    db.views.dedup_by(|a, b| a.name == b.name);
    // Triggers and policies on existing tables.
    for (t, cols) in &columns_of {
        if g.coin() {
            let events = [
                TriggerEvent::Insert,
                TriggerEvent::Update,
                TriggerEvent::Delete,
                TriggerEvent::Truncate,
            ]
            .into_iter()
            .filter(|_| g.coin())
            .collect();
            db.triggers.push(Trigger {
                table: t.clone(),
                name: g.name(),
                timing: *g
                    .pick(&[
                        TriggerTiming::Before,
                        TriggerTiming::After,
                        TriggerTiming::InsteadOf,
                    ])
                    .as_ref()
                    .unwrap(),
                events,
                update_of: if g.coin() {
                    vec![cols[0].clone()]
                } else {
                    vec![]
                },
                for_each_row: g.coin(),
                when: g.opt_text(),
                function: g
                    .pick(&frefs)
                    .filter(|_| g.coin())
                    .unwrap_or_else(|| FunctionRef {
                        name: QualifiedName::new("pg_catalog", "tsvector_update_trigger"),
                        args: String::new(),
                    }),
                args: (0..g.below(3)).map(|_| g.text()).collect(),
                old_table: g.opt_text(),
                new_table: g.opt_text(),
                constraint: g.coin().then(|| deferrable(&mut g)),
                enabled: *g
                    .pick(&[
                        TriggerEnabled::Origin,
                        TriggerEnabled::Disabled,
                        TriggerEnabled::Replica,
                        TriggerEnabled::Always,
                    ])
                    .as_ref()
                    .unwrap(),
                comment: g.opt_text(),
            });
        }
        if g.coin() {
            db.policies.push(Policy {
                table: t.clone(),
                name: g.name(),
                permissive: g.coin(),
                command: *g
                    .pick(&[
                        PolicyCommand::All,
                        PolicyCommand::Select,
                        PolicyCommand::Insert,
                        PolicyCommand::Update,
                        PolicyCommand::Delete,
                    ])
                    .as_ref()
                    .unwrap(),
                roles: (0..g.below(3))
                    .map(|_| {
                        if g.coin() {
                            "public".to_owned()
                        } else {
                            g.name()
                        }
                    })
                    .collect(),
                using: g.opt_text(),
                check: g.opt_text(),
                comment: g.opt_text(),
            });
        }
    }
    // Triggers/policies with equal (table, name) are not a valid model.
    db.triggers
        .sort_by(|a, b| (&a.table, &a.name).cmp(&(&b.table, &b.name)));
    db.triggers
        .dedup_by(|a, b| (&a.table, &a.name) == (&b.table, &b.name));
    db.policies
        .sort_by(|a, b| (&a.table, &a.name).cmp(&(&b.table, &b.name)));
    db.policies
        .dedup_by(|a, b| (&a.table, &a.name) == (&b.table, &b.name));
    for _ in 0..g.below(3) {
        db.extensions.push(Extension {
            name: g.name(),
            schema: g.name(),
            version: g.text(),
            comment: g.opt_text(),
        });
    }
    db.extensions.sort_by(|a, b| a.name.cmp(&b.name));
    db.extensions.dedup_by(|a, b| a.name == b.name);
    db.sequences.sort_by(|a, b| a.name.cmp(&b.name));
    db.sequences.dedup_by(|a, b| a.name == b.name);
    access(&mut g, &mut db, &schemas);
    db.normalize();
    db
}

/// Collations, privileges, owners and default privileges on the model's objects (and on a
/// sequence and an overloaded function outside it).
fn access(g: &mut Gen, db: &mut Database, schemas: &[String]) {
    for s in schemas {
        let n = g.below(3);
        for name in g.distinct(n) {
            db.collations.push(Collation {
                name: QualifiedName::new(s.clone(), name),
                provider: *g
                    .pick(&[
                        CollationProvider::Libc,
                        CollationProvider::Icu,
                        CollationProvider::Builtin,
                    ])
                    .as_ref()
                    .unwrap(),
                locale: g.opt_text(),
                lc_collate: g.opt_text(),
                lc_ctype: g.opt_text(),
                deterministic: g.coin(),
                rules: g.opt_text(),
                comment: g.opt_text(),
            });
        }
    }
    let mut objects: Vec<ObjectRef> = schemas.iter().cloned().map(ObjectRef::Schema).collect();
    for t in &db.tables {
        objects.push(ObjectRef::Table(t.name.clone()));
        if let Some(c) = t.columns.first() {
            objects.push(ObjectRef::Column(ColumnRef {
                table: t.name.clone(),
                column: c.name.clone(),
            }));
        }
    }
    for v in &db.views {
        objects.push(if v.materialized {
            ObjectRef::MaterializedView(v.name.clone())
        } else {
            ObjectRef::View(v.name.clone())
        });
    }
    objects.extend(
        db.sequences
            .iter()
            .map(|s| ObjectRef::Sequence(s.name.clone())),
    );
    for f in &db.functions {
        objects.push(match f.kind {
            FunctionKind::Function => ObjectRef::Function(f.identity()),
            FunctionKind::Procedure => ObjectRef::Procedure(f.identity()),
        });
    }
    objects.extend(db.enums.iter().map(|e| ObjectRef::Type(e.name.clone())));
    objects.extend(
        db.composites
            .iter()
            .map(|e| ObjectRef::Type(e.name.clone())),
    );
    objects.extend(db.ranges.iter().map(|e| ObjectRef::Type(e.name.clone())));
    objects.extend(db.domains.iter().map(|e| ObjectRef::Domain(e.name.clone())));
    // Outside the model: a serial column's sequence, an overload named by its arguments.
    objects.push(ObjectRef::Sequence(QualifiedName::new(g.name(), g.name())));
    objects.push(ObjectRef::Function(FunctionRef {
        name: QualifiedName::new(g.name(), g.name()),
        args: g.text(),
    }));
    let grantee = |g: &mut Gen| {
        if g.coin() {
            Grantee::Public
        } else {
            Grantee::Role(g.name())
        }
    };
    for _ in 0..g.below(6) {
        let Some(object) = g.pick(&objects) else {
            continue;
        };
        let grantee = grantee(g);
        for _ in 0..1 + g.below(3) {
            db.permissions.push(Permission {
                object: object.clone(),
                grantee: grantee.clone(),
                privilege: *g.pick(&Privilege::ALL).as_ref().unwrap(),
                grantable: g.coin(),
                revoked: g.coin(),
            });
        }
        if !matches!(object, ObjectRef::Column(_)) && g.coin() {
            db.owners.push(Owner {
                object,
                role: g.name(),
            });
        }
    }
    for _ in 0..g.below(3) {
        db.default_permissions.push(DefaultPermission {
            role: g.name(),
            schema: if g.coin() { g.pick(schemas) } else { None },
            on: *g.pick(&DefaultObjects::ALL).as_ref().unwrap(),
            grantee: grantee(g),
            privilege: *g.pick(&Privilege::ALL).as_ref().unwrap(),
            grantable: g.coin(),
            revoked: g.coin(),
        });
    }
}

fn seq_options(g: &mut Gen) -> SequenceOptions {
    SequenceOptions {
        start: g.int(),
        increment: g.int(),
        min_value: g.int(),
        max_value: g.int(),
        cache: g.int(),
        cycle: g.coin(),
    }
}

fn deferrable(g: &mut Gen) -> Deferrable {
    *g.pick(&[
        Deferrable::No,
        Deferrable::InitiallyImmediate,
        Deferrable::InitiallyDeferred,
    ])
    .as_ref()
    .unwrap()
}

fn action(g: &mut Gen) -> FkAction {
    *g.pick(&[
        FkAction::NoAction,
        FkAction::Restrict,
        FkAction::Cascade,
        FkAction::SetNull,
        FkAction::SetDefault,
    ])
    .as_ref()
    .unwrap()
}

fn part(g: &mut Gen, cols: &[String]) -> IndexPart {
    IndexPart {
        key: if g.coin() {
            IndexKey::Column(g.pick(cols).unwrap())
        } else {
            IndexKey::Expr(g.text())
        },
        desc: g.coin(),
        nulls_first: g.coin(),
        opclass: g
            .pick(&[
                None,
                Some("jsonb_path_ops".to_owned()),
                Some("gist_trgm_ops(siglen=32)".to_owned()),
                Some("public.My Ops".to_owned()),
            ])
            .unwrap(),
        collation: g.opt_text(),
    }
}

fn index(g: &mut Gen, cols: &[String]) -> Index {
    Index {
        name: g.name(),
        unique: g.coin(),
        method: g
            .pick(&["btree", "gin", "gist", "brin", "hash", "spgist", "hnsw"])
            .unwrap()
            .into(),
        parts: (0..1 + g.below(3))
            .map(|_| {
                if g.coin() {
                    IndexPart {
                        key: IndexKey::Column(g.pick(cols).unwrap()),
                        ..IndexPart::default()
                    }
                } else {
                    part(g, cols)
                }
            })
            .collect(),
        include: if g.coin() {
            vec![g.pick(cols).unwrap()]
        } else {
            vec![]
        },
        predicate: g.opt_text(),
        nulls_not_distinct: g.coin(),
        with: g
            .pick(&[
                vec![],
                vec!["fillfactor=70".to_owned()],
                vec!["pages_per_range=64".to_owned()],
                vec![
                    "autosummarize=on".to_owned(),
                    "pages_per_range=8".to_owned(),
                ],
            ])
            .unwrap(),
        comment: g.opt_text(),
    }
}

fn default_expr(g: &mut Gen) -> String {
    match g.below(6) {
        0 => "0".into(),
        1 => "true".into(),
        2 => format!("{}", g.below(1_000_000)),
        3 => "'-1'::integer".into(),
        4 => "007".into(),
        _ => g.text(),
    }
}

/// Defaults including `'literal'::<cast of the column type>`, which render unwraps.
fn default_expr_for(g: &mut Gen, ty: &Type) -> String {
    if g.coin() {
        let cast = match ty {
            Type::Sql(s) if s.starts_with("character varying") => "character varying".to_owned(),
            Type::Sql(s) if !s.contains('(') => s.clone(),
            Type::Named { .. } => ty.to_sql(),
            _ => "text".to_owned(),
        };
        format!("'{}'::{cast}", g.text().replace('\'', "''"))
    } else {
        default_expr(g)
    }
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    let nasty = prop::sample::select(NASTY).prop_map(str::to_owned);
    let multi = Just("SELECT a,\n    b\n   FROM t\n  WHERE (x = '${y}')".to_owned());
    let heredoc_breaker = Just("line\n  SQL\nmore".to_owned());
    // PostgreSQL text cannot hold NUL (and parse rejects it), so neither can a model.
    let any = any::<String>().prop_map(|s| s.replace('\0', ""));
    let lines = "(?s)[^\\x00]{0,30}";
    prop::collection::vec(
        prop_oneof![nasty, multi, heredoc_breaker, any, lines],
        1..12,
    )
}

fn names() -> impl Strategy<Value = Vec<String>> {
    let nasty = prop::sample::select(NASTY).prop_map(str::to_owned);
    prop::collection::vec(
        prop_oneof![
            3 => nasty,
            1 => "[a-z_]{1,8}",
            1 => any::<String>().prop_map(|s| s.replace('\0', "")),
        ],
        4..16,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn model_render_parse_is_identity(seed in any::<u64>(), names in names(), texts in texts()) {
        let db = build(seed, names, texts);
        let text = render(&db);
        let back = match parse("gen.hcl", &text) {
            Ok(b) => b,
            Err(e) => panic!("{e}: {:?} at {:?}\n{text}", e.help_text(), e.span()),
        };
        prop_assert_eq!(&back, &db, "{}", text);
        prop_assert_eq!(render(&back), text);
    }
}

#[test]
fn rendering_is_deterministic() {
    let db = build(
        42,
        NASTY.iter().map(|s| (*s).to_owned()).collect(),
        vec!["x".into(), "y\nz".into()],
    );
    assert_eq!(render(&db), render(&db.clone()));
}

/// The generator is only useful if it reaches every object kind.
#[test]
fn generator_covers_every_kind() {
    let names: Vec<String> = NASTY.iter().map(|s| (*s).to_owned()).collect();
    let texts = vec!["x".to_owned(), "a\nb".to_owned(), "${y}".to_owned()];
    let dbs: Vec<Database> = (1..60)
        .map(|s| build(s * 7919, names.clone(), texts.clone()))
        .collect();
    let any = |f: &dyn Fn(&Database) -> bool| dbs.iter().any(f);
    assert!(any(&|d| d.schemas.len() > 1));
    assert!(any(&|d| !d.enums.is_empty()
        && !d.domains.is_empty()
        && !d.composites.is_empty()
        && !d.ranges.is_empty()));
    assert!(any(&|d| !d.sequences.is_empty() && !d.extensions.is_empty()));
    assert!(any(&|d| d
        .views
        .iter()
        .any(|v| v.materialized && !v.indexes.is_empty())));
    assert!(any(&|d| d
        .functions
        .iter()
        .any(|f| f.kind == FunctionKind::Procedure)));
    assert!(any(&|d| !d.triggers.is_empty() && !d.policies.is_empty()));
    assert!(any(
        &|d| !d.collations.is_empty() && !d.permissions.is_empty()
    ));
    assert!(any(
        &|d| !d.owners.is_empty() && !d.default_permissions.is_empty()
    ));
    assert!(any(&|d| d.tables.iter().any(|t| t.partition_of.is_some())));
    assert!(any(&|d| {
        d.tables
            .iter()
            .any(|t| !t.exclusions.is_empty() && !t.foreign_keys.is_empty())
    }));
    // Same table name in two schemas: qualified labels.
    assert!(dbs.iter().any(|d| {
        render(d).contains("table \"")
            && d.tables
                .windows(2)
                .any(|w| w[0].name.name == w[1].name.name)
            || d.tables.iter().any(|a| {
                d.tables
                    .iter()
                    .any(|b| a.name.name == b.name.name && a.name.schema != b.name.schema)
            })
    }));
    let text = render(&dbs[3]);
    assert!(text.len() > 200, "{text}");
}

/// A schema-filtered inspection refers to tables the file does not describe.
#[test]
fn references_outside_the_model_round_trip() {
    let mut db = Database {
        schemas: vec![Schema {
            name: "app".into(),
            comment: None,
        }],
        tables: vec![Table {
            name: QualifiedName::new("app", "orders"),
            columns: vec![Column {
                name: "user_id".into(),
                ty: Type::Sql("integer".into()),
                ..Column::default()
            }],
            foreign_keys: vec![ForeignKey {
                name: "orders_user_id_fkey".into(),
                columns: vec!["user_id".into()],
                ref_table: QualifiedName::new("public", "users"),
                ref_columns: vec!["id".into()],
                ..ForeignKey::default()
            }],
            ..Table::default()
        }],
        sequences: vec![Sequence {
            name: QualifiedName::new("app", "s"),
            ty: Type::Sql("bigint".into()),
            options: SequenceOptions::defaults_for("bigint"),
            owned_by: Some(ColumnRef {
                table: QualifiedName::new("public", "users"),
                column: "n".into(),
            }),
            comment: None,
        }],
        ..Database::default()
    };
    db.normalize();
    let text = render(&db);
    assert!(
        text.contains(r#"ref_columns = [{ schema = "public", table = "users", column = "id" }]"#),
        "{text}"
    );
    assert!(
        text.contains(r#"owner  = { schema = "public", table = "users", column = "n" }"#),
        "{text}"
    );
    assert_eq!(parse("f.hcl", &text).unwrap(), db);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Damaged files (a cut, an insertion) give a report, never a panic, and the report's span
    /// lies inside the file.
    #[test]
    fn damaged_files_never_panic(
        seed in any::<u64>(),
        cut in any::<prop::sample::Index>(),
        len in 0usize..40,
        insert in prop_oneof![Just(String::new()), "[{}\\[\\]\"=.$%#\n a-z]{1,6}".prop_map(|s| s)],
    ) {
        let db = build(seed, NASTY.iter().map(|s| (*s).to_owned()).collect(), vec!["a\nb".into(), "${x}".into()]);
        let text = render(&db);
        let mut at = cut.index(text.len().max(1));
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + len).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let damaged = format!("{}{}{}", &text[..at], insert, &text[end..]);
        if let Err(e) = parse("damaged.hcl", &damaged) {
            prop_assert!(e.span().offset() + e.span().len() <= damaged.len());
            prop_assert!(!e.help_text().is_empty());
        }
    }
}
