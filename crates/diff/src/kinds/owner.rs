//! `ALTER ... OWNER TO` (`Database::owners`). The model lists owners that differ from the
//! database's owner; an object that loses its entry goes back to the role running the plan
//! (`OWNER TO CURRENT_USER`): migrations run as the database's owner on the scratch server,
//! and production plans are run by the role that owns what migrations create.

use std::collections::BTreeMap;

use hclgen::{ObjectRef, quote_ident};

use super::{Context, KindChange, Phase, Placement, holds, object_key, target, words};
use crate::change::Change;
use crate::compare::Planned;

/// One `ALTER ... OWNER TO` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerChange {
    /// The object.
    pub object: ObjectRef,
    /// The new owner; `None`: the role running the plan.
    pub role: Option<String>,
}

pub(crate) fn compare(cx: &Context<'_>) -> Vec<Planned> {
    let owners = |db: &hclgen::Database| -> BTreeMap<ObjectRef, String> {
        db.owners
            .iter()
            .map(|o| (o.object.clone(), o.role.clone()))
            .collect()
    };
    let (from, to) = (owners(cx.from), owners(cx.to));
    let mut out = Vec::new();
    for (object, role) in &to {
        let before = if cx.dropped.contains(object) {
            None
        } else {
            from.get(object)
        };
        if before != Some(role) {
            out.push(OwnerChange {
                object: object.clone(),
                role: Some(role.clone()),
            });
        }
    }
    for object in from.keys() {
        let kept = holds(cx.to, object) && !cx.dropped.contains(object);
        if kept && !to.contains_key(object) {
            out.push(OwnerChange {
                object: object.clone(),
                role: None,
            });
        }
    }
    out.into_iter()
        .map(|c| Planned {
            change: Change::Owner(c),
            because: None,
        })
        .collect()
}

impl KindChange for OwnerChange {
    fn statement(&self) -> String {
        let (kind, name) = target(&self.object);
        let role = self
            .role
            .as_deref()
            .map_or_else(|| "CURRENT_USER".to_owned(), quote_ident);
        format!("ALTER {kind} {name} OWNER TO {role}")
    }

    fn describe(&self) -> String {
        match &self.role {
            Some(r) => format!("Give {} to role \"{r}\"", words(&self.object)),
            None => format!(
                "Give {} back to the role running the plan",
                words(&self.object)
            ),
        }
    }

    fn placement(&self) -> Placement {
        Placement {
            phase: Phase::Owner,
            provides: Vec::new(),
            requires: vec![object_key(&self.object)],
        }
    }
}
