//! The steps commands share: reading migrations (before any runtime starts), turning them
//! into a schema model on a scratch database, planning, linting ([`linting`]) and the whole
//! review ([`review`]). Commands are thin leaves over these; operands are parsed once into
//! validated types ([`operand`]).

pub mod linting;
pub mod operand;
pub mod review;

use std::path::{Path, PathBuf};

use hclgen::{Database, InspectOptions};
use miette::{Diagnostic, IntoDiagnostic, WrapErr};
use thiserror::Error;

use crate::cli::{DatabaseArgs, MigrationArgs};
use crate::locate;
use crate::migration::Migration;
use crate::scratch::{Scratch, ScratchOptions};

/// Migrations read from one place, ready to apply.
#[derive(Debug)]
pub struct Migrations {
    /// What they are, for messages: "`db/migrations` at `release` (1a2b3c4)".
    pub describe: String,
    /// In apply order.
    pub list: Vec<Migration>,
    /// The format they were read with (given or detected).
    pub format: &'static dyn crate::format::Format,
    /// Name globs left out of the rendered schema (atlas.hcl's `exclude`, a renamed history
    /// table).
    pub exclude: Vec<String>,
    /// The history table's name here (the tool's default, or dbmigration.hcl's `table`).
    pub table: Option<String>,
    /// dbmigration.hcl's `setup` SQL.
    pub setup: Option<String>,
    /// dbmigration.hcl's `postgres { version = N }`.
    pub pg_version: Option<u32>,
    /// dbmigration.hcl as read with them, when there is one.
    pub config: Option<crate::config::Config>,
    /// Migrations written in code, applied by the project's migrate command (`list` is then
    /// empty): see [`crate::command`].
    pub code: Option<crate::command::CodeMigrations>,
    /// The migrations directory: repository-relative at a ref, as given for `--dir`.
    pub dir: PathBuf,
    /// The abbreviated commit, when read at a git ref.
    pub commit: Option<String>,
    /// The history's name (`migrations "core" { }` in dbmigration.hcl); `None` for the one
    /// unnamed history.
    pub label: Option<String>,
    /// The histories declared after this one, applied after it into the same database in the
    /// order they are written (each with its own directory, format and history table; their
    /// `setup` is `None`: it runs once, first). Empty for one history, and in each of them.
    pub more: Vec<Migrations>,
}

impl Migrations {
    /// Every history in apply order: this one, then [`Migrations::more`].
    pub fn trees(&self) -> impl DoubleEndedIterator<Item = &Migrations> {
        std::iter::once(self).chain(self.more.iter())
    }

    /// "12 migrations", or "by its migrate command" for code migrations; with several
    /// histories, the sum and how many histories.
    pub fn count(&self) -> String {
        match self.code {
            Some(_) => "by its migrate command".to_owned(),
            None if self.more.is_empty() => format!("{} migrations", self.list.len()),
            None => format!(
                "{} migrations in {} histories",
                self.trees().map(|t| t.list.len()).sum::<usize>(),
                self.more.len() + 1
            ),
        }
    }

    /// "12 migrations from `db/migrations` at `main` (1a2b3c4)", or "by `python3 manage.py
    /// migrate` at `main` (1a2b3c4)" for code migrations: for the line that says what was
    /// written. Several histories are listed in apply order, joined by "then".
    pub fn summary(&self) -> String {
        match self.code {
            Some(_) => format!("by {}", self.describe),
            None => self
                .trees()
                .map(|t| format!("{} migrations from {}", t.list.len(), t.describe))
                .collect::<Vec<_>>()
                .join(", then "),
        }
    }

