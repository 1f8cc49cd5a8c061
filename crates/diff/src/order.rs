//! Dependency order. Each change gets a phase (the coarse order: drops of dependents first,
//! then creates in the order schemas → extensions → types → sequences → functions → tables →
//! columns → constraints → indexes → foreign keys → views → triggers/policies → comments, then
//! the remaining drops, tables before sequences, functions, types, extensions and schemas), the
//! objects it provides, and the objects it needs. A topological sort (Kahn's algorithm, ties
//! broken by phase and then by the compare order) puts every provider before its users; a
//! requirement nobody in the plan provides is an object that already exists.
//!
//! Drops use two extra keys: a drop provides `Gone(x)` (re-creating `x` waits for it) and
//! `Released(y)` for everything `x` used (dropping `y` waits for every dropped user of `y`).
//!
//! Cycles cannot occur for plans built by `compare` except through objects the model cannot
//! see; if one does, the lowest-phase waiting change is emitted anyway, so ordering always ends.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use hclgen::{
    Column, Database, Dependency, Function, FunctionRef, IndexKey, QualifiedName, Returns, Table,
    Type, View,
};

use crate::change::{Change, CommentTarget, ConstraintKind, DomainChange};
use crate::compare::Planned;

/// Something a change can create or need.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Schema(String),
    Extension(String),
    Type(QualifiedName),
    /// Table, view, sequence or index (they share one namespace per schema).
    Relation(QualifiedName),
    Column(QualifiedName, String),
    Function(FunctionRef),
    /// A unique key (primary key, unique constraint, unique index) on these sorted columns.
    Unique(QualifiedName, Vec<String>),
    Trigger(QualifiedName, String),
    Policy(QualifiedName, String),
    Collation(QualifiedName),
    /// A table's primary key, whatever its name (a table has at most one: a renamed key is
    /// added once the old one is gone).
    PrimaryOf(QualifiedName),
    /// The change at this index of the plan (chains the changes of one column).
    Step(usize),
    /// The object is gone (dropped, or moved aside by a rename).
    Gone(Box<Key>),
    /// A dropped user of the object is gone.
    Released(Box<Key>),
}

pub(crate) fn gone(k: Key) -> Key {
    Key::Gone(Box::new(k))
}

pub(crate) fn released(k: Key) -> Key {
    Key::Released(Box::new(k))
}

#[derive(Default)]
struct Node {
    phase: u8,
    provides: Vec<Key>,
    requires: Vec<Key>,
}

/// What `order` needs to know about the two models besides the changes themselves.
struct Models<'a> {
    from_tables: HashMap<&'a QualifiedName, &'a Table>,
    from_views: HashMap<&'a QualifiedName, &'a View>,
    from_functions: HashMap<FunctionRef, &'a Function>,
    from_types: HashMap<&'a QualifiedName, Vec<Key>>,
    to_tables: HashSet<&'a QualifiedName>,
    to_functions: HashSet<FunctionRef>,
    /// Foreign keys dropped explicitly (cycle breaking), so the table drop does not wait.
    dropped_fks: HashSet<(QualifiedName, String)>,
    /// Functions the plan drops and creates, for defaults that call them (opaque text).
    dropped_functions: Vec<FunctionRef>,
    created_functions: Vec<FunctionRef>,
}

/// Functions of `list` whose name `text` mentions.
fn called(text: &str, list: &[FunctionRef]) -> Vec<Key> {
    list.iter()
        .filter(|f| crate::compare::mentions(text, &f.name.name))
        .map(|f| Key::Function(f.clone()))
        .collect()
}

fn type_keys(ty: &Type, out: &mut Vec<Key>) {
    if let Some((_, n)) = ty.named() {
        out.push(Key::Type(n.clone()));
    }
}

fn dependency_key(d: &Dependency) -> Key {
    match d {
        Dependency::Table(n) | Dependency::View(n) | Dependency::Sequence(n) => {
            Key::Relation(n.clone())
        }
        Dependency::Column(c) => Key::Column(c.table.clone(), c.column.clone()),
        Dependency::Function(f) => Key::Function(f.clone()),
        Dependency::Type(n) => Key::Type(n.clone()),
    }
}

/// A table's row type spelled as a qualified SQL type (`public.accounts`, `public.accounts[]`):
/// a function argument or `RETURNS SETOF` needs the table created first.
fn row_type_key(ty: &Type, out: &mut Vec<Key>) {
    if let Type::Sql(s) = ty
        && let Some((schema, name)) = s.trim_end_matches("[]").split_once('.')
    {
        out.push(Key::Type(QualifiedName::new(
            schema.trim_matches('"'),
            name.trim_matches('"'),
        )));
    }
}

