//! Two models → the list of changes between them. No SQL text and no ordering here: changes come
//! out grouped by object kind, in model order; `order.rs` sorts them by dependency.
//!
//! Objects are matched by name (functions by name and argument types). Nothing is ever matched
//! by similarity: a renamed object is a drop plus an add, and the drop says it may be a rename.
//! Every lookup goes through a `BTreeMap`/`HashSet`, so the comparison is linear in schema size
//! (up to the logarithm of the map).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use hclgen::{
    Column, ColumnRef, Composite, Database, Dependency, Domain, Enum, Function, FunctionRef,
    Identity, Index, IndexKey, IndexPart, Policy, QualifiedName, RangeType, Returns, SerialWidth,
    Table, Trigger, TriggerEnabled, Type, TypeKind, View, quote_ident,
};

use crate::change::{
    Change, CommentTarget, CompositeChange, ConstraintKind, DomainChange, EnumPosition,
};

/// A change plus why it is there when that is not obvious (shown in the plan's comment).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Planned {
    pub(crate) change: Change,
    pub(crate) because: Option<String>,
}

/// The name a re-created type's old version is moved to before it is dropped.
pub(crate) fn old_type_name(name: &str) -> String {
    format!("{name}__old")
}

const MAY_BE_RENAME: &str = "may be a rename: no rename guessing is done";

type Col = (QualifiedName, String);

struct Cx<'a> {
    from: &'a Database,
    to: &'a Database,
    from_tables: BTreeMap<&'a QualifiedName, &'a Table>,
    to_tables: BTreeMap<&'a QualifiedName, &'a Table>,
    from_views: BTreeMap<&'a QualifiedName, &'a View>,
    to_views: BTreeMap<&'a QualifiedName, &'a View>,
    to_functions: HashMap<FunctionRef, &'a Function>,
    /// Tables that are dropped, or dropped and created again.
    tables_gone: BTreeSet<QualifiedName>,
    /// Columns of surviving tables that are dropped, re-added or retyped (views reading them
    /// must be dropped first and created again).
    cols_changed: HashSet<Col>,
    /// Types moved aside and created again (their columns are retyped through text).
    types_recreated: BTreeSet<QualifiedName>,
    /// Function overloads dropped (removed, or dropped and created again).
    funcs_gone: HashSet<FunctionRef>,
    /// Views dropped (removed, or dropped and created again), with the reason.
    views_gone: BTreeMap<QualifiedName, String>,
    /// Unique keys (table, sorted columns) that are dropped: foreign keys using them go too.
    keys_dropped: HashSet<(QualifiedName, Vec<String>)>,
    /// Names of functions dropped and created again: defaults, checks and indexes whose text
    /// mentions them must let go of them first.
    recreated_fn_names: Vec<String>,
    /// Drops of the old versions of re-created types, emitted last and in reverse (a domain
    /// over a re-created enum is re-created after it, so its old version goes first).
    old_type_drops: Vec<Planned>,
    /// The target server changes a generated column's expression in place (17+).
    set_expression: bool,
    out: Vec<Planned>,
}

impl<'a> Cx<'a> {
    fn push(&mut self, change: Change) {
        self.out.push(Planned {
            change,
            because: None,
        });
    }

    fn push_because(&mut self, change: Change, because: impl Into<String>) {
        self.out.push(Planned {
            change,
            because: Some(because.into()),
        });
    }

    fn comment(&mut self, target: CommentTarget, from: Option<&String>, to: Option<&String>) {
        if from != to {
            self.push(Change::Comment {
                target,
                text: to.cloned(),
            });
        }
    }

    /// Whether SQL text (a default, check or index expression) calls a re-created function.
    fn uses_recreated_fn(&self, text: &str) -> bool {
        self.recreated_fn_names.iter().any(|n| mentions(text, n))
    }

    fn index_uses_recreated_fn(&self, i: &Index) -> bool {
        i.predicate
            .as_deref()
            .is_some_and(|p| self.uses_recreated_fn(p))
            || i.parts.iter().any(|p| match &p.key {
                hclgen::IndexKey::Expr(e) => self.uses_recreated_fn(e),
                hclgen::IndexKey::Column(_) => false,
            })
    }

    fn table_kept(&self, name: &QualifiedName) -> bool {
        self.from_tables.contains_key(name)
            && self.to_tables.contains_key(name)
            && !self.tables_gone.contains(name)
    }
}

/// Every change from `from` to `to`, grouped by object kind (not yet ordered).
pub(crate) fn changes(from: &Database, to: &Database, settings: &crate::Settings) -> Vec<Planned> {
    let mut cx = Cx {
        from,
        to,
        from_tables: from.tables.iter().map(|t| (&t.name, t)).collect(),
        to_tables: to.tables.iter().map(|t| (&t.name, t)).collect(),
        from_views: from.views.iter().map(|v| (&v.name, v)).collect(),
        to_views: to.views.iter().map(|v| (&v.name, v)).collect(),
        to_functions: to.functions.iter().map(|f| (f.identity(), f)).collect(),
        tables_gone: BTreeSet::new(),
        cols_changed: HashSet::new(),
        types_recreated: BTreeSet::new(),
        funcs_gone: HashSet::new(),
        views_gone: BTreeMap::new(),
        keys_dropped: HashSet::new(),
        recreated_fn_names: Vec::new(),
        old_type_drops: Vec::new(),
        set_expression: settings.pg_version >= 17,
        out: Vec::new(),
    };
    find_gone_tables(&mut cx);
    schemas(&mut cx);
    extensions(&mut cx);
    enums(&mut cx);
    domains(&mut cx);
    composites(&mut cx);
    ranges(&mut cx);
    find_changed_columns(&mut cx);
    functions(&mut cx);
    find_gone_views(&mut cx);
    drop_views(&mut cx);
    sequences(&mut cx);
    tables(&mut cx);
    foreign_keys(&mut cx);
    create_views(&mut cx);
    triggers(&mut cx);
    policies(&mut cx);
    let mut drops = std::mem::take(&mut cx.old_type_drops);
    drops.reverse();
    cx.out.extend(drops);
    let kinds = crate::kinds::changes(from, to, &cx.out);
    cx.out.extend(kinds);
    cx.out
}

