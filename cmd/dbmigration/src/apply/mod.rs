//! Applying migrations in order on one connection.
//!
//! A transactional migration is sent whole in one simple-query message: PostgreSQL runs a
//! multi-statement message as one implicit transaction, so it is atomic and costs one round
//! trip. A migration that opts out of the transaction, or holds a statement PostgreSQL refuses
//! inside one (`CREATE INDEX CONCURRENTLY`, `VACUUM`, …), is split and sent statement by
//! statement in autocommit. Errors are mapped back to the file's line and column.

mod error;
mod history;
pub mod split;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio_postgres::Client;

pub use error::{ApplyError, MigrationFailed};
pub use history::{History, apply_history};
use split::{Statement, needs_autocommit, split};

use crate::migration::Migration;
use crate::scratch::ScratchDatabase;

/// Applies `migrations` in order to `db`. With `progress`, shows `applying 3/12 file.sql` on
/// stderr when it is a terminal (nothing otherwise). Stops at the first failure.
pub async fn apply(
    db: &ScratchDatabase,
    migrations: &[Migration],
    progress: bool,
) -> Result<(), ApplyError> {
    let bar = progress_bar(progress, migrations.len());
    let mut result = Ok(());
    for (i, migration) in migrations.iter().enumerate() {
        if let Some(bar) = &bar {
            bar.set_position(i as u64 + 1);
            bar.set_message(migration.file_name());
        }
        result = apply_one(db.client(), migration).await;
        if result.is_err() {
            break;
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

/// `applying 3/12 file.sql` on stderr, when asked for and stderr is a terminal.
fn progress_bar(progress: bool, len: usize) -> Option<ProgressBar> {
    (progress && crate::ui::progress()).then(|| {
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("applying {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        bar
    })
}

/// Applies one piece of SQL that is not a migration file (e.g. `diff.sql` for
/// `diff --verify`); `name` is shown in error reports as the file name.
pub async fn apply_sql(
    db: &ScratchDatabase,
    name: &str,
    sql: &str,
    in_transaction: bool,
) -> Result<(), ApplyError> {
    let migration = Migration {
        version: String::new(),
        name: name.to_owned(),
        path: name.into(),
        source: sql.to_owned(),
        up: 0..sql.len(),
        down: None,
        transactional: in_transaction,
    };
    apply_one(db.client(), &migration).await
}

async fn apply_one(client: &Client, migration: &Migration) -> Result<(), ApplyError> {
    let sql = migration.up_sql();
    if let Some(pos) = sql.find('\0') {
        return Err(error::nul_byte(migration, migration.up.start + pos));
    }
    let statements = match split(sql) {
        Ok(statements) => statements,
        Err(u) => {
            return Err(error::unreadable(
                migration,
                u.offset,
                &format!("an unterminated {}", u.what),
                "close it: psql would wait for the rest of it and run nothing, so the migration must not pass",
            ));
        }
    };
    if statements.is_empty() {
        return Ok(());
    }
    let autocommit = !migration.transactional
        || statements
            .iter()
            .any(|s| needs_autocommit(&sql[s.range.clone()]));
    if autocommit {
        for stmt in &statements {
            if let Err(e) = client.batch_execute(&sql[stmt.range.clone()]).await {
                return Err(error::failure(migration, &e, Some(stmt)));
            }
        }
        return Ok(());
    }
    match client.batch_execute(sql).await {
        Ok(()) => Ok(()),
        Err(e) if error::has_position(&e) => {
            // A file with its own BEGIN leaves an aborted transaction behind: end it.
            let _ = client.batch_execute("ROLLBACK").await;
            Err(error::failure(migration, &e, None))
        }
        Err(e) => Err(locate(client, migration, &statements, e).await),
    }
}

/// The whole-migration message failed without a position: replay it statement by statement
/// in a transaction that is rolled back, to find the statement to point at.
async fn locate(
    client: &Client,
    migration: &Migration,
    statements: &[Statement],
    original: tokio_postgres::Error,
) -> ApplyError {
    let sql = migration.up_sql();
    if original.as_db_error().is_none() || client.batch_execute("ROLLBACK; BEGIN").await.is_err() {
        return error::failure(migration, &original, None);
    }
    let mut found = None;
    for stmt in statements {
        // The file's own transaction control would end our throwaway transaction.
        if split::is_transaction_control(&sql[stmt.range.clone()]) {
            continue;
        }
        if let Err(e) = client.batch_execute(&sql[stmt.range.clone()]).await {
            found = Some((stmt, e));
            break;
        }
    }
    let _ = client.batch_execute("ROLLBACK").await;
    match found {
        Some((stmt, e)) if e.code() == original.code() => error::failure(migration, &e, Some(stmt)),
        _ => error::failure(migration, &original, None),
    }
}
