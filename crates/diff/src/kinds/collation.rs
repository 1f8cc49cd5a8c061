//! `CREATE` / `DROP COLLATION` (`Database::collations`). A collation's provider, locale and
//! determinism cannot be altered: a changed collation is moved aside
//! (`ALTER COLLATION ... RENAME`), created again, the columns of kept tables that use it are
//! moved to the new one (`ALTER COLUMN ... TYPE ... COLLATE`, which rebuilds their indexes),
//! and the old one is dropped last. Domains, index parts and views that use a changed
//! collation are not moved (the drop then fails and names them).

use hclgen::{Collation, QualifiedName, Type, quote_ident, quote_literal};

use super::{Context, KindChange, Phase, Placement, qualified};
use crate::change::Change;
use crate::compare::Planned;
use crate::order::{Key, gone, released};
use crate::sql::q;

/// A change to one collation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CollationChange {
    /// `CREATE COLLATION` (and its comment).
    Create(Collation),
    /// `DROP COLLATION`.
    Drop(QualifiedName),
    /// `ALTER COLLATION ... RENAME TO` the name the old version is dropped under.
    MoveAside(QualifiedName),
    /// `ALTER TABLE ... ALTER COLUMN ... TYPE ... COLLATE`: a column onto the re-created
    /// collation.
    Reapply {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: String,
        /// Its (unchanged) type.
        ty: Type,
        /// The collation.
        collation: QualifiedName,
    },
    /// `COMMENT ON COLLATION`.
    Comment {
        /// The collation.
        name: QualifiedName,
        /// The new comment; `None` removes it.
        text: Option<String>,
    },
}

/// The name a changed collation's old version is moved to before it is dropped.
fn aside(name: &QualifiedName) -> QualifiedName {
    QualifiedName::new(&name.schema, format!("{}__old", name.name))
}

/// Everything but the comment: what cannot be altered in place.
fn definition(c: &Collation) -> impl PartialEq + '_ {
    (
        c.provider,
        &c.locale,
        &c.lc_collate,
        &c.lc_ctype,
        c.deterministic,
        &c.rules,
    )
}

/// The collation as the model spells a column's `COLLATE` (see `inspect`'s `quote_collation`).
fn column_spelling(n: &QualifiedName) -> String {
    format!("{}.{}", quote_ident(&n.schema), quote_ident(&n.name))
}

pub(crate) fn compare(cx: &Context<'_>) -> Vec<Planned> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<Planned>, c: CollationChange, because: Option<&str>| {
        out.push(Planned {
            change: Change::Collation(c),
            because: because.map(str::to_owned),
        });
    };
    for t in &cx.to.collations {
        match cx.from.collations.iter().find(|f| f.name == t.name) {
            None => push(&mut out, CollationChange::Create(t.clone()), None),
            Some(f) if definition(f) != definition(t) => {
                let why = "its provider, locale or determinism changed, which cannot be altered";
                push(
                    &mut out,
                    CollationChange::MoveAside(t.name.clone()),
                    Some(why),
                );
                push(&mut out, CollationChange::Create(t.clone()), Some(why));
                reapply(cx, t, &mut out);
                push(&mut out, CollationChange::Drop(aside(&t.name)), Some(why));
            }
            Some(f) if f.comment != t.comment => push(
                &mut out,
                CollationChange::Comment {
                    name: t.name.clone(),
                    text: t.comment.clone(),
                },
                None,
            ),
            Some(_) => {}
        }
    }
    for f in &cx.from.collations {
        if !cx.to.collations.iter().any(|t| t.name == f.name) {
            push(&mut out, CollationChange::Drop(f.name.clone()), None);
        }
    }
    out
}