fn find_gone_tables(cx: &mut Cx<'_>) {
    for f in &cx.from.tables {
        match cx.to_tables.get(&f.name) {
            None => {
                cx.tables_gone.insert(f.name.clone());
            }
            Some(t) if f.partition_by != t.partition_by => {
                cx.tables_gone.insert(f.name.clone());
            }
            Some(_) => {}
        }
    }
    // Partitions of a re-created partitioned table go with it.
    loop {
        let more: Vec<QualifiedName> = cx
            .from
            .tables
            .iter()
            .filter(|t| !cx.tables_gone.contains(&t.name))
            .filter(|t| {
                t.partition_of
                    .as_ref()
                    .is_some_and(|p| cx.tables_gone.contains(&p.parent))
            })
            .map(|t| t.name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        cx.tables_gone.extend(more);
    }
}

fn schemas(cx: &mut Cx<'_>) {
    let from: BTreeMap<_, _> = cx.from.schemas.iter().map(|s| (&s.name, s)).collect();
    let to: BTreeMap<_, _> = cx.to.schemas.iter().map(|s| (&s.name, s)).collect();
    for s in &cx.to.schemas {
        match from.get(&s.name) {
            None => {
                cx.push(Change::CreateSchema(s.clone()));
                cx.comment(
                    CommentTarget::Schema(s.name.clone()),
                    None,
                    s.comment.as_ref(),
                );
            }
            Some(f) => cx.comment(
                CommentTarget::Schema(s.name.clone()),
                f.comment.as_ref(),
                s.comment.as_ref(),
            ),
        }
    }
    for s in &cx.from.schemas {
        if !to.contains_key(&s.name) {
            cx.push_because(Change::DropSchema(s.name.clone()), MAY_BE_RENAME);
        }
    }
}

fn extensions(cx: &mut Cx<'_>) {
    let from: BTreeMap<_, _> = cx.from.extensions.iter().map(|e| (&e.name, e)).collect();
    let to: BTreeMap<_, _> = cx.to.extensions.iter().map(|e| (&e.name, e)).collect();
    for e in &cx.to.extensions {
        let target = CommentTarget::Extension(e.name.clone());
        match from.get(&e.name) {
            None => {
                cx.push(Change::CreateExtension(e.clone()));
                cx.comment(target, None, e.comment.as_ref());
            }
            Some(f) => {
                if f.schema != e.schema {
                    cx.push(Change::SetExtensionSchema {
                        name: e.name.clone(),
                        schema: e.schema.clone(),
                    });
                }
                if f.version != e.version {
                    cx.push(Change::UpdateExtension {
                        name: e.name.clone(),
                        version: e.version.clone(),
                    });
                }
                cx.comment(target, f.comment.as_ref(), e.comment.as_ref());
            }
        }
    }
    for e in &cx.from.extensions {
        if !to.contains_key(&e.name) {
            cx.push(Change::DropExtension(e.name.clone()));
        }
    }
}

/// Moves a type aside (`RENAME TO <name>__old`); the new version is created by the caller and
/// the old one dropped at the end, after the columns using it were converted.
fn recreate_type(cx: &mut Cx<'_>, name: &QualifiedName, kind: TypeKind, why: &str) {
    cx.push_because(
        Change::RenameType {
            name: name.clone(),
            new_name: old_type_name(&name.name),
        },
        why.to_owned(),
    );
    cx.types_recreated.insert(name.clone());
    cx.old_type_drops.push(Planned {
        change: Change::DropType {
            name: QualifiedName::new(name.schema.clone(), old_type_name(&name.name)),
            kind,
        },
        because: Some(format!("the old version of {name}, replaced above")),
    });
}

fn enums(cx: &mut Cx<'_>) {
    let from: BTreeMap<_, _> = cx.from.enums.iter().map(|e| (&e.name, e)).collect();
    let to: BTreeMap<_, _> = cx.to.enums.iter().map(|e| (&e.name, e)).collect();
    for e in &cx.to.enums {
        let target = CommentTarget::Type(e.name.clone());
        let Some(f) = from.get(&e.name) else {
            create_enum(cx, e);
            continue;
        };
        if f.values != e.values {
            let added_label_used = || {
                let used = crate::expressions::expressions(cx.to);
                e.values
                    .iter()
                    .filter(|v| !f.values.contains(v))
                    .any(|v| crate::expressions::uses_literal(&used, v))
            };
            let why = if !is_subsequence(&f.values, &e.values) {
                "a value was removed or the values were reordered: the type is re-created"
            } else if added_label_used() {
                // PostgreSQL refuses a label added by ALTER TYPE ... ADD VALUE until the
                // transaction commits ("unsafe use of new value"); a new type has no such
                // limit, so the plan still runs as one transaction (`psql -1 -f`).
                "a new value is used in this plan, which ADD VALUE allows only after a commit: the type is re-created"
            } else {
                add_enum_values(cx, f, e);
                ""
            };
            if !why.is_empty() {
                recreate_type(cx, &e.name, TypeKind::Enum, why);
                create_enum(cx, e);
                continue;
            }
        }
        cx.comment(target, f.comment.as_ref(), e.comment.as_ref());
    }
    for e in &cx.from.enums {
        if !to.contains_key(&e.name) {
            cx.push(Change::DropType {
                name: e.name.clone(),
                kind: TypeKind::Enum,
            });
        }
    }
}

fn create_enum(cx: &mut Cx<'_>, e: &Enum) {
    cx.push(Change::CreateEnum(e.clone()));
    cx.comment(
        CommentTarget::Type(e.name.clone()),
        None,
        e.comment.as_ref(),
    );
}

fn is_subsequence(old: &[String], new: &[String]) -> bool {
    let mut it = new.iter();
    old.iter().all(|o| it.any(|n| n == o))
}

/// Adds the labels of `to` missing from `from`, each right after its predecessor in `to` (or
/// before the first existing label), so the final order is `to`'s.
fn add_enum_values(cx: &mut Cx<'_>, from: &Enum, to: &Enum) {
    let existing: HashSet<&String> = from.values.iter().collect();
    for (i, v) in to.values.iter().enumerate() {
        if existing.contains(v) {
            continue;
        }
        let position = if i > 0 {
            EnumPosition::After(to.values[i - 1].clone())
        } else if let Some(first) = from.values.first() {
            EnumPosition::Before(first.clone())
        } else {
            EnumPosition::End
        };
        cx.push(Change::AddEnumValue {
            name: to.name.clone(),
            value: v.clone(),
            position,
        });
    }
}

fn domains(cx: &mut Cx<'_>) {
    let from: BTreeMap<_, _> = cx.from.domains.iter().map(|d| (&d.name, d)).collect();
    let to: BTreeMap<_, _> = cx.to.domains.iter().map(|d| (&d.name, d)).collect();
    for d in &cx.to.domains {
        let Some(f) = from.get(&d.name) else {
            create_domain(cx, d);
            continue;
        };
        if f.ty != d.ty || f.collation != d.collation || uses_recreated(&d.ty, &cx.types_recreated)
        {
            recreate_type(
                cx,
                &d.name,
                TypeKind::Domain,
                "its base type, collation or the type it is based on changed: the domain is re-created",
            );
            create_domain(cx, d);
            continue;
        }
        let alter = |change| Change::AlterDomain {
            name: d.name.clone(),
            change,
        };
        if f.default != d.default {
            cx.push(alter(DomainChange::Default(d.default.clone())));
        }
        if f.not_null != d.not_null {
            cx.push(alter(DomainChange::NotNull(d.not_null)));
        }
        let fc: BTreeMap<_, _> = f.checks.iter().map(|c| (&c.name, c)).collect();
        let tc: BTreeMap<_, _> = d.checks.iter().map(|c| (&c.name, c)).collect();
        for c in &f.checks {
            let same = tc
                .get(&c.name)
                .is_some_and(|t| t.expr == c.expr && t.not_valid == c.not_valid);
            if !same {
                cx.push(alter(DomainChange::DropCheck(c.name.clone())));
            }
        }
        for c in &d.checks {
            let target = CommentTarget::DomainConstraint {
                domain: d.name.clone(),
                name: c.name.clone(),
            };
            match fc.get(&c.name) {
                Some(o) if o.expr == c.expr && o.not_valid == c.not_valid => {
                    cx.comment(target, o.comment.as_ref(), c.comment.as_ref());
                }
                _ => {
                    cx.push(alter(DomainChange::AddCheck(c.clone())));
                    cx.comment(target, None, c.comment.as_ref());
                }
            }
        }
        cx.comment(
            CommentTarget::Domain(d.name.clone()),
            f.comment.as_ref(),
            d.comment.as_ref(),
        );
    }
    for d in &cx.from.domains {
        if !to.contains_key(&d.name) {
            cx.push(Change::DropType {
                name: d.name.clone(),
                kind: TypeKind::Domain,
            });
        }
    }
}

fn create_domain(cx: &mut Cx<'_>, d: &Domain) {
    cx.push(Change::CreateDomain(d.clone()));
    cx.comment(
        CommentTarget::Domain(d.name.clone()),
        None,
        d.comment.as_ref(),
    );
    for c in &d.checks {
        cx.comment(
            CommentTarget::DomainConstraint {
                domain: d.name.clone(),
                name: c.name.clone(),
            },
            None,
            c.comment.as_ref(),
        );
    }
}

fn composites(cx: &mut Cx<'_>) {
    // Types some column uses (one pass over the columns, not one per composite).
    let used_by_columns: HashSet<QualifiedName> = cx
        .from
        .tables
        .iter()
        .flat_map(|t| &t.columns)
        .filter_map(|col| col.ty.named().map(|(_, n)| n.clone()))
        .collect();
    let from: BTreeMap<_, _> = cx.from.composites.iter().map(|c| (&c.name, c)).collect();
    let to: BTreeMap<_, _> = cx.to.composites.iter().map(|c| (&c.name, c)).collect();
    for c in &cx.to.composites {
        let Some(f) = from.get(&c.name) else {
            create_composite(cx, c);
            continue;
        };
        // In place only when surviving fields keep their order and new ones come last
        // (ADD ATTRIBUTE appends).
        let new_names: HashSet<&String> = c.fields.iter().map(|x| &x.name).collect();
        let kept: Vec<&String> = f
            .fields
            .iter()
            .map(|x| &x.name)
            .filter(|n| new_names.contains(n))
            .collect();
        let in_place = c
            .fields
            .iter()
            .take(kept.len())
            .map(|x| &x.name)
            .eq(kept.iter().copied());
        // PostgreSQL cannot change an attribute's type while a column uses the type.
        let retyped_field = f.fields.iter().any(|o| {
            c.fields
                .iter()
                .any(|x| x.name == o.name && (x.ty != o.ty || x.collation != o.collation))
        });
        let used = used_by_columns.contains(&c.name);
        let field_type_recreated = c
            .fields
            .iter()
            .any(|x| uses_recreated(&x.ty, &cx.types_recreated));
        if !in_place || (retyped_field && used) || field_type_recreated {
            recreate_type(
                cx,
                &c.name,
                TypeKind::Composite,
                if field_type_recreated {
                    "the type of a field is re-created: the type is re-created"
                } else if in_place {
                    "a field changes type while columns use the type: it is re-created"
                } else {
                    "fields were reordered: the type is re-created"
                },
            );
            create_composite(cx, c);
            continue;
        }
        let old: BTreeMap<_, _> = f.fields.iter().map(|x| (&x.name, x)).collect();
        for x in &f.fields {
            if !new_names.contains(&x.name) {
                cx.push_because(
                    Change::AlterComposite {
                        name: c.name.clone(),
                        change: CompositeChange::Drop(x.name.clone()),
                    },
                    MAY_BE_RENAME,
                );
            }
        }
        for x in &c.fields {
            let col = CommentTarget::Column(ColumnRef {
                table: c.name.clone(),
                column: x.name.clone(),
            });
            match old.get(&x.name) {
                None => {
                    cx.push(Change::AlterComposite {
                        name: c.name.clone(),
                        change: CompositeChange::Add(x.clone()),
                    });
                    cx.comment(col, None, x.comment.as_ref());
                }
                Some(o) => {
                    if o.ty != x.ty || o.collation != x.collation {
                        cx.push(Change::AlterComposite {
                            name: c.name.clone(),
                            change: CompositeChange::Alter(x.clone()),
                        });
                    }
                    cx.comment(col, o.comment.as_ref(), x.comment.as_ref());
                }
            }
        }
        cx.comment(
            CommentTarget::Type(c.name.clone()),
            f.comment.as_ref(),
            c.comment.as_ref(),
        );
    }
    for c in &cx.from.composites {
        if !to.contains_key(&c.name) {
            cx.push(Change::DropType {
                name: c.name.clone(),
                kind: TypeKind::Composite,
            });
        }
    }
}

fn create_composite(cx: &mut Cx<'_>, c: &Composite) {
    cx.push(Change::CreateComposite(c.clone()));
    cx.comment(
        CommentTarget::Type(c.name.clone()),
        None,
        c.comment.as_ref(),
    );
    for x in &c.fields {
        cx.comment(
            CommentTarget::Column(ColumnRef {
                table: c.name.clone(),
                column: x.name.clone(),
            }),
            None,
            x.comment.as_ref(),
        );
    }
}

fn ranges(cx: &mut Cx<'_>) {
    let from: BTreeMap<_, _> = cx.from.ranges.iter().map(|r| (&r.name, r)).collect();
    let to: BTreeMap<_, _> = cx.to.ranges.iter().map(|r| (&r.name, r)).collect();
    for r in &cx.to.ranges {
        match from.get(&r.name) {
            None => create_range(cx, r),
            Some(f) => {
                let same = RangeType {
                    comment: None,
                    ..(*f).clone()
                } == RangeType {
                    comment: None,
                    ..r.clone()
                };
                if same {
                    cx.comment(
                        CommentTarget::Type(r.name.clone()),
                        f.comment.as_ref(),
                        r.comment.as_ref(),
                    );
                } else {
                    recreate_type(
                        cx,
                        &r.name,
                        TypeKind::Range,
                        "the range definition changed: the type is re-created",
                    );
                    create_range(cx, r);
                }
            }
        }
    }
    for r in &cx.from.ranges {
        if !to.contains_key(&r.name) {
            cx.push(Change::DropType {
                name: r.name.clone(),
                kind: TypeKind::Range,
            });
        }
    }
}

fn create_range(cx: &mut Cx<'_>, r: &RangeType) {
    cx.push(Change::CreateRange(r.clone()));
    cx.comment(
        CommentTarget::Type(r.name.clone()),
        None,
        r.comment.as_ref(),
    );
}

/// The column's type as stored (serial columns are integers with a default).
fn storage_type(ty: &Type) -> Type {
    match ty {
        Type::Serial(w) => Type::Sql(crate::sql::serial_base(*w).to_owned()),
        other => other.clone(),
    }
}

fn uses_recreated(ty: &Type, recreated: &BTreeSet<QualifiedName>) -> bool {
    ty.named().is_some_and(|(_, n)| recreated.contains(n))
}

/// Whether a column's type changes (storage type, collation, or a re-created user type).
fn retyped(f: &Column, t: &Column, recreated: &BTreeSet<QualifiedName>) -> bool {
    storage_type(&f.ty) != storage_type(&t.ty)
        || f.collation != t.collation
        || uses_recreated(&t.ty, recreated)
}

/// Generated columns of a surviving table that are dropped and added again: their expression
/// changed or became one, or it reads a column whose type changes (PostgreSQL refuses to
/// retype a column a generated column uses). With `in_place` (17+), a column that stays of its
/// type and only changes expression is not among them: it gets `SET EXPRESSION`.
fn regenerated(
    f: &Table,
    t: &Table,
    recreated: &BTreeSet<QualifiedName>,
    in_place: bool,
) -> HashSet<String> {
    let old: HashMap<&String, &Column> = f.columns.iter().map(|c| (&c.name, c)).collect();
    let retyped_cols: Vec<&String> = t
        .columns
        .iter()
        .filter(|c| old.get(&c.name).is_some_and(|o| retyped(o, c, recreated)))
        .map(|c| &c.name)
        .collect();
    t.columns
        .iter()
        .filter_map(|c| {
            let expr = c.generated.as_ref()?;
            let o = old.get(&c.name)?;
            let reads_retyped = retyped_cols
                .iter()
                .any(|r| *r != &c.name && mentions(expr, r));
            // A stored column cannot become virtual or back (PostgreSQL 18): drop and add.
            let kind_changed = o.generated.is_some() && o.generated_virtual != c.generated_virtual;
            let changed = o.generated.as_ref() != Some(expr) || kind_changed;
            let settable =
                in_place && o.generated.is_some() && !kind_changed && !retyped(o, c, recreated);
            let regen = reads_retyped || (changed && !settable);
            regen.then(|| c.name.clone())
        })
        .collect()
}

/// Whether an index or constraint uses one of `columns` (listed, or named in an expression):
/// PostgreSQL drops it with a column that is dropped and added again, so it is re-created.
fn uses_any_column(columns: &HashSet<String>, parts: &[IndexPart], other: &[&str]) -> bool {
    !columns.is_empty()
        && (parts.iter().any(|p| match &p.key {
            IndexKey::Column(c) => columns.contains(c),
            IndexKey::Expr(e) => columns.iter().any(|c| mentions(e, c)),
        }) || other
            .iter()
            .any(|text| columns.iter().any(|c| c == text || mentions(text, c))))
}

fn index_parts_of(cols: &[String]) -> Vec<IndexPart> {
    cols.iter()
        .map(|c| IndexPart {
            key: IndexKey::Column(c.clone()),
            ..IndexPart::default()
        })
        .collect()
}

fn find_changed_columns(cx: &mut Cx<'_>) {
    for t in &cx.to.tables {
        if !cx.table_kept(&t.name) {
            continue;
        }
        let Some(f) = cx.from_tables.get(&t.name) else {
            continue;
        };
        let new: HashMap<&String, &Column> = t.columns.iter().map(|c| (&c.name, c)).collect();
        // Views reading a column whose expression changes are rebuilt, in place or not.
        let regen = regenerated(f, t, &cx.types_recreated, false);
        for fc in &f.columns {
            let changed = match new.get(&fc.name) {
                None => true,
                Some(tc) => retyped(fc, tc, &cx.types_recreated) || regen.contains(&fc.name),
            };
            if changed {
                cx.cols_changed.insert((t.name.clone(), fc.name.clone()));
            }
        }
    }
}

fn function_uses_recreated(f: &Function, recreated: &BTreeSet<QualifiedName>) -> bool {
    f.args.iter().any(|a| uses_recreated(&a.ty, recreated))
        || matches!(&f.returns, Some(Returns::Type { ty, .. }) if uses_recreated(ty, recreated))
        || f.depends_on
            .iter()
            .any(|d| matches!(d, Dependency::Type(n) if recreated.contains(n)))
}

/// `CREATE OR REPLACE` cannot change the return type, argument names, modes or output
/// arguments, nor remove defaults, nor turn a function into a procedure.
fn needs_function_recreate(f: &Function, t: &Function) -> bool {
    if f.kind != t.kind || f.returns != t.returns || f.args.len() != t.args.len() {
        return true;
    }
    f.args.iter().zip(&t.args).any(|(a, b)| {
        a.name != b.name
            || a.mode != b.mode
            || a.ty != b.ty
            || (a.default.is_some() && b.default.is_none())
    })
}

/// Names of the constructor functions PostgreSQL creates with each range type (they belong to
/// the type: created and dropped with it, never on their own).
fn range_constructors(db: &Database) -> HashSet<QualifiedName> {
    let mut out = HashSet::new();
    for r in &db.ranges {
        out.insert(r.name.clone());
        if let Some(m) = &r.multirange {
            out.insert(QualifiedName::new(r.name.schema.clone(), m.clone()));
        }
    }
    out
}

fn functions(cx: &mut Cx<'_>) {
    let skip_from = range_constructors(cx.from);
    let skip_to = range_constructors(cx.to);
    let from: HashMap<FunctionRef, &Function> = cx
        .from
        .functions
        .iter()
        .filter(|f| !skip_from.contains(&f.name))
        .map(|f| (f.identity(), f))
        .collect();
    for t in cx
        .to
        .functions
        .iter()
        .filter(|f| !skip_to.contains(&f.name))
    {
        let id = t.identity();
        let target = CommentTarget::Function {
            kind: t.kind,
            function: id.clone(),
        };
        let Some(f) = from.get(&id) else {
            cx.push(Change::CreateFunction {
                function: t.clone(),
                replace: false,
            });
            cx.comment(target, None, t.comment.as_ref());
            continue;
        };
        let recreate =
            needs_function_recreate(f, t) || function_uses_recreated(f, &cx.types_recreated);
        if recreate {
            cx.funcs_gone.insert(id.clone());
            cx.recreated_fn_names.push(id.name.name.clone());
            cx.push_because(
                Change::DropFunction {
                    kind: f.kind,
                    function: id.clone(),
                },
                "its signature or return type changed: it is dropped and created again",
            );
            cx.push(Change::CreateFunction {
                function: t.clone(),
                replace: false,
            });
            cx.comment(target, None, t.comment.as_ref());
            continue;
        }
        let strip = |x: &Function| Function {
            comment: None,
            depends_on: Vec::new(),
            ..x.clone()
        };
        if strip(f) != strip(t) {
            cx.push(Change::CreateFunction {
                function: t.clone(),
                replace: true,
            });
        }
        cx.comment(target, f.comment.as_ref(), t.comment.as_ref());
    }
    for f in cx
        .from
        .functions
        .iter()
        .filter(|f| !skip_from.contains(&f.name))
    {
        let id = f.identity();
        if !cx.to_functions.contains_key(&id) {
            cx.funcs_gone.insert(id.clone());
            cx.push(Change::DropFunction {
                kind: f.kind,
                function: id,
            });
        }
    }
}

/// Why a surviving view cannot be kept as is, if it cannot.
fn view_incompatible(f: &View, t: &View) -> Option<&'static str> {
    if f.materialized != t.materialized {
        return Some("it changes between view and materialized view");
    }
    if f.materialized {
        let same = View {
            comment: None,
            columns: Vec::new(),
            indexes: Vec::new(),
            depends_on: Vec::new(),
            ..f.clone()
        } == View {
            comment: None,
            columns: Vec::new(),
            indexes: Vec::new(),
            depends_on: Vec::new(),
            ..t.clone()
        };
        return (!same).then_some("its query changed (materialized views are re-created)");
    }
    let prefix = f.columns.len() <= t.columns.len()
        && f.columns
            .iter()
            .zip(&t.columns)
            .all(|(a, b)| a.name == b.name && a.ty == b.ty);
    if !prefix {
        return Some("its columns changed (CREATE OR REPLACE can only add columns at the end)");
    }
    if (f.security_barrier && !t.security_barrier)
        || (f.security_invoker && !t.security_invoker)
        || (f.check_option.is_some() && t.check_option.is_none())
    {
        return Some("an option was removed");
    }
    None
}

