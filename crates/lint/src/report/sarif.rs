//! SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::doc_url;
use crate::LintedFile;
use crate::rule::Severity;
use crate::rules::{META_CODES, RULES};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

/// One SARIF log with one run: every rule in `tool.driver.rules`, every finding a result.
pub fn sarif(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.name()).collect();
    ids.extend(META_CODES);
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.name(),
                "name": r.name(),
                "shortDescription": {"text": r.summary()},
                "helpUri": doc_url(r.name()),
                "defaultConfiguration": {"level": level(r.severity())},
            })
        })
        .chain(META_CODES.iter().map(|c| {
            json!({
                "id": c,
                "name": c,
                "shortDescription": {"text": c.replace('-', " ")},
                "helpUri": doc_url(c),
                "defaultConfiguration": {"level": "warning"},
            })
        }))
        .collect();
    let mut results = Vec::new();
    for file in files {
        for v in &file.violations {
            let start = file.line_col(v.span.start);
            let end = file.line_col(v.span.end);
            let mut text = v.message.clone();
            if let Some(h) = &v.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let mut result = json!({
                "ruleId": v.rule,
                "ruleIndex": ids.iter().position(|id| *id == v.rule),
                "level": level(v.severity),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": file.name},
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column,
                            "byteOffset": v.span.start,
                            "byteLength": v.span.len(),
                        }
                    }
                }],
            });
            if let Some(fix) = &v.fix {
                let replacements: Vec<Value> = fix
                    .edits()
                    .iter()
                    .map(|e| {
                        json!({
                            "deletedRegion": {"byteOffset": e.span.start, "byteLength": e.span.len()},
                            "insertedContent": {"text": e.text},
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": {"text": fix.title},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": file.name},
                        "replacements": replacements,
                    }],
                }]);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dbmigration",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}