fn function_uses(f: &Function) -> Vec<Key> {
    let mut out = Vec::new();
    for a in &f.args {
        type_keys(&a.ty, &mut out);
        row_type_key(&a.ty, &mut out);
    }
    if let Some(Returns::Type { ty, .. }) = &f.returns {
        type_keys(ty, &mut out);
        row_type_key(ty, &mut out);
    }
    out.extend(f.depends_on.iter().map(dependency_key));
    out.push(Key::Schema(f.name.schema.clone()));
    out
}

fn table_uses(t: &Table) -> Vec<Key> {
    let mut out = vec![Key::Schema(t.name.schema.clone())];
    for c in &t.columns {
        type_keys(&c.ty, &mut out);
    }
    if let Some(p) = &t.partition_of {
        out.push(Key::Relation(p.parent.clone()));
    }
    out.extend(t.inherits.iter().map(|p| Key::Relation(p.clone())));
    out
}

fn column_provides(table: &QualifiedName, columns: &[Column]) -> Vec<Key> {
    columns
        .iter()
        .map(|c| Key::Column(table.clone(), c.name.clone()))
        .collect()
}

fn sorted(cols: &[String]) -> Vec<String> {
    let mut v = cols.to_vec();
    v.sort();
    v
}

fn comment_key(t: &CommentTarget) -> Key {
    match t {
        CommentTarget::Schema(s) => Key::Schema(s.clone()),
        CommentTarget::Extension(e) => Key::Extension(e.clone()),
        CommentTarget::Type(n) | CommentTarget::Domain(n) => Key::Type(n.clone()),
        CommentTarget::Sequence(n) | CommentTarget::Table(n) | CommentTarget::Index(n) => {
            Key::Relation(n.clone())
        }
        CommentTarget::View { name, .. } => Key::Relation(name.clone()),
        CommentTarget::Column(c) => Key::Column(c.table.clone(), c.column.clone()),
        CommentTarget::Constraint { table, .. } => Key::Relation(table.clone()),
        CommentTarget::DomainConstraint { domain, .. } => Key::Type(domain.clone()),
        CommentTarget::Function { function, .. } => Key::Function(function.clone()),
        CommentTarget::Trigger { table, name } => Key::Trigger(table.clone(), name.clone()),
        CommentTarget::Policy { table, name } => Key::Policy(table.clone(), name.clone()),
    }
}

fn index_relation(table: &QualifiedName, name: &str) -> Key {
    Key::Relation(QualifiedName::new(table.schema.clone(), name.to_owned()))
}

fn col(table: &QualifiedName, column: &str) -> Key {
    Key::Column(table.clone(), column.to_owned())
}

/// The sequence a serial column owns: always `<table>_<column>_seq` in the table's schema,
/// since inspect renders a column as serial only then (`hclgen` `serial_width`).
fn serial_sequence(table: &QualifiedName, column: &str) -> Key {
    Key::Relation(QualifiedName::new(
        table.schema.clone(),
        format!("{}_{column}_seq", table.name),
    ))
}

/// The owned sequences of a table's serial columns.
fn serial_sequences(table: &QualifiedName, columns: &[Column]) -> Vec<Key> {
    columns
        .iter()
        .filter(|c| matches!(c.ty, Type::Serial(_)))
        .map(|c| serial_sequence(table, &c.name))
        .collect()
}

