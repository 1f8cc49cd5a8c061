//! Command-line types (clap derive) and nothing else: validation happens in `commands`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::ui::ColorChoice;

/// `--version`: the crate version and, when built from a git checkout, the commit (build.rs).
pub const VERSION: &str = env!("DBMIGRATION_VERSION");

/// The exit statuses, the same for every command, at the end of every `--help` (and in the
/// README and docs/ci-integration.md).
macro_rules! exit_codes {
    () => {
        "\
Exit status:
  0  clean: nothing at error level
  1  findings at error level: lint errors, release-check errors, a `diff --verify` mismatch
  2  usage or input error: unknown ref, bad HCL, failing migration, no PostgreSQL binaries"
    };
}

/// Render the PostgreSQL schema at two git refs, diff them, and lint the result.
#[derive(Debug, Parser)]
#[command(
    name = "dbmigration",
    version = VERSION,
    about,
    long_about = None,
    after_help = concat!("\
Examples:
  dbmigration run --from origin/release --to HEAD   review a pull request's schema change
  dbmigration check --from v1.4.0 --to main         the release gate alone
  dbmigration lint db/migrations/0042_users.sql     lint hand-written SQL
  dbmigration completions zsh > ~/.zfunc/_dbmigration

", exit_codes!(), "

Documentation: docs/ in the source tree (ci-integration.md, lint-rules.md, check.md)"),
)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
    /// Only print results, warnings and errors: no status lines, notes or progress.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// When to colour reports and errors.
    #[arg(long, value_enum, global = true, value_name = "WHEN", default_value_t)]
    pub color: ColorChoice,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply the migrations at a git ref to a scratch database and write its schema as HCL.
    #[command(after_help = concat!("\
Examples:
  dbmigration hcl main                       writes main.hcl
  dbmigration hcl origin/release -o -        to stdout
  dbmigration hcl --dir db/migrations        from the work tree, not a commit
  dbmigration hcl v1.4.0 --pg-version 15     on a PostgreSQL 15 scratch cluster

", exit_codes!()))]
    Hcl(HclArgs),
    /// Render an existing database to HCL, strictly read-only.
    #[command(after_help = concat!("\
Examples:
  dbmigration inspect postgres://app@db.internal/app -o prod.hcl
  dbmigration inspect 'host=/run/postgresql dbname=app' --schema public --exclude 'tmp_*'

", exit_codes!()))]
    Inspect(InspectArgs),
    /// Compare two HCL schemas and write the SQL that migrates the first into the second.
    #[command(after_help = concat!("\
Examples:
  dbmigration diff                            release.hcl -> main.hcl, writes diff.sql
  dbmigration diff release.hcl main.hcl -o -  to stdout
  dbmigration diff release.hcl main.hcl --verify
  dbmigration diff --unsafe-plan                the plain plan, all in one transaction
  dbmigration diff postgres://app@staging/app main.hcl

", exit_codes!()))]
    Diff(DiffArgs),
    /// Lint migration SQL for unsafe operations.
    #[command(after_help = concat!("\
