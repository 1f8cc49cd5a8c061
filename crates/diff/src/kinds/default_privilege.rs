//! `ALTER DEFAULT PRIVILEGES` (`Database::default_permissions`): the same three states as
//! [`super::privilege`], per role, schema and object kind; a role's defaults without a schema
//! start from the built-in ones (`EXECUTE` on functions and `USAGE` on types for `PUBLIC`).

use std::collections::BTreeMap;

use hclgen::{DefaultObjects, DefaultPermission, Grantee, Privilege, quote_ident};

use super::privilege::{Action, State, transitions};
use super::{Context, KindChange, Phase, Placement, grantee};
use crate::change::Change;
use crate::compare::Planned;
use crate::order::Key;

/// One `ALTER DEFAULT PRIVILEGES` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultPrivilegeChange {
    /// `FOR ROLE`.
    pub role: String,
    /// `IN SCHEMA`.
    pub schema: Option<String>,
    /// `ON TABLES`, ….
    pub on: DefaultObjects,
    /// Who.
    pub grantee: Grantee,
    /// What happens.
    pub action: Action,
    /// Which privileges.
    pub privileges: Vec<Privilege>,
}

type Scope<'a> = (&'a String, Option<&'a String>, DefaultObjects);

fn states(list: &[DefaultPermission]) -> BTreeMap<(Scope<'_>, &Grantee, Privilege), State> {
    list.iter()
        .map(|d| {
            let state = if d.revoked {
                State::Revoked
            } else {
                State::Granted {
                    grantable: d.grantable,
                }
            };
            (
                ((&d.role, d.schema.as_ref(), d.on), &d.grantee, d.privilege),
                state,
            )
        })
        .collect()
}

fn builtin(scope: &Scope<'_>, grantee: &Grantee, privilege: Privilege) -> bool {
    scope.1.is_none()
        && *grantee == Grantee::Public
        && matches!(
            (scope.2, privilege),
            (DefaultObjects::Functions, Privilege::Execute)
                | (DefaultObjects::Types, Privilege::Usage)
        )
}

pub(crate) fn compare(cx: &Context<'_>) -> Vec<Planned> {
    let (from, to) = (
        states(&cx.from.default_permissions),
        states(&cx.to.default_permissions),
    );
    let mut keys: Vec<_> = from.keys().chain(to.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut grouped: BTreeMap<(Scope<'_>, &Grantee, Action), Vec<Privilege>> = BTreeMap::new();
    for key in keys {
        let (scope, g, p) = *key;
        let (a, b) = (from.get(key).copied(), to.get(key).copied());
        let builtin = builtin(&scope, g, p) || [a, b].contains(&Some(State::Revoked));
        for action in transitions(a, b, builtin) {
            grouped.entry((scope, g, action)).or_default().push(p);
        }
    }
    grouped
        .into_iter()
        .map(|(((role, schema, on), g, action), privileges)| Planned {
            change: Change::DefaultPrivilege(DefaultPrivilegeChange {
                role: role.clone(),
                schema: schema.cloned(),
                on,
                grantee: g.clone(),
                action,
                privileges,
            }),
            because: None,
        })
        .collect()
}

impl KindChange for DefaultPrivilegeChange {
    fn statement(&self) -> String {
        let mut head = format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {}",
            quote_ident(&self.role)
        );
        if let Some(s) = &self.schema {
            head.push_str(&format!(" IN SCHEMA {}", quote_ident(s)));
        }
        let list = self
            .privileges
            .iter()
            .map(|p| p.keyword())
            .collect::<Vec<_>>()
            .join(", ");
        let on = self.on.keyword();
        let who = grantee(&self.grantee);
        match self.action {
            Action::Grant { with_grant_option } => format!(
                "{head} GRANT {list} ON {on} TO {who}{}",
                if with_grant_option {
                    " WITH GRANT OPTION"
                } else {
                    ""
                }
            ),
            Action::Revoke => format!("{head} REVOKE {list} ON {on} FROM {who}"),
            Action::RevokeGrantOption => {
                format!("{head} REVOKE GRANT OPTION FOR {list} ON {on} FROM {who}")
            }
        }
    }

    fn describe(&self) -> String {
        let verb = match self.action {
            Action::Grant { .. } => "grant",
            Action::Revoke => "revoke",
            Action::RevokeGrantOption => "revoke the grant option for",
        };
        let list = self
            .privileges
            .iter()
            .map(|p| p.keyword())
            .collect::<Vec<_>>()
            .join(", ");
        let place = match &self.schema {
            Some(s) => format!(" in schema \"{s}\""),
            None => String::new(),
        };
        format!(
            "Default privileges of role \"{}\"{place}: {verb} {list} on new {} ({})",
            self.role,
            self.on.keyword().to_ascii_lowercase(),
            grantee(&self.grantee)
        )
    }

    fn placement(&self) -> Placement {
        Placement {
            phase: match self.action {
                Action::Grant { .. } => Phase::Grant,
                _ => Phase::Revoke,
            },
            provides: Vec::new(),
            requires: self.schema.iter().map(|s| Key::Schema(s.clone())).collect(),
        }
    }
}
