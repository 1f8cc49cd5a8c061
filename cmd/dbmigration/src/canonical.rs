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
    ensure_roles(&db, model).await?;
    let sql = diff::plan(&empty, model).to_sql(&header);
    let name = format!("the plan that builds {what} from an empty database");
    crate::apply::apply_sql(&db, &name, &sql, true).await?;
    let built = hclgen::inspect(db.client(), &InspectOptions::default()).await?;
    Ok((db, built))
}

/// Creates (`NOLOGIN`) the roles `model` grants to or gives objects to that the scratch
/// cluster lacks: they exist in production, and the private cluster is ours to add them to.
/// Roles are cluster-wide, so two builds may race: "already exists" is success.
async fn ensure_roles(db: &ScratchDatabase, model: &Database) -> miette::Result<()> {
    let mut roles: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for p in &model.permissions {
        if let hclgen::Grantee::Role(r) = &p.grantee {
            roles.insert(r);
        }
    }
    for d in &model.default_permissions {
        roles.insert(&d.role);
        if let hclgen::Grantee::Role(r) = &d.grantee {
            roles.insert(r);
        }
    }
    roles.extend(model.owners.iter().map(|o| o.role.as_str()));
    for role in roles {
        let exists = db
            .client()
            .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&role])
            .await
            .map_err(|e| miette::miette!("{}", crate::scratch::driver_message(&e)))?
            .is_some();
        if exists {
            continue;
        }
        let create = format!("CREATE ROLE {} NOLOGIN", hclgen::quote_ident(role));
        if let Err(e) = db.client().batch_execute(&create).await
            && e.code() != Some(&tokio_postgres::error::SqlState::DUPLICATE_OBJECT)
            && e.code() != Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
        {
            return Err(miette::miette!(
                "creating role `{role}` on the scratch server failed: {}",
                crate::scratch::driver_message(&e)
            ));
        }
    }
    Ok(())
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