/// Views to drop: removed or incompatible ones, and every view reading something that is
/// dropped or changed (transitively).
fn find_gone_views(cx: &mut Cx<'_>) {
    let mut dependents: HashMap<&QualifiedName, Vec<&QualifiedName>> = HashMap::new();
    let mut queue: Vec<QualifiedName> = Vec::new();
    for f in &cx.from.views {
        for d in &f.depends_on {
            if let Dependency::View(v) = d {
                dependents.entry(v).or_default().push(&f.name);
            }
        }
        let why = match cx.to_views.get(&f.name) {
            None => Some(format!("it is removed; {MAY_BE_RENAME}")),
            Some(t) => view_incompatible(f, t).map(str::to_owned),
        }
        .or_else(|| {
            f.depends_on.iter().find_map(|d| match d {
                Dependency::Table(n) if cx.tables_gone.contains(n) => {
                    Some(format!("it reads table {n}, which is dropped"))
                }
                Dependency::Column(c)
                    if cx.tables_gone.contains(&c.table)
                        || cx
                            .cols_changed
                            .contains(&(c.table.clone(), c.column.clone())) =>
                {
                    Some(format!(
                        "it reads column {}.{}, which is dropped or changes type",
                        c.table, c.column
                    ))
                }
                Dependency::Function(r) if cx.funcs_gone.contains(r) => Some(format!(
                    "it calls function {}({}), which is dropped",
                    r.name, r.args
                )),
                Dependency::Type(n) if cx.types_recreated.contains(n) => {
                    Some(format!("it uses type {n}, which is re-created"))
                }
                _ => None,
            })
        });
        if let Some(why) = why {
            cx.views_gone.insert(f.name.clone(), why);
            queue.push(f.name.clone());
        }
    }
    while let Some(v) = queue.pop() {
        for d in dependents.get(&v).into_iter().flatten() {
            if !cx.views_gone.contains_key(*d) {
                cx.views_gone
                    .insert((*d).clone(), format!("it reads view {v}, which is dropped"));
                queue.push((*d).clone());
            }
        }
    }
}

