//! `dbmigration lint`: read the files, learn which tables exist from the schema HCL, lint,
//! print the report, and write the safe rewrite with `--fix`.

use std::io::Write;
use std::path::{Path, PathBuf};

use ::lint::report::{self, escape};
use ::lint::{LintedFile, Settings};
use miette::{Diagnostic, IntoDiagnostic, WrapErr};
use thiserror::Error;

use crate::cli::{LintArgs, ReportFormat};
use crate::commands::ExitStatus;
use crate::migration::Migration;
use crate::output::Output;
use crate::pipeline::linting::{self, LintOptions, Sequence};
use crate::pipeline::operand::Schema;
use crate::status;
use crate::ui::{self, Stream};

/// The file linted when none is given.
const DEFAULT_FILE: &str = "diff.sql";
/// The schema read when `--schema` is not given and this file exists.
const DEFAULT_SCHEMA: &str = "release.hcl";

/// A file that cannot be linted.
#[derive(Debug, Error, Diagnostic)]
enum InputError {
    #[error("cannot read {}", path.display())]
    #[diagnostic(
        code(dbmigration::lint::read),
        help("check the path; with no FILE arguments, `dbmigration lint` reads diff.sql")
    )]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Content(#[from] ::lint::InputError),
    #[error("-o/--output names one file, but {0} files were given")]
    #[diagnostic(
        code(dbmigration::lint::output),
        help("leave out -o: each rewrite then goes next to its input as <name>.safe.sql")
    )]
    OutputForMany(usize),
}

/// Runs `dbmigration lint`.
pub fn run(args: &LintArgs) -> miette::Result<ExitStatus> {
    let paths: Vec<PathBuf> = if args.files.is_empty() && args.since.is_none() {
        vec![PathBuf::from(DEFAULT_FILE)]
    } else {
        args.files.clone()
    };
    if args.fix && args.output.is_some() && paths.len() > 1 {
        return Err(InputError::OutputForMany(paths.len()).into());
    }
    let config = crate::pipeline::work_tree_config(&args.migrations)?;
    let options = crate::pipeline::lint_options(config.as_ref());
    let pg_version = match args.pg_version {
        Some(v) => v,
        None => match crate::scratch::version_from_env()? {
            Some(v) => v,
            None => options
                .pg_version
                .or(config
                    .as_ref()
                    .and_then(|c| c.postgres.as_ref())
                    .and_then(|p| p.version))
                .unwrap_or(crate::pipeline::DEFAULT_PG_VERSION),
        },
    };
    let options = LintOptions {
        pg_version: Some(pg_version),
        ..options
    };
    let files = match &args.since {
        Some(since) => lint_since(args, since, &options)?,
        None => {
            let schema = schema(args.schema.as_deref())?;
            let mut settings = options.settings(pg_version, schema.as_ref());
            settings.in_transaction = args.in_transaction;
            match lint_paths(args, &paths, &settings, &options) {
                Some(files) => files,
                // A report always covers every file given: with one unreadable, any report
                // (`[]` in JSON, "no problems" in Markdown) would pass for a clean result. The
                // errors are the output, and the exit status is 2.
                None => return Ok(ExitStatus::Error),
            }
        }
    };
    // With the rewrite on stdout (`--fix -o -`), the report goes to stderr: stdout stays SQL.
    let rewrite_on_stdout = args.fix && args.output.as_deref() == Some(Path::new("-"));
    let report_stream = if rewrite_on_stdout {
        Stream::Stderr
    } else {
        Stream::Stdout
    };
    print_report(&files, args.format, report_stream)?;
    if args.fix {
        write_fixes(&files, args.output.as_deref())?;
    }
    Ok(if options.fails(&files) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// Lints each path: a file, a migrations directory (by its format), or `-` (stdin). `None`
/// when one could not be read (the errors are printed).
fn lint_paths(
    args: &LintArgs,
    paths: &[PathBuf],
    settings: &Settings,
    options: &LintOptions,
) -> Option<Vec<LintedFile>> {
    let mut failed = false;
    let mut files = Vec::new();
    for path in paths {
        let linted = if path.as_os_str() == STDIN {
            read_stdin().map(|text| vec![::lint::lint(STDIN_NAME, text, settings)])
        } else if path.is_dir() {
            lint_dir(args, path, settings, options)
        } else {
            read(path)
                .map(|text| vec![::lint::lint(path.display().to_string(), text, settings)])
                .map_err(miette::Report::new)
        };
        match linted {
            Ok(more) => files.extend(more),
            Err(e) => {
                eprintln!("{e:?}");
                failed = true;
            }
        }
    }
    (!failed).then_some(files)
}

/// A migrations directory, read by its format: each file on its own (each was once a release).
fn lint_dir(
    args: &LintArgs,
    dir: &Path,
    settings: &Settings,
    options: &LintOptions,
) -> miette::Result<Vec<LintedFile>> {
    let migrations = crate::pipeline::from_dir(&args.migrations, dir)?;
    let list: Vec<&Migration> = migrations.list.iter().collect();
    Ok(linting::lint_migrations(
        &list,
        settings,
        Sequence::EachOnItsOwn,
        options,
    )?)
}

/// `--since REF`: the migrations new in the work tree relative to REF, as one deployment, with
/// REF's schema as context (`--schema`, else rendered on a scratch database).
fn lint_since(
    args: &LintArgs,
    since: &str,
    options: &LintOptions,
) -> miette::Result<Vec<LintedFile>> {
    let mut from = crate::pipeline::at_ref(&args.migrations, since)?;
    let mut to = crate::pipeline::in_work_tree(&args.migrations)?;
    crate::check::pair_histories(&mut from, &mut to);
    let cx = crate::check::Release::new(&from, &to);
    let files = crate::pipeline::review::files_that_run(&cx);
    let pg_version = options
        .pg_version
        .unwrap_or(crate::pipeline::DEFAULT_PG_VERSION);
    let schema = match &args.schema {
        Some(p) => schema(Some(p))?,
        // Nothing new: no server needed.
        None if files.is_empty() => None,
        None => {
            let database = crate::pipeline::with_config_version(&args.database(), from.pg_version);
            Some(
                crate::pipeline::runtime()?
                    .block_on(crate::pipeline::with_scratch(&database, async |scratch| {
                        crate::pipeline::schema_of(scratch, &from, false).await
                    }))?,
            )
        }
    };
    status!(
        "{} new migration(s) in {} since {}",
        files.len(),
        to.describe_all(),
        from.describe_all()
    );
    let settings = options.settings(pg_version, schema.as_ref());
    Ok(linting::lint_migrations(
        &files,
        &settings,
        Sequence::OneDeployment,
        options,
    )?)
}

/// The path that means stdin.
const STDIN: &str = "-";
/// How stdin is named in reports.
const STDIN_NAME: &str = "<stdin>";

fn read_stdin() -> miette::Result<String> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
        .into_diagnostic()
        .wrap_err("cannot read stdin")?;
    Ok(::lint::text_from_bytes(STDIN_NAME, bytes).map_err(InputError::from)?)
}

fn read(path: &Path) -> Result<String, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(::lint::text_from_bytes(&path.display().to_string(), bytes)?)
}

