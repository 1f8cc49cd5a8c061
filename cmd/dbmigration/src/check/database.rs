//! The checks that need PostgreSQL: scratch databases built concurrently on one server.
//!
//! - The upgrade line: FROM's histories, then each history's [`super::Upgrade::apply`] one by
//!   one, history after history in TO's order (`upgrade-fails`), then compared with the fresh
//!   line (`upgrade-path-differs`), then the downs of the new migrations run newest first,
//!   each compared with the schema recorded just before its up (`down-fails`,
//!   `down-not-inverse`).
//! - The fresh line: TO's histories on an empty database, in their order (with
//!   `--all-downs`, every down is walked back there the same way). With several histories,
//!   the schema after each one is recorded: who created what (`history-conflict`).
//! - The reversed line, with several histories only: TO's histories in the other order
//!   (`history-conflict` when that fails or gives another schema).
//!
//! Walking the downs back from the end (as `migrate down` does) needs no extra builds: each
//! schema before an up is recorded on the way up. A down that fails or leaves the wrong schema
//! stops the walk, since every earlier down would start from a state no tool produces.

use hclgen::{Database, InspectOptions};

use crate::apply;
use crate::command::{CodeMigrations, Direction};
use crate::migration::Migration;
use crate::pipeline::{Setup, apply_tree};
use crate::scratch::{Scratch, ScratchDatabase};

use super::history_conflict::{self, Reversed};
use super::tool::{self, Tool};
use super::{Finding, Options, Release};
use super::{down_fails, down_not_inverse, upgrade_fails, upgrade_path_differs};

/// What the database checks produce: both schemas (for `run`'s HCL files) and the findings.
#[derive(Debug)]
pub struct Built {
    /// FROM's schema, built fresh.
    pub from: Database,
    /// TO's schema, built fresh.
    pub to: Database,
    /// `upgrade-*`, `down-*` and `history-conflict` findings.
    pub findings: Vec<Finding>,
}

/// A migration applied on the way up, with the rules of its history's tool.
type Applied<'a> = (&'a Migration, &'static Tool);

/// Builds FROM and TO (and TO reversed, with several histories) concurrently on `scratch` and
/// runs the database checks.
pub async fn run_database_checks(
    scratch: &Scratch,
    release: &Release<'_>,
    options: &Options,
) -> miette::Result<Built> {
    let walk_all = options.all_downs && release.trees.iter().any(|t| t.tool.has_downs);
    let (upgrade_line, fresh_line, reversed) = tokio::join!(
        upgrade_line(scratch, release, options),
        fresh_line(scratch, release, walk_all),
        reversed_line(scratch, release)
    );
    let (from, upgraded, mut findings) = upgrade_line?;
    let (to, snapshots, fresh_findings) = fresh_line?;
    if let Some(upgraded) = &upgraded
        && let Some(f) = upgrade_path_differs::finding(upgraded, &to, &release.to.describe_all())
    {
        findings.push(f);
    }
    findings.extend(fresh_findings);
    if let Some(reversed) = reversed? {
        findings.extend(history_conflict::findings(
            release.to, &snapshots, &to, &reversed,
        ));
    }
    Ok(Built { from, to, findings })
}

