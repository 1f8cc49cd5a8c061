//! `dbmigration lint`: read the files, learn which tables exist from the schema HCL, lint,
//! print the report, and write the safe rewrite with `--fix`.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use ::lint::report::{self, escape};
use ::lint::{ColumnFacts, LintedFile, Settings, TableFacts};
use miette::{Diagnostic, IntoDiagnostic, WrapErr};
use thiserror::Error;

use crate::cli::{LintArgs, ReportFormat};
use crate::commands::ExitStatus;
use crate::output::Output;
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
    let paths: Vec<PathBuf> = if args.files.is_empty() {
        vec![PathBuf::from(DEFAULT_FILE)]
    } else {
        args.files.clone()
    };
    if args.fix && args.output.is_some() && paths.len() > 1 {
        return Err(InputError::OutputForMany(paths.len()).into());
    }
    let mut settings = settings(args.schema.as_deref())?;
    settings.pg_version = crate::pipeline::requested_version(args.pg_version)?;
    settings.in_transaction = args.in_transaction;
    let mut status = ExitStatus::Clean;
    let mut files = Vec::new();
    for path in &paths {
        match read(path) {
            Ok(text) => files.push(::lint::lint(path.display().to_string(), text, &settings)),
            Err(e) => {
                eprintln!("{:?}", miette::Report::new(e));
                status = ExitStatus::Error;
            }
        }
    }
    // A report always covers every file given: with one unreadable, any report (`[]` in JSON,
    // "no problems" in Markdown) would pass for a clean result. The errors above are the
    // output, and the exit status is 2.
    if status == ExitStatus::Error {
        return Ok(status);
    }
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
    if status == ExitStatus::Clean && files.iter().any(LintedFile::has_errors) {
        status = ExitStatus::Findings;
    }
    Ok(status)
}

fn read(path: &Path) -> Result<String, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(::lint::text_from_bytes(&path.display().to_string(), bytes)?)
}

/// Settings from the schema file: which tables exist, their column types and primary keys.
fn settings(schema: Option<&Path>) -> miette::Result<Settings> {
    let mut settings = Settings::default();
    let path = match schema {
        Some(p) => p.to_path_buf(),
        None if Path::new(DEFAULT_SCHEMA).is_file() => PathBuf::from(DEFAULT_SCHEMA),
        None => return Ok(settings),
    };
    let text = std::fs::read_to_string(&path)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot read the schema {}", path.display()))?;
    let db = hclgen::parse(&path.display().to_string(), &text)?;
    let mut existing = HashSet::new();
    for table in &db.tables {
        let key = format!("{}.{}", table.name.schema, table.name.name);
        let facts = TableFacts {
            columns: table
                .columns
                .iter()
                .map(|c| {
                    (
                        c.name.clone(),
                        ColumnFacts {
                            type_sql: c.ty.to_sql(),
                            not_null: !c.nullable,
                        },
                    )
                })
                .collect(),
            primary_key: table
                .primary_key
                .as_ref()
                .map(|pk| pk.columns.clone())
                .unwrap_or_default(),
        };
        settings.tables.insert(key.clone(), facts);
        existing.insert(key);
    }
    settings.existing_tables = Some(existing);
    Ok(settings)
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
