//! `edited-migration`: a migration production already ran changed between the refs.

use similar::TextDiff;

use super::{Check, Context, Finding, Location};

/// See the module docs.
pub struct EditedMigration;

impl Check for EditedMigration {
    fn code(&self) -> &'static str {
        "edited-migration"
    }

    fn summary(&self) -> &'static str {
        "a migration present at FROM has different content at TO"
    }

    fn check_histories(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (old, new) in &cx.upgrade.kept {
            if cx.tool.reapplies_on_change(new) || cx.tool.same_content(old, new) {
                continue;
            }
            let old_text = whole_text(&old.source, old.down.as_deref());
            let new_text = whole_text(&new.source, new.down.as_deref());
            let diff = TextDiff::from_lines(&old_text, &new_text)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{} ({})", old.path.display(), cx.from.describe),
                    &format!("{} ({})", new.path.display(), cx.to.describe),
                )
                .to_string();
            out.push(Finding {
                code: self.code(),
                severity: self.severity(),
                message: format!(
                    "{} was changed after it was released; production already ran the old text",
                    new.path.display()
                ),
                location: Some(Location {
                    file: new.path.display().to_string(),
                    source: new.source.clone(),
                    span: first_difference(&old.source, &new.source),
                }),
                help: format!(
                    "compared {}; revert the file to its released text and put the change in a new migration",
                    cx.tool.compares()
                ),
                detail: Some(diff),
            });
        }
    }
}

/// The up text, and the down text after a marker line when the format keeps it apart.
fn whole_text(up: &str, down: Option<&str>) -> String {
    match down {
        Some(d) if !up.contains(d) => format!("{up}\n-- (down)\n{d}"),
        _ => up.to_owned(),
    }
}

/// The line of `new` where it first differs from `old` (the last line when only the down or
/// the line endings changed).
fn first_difference(old: &str, new: &str) -> std::ops::Range<usize> {
    let mut offset = 0;
    for line in new.split_inclusive('\n') {
        let matches = old.get(offset..offset + line.len()) == Some(line);
        if !matches {
            return offset..offset + line.trim_end_matches(['\n', '\r']).len();
        }
        offset += line.len();
    }
    let start = new.trim_end().rfind('\n').map_or(0, |i| i + 1);
    start..new.trim_end().len().max(start)
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn points_at_the_first_changed_line() {
        assert_eq!(first_difference("a\nb\nc\n", "a\nB\nc\n"), 2..3);
        assert_eq!(first_difference("a\n", "a\nb"), 2..3);
        assert_eq!(first_difference("a\nb\n", "a\nb\n"), 2..3);
    }
}