    /// [`Migrations::describe`], or with several histories each one's, joined: what a
    /// finding about the whole database names.
    pub fn describe_all(&self) -> String {
        self.trees()
            .map(|t| t.describe.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// What every history leaves out of the rendered schema (each one's renamed history
    /// table, atlas.hcl's `exclude`).
    pub fn excludes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for g in self.trees().flat_map(|t| t.exclude.iter()) {
            if !out.contains(g) {
                out.push(g.clone());
            }
        }
        out
    }
}

/// The history table's name (`renamed`: the history's `table` in the config) and setup SQL
/// from the config, and the exclude list that hides a renamed table (known names are left out
/// by hclgen already).
fn surroundings(
    format: &'static dyn crate::format::Format,
    config: Option<&crate::config::Config>,
    renamed: Option<String>,
    exclude: &mut Vec<String>,
) -> (Option<String>, Option<String>) {
    if let Some(t) = &renamed {
        exclude.push(t.clone());
    }
    let table = format
        .tracking()
        .map(|t| renamed.unwrap_or_else(|| t.table.to_owned()));
    (table, config.and_then(|c| c.setup.clone()))
}

/// The current directory could not be read.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot determine the current directory")]
#[diagnostic(
    code(dbmigration::cwd),
    help("run dbmigration from an existing directory")
)]
struct NoCurrentDir(#[source] std::io::Error);

/// The repository path from `-C`, else the current directory.
pub fn repo_path(args: &MigrationArgs) -> miette::Result<PathBuf> {
    match &args.repo {
        Some(p) => Ok(p.clone()),
        None => Ok(std::env::current_dir().map_err(NoCurrentDir)?),
    }
}

/// Reads the migrations at git ref `revspec` from the object database.
pub fn at_ref(args: &MigrationArgs, revspec: &str) -> miette::Result<Migrations> {
    let repo = repo_path(args)?;
    if let Some(code) = code_at_ref(args, &repo, revspec)? {
        return Ok(code);
    }
    let trees = locate::load_all_at_ref(
        &repo,
        revspec,
        args.migrations_dir.as_deref(),
        args.migrations_format.as_deref(),
    )?;
    let mut histories = Vec::new();
    for at in trees {
        for note in &at.located.notes {
            crate::status!("note: {note}");
        }
        note_skipped(&at.loaded);
        let mut exclude = at.located.exclude;
        let (table, setup) = surroundings(
            at.loaded.format,
            at.located.config.as_ref(),
            at.located.table,
            &mut exclude,
        );
        histories.push(Migrations {
            describe: described(at.describe, at.located.label.as_deref()),
            list: at.loaded.migrations,
            format: at.loaded.format,
            exclude,
            table,
            setup,
            pg_version: config_version(at.located.config.as_ref()),
            config: at.located.config,
            code: None,
            dir: at.located.dir,
            commit: Some(at.commit),
            label: at.located.label,
            more: Vec::new(),
        });
    }
    one_database(histories)
}

/// "`billing/migrations` at `main` (1a2b3c4)" with the history's name: "… (history
/// `billing`)".
fn described(describe: String, label: Option<&str>) -> String {
    match label {
        Some(label) => format!("{describe} (history `{label}`)"),
        None => describe,
    }
}

/// Two histories record in one table: the tools would read each other's rows.
#[derive(Debug, Error, Diagnostic)]
#[error("the histories `{first}` and `{second}` both record in the table `{table}`")]
#[diagnostic(
    code(dbmigration::config::shared_table),
    help(
        "give `{second}` its own history table in dbmigration.hcl, as its tool is told (golang-migrate's `x-migrations-table`): `table = \"schema_{second}\"`"
    )
)]
struct SharedTable {
    first: String,
    second: String,
    table: String,
}

/// The histories of one ref as one [`Migrations`]: the first, with the others in `more`
/// (their `setup` cleared: it runs once). Histories whose formats were detected may still
/// share the tool's default table: refused here, as the config check could not know.
fn one_database(histories: Vec<Migrations>) -> miette::Result<Migrations> {
    let mut tables: Vec<(String, &str)> = Vec::new();
    for h in &histories {
        let Some(table) = &h.table else { continue };
        let bare = table.strip_prefix("public.").unwrap_or(table).to_owned();
        let label = h.label.as_deref().unwrap_or_default();
        if let Some((_, first)) = tables.iter().find(|(t, _)| *t == bare) {
            return Err(SharedTable {
                first: (*first).to_owned(),
                second: label.to_owned(),
                table: bare,
            }
            .into());
        }
        tables.push((bare, label));
    }
    let mut histories = histories.into_iter();
    let Some(mut first) = histories.next() else {
        return Err(miette::miette!("no migrations history was read"));
    };
    first.more = histories
        .map(|mut h| {
            h.setup = None;
            h
        })
        .collect();
    Ok(first)
}

