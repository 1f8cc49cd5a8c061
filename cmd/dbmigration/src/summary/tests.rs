//! The summary in every format, on a review with findings everywhere and on a clean one, and
//! with hostile names: the Markdown is parsed with a CommonMark parser (as GitHub renders it)
//! and its structure asserted.
#![allow(clippy::unwrap_used, clippy::panic)]

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::*;
use crate::check::Location;

const FROM_HCL: &str = r#"
schema "public" {}
table "users" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
  column "legacy" {
    null = true
    type = text
  }
}
table "audit" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
}
"#;

const TO_HCL: &str = r#"
schema "public" {}
table "users" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
  column "email" {
    null = false
    type = text
  }
  index "users_email" {
    columns = [column.email]
  }
}
table "posts" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
}
"#;

fn changes(from: &str, to: &str) -> Changes {
    let from = hclgen::parse("from.hcl", from).unwrap();
    let to = hclgen::parse("to.hcl", to).unwrap();
    Changes::group(&diff::compare(&from, &to))
}

fn lint(name: &str, sql: &str) -> LintedFile {
    lint::lint(name, sql, &lint::Settings::default())
}

/// A review that fails: a release-check error, lint errors in a new file, destructive changes.
struct Failing {
    checks: Vec<Finding>,
    migration_lint: Vec<LintedFile>,
    plan_lint: Vec<LintedFile>,
}

fn failing() -> Failing {
    let edited = "CREATE TABLE users (id bigint PRIMARY KEY);\n";
    Failing {
        checks: vec![Finding {
            code: "edited-migration",
            severity: Severity::Error,
            message: "db/migrations/001_users.sql was changed after it was released".into(),
            location: Some(Location {
                file: "db/migrations/001_users.sql".into(),
                source: edited.into(),
                span: 0..6,
            }),
            help: "restore the released file and put the change in a new migration".into(),
            detail: Some("-CREATE TABLE users (id int);\n+CREATE TABLE users (id bigint);".into()),
        }],
        migration_lint: vec![lint(
            "db/migrations/002_users_email.sql",
            "ALTER TABLE users ADD COLUMN email text NOT NULL;\nALTER TABLE users DROP COLUMN legacy;\n",
        )],
        plan_lint: vec![lint(
            "diff.sql",
            "DROP TABLE audit;\nCREATE INDEX users_email ON users (email);\n",
        )],
    }
}

fn summary<'a>(
    checks: &'a [Finding],
    migration_lint: &'a [LintedFile],
    plan_lint: &'a [LintedFile],
    failed: bool,
) -> Summary<'a> {
    Summary {
        from: RefInfo {
            name: "release".into(),
            commit: Some("1a2b3c4".into()),
        },
        to: RefInfo {
            name: "main".into(),
            commit: Some("5d6e7f8".into()),
        },
        format: "golang-migrate".into(),
        migrations_dir: "db/migrations".into(),
        histories: Vec::new(),
        postgres: "16.4".into(),
        outputs: Outputs {
            from_hcl: "release.hcl".into(),
            to_hcl: "main.hcl".into(),
            plan: "diff.sql".into(),
        },
        new_migrations: vec![
            "db/migrations/002_users_email.up.sql".into(),
            "db/migrations/003_posts.up.sql".into(),
        ],
        changes: changes(FROM_HCL, TO_HCL),
        plan_statements: 5,
        checks,
        migration_lint,
        plan_lint,
        acknowledged: 0,
        failed,
    }
}

fn render(s: &Summary<'_>, format: ReportFormat) -> String {
    let mut out = Vec::new();
    s.write(format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

const FORMATS: [(ReportFormat, &str); 5] = [
    (ReportFormat::Human, "human"),
    (ReportFormat::Markdown, "markdown"),
    (ReportFormat::Json, "json"),
    (ReportFormat::Github, "github"),
    (ReportFormat::Sarif, "sarif"),
];

/// The resume token of `::stop-commands::` is random: replaced for the snapshot.
fn stable(text: &str) -> String {
    let Some(start) = text.find("::stop-commands::") else {
        return text.to_owned();
    };
    let token_start = start + "::stop-commands::".len();
    let token = &text[token_start..token_start + text[token_start..].find('\n').unwrap()];
    assert_eq!(token.len(), 32, "{token}");
    text.replace(token, "TOKEN")
}

#[test]
fn failing_review_in_every_format() {
    let f = failing();
    let s = summary(&f.checks, &f.migration_lint, &f.plan_lint, true);
    for (format, name) in FORMATS {
        insta::assert_snapshot!(format!("failing_{name}"), stable(&render(&s, format)));
    }
}

#[test]
fn clean_review_in_every_format() {
    let s = Summary {
        new_migrations: vec![],
        changes: Changes::default(),
        plan_statements: 0,
        ..summary(&[], &[], &[], false)
    };
    for (format, name) in FORMATS {
        insta::assert_snapshot!(format!("clean_{name}"), stable(&render(&s, format)));
    }
}

#[test]
fn json_is_one_document_with_everything() {
    let f = failing();
    let s = summary(&f.checks, &f.migration_lint, &f.plan_lint, true);
    let text = render(&s, ReportFormat::Json);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["status"], "fail");
    assert_eq!(doc["from"]["commit"], "1a2b3c4");
    assert_eq!(doc["checks"][0]["rule"], "edited-migration");
    assert!(doc["lint"]["migrations"].as_array().unwrap().len() >= 2);
    assert!(!doc["lint"]["plan"].as_array().unwrap().is_empty());
    assert_eq!(doc["changes"]["relations"][2]["action"], "dropped");
    assert_eq!(doc["changes"]["relations"][2]["destructive"], true);
    let sarif: serde_json::Value = serde_json::from_str(&render(&s, ReportFormat::Sarif)).unwrap();
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 2);
}

