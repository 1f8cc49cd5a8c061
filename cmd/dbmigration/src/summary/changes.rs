//! The schema changes of a review grouped by the table (or view) they touch: created, altered
//! or dropped, each change described as in `diff.sql` and marked when it loses data.

use diff::{Change, CommentTarget};
use hclgen::QualifiedName;
use serde::Serialize;

/// What happens to a table or view as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// It is new.
    Created,
    /// It exists on both sides and changes.
    Altered,
    /// It goes away.
    Dropped,
}

impl Action {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Altered => "altered",
            Action::Dropped => "dropped",
        }
    }
}

/// One change, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeLine {
    /// What it does (`Add column "email" of "public"."users"`).
    pub description: String,
    /// Loses data (a dropped table, column, sequence, …).
    pub destructive: bool,
}

/// Everything that happens to one table or view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relation {
    /// `schema.name`.
    pub name: String,
    /// `table` or `view`.
    pub kind: &'static str,
    /// Created, altered or dropped.
    pub action: Action,
    /// Any change loses data.
    pub destructive: bool,
    /// The changes, in plan order.
    pub changes: Vec<ChangeLine>,
}

/// The changes grouped: per table or view, then everything else (types, functions, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// Tables and views, by action (created, altered, dropped) and then by name.
    pub relations: Vec<Relation>,
    /// Changes to objects that belong to no table: schemas, types, sequences, functions.
    pub other: Vec<ChangeLine>,
}

impl Changes {
    /// Groups `changes` (as [`diff::compare`] or a plan lists them).
    pub fn group(changes: &[Change]) -> Self {
        let mut grouped = Changes::default();
        for change in changes {
            if matches!(change, Change::SkipFunctionBodyChecks) {
                continue;
            }
            let line = ChangeLine {
                description: diff::describe(change),
                destructive: change.is_destructive(),
            };
            let Some((name, kind, action)) = subject(change) else {
                grouped.other.push(line);
                continue;
            };
            let key = name.to_string();
            let index = match grouped
                .relations
                .iter()
                .position(|r| r.name == key && r.kind == kind)
            {
                Some(i) => i,
                None => {
                    grouped.relations.push(Relation {
                        name: key,
                        kind,
                        action: Action::Altered,
                        destructive: false,
                        changes: Vec::new(),
                    });
                    grouped.relations.len() - 1
                }
            };
            let relation = &mut grouped.relations[index];
            // A drop or a creation of the relation itself decides; a view replaced in place
            // (CREATE OR REPLACE) stays altered.
            if action != Action::Altered {
                relation.action = action;
            }
            relation.destructive |= line.destructive;
            relation.changes.push(line);
        }
        grouped
            .relations
            .sort_by(|a, b| (a.action, &a.name).cmp(&(b.action, &b.name)));
        grouped
    }

    /// No change at all.
    pub fn is_empty(&self) -> bool {
        self.relations.is_empty() && self.other.is_empty()
    }

    /// How many tables or views are `action`ed.
    pub fn count(&self, action: Action) -> usize {
        self.relations.iter().filter(|r| r.action == action).count()
    }

    /// Every change that loses data.
    pub fn destructive(&self) -> impl Iterator<Item = &ChangeLine> {
        self.relations
            .iter()
            .flat_map(|r| &r.changes)
            .chain(&self.other)
            .filter(|c| c.destructive)
    }
}

/// The kinds of relation a change can belong to.
const TABLE: &str = "table";
const VIEW: &str = "view";

/// The table or view whose privileges or owner change (columns count as their table's).
fn access_subject(o: &hclgen::ObjectRef) -> Option<(&QualifiedName, &'static str, Action)> {
    use hclgen::ObjectRef;
    match o {
        ObjectRef::Table(n) => Some((n, TABLE, Action::Altered)),
        ObjectRef::View(n) | ObjectRef::MaterializedView(n) => Some((n, VIEW, Action::Altered)),
        ObjectRef::Column(c) => Some((&c.table, TABLE, Action::Altered)),
        _ => None,
    }
}

