//! The bundled example (`--example shop`): a throwaway git repository built from
//! `examples/shop/`, so a newcomer can run the whole review with no repository of their own.

use std::path::{Path, PathBuf};

use git2::{Repository, Signature};
use miette::{Diagnostic, IntoDiagnostic};
use thiserror::Error;

/// Where the example keeps its migrations inside the throwaway repository.
pub const MIGRATIONS_DIR: &str = "db/migrations";

/// One embedded file: (branch that introduces it, file name, contents).
type ExampleFile = (&'static str, &'static str, &'static str);

/// The `shop` example, embedded so the binary works from any directory. A test checks that this
/// table lists exactly the files under `examples/shop/`.
pub const SHOP: &[ExampleFile] = &[
    (
        "release",
        "001_create_customers.down.sql",
        include_str!("../../../examples/shop/release/001_create_customers.down.sql"),
    ),
    (
        "release",
        "001_create_customers.up.sql",
        include_str!("../../../examples/shop/release/001_create_customers.up.sql"),
    ),
    (
        "release",
        "002_create_products.down.sql",
        include_str!("../../../examples/shop/release/002_create_products.down.sql"),
    ),
    (
        "release",
        "002_create_products.up.sql",
        include_str!("../../../examples/shop/release/002_create_products.up.sql"),
    ),
    (
        "release",
        "003_create_orders.down.sql",
        include_str!("../../../examples/shop/release/003_create_orders.down.sql"),
    ),
    (
        "release",
        "003_create_orders.up.sql",
        include_str!("../../../examples/shop/release/003_create_orders.up.sql"),
    ),
    (
        "release",
        "004_order_totals.down.sql",
        include_str!("../../../examples/shop/release/004_order_totals.down.sql"),
    ),
    (
        "release",
        "004_order_totals.up.sql",
        include_str!("../../../examples/shop/release/004_order_totals.up.sql"),
    ),
    (
        "main",
        "005_refunds.down.sql",
        include_str!("../../../examples/shop/main/005_refunds.down.sql"),
    ),
    (
        "main",
        "005_refunds.up.sql",
        include_str!("../../../examples/shop/main/005_refunds.up.sql"),
    ),
    (
        "main",
        "006_customer_contact.down.sql",
        include_str!("../../../examples/shop/main/006_customer_contact.down.sql"),
    ),
    (
        "main",
        "006_customer_contact.up.sql",
        include_str!("../../../examples/shop/main/006_customer_contact.up.sql"),
    ),
    (
        "main",
        "007_order_item_prices.down.sql",
        include_str!("../../../examples/shop/main/007_order_item_prices.down.sql"),
    ),
    (
        "main",
        "007_order_item_prices.up.sql",
        include_str!("../../../examples/shop/main/007_order_item_prices.up.sql"),
    ),
    (
        "main",
        "008_orders_by_customer.down.sql",
        include_str!("../../../examples/shop/main/008_orders_by_customer.down.sql"),
    ),
    (
        "main",
        "008_orders_by_customer.up.sql",
        include_str!("../../../examples/shop/main/008_orders_by_customer.up.sql"),
    ),
];

/// The examples this binary carries.
pub const EXAMPLES: &[(&str, &[ExampleFile])] = &[("shop", SHOP)];

/// An unknown `--example` name.
#[derive(Debug, Error, Diagnostic)]
#[error("there is no bundled example named `{name}`")]
#[diagnostic(code(dbmigration::example::unknown), help("bundled examples: {known}"))]
pub struct UnknownExample {
    name: String,
    known: String,
}

/// Builds the example's git repository under `dir`: one commit on `release` with the release
/// migrations, one more on `main` adding the rest. Returns the repository path.
pub fn materialize(name: &str, dir: &Path) -> miette::Result<PathBuf> {
    let files = EXAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .ok_or_else(|| UnknownExample {
            name: name.to_owned(),
            known: EXAMPLES
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let repo_path = dir.join(name);
    let repo = Repository::init(&repo_path).into_diagnostic()?;
    // A fixed author and time keep the example's commits (and so its SHAs) reproducible.
    let sig = Signature::new(
        "dbmigration example",
        "example@invalid",
        &git2::Time::new(1_700_000_000, 0),
    )
    .into_diagnostic()?;
    let mut parent: Option<git2::Oid> = None;
    for branch in ["release", "main"] {
        for (_, file, contents) in files.iter().filter(|(b, _, _)| *b == branch) {
            let path = repo_path.join(MIGRATIONS_DIR).join(file);
            if let Some(parent_dir) = path.parent() {
                std::fs::create_dir_all(parent_dir).into_diagnostic()?;
            }
            std::fs::write(&path, contents).into_diagnostic()?;
        }
        let mut index = repo.index().into_diagnostic()?;
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .into_diagnostic()?;
        index.write().into_diagnostic()?;
        let tree = repo
            .find_tree(index.write_tree().into_diagnostic()?)
            .into_diagnostic()?;
        let parents: Vec<git2::Commit<'_>> = match parent {
            Some(oid) => vec![repo.find_commit(oid).into_diagnostic()?],
            None => vec![],
        };
        let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let message = format!("{name}: migrations on {branch}");
        let oid = repo
            .commit(None, &sig, &sig, &message, &tree, &parent_refs)
            .into_diagnostic()?;
        repo.branch(branch, &repo.find_commit(oid).into_diagnostic()?, true)
            .into_diagnostic()?;
        parent = Some(oid);
    }
    repo.set_head("refs/heads/main").into_diagnostic()?;
    Ok(repo_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_matches_the_directory() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/shop");
        let mut on_disk = Vec::new();
        for branch in ["release", "main"] {
            for entry in std::fs::read_dir(root.join(branch)).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                on_disk.push((branch.to_owned(), name));
            }
        }
        on_disk.sort();
        let mut embedded: Vec<(String, String)> = SHOP
            .iter()
            .map(|(b, f, _)| ((*b).to_owned(), (*f).to_owned()))
            .collect();
        embedded.sort();
        assert_eq!(
            on_disk, embedded,
            "update SHOP in example.rs to match examples/shop/"
        );
    }

    #[test]
    fn builds_two_branches() {
        let tmp = tempfile::tempdir().unwrap();
        let path = materialize("shop", tmp.path()).unwrap();
        let repo = Repository::open(&path).unwrap();
        let release = repo
            .revparse_single("release")
            .unwrap()
            .peel_to_tree()
            .unwrap();
        let main = repo
            .revparse_single("main")
            .unwrap()
            .peel_to_tree()
            .unwrap();
        let count = |t: &git2::Tree<'_>| {
            t.get_path(Path::new(MIGRATIONS_DIR))
                .unwrap()
                .to_object(&repo)
                .unwrap()
                .peel_to_tree()
                .unwrap()
                .len()
        };
        assert_eq!(count(&release), 8);
        assert_eq!(count(&main), 16);
        assert!(materialize("nope", tmp.path()).is_err());
    }
}
