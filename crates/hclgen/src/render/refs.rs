//! Reference spelling: which names need a schema qualifier, and how references are written.
//!
//! Like Atlas's `QualifyObjects`, an object gets a second (schema) label, and references to it
//! a schema step, only when another object of the same kind has the same name in another schema.

use std::collections::{HashMap, HashSet};

use crate::model::{ColumnRef, Database, FunctionRef, QualifiedName, Type, TypeKind};
use crate::types;

use super::writer::{quote, seg, sql};

/// Block kinds that share one name space for qualification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Table,
    View,
    Materialized,
    Enum,
    Domain,
    Composite,
    Range,
    Sequence,
    Function,
    Procedure,
}

impl Kind {
    pub(crate) fn root(self) -> &'static str {
        match self {
            Kind::Table => "table",
            Kind::View => "view",
            Kind::Materialized => "materialized",
            Kind::Enum => "enum",
            Kind::Domain => "domain",
            Kind::Composite => "composite",
            Kind::Range => "range",
            Kind::Sequence => "sequence",
            Kind::Function => "function",
            Kind::Procedure => "procedure",
        }
    }

    pub(crate) fn of_type(kind: TypeKind) -> Kind {
        match kind {
            TypeKind::Enum => Kind::Enum,
            TypeKind::Domain => Kind::Domain,
            TypeKind::Composite => Kind::Composite,
            TypeKind::Range => Kind::Range,
        }
    }
}