/// What a CommonMark renderer makes of the comment.
#[derive(Debug, Default)]
struct Rendered {
    headings: Vec<(HeadingLevel, String)>,
    details_open: usize,
    details_close: usize,
    summaries: usize,
    tables: usize,
    links: Vec<String>,
    /// Raw HTML that is not one of our four tags.
    stray_html: Vec<String>,
    text: String,
}

fn parse(markdown: &str) -> Rendered {
    let mut r = Rendered::default();
    let mut heading: Option<(HeadingLevel, String)> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => r.headings.extend(heading.take()),
            Event::Start(Tag::Table(_)) => r.tables += 1,
            Event::Start(Tag::Link { dest_url, .. }) => r.links.push(dest_url.to_string()),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                r.text.push_str(&t);
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let mut rest = html.to_string();
                for (tag, count) in [
                    ("<details>", &mut r.details_open),
                    ("</details>", &mut r.details_close),
                    ("<summary>", &mut r.summaries),
                ] {
                    *count += rest.matches(tag).count();
                    rest = rest.replace(tag, "");
                }
                rest = rest.replace("</summary>", "");
                if rest.contains('<') {
                    r.stray_html.push(html.to_string());
                }
                r.text.push_str(&rest);
            }
            _ => {}
        }
    }
    r
}

#[test]
fn markdown_renders_as_one_comment_with_collapsible_sections() {
    let f = failing();
    let s = summary(&f.checks, &f.migration_lint, &f.plan_lint, true);
    let r = parse(&render(&s, ReportFormat::Markdown));
    assert_eq!(
        r.headings,
        [
            (
                HeadingLevel::H2,
                "dbmigration review: release (1a2b3c4) → main (5d6e7f8)".to_owned()
            ),
            (HeadingLevel::H3, "Next steps".to_owned()),
        ]
    );
    // New files, schema changes, release checks, lint of the files, lint of the plan.
    assert_eq!((r.details_open, r.details_close, r.summaries), (5, 5, 5));
    // The overview, and one table per section with findings.
    assert_eq!(r.tables, 4);
    assert!(r.stray_html.is_empty(), "{:?}", r.stray_html);
    assert!(
        r.links
            .iter()
            .any(|l| l.contains("lint-rules.md#ban-drop-column"))
    );
    assert!(
        r.links
            .iter()
            .any(|l| l.contains("check.md#edited-migration"))
    );
}