fn drop_views(cx: &mut Cx<'_>) {
    let gone: Vec<(QualifiedName, String)> = cx
        .views_gone
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (name, why) in gone {
        let materialized = cx.from_views.get(&name).is_some_and(|v| v.materialized);
        let why = if cx.to_views.contains_key(&name) {
            format!("{why}; it is created again below")
        } else {
            why
        };
        cx.push_because(Change::DropView { name, materialized }, why);
    }
}

/// The standalone sequence of FROM that `from` (a plain column of `table` at FROM) draws from
/// through `nextval(…)` and that its serial form at TO would own under the same name
/// (`<table>_<column>_seq`): migra's `seq` fixture turns such a column into `serial`. `None`
/// when the column is not in that state at FROM.
fn adopted_sequence<'a>(
    cx: &Cx<'a>,
    table: &QualifiedName,
    from: &Column,
) -> Option<&'a hclgen::Sequence> {
    let name = crate::sql::serial_sequence_name(table, &from.name);
    let seq = cx.from.sequences.iter().find(|s| s.name == name)?;
    let default = from.default.as_deref()?;
    let unqualified = pgsql::quote_ident(&name.name);
    let qualified = format!("{}.{unqualified}", pgsql::quote_ident(&name.schema));
    let draws = [unqualified, qualified]
        .iter()
        .any(|n| default == format!("nextval('{}'::regclass)", n.replace('\'', "''")));
    (draws && seq.owned_by.is_none() && matches!(generation(from), Gen::Plain)).then_some(seq)
}

/// Whether the standalone sequence `name` of FROM becomes, at TO, the sequence a serial column
/// owns (see [`adopted_sequence`]): it is kept, not dropped.
fn adopted_by_serial(cx: &Cx<'_>, name: &QualifiedName) -> bool {
    cx.to.tables.iter().any(|t| {
        cx.from_tables.get(&t.name).is_some_and(|ft| {
            t.columns.iter().any(|c| {
                matches!(generation(c), Gen::Serial(_))
                    && ft
                        .columns
                        .iter()
                        .find(|fc| fc.name == c.name)
                        .and_then(|fc| adopted_sequence(cx, &t.name, fc))
                        .is_some_and(|s| s.name == *name)
            })
        })
    })
}

fn sequences(cx: &mut Cx<'_>) {
    let from: BTreeMap<_, _> = cx.from.sequences.iter().map(|s| (&s.name, s)).collect();
    let to: BTreeMap<_, _> = cx.to.sequences.iter().map(|s| (&s.name, s)).collect();
    for s in &cx.to.sequences {
        let target = CommentTarget::Sequence(s.name.clone());
        match from.get(&s.name) {
            None => {
                cx.push(Change::CreateSequence(s.clone()));
                if s.owned_by.is_some() {
                    cx.push(Change::SetSequenceOwner {
                        name: s.name.clone(),
                        owned_by: s.owned_by.clone(),
                    });
                }
                cx.comment(target, None, s.comment.as_ref());
            }
            Some(f) => {
                if f.ty != s.ty || f.options != s.options {
                    cx.push(Change::AlterSequence {
                        name: s.name.clone(),
                        ty: s.ty.clone(),
                        from: f.options,
                        to: s.options,
                    });
                }
                if f.owned_by != s.owned_by {
                    cx.push(Change::SetSequenceOwner {
                        name: s.name.clone(),
                        owned_by: s.owned_by.clone(),
                    });
                }
                cx.comment(target, f.comment.as_ref(), s.comment.as_ref());
            }
        }
    }
    for s in &cx.from.sequences {
        if to.contains_key(&s.name) {
            continue;
        }
        // A sequence owned by a dropped table or column goes with it.
        let goes_with_owner = s.owned_by.as_ref().is_some_and(|o| {
            cx.tables_gone.contains(&o.table)
                || cx
                    .to_tables
                    .get(&o.table)
                    .is_some_and(|t| !t.columns.iter().any(|c| c.name == o.column))
        });
        if !goes_with_owner && !adopted_by_serial(cx, &s.name) {
            cx.push(Change::DropSequence(s.name.clone()));
        }
    }
}

fn tables(cx: &mut Cx<'_>) {
    for t in &cx.to.tables {
        if cx.from_tables.contains_key(&t.name) && !cx.tables_gone.contains(&t.name) {
            alter_table(cx, cx.from_tables[&t.name], t);
        } else {
            create_table(cx, t);
        }
    }
    drop_tables(cx);
}

fn create_table(cx: &mut Cx<'_>, t: &Table) {
    let bare = Table {
        foreign_keys: Vec::new(),
        indexes: Vec::new(),
        ..t.clone()
    };
    if cx.tables_gone.contains(&t.name) {
        cx.push_because(
            Change::CreateTable(bare),
            "its partitioning changed: it was dropped above",
        );
    } else {
        cx.push(Change::CreateTable(bare));
    }
    for c in t.checks.iter().filter(|c| c.not_valid) {
        cx.push(Change::AddCheck {
            table: t.name.clone(),
            check: c.clone(),
        });
    }
    // A partition takes its columns from the parent, and an inheritance child its inherited
    // ones from its parents; their own defaults and NOT NULL are set after.
    let parents: Vec<&QualifiedName> = t
        .partition_of
        .iter()
        .map(|p| &p.parent)
        .chain(&t.inherits)
        .collect();
    if !parents.is_empty() {
        let mut parent_cols: HashMap<&String, &Column> = HashMap::new();
        for parent in &parents {
            for c in cx.to_tables.get(parent).map_or(&[][..], |pt| &pt.columns) {
                // Any parent's NOT NULL or default reaches the child.
                let keep = parent_cols
                    .get(&c.name)
                    .is_some_and(|k| !k.nullable || k.default.is_some());
                if !keep {
                    parent_cols.insert(&c.name, c);
                }
            }
        }
        let columns = t
            .columns
            .iter()
            .filter(|c| t.partition_of.is_some() || c.inherited);
        for c in columns {
            let pc = parent_cols.get(&c.name);
            if c.default.is_some() && pc.is_none_or(|pc| pc.default != c.default) {
                cx.push(Change::SetDefault {
                    table: t.name.clone(),
                    column: c.name.clone(),
                    default: c.default.clone(),
                });
            }
            if !c.nullable && pc.is_some_and(|pc| pc.nullable) {
                cx.push(Change::SetNotNull {
                    table: t.name.clone(),
                    column: c.name.clone(),
                    not_null: true,
                });
            }
        }
    }
    for i in &t.indexes {
        create_index(cx, &t.name, i);
    }
    table_comments(cx, t, None);
    let constraints = t
        .primary_key
        .iter()
        .map(|p| (&p.name, &p.comment))
        .chain(t.uniques.iter().map(|u| (&u.name, &u.comment)))
        .chain(t.checks.iter().map(|c| (&c.name, &c.comment)))
        .chain(t.exclusions.iter().map(|x| (&x.name, &x.comment)));
    for (name, comment) in constraints {
        constraint_comment(cx, &t.name, name, None, comment.as_ref());
    }
    if t.rls_enabled {
        cx.push(Change::SetRls {
            table: t.name.clone(),
            enabled: true,
        });
    }
    if t.rls_forced {
        cx.push(Change::ForceRls {
            table: t.name.clone(),
            forced: true,
        });
    }
}

fn create_index(cx: &mut Cx<'_>, table: &QualifiedName, i: &Index) {
    cx.push(Change::CreateIndex {
        table: table.clone(),
        index: i.clone(),
    });
    cx.comment(
        CommentTarget::Index(QualifiedName::new(table.schema.clone(), i.name.clone())),
        None,
        i.comment.as_ref(),
    );
}

/// Comments of a table, its columns and constraints; `from` is the old table, if any.
fn table_comments(cx: &mut Cx<'_>, t: &Table, from: Option<&Table>) {
    cx.comment(
        CommentTarget::Table(t.name.clone()),
        from.and_then(|f| f.comment.as_ref()),
        t.comment.as_ref(),
    );
    let old_cols: HashMap<&String, &Column> = from
        .map(|f| f.columns.iter().map(|c| (&c.name, c)).collect())
        .unwrap_or_default();
    // A column dropped and re-added (generated) lost its comment.
    let regen = from
        .map(|f| regenerated(f, t, &cx.types_recreated, cx.set_expression))
        .unwrap_or_default();
    for c in &t.columns {
        let old = if regen.contains(&c.name) {
            None
        } else {
            old_cols.get(&c.name).and_then(|o| o.comment.as_ref())
        };
        cx.comment(
            CommentTarget::Column(ColumnRef {
                table: t.name.clone(),
                column: c.name.clone(),
            }),
            old,
            c.comment.as_ref(),
        );
    }
}