/// What render needs to know about the whole model to spell references.
pub(crate) struct Refs<'a> {
    /// Names (per kind) that exist in more than one schema.
    clashes: HashSet<(Kind, &'a str)>,
    /// Every object by kind and qualified name, for resolving dependencies.
    objects: HashSet<(Kind, &'a QualifiedName)>,
    /// Per function name: kind, overload count, identity arguments of the first overload.
    overloads: HashMap<&'a QualifiedName, (Kind, usize, String)>,
}

impl<'a> Refs<'a> {
    pub(crate) fn new(db: &'a Database) -> Self {
        let mut names: Vec<(Kind, &'a QualifiedName)> = Vec::new();
        names.extend(db.tables.iter().map(|t| (Kind::Table, &t.name)));
        names.extend(db.views.iter().map(|v| {
            let k = if v.materialized {
                Kind::Materialized
            } else {
                Kind::View
            };
            (k, &v.name)
        }));
        names.extend(db.enums.iter().map(|e| (Kind::Enum, &e.name)));
        names.extend(db.domains.iter().map(|e| (Kind::Domain, &e.name)));
        names.extend(db.composites.iter().map(|e| (Kind::Composite, &e.name)));
        names.extend(db.ranges.iter().map(|e| (Kind::Range, &e.name)));
        names.extend(db.sequences.iter().map(|e| (Kind::Sequence, &e.name)));
        let mut overloads: HashMap<&'a QualifiedName, (Kind, usize, String)> = HashMap::new();
        for f in &db.functions {
            let k = match f.kind {
                crate::model::FunctionKind::Function => Kind::Function,
                crate::model::FunctionKind::Procedure => Kind::Procedure,
            };
            names.push((k, &f.name));
            overloads
                .entry(&f.name)
                .or_insert_with(|| (k, 0, f.identity().args))
                .1 += 1;
        }
        // A range's multirange is named by columns as `range.<multirange>` (parse indexes it
        // beside the ranges): it clashes with a range of the same name in another schema.
        let multiranges = db.ranges.iter().filter_map(|r| {
            r.multirange
                .as_deref()
                .map(|mr| (Kind::Range, mr, r.name.schema.as_str()))
        });
        let mut first_schema: HashMap<(Kind, &'a str), &'a str> = HashMap::new();
        let mut clashes = HashSet::new();
        let spelled = names
            .iter()
            .map(|(k, qn)| (*k, qn.name.as_str(), qn.schema.as_str()))
            .chain(multiranges);
        for (k, name, schema) in spelled {
            match first_schema.get(&(k, name)) {
                Some(s) if *s != schema => {
                    clashes.insert((k, name));
                }
                Some(_) => {}
                None => {
                    first_schema.insert((k, name), schema);
                }
            }
        }
        Self {
            clashes,
            objects: names.into_iter().collect(),
            overloads,
        }
    }

    fn qualified(&self, kind: Kind, name: &QualifiedName) -> bool {
        self.clashes.contains(&(kind, name.name.as_str()))
    }

    /// Block labels: `["name"]`, or `["schema", "name"]` on a clash.
    pub(crate) fn labels<'n>(&self, kind: Kind, name: &'n QualifiedName) -> Vec<&'n str> {
        if self.qualified(kind, name) {
            vec![&name.schema, &name.name]
        } else {
            vec![&name.name]
        }
    }

    /// `table.t`, `table.s.t`, `enum["My Type"]`, …
    pub(crate) fn object(&self, kind: Kind, name: &QualifiedName) -> String {
        let mut out = kind.root().to_owned();
        if self.qualified(kind, name) {
            out.push_str(&seg(&name.schema));
        }
        out.push_str(&seg(&name.name));
        out
    }

    /// `table.t`, or `{ schema = "s", name = "t" }` for a table outside the model.
    pub(crate) fn table(&self, name: &QualifiedName) -> String {
        if self.contains(Kind::Table, name) {
            self.object(Kind::Table, name)
        } else {
            format!(
                "{{ schema = {}, name = {} }}",
                quote(&name.schema),
                quote(&name.name)
            )
        }
    }

    /// `schema.public`.
    pub(crate) fn schema(name: &str) -> String {
        format!("schema{}", seg(name))
    }

    /// `column.c` (a column of the enclosing table).
    pub(crate) fn column(name: &str) -> String {
        format!("column{}", seg(name))
    }

    /// A table-or-view column reference: `table.t.column.c` / `view.v.column.c`; a relation
    /// outside the model (inspected with a schema filter) as
    /// `{ schema = "s", table = "t", column = "c" }`.
    pub(crate) fn column_ref(&self, c: &ColumnRef) -> String {
        let kind = self.relation_kind(&c.table);
        if self.contains(kind, &c.table) {
            format!("{}.column{}", self.object(kind, &c.table), seg(&c.column))
        } else {
            format!(
                "{{ schema = {}, table = {}, column = {} }}",
                quote(&c.table.schema),
                quote(&c.table.name),
                quote(&c.column)
            )
        }
    }

    /// Whether a name is a table, view or materialized view (tables when unknown).
    pub(crate) fn relation_kind(&self, name: &QualifiedName) -> Kind {
        [Kind::Table, Kind::View, Kind::Materialized]
            .into_iter()
            .find(|k| self.objects.contains(&(*k, name)))
            .unwrap_or(Kind::Table)
    }

    /// The kind of a user-defined type by name, if it is in the model.
    pub(crate) fn type_kind(&self, name: &QualifiedName) -> Option<Kind> {
        [Kind::Enum, Kind::Domain, Kind::Composite, Kind::Range]
            .into_iter()
            .find(|k| self.objects.contains(&(*k, name)))
    }

    /// `function.f` when this overload is in the model and is the only one of that name.
    pub(crate) fn function(&self, f: &FunctionRef) -> Option<String> {
        match self.overloads.get(&f.name) {
            Some((kind, 1, args)) if *args == f.args => Some(self.object(*kind, &f.name)),
            _ => None,
        }
    }

    pub(crate) fn contains(&self, kind: Kind, name: &QualifiedName) -> bool {
        self.objects.contains(&(kind, name))
    }

    /// A column / field / argument type as HCL.
    pub(crate) fn ty(&self, ty: &Type) -> String {
        match ty {
            Type::Sql(s) => types::hcl_spelling(s).unwrap_or_else(|| sql(s)),
            Type::Serial(w) => Type::Serial(*w).to_sql(),
            Type::Named { kind, name } => self.object(Kind::of_type(*kind), name),
            Type::Array(_) => sql(&ty.to_sql()),
        }
    }

    /// A default expression: `true`/`false`, a plain integer, a string for `'x'::<column type>`,
    /// else `sql("...")`.
    pub(crate) fn default(expr: &str, ty: &Type) -> String {
        if expr == "true" || expr == "false" || is_plain_int(expr) {
            return expr.to_owned();
        }
        match types::unwrap_literal(expr, &types::cast_name(ty)) {
            Some(lit) => quote(&lit),
            None => sql(expr),
        }
    }
}

/// `0` or a non-negative integer without leading zeros that HCL reads back unchanged.
pub(crate) fn is_plain_int(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 18
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'))
}