Examples:
  dbmigration lint                                  lints diff.sql against release.hcl
  dbmigration lint db/migrations/0042_users.sql --schema release.hcl
  dbmigration lint migrations/*.sql --in-transaction --format github
  dbmigration lint diff.sql --fix -o - > safe.sql   the rewrite on stdout, the report on stderr

Rules and how to acknowledge a finding: docs/lint-rules.md

", exit_codes!()))]
    Lint(LintArgs),
    /// The whole review: render both refs, diff them, lint the diff, run the release checks.
    #[command(after_help = concat!("\
Examples:
  dbmigration run                                   release -> main in the current repository
  dbmigration run --from \"$(git merge-base origin/main HEAD)\" --to HEAD --format markdown
  dbmigration run --from v1.4.0 --to main --out-dir review/
  dbmigration run --example shop                    try it on the bundled example

", exit_codes!()))]
    Run(RunArgs),
    /// The release gate: can the deployed ref's database be upgraded with the new ref's
    /// migrations, the way the migration tool will do it?
    #[command(after_help = concat!("\
Examples:
  dbmigration check                                 release -> main
  dbmigration check --from v1.4.0 --to HEAD --format github
  dbmigration check --all-downs --ignore out-of-order

Checks: docs/check.md

", exit_codes!()))]
    Check(CheckArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) on stdout.
    #[command(after_help = "\
Examples:
  dbmigration completions bash > ~/.local/share/bash-completion/completions/dbmigration
  dbmigration completions zsh > ~/.zfunc/_dbmigration      (with fpath+=~/.zfunc)
  dbmigration completions fish > ~/.config/fish/completions/dbmigration.fish
  dbmigration completions powershell >> $PROFILE
  dbmigration completions elvish > ~/.config/elvish/lib/dbmigration.elv")]
    Completions(CompletionsArgs),
}

/// `dbmigration completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Where migrations come from and how they are read.
#[derive(Debug, Args, Clone, Default)]
pub struct MigrationArgs {
    /// The git repository (default: the one containing the current directory).
    #[arg(short = 'C', long = "repo", value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// Migrations directory, relative to the repository root (default: from `dbmigration.hcl`,
    /// else auto-discovered).
    #[arg(long, value_name = "DIR")]
    pub migrations_dir: Option<PathBuf>,
    /// Migration format (default: from `dbmigration.hcl`, else auto-detected).
    #[arg(long = "migrations-format", value_name = "FORMAT", ignore_case = true,
          value_parser = clap::builder::PossibleValuesParser::new(crate::format::possible_values()))]
    pub migrations_format: Option<String>,
    /// Apply the migrations by running this command (through `sh -c`) in the ref's tree,
    /// against the scratch database: for migrations written in code (default: `command` in
    /// dbmigration.hcl). See docs/code-migrations.md.
    #[arg(long = "migrations-command", value_name = "COMMAND")]
    pub migrations_command: Option<String>,
    /// The command that undoes every migration, for `check`'s down findings (default:
    /// `down_command` in dbmigration.hcl).
    #[arg(long = "migrations-down-command", value_name = "COMMAND")]
    pub migrations_down_command: Option<String>,
    /// How long one migrate command may run before its process group is killed: seconds, or
    /// `10m`, `1h` (default: 10m).
    #[arg(long = "command-timeout", value_name = "DURATION",
          value_parser = crate::command::parse_timeout)]
    pub command_timeout: Option<std::time::Duration>,
}

/// Which PostgreSQL to use for scratch databases.
#[derive(Debug, Args, Clone, Default)]
pub struct DatabaseArgs {
    /// Use this server (URL or libpq `key=value` form) for a uniquely named scratch database
    /// instead of starting a private cluster.
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// When running as root, run the private cluster as this user (default: `postgres`).
    #[arg(long, value_name = "USER")]
    pub pg_user: Option<String>,
    /// PostgreSQL major version of the private cluster (default: `DBMIGRATION_PG_VERSION`,
    /// else `postgres { version = N }` in dbmigration.hcl, else the highest installed).
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u32).range(13..=18))]
    pub pg_version: Option<u32>,
    /// Directory of the server binaries (initdb, postgres) for the private cluster (default:
    /// `PG_BIN`, else searched: see docs/postgres-versions.md).
    #[arg(long, value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,
}

/// Whether privileges and owners are rendered and compared.
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct AccessArgs {
    /// Leave out privileges (GRANTs on objects and columns, default privileges).
    #[arg(long)]
    pub no_privileges: bool,
    /// Leave out owners (`ALTER ... OWNER TO`).
    #[arg(long)]
    pub no_owners: bool,
}

/// Which part of a schema to render and compare.
#[derive(Debug, Args, Clone, Default)]
pub struct NarrowArgs {
    /// Only these schemas (repeatable; default: dbmigration.hcl's `diff { schemas }`, else
    /// every user schema).
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    /// Leave out objects whose name (or `schema.name`) matches this glob (repeatable; added to
    /// dbmigration.hcl's `diff { exclude }`).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    #[command(flatten)]
    pub access: AccessArgs,
}

/// `dbmigration hcl`.
#[derive(Debug, Args)]
pub struct HclArgs {
    /// Any git revspec: branch, tag, SHA, `origin/main`, `HEAD~3`.
    #[arg(value_name = "REF", required_unless_present = "dir")]
    pub git_ref: Option<String>,
    /// Read migrations from this directory on disk instead of a git ref.
    #[arg(long, value_name = "PATH", conflicts_with = "git_ref")]
    pub dir: Option<PathBuf>,
    /// Output file (default: `<REF>.hcl`; `-` for stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub narrow: NarrowArgs,
    #[command(flatten)]
    pub migrations: MigrationArgs,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// `dbmigration inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The database to inspect (URL or libpq `key=value` form).
    #[arg(value_name = "URL")]
    pub url: String,
    /// Only these schemas (repeatable).
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    /// Leave out objects whose name (or `schema.name`) matches this glob (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    #[command(flatten)]
    pub access: AccessArgs,
    /// Output file (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `dbmigration diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The current schema (default: `release.hcl`): an HCL file, or a database URL
    /// (`postgres://…` or libpq `key=value`), inspected read-only.
    #[arg(value_name = "FROM", requires = "to")]
    pub from: Option<PathBuf>,
    /// The desired schema (default: `main.hcl`): an HCL file or a database URL.
    #[arg(value_name = "TO")]
    pub to: Option<PathBuf>,
    /// Output file (default: `diff.sql`; `-` for stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Prove the diff on a scratch database: build FROM, apply the diff, compare with TO.
    #[arg(long)]
    pub verify: bool,
    /// Compare expressions (checks, defaults, views, ...) as written in the two schemas,
    /// without putting them in the server's form on a scratch database first.
    #[arg(long, conflicts_with = "verify")]
    pub as_written: bool,
    /// Only these schemas (repeatable).
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    /// Leave out objects whose name (or `schema.name`) matches this glob (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Write the plain plan: every change as one statement, all in one transaction, without
    /// the online plan's concurrent index builds, NOT VALID constraints validated apart,
    /// timeouts and hazard comments (docs/diff.md).
    #[arg(long)]
    pub unsafe_plan: bool,
    #[command(flatten)]
    pub access: AccessArgs,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Report formats of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    /// miette reports (graphical on a terminal, plain otherwise).
    #[default]
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// A Markdown pull-request comment.
    Markdown,
}

/// `dbmigration lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// What to lint: SQL files, a migrations directory (read by its format: up sections, in
    /// the tool's transaction mode), or `-` for stdin (default: `diff.sql`, or with `--since`
    /// the new migrations).
    #[arg(value_name = "FILE|DIR|-")]
    pub files: Vec<PathBuf>,
    /// Lint the migrations that are new in the work tree relative to this git ref (the same
    /// notion of new as `check`), with the schema at REF as context (rendered on a scratch
    /// database unless `--schema` is given).
    #[arg(long, value_name = "REF", conflicts_with = "files")]
    pub since: Option<String>,
    /// Write the safe rewrite (default: `<file>.safe.sql`, e.g. `diff.safe.sql`).
    #[arg(long)]
    pub fix: bool,
    /// Output file for `--fix` (`-` for stdout).
    #[arg(short, long, value_name = "FILE", requires = "fix")]
    pub output: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    /// The schema the SQL runs against, to know which tables exist: an HCL file or a database
    /// URL (default: `release.hcl` when present). Tables it lacks are linted as existing.
    #[arg(long, value_name = "HCL|URL")]
    pub schema: Option<PathBuf>,
    /// PostgreSQL major version the SQL will run on (what is safe depends on it, e.g. constant
    /// defaults on ADD COLUMN since 11, SET NOT NULL through a validated CHECK since 12).
    /// Default: `DBMIGRATION_PG_VERSION`, else 15.
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u32).range(10..))]
    pub pg_version: Option<u32>,
    /// Each file runs inside one transaction (the migration tool wraps it), so statements that
    /// cannot run in one, such as CREATE INDEX CONCURRENTLY, are errors. Migration files read
    /// by their format get their own mode.
    #[arg(long)]
    pub in_transaction: bool,
    #[command(flatten)]
    pub migrations: MigrationArgs,
    /// With `--since`: render REF's schema on this server (URL or libpq `key=value` form)
    /// instead of a private cluster.
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// With `--since`, as root: run the private cluster as this user (default: `postgres`).
    #[arg(long, value_name = "USER")]
    pub pg_user: Option<String>,
    /// With `--since`: directory of the server binaries for the private cluster.
    #[arg(long, value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,
}

impl LintArgs {
    /// The scratch server for `--since` (its version from `--pg-version` when one is
    /// installable).
    pub fn database(&self) -> DatabaseArgs {
        DatabaseArgs {
            database_url: self.database_url.clone(),
            pg_user: self.pg_user.clone(),
            pg_version: self.pg_version.filter(|v| (13..=18).contains(v)),
            pg_bin: self.pg_bin.clone(),
        }
    }
}

/// `dbmigration run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The deployed ref.
    #[arg(long, default_value = "release")]
    pub from: String,
    /// The ref to be released.
    #[arg(long, default_value = "main")]
    pub to: String,
    /// Run on the bundled example instead of a repository: a throwaway git repository with
    /// `release` and `main` branches is built from it.
    #[arg(long, value_name = "NAME")]
    pub example: Option<String>,
    /// Directory for `<from>.hcl`, `<to>.hcl` and `diff.sql` (default: current directory).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Lint report format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    /// Write diff.sql as the plain plan, all in one transaction (see `diff --unsafe-plan`).
    #[arg(long)]
    pub unsafe_plan: bool,
    #[command(flatten)]
    pub narrow: NarrowArgs,
    #[command(flatten)]
    pub migrations: MigrationArgs,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// `dbmigration check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The deployed ref (what production runs).
    #[arg(long, default_value = "release")]
    pub from: String,
    /// The ref to be released.
    #[arg(long, default_value = "main")]
    pub to: String,
    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    /// Run the down of every migration at TO, not only of the new ones.
    #[arg(long)]
    pub all_downs: bool,
    /// Leave out findings with this code (repeatable), e.g. `--ignore out-of-order`.
    #[arg(long = "ignore", value_name = "CODE")]
    pub ignore: Vec<String>,
    #[command(flatten)]
    pub migrations: MigrationArgs,
    #[command(flatten)]
    pub database: DatabaseArgs,
}
