//! Applying a whole history the way its tool does: the `setup` SQL from dbmigration.hcl
//! first, then the tool's history table ([`crate::format::tracking`]) created, then each
//! migration followed by the row the tool writes for it. A failure says where in the history
//! it happened (`migration 143/312`, the ref and commit, the format and its ordering rule,
//! the server version) and, when the failure looks like an ordering problem or a missing
//! production role, says that instead of "fix the migration".

use tokio_postgres::Client;

use super::split::split;
use super::{ApplyError, MigrationFailed, apply_one};
use crate::format::tracking::{Tracking, with_table};
use crate::migration::Migration;
use crate::scratch::ScratchDatabase;

/// A history and what surrounds it.
#[derive(Debug, Clone, Copy)]
pub struct History<'a> {
    /// The migrations, in apply order.
    pub migrations: &'a [Migration],
    /// "`db/migrations` at `main` (1a2b3c4)".
    pub describe: &'a str,
    /// The format's name and ordering rule.
    pub format: &'static dyn crate::format::Format,
    /// The tool's history table and the name it has in this repository.
    pub tracking: Option<(Tracking, &'a str)>,
    /// dbmigration.hcl's `setup`.
    pub setup: Option<&'a str>,
}

/// SQLSTATE `duplicate_object` and `unique_violation`: a role `setup` creates that another
/// scratch database of the same cluster created first.
const ALREADY_THERE: &[&str] = &["42710", "23505"];

/// Applies `history` to `db` (see the module docs). Stops at the first failure.
pub async fn apply_history(
    db: &ScratchDatabase,
    history: &History<'_>,
    progress: bool,
) -> Result<(), ApplyError> {
    let client = db.client();
    if let Some(setup) = history.setup {
        run_setup(client, setup).await?;
    }
    if let Some((tracking, table)) = history.tracking {
        for sql in tracking.create {
            run(client, "the history table", &with_table(sql, table), &[]).await?;
        }
    }
    let total = history.migrations.len();
    let bar = super::progress_bar(progress, total);
    for (i, migration) in history.migrations.iter().enumerate() {
        if let Some(bar) = &bar {
            bar.set_position(i as u64 + 1);
            bar.set_message(migration.file_name());
        }
        if let Err(e) = apply_one(client, migration).await {
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            return Err(explain(client, history, i, e).await);
        }
        if let Some((tracking, table)) = history.tracking {
            for (sql, params) in (tracking.record)(migration, i + 1) {
                run(
                    client,
                    "the history table",
                    &with_table(sql, table),
                    &params,
                )
                .await?;
            }
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(())
}

async fn run(client: &Client, what: &str, sql: &str, params: &[String]) -> Result<(), ApplyError> {
    let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = params
        .iter()
        .map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync))
        .collect();
    client
        .execute(sql, &refs)
        .await
        .map(|_| ())
        .map_err(|e| ApplyError::Connection {
            path: what.to_owned(),
            message: crate::scratch::driver_message(&e),
        })
}

/// Runs `setup` statement by statement; a role or object that already exists (another
/// scratch database of this cluster ran the same setup) is fine.
async fn run_setup(client: &Client, setup: &str) -> Result<(), ApplyError> {
    let setup_file = Migration {
        version: String::new(),
        name: "setup".into(),
        path: "dbmigration.hcl (setup)".into(),
        source: setup.to_owned(),
        up: 0..setup.len(),
        down: None,
        transactional: false,
    };
    let statements = split(setup).map_err(|u| {
        super::error::unreadable(
            &setup_file,
            u.offset,
            &format!("an unterminated {}", u.what),
            "close it in the `setup` of dbmigration.hcl",
        )
    })?;
    for stmt in statements {
        let sql = &setup[stmt.range.clone()];
        if let Err(e) = client.batch_execute(sql).await {
            let code = e.code().map(|c| c.code().to_owned()).unwrap_or_default();
            if ALREADY_THERE.contains(&code.as_str()) {
                continue;
            }
            return Err(super::error::failure(&setup_file, &e, Some(&stmt)));
        }
    }
    Ok(())
}

/// Adds where and how to a failure, and better advice when we have it.
async fn explain(
    client: &Client,
    history: &History<'_>,
    index: usize,
    err: ApplyError,
) -> ApplyError {
    let ApplyError::Failed(mut failed) = err else {
        return err;
    };
    let total = history.migrations.len();
    failed.position = Some(format!("{}/{total}", index + 1));
    failed.notes.push(format!(
        "applying {}, {} format, ordered by {}",
        history.describe,
        history.format.name(),
        history.format.ordering()
    ));
    if let Ok(rows) = client.simple_query("SHOW server_version").await
        && let Some(version) = rows.iter().find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_owned),
            _ => None,
        })
    {
        failed
            .notes
            .push(format!("scratch server: PostgreSQL {version}"));
    }
    failed.advice = advice(&failed, &history.migrations[index + 1..]);
    ApplyError::Failed(failed)
}

/// The name in quotes in a server message: `relation "users" does not exist` → `users`.
fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('"')? + 1;
    let len = message[start..].find('"')?;
    Some(&message[start..start + len])
}

/// Better advice than "fix the migration", when the failure says what is missing:
/// a role (production has it; `setup` can create it), or an object a later file creates (the
/// files are applied in the wrong order, or the format's ordering rule is not the team's).
fn advice(failed: &MigrationFailed, later: &[Migration]) -> Option<String> {
    let name = quoted_name(&failed.message)?;
    if failed.sqlstate == "42704" && failed.message.starts_with("role ") {
        return Some(format!(
            "role `{name}` exists on the production server but not on the scratch one: create it before the first migration with `setup = <<-SQL\n  CREATE ROLE \"{name}\";\nSQL` in dbmigration.hcl"
        ));
    }
    if !matches!(
        failed.sqlstate.as_str(),
        "42P01" | "42704" | "42883" | "3F000" | "42703"
    ) {
        return None;
    }
    let bare = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    let creates = |m: &&Migration| {
        pgsql::lines(m.up_sql()).any(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("create ") && l.contains(&bare)
        })
    };
    let later_file = later.iter().find(creates)?;
    Some(format!(
        "`{name}` is created by a later file, {}: this looks like an ordering or version problem, not a broken migration; check that the files are named so the format's ordering rule puts them in the order the team applies them, or choose the format with `migrations {{ format = \"...\" }}` in dbmigration.hcl",
        later_file.path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names() {
        assert_eq!(
            quoted_name("relation \"users\" does not exist"),
            Some("users")
        );
        assert_eq!(quoted_name("no quotes"), None);
    }
}