/// The schema the SQL runs against: `--schema` (an HCL file or a database), else
/// `release.hcl` when present.
fn schema(arg: Option<&Path>) -> miette::Result<Option<hclgen::Database>> {
    let operand = match arg {
        Some(p) => Schema::parse(p)?,
        None if Path::new(DEFAULT_SCHEMA).is_file() => Schema::Hcl(PathBuf::from(DEFAULT_SCHEMA)),
        None => return Ok(None),
    };
    Ok(Some(operand.load(&hclgen::InspectOptions::default())?))
}

/// Prints `files`' report under a title (a heading in Markdown, a line in the human format;
/// the machine formats are unchanged).
pub fn print_section(
    title: &str,
    files: &[LintedFile],
    format: ReportFormat,
) -> miette::Result<()> {
    match format {
        ReportFormat::Human => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "== {title}\n");
        }
        ReportFormat::Markdown => {
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "### {}\n\n", escape::markdown_text(title));
        }
        _ => {}
    }
    print_report(files, format, Stream::Stdout)
}

fn print_report(files: &[LintedFile], format: ReportFormat, stream: Stream) -> miette::Result<()> {
    let mut out: Box<dyn Write> = match stream {
        Stream::Stdout => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
        Stream::Stderr => Box::new(std::io::BufWriter::new(std::io::stderr().lock())),
    };
    let result = match format {
        ReportFormat::Human => {
            let width = super::terminal_width();
            report::human(files, ui::style(stream), width, &mut out)
        }
        ReportFormat::Json => report::json(files, &mut out),
        ReportFormat::Github => report::github(files, &mut out),
        ReportFormat::Sarif => report::sarif(files, &mut out),
        ReportFormat::Markdown => report::markdown(files, &mut out),
    };
    match result.and_then(|()| out.flush()) {
        // `| head` closing the pipe is the reader's choice.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.into_diagnostic().wrap_err("cannot write the report"),
    }
}

/// `diff.sql` → `diff.safe.sql`, next to the input.
fn safe_path(path: &str) -> PathBuf {
    let p = Path::new(path);
    let stem = p
        .file_stem()
        .map_or_else(|| "out".into(), |s| s.to_string_lossy().into_owned());
    p.with_file_name(format!("{stem}.safe.sql"))
}

fn write_fixes(files: &[LintedFile], output: Option<&Path>) -> miette::Result<()> {
    for file in files {
        let out = Output::from_arg(output, safe_path(&file.name));
        let Some(fixed) = file.fixed() else {
            status!("{}: nothing to rewrite", escape::terminal_line(&file.name));
            // On stdout the SQL is being piped somewhere: pass it through unchanged rather
            // than leave an empty file behind (`ruff check --fix -` prints its input too).
            if out == Output::Stdout {
                out.write(&file.source)?;
            }
            continue;
        };
        out.write(&fixed)?;
        let unfinished = file.fixes_needing_values();
        if unfinished > 0 {
            eprintln!(
                "{}: {unfinished} rewrite(s) need a value filled in: search for `FILL IN`",
                escape::terminal_line(&file.name)
            );
        }
        if out != Output::Stdout {
            status!(
                "{}: wrote the safe rewrite to {}",
                escape::terminal_line(&file.name),
                escape::terminal_line(&out.describe())
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_path;
    use std::path::PathBuf;

    #[test]
    fn rewrite_goes_next_to_the_input() {
        assert_eq!(safe_path("diff.sql"), PathBuf::from("diff.safe.sql"));
        assert_eq!(safe_path("m/002_x.sql"), PathBuf::from("m/002_x.safe.sql"));
    }
}