/// The table or view a change belongs to, and what it does to it as a whole (`Altered` for
/// anything but its own creation or drop). `None` for objects of their own.
fn subject(change: &Change) -> Option<(&QualifiedName, &'static str, Action)> {
    Some(match change {
        Change::CreateTable(t) => (&t.name, TABLE, Action::Created),
        Change::DropTable(name) => (name, TABLE, Action::Dropped),
        Change::CreateView { view, replace } => (
            &view.name,
            VIEW,
            if *replace {
                Action::Altered
            } else {
                Action::Created
            },
        ),
        Change::DropView { name, .. } => (name, VIEW, Action::Dropped),
        Change::AddColumn { table, .. }
        | Change::DropColumn { table, .. }
        | Change::AlterColumnType { table, .. }
        | Change::SetNotNull { table, .. }
        | Change::SetDefault { table, .. }
        | Change::AddIdentity { table, .. }
        | Change::AlterIdentity { table, .. }
        | Change::DropIdentity { table, .. }
        | Change::DropExpression { table, .. }
        | Change::SetExpression { table, .. }
        | Change::SerialToIdentity { table, .. }
        | Change::IdentityToSerial { table, .. }
        | Change::AddSerial { table, .. }
        | Change::DropSerial { table, .. }
        | Change::SerialWidth { table, .. }
        | Change::AddPrimaryKey { table, .. }
        | Change::AddUnique { table, .. }
        | Change::AddCheck { table, .. }
        | Change::AddExclusion { table, .. }
        | Change::AddForeignKey { table, .. }
        | Change::ValidateConstraint { table, .. }
        | Change::DropConstraint { table, .. }
        | Change::CreateIndex { table, .. }
        | Change::DropIndex { table, .. }
        | Change::AttachPartition { table, .. }
        | Change::DetachPartition { table, .. }
        | Change::Inherit { table, .. }
        | Change::NoInherit { table, .. }
        | Change::SetUnlogged { table, .. }
        | Change::SetRls { table, .. }
        | Change::ForceRls { table, .. }
        | Change::SetTriggerEnabled { table, .. }
        | Change::DropTrigger { table, .. }
        | Change::DropPolicy { table, .. } => (table, TABLE, Action::Altered),
        Change::CreateTrigger(t) => (&t.table, TABLE, Action::Altered),
        Change::CreatePolicy(p) | Change::AlterPolicy(p) => (&p.table, TABLE, Action::Altered),
        Change::Comment { target, .. } => match target {
            CommentTarget::Table(name) => (name, TABLE, Action::Altered),
            CommentTarget::View { name, .. } => (name, VIEW, Action::Altered),
            CommentTarget::Column(c) => (&c.table, TABLE, Action::Altered),
            CommentTarget::Constraint { table, .. }
            | CommentTarget::Trigger { table, .. }
            | CommentTarget::Policy { table, .. } => (table, TABLE, Action::Altered),
            _ => return None,
        },
        Change::Privilege(p) => return access_subject(&p.object),
        Change::Owner(o) => return access_subject(&o.object),
        Change::Collation(diff::kinds::collation::CollationChange::Reapply { table, .. }) => {
            (table, TABLE, Action::Altered)
        }
        // Schemas, extensions, types, sequences, functions: objects of their own. New
        // variants land here until they are placed, and are still listed (as "other").
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(hcl: &str) -> hclgen::Database {
        hclgen::parse("t.hcl", hcl).unwrap()
    }

    #[test]
    fn grouped_by_table_with_the_table_action_and_data_loss() {
        let from = db(r#"
schema "public" {}
table "users" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
  column "legacy" {
    null = true
    type = text
  }
}
table "old" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
}
"#);
        let to = db(r#"
schema "public" {}
table "users" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
  column "email" {
    null = true
    type = text
  }
}
table "posts" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
  index "posts_id" {
    columns = [column.id]
  }
}
"#);
        let changes = Changes::group(&diff::compare(&from, &to));
        let actions: Vec<_> = changes
            .relations
            .iter()
            .map(|r| (r.name.as_str(), r.action, r.destructive, r.changes.len()))
            .collect();
        assert_eq!(
            actions,
            [
                ("public.posts", Action::Created, false, 2),
                ("public.users", Action::Altered, true, 2),
                ("public.old", Action::Dropped, true, 1),
            ]
        );
        assert!(changes.other.is_empty());
        assert_eq!(changes.destructive().count(), 2);
        assert_eq!(changes.count(Action::Altered), 1);
    }
}