fn constraint_comment(
    cx: &mut Cx<'_>,
    table: &QualifiedName,
    name: &str,
    from: Option<&String>,
    to: Option<&String>,
) {
    cx.comment(
        CommentTarget::Constraint {
            table: table.clone(),
            name: name.to_owned(),
        },
        from,
        to,
    );
}

fn sorted(cols: &[String]) -> Vec<String> {
    let mut v = cols.to_vec();
    v.sort();
    v
}

fn alter_table(cx: &mut Cx<'_>, f: &Table, t: &Table) {
    let name = &t.name;
    columns(cx, f, t);
    // Keys, checks and indexes on a generated column that is dropped and added again.
    let regen = regenerated(f, t, &cx.types_recreated, cx.set_expression);
    let lost_cols =
        |cols: &[String], exprs: &[&str]| uses_any_column(&regen, &index_parts_of(cols), exprs);

    // Primary key.
    let strip_pk = |p: &hclgen::PrimaryKey| hclgen::PrimaryKey {
        comment: None,
        ..p.clone()
    };
    match (&f.primary_key, &t.primary_key) {
        (Some(a), Some(b)) if strip_pk(a) == strip_pk(b) && !lost_cols(&a.columns, &[]) => {
            constraint_comment(cx, name, &b.name, a.comment.as_ref(), b.comment.as_ref());
        }
        (a, b) => {
            if let Some(a) = a {
                cx.keys_dropped.insert((name.clone(), sorted(&a.columns)));
                cx.push(Change::DropConstraint {
                    table: name.clone(),
                    name: a.name.clone(),
                    kind: ConstraintKind::PrimaryKey,
                });
            }
            if let Some(b) = b {
                cx.push(Change::AddPrimaryKey {
                    table: name.clone(),
                    key: b.clone(),
                });
                constraint_comment(cx, name, &b.name, None, b.comment.as_ref());
            }
        }
    }

    // Unique constraints.
    let old: BTreeMap<_, _> = f.uniques.iter().map(|u| (&u.name, u)).collect();
    let new: BTreeMap<_, _> = t.uniques.iter().map(|u| (&u.name, u)).collect();
    let strip_u = |u: &hclgen::UniqueConstraint| hclgen::UniqueConstraint {
        comment: None,
        ..u.clone()
    };
    let same_u = |a: &hclgen::UniqueConstraint, b: &hclgen::UniqueConstraint| {
        strip_u(a) == strip_u(b) && !lost_cols(&a.columns, &[])
    };
    for u in &f.uniques {
        if new.get(&u.name).is_none_or(|n| !same_u(n, u)) {
            cx.keys_dropped.insert((name.clone(), sorted(&u.columns)));
            cx.push(Change::DropConstraint {
                table: name.clone(),
                name: u.name.clone(),
                kind: ConstraintKind::Unique,
            });
        }
    }
    for u in &t.uniques {
        match old.get(&u.name) {
            Some(o) if same_u(o, u) => {
                constraint_comment(cx, name, &u.name, o.comment.as_ref(), u.comment.as_ref());
            }
            _ => {
                cx.push(Change::AddUnique {
                    table: name.clone(),
                    unique: u.clone(),
                });
                constraint_comment(cx, name, &u.name, None, u.comment.as_ref());
            }
        }
    }

    // Checks: a NOT VALID check that became valid is validated, not re-added.
    let old: BTreeMap<_, _> = f.checks.iter().map(|c| (&c.name, c)).collect();
    let new: BTreeMap<_, _> = t.checks.iter().map(|c| (&c.name, c)).collect();
    let fn_checks: HashSet<&String> = f
        .checks
        .iter()
        .filter(|c| cx.uses_recreated_fn(&c.expr))
        .map(|c| &c.name)
        .collect();
    let same_check = |a: &hclgen::Check, b: &hclgen::Check| {
        a.expr == b.expr
            && a.no_inherit == b.no_inherit
            && (a.not_valid || !b.not_valid)
            && !fn_checks.contains(&a.name)
            && !lost_cols(&[], &[a.expr.as_str()])
    };
    for c in &f.checks {
        if new.get(&c.name).is_none_or(|n| !same_check(c, n)) {
            cx.push(Change::DropConstraint {
                table: name.clone(),
                name: c.name.clone(),
                kind: ConstraintKind::Check,
            });
        }
    }
    for c in &t.checks {
        match old.get(&c.name) {
            Some(o) if same_check(o, c) => {
                if o.not_valid && !c.not_valid {
                    cx.push(Change::ValidateConstraint {
                        table: name.clone(),
                        name: c.name.clone(),
                    });
                }
                constraint_comment(cx, name, &c.name, o.comment.as_ref(), c.comment.as_ref());
            }
            _ => {
                cx.push(Change::AddCheck {
                    table: name.clone(),
                    check: c.clone(),
                });
                constraint_comment(cx, name, &c.name, None, c.comment.as_ref());
            }
        }
    }

    // Exclusion constraints.
    let old: BTreeMap<_, _> = f.exclusions.iter().map(|x| (&x.name, x)).collect();
    let new: BTreeMap<_, _> = t.exclusions.iter().map(|x| (&x.name, x)).collect();
    let strip_x = |x: &hclgen::Exclusion| hclgen::Exclusion {
        comment: None,
        ..x.clone()
    };
    let same_x = |a: &hclgen::Exclusion, b: &hclgen::Exclusion| {
        let parts: Vec<IndexPart> = a.elements.iter().map(|e| e.part.clone()).collect();
        strip_x(a) == strip_x(b)
            && !uses_any_column(&regen, &parts, &[a.predicate.as_deref().unwrap_or("")])
    };
    for x in &f.exclusions {
        if new.get(&x.name).is_none_or(|n| !same_x(n, x)) {
            cx.push(Change::DropConstraint {
                table: name.clone(),
                name: x.name.clone(),
                kind: ConstraintKind::Exclusion,
            });
        }
    }
    for x in &t.exclusions {
        match old.get(&x.name) {
            Some(o) if same_x(o, x) => {
                constraint_comment(cx, name, &x.name, o.comment.as_ref(), x.comment.as_ref());
            }
            _ => {
                cx.push(Change::AddExclusion {
                    table: name.clone(),
                    exclusion: x.clone(),
                });
                constraint_comment(cx, name, &x.name, None, x.comment.as_ref());
            }
        }
    }

    // Indexes: a modified index is dropped and created again.
    index_changes(cx, name, &f.indexes, &t.indexes, &regen);

    // Partitioning and inheritance.
    if f.partition_of != t.partition_of {
        if let Some(p) = &f.partition_of {
            cx.push(Change::DetachPartition {
                table: name.clone(),
                parent: p.parent.clone(),
            });
        }
        if let Some(p) = &t.partition_of {
            cx.push(Change::AttachPartition {
                table: name.clone(),
                parent: p.parent.clone(),
                bound: p.bound.clone(),
            });
        }
    }
    for p in &f.inherits {
        if !t.inherits.contains(p) {
            cx.push(Change::NoInherit {
                table: name.clone(),
                parent: p.clone(),
            });
        }
    }
    for p in &t.inherits {
        if !f.inherits.contains(p) {
            cx.push(Change::Inherit {
                table: name.clone(),
                parent: p.clone(),
            });
        }
    }
    if f.unlogged != t.unlogged {
        cx.push(Change::SetUnlogged {
            table: name.clone(),
            unlogged: t.unlogged,
        });
    }
    if f.rls_enabled != t.rls_enabled {
        cx.push(Change::SetRls {
            table: name.clone(),
            enabled: t.rls_enabled,
        });
    }
    if f.rls_forced != t.rls_forced {
        cx.push(Change::ForceRls {
            table: name.clone(),
            forced: t.rls_forced,
        });
    }
    table_comments(cx, t, Some(f));
}

fn index_changes(
    cx: &mut Cx<'_>,
    table: &QualifiedName,
    from: &[Index],
    to: &[Index],
    regenerated: &HashSet<String>,
) {
    let old: BTreeMap<_, _> = from.iter().map(|i| (&i.name, i)).collect();
    let new: BTreeMap<_, _> = to.iter().map(|i| (&i.name, i)).collect();
    let strip = |i: &Index| Index {
        comment: None,
        ..i.clone()
    };
    let uses_fn: HashSet<&String> = from
        .iter()
        .filter(|i| {
            cx.index_uses_recreated_fn(i)
                || uses_any_column(
                    regenerated,
                    &i.parts,
                    &[i.predicate.as_deref().unwrap_or("")],
                )
                || i.include.iter().any(|c| regenerated.contains(c))
        })
        .map(|i| &i.name)
        .collect();
    let same = |a: &Index, b: &Index| strip(a) == strip(b) && !uses_fn.contains(&a.name);
    for i in from {
        if new.get(&i.name).is_none_or(|n| !same(n, i)) {
            if i.unique {
                let cols: Vec<String> = i
                    .parts
                    .iter()
                    .filter_map(|p| match &p.key {
                        hclgen::IndexKey::Column(c) => Some(c.clone()),
                        hclgen::IndexKey::Expr(_) => None,
                    })
                    .collect();
                cx.keys_dropped.insert((table.clone(), sorted(&cols)));
            }
            cx.push(Change::DropIndex {
                table: table.clone(),
                name: i.name.clone(),
            });
        }
    }
    for i in to {
        match old.get(&i.name) {
            Some(o) if same(o, i) => cx.comment(
                CommentTarget::Index(QualifiedName::new(table.schema.clone(), i.name.clone())),
                o.comment.as_ref(),
                i.comment.as_ref(),
            ),
            _ => create_index(cx, table, i),
        }
    }
}