fn node(change: &Change, m: &Models<'_>) -> Node {
    let mut n = Node::default();
    match change {
        Change::Collation(_)
        | Change::Owner(_)
        | Change::Privilege(_)
        | Change::DefaultPrivilege(_) => {
            if let Some(placement) = change.kind().map(|k| k.placement()) {
                n.phase = placement.phase.number();
                n.provides = placement.provides;
                n.requires = placement.requires;
            }
        }
        Change::SkipFunctionBodyChecks => n.phase = 0,
        Change::DropTrigger { table, name } => {
            n.phase = 10;
            n.provides
                .push(gone(Key::Trigger(table.clone(), name.clone())));
        }
        Change::DropPolicy { table, name } => {
            n.phase = 11;
            n.provides
                .push(gone(Key::Policy(table.clone(), name.clone())));
        }
        Change::DropView { name, .. } => {
            n.phase = 12;
            let me = Key::Relation(name.clone());
            n.requires.push(released(me.clone()));
            if let Some(v) = m.from_views.get(name) {
                n.provides
                    .extend(v.depends_on.iter().map(|d| released(dependency_key(d))));
                n.provides.extend(
                    v.columns
                        .iter()
                        .map(|c| gone(Key::Column(name.clone(), c.name.clone()))),
                );
                n.provides.extend(
                    v.indexes
                        .iter()
                        .map(|i| gone(index_relation(name, &i.name))),
                );
            }
            n.provides.push(gone(me));
        }
        Change::DropConstraint { table, name, kind } => {
            n.phase = if *kind == ConstraintKind::ForeignKey {
                13
            } else {
                14
            };
            n.provides.push(gone(index_relation(table, name)));
            if let Some(t) = m.from_tables.get(table) {
                match kind {
                    ConstraintKind::ForeignKey => {
                        if let Some(k) = t.foreign_keys.iter().find(|k| &k.name == name) {
                            n.provides.push(released(Key::Unique(
                                k.ref_table.clone(),
                                sorted(&k.ref_columns),
                            )));
                        }
                    }
                    ConstraintKind::PrimaryKey => {
                        n.provides.push(gone(Key::PrimaryOf(table.clone())));
                        if let Some(pk) = &t.primary_key {
                            n.requires
                                .push(released(Key::Unique(table.clone(), sorted(&pk.columns))));
                        }
                    }
                    ConstraintKind::Unique => {
                        if let Some(u) = t.uniques.iter().find(|u| &u.name == name) {
                            n.requires
                                .push(released(Key::Unique(table.clone(), sorted(&u.columns))));
                        }
                    }
                    ConstraintKind::Check | ConstraintKind::Exclusion => {}
                }
            }
        }
        Change::DropIndex { table, name } => {
            n.phase = 14;
            n.provides.push(gone(index_relation(table, name)));
            if let Some(i) = m
                .from_tables
                .get(table)
                .and_then(|t| t.indexes.iter().find(|i| &i.name == name))
                .filter(|i| i.unique)
            {
                let cols: Vec<String> = i
                    .parts
                    .iter()
                    .filter_map(|p| match &p.key {
                        IndexKey::Column(c) => Some(c.clone()),
                        IndexKey::Expr(_) => None,
                    })
                    .collect();
                n.requires
                    .push(released(Key::Unique(table.clone(), sorted(&cols))));
            }
        }
        Change::DetachPartition { .. } | Change::NoInherit { .. } => n.phase = 15,
        Change::DropFunction { function, .. } => {
            // Re-created functions go early (before their new version); removed ones late.
            n.phase = if m.to_functions.contains(function) {
                16
            } else {
                64
            };
            let me = Key::Function(function.clone());
            n.requires.push(released(me.clone()));
            if let Some(f) = m.from_functions.get(function) {
                n.provides
                    .extend(function_uses(f).into_iter().map(released));
                if crate::sql::is_standard_body(f) {
                    // A SQL-standard body depends on what it names (pg_depend): dropping it
                    // releases the functions and tables it calls, so they are dropped after
                    // (stripe/pg-schema-diff's `function_cases_test.go`, "Add and drop
                    // functions (with dependencies)").
                    let callees: Vec<FunctionRef> = m
                        .from_functions
                        .keys()
                        .filter(|k| *k != function)
                        .cloned()
                        .collect();
                    n.provides
                        .extend(called(&f.body, &callees).into_iter().map(released));
                    n.provides.extend(
                        m.from_tables
                            .keys()
                            .filter(|t| crate::compare::mentions(&f.body, &t.name))
                            .map(|t| released(Key::Relation((*t).clone()))),
                    );
                }
            }
            n.provides.push(gone(me));
        }
        Change::CreateSchema(s) => {
            n.phase = 20;
            n.provides.push(Key::Schema(s.name.clone()));
        }
        Change::CreateExtension(e) => {
            n.phase = 21;
            n.provides.push(Key::Extension(e.name.clone()));
            n.requires.push(Key::Schema(e.schema.clone()));
        }
        Change::UpdateExtension { name, .. } => {
            n.phase = 21;
            n.provides.push(Key::Extension(name.clone()));
        }
        Change::SetExtensionSchema { name, schema } => {
            n.phase = 21;
            n.provides.push(Key::Extension(name.clone()));
            n.requires.push(Key::Schema(schema.clone()));
        }
        Change::RenameType { name, new_name } => {
            n.phase = 22;
            n.provides.push(gone(Key::Type(name.clone())));
            n.provides.push(Key::Type(QualifiedName::new(
                name.schema.clone(),
                new_name.clone(),
            )));
        }
        Change::AddEnumValue { name, .. } => {
            n.phase = 22;
            n.provides.push(Key::Type(name.clone()));
        }
        Change::CreateEnum(e) => {
            n.phase = 23;
            n.provides.push(Key::Type(e.name.clone()));
            n.requires.push(gone(Key::Type(e.name.clone())));
            n.requires.push(Key::Schema(e.name.schema.clone()));
        }
        Change::CreateDomain(d) => {
            n.phase = 23;
            n.provides.push(Key::Type(d.name.clone()));
            n.requires.push(gone(Key::Type(d.name.clone())));
            n.requires.push(Key::Schema(d.name.schema.clone()));
            type_keys(&d.ty, &mut n.requires);
        }
        Change::CreateComposite(c) => {
            n.phase = 23;
            n.provides.push(Key::Type(c.name.clone()));
            n.requires.push(gone(Key::Type(c.name.clone())));
            n.requires.push(Key::Schema(c.name.schema.clone()));
            for f in &c.fields {
                type_keys(&f.ty, &mut n.requires);
            }
        }
        Change::CreateRange(r) => {
            n.phase = 23;
            n.provides.push(Key::Type(r.name.clone()));
            n.requires.push(gone(Key::Type(r.name.clone())));
            n.requires.push(Key::Schema(r.name.schema.clone()));
            type_keys(&r.subtype, &mut n.requires);
        }
        Change::AlterDomain { name, change } => {
            n.phase = 24;
            n.requires.push(Key::Type(name.clone()));
            if let DomainChange::AddCheck(_) = change {
                n.phase = 33;
            }
        }
        Change::AlterComposite { name, change } => {
            n.phase = 24;
            n.requires.push(Key::Type(name.clone()));
            if let crate::change::CompositeChange::Add(f)
            | crate::change::CompositeChange::Alter(f) = change
            {
                type_keys(&f.ty, &mut n.requires);
            }
        }
        Change::CreateSequence(s) => {
            n.phase = 24;
            n.provides.push(Key::Relation(s.name.clone()));
            n.requires.push(gone(Key::Relation(s.name.clone())));
            n.requires.push(Key::Schema(s.name.schema.clone()));
        }
        Change::AlterSequence { .. } => n.phase = 24,
        Change::CreateFunction { function, .. } => {
            n.phase = 25;
            let me = Key::Function(function.identity());
            n.requires.push(gone(me.clone()));
            n.requires.extend(function_uses(function));
            if crate::sql::is_standard_body(function) {
                // A SQL-standard body is parsed when created, whatever
                // `check_function_bodies` says: the functions and tables it names come first
                // (kestra's `fulltext_index` calls `fulltext_replace`). Found by name, like
                // defaults calling functions (`called`).
                let body = &function.body;
                n.requires.extend(
                    called(body, &m.created_functions)
                        .into_iter()
                        .filter(|k| *k != me),
                );
                n.requires.extend(
                    m.to_tables
                        .iter()
                        .filter(|t| crate::compare::mentions(body, &t.name))
                        .map(|t| Key::Relation((*t).clone())),
                );
            }
            n.provides.push(me);
        }
        Change::DropTable(name) => {
            // A table dropped to be created again goes before its new version.
            n.phase = if m.to_tables.contains(name) { 29 } else { 60 };
            let me = Key::Relation(name.clone());
            n.requires.push(released(me.clone()));
            if let Some(t) = m.from_tables.get(name) {
                n.provides.extend(table_uses(t).into_iter().map(released));
                for k in &t.foreign_keys {
                    if !m.dropped_fks.contains(&(name.clone(), k.name.clone())) {
                        n.provides
                            .push(released(Key::Relation(k.ref_table.clone())));
                        n.provides.push(released(Key::Unique(
                            k.ref_table.clone(),
                            sorted(&k.ref_columns),
                        )));
                    }
                }
                n.provides.extend(
                    t.columns
                        .iter()
                        .map(|c| gone(Key::Column(name.clone(), c.name.clone()))),
                );
                n.provides
                    .extend(serial_sequences(name, &t.columns).into_iter().map(gone));
                n.provides.extend(
                    t.indexes
                        .iter()
                        .map(|i| gone(index_relation(name, &i.name))),
                );
                for c in t
                    .primary_key
                    .iter()
                    .map(|p| &p.name)
                    .chain(t.uniques.iter().map(|u| &u.name))
                    .chain(t.exclusions.iter().map(|x| &x.name))
                {
                    n.provides.push(gone(index_relation(name, c)));
                }
                n.provides.push(gone(Key::Type(name.clone())));
            }
            n.provides.push(gone(me));
        }
        Change::CreateTable(t) => {
            n.phase = 30;
            let me = Key::Relation(t.name.clone());
            n.requires.push(gone(me.clone()));
            n.requires.extend(table_uses(t));
            n.provides.push(me);
            n.provides.push(Key::Type(t.name.clone()));
            n.provides.extend(column_provides(&t.name, &t.columns));
            for seq in serial_sequences(&t.name, &t.columns) {
                n.requires.push(gone(seq.clone()));
                n.provides.push(seq);
            }
            if let Some(pk) = &t.primary_key {
                n.provides
                    .push(Key::Unique(t.name.clone(), sorted(&pk.columns)));
                n.requires.push(gone(index_relation(&t.name, &pk.name)));
                n.provides.push(index_relation(&t.name, &pk.name));
            }
            for u in &t.uniques {
                n.provides
                    .push(Key::Unique(t.name.clone(), sorted(&u.columns)));
                n.requires.push(gone(index_relation(&t.name, &u.name)));
                n.provides.push(index_relation(&t.name, &u.name));
            }
        }
        Change::DropColumn { table, column, .. } => {
            // Removed columns go late; `order` moves re-added (generated) ones to phase 31.
            n.phase = 45;
            n.requires.push(released(col(table, column)));
            n.provides.push(gone(col(table, column)));
            if let Some(t) = m.from_tables.get(table)
                && let Some(c) = t.columns.iter().find(|c| &c.name == column)
            {
                // A child drops a column its parent drops too once the parent let go of it.
                n.requires
                    .extend(t.inherits.iter().map(|p| gone(col(p, column))));
                n.provides.extend(
                    serial_sequences(table, std::slice::from_ref(c))
                        .into_iter()
                        .map(gone),
                );
            }
        }
        Change::AddColumn { table, column } => {
            n.phase = 31;
            n.requires.push(Key::Relation(table.clone()));
            n.requires.push(gone(col(table, &column.name)));
            type_keys(&column.ty, &mut n.requires);
            n.provides.push(col(table, &column.name));
            for seq in serial_sequences(table, std::slice::from_ref(column)) {
                n.requires.push(gone(seq.clone()));
                n.provides.push(seq);
            }
        }
        Change::AlterColumnType {
            table, column, ty, ..
        } => {
            n.phase = 31;
            n.requires.push(released(col(table, column)));
            type_keys(ty, &mut n.requires);
            n.provides.push(col(table, column));
        }
        Change::SetDefault {
            table,
            column,
            default,
        } => {
            // Defaults are opaque text: one that calls a re-created function lets go of it
            // before the drop and takes the new one after the create.
            n.phase = 31;
            n.requires.push(Key::Relation(table.clone()));
            match default {
                None => {
                    let old = m
                        .from_tables
                        .get(table)
                        .and_then(|t| t.columns.iter().find(|c| &c.name == column))
                        .and_then(|c| c.default.as_deref());
                    if let Some(d) = old {
                        n.provides
                            .extend(called(d, &m.dropped_functions).into_iter().map(released));
                    }
                }
                Some(d) => n.requires.extend(called(d, &m.created_functions)),
            }
        }
        Change::DropSerial { table, column } | Change::SerialToIdentity { table, column, .. } => {
            // The owned sequence goes with the default: its name is free again.
            n.phase = 31;
            n.requires.push(Key::Relation(table.clone()));
            n.provides.push(gone(serial_sequence(table, column)));
        }
        Change::IdentityToSerial { table, column, .. }
        | Change::AddSerial { table, column, .. } => {
            n.phase = 31;
            n.requires.push(Key::Relation(table.clone()));
            n.requires.push(gone(serial_sequence(table, column)));
            n.provides.push(serial_sequence(table, column));
        }
        Change::SetNotNull { table, .. }
        | Change::AddIdentity { table, .. }
        | Change::AlterIdentity { table, .. }
        | Change::DropIdentity { table, .. }
        | Change::DropExpression { table, .. }
        | Change::SetExpression { table, .. }
        | Change::SerialWidth { table, .. } => {
            // Ordered after the column's earlier changes by `order` (see `column_of`).
            n.phase = 31;
            n.requires.push(Key::Relation(table.clone()));
        }
        Change::SetSequenceOwner { name, owned_by } => {
            n.phase = 32;
            n.requires.push(Key::Relation(name.clone()));
            if let Some(o) = owned_by {
                n.requires.push(col(&o.table, &o.column));
            }
        }
        Change::AddPrimaryKey { table, key } => {
            n.phase = 33;
            n.requires.push(Key::Relation(table.clone()));
            n.requires.push(gone(index_relation(table, &key.name)));
            n.requires.push(gone(Key::PrimaryOf(table.clone())));
            n.requires.extend(key.columns.iter().map(|c| col(table, c)));
            n.provides
                .push(Key::Unique(table.clone(), sorted(&key.columns)));
            n.provides.push(index_relation(table, &key.name));
        }
        Change::AddUnique { table, unique } => {
            n.phase = 33;
            n.requires.push(Key::Relation(table.clone()));
            n.requires.push(gone(index_relation(table, &unique.name)));
            n.requires
                .extend(unique.columns.iter().map(|c| col(table, c)));
            n.provides
                .push(Key::Unique(table.clone(), sorted(&unique.columns)));
            n.provides.push(index_relation(table, &unique.name));
        }
        Change::AddCheck { table, check } => {
            n.phase = 33;
            n.requires.push(Key::Relation(table.clone()));
            n.requires.push(gone(index_relation(table, &check.name)));
        }
        Change::AddExclusion { table, exclusion } => {
            n.phase = 33;
            n.requires.push(Key::Relation(table.clone()));
            n.requires
                .push(gone(index_relation(table, &exclusion.name)));
            n.provides.push(index_relation(table, &exclusion.name));
        }
        Change::ValidateConstraint { table, .. } => {
            n.phase = 41;
            n.requires.push(Key::Relation(table.clone()));
        }
        Change::AttachPartition { table, parent, .. } | Change::Inherit { table, parent } => {
            n.phase = 34;
            n.requires.push(Key::Relation(table.clone()));
            n.requires.push(Key::Relation(parent.clone()));
        }
        Change::CreateIndex { table, index } => {
            n.phase = 35;
            n.requires.push(Key::Relation(table.clone()));
            n.requires.push(gone(index_relation(table, &index.name)));
            let mut cols = Vec::new();
            for p in &index.parts {
                if let IndexKey::Column(c) = &p.key {
                    n.requires.push(col(table, c));
                    cols.push(c.clone());
                }
            }
            n.requires
                .extend(index.include.iter().map(|c| col(table, c)));
            if index.unique && index.predicate.is_none() && cols.len() == index.parts.len() {
                n.provides.push(Key::Unique(table.clone(), sorted(&cols)));
            }
            n.provides.push(index_relation(table, &index.name));
        }
        Change::AddForeignKey { table, fk } => {
            n.phase = 36;
            n.requires.push(Key::Relation(table.clone()));
            n.requires.push(Key::Relation(fk.ref_table.clone()));
            n.requires.extend(fk.columns.iter().map(|c| col(table, c)));
            n.requires
                .extend(fk.ref_columns.iter().map(|c| col(&fk.ref_table, c)));
            n.requires
                .push(Key::Unique(fk.ref_table.clone(), sorted(&fk.ref_columns)));
        }
        Change::CreateView { view, .. } => {
            n.phase = 37;
            let me = Key::Relation(view.name.clone());
            n.requires.push(gone(me.clone()));
            n.requires.push(Key::Schema(view.name.schema.clone()));
            n.requires
                .extend(view.depends_on.iter().map(dependency_key));
            n.provides.push(me);
            n.provides.push(Key::Type(view.name.clone()));
            n.provides.extend(
                view.columns
                    .iter()
                    .map(|c| Key::Column(view.name.clone(), c.name.clone())),
            );
        }
        Change::CreateTrigger(t) => {
            n.phase = 39;
            let me = Key::Trigger(t.table.clone(), t.name.clone());
            n.requires.push(gone(me.clone()));
            n.requires.push(Key::Relation(t.table.clone()));
            n.requires.push(Key::Function(t.function.clone()));
            n.requires
                .extend(t.update_of.iter().map(|c| col(&t.table, c)));
            n.provides.push(me);
        }
        Change::SetTriggerEnabled { table, name, .. } => {
            n.phase = 39;
            n.requires.push(Key::Trigger(table.clone(), name.clone()));
        }
        Change::CreatePolicy(p) => {
            n.phase = 39;
            let me = Key::Policy(p.table.clone(), p.name.clone());
            n.requires.push(gone(me.clone()));
            n.requires.push(Key::Relation(p.table.clone()));
            n.provides.push(me);
        }
        Change::AlterPolicy(p) => {
            n.phase = 39;
            n.requires.push(Key::Relation(p.table.clone()));
        }
        Change::SetRls { table, .. }
        | Change::ForceRls { table, .. }
        | Change::SetUnlogged { table, .. } => {
            n.phase = 39;
            n.requires.push(Key::Relation(table.clone()));
        }
        Change::Comment { target, .. } => {
            n.phase = 40;
            n.requires.push(comment_key(target));
        }
        Change::DropSequence(name) => {
            n.phase = 62;
            let me = Key::Relation(name.clone());
            n.requires.push(released(me.clone()));
            n.provides.push(gone(me));
        }
        Change::DropType { name, .. } => {
            n.phase = 66;
            let me = Key::Type(name.clone());
            n.requires.push(released(me.clone()));
            if let Some(uses) = m.from_types.get(name) {
                n.provides.extend(uses.iter().cloned().map(released));
            }
            n.provides.push(gone(me));
        }
        Change::DropExtension(e) => {
            n.phase = 68;
            n.provides.push(gone(Key::Extension(e.clone())));
        }
        Change::DropSchema(_) => n.phase = 70,
    }
    n
}

