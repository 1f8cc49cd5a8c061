//! Times the linter on one file: `cargo run --release -p lint --example lint_bench -- big.sql`.
//! Prints statements, findings, and the time to lint and to render each report format.

use std::time::Instant;

use lint::report::{self, Style};

fn main() -> std::io::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: lint_bench FILE.sql");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path)?;
    if std::env::var_os("BENCH_PHASES").is_some() {
        let t = Instant::now();
        let spans = lint::split_statements(&text);
        println!("split: {:.3}s", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let dialect = sqlparser::dialect::PostgreSqlDialect {};
        let mut ok = 0;
        for s in &spans {
            ok +=
                usize::from(sqlparser::parser::Parser::parse_sql(&dialect, s.text(&text)).is_ok());
        }
        println!(
            "sqlparser on every statement: {:.3}s ({ok} ok)",
            t.elapsed().as_secs_f64()
        );
    }
    let t = Instant::now();
    let file = lint::lint(path.as_str(), text, &lint::Settings::default());
    let lint_time = t.elapsed();
    println!(
        "{} statements, {} findings: lint {:.3}s ({:.0} statements/s)",
        file.statements,
        file.violations.len(),
        lint_time.as_secs_f64(),
        file.statements as f64 / lint_time.as_secs_f64()
    );
    if std::env::var_os("BENCH_LINT_ONLY").is_some() {
        return Ok(());
    }
    let files = [file];
    type Render = fn(&[lint::LintedFile], &mut dyn std::io::Write) -> std::io::Result<()>;
    let formats: [(&str, Render); 5] = [
        ("json", report::json),
        ("human", |f, o| report::human(f, Style::Plain, 100, o)),
        ("github", report::github),
        ("sarif", report::sarif),
        ("markdown", report::markdown),
    ];
    for (name, render) in formats {
        let mut sink = std::io::sink();
        let t = Instant::now();
        render(&files, &mut sink)?;
        println!("{name}: {:.3}s", t.elapsed().as_secs_f64());
    }
    Ok(())
}