/// Known casts that `ALTER COLUMN ... TYPE` applies without `USING` (implicit or assignment
/// casts between built-in types). Anything else gets `USING col::newtype`.
fn needs_using(from: &Type, to: &Type) -> bool {
    let (Type::Sql(a), Type::Sql(b)) = (from, to) else {
        return from != to;
    };
    let (a, b) = (base_name(a), base_name(b));
    if a == b {
        return false;
    }
    const STRINGS: &[&str] = &["text", "character varying", "character", "bpchar", "name"];
    const NUMBERS: &[&str] = &[
        "smallint",
        "integer",
        "bigint",
        "numeric",
        "real",
        "double precision",
    ];
    const PAIRS: &[(&str, &str)] = &[
        ("timestamp without time zone", "timestamp with time zone"),
        ("timestamp with time zone", "timestamp without time zone"),
        ("date", "timestamp without time zone"),
        ("date", "timestamp with time zone"),
        ("timestamp without time zone", "date"),
        ("timestamp with time zone", "date"),
        ("time without time zone", "time with time zone"),
        ("time with time zone", "time without time zone"),
        ("time without time zone", "interval"),
        ("cidr", "inet"),
        ("inet", "cidr"),
        ("bit", "bit varying"),
        ("bit varying", "bit"),
    ];
    if STRINGS.contains(&b.as_str()) {
        return false; // every type has an assignment cast to the string types (I/O conversion)
    }
    if NUMBERS.contains(&a.as_str()) && NUMBERS.contains(&b.as_str()) {
        return false;
    }
    !PAIRS.contains(&(a.as_str(), b.as_str()))
}