/// The column a column-level change touches.
fn column_of(change: &Change) -> Option<(&QualifiedName, &str)> {
    match change {
        Change::AddColumn { table, column } => Some((table, column.name.as_str())),
        Change::DropColumn { table, column, .. }
        | Change::AlterColumnType { table, column, .. }
        | Change::SetNotNull { table, column, .. }
        | Change::SetDefault { table, column, .. }
        | Change::AddIdentity { table, column, .. }
        | Change::AlterIdentity { table, column, .. }
        | Change::DropIdentity { table, column }
        | Change::DropExpression { table, column }
        | Change::SetExpression { table, column, .. }
        | Change::SerialToIdentity { table, column, .. }
        | Change::IdentityToSerial { table, column, .. }
        | Change::AddSerial { table, column, .. }
        | Change::DropSerial { table, column }
        | Change::SerialWidth { table, column, .. } => Some((table, column.as_str())),
        _ => None,
    }
}

/// Types each type of `from` uses (domain base, composite fields, range subtype).
fn from_type_uses(db: &Database) -> HashMap<&QualifiedName, Vec<Key>> {
    let mut out: HashMap<&QualifiedName, Vec<Key>> = HashMap::new();
    for d in &db.domains {
        type_keys(&d.ty, out.entry(&d.name).or_default());
    }
    for c in &db.composites {
        let v = out.entry(&c.name).or_default();
        for f in &c.fields {
            type_keys(&f.ty, v);
        }
    }
    for r in &db.ranges {
        type_keys(&r.subtype, out.entry(&r.name).or_default());
    }
    out
}

