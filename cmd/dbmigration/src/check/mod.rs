//! `check`, the release gate: can production, which runs FROM's migrations, be upgraded with
//! TO's, the way its migration tool will do it?
//!
//! ```text
//! FROM, TO ──▶ Upgrade (which TO migrations are new, which the tool applies, in what order)
//!          ──▶ history checks (CHECKS): edited, removed, out of order
//!          ──▶ scratch databases, concurrently:
//!                FROM built ─▶ TO's new migrations applied ─▶ compared with ─┐
//!                TO built fresh ─────────────────────────────────────────────┘
//!                then each new migration's down, walked back, compared with the schema before it
//! ```
//!
//! With several histories in one database (named `migrations "x" { }` blocks), each history
//! is compared with its own at FROM ([`Release::trees`]): "new" is per history, from that
//! history's applied set; the upgrade applies each history's new migrations in the declared
//! order; `history-conflict` compares the histories with each other.
//!
//! Every finding has a stable code ([`Check::code`]): the report code, the `--ignore` key
//! and the anchor in `docs/check.md`. One file per code, registered once in [`CHECKS`].

mod database;
mod down_fails;
mod down_not_inverse;
pub mod duplicate_version;
mod edited_migration;
mod history_conflict;
mod out_of_order;
mod removed_migration;
pub mod report;
pub mod tool;
mod upgrade_fails;
mod upgrade_path_differs;

use std::collections::HashMap;
use std::ops::Range;

pub use database::{Built, run_database_checks};
pub use lint::Severity;

use crate::migration::Migration;
use crate::pipeline::Migrations;
use tool::{OutOfOrder, Tool};

/// Where the check documentation lives; each code is an anchor in it.
pub const CHECKS_DOC: &str = "docs/check.md";

/// Where a finding points: a file, its text, and the bytes that matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The path shown (repository-relative).
    pub file: String,
    /// The file's text (empty when it is not at hand).
    pub source: String,
    /// The bytes the finding is about.
    pub span: Range<usize>,
}

/// One problem `check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The check's code (`edited-migration`).
    pub code: &'static str,
    /// Error fails the run; warning does not.
    pub severity: Severity,
    /// What is wrong, naming the migration.
    pub message: String,
    /// The file and line, where there is one.
    pub location: Option<Location>,
    /// What to do about it.
    pub help: String,
    /// Longer evidence shown verbatim: a unified diff, reconciling SQL, the server's detail.
    pub detail: Option<String>,
}

/// One finding code.
pub trait Check: Sync {
    /// Stable kebab-case code: report code, `--ignore` key, anchor in `docs/check.md`.
    fn code(&self) -> &'static str;
    /// One line saying what it finds.
    fn summary(&self) -> &'static str;
    /// The severity of its findings (out-of-order picks per tool).
    fn severity(&self) -> Severity {
        Severity::Error
    }
    /// Findings from the two histories alone (no database). Database checks leave this empty
    /// and are run by [`run_database_checks`].
    fn check_histories(&self, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}
}

/// Every check, in report order.
pub const CHECKS: &[&dyn Check] = &[
    &edited_migration::EditedMigration,
    &removed_migration::RemovedMigration,
    &out_of_order::OutOfOrderCheck,
    &duplicate_version::DuplicateVersion,
    &upgrade_fails::UpgradeFails,
    &upgrade_path_differs::UpgradePathDiffers,
    &down_fails::DownFails,
    &down_not_inverse::DownNotInverse,
    &history_conflict::HistoryConflict,
];

/// The codes of [`CHECKS`].
pub fn codes() -> impl Iterator<Item = &'static str> {
    CHECKS.iter().map(|c| c.code())
}

/// Options of one check run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Check the down of every migration at TO, not only the new ones.
    pub all_downs: bool,
    /// Codes whose findings are dropped.
    pub ignore: Vec<String>,
}

/// FROM and TO, each history of TO paired with its own at FROM.
#[derive(Debug)]
pub struct Release<'a> {
    /// Everything deployed (every history, in its apply order).
    pub from: &'a Migrations,
    /// Everything to deploy.
    pub to: &'a Migrations,
    /// One per history, in TO's apply order.
    pub trees: Vec<Context<'a>>,
}