/// The migrate command from the flag, else from the config; and its down command.
fn commands(
    args: &MigrationArgs,
    config: Option<&crate::config::Config>,
) -> Option<(String, Option<String>)> {
    let block = config.and_then(|c| c.history());
    let command = args
        .migrations_command
        .clone()
        .or_else(|| block.and_then(|m| m.command.clone()))?;
    let down = args
        .migrations_down_command
        .clone()
        .or_else(|| block.and_then(|m| m.down_command.clone()));
    Some((command, down))
}

/// The `command` source at a ref (`None` when neither flag nor config names a command): the
/// ref's tree written to a private temp dir, the command to run there (in `migrations.dir`
/// when one is named).
fn code_at_ref(
    args: &MigrationArgs,
    repo: &Path,
    revspec: &str,
) -> miette::Result<Option<Migrations>> {
    let at = crate::source::GitRef::open(repo, revspec)?;
    let config = locate::read_config(&at)?;
    let Some((command, down_command)) = commands(args, config.as_ref()) else {
        return Ok(None);
    };
    let dir = args.migrations_dir.clone().or_else(|| {
        config
            .as_ref()
            .and_then(|c| c.history())
            .and_then(|m| m.dir.clone())
    });
    if let Some(dir) = &dir {
        crate::config::check_relative(dir).map_err(|reason| locate::LocateError::BadDir {
            dir: dir.clone(),
            reason,
        })?;
        if !at.is_dir(dir)? {
            return Err(crate::source::SourceError::NoDirAtRef {
                revspec: revspec.to_owned(),
                commit: at.short_id().to_owned(),
                dir: dir.clone(),
            }
            .into());
        }
    }
    let tree = at.write_tree()?;
    let cwd = match &dir {
        Some(dir) => tree.path().join(dir),
        None => tree.path().to_path_buf(),
    };
    let commit = Some(at.short_id().to_owned());
    code_migrations(
        config.as_ref(),
        format!("`{command}` at `{revspec}` ({})", at.short_id()),
        crate::command::CodeMigrations {
            command,
            down_command,
            workdir: crate::command::Workdir::Written { tree, cwd },
            reference: Some(revspec.to_owned()),
            repo_root: Some(at.root()),
            label: revspec.to_owned(),
            timeout: args
                .command_timeout
                .unwrap_or(crate::command::DEFAULT_TIMEOUT),
        },
        dir.unwrap_or_default(),
        commit,
    )
    .map(Some)
}

/// [`Migrations`] for code migrations.
fn code_migrations(
    config: Option<&crate::config::Config>,
    describe: String,
    code: crate::command::CodeMigrations,
    dir: PathBuf,
    commit: Option<String>,
) -> miette::Result<Migrations> {
    // No SQL files: the format only names the (absent) history rules; the tool's own table
    // is left out of the output by name (hclgen's TRACKING_TABLES).
    let format = crate::format::by_name("plain")?;
    let mut exclude = Vec::new();
    let (_, setup) = surroundings(format, config, None, &mut exclude);
    Ok(Migrations {
        describe,
        list: Vec::new(),
        format,
        exclude,
        table: None,
        setup,
        pg_version: config_version(config),
        config: config.cloned(),
        code: Some(code),
        dir,
        commit,
        label: None,
        more: Vec::new(),
    })
}

/// Files in the migrations directory that the format does not apply (a `schema.sql`, a Flyway
/// callback) are worth a line on stderr: a reviewer should know they were left out.
fn note_skipped(loaded: &crate::format::Loaded) {
    for s in &loaded.skipped {
        // The path comes from the repository: no control character reaches the terminal.
        crate::status!(
            "note: skipped {}: {}",
            ::lint::report::escape::terminal_line(&s.path.display().to_string()),
            ::lint::report::escape::terminal_line(&s.reason)
        );
    }
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
}