/// Columns of tables kept by the plan that use `c` (the ones the plan creates or retypes get
/// the new collation anyway).
fn reapply(cx: &Context<'_>, c: &Collation, out: &mut Vec<Planned>) {
    let spelled = column_spelling(&c.name);
    for t in &cx.to.tables {
        let kept = cx.from.table(&t.name).is_some()
            && !cx
                .planned
                .iter()
                .any(|p| matches!(&p.change, Change::DropTable(n) if n == &t.name));
        if !kept {
            continue;
        }
        for col in t.columns.iter().filter(|col| !col.inherited) {
            if col.collation.as_deref() != Some(spelled.as_str()) {
                continue;
            }
            let retyped = cx.planned.iter().any(|p| match &p.change {
                Change::AlterColumnType { table, column, .. }
                | Change::DropColumn { table, column, .. } => {
                    table == &t.name && column == &col.name
                }
                _ => false,
            });
            if !retyped {
                out.push(Planned {
                    change: Change::Collation(CollationChange::Reapply {
                        table: t.name.clone(),
                        column: col.name.clone(),
                        ty: col.ty.clone(),
                        collation: c.name.clone(),
                    }),
                    because: Some("its collation is created again".to_owned()),
                });
            }
        }
    }
}

fn create(c: &Collation) -> String {
    let mut options = vec![format!("provider = {}", c.provider.keyword())];
    let mut opt = |key: &str, v: &Option<String>| {
        if let Some(v) = v {
            options.push(format!("{key} = {}", quote_literal(v)));
        }
    };
    opt("locale", &c.locale);
    opt("lc_collate", &c.lc_collate);
    opt("lc_ctype", &c.lc_ctype);
    opt("rules", &c.rules);
    if !c.deterministic {
        options.push("deterministic = false".to_owned());
    }
    let mut sql = format!(
        "CREATE COLLATION {} ({})",
        qualified(&c.name),
        options.join(", ")
    );
    if let Some(text) = &c.comment {
        sql.push_str(&format!(
            ";\nCOMMENT ON COLLATION {} IS {}",
            qualified(&c.name),
            quote_literal(text)
        ));
    }
    sql
}

impl KindChange for CollationChange {
    fn statement(&self) -> String {
        match self {
            CollationChange::Create(c) => create(c),
            CollationChange::Drop(n) => format!("DROP COLLATION {}", qualified(n)),
            CollationChange::MoveAside(n) => format!(
                "ALTER COLLATION {} RENAME TO {}",
                qualified(n),
                quote_ident(&aside(n).name)
            ),
            CollationChange::Reapply {
                table,
                column,
                ty,
                collation,
            } => format!(
                "ALTER TABLE {} ALTER COLUMN {} TYPE {} COLLATE {}",
                qualified(table),
                quote_ident(column),
                crate::sql::base_type(ty),
                qualified(collation)
            ),
            CollationChange::Comment { name, text } => format!(
                "COMMENT ON COLLATION {} IS {}",
                qualified(name),
                text.as_deref()
                    .map_or_else(|| "NULL".to_owned(), quote_literal)
            ),
        }
    }

    fn describe(&self) -> String {
        match self {
            CollationChange::Create(c) => format!("Create collation {}", q(&c.name)),
            CollationChange::Drop(n) => format!("Drop collation {}", q(n)),
            CollationChange::MoveAside(n) => {
                format!("Move collation {} aside to {}", q(n), q(&aside(n)))
            }
            CollationChange::Reapply {
                table,
                column,
                collation,
                ..
            } => format!(
                "Move column \"{column}\" of table {} to collation {}",
                q(table),
                q(collation)
            ),
            CollationChange::Comment { name, .. } => {
                format!("Comment on collation {}", q(name))
            }
        }
    }

    fn placement(&self) -> Placement {
        let key = |n: &QualifiedName| Key::Collation(n.clone());
        match self {
            CollationChange::MoveAside(n) => Placement {
                phase: Phase::RenameCollation,
                provides: vec![gone(key(n))],
                requires: vec![Key::Schema(n.schema.clone())],
            },
            CollationChange::Create(c) => Placement {
                phase: Phase::CreateCollation,
                provides: vec![key(&c.name)],
                requires: vec![Key::Schema(c.name.schema.clone()), gone(key(&c.name))],
            },
            CollationChange::Reapply {
                table, collation, ..
            } => Placement {
                phase: Phase::ReapplyCollation,
                provides: vec![released(key(&aside(collation)))],
                requires: vec![key(collation), Key::Relation(table.clone())],
            },
            CollationChange::Drop(n) => Placement {
                phase: Phase::DropCollation,
                provides: vec![gone(key(n))],
                requires: vec![released(key(n))],
            },
            CollationChange::Comment { name, .. } => Placement {
                phase: Phase::Owner,
                provides: Vec::new(),
                requires: vec![key(name)],
            },
        }
    }
}