impl<'a> Release<'a> {
    /// Pairs the histories (by name; the one unnamed history with the named one reading its
    /// directory). Call [`pair_histories`] first, so every history has its partner.
    pub fn new(from: &'a Migrations, to: &'a Migrations) -> Self {
        let trees = to
            .trees()
            .filter_map(|t| partner(from, t).map(|f| Context::new(f, t)))
            .collect();
        Release { from, to, trees }
    }

    /// The static findings of every check, history by history.
    pub fn history_findings(&self) -> Vec<Finding> {
        self.trees
            .iter()
            .flat_map(Context::history_findings)
            .collect()
    }

    /// Whether several histories share the database.
    pub fn has_several_histories(&self) -> bool {
        self.trees.len() > 1
    }
}

/// The history of `all` that is `tree` at the other ref: the one with its name (the unnamed
/// one for the unnamed one), else the one reading its directory.
fn partner<'a>(all: &'a Migrations, tree: &Migrations) -> Option<&'a Migrations> {
    all.trees()
        .find(|t| t.label == tree.label)
        .or_else(|| all.trees().find(|t| t.dir == tree.dir))
}

/// Gives every history a partner at the other ref: a history new at TO is empty at FROM (all
/// its migrations are new), a history gone at TO is empty there (all its migrations removed).
/// The empty history creates only its table, which no schema shows.
pub fn pair_histories(from: &mut Migrations, to: &mut Migrations) {
    let missing = |all: &Migrations, other: &Migrations, at: &str| -> Vec<Migrations> {
        other
            .trees()
            .filter(|t| partner(all, t).is_none())
            .map(|t| empty_like(t, at))
            .collect()
    };
    let for_from = missing(from, to, "FROM");
    let for_to = missing(to, from, "TO");
    from.more.extend(for_from);
    to.more.extend(for_to);
}

/// `tree` without migrations: the history as it is where it does not exist yet (or any more).
fn empty_like(tree: &Migrations, at: &str) -> Migrations {
    Migrations {
        describe: format!("{} (not at {at})", tree.describe),
        list: Vec::new(),
        format: tree.format,
        exclude: tree.exclude.clone(),
        table: tree.table.clone(),
        setup: None,
        pg_version: tree.pg_version,
        config: None,
        code: None,
        dir: tree.dir.clone(),
        commit: tree.commit.clone(),
        label: tree.label.clone(),
        more: Vec::new(),
    }
}

/// One history at both refs and how its tool will go from one to the other.
#[derive(Debug)]
pub struct Context<'a> {
    /// The deployed history.
    pub from: &'a Migrations,
    /// The history to deploy.
    pub to: &'a Migrations,
    /// The rules of TO's tool.
    pub tool: &'static Tool,
    /// The upgrade the tool will perform.
    pub upgrade: Upgrade<'a>,
}

/// TO's history relative to FROM's, as the tool sees it.
#[derive(Debug, Default)]
pub struct Upgrade<'a> {
    /// Migrations at both refs: (at FROM, at TO).
    pub kept: Vec<(&'a Migration, &'a Migration)>,
    /// At FROM, gone at TO.
    pub removed: Vec<&'a Migration>,
    /// At TO only, in TO's apply order.
    pub new: Vec<&'a Migration>,
    /// New migrations that sort before FROM's latest, each with that latest migration.
    pub out_of_order: Vec<(&'a Migration, &'a Migration)>,
    /// What the tool applies on FROM's database, in its order: the new migrations (without
    /// those it never applies) and changed repeatables. Where the tool refuses out-of-order
    /// files, this is the order it uses once allowed (they are reported separately).
    pub apply: Vec<&'a Migration>,
}

impl<'a> Context<'a> {
    /// Compares the histories under TO's tool rules.
    pub fn new(from: &'a Migrations, to: &'a Migrations) -> Self {
        let tool = tool::for_format(to.format.name());
        Context {
            from,
            to,
            tool,
            upgrade: upgrade(&from.list, &to.list, tool),
        }
    }

