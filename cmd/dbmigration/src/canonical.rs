//! Schemas in the server's canonical form. PostgreSQL stores expressions (checks, defaults,
//! index expressions and predicates, view and policy bodies, generated columns, trigger `WHEN`)
//! as parse trees and prints them back with `pg_get_*def`; text it re-parses from a plan can
//! print differently from the original (`role::text = ANY (ARRAY[...]::text[])` becomes
//! `ARRAY['a'::character varying::text, ...]`), so comparing the printed texts of two schemas
//! built different ways never settles. Both sides are therefore built from our own DDL on the
//! scratch server and read back, the way Atlas normalises a desired schema on its dev database
//! (ariga/atlas `sql/migrate/dir.go`, `DevLoader`; `cmd/atlas/internal/cmdapi/migrate.go`): the
//! two texts then come from the same printer and the same kind of input.

use hclgen::{Database, InspectOptions};

use crate::scratch::{Scratch, ScratchDatabase};

/// A scratch database holding `model`, built from an empty database by the plan `diff` writes,
/// in one transaction, and the model read back from it. `what` names the model in errors
/// ("FROM (release.hcl)"): a failure reports "the plan that builds FROM (release.hcl) from an
/// empty database" with the failing statement and its comment, which names the object.
pub async fn build(
    scratch: &Scratch,
    model: &Database,
    what: &str,
) -> miette::Result<(ScratchDatabase, Database)> {
    let db = scratch.create_database().await?;
    // A fresh database already has `public`: build relative to what is there.
    let empty = hclgen::inspect(db.client(), &InspectOptions::default()).await?;
    let header = diff::Header {
        from: "(empty database)".to_owned(),
        to: what.to_owned(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let sql = diff::plan(&empty, model).to_sql(&header);
    let name = format!("the plan that builds {what} from an empty database");
    crate::apply::apply_sql(&db, &name, &sql, true).await?;
    let built = hclgen::inspect(db.client(), &InspectOptions::default()).await?;
    Ok((db, built))
}

/// `model` as the server prints it after building it from our DDL.
pub async fn canonical(
    scratch: &Scratch,
    model: &Database,
    what: &str,
) -> miette::Result<Database> {
    Ok(build(scratch, model, what).await?.1)
}

/// Both sides of a diff in canonical form (built on two databases at once).
pub async fn canonical_pair(
    scratch: &Scratch,
    from: &Database,
    to: &Database,
    from_label: &str,
    to_label: &str,
) -> miette::Result<(Database, Database)> {
    let (from_what, to_what) = (format!("FROM ({from_label})"), format!("TO ({to_label})"));
    let (a, b) = tokio::join!(
        canonical(scratch, from, &from_what),
        canonical(scratch, to, &to_what)
    );
    Ok((a?, b?))
}
