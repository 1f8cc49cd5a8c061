//! `dbmigration hcl <REF>`: migrations at a git ref (or `--dir`) → scratch database → HCL.

use crate::cli::HclArgs;
use crate::commands::ExitStatus;
use crate::output::{Output, file_stem_for_ref};
use crate::pipeline;

/// Runs `dbmigration hcl`.
pub fn run(args: &HclArgs) -> miette::Result<ExitStatus> {
    // Everything that reads the repository happens before the database starts: a bad ref or
    // directory fails fast, with nothing started.
    let (migrations, default_name) = match (&args.dir, &args.git_ref) {
        (Some(dir), _) => {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "schema".to_owned());
            (pipeline::from_dir(&args.migrations, dir)?, name)
        }
        (None, Some(revspec)) => (
            pipeline::at_ref(&args.migrations, revspec)?,
            file_stem_for_ref(revspec),
        ),
        (None, None) => return Err(miette::miette!("give a git ref or --dir PATH")),
    };
    let output = Output::from_arg(args.output.as_deref(), format!("{default_name}.hcl"));
    let db = pipeline::runtime()?.block_on(pipeline::with_scratch(
        &pipeline::with_config_version(&args.database, migrations.pg_version),
        async |scratch| pipeline::schema_of(scratch, &migrations, true).await,
    ))?;
    let narrow = pipeline::narrow_options(migrations.config.as_ref(), &args.narrow);
    let db = pipeline::operand::narrow(db, &narrow)?;
    output.write(&hclgen::render(&db))?;
    if output != Output::Stdout {
        crate::status!("wrote {} ({})", output.describe(), migrations.summary());
    }
    Ok(ExitStatus::Clean)
}
