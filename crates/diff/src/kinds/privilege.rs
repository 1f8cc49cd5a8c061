//! `GRANT` / `REVOKE` on objects and columns (`Database::permissions`).
//!
//! Each (object, grantee, privilege) is in one of three states: as a fresh object has it (no
//! model entry), granted (with or without the grant option), or a built-in privilege revoked.
//! The plan moves each from FROM's state to TO's; objects the plan drops or creates start from
//! the fresh state. Statements are grouped per object, grantee and action.

use std::collections::BTreeMap;

use hclgen::{Grantee, ObjectRef, Permission, Privilege};

use super::{Context, KindChange, Phase, Placement, grantee, holds, object_key, target, words};
use crate::change::Change;
use crate::compare::Planned;

/// What a statement does to the privileges it lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// `GRANT`, `WITH GRANT OPTION` when set.
    Grant {
        /// `WITH GRANT OPTION`.
        with_grant_option: bool,
    },
    /// `REVOKE` (the privilege and its grant option).
    Revoke,
    /// `REVOKE GRANT OPTION FOR` (the privilege stays).
    RevokeGrantOption,
}

/// One `GRANT` or `REVOKE` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivilegeChange {
    /// The object (a column: `GRANT p (column) ON TABLE`).
    pub object: ObjectRef,
    /// Who.
    pub grantee: Grantee,
    /// What happens.
    pub action: Action,
    /// Which privileges, in `GRANT` order.
    pub privileges: Vec<Privilege>,
}

/// A privilege's state where the model has an entry: granted (with the option or not), or
/// a built-in one revoked. No entry: as a fresh object has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Granted { grantable: bool },
    Revoked,
}

/// The state of each (grantee, privilege) of an object.
pub(crate) type States<'a> = BTreeMap<(&'a Grantee, Privilege), State>;

/// The statements (action per privilege) that move `from` to `to`; `builtin` tells whether a
/// fresh object has the privilege (then "no entry" means granted without option).
pub(crate) fn transitions(from: Option<State>, to: Option<State>, builtin: bool) -> Vec<Action> {
    use State::*;
    let grant = |with_grant_option| Action::Grant { with_grant_option };
    // A missing entry is the fresh state: granted without option for a built-in privilege,
    // absent otherwise.
    let fresh = |s: Option<State>| match s {
        Some(s) => Some(s),
        None if builtin => Some(Granted { grantable: false }),
        None => None,
    };
    match (fresh(from), fresh(to)) {
        (a, b) if a == b => vec![],
        (None | Some(Revoked), Some(Granted { grantable })) => vec![grant(grantable)],
        (Some(Granted { .. }), None | Some(Revoked)) => vec![Action::Revoke],
        (Some(Granted { grantable: false }), Some(Granted { grantable: true })) => {
            vec![grant(true)]
        }
        (Some(Granted { grantable: true }), Some(Granted { grantable: false })) => {
            vec![Action::RevokeGrantOption]
        }
        _ => vec![],
    }
}

/// Whether a fresh object of this kind gives the privilege to the grantee.
fn builtin(object: &ObjectRef, grantee: &Grantee, privilege: Privilege) -> bool {
    if *grantee != Grantee::Public {
        return false;
    }
    match object {
        ObjectRef::Function(_) | ObjectRef::Procedure(_) => privilege == Privilege::Execute,
        ObjectRef::Type(_) | ObjectRef::Domain(_) => privilege == Privilege::Usage,
        // A fresh database's `public` (CREATE only before PostgreSQL 15, which the model then
        // lists as a revoke on 15+ servers; USAGE on both).
        ObjectRef::Schema(s) => s == "public" && privilege == Privilege::Usage,
        _ => false,
    }
}

fn states(list: &[Permission]) -> BTreeMap<&ObjectRef, States<'_>> {
    let mut out: BTreeMap<&ObjectRef, States<'_>> = BTreeMap::new();
    for p in list {
        let state = if p.revoked {
            State::Revoked
        } else {
            State::Granted {
                grantable: p.grantable,
            }
        };
        out.entry(&p.object)
            .or_default()
            .insert((&p.grantee, p.privilege), state);
    }
    out
}

