//! Property tests: a model diffed with itself is empty, and for random model pairs every step of
//! the plan only uses objects that exist at that point and drops nothing still in use (checked by
//! simulating the plan over a set of object names, no database needed), ending at the target.
#![allow(clippy::unwrap_used)]
// One match arm per kind of change, each checking then applying, reads better than guards.
#![allow(clippy::collapsible_match)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use diff::{Change, ConstraintKind, ordered, plan};
use hclgen::*;
use proptest::prelude::*;

const TYPES: &[&str] = &["integer", "bigint", "text", "mood", "serial"];

#[derive(Debug, Clone)]
struct TableSpec {
    cols: Vec<(usize, bool, bool)>, // (type, nullable, has default)
    pk: bool,
    fks: Vec<usize>,
    indexes: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Spec {
    tables: Vec<Option<TableSpec>>,
    mood: Vec<usize>,
    views: Vec<Vec<(usize, usize)>>,
    view_on_view: bool,
    func_ret: Option<usize>,
    trigger_on: Option<usize>,
}

fn table_spec() -> impl Strategy<Value = TableSpec> {
    (
        prop::collection::vec((0..TYPES.len(), any::<bool>(), any::<bool>()), 1..5),
        any::<bool>(),
        prop::collection::vec(0..5usize, 0..3),
        prop::collection::vec(0..5usize, 0..2),
    )
        .prop_map(|(cols, pk, fks, indexes)| TableSpec {
            cols,
            pk,
            fks,
            indexes,
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(prop::option::of(table_spec()), 5),
        prop::sample::subsequence(vec![0usize, 1, 2, 3], 1..4),
        prop::collection::vec(prop::collection::vec((0..5usize, 0..5usize), 1..3), 0..3),
        any::<bool>(),
        prop::option::of(0..2usize),
        prop::option::of(0..5usize),
    )
        .prop_map(
            |(tables, mood, views, view_on_view, func_ret, trigger_on)| Spec {
                tables,
                mood,
                views,
                view_on_view,
                func_ret,
                trigger_on,
            },
        )
}

fn ty(i: usize) -> Type {
    match TYPES[i] {
        "mood" => Type::Named {
            kind: TypeKind::Enum,
            name: qn("mood"),
        },
        "serial" => Type::Serial(SerialWidth::Regular),
        t => Type::Sql(t.into()),
    }
}

fn build(s: &Spec) -> Database {
    const LABELS: &[&str] = &["a", "b", "c", "d"];
    let mut db = db_with(Vec::new());
    db.enums = vec![enum_type(
        "mood",
        &s.mood.iter().map(|i| LABELS[*i]).collect::<Vec<_>>(),
    )];
    let present: Vec<Option<&TableSpec>> = s.tables.iter().map(Option::as_ref).collect();
    for (i, t) in present.iter().enumerate() {
        let Some(t) = t else { continue };
        let mut columns: Vec<Column> = t
            .cols
            .iter()
            .enumerate()
            .map(|(j, (ty_i, nullable, default))| {
                let serial = TYPES[*ty_i] == "serial";
                Column {
                    name: format!("c{j}"),
                    ty: ty(*ty_i),
                    nullable: *nullable && !serial && !(j == 0 && t.pk),
                    default: (*default && TYPES[*ty_i] == "integer").then(|| "0".to_owned()),
                    ..Default::default()
                }
            })
            .collect();
        if t.pk && TYPES[t.cols[0].0] == "mood" {
            columns[0].ty = Type::Sql("integer".into());
        }
        let mut table = table(&format!("t{i}"), columns);
        if t.pk {
            table.primary_key = Some(pk(&format!("t{i}_pkey"), &["c0"]));
        }
        for (k, target) in t.fks.iter().enumerate() {
            if present[*target].is_some_and(|x| x.pk) {
                table.foreign_keys.push(fk(
                    &format!("t{i}_fk{k}_{target}"),
                    &["c0"],
                    &format!("t{target}"),
                    &["c0"],
                ));
            }
        }
        for c in &t.indexes {
            if *c < t.cols.len() {
                table.indexes.push(Index {
                    name: format!("t{i}_c{c}_idx"),
                    method: "btree".into(),
                    parts: vec![IndexPart {
                        key: IndexKey::Column(format!("c{c}")),
                        ..Default::default()
                    }],
                    ..Default::default()
                });
            }
        }
        table.indexes.dedup_by(|a, b| a.name == b.name);
        db.tables.push(table);
    }
    for (v, cols) in s.views.iter().enumerate() {
        let mut deps = Vec::new();
        let mut columns = Vec::new();
        for (t, c) in cols {
            if let Some(spec) = present[*t]
                && *c < spec.cols.len()
            {
                deps.push(Dependency::Column(ColumnRef {
                    table: qn(&format!("t{t}")),
                    column: format!("c{c}"),
                }));
                columns.push(ViewColumn {
                    name: format!("t{t}_c{c}"),
                    ty: ty(spec.cols[*c].0),
                    comment: None,
                });
            }
        }
        if v > 0 && s.view_on_view {
            deps.push(Dependency::View(qn(&format!("v{}", v - 1))));
        }
        if columns.is_empty() {
            continue;
        }
        columns.dedup_by(|a, b| a.name == b.name);
        db.views.push(View {
            name: qn(&format!("v{v}")),
            definition: format!("SELECT {v}"),
            columns,
            depends_on: deps,
            ..Default::default()
        });
    }
    // A view on a missing view is dropped from the model (as PostgreSQL would not allow it).
    let names: BTreeSet<QualifiedName> = db.views.iter().map(|v| v.name.clone()).collect();
    for v in &mut db.views {
        v.depends_on
            .retain(|d| !matches!(d, Dependency::View(n) if !names.contains(n)));
    }
    if let Some(r) = s.func_ret {
        db.functions.push(Function {
            name: qn("f"),
            returns: Some(Returns::Trigger),
            language: "plpgsql".into(),
            body: format!("BEGIN RETURN NEW; END -- {r}"),
            cost: 100.0,
            args: if r == 1 {
                vec![FunctionArg {
                    name: "x".into(),
                    ty: Type::Sql("integer".into()),
                    ..Default::default()
                }]
            } else {
                vec![]
            },
            ..Default::default()
        });
        if let Some(t) = s.trigger_on
            && present[t].is_some()
        {
            db.triggers.push(Trigger {
                table: qn(&format!("t{t}")),
                name: "trg".into(),
                events: vec![TriggerEvent::Insert],
                for_each_row: true,
                function: db.functions[0].identity(),
                ..Default::default()
            });
        }
    }
    db.normalize();
    db
}

/// The objects of a database as the simulation tracks them.
#[derive(Debug, Default, PartialEq)]
struct State {
    relations: BTreeSet<QualifiedName>,
    columns: BTreeMap<(QualifiedName, String), Option<QualifiedName>>, // → user type used
    types: BTreeSet<QualifiedName>,
    functions: BTreeSet<FunctionRef>,
    keys: BTreeSet<(QualifiedName, Vec<String>)>,
    fks: BTreeMap<(QualifiedName, String), (QualifiedName, Vec<String>)>,
    views: BTreeMap<QualifiedName, Vec<Dependency>>,
    triggers: BTreeMap<(QualifiedName, String), FunctionRef>,
}

fn named(ty: &Type) -> Option<QualifiedName> {
    ty.named().map(|(_, n)| n.clone())
}

impl State {
    fn of(db: &Database) -> State {
        let mut s = State::default();
        for e in &db.enums {
            s.types.insert(e.name.clone());
        }
        for t in &db.tables {
            s.add_table(t);
            for k in &t.foreign_keys {
                s.fks.insert(
                    (t.name.clone(), k.name.clone()),
                    (k.ref_table.clone(), k.ref_columns.clone()),
                );
            }
        }
        for v in &db.views {
            s.relations.insert(v.name.clone());
            s.views.insert(v.name.clone(), v.depends_on.clone());
        }
        for f in &db.functions {
            s.functions.insert(f.identity());
        }
        for t in &db.triggers {
            s.triggers
                .insert((t.table.clone(), t.name.clone()), t.function.clone());
        }
        s
    }

    fn add_table(&mut self, t: &Table) {
        self.relations.insert(t.name.clone());
        for c in &t.columns {
            self.columns
                .insert((t.name.clone(), c.name.clone()), named(&c.ty));
        }
        if let Some(p) = &t.primary_key {
            self.keys.insert((t.name.clone(), p.columns.clone()));
        }
    }

    fn column_used_by_view(&self, table: &QualifiedName, column: &str) -> bool {
        self.views.values().flatten().any(|d| match d {
            Dependency::Column(c) => &c.table == table && c.column == column,
            Dependency::Table(n) => n == table,
            _ => false,
        })
    }

    fn apply(&mut self, change: &Change) -> Result<(), String> {
        match change {
            Change::CreateEnum(e) => {
                if !self.types.insert(e.name.clone()) {
                    return Err(format!("type {} exists", e.name));
                }
            }
            Change::RenameType { name, new_name } => {
                self.types.remove(name);
                let new = QualifiedName::new(name.schema.clone(), new_name.clone());
                for used in self.columns.values_mut() {
                    if used.as_ref() == Some(name) {
                        *used = Some(new.clone());
                    }
                }
                self.types.insert(new);
            }
            Change::DropType { name, .. } => {
                if self.columns.values().any(|u| u.as_ref() == Some(name)) {
                    return Err(format!("type {name} still used by a column"));
                }
                self.types.remove(name);
            }
            Change::CreateTable(t) => {
                if self.relations.contains(&t.name) {
                    return Err(format!("table {} exists", t.name));
                }
                for c in &t.columns {
                    if let Some(n) = named(&c.ty)
                        && !self.types.contains(&n)
                    {
                        return Err(format!("type {n} missing for {}", t.name));
                    }
                }
                self.add_table(t);
            }
            Change::DropTable(n) => {
                if let Some(((t, _), _)) = self.fks.iter().find(|((t, _), (r, _))| r == n && t != n)
                {
                    return Err(format!("table {n} still referenced by {t}"));
                }
                if self
                    .columns
                    .keys()
                    .filter(|(t, _)| t == n)
                    .any(|(t, c)| self.column_used_by_view(t, c))
                {
                    return Err(format!("table {n} still read by a view"));
                }
                self.relations.remove(n);
                self.columns.retain(|(t, _), _| t != n);
                self.keys.retain(|(t, _)| t != n);
                self.fks.retain(|(t, _), _| t != n);
                self.triggers.retain(|(t, _), _| t != n);
            }
            Change::AddColumn { table, column } => {
                if !self.relations.contains(table) {
                    return Err(format!("add column: no table {table}"));
                }
                if let Some(n) = named(&column.ty)
                    && !self.types.contains(&n)
                {
                    return Err(format!("type {n} missing"));
                }
                if self
                    .columns
                    .insert((table.clone(), column.name.clone()), named(&column.ty))
                    .is_some()
                {
                    return Err(format!("column {table}.{} exists", column.name));
                }
            }
            Change::DropColumn { table, column, .. } => {
                if self.column_used_by_view(table, column) {
                    return Err(format!("column {table}.{column} still read by a view"));
                }
                if self
                    .columns
                    .remove(&(table.clone(), column.clone()))
                    .is_none()
                {
                    return Err(format!("drop column: no {table}.{column}"));
                }
                self.keys
                    .retain(|(t, cols)| !(t == table && cols.contains(column)));
            }
            Change::AlterColumnType {
                table, column, ty, ..
            } => {
                if self.column_used_by_view(table, column) {
                    return Err(format!("column {table}.{column} retyped under a view"));
                }
                if let Some(n) = named(ty)
                    && !self.types.contains(&n)
                {
                    return Err(format!("type {n} missing"));
                }
                let Some(used) = self.columns.get_mut(&(table.clone(), column.clone())) else {
                    return Err(format!("retype: no {table}.{column}"));
                };
                *used = named(ty);
            }
            Change::AddPrimaryKey { table, key } => {
                for c in &key.columns {
                    if !self.columns.contains_key(&(table.clone(), c.clone())) {
                        return Err(format!("pk on missing column {table}.{c}"));
                    }
                }
                self.keys.insert((table.clone(), key.columns.clone()));
            }
            Change::DropConstraint { table, name, kind } => match kind {
                ConstraintKind::ForeignKey => {
                    if self.fks.remove(&(table.clone(), name.clone())).is_none() {
                        return Err(format!("no foreign key {name} on {table}"));
                    }
                }
                ConstraintKind::PrimaryKey => {
                    if self.fks.values().any(|(r, _)| r == table) {
                        return Err(format!(
                            "primary key of {table} dropped under a foreign key"
                        ));
                    }
                    self.keys.retain(|(t, _)| t != table);
                }
                _ => {}
            },
            Change::AddForeignKey { table, fk } => {
                if !self
                    .keys
                    .contains(&(fk.ref_table.clone(), fk.ref_columns.clone()))
                {
                    return Err(format!(
                        "foreign key {} without a key on {}",
                        fk.name, fk.ref_table
                    ));
                }
                if !self.relations.contains(table) {
                    return Err(format!("foreign key on missing {table}"));
                }
                self.fks.insert(
                    (table.clone(), fk.name.clone()),
                    (fk.ref_table.clone(), fk.ref_columns.clone()),
                );
            }
            Change::CreateIndex { table, index } => {
                for p in &index.parts {
                    if let IndexKey::Column(c) = &p.key
                        && !self.columns.contains_key(&(table.clone(), c.clone()))
                    {
                        return Err(format!("index {} on missing column {c}", index.name));
                    }
                }
            }
            Change::CreateView { view, replace } => {
                for d in &view.depends_on {
                    let ok = match d {
                        Dependency::Column(c) => self
                            .columns
                            .contains_key(&(c.table.clone(), c.column.clone())),
                        Dependency::View(v) | Dependency::Table(v) => self.relations.contains(v),
                        _ => true,
                    };
                    if !ok {
                        return Err(format!("view {} reads missing {d:?}", view.name));
                    }
                }
                if !replace && self.relations.contains(&view.name) {
                    return Err(format!("view {} exists", view.name));
                }
                self.relations.insert(view.name.clone());
                self.views
                    .insert(view.name.clone(), view.depends_on.clone());
            }
            Change::DropView { name, .. } => {
                if self
                    .views
                    .values()
                    .flatten()
                    .any(|d| matches!(d, Dependency::View(v) if v == name))
                {
                    return Err(format!("view {name} still read by a view"));
                }
                self.views.remove(name);
                self.relations.remove(name);
            }
            Change::CreateFunction { function, replace } => {
                if !self.functions.insert(function.identity()) && !replace {
                    return Err(format!("function {} exists", function.name));
                }
            }
            Change::DropFunction { function, .. } => {
                if self.triggers.values().any(|f| f == function) {
                    return Err(format!(
                        "function {} dropped under a trigger",
                        function.name
                    ));
                }
                self.functions.remove(function);
            }
            Change::CreateTrigger(t) => {
                if !self.functions.contains(&t.function) {
                    return Err(format!("trigger {} without its function", t.name));
                }
                if !self.relations.contains(&t.table) {
                    return Err(format!("trigger {} on missing {}", t.name, t.table));
                }
                self.triggers
                    .insert((t.table.clone(), t.name.clone()), t.function.clone());
            }
            Change::DropTrigger { table, name } => {
                self.triggers.remove(&(table.clone(), name.clone()));
            }
            _ => {}
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn diff_with_itself_is_empty(s in spec()) {
        let db = build(&s);
        prop_assert!(plan(&db, &db).is_empty());
    }

    #[test]
    fn plans_only_use_what_exists(a in spec(), b in spec()) {
        let (from, to) = (build(&a), build(&b));
        let mut state = State::of(&from);
        for change in ordered(&from, &to) {
            if let Err(e) = state.apply(&change) {
                prop_assert!(false, "{e}\nat {change:?}\nplan:\n{}", plan(&from, &to).to_sql(&Default::default()));
            }
        }
        let target = State::of(&to);
        prop_assert_eq!(&state.relations, &target.relations);
        prop_assert_eq!(
            state.columns.keys().collect::<Vec<_>>(),
            target.columns.keys().collect::<Vec<_>>()
        );
        prop_assert_eq!(&state.fks, &target.fks);
    }

    #[test]
    fn diff_from_empty_creates_everything(s in spec()) {
        let to = build(&s);
        let mut state = State::of(&Database::default());
        for change in ordered(&Database::default(), &to) {
            prop_assert!(state.apply(&change).is_ok(), "{:?}", change);
        }
        prop_assert_eq!(state, State::of(&to));
    }
}