    /// The static findings of every check.
    pub fn history_findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for check in CHECKS {
            check.check_histories(self, &mut out);
        }
        out
    }
}

fn upgrade<'a>(from: &'a [Migration], to: &'a [Migration], tool: &Tool) -> Upgrade<'a> {
    let at_from: HashMap<String, &Migration> = from.iter().map(|m| (tool.key(m), m)).collect();
    let at_to: HashMap<String, &Migration> = to.iter().map(|m| (tool.key(m), m)).collect();
    let mut up = Upgrade {
        removed: from
            .iter()
            .filter(|m| !at_to.contains_key(&tool.key(m)))
            .collect(),
        ..Upgrade::default()
    };
    // The latest migration production has, in TO's order (repeatables are not versions).
    let latest_kept = to
        .iter()
        .enumerate()
        .filter(|(_, m)| !tool.reapplies_on_change(m) && at_from.contains_key(&tool.key(m)))
        .map(|(i, _)| i)
        .max();
    for (i, m) in to.iter().enumerate() {
        match at_from.get(&tool.key(m)) {
            Some(old) => {
                up.kept.push((old, m));
                if tool.reapplies_on_change(m) && !tool.same_content(old, m) {
                    up.apply.push(m);
                }
            }
            None => {
                up.new.push(m);
                let late = match latest_kept {
                    Some(latest) if i < latest && !tool.reapplies_on_change(m) => Some(&to[latest]),
                    _ => None,
                };
                match late {
                    Some(latest) => {
                        up.out_of_order.push((m, latest));
                        if tool.out_of_order != OutOfOrder::NeverApplied {
                            up.apply.push(m);
                        }
                    }
                    None => up.apply.push(m),
                }
            }
        }
    }
    up
}

impl Options {
    /// Adds dbmigration.hcl's `check { ignore }` (validated when read) to the ignored codes.
    pub fn ignore_from(&mut self, config: Option<&crate::config::Config>) {
        for code in config.map(|c| c.ignored_checks()).unwrap_or_default() {
            if !self.ignore.contains(code) {
                self.ignore.push(code.clone());
            }
        }
    }
}

/// Drops the findings whose code is ignored.
pub fn without_ignored(findings: Vec<Finding>, options: &Options) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| !options.ignore.iter().any(|i| i == f.code))
        .collect()
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// The differences a plan fixes, as a short list for a message ("a; b; c and 2 more"), and
/// the plan's statements with their comments (the reconciling SQL shown as evidence).
pub(crate) fn reconciling(plan: &diff::Plan) -> (String, String) {
    const LISTED: usize = 3;
    let mut sql = String::new();
    for step in &plan.steps {
        sql.push_str(&format!("-- {}\n{};\n", step.comment, step.sql));
    }
    let mut list: Vec<&str> = plan
        .steps
        .iter()
        .take(LISTED)
        .map(|s| s.comment.as_str())
        .collect();
    let more = plan.steps.len().saturating_sub(LISTED);
    let more = (more > 0).then(|| format!("and {more} more"));
    list.extend(more.as_deref());
    (list.join("; "), sql)
}

/// The byte range of the first line of `text` (for findings about a whole file).
pub(crate) fn first_line(text: &str) -> Range<usize> {
    0..text.find('\n').unwrap_or(text.len())
}

/// A location on the first line of a migration file.
pub(crate) fn at_file(m: &Migration) -> Location {
    Location {
        file: m.path.display().to_string(),
        source: m.source.clone(),
        span: first_line(&m.source),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in codes() {
            assert!(seen.insert(code), "{code} twice");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{code}"
            );
        }
    }

    #[test]
    fn docs_cover_every_code() {
        let doc = include_str!("../../../../docs/check.md");
        for check in CHECKS {
            let heading = format!("\n## `{}`\n", check.code());
            assert!(doc.contains(&heading), "docs/check.md lacks {heading:?}");
            let section = doc.split(&heading).nth(1).unwrap_or_default();
            let section = section.split("\n## ").next().unwrap_or_default();
            for part in ["**What**", "**Why**", "**Fix**"] {
                assert!(section.contains(part), "{}: no {part}", check.code());
            }
        }
    }
}