pub(crate) fn compare(cx: &Context<'_>) -> Vec<Planned> {
    let (from, to) = (states(&cx.from.permissions), states(&cx.to.permissions));
    let empty = States::new();
    let mut objects: Vec<&ObjectRef> = from.keys().chain(to.keys()).copied().collect();
    objects.sort();
    objects.dedup();
    let mut grouped: BTreeMap<(&ObjectRef, &Grantee, Action), Vec<Privilege>> = BTreeMap::new();
    for object in objects {
        // Gone in TO: dropping it takes its privileges along.
        if !holds(cx.to, object) {
            continue;
        }
        let fresh_start = cx.dropped.contains(object) || !holds(cx.from, object);
        let f = if fresh_start {
            &empty
        } else {
            from.get(object).unwrap_or(&empty)
        };
        let t = to.get(object).unwrap_or(&empty);
        let mut keys: Vec<&(&Grantee, Privilege)> = f.keys().chain(t.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let (g, p) = *key;
            let (a, b) = (f.get(key).copied(), t.get(key).copied());
            // A revoked entry exists only for a privilege fresh objects have on that server.
            let builtin = builtin(object, g, p) || [a, b].contains(&Some(State::Revoked));
            for action in transitions(a, b, builtin) {
                grouped.entry((object, g, action)).or_default().push(p);
            }
        }
    }
    grouped
        .into_iter()
        .map(|((object, grantee, action), privileges)| Planned {
            change: Change::Privilege(PrivilegeChange {
                object: object.clone(),
                grantee: grantee.clone(),
                action,
                privileges,
            }),
            because: None,
        })
        .collect()
}

impl KindChange for PrivilegeChange {
    fn statement(&self) -> String {
        let (kind, name) = target(&self.object);
        let privileges = self
            .privileges
            .iter()
            .map(|p| match &self.object {
                ObjectRef::Column(c) => {
                    format!("{} ({})", p.keyword(), hclgen::quote_ident(&c.column))
                }
                _ => p.keyword().to_owned(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        // GRANT ... ON TABLE names views and materialized views too.
        let kind = match kind {
            "VIEW" | "MATERIALIZED VIEW" => "TABLE",
            k => k,
        };
        let who = grantee(&self.grantee);
        match self.action {
            Action::Grant { with_grant_option } => format!(
                "GRANT {privileges} ON {kind} {name} TO {who}{}",
                if with_grant_option {
                    " WITH GRANT OPTION"
                } else {
                    ""
                }
            ),
            Action::Revoke => format!("REVOKE {privileges} ON {kind} {name} FROM {who}"),
            Action::RevokeGrantOption => {
                format!("REVOKE GRANT OPTION FOR {privileges} ON {kind} {name} FROM {who}")
            }
        }
    }

    fn describe(&self) -> String {
        let list = self
            .privileges
            .iter()
            .map(|p| p.keyword())
            .collect::<Vec<_>>()
            .join(", ");
        let (what, dir) = match self.action {
            Action::Grant {
                with_grant_option: true,
            } => ("Grant (with grant option)", "to"),
            Action::Grant { .. } => ("Grant", "to"),
            Action::Revoke => ("Revoke", "from"),
            Action::RevokeGrantOption => ("Revoke the grant option for", "from"),
        };
        format!(
            "{what} {list} on {} {dir} {}",
            words(&self.object),
            match &self.grantee {
                Grantee::Public => "PUBLIC".to_owned(),
                Grantee::Role(r) => format!("role \"{r}\""),
            }
        )
    }

    fn placement(&self) -> Placement {
        Placement {
            phase: match self.action {
                Action::Grant { .. } => Phase::Grant,
                Action::Revoke | Action::RevokeGrantOption => Phase::Revoke,
            },
            provides: Vec::new(),
            requires: vec![object_key(&self.object)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_cover_every_pair() {
        let g = |grantable| Some(State::Granted { grantable });
        let grant = |w| {
            vec![Action::Grant {
                with_grant_option: w,
            }]
        };
        assert_eq!(transitions(None, g(false), false), grant(false));
        assert_eq!(transitions(None, g(true), false), grant(true));
        assert_eq!(transitions(g(false), None, false), vec![Action::Revoke]);
        assert_eq!(transitions(g(false), g(true), false), grant(true));
        assert_eq!(
            transitions(g(true), g(false), false),
            vec![Action::RevokeGrantOption]
        );
        // A built-in privilege: no entry is "granted"; revoking and giving it back.
        assert_eq!(
            transitions(None, Some(State::Revoked), true),
            vec![Action::Revoke]
        );
        assert_eq!(transitions(Some(State::Revoked), None, true), grant(false));
        assert_eq!(transitions(None, g(true), true), grant(true));
        assert_eq!(
            transitions(g(true), None, true),
            vec![Action::RevokeGrantOption]
        );
        assert!(transitions(None, None, true).is_empty());
    }
}