#[test]
fn hostile_names_stay_text_in_every_format() {
    let evil_table = "</details><script>alert(1)</script>|`x`[link](https://evil.example)";
    let evil_file = "db/migrations/003_<img src=x onerror=alert(1)>|\n## injected\n::error::x.sql";
    // HCL string literals; the names hold no quote or backslash.
    let from = FROM_HCL.replace("\"audit\"", &format!("\"{evil_table}\""));
    let to = TO_HCL.replace("\"posts\"", &format!("\"{evil_table}\u{202e}\""));
    let checks = vec![Finding {
        code: "removed-migration",
        severity: Severity::Error,
        message: format!("{evil_file} was removed\n</details>"),
        location: Some(Location {
            file: evil_file.into(),
            source: String::new(),
            span: 0..0,
        }),
        help: "put it back".into(),
        detail: None,
    }];
    let files = vec![lint(evil_file, &format!("DROP TABLE \"{evil_table}\";\n"))];
    let s = Summary {
        from: RefInfo {
            name: "release</summary>\n::warning::evil".into(),
            commit: Some("1a2b3c4".into()),
        },
        new_migrations: vec![evil_file.into()],
        outputs: Outputs {
            from_hcl: "out ``` <b>/release.hcl".into(),
            to_hcl: "main.hcl".into(),
            plan: "diff.sql".into(),
        },
        changes: changes(&from, &to),
        ..summary(&checks, &files, &files, true)
    };
    assert!(
        s.changes
            .relations
            .iter()
            .any(|r| r.name.contains("<script>")),
        "the hostile table is in the changes: {:?}",
        s.changes
    );

    let markdown = render(&s, ReportFormat::Markdown);
    insta::assert_snapshot!("hostile_markdown", markdown);
    insta::assert_snapshot!("hostile_human", render(&s, ReportFormat::Human));
    let r = parse(&markdown);
    assert!(r.stray_html.is_empty(), "{:?}", r.stray_html);
    assert_eq!((r.details_open, r.details_close, r.summaries), (5, 5, 5));
    assert_eq!(r.headings.len(), 2, "{:?}", r.headings);
    assert!(!r.links.iter().any(|l| l.contains("evil")), "{:?}", r.links);
    // The names are there, literally, as text.
    assert!(r.text.contains("<script>alert(1)</script>"), "{}", r.text);
    assert!(
        r.text.contains("<img src=x onerror=alert(1)>"),
        "{}",
        r.text
    );
    assert!(!markdown.contains('\u{202e}'));

    // Terminal and log: no control or bidi character, no name on a line of its own.
    for format in [ReportFormat::Human, ReportFormat::Github] {
        let text = render(&s, format);
        assert!(!text.contains('\u{202e}'), "{format:?}");
        assert!(!text.contains("\n## injected"), "{format:?}");
        assert!(!text.contains("\n::error::x"), "{format:?}");
        assert!(!text.contains("\n::warning::evil"), "{format:?}");
    }
    // GitHub: the only workflow commands are ours, in the order written.
    let github = render(&s, ReportFormat::Github);
    let commands: Vec<&str> = github
        .split('\n')
        .filter(|l| l.trim_start().starts_with("::"))
        .map(|l| l.split("::").nth(1).unwrap().split(' ').next().unwrap())
        .collect();
    let token = {
        let at = github.find("::stop-commands::").unwrap() + "::stop-commands::".len();
        &github[at..at + 32]
    };
    let annotations = commands.len() - 4;
    let mut expected = vec!["error"; annotations];
    expected.extend(["group", "stop-commands", token, "endgroup"]);
    // Annotation levels vary (error/warning); compare the tail exactly.
    assert_eq!(
        &commands[annotations..],
        &expected[annotations..],
        "{github}"
    );
    assert!(
        commands[..annotations]
            .iter()
            .all(|c| ["error", "warning", "notice"].contains(c))
    );
    // JSON: one document that round-trips the names.
    let doc: serde_json::Value = serde_json::from_str(&render(&s, ReportFormat::Json)).unwrap();
    assert_eq!(doc["new_migrations"][0], evil_file);
}

#[test]
fn several_histories_are_listed_in_apply_order() {
    let history = |name: &str| HistoryInfo {
        name: name.into(),
        format: "golang-migrate".into(),
        dir: format!("{name}/migrations"),
    };
    let s = Summary {
        histories: vec![history("core"), history("billing")],
        ..summary(&[], &[], &[], false)
    };
    let line = "2 histories in one database, applied in this order: core (golang-migrate in core/migrations), then billing (golang-migrate in billing/migrations)";
    let markdown = render(&s, ReportFormat::Markdown);
    assert!(
        markdown.contains(&format!(
            "| Migrations | {} |",
            lint::report::escape::markdown_text(line)
        )),
        "{markdown}"
    );
    assert!(render(&s, ReportFormat::Human).contains(line));
    let doc: serde_json::Value = serde_json::from_str(&render(&s, ReportFormat::Json)).unwrap();
    assert_eq!(doc["migrations"]["histories"][1]["name"], "billing");
}

#[test]
fn grants_and_owners_of_a_table_are_listed_with_the_table() {
    let from = "table \"t\" {\n  schema = schema.public\n  column \"id\" {\n    null = true\n    type = integer\n  }\n}\nschema \"public\" {\n}\n";
    let to = format!(
        "{from}permission {{\n  for        = table.t.column.id\n  to         = \"reader\"\n  privileges = [SELECT]\n}}\nowner {{\n  for  = table.t\n  role = \"app\"\n}}\npermission {{\n  for        = schema.public\n  to         = \"reader\"\n  privileges = [CREATE]\n}}\n"
    );
    let c = changes(from, &to);
    assert_eq!(c.relations.len(), 1, "{c:?}");
    assert_eq!(c.relations[0].name, "public.t");
    assert_eq!(c.relations[0].changes.len(), 2, "{c:?}");
    assert_eq!(c.other.len(), 1, "{c:?}");
}