/// The type name without its modifier: `character varying(20)` → `character varying`,
/// `timestamp(3) with time zone` → `timestamp with time zone`.
fn base_name(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut depth = 0;
    for ch in t.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A column of a re-created composite type is converted field by field, by name (a text cast
/// would pair fields by position): `ROW((col).a::bigint, (col).b, NULL::date)::t`.
fn composite_conversion(cx: &Cx<'_>, column: &str, from: &Type, to: &Type) -> Option<String> {
    let (Type::Named { name: a, .. }, Type::Named { name: b, .. }) = (from, to) else {
        return None;
    };
    if a != b || !cx.types_recreated.contains(b) {
        return None;
    }
    let old = cx.from.composites.iter().find(|c| &c.name == a)?;
    let new = cx.to.composites.iter().find(|c| &c.name == b)?;
    let c = quote_ident(column);
    let fields = new
        .fields
        .iter()
        .map(|f| {
            if old.fields.iter().any(|o| o.name == f.name) {
                let via = if uses_recreated(&f.ty, &cx.types_recreated) {
                    "::text"
                } else {
                    ""
                };
                format!("({c}).{}{via}::{}", quote_ident(&f.name), f.ty.to_sql())
            } else {
                format!("NULL::{}", f.ty.to_sql())
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    Some(format!(
        "CASE WHEN {c} IS NULL THEN NULL ELSE ROW({fields})::{} END",
        to.to_sql()
    ))
}

/// Built-in pairs with a direct explicit cast worth keeping (its meaning differs from going
/// through text, e.g. `2::boolean` is true while `'2'::boolean` fails).
fn direct_cast(from: &Type, to: &Type) -> bool {
    let (Type::Sql(a), Type::Sql(b)) = (from, to) else {
        return false;
    };
    let (a, b) = (base_name(a), base_name(b));
    const STRINGS: &[&str] = &["text", "character varying", "character", "bpchar", "name"];
    const INTEGERS: &[&str] = &["smallint", "integer", "bigint"];
    STRINGS.contains(&a.as_str())
        || (a == "integer" && b == "boolean")
        || (a == "boolean" && b == "integer")
        || (a == "json" && b == "jsonb")
        || (a == "jsonb" && b == "json")
        || (INTEGERS.contains(&a.as_str()) && b == "money")
        || (a == "numeric" && b == "money")
        || (a == "money" && b == "numeric")
}

/// `col::text::newtype`, or `col::text[]::newtype` between array types (element by element),
/// for conversions without a direct cast (re-created types, user-defined types).
fn text_cast(column: &str, from: &Type, to: &Type) -> String {
    let mut text = "text".to_owned();
    let (mut f, mut t) = (from, to);
    while let (Type::Array(a), Type::Array(b)) = (f, t) {
        text.push_str("[]");
        f = a;
        t = b;
    }
    format!("{}::{text}::{}", quote_ident(column), to.to_sql())
}

enum Gen<'a> {
    Plain,
    Serial(SerialWidth),
    Identity(&'a Identity),
}

fn generation(c: &Column) -> Gen<'_> {
    match (&c.ty, &c.identity) {
        (_, Some(i)) => Gen::Identity(i),
        (Type::Serial(w), None) => Gen::Serial(*w),
        _ => Gen::Plain,
    }
}

fn columns(cx: &mut Cx<'_>, f: &Table, t: &Table) {
    let name = &t.name;
    let old: HashMap<&String, &Column> = f.columns.iter().map(|c| (&c.name, c)).collect();
    let new: HashMap<&String, &Column> = t.columns.iter().map(|c| (&c.name, c)).collect();
    for c in &f.columns {
        if !new.contains_key(&c.name) && !c.inherited {
            drop_column(cx, name, &c.name);
        }
    }
    local_columns(cx, f, t);
    // Generated columns go first (dropped, or their expression dropped) so that the columns
    // they read can change type; the re-added ones come last.
    let regen = regenerated(f, t, &cx.types_recreated, cx.set_expression);
    for c in &t.columns {
        let Some(o) = old.get(&c.name) else { continue };
        if regen.contains(&c.name) {
            cx.push_because(
                Change::DropColumn {
                    table: name.clone(),
                    column: c.name.clone(),
                    only: false,
                },
                "its generation expression changed or reads a retyped column: the column is dropped and added again, values are recomputed",
            );
        } else if o.generated.is_some() && c.generated.is_none() {
            cx.push(Change::DropExpression {
                table: name.clone(),
                column: c.name.clone(),
            });
        } else if let (Some(_), Some(expr)) = (&o.generated, &c.generated)
            && o.generated != c.generated
        {
            cx.push(Change::SetExpression {
                table: name.clone(),
                column: c.name.clone(),
                expression: expr.clone(),
            });
        }
    }
    for c in &t.columns {
        match old.get(&c.name) {
            None if !c.inherited => cx.push(Change::AddColumn {
                table: name.clone(),
                column: c.clone(),
            }),
            None => {}
            Some(_) if regen.contains(&c.name) => {}
            Some(o) => column(cx, name, o, c),
        }
    }
    for c in t.columns.iter().filter(|c| regen.contains(&c.name)) {
        cx.push(Change::AddColumn {
            table: name.clone(),
            column: c.clone(),
        });
    }
}

/// Drops a removed column. Inheritance children (not partitions) that inherited it keep
/// their copy when the target still lists it: `ALTER TABLE ONLY` leaves it to them as their own
/// column, and the children that lose it too drop it afterwards.
fn drop_column(cx: &mut Cx<'_>, table: &QualifiedName, column: &str) {
    let children: Vec<(&QualifiedName, bool)> = cx
        .from
        .tables
        .iter()
        .filter(|c| c.inherits.contains(table) && cx.table_kept(&c.name))
        .filter(|c| {
            c.columns
                .iter()
                .any(|col| col.name == column && col.inherited)
        })
        .map(|c| {
            let keeps = cx
                .to_tables
                .get(&c.name)
                .is_some_and(|t| t.columns.iter().any(|col| col.name == column));
            (&c.name, keeps)
        })
        .collect();
    let only = children.iter().any(|(_, keeps)| *keeps);
    cx.push_because(
        Change::DropColumn {
            table: table.clone(),
            column: column.to_owned(),
            only,
        },
        MAY_BE_RENAME,
    );
    if only {
        for (child, _) in children.into_iter().filter(|(_, keeps)| !keeps) {
            cx.push(Change::DropColumn {
                table: child.clone(),
                column: column.to_owned(),
                only: false,
            });
        }
    }
}

/// Inherited columns of an inheritance child that become its own (`attislocal`): there is no
/// statement for one column, but `NO INHERIT` makes every inherited column local and `INHERIT`
/// links the table again without changing that. Planned when the target makes all of the
/// child's surviving inherited columns local; a mix cannot be reached (see docs/diff.md).
fn local_columns(cx: &mut Cx<'_>, f: &Table, t: &Table) {
    let new: HashMap<&String, &Column> = t.columns.iter().map(|c| (&c.name, c)).collect();
    let still_inherited: Vec<(&Column, &Column)> = f
        .columns
        .iter()
        .filter(|c| c.inherited)
        .filter_map(|c| Some((c, *new.get(&c.name)?)))
        .collect();
    let becomes_local = |(_, to): &(&Column, &Column)| !to.inherited;
    if f.partition_of.is_some()
        || still_inherited.is_empty()
        || !still_inherited.iter().all(becomes_local)
    {
        return;
    }
    for parent in f.inherits.iter().filter(|p| t.inherits.contains(p)) {
        cx.push_because(
            Change::NoInherit {
                table: t.name.clone(),
                parent: parent.clone(),
            },
            "and inherit again, so that the inherited columns become the table's own",
        );
        cx.push(Change::Inherit {
            table: t.name.clone(),
            parent: parent.clone(),
        });
    }
}

/// Whether a parent of `table` changes `column`'s nullability to `nullable` itself (the
/// change then reaches the child through the parent's `ALTER … SET/DROP NOT NULL`, which
/// recurses), rather than the child alone differing.
fn parent_carries_nullability(
    cx: &Cx<'_>,
    table: &QualifiedName,
    column: &str,
    nullable: bool,
) -> bool {
    let Some(child) = cx.to_tables.get(table) else {
        return true;
    };
    let nullable_in = |tables: &BTreeMap<&QualifiedName, &Table>, parent: &QualifiedName| {
        tables
            .get(parent)
            .and_then(|p| p.columns.iter().find(|c| c.name == column))
            .map(|c| c.nullable)
    };
    child
        .partition_of
        .iter()
        .map(|p| &p.parent)
        .chain(&child.inherits)
        .any(|parent| {
            let before = nullable_in(&cx.from_tables, parent);
            let after = nullable_in(&cx.to_tables, parent);
            after == Some(nullable) && before != after
        })
}

fn column(cx: &mut Cx<'_>, table: &QualifiedName, f: &Column, t: &Column) {
    let col = t.name.clone();
    let alter_default = |default: Option<String>| Change::SetDefault {
        table: table.clone(),
        column: col.clone(),
        default,
    };

    // Inherited columns take type and NOT NULL from the parent, which carries the change.
    let inherited = f.inherited && t.inherited;
    let recreated_type = uses_recreated(&t.ty, &cx.types_recreated);
    let (fty, tty) = (storage_type(&f.ty), storage_type(&t.ty));
    let type_changed = !inherited && (fty != tty || f.collation != t.collation || recreated_type);
    let using = if !type_changed || !(recreated_type || needs_using(&fty, &tty)) {
        None
    } else if let Some(expr) = composite_conversion(cx, &col, &fty, &tty) {
        Some(expr)
    } else if direct_cast(&fty, &tty) {
        Some(format!("{}::{}", quote_ident(&col), tty.to_sql()))
    } else {
        // Without a known direct cast, convert through the text form, which type-checks for
        // any pair (and fails at run time only on values that do not parse).
        Some(text_cast(&col, &fty, &tty))
    };

    let mut current_default = match generation(f) {
        Gen::Plain => f.default.clone(),
        _ => None,
    };
    // A default that may not survive the cast, or that calls a function about to be dropped and
    // created again, is dropped first and set again after.
    let calls_recreated = current_default
        .as_deref()
        .is_some_and(|d| cx.uses_recreated_fn(d));
    if calls_recreated
        || (type_changed
            && current_default.is_some()
            && (using.is_some() || f.default != t.default))
    {
        cx.push(alter_default(None));
        current_default = None;
    }

    let (fg, tg) = (generation(f), generation(t));
    match (&fg, &tg) {
        (Gen::Serial(_), Gen::Plain) => cx.push(Change::DropSerial {
            table: table.clone(),
            column: col.clone(),
        }),
        (Gen::Identity(_), Gen::Plain) if !inherited => cx.push(Change::DropIdentity {
            table: table.clone(),
            column: col.clone(),
        }),
        _ => {}
    }

    if type_changed {
        cx.push(Change::AlterColumnType {
            table: table.clone(),
            column: col.clone(),
            ty: tty.clone(),
            collation: t.collation.clone(),
            using,
        });
    }

    // NOT NULL is the child's own when no parent carries the change (a partition's primary
    // key makes its columns NOT NULL, and they stay so when the key is dropped).
    let nullability_inherited =
        inherited && parent_carries_nullability(cx, table, &col, t.nullable);
    if f.nullable && !t.nullable && !nullability_inherited {
        cx.push(Change::SetNotNull {
            table: table.clone(),
            column: col.clone(),
            not_null: true,
        });
    }

    let base = crate::sql::base_type(&t.ty);
    let adopted = match (&fg, &tg) {
        (Gen::Plain, Gen::Serial(_)) => adopted_sequence(cx, table, f),
        _ => None,
    };
    match (&fg, &tg) {
        (Gen::Plain, Gen::Serial(w)) if adopted.is_some() => {
            // The column already draws from the sequence its serial form owns: the sequence
            // is kept (with its current value), takes the serial's type (PostgreSQL moves
            // bounds that were the old type's limits) and becomes the column's.
            if let Some(seq) = adopted {
                let ty = Type::Sql(crate::sql::serial_base(*w).to_owned());
                if seq.ty != ty {
                    cx.push(Change::AlterSequence {
                        name: seq.name.clone(),
                        ty,
                        from: seq.options,
                        to: seq.options,
                    });
                }
                cx.push(Change::SetSequenceOwner {
                    name: seq.name.clone(),
                    owned_by: Some(ColumnRef {
                        table: table.clone(),
                        column: col.clone(),
                    }),
                });
            }
            current_default = t.default.clone();
        }
        (Gen::Plain, Gen::Serial(w)) => {
            cx.push(Change::AddSerial {
                table: table.clone(),
                column: col.clone(),
                width: *w,
            });
            current_default = None;
        }
        (Gen::Plain, Gen::Identity(i)) if !inherited => {
            if current_default.is_some() {
                cx.push(alter_default(None));
                current_default = None;
            }
            cx.push(Change::AddIdentity {
                table: table.clone(),
                column: col.clone(),
                base,
                identity: (*i).clone(),
            });
        }
        (Gen::Serial(_), Gen::Identity(i)) => cx.push(Change::SerialToIdentity {
            table: table.clone(),
            column: col.clone(),
            base,
            identity: (*i).clone(),
        }),
        (Gen::Identity(_), Gen::Serial(w)) => cx.push(Change::IdentityToSerial {
            table: table.clone(),
            column: col.clone(),
            width: *w,
        }),
        (Gen::Serial(a), Gen::Serial(b)) if a != b => cx.push(Change::SerialWidth {
            table: table.clone(),
            column: col.clone(),
            width: *b,
        }),
        (Gen::Identity(a), Gen::Identity(b)) if a != b && !inherited => {
            cx.push(Change::AlterIdentity {
                table: table.clone(),
                column: col.clone(),
                from: (*a).clone(),
                to: (*b).clone(),
            });
        }
        _ => {}
    }

    if !f.nullable && t.nullable && !nullability_inherited {
        cx.push(Change::SetNotNull {
            table: table.clone(),
            column: col.clone(),
            not_null: false,
        });
    }

    if matches!(tg, Gen::Plain) && current_default != t.default {
        cx.push(alter_default(t.default.clone()));
    }
}

fn foreign_keys(cx: &mut Cx<'_>) {
    // Foreign keys of surviving tables: modified ones, and those whose referenced key or table
    // is dropped or re-created, are dropped and added again.
    for t in &cx.to.tables {
        let created = !cx.table_kept(&t.name);
        let old: BTreeMap<&String, &hclgen::ForeignKey> = if created {
            BTreeMap::new()
        } else {
            cx.from_tables[&t.name]
                .foreign_keys
                .iter()
                .map(|k| (&k.name, k))
                .collect()
        };
        let new: BTreeMap<_, _> = t.foreign_keys.iter().map(|k| (&k.name, k)).collect();
        let strip = |k: &hclgen::ForeignKey| hclgen::ForeignKey {
            comment: None,
            ..k.clone()
        };
        let mut readd: BTreeSet<&String> = BTreeSet::new();
        for (n, k) in &old {
            let changed = new.get(n).is_none_or(|x| strip(x) != strip(k));
            let target_gone = cx.tables_gone.contains(&k.ref_table)
                || cx
                    .keys_dropped
                    .contains(&(k.ref_table.clone(), sorted(&k.ref_columns)));
            if changed || target_gone {
                let because = (!changed && target_gone).then(|| {
                    "the key it references is dropped or changed; it is added again below"
                        .to_owned()
                });
                cx.out.push(Planned {
                    change: Change::DropConstraint {
                        table: t.name.clone(),
                        name: k.name.clone(),
                        kind: ConstraintKind::ForeignKey,
                    },
                    because,
                });
                readd.insert(n);
            }
        }
        for k in &t.foreign_keys {
            match old.get(&k.name) {
                Some(o) if !readd.contains(&k.name) => {
                    constraint_comment(
                        cx,
                        &t.name,
                        &k.name,
                        o.comment.as_ref(),
                        k.comment.as_ref(),
                    );
                }
                _ => {
                    cx.push(Change::AddForeignKey {
                        table: t.name.clone(),
                        fk: k.clone(),
                    });
                    constraint_comment(cx, &t.name, &k.name, None, k.comment.as_ref());
                }
            }
        }
    }
}

/// Drops removed tables. Foreign keys forming a cycle among them are dropped first, so that
/// the tables can be dropped one by one without CASCADE.
fn drop_tables(cx: &mut Cx<'_>) {
    let gone: Vec<&Table> = cx
        .from
        .tables
        .iter()
        .filter(|t| cx.tables_gone.contains(&t.name))
        .collect();
    let index: HashMap<&QualifiedName, usize> =
        gone.iter().enumerate().map(|(i, t)| (&t.name, i)).collect();
    let adj: Vec<Vec<usize>> = gone
        .iter()
        .map(|t| {
            t.foreign_keys
                .iter()
                .filter_map(|k| index.get(&k.ref_table).copied())
                .collect()
        })
        .collect();
    let comp = crate::order::strongly_connected(&adj);
    let mut comp_size: HashMap<usize, usize> = HashMap::new();
    for c in &comp {
        *comp_size.entry(*c).or_default() += 1;
    }
    for (i, t) in gone.iter().enumerate() {
        for k in &t.foreign_keys {
            let in_cycle = index
                .get(&k.ref_table)
                .is_some_and(|&j| j != i && comp[i] == comp[j]);
            // A key of a surviving table that is dropped (a renamed primary key, hawkbit's
            // `pk_sp_distribution_set`) must not wait for the end of the plan, where the
            // referencing table goes: its replacement is added long before.
            let key_dropped = !index.contains_key(&k.ref_table)
                && cx
                    .keys_dropped
                    .contains(&(k.ref_table.clone(), sorted(&k.ref_columns)));
            let because = if in_cycle {
                "it is part of a cycle of foreign keys between dropped tables"
            } else if key_dropped {
                "the key it references is dropped before its table is"
            } else {
                continue;
            };
            cx.push_because(
                Change::DropConstraint {
                    table: t.name.clone(),
                    name: k.name.clone(),
                    kind: ConstraintKind::ForeignKey,
                },
                because,
            );
        }
    }
    for t in gone {
        let because = if cx.to_tables.contains_key(&t.name) {
            "its partitioning changed: it is dropped and created again".to_owned()
        } else {
            MAY_BE_RENAME.to_owned()
        };
        cx.push_because(Change::DropTable(t.name.clone()), because);
    }
}

fn create_views(cx: &mut Cx<'_>) {
    for v in &cx.to.views {
        let from = cx
            .from_views
            .get(&v.name)
            .filter(|_| !cx.views_gone.contains_key(&v.name))
            .copied();
        match from {
            None => {
                let because = cx
                    .views_gone
                    .contains_key(&v.name)
                    .then(|| "dropped above".to_owned());
                cx.out.push(Planned {
                    change: Change::CreateView {
                        view: View {
                            indexes: Vec::new(),
                            ..v.clone()
                        },
                        replace: false,
                    },
                    because,
                });
                cx.comment(
                    CommentTarget::View {
                        name: v.name.clone(),
                        materialized: v.materialized,
                    },
                    None,
                    v.comment.as_ref(),
                );
                for c in &v.columns {
                    cx.comment(
                        CommentTarget::Column(ColumnRef {
                            table: v.name.clone(),
                            column: c.name.clone(),
                        }),
                        None,
                        c.comment.as_ref(),
                    );
                }
                for i in &v.indexes {
                    create_index(cx, &v.name, i);
                }
            }
            Some(f) => {
                let strip = |x: &View| View {
                    comment: None,
                    indexes: Vec::new(),
                    depends_on: Vec::new(),
                    columns: x
                        .columns
                        .iter()
                        .map(|c| hclgen::ViewColumn {
                            comment: None,
                            ..c.clone()
                        })
                        .collect(),
                    ..x.clone()
                };
                if strip(f) != strip(v) {
                    cx.push(Change::CreateView {
                        view: View {
                            indexes: Vec::new(),
                            ..v.clone()
                        },
                        replace: true,
                    });
                }
                cx.comment(
                    CommentTarget::View {
                        name: v.name.clone(),
                        materialized: v.materialized,
                    },
                    f.comment.as_ref(),
                    v.comment.as_ref(),
                );
                let old: HashMap<&String, &hclgen::ViewColumn> =
                    f.columns.iter().map(|c| (&c.name, c)).collect();
                for c in &v.columns {
                    cx.comment(
                        CommentTarget::Column(ColumnRef {
                            table: v.name.clone(),
                            column: c.name.clone(),
                        }),
                        old.get(&c.name).and_then(|o| o.comment.as_ref()),
                        c.comment.as_ref(),
                    );
                }
                index_changes(cx, &v.name, &f.indexes, &v.indexes, &HashSet::new());
            }
        }
    }
}

/// Whether a relation is dropped by this plan (so its triggers and policies go with it).
fn relation_dropped(cx: &Cx<'_>, name: &QualifiedName) -> bool {
    cx.tables_gone.contains(name) || cx.views_gone.contains_key(name)
}

fn triggers(cx: &mut Cx<'_>) {
    let key = |t: &'_ Trigger| (t.table.clone(), t.name.clone());
    let old: BTreeMap<_, _> = cx.from.triggers.iter().map(|t| (key(t), t)).collect();
    let new: BTreeMap<_, _> = cx.to.triggers.iter().map(|t| (key(t), t)).collect();
    let strip = |t: &Trigger| Trigger {
        comment: None,
        enabled: TriggerEnabled::Origin,
        ..t.clone()
    };
    let mut recreate: BTreeSet<(QualifiedName, String)> = BTreeSet::new();
    for f in &cx.from.triggers {
        if relation_dropped(cx, &f.table) {
            recreate.insert(key(f));
            continue;
        }
        let why = match new.get(&key(f)) {
            None => Some(None),
            Some(t) if strip(t) != strip(f) => Some(None),
            Some(_) if cx.funcs_gone.contains(&f.function) => Some(Some(
                "its function is dropped and created again; the trigger is created again below",
            )),
            Some(_)
                if f.update_of
                    .iter()
                    .any(|c| cx.cols_changed.contains(&(f.table.clone(), c.clone()))) =>
            {
                Some(Some(
                    "a column it watches changes; it is created again below",
                ))
            }
            Some(_) => None,
        };
        if let Some(because) = why {
            recreate.insert(key(f));
            cx.out.push(Planned {
                change: Change::DropTrigger {
                    table: f.table.clone(),
                    name: f.name.clone(),
                },
                because: because.map(str::to_owned),
            });
        }
    }
    for t in &cx.to.triggers {
        let k = key(t);
        let target = CommentTarget::Trigger {
            table: t.table.clone(),
            name: t.name.clone(),
        };
        match old.get(&k) {
            Some(f) if !recreate.contains(&k) => {
                if f.enabled != t.enabled {
                    cx.push(Change::SetTriggerEnabled {
                        table: t.table.clone(),
                        name: t.name.clone(),
                        enabled: t.enabled,
                    });
                }
                cx.comment(target, f.comment.as_ref(), t.comment.as_ref());
            }
            _ => {
                cx.push(Change::CreateTrigger(t.clone()));
                if t.enabled != TriggerEnabled::Origin {
                    cx.push(Change::SetTriggerEnabled {
                        table: t.table.clone(),
                        name: t.name.clone(),
                        enabled: t.enabled,
                    });
                }
                cx.comment(target, None, t.comment.as_ref());
            }
        }
    }
}

/// Whether `text` mentions `word` as a whole identifier (a cheap stand-in for the policy
/// expression's dependencies, which the model does not list).
pub(crate) fn mentions(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

fn policies(cx: &mut Cx<'_>) {
    let key = |p: &'_ Policy| (p.table.clone(), p.name.clone());
    let old: BTreeMap<_, _> = cx.from.policies.iter().map(|p| (key(p), p)).collect();
    let new: BTreeMap<_, _> = cx.to.policies.iter().map(|p| (key(p), p)).collect();
    // Columns changed per table, to find policies whose expressions read them.
    let mut changed_by_table: HashMap<&QualifiedName, Vec<&String>> = HashMap::new();
    for (t, c) in &cx.cols_changed {
        changed_by_table.entry(t).or_default().push(c);
    }
    let mut recreate: BTreeSet<(QualifiedName, String)> = BTreeSet::new();
    for f in &cx.from.policies {
        if relation_dropped(cx, &f.table) {
            recreate.insert(key(f));
            continue;
        }
        let reads_changed = changed_by_table.get(&f.table).is_some_and(|cols| {
            cols.iter().any(|c| {
                f.using.as_deref().is_some_and(|u| mentions(u, c))
                    || f.check.as_deref().is_some_and(|u| mentions(u, c))
            })
        });
        let why = match new.get(&key(f)) {
            None => Some(None),
            Some(t)
                if t.permissive != f.permissive
                    || t.command != f.command
                    || (f.using.is_some() && t.using.is_none())
                    || (f.check.is_some() && t.check.is_none()) =>
            {
                Some(None)
            }
            Some(_) if reads_changed => Some(Some(
                "its expression reads a column that changes; it is created again below",
            )),
            Some(_) => None,
        };
        if let Some(because) = why {
            recreate.insert(key(f));
            cx.out.push(Planned {
                change: Change::DropPolicy {
                    table: f.table.clone(),
                    name: f.name.clone(),
                },
                because: because.map(str::to_owned),
            });
        }
    }
    for p in &cx.to.policies {
        let k = key(p);
        let target = CommentTarget::Policy {
            table: p.table.clone(),
            name: p.name.clone(),
        };
        match old.get(&k) {
            Some(f) if !recreate.contains(&k) => {
                if f.roles != p.roles || f.using != p.using || f.check != p.check {
                    cx.push(Change::AlterPolicy(p.clone()));
                }
                cx.comment(target, f.comment.as_ref(), p.comment.as_ref());
            }
            _ => {
                cx.push(Change::CreatePolicy(p.clone()));
                cx.comment(target, None, p.comment.as_ref());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_casts_need_no_using() {
        let t = |s: &str| Type::Sql(s.to_owned());
        assert!(!needs_using(&t("integer"), &t("bigint")));
        assert!(!needs_using(
            &t("character varying(10)"),
            &t("character varying(20)")
        ));
        assert!(!needs_using(&t("character varying(10)"), &t("text")));
        assert!(!needs_using(&t("integer"), &t("text")));
        assert!(needs_using(&t("text"), &t("integer")));
        assert!(needs_using(&t("text"), &t("jsonb")));
        assert!(!needs_using(
            &t("timestamp(3) without time zone"),
            &t("timestamp with time zone")
        ));
    }

    #[test]
    fn conversions_without_a_direct_cast_go_through_text() {
        let t = |s: &str| Type::Sql(s.to_owned());
        assert!(needs_using(&t("boolean"), &t("bigint")));
        assert!(!direct_cast(&t("boolean"), &t("bigint")));
        assert!(direct_cast(&t("integer"), &t("boolean")));
        assert_eq!(
            text_cast("c", &t("boolean"), &t("bigint")),
            "c::text::bigint"
        );
    }

    #[test]
    fn enum_positions_follow_the_target_order() {
        assert!(is_subsequence(
            &["a".into(), "c".into()],
            &["x".into(), "a".into(), "b".into(), "c".into()]
        ));
        assert!(!is_subsequence(
            &["a".into(), "c".into()],
            &["c".into(), "a".into()]
        ));
    }

    #[test]
    fn mentions_whole_words_only() {
        assert!(mentions("(owner = CURRENT_USER)", "owner"));
        assert!(!mentions("(owner_id = 1)", "owner"));
    }
}
