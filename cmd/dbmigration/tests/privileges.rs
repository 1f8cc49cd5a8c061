//! Privileges and owners as users meet them: migrations that `GRANT` to roles `setup` creates,
//! rendered by `hcl`, planned by `diff`, and left out by `--no-privileges` / `--no-owners` and
//! `diff { privileges = false }`; a grant to a role nobody declared fails with the fix.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::{Repo, stderr};

const CONFIG: &str = "setup = <<-SQL\n  CREATE ROLE app_reader;\n  CREATE ROLE app_owner;\nSQL\n";
const INIT: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nGRANT SELECT ON users TO app_reader;\n";
const MORE: &str = "REVOKE SELECT ON users FROM app_reader;\nGRANT SELECT (id) ON users TO app_reader;\nGRANT INSERT ON users TO app_reader WITH GRANT OPTION;\nALTER TABLE users OWNER TO app_owner;\n";

fn repo(config: &str) -> Repo {
    Repo::new(
        &[
            ("dbmigration.hcl", config),
            ("migrations/0001_init.up.sql", INIT),
        ],
        &[("migrations/0002_more.up.sql", MORE)],
    )
}

fn stdout_of(repo: &Repo, args: &[&str]) -> String {
    let out = repo.dbmigration(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn hcl_and_diff_carry_grants_and_owners_unless_left_out() {
    let repo = repo(CONFIG);
    stdout_of(&repo, &["hcl", "release", "-o", "release.hcl"]);
    stdout_of(&repo, &["hcl", "main", "-o", "main.hcl"]);
    let main = std::fs::read_to_string(repo.path().join("main.hcl")).unwrap();
    assert!(
        main.contains("for        = table.users.column.id"),
        "{main}"
    );
    assert!(main.contains("grantable  = true"), "{main}");
    assert!(main.contains("role = \"app_owner\""), "{main}");

    // The scratch server of `diff` creates the roles the files name.
    let plan = stdout_of(&repo, &["diff", "release.hcl", "main.hcl", "-o", "-"]);
    for statement in [
        "REVOKE SELECT ON TABLE public.users FROM app_reader;",
        "GRANT SELECT (id) ON TABLE public.users TO app_reader;",
        "GRANT INSERT ON TABLE public.users TO app_reader WITH GRANT OPTION;",
        "ALTER TABLE public.users OWNER TO app_owner;",
    ] {
        assert!(plan.contains(statement), "{statement}\n{plan}");
    }
    let bare = stdout_of(
        &repo,
        &[
            "diff",
            "release.hcl",
            "main.hcl",
            "--no-privileges",
            "--no-owners",
            "-o",
            "-",
        ],
    );
    assert!(!bare.contains("GRANT") && !bare.contains("OWNER"), "{bare}");
    let hcl = stdout_of(&repo, &["hcl", "main", "--no-privileges", "-o", "-"]);
    assert!(
        !hcl.contains("permission {") && hcl.contains("owner {"),
        "{hcl}"
    );
}

#[test]
fn config_leaves_privileges_out() {
    let config = format!("{CONFIG}diff {{\n  privileges = false\n}}\n");
    let repo = repo(&config);
    let hcl = stdout_of(&repo, &["hcl", "main", "-o", "-"]);
    assert!(
        !hcl.contains("permission {") && hcl.contains("owner {"),
        "{hcl}"
    );
}

#[test]
fn a_grant_to_an_undeclared_role_says_to_declare_it() {
    let repo = repo("");
    let out = repo.dbmigration(&["hcl", "main", "-o", "-"]);
    assert_ne!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(err.contains("role \"app_reader\" does not exist"), "{err}");
    assert!(err.contains("CREATE ROLE \"app_reader\""), "{err}");
    assert!(err.contains("setup"), "{err}");
}