/// FROM's schema, the upgraded schema (`None` when the upgrade failed) and the findings.
async fn upgrade_line(
    scratch: &Scratch,
    release: &Release<'_>,
    options: &Options,
) -> miette::Result<(Database, Option<Database>, Vec<Finding>)> {
    let db = scratch.create_database().await?;
    // FROM is what production runs: a FROM that does not build is an input error, reported
    // as `hcl` reports it.
    crate::pipeline::apply_history(&db, release.from, false).await?;
    let from = inspect(&db, release).await?;
    if let Some(code) = &release.to.code {
        // TO's own command on FROM's database: what the deploy will run.
        if let Err(e) = code.run(&db, Direction::Up).await {
            let findings = vec![upgrade_fails::command_finding(&e, &release.from.describe)];
            return Ok((from, None, findings));
        }
        let upgraded = inspect(&db, release).await?;
        return Ok((from, Some(upgraded), Vec::new()));
    }
    let walk = !options.all_downs && release.trees.iter().any(|t| t.tool.has_downs);
    let mut findings = Vec::new();
    let mut before = vec![from.clone()];
    let mut applied: Vec<Applied<'_>> = Vec::new();
    for cx in &release.trees {
        for m in &cx.upgrade.apply {
            if let Err(e) = apply::apply(&db, std::slice::from_ref(*m), false).await {
                findings.push(upgrade_fails::finding(m, &e, &cx.from.describe));
                return Ok((from, None, findings));
            }
            applied.push((m, cx.tool));
            if walk {
                before.push(inspect(&db, release).await?);
            }
        }
    }
    let upgraded = match (walk, before.pop()) {
        (true, Some(last)) if !applied.is_empty() => last,
        _ => inspect(&db, release).await?,
    };
    if walk {
        walk_downs(&db, release, &applied, before, &mut findings).await?;
    }
    Ok((from, Some(upgraded), findings))
}

/// TO's schema built fresh; with several histories, the schema after `setup` and after each
/// history; with the downs of all its migrations walked when asked.
async fn fresh_line(
    scratch: &Scratch,
    release: &Release<'_>,
    walk_all: bool,
) -> miette::Result<(Database, Vec<Database>, Vec<Finding>)> {
    let db = scratch.create_database().await?;
    if let Some(code) = &release.to.code {
        let (to, findings) = fresh_code_line(&db, release, code).await?;
        return Ok((to, Vec::new(), findings));
    }
    let several = release.has_several_histories();
    crate::pipeline::apply_setup(&db, release.to).await?;
    let mut snapshots = Vec::new();
    if several {
        snapshots.push(inspect(&db, release).await?);
    }
    let mut before = Vec::new();
    let mut applied: Vec<Applied<'_>> = Vec::new();
    for tree in release.to.trees() {
        if walk_all {
            let tool = tool::for_format(tree.format.name());
            for m in &tree.list {
                before.push(inspect(&db, release).await?);
                apply::apply(&db, std::slice::from_ref(m), false).await?;
                applied.push((m, tool));
            }
        } else {
            apply_tree(&db, tree, Setup::Done, false).await?;
        }
        if several {
            snapshots.push(inspect(&db, release).await?);
        }
    }
    let to = match snapshots.last() {
        Some(last) => last.clone(),
        None => inspect(&db, release).await?,
    };
    let mut findings = Vec::new();
    if walk_all {
        walk_downs(&db, release, &applied, before, &mut findings).await?;
    }
    Ok((to, snapshots, findings))
}

/// With several histories: TO's histories applied in the other order, or the failure.
async fn reversed_line(
    scratch: &Scratch,
    release: &Release<'_>,
) -> miette::Result<Option<Reversed>> {
    if !release.has_several_histories() || release.to.code.is_some() {
        return Ok(None);
    }
    let db = scratch.create_database().await?;
    crate::pipeline::apply_setup(&db, release.to).await?;
    for tree in release.to.trees().rev() {
        if let Err(error) = apply_tree(&db, tree, Setup::Done, false).await {
            return Ok(Some(Reversed::Failed {
                label: tree.label.clone().unwrap_or_default(),
                error,
                list: tree.list.clone(),
            }));
        }
    }
    Ok(Some(Reversed::Built(inspect(&db, release).await?)))
}