/// Sorts planned changes so that every change comes after what it needs.
pub(crate) fn order(planned: Vec<Planned>, from: &Database, to: &Database) -> Vec<Planned> {
    let dropped_fks = planned
        .iter()
        .filter_map(|p| match &p.change {
            Change::DropConstraint {
                table,
                name,
                kind: ConstraintKind::ForeignKey,
            } => Some((table.clone(), name.clone())),
            _ => None,
        })
        .collect();
    let models = Models {
        from_tables: from.tables.iter().map(|t| (&t.name, t)).collect(),
        from_views: from.views.iter().map(|v| (&v.name, v)).collect(),
        from_functions: from.functions.iter().map(|f| (f.identity(), f)).collect(),
        from_types: from_type_uses(from),
        to_tables: to.tables.iter().map(|t| &t.name).collect(),
        to_functions: to.functions.iter().map(Function::identity).collect(),
        dropped_fks,
        dropped_functions: planned
            .iter()
            .filter_map(|p| match &p.change {
                Change::DropFunction { function, .. } => Some(function.clone()),
                _ => None,
            })
            .collect(),
        created_functions: planned
            .iter()
            .filter_map(|p| match &p.change {
                Change::CreateFunction { function, .. } => Some(function.identity()),
                _ => None,
            })
            .collect(),
    };
    // Re-added generated columns: their drop belongs with the other column changes.
    let readded: HashSet<(QualifiedName, String)> = planned
        .iter()
        .filter_map(|p| match &p.change {
            Change::AddColumn { table, column } => Some((table.clone(), column.name.clone())),
            _ => None,
        })
        .collect();
    // The changes of one column run in compare order (drop default, retype, set default, ...).
    let mut last_of_column: HashMap<(&QualifiedName, &str), usize> = HashMap::new();
    let nodes: Vec<Node> = planned
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut n = node(&p.change, &models);
            if let Change::DropColumn { table, column, .. } = &p.change
                && readded.contains(&(table.clone(), column.clone()))
            {
                n.phase = 31;
            }
            if n.phase == 31
                && let Some(key) = column_of(&p.change)
            {
                if let Some(prev) = last_of_column.insert(key, i) {
                    n.requires.push(Key::Step(prev));
                }
                n.provides.push(Key::Step(i));
            }
            n
        })
        .collect();
    let mut nodes = nodes;
    reattach_after_parent_columns(&planned, &mut nodes);
    let sorted = topological(&nodes);
    let mut slots: Vec<Option<Planned>> = planned.into_iter().map(Some).collect();
    sorted.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// A partition detached to be attached again (its bound changes) misses what is done to the
