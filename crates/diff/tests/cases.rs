//! One `diff.sql` snapshot per case folder (`tests/cases/<name>/{from,to}.hcl`). The HCL files are
//! the inspected result of the folder's `from.sql` / `to.sql`; the apply-and-compare test
//! (`cmd/dbmigration/tests/diff_apply.rs`) proves the same plans on PostgreSQL and rewrites the
//! HCL with `DIFF_WRITE_HCL=1`.
#![allow(clippy::unwrap_used)]

use diff::{Header, plan};

#[test]
fn cases() {
    insta::glob!("cases/*/from.hcl", |from_path| {
        let dir = from_path.parent().unwrap();
        let read = |name: &str| {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).unwrap();
            hclgen::parse(name, &text).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
        };
        let (from, to) = (read("from.hcl"), read("to.hcl"));
        assert!(plan(&from, &from).is_empty());
        assert!(plan(&to, &to).is_empty());
        let header = Header {
            from: "from.hcl".into(),
            to: "to.hcl".into(),
            tool_version: "test".into(),
        };
        insta::assert_snapshot!(plan(&from, &to).to_sql(&header));
        // The online plan (`diff.sql`'s default); the plain plan above is the `--unsafe-plan`
        // one and must not change with it. One glob for both: insta's glob state is shared
        // between tests running at once.
        let online = diff::Settings::default();
        assert!(diff::plan_for(&from, &from, &online).unwrap().is_empty());
        insta::assert_snapshot!(
            "online_cases",
            diff::plan_for(&from, &to, &online).unwrap().to_sql(&header)
        );
    });
}