/// Reads the migrations in a directory on disk (`--dir`); with a migrate command, that is
/// the directory the command runs in.
pub fn from_dir(args: &MigrationArgs, dir: &Path) -> miette::Result<Migrations> {
    let work_config = || {
        crate::source::discover_root(dir).ok().and_then(|root| {
            locate::read_config(&locate::WorkTree { root })
                .ok()
                .flatten()
        })
    };
    if let Some((command, down_command)) = commands(args, work_config().as_ref()) {
        if !dir.is_dir() {
            return Err(crate::source::SourceError::DirNotFound {
                path: dir.to_path_buf(),
            }
            .into());
        }
        let config = work_config();
        return code_migrations(
            config.as_ref(),
            format!("`{command}` in `{}`", dir.display()),
            crate::command::CodeMigrations {
                command,
                down_command,
                workdir: crate::command::Workdir::Dir(dir.to_path_buf()),
                reference: None,
                repo_root: crate::source::discover_root(dir).ok(),
                label: dir.display().to_string(),
                timeout: args
                    .command_timeout
                    .unwrap_or(crate::command::DEFAULT_TIMEOUT),
            },
            dir.to_path_buf(),
            None,
        );
    }
    let loaded = locate::load_from_dir(dir, args.migrations_format.as_deref())?;
    note_skipped(&loaded);
    let config = work_config();
    let mut exclude = Vec::new();
    let (table, setup) = surroundings(
        loaded.format,
        config.as_ref(),
        config_table(config.as_ref(), dir),
        &mut exclude,
    );
    Ok(Migrations {
        describe: format!("`{}`", dir.display()),
        list: loaded.migrations,
        format: loaded.format,
        exclude,
        table,
        setup,
        pg_version: config_version(config.as_ref()),
        config,
        code: None,
        dir: dir.to_path_buf(),
        commit: None,
        label: None,
        more: Vec::new(),
    })
}

/// The `table` dbmigration.hcl gives the history in `dir` (`--dir`): the one history's, or
/// the named history reading that directory.
fn config_table(config: Option<&crate::config::Config>, dir: &Path) -> Option<String> {
    config?
        .history_in(locate::repo_relative(dir).as_deref())?
        .table
        .clone()
}

/// `postgres { version = N }` of a config.
fn config_version(config: Option<&crate::config::Config>) -> Option<u32> {
    config
        .and_then(|c| c.postgres.as_ref())
        .and_then(|p| p.version)
}

/// Scratch options from the command line.
pub fn scratch_options(args: &DatabaseArgs) -> ScratchOptions {
    ScratchOptions {
        database_url: args.database_url.clone(),
        pg_user: args.pg_user.clone(),
        pg_version: args.pg_version,
        pg_bin: args.pg_bin.clone(),
    }
}

/// `args` with the config's version filled in where neither `--pg-version` nor
/// `DBMIGRATION_PG_VERSION` (which the scratch code reads) names one.
pub fn with_config_version(args: &DatabaseArgs, config_version: Option<u32>) -> DatabaseArgs {
    let mut args = args.clone();
    let env_set = std::env::var_os(crate::scratch::VERSION_ENV).is_some_and(|v| !v.is_empty());
    if args.pg_version.is_none() && !env_set {
        args.pg_version = config_version;
    }
    args
}

/// The target schema needs a newer PostgreSQL than the plan is for.
#[derive(Debug, Error, Diagnostic)]
#[error("{0}")]
#[diagnostic(
    code(dbmigration::diff::version),
    help(
        "plan for the version production runs (--pg-version, DBMIGRATION_PG_VERSION, or \
         `postgres {{ version = N }}` in dbmigration.hcl); if that is right, the migration \
         cannot run there"
    )
)]
struct Unsupported(diff::UnsupportedError);

/// The version `diff` plans for when the command line, environment and config name none.
pub const DEFAULT_PG_VERSION: u32 = 15;