/// parent's columns meanwhile, and attaching it then fails ("child table is missing column"):
/// the detach waits until the parent's column changes are done, so they reach the partition.
/// An inheritance child linked by `INHERIT` (new, or again after `NO INHERIT`) is linked before
/// the parent gains columns, so they reach it as inherited ones.
fn reattach_after_parent_columns(planned: &[Planned], nodes: &mut [Node]) {
    let attached: HashSet<(&QualifiedName, &QualifiedName)> = planned
        .iter()
        .filter_map(|p| match &p.change {
            Change::AttachPartition { table, parent, .. } | Change::Inherit { table, parent } => {
                Some((table, parent))
            }
            _ => None,
        })
        .collect();
    let mut column_steps: HashMap<&QualifiedName, Vec<usize>> = HashMap::new();
    for (i, p) in planned.iter().enumerate() {
        if nodes[i].phase == 31
            && let Some((table, _)) = column_of(&p.change)
        {
            column_steps.entry(table).or_default().push(i);
        }
    }
    let detached: HashMap<(&QualifiedName, &QualifiedName), usize> = planned
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match &p.change {
            Change::DetachPartition { table, parent } | Change::NoInherit { table, parent } => {
                Some(((table, parent), i))
            }
            _ => None,
        })
        .collect();
    for (i, p) in planned.iter().enumerate() {
        match &p.change {
            Change::DetachPartition { table, parent } if attached.contains(&(table, parent)) => {
                if let Some(steps) = column_steps.get(parent) {
                    nodes[i]
                        .requires
                        .extend(steps.iter().map(|s| Key::Step(*s)));
                }
                nodes[i].provides.push(Key::Step(i));
            }
            Change::NoInherit { .. } => nodes[i].provides.push(Key::Step(i)),
            Change::AttachPartition { table, parent, .. }
                if detached.contains_key(&(table, parent)) =>
            {
                nodes[i]
                    .requires
                    .push(Key::Step(detached[&(table, parent)]));
            }
            // A new child: linked before the parent gains columns (they reach it then), and
            // after the parent lost the ones it drops (the child need not have them).
            Change::Inherit { table, parent } => {
                // Inheriting again after NO INHERIT (columns made the table's own).
                if let Some(j) = detached.get(&(table, parent)) {
                    nodes[i].requires.push(Key::Step(*j));
                }
                nodes[i].provides.push(Key::Step(i));
                for s in column_steps.get(parent).into_iter().flatten() {
                    if let Change::AddColumn { .. } = planned[*s].change {
                        nodes[*s].requires.push(Key::Step(i));
                    }
                }
                for q in planned {
                    if let Change::DropColumn {
                        table: t, column, ..
                    } = &q.change
                        && t == parent
                    {
                        nodes[i].requires.push(gone(col(t, column)));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Kahn's algorithm over provides/requires, lowest (phase, index) first among ready nodes.
fn topological(nodes: &[Node]) -> Vec<usize> {
    let mut providers: HashMap<&Key, Vec<usize>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        for k in &n.provides {
            providers.entry(k).or_default().push(i);
        }
    }
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut indegree = vec![0usize; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        let mut seen: HashSet<usize> = HashSet::new();
        for k in &n.requires {
            for &p in providers.get(k).into_iter().flatten() {
                if p != i && seen.insert(p) {
                    edges[p].push(i);
                    indegree[i] += 1;
                }
            }
        }
    }
    let mut ready: BinaryHeap<Reverse<(u8, usize)>> = nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| indegree[*i] == 0)
        .map(|(i, n)| Reverse((n.phase, i)))
        .collect();
    let mut done = vec![false; nodes.len()];
    let mut out = Vec::with_capacity(nodes.len());
    while out.len() < nodes.len() {
        let next = match ready.pop() {
            Some(Reverse((_, i))) => i,
            // A cycle: emit the lowest waiting change anyway so that ordering terminates.
            None => match (0..nodes.len())
                .filter(|i| !done[*i])
                .min_by_key(|i| (nodes[*i].phase, *i))
            {
                Some(i) => i,
                None => break,
            },
        };
        if done[next] {
            continue;
        }
        done[next] = true;
        out.push(next);
        for &j in &edges[next] {
            if indegree[j] > 0 {
                indegree[j] -= 1;
                if indegree[j] == 0 && !done[j] {
                    ready.push(Reverse((nodes[j].phase, j)));
                }
            }
        }
    }
    out
}

/// Strongly connected components (iterative Tarjan): `result[v]` is the component of `v`.
pub(crate) fn strongly_connected(adj: &[Vec<usize>]) -> Vec<usize> {
    let n = adj.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, edge)) = call.last() {
            if edge < adj[v].len() {
                let w = adj[v][edge];
                if let Some(top) = call.last_mut() {
                    top.1 += 1;
                }
                if index[w] == usize::MAX {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tarjan_finds_cycles() {
        let adj = vec![vec![1], vec![0], vec![0], vec![3]];
        let c = strongly_connected(&adj);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
        assert_ne!(c[2], c[3]);
    }

    #[test]
    fn providers_come_first() {
        let nodes = vec![
            Node {
                phase: 1,
                provides: vec![],
                requires: vec![Key::Schema("b".into())],
            },
            Node {
                phase: 5,
                provides: vec![Key::Schema("b".into())],
                requires: vec![],
            },
            Node {
                phase: 2,
                provides: vec![],
                requires: vec![],
            },
        ];
        assert_eq!(topological(&nodes), vec![2, 1, 0]);
    }
}