/// TO's command on an empty database; then, when there is a `down_command`, that command on
/// the result, which must bring back the schema from before the migrate command.
async fn fresh_code_line(
    db: &ScratchDatabase,
    release: &Release<'_>,
    code: &CodeMigrations,
) -> miette::Result<(Database, Vec<Finding>)> {
    crate::pipeline::apply_setup(db, release.to).await?;
    let before = match code.down_command {
        Some(_) => Some(inspect(db, release).await?),
        None => None,
    };
    code.run(db, Direction::Up).await?;
    let to = inspect(db, release).await?;
    let (Some(before), Some(down)) = (before, code.down_command.as_deref()) else {
        return Ok((to, Vec::new()));
    };
    if let Err(e) = code.run(db, Direction::Down).await {
        return Ok((
            to,
            vec![down_fails::command_finding(&e, &release.to.describe)],
        ));
    }
    let after = inspect(db, release).await?;
    let findings = down_not_inverse::command_finding(&release.to.describe, down, &before, &after)
        .into_iter()
        .collect();
    Ok((to, findings))
}

/// Runs the downs of `applied` (all applied on `db`, in order) from the last one back, and
/// compares each result with `before[i]`, the schema recorded before `applied[i]`'s up.
/// Stops at a migration without a down, or at the first down that fails or is not inverse.
async fn walk_downs(
    db: &ScratchDatabase,
    release: &Release<'_>,
    applied: &[Applied<'_>],
    before: Vec<Database>,
    findings: &mut Vec<Finding>,
) -> miette::Result<()> {
    for (i, ((up, tool), before)) in applied.iter().zip(before).enumerate().rev() {
        let Some(down) = down_migration(up, tool.down_in_file) else {
            return Ok(());
        };
        if let Err(e) = apply::apply(db, std::slice::from_ref(&down), false).await {
            findings.push(down_fails::finding(up, &down, &e, i));
            return Ok(());
        }
        let after = inspect(db, release).await?;
        if let Some(f) = down_not_inverse::finding(up, &down, &before, &after, i) {
            findings.push(f);
            return Ok(());
        }
    }
    Ok(())
}

/// The down of `m` as a migration to apply, on its own file (`.down.sql`, `down.sql`) or on
/// the up file where the format keeps both in one (its `up` range then covers the down
/// section, so errors point at the right line).
fn down_migration(m: &Migration, in_file: bool) -> Option<Migration> {
    let down = m.down.as_ref()?;
    let (path, source, range) = match m.source.rfind(down.as_str()) {
        Some(start) if in_file => (m.path.clone(), m.source.clone(), start..start + down.len()),
        _ => (down_path(&m.path), down.clone(), 0..down.len()),
    };
    Some(Migration {
        version: m.version.clone(),
        name: m.name.clone(),
        path,
        source,
        up: range,
        down: None,
        transactional: m.transactional,
    })
}

/// `1_a.up.sql` → `1_a.down.sql`, `1_a/up.sql` → `1_a/down.sql`, Flyway `V1__a.sql` →
/// `U1__a.sql`.
fn down_path(up: &std::path::Path) -> std::path::PathBuf {
    let name = up
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let down = if let Some(stem) = name.strip_suffix(".up.sql") {
        format!("{stem}.down.sql")
    } else if name == "up.sql" {
        "down.sql".to_owned()
    } else if let Some(rest) = name.strip_prefix('V') {
        format!("U{rest}")
    } else {
        format!("{name} (down)")
    };
    up.with_file_name(down)
}

/// Inspects leaving out what any history excludes (atlas.hcl's `exclude`, a renamed history
/// table), as `hcl` does.
async fn inspect(db: &ScratchDatabase, release: &Release<'_>) -> miette::Result<Database> {
    let mut exclude = release.from.excludes();
    exclude.extend(release.to.excludes());
    let options = InspectOptions {
        exclude,
        ..InspectOptions::default()
    };
    Ok(hclgen::inspect(db.client(), &options).await?)
}

#[cfg(test)]
mod tests {
    use super::down_path;
    use std::path::Path;

    #[test]
    fn down_files_are_named_like_the_tools_name_them() {
        let p = |s: &str| down_path(Path::new(s)).display().to_string();
        assert_eq!(p("m/1_a.up.sql"), "m/1_a.down.sql");
        assert_eq!(p("m/1_a/up.sql"), "m/1_a/down.sql");
        assert_eq!(p("m/V1__a.sql"), "m/U1__a.sql");
    }
}