/// The header of a plan between two named schemas.
pub fn diff_header(from: &str, to: &str) -> diff::Header {
    diff::Header {
        from: from.to_owned(),
        to: to.to_owned(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// How `diff.sql` is planned: for PostgreSQL `pg_version`, online (the default, with
/// [`diff::Online::default`]'s timeouts, and `lock_timeout` from `lint { lock_timeout }` when
/// configured: the plan waits for locks as long as the reviewed migrations are told to) or
/// plain (`--unsafe-plan`).
pub fn plan_settings(
    pg_version: u32,
    unsafe_plan: bool,
    lock_timeout: Option<&str>,
) -> diff::Settings {
    let online = (!unsafe_plan).then(|| {
        let mut online = diff::Online::default();
        // The config was validated as a duration when it was read.
        if let Some(timeout) = lock_timeout.and_then(diff::parse_timeout) {
            online.lock_timeout = timeout;
        }
        online
    });
    diff::Settings { pg_version, online }
}

/// The migration from `from` to `to` as `settings` say.
pub fn plan(
    from: &Database,
    to: &Database,
    settings: &diff::Settings,
) -> miette::Result<diff::Plan> {
    Ok(diff::plan_for(from, to, settings).map_err(Unsupported)?)
}

/// `--pg-version`, else `DBMIGRATION_PG_VERSION`, else [`DEFAULT_PG_VERSION`]: the version to
/// plan and lint for when no server says it.
pub fn requested_version(flag: Option<u32>) -> miette::Result<u32> {
    Ok(match flag {
        Some(n) => n,
        None => crate::scratch::version_from_env()?.unwrap_or(DEFAULT_PG_VERSION),
    })
}

/// A current-thread runtime: commands are sequential, the concurrency is PostgreSQL's.
pub fn runtime() -> miette::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")
}

/// Applies a whole history as its tool would: `setup`, the history table, then each
/// migration followed by its row; for code migrations, `setup` then the migrate command.
pub async fn apply_history(
    db: &crate::scratch::ScratchDatabase,
    migrations: &Migrations,
    progress: bool,
) -> miette::Result<()> {
    if let Some(code) = &migrations.code {
        apply_setup(db, migrations).await?;
        code.run(db, crate::command::Direction::Up).await?;
        return Ok(());
    }
    for tree in migrations.trees() {
        apply_tree(db, tree, Setup::Run, progress).await?;
    }
    Ok(())
}

/// Whether [`apply_tree`] runs the history's `setup` (already run when a caller inspects the
/// database between `setup` and the first history).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// Run it first (only the first history has one).
    Run,
    /// It ran already.
    Done,
}

/// Applies one history (`tree`, not the ones in its `more`) with its history table, as its
/// tool would.
pub async fn apply_tree(
    db: &crate::scratch::ScratchDatabase,
    tree: &Migrations,
    setup: Setup,
    progress: bool,
) -> Result<(), crate::apply::ApplyError> {
    let history = crate::apply::History {
        migrations: &tree.list,
        describe: &tree.describe,
        format: tree.format,
        tracking: tree.format.tracking().zip(tree.table.as_deref()),
        setup: tree.setup.as_deref().filter(|_| setup == Setup::Run),
    };
    crate::apply::apply_history(db, &history, progress).await
}

/// Runs dbmigration.hcl's `setup` alone (before a migrate command).
pub async fn apply_setup(
    db: &crate::scratch::ScratchDatabase,
    migrations: &Migrations,
) -> miette::Result<()> {
    let setup_only = crate::apply::History {
        migrations: &[],
        describe: &migrations.describe,
        format: migrations.format,
        tracking: None,
        setup: migrations.setup.as_deref(),
    };
    Ok(crate::apply::apply_history(db, &setup_only, false).await?)
}

/// Applies `migrations` to a fresh scratch database and inspects the result.
pub async fn schema_of(
    scratch: &Scratch,
    migrations: &Migrations,
    progress: bool,
) -> miette::Result<Database> {
    let db = scratch.create_database().await?;
    apply_history(&db, migrations, progress).await?;
    let options = InspectOptions {
        exclude: migrations.excludes(),
        ..InspectOptions::default()
    };
    Ok(hclgen::inspect(db.client(), &options).await?)
}

/// Runs `work` with a scratch server started from `args`, and removes everything the scratch
/// created afterwards, whether `work` succeeded or not.
pub async fn with_scratch<T>(
    args: &DatabaseArgs,
    work: impl AsyncFnOnce(&Scratch) -> miette::Result<T>,
) -> miette::Result<T> {
    let scratch = Scratch::start(&scratch_options(args)).await?;
    // Which server rendered the schema matters (catalogs and lint rules differ by version).
    match scratch.cluster_info() {
        Some(info) => crate::status!("PostgreSQL {} ({})", info.version, info.bin_dir.display()),
        None => crate::status!(
            "PostgreSQL {} (the server of --database-url)",
            version_text(scratch.server_version_num())
        ),
    }
    let result = work(&scratch).await;
    let shutdown = scratch.shutdown().await;
    let value = result?;
    shutdown?;
    Ok(value)
}

/// `150010` → `15.10` (the `server_version_num` form since PostgreSQL 10).
pub fn version_text(version_num: u32) -> String {
    format!("{}.{}", version_num / 10000, version_num % 10000)
}

/// How to lint, from dbmigration.hcl's `lint { }` block (validated when it was read).
pub fn lint_options(config: Option<&crate::config::Config>) -> linting::LintOptions {
    let Some(lint) = config.and_then(|c| c.lint.as_ref()) else {
        return linting::LintOptions::default();
    };
    linting::LintOptions {
        levels: crate::config::lint::levels(lint),
        lock_timeout: lint.lock_timeout.clone(),
        batch_size: lint.batch_size,
        pg_version: lint.pg_version,
        fail_on: crate::config::lint::fail_level(lint),
        exclude: lint.exclude.clone(),
    }
}

/// The schemas and exclude globs to render and compare: `--schema` replaces the config's
/// `diff { schemas }`, `--exclude` adds to its `exclude`.
pub fn narrow_options(
    config: Option<&crate::config::Config>,
    args: &crate::cli::NarrowArgs,
) -> InspectOptions {
    let diff = config.and_then(|c| c.diff.as_ref());
    let schemas = if args.schemas.is_empty() {
        diff.map(|d| d.schemas.clone()).unwrap_or_default()
    } else {
        args.schemas.clone()
    };
    let mut exclude = diff.map(|d| d.exclude.clone()).unwrap_or_default();
    exclude.extend(args.exclude.iter().cloned());
    // A flag turns them off; else the config's `diff { privileges owners }`; else on (both
    // sides are built the same way, from migrations).
    let privileges = !args.access.no_privileges && diff.and_then(|d| d.privileges) != Some(false);
    let owners = !args.access.no_owners && diff.and_then(|d| d.owners) != Some(false);
    InspectOptions {
        schemas,
        exclude,
        privileges,
        owners,
    }
}

/// Reads the migrations in the work tree of the repository (`-C`, else the current
/// directory), located as at a ref: `--migrations-dir`, dbmigration.hcl, atlas.hcl, discovery.
pub fn in_work_tree(args: &MigrationArgs) -> miette::Result<Migrations> {
    let root = crate::source::discover_root(&repo_path(args)?)?;
    let tree = locate::WorkTree { root: root.clone() };
    let trees = locate::locate_all(
        &tree,
        Some(&root),
        args.migrations_dir.as_deref(),
        args.migrations_format.as_deref(),
    )?;
    let mut histories = Vec::new();
    for located in trees {
        for note in &located.notes {
            crate::status!("note: {note}");
        }
        let source = crate::source::DirSource::new(root.join(&located.dir));
        let loaded = crate::format::load(&source, &located.dir, located.format.as_deref())?;
        note_skipped(&loaded);
        let mut exclude = located.exclude;
        let (table, setup) = surroundings(
            loaded.format,
            located.config.as_ref(),
            located.table,
            &mut exclude,
        );
        histories.push(Migrations {
            describe: described(
                format!("`{}` in the work tree", located.dir.display()),
                located.label.as_deref(),
            ),
            list: loaded.migrations,
            format: loaded.format,
            exclude,
            table,
            setup,
            pg_version: config_version(located.config.as_ref()),
            config: located.config,
            code: None,
            dir: located.dir,
            commit: None,
            label: located.label,
            more: Vec::new(),
        });
    }
    one_database(histories)
}

/// dbmigration.hcl of the repository containing `args`' repository path (or the current
/// directory), when there is one; `None` outside a git repository.
pub fn work_tree_config(args: &MigrationArgs) -> miette::Result<Option<crate::config::Config>> {
    let Ok(root) = crate::source::discover_root(&repo_path(args)?) else {
        return Ok(None);
    };
    Ok(locate::read_config(&locate::WorkTree { root })?)
}
