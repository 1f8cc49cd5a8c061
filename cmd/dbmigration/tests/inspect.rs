//! `hclgen::inspect` against a real PostgreSQL: fixture SQL per object kind applied to a scratch
//! database, inspected, checked field by field, rendered, parsed back and compared.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use dbmigration::scratch::{Scratch, ScratchDatabase, ScratchOptions};
use hclgen::{
    ArgMode, CheckOption, ColumnRef, Database, Deferrable, Dependency, FkAction, FunctionKind,
    FunctionRef, Grantee, IndexKey, InspectOptions, ObjectRef, Owner, Parallel, PartitionStrategy,
    Permission, PolicyCommand, Privilege, QualifiedName, Returns, SerialWidth, TriggerEnabled,
    TriggerEvent, TriggerTiming, Type, TypeKind, Volatility, inspect,
};

/// Runs `f` with a fresh database on a private scratch cluster, then shuts the cluster down.
fn with_db<F>(f: F)
where
    F: AsyncFnOnce(&ScratchDatabase),
{
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let scratch = Scratch::start(&ScratchOptions::default()).await.unwrap();
        let db = scratch.create_database().await.unwrap();
        f(&db).await;
        drop(db);
        scratch.shutdown().await.unwrap();
    });
}

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/inspect/{name}.sql",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The server a fixture ran on, and whether all of the fixture could.
#[derive(Debug, Clone, Copy)]
struct Ran {
    /// The server's major version (`DBMIGRATION_PG_VERSION` chooses it; see
    /// docs/postgres-versions.md).
    major: u32,
    /// No statement was left out for being too new for the server.
    complete: bool,
}

async fn server_major(db: &ScratchDatabase) -> u32 {
    let row = db
        .client()
        .query_one("SELECT current_setting('server_version_num')::int4", &[])
        .await
        .unwrap();
    u32::try_from(row.get::<_, i32>(0)).unwrap() / 10000
}

/// The fixture for a server of version `major`: a statement preceded by a `-- since N` line
/// (it ends at the first line ending in `;`) is left out below version N.
fn fixture_for(name: &str, major: u32) -> (String, bool) {
    let mut out = String::new();
    let mut complete = true;
    let mut skipping = false;
    for line in pgsql::lines(&fixture(name)) {
        if let Some(n) = line.trim().strip_prefix("-- since ") {
            skipping = major < n.trim().parse::<u32>().unwrap();
            complete &= !skipping;
            continue;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
        if line.trim_end().ends_with(';') {
            skipping = false;
        }
    }
    (out, complete)
}

/// Applies what of a fixture the server can hold.
async fn apply_fixture(db: &ScratchDatabase, name: &str) {
    let (sql, _) = fixture_for(name, server_major(db).await);
    db.client().batch_execute(&sql).await.unwrap();
}

/// The snapshots are rendered on PostgreSQL 15; the HCL of one schema is the same on every
/// version that can hold it, except for text the server writes itself: view bodies
/// (`pg_get_viewdef` stops qualifying single-table column references in 16) and the default
/// versions of contrib extensions. There the snapshot does not apply (the round trip and the
/// field checks still do).
fn assert_hcl_snapshot(ran: Ran, name: &str, hcl: &str) {
    let views = matches!(name, "views" | "identifiers") && ran.major >= 16;
    let extensions = matches!(name, "types" | "partitions") && ran.major != 15;
    if ran.complete && !views && !extensions {
        insta::assert_snapshot!(name, hcl);
    } else {
        eprintln!(
            "{name}: snapshot (PostgreSQL 15) not compared on {}",
            ran.major
        );
    }
}

/// Applies a fixture, inspects, and checks the round trip: the rendered HCL parses back to the
/// same model, and renders again byte for byte. Returns the model and its HCL.
async fn inspect_fixture(db: &ScratchDatabase, name: &str) -> (Database, String, Ran) {
    let major = server_major(db).await;
    let (sql, complete) = fixture_for(name, major);
    db.client().batch_execute(&sql).await.unwrap();
    let model = inspect(db.client(), &InspectOptions::default())
        .await
        .unwrap();
    let hcl = hclgen::render(&model);
    let parsed = hclgen::parse(&format!("{name}.hcl"), &hcl)
        .unwrap_or_else(|e| panic!("{name}: rendered HCL does not parse: {e:?}\n{hcl}"));
    assert_same_model(name, &parsed, &model);
    assert_eq!(
        hclgen::render(&parsed),
        hcl,
        "{name}: render(parse(hcl)) != hcl"
    );
    (model, hcl, Ran { major, complete })
}

/// `assert_eq!` on models, reporting the first differing line of their debug forms.
fn assert_same_model(name: &str, parsed: &Database, inspected: &Database) {
    if parsed == inspected {
        return;
    }
    let a = format!("{parsed:#?}");
    let b = format!("{inspected:#?}");
    let line = pgsql::lines(&a)
        .zip(pgsql::lines(&b))
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {i}: parsed `{x}` vs inspected `{y}`"))
        .unwrap_or_else(|| "lengths differ".to_owned());
    panic!("{name}: parse(render(inspected)) != inspected; first difference at {line}");
}

fn qn(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(schema, name)
}

#[test]
fn core_kinds() {
    with_db(async |scratch| {
        let (db, hcl, ran) = inspect_fixture(scratch, "core").await;
        assert_hcl_snapshot(ran, "core", &hcl);
        let schemas: Vec<_> = db.schemas.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(schemas, ["public", "shop"]);
        assert_eq!(db.schemas[1].comment.as_deref(), Some("the shop"));
        assert_eq!(db.enums.len(), 1);
        assert_eq!(db.enums[0].values, ["new", "paid", "shipped"]);
        // Tracking tables are left out; serial sequences and identity sequences are not listed.
        let tables: Vec<_> = db.tables.iter().map(|t| t.name.to_string()).collect();
        assert_eq!(
            tables,
            [
                "public.plain",
                "shop.customers",
                "shop.order_lines",
                "shop.orders"
            ]
        );
        assert!(db.sequences.is_empty(), "{:?}", db.sequences);

        let customers = db.table(&qn("shop", "customers")).unwrap();
        let col =
            |t: &hclgen::Table, n: &str| t.columns.iter().find(|c| c.name == n).unwrap().clone();
        assert_eq!(col(customers, "id").ty, Type::Serial(SerialWidth::Big));
        assert_eq!(col(customers, "id").default, None);
        assert_eq!(
            col(customers, "email").ty,
            Type::Sql("character varying(255)".into())
        );
        assert_eq!(col(customers, "email").comment.as_deref(), Some("login"));
        assert_eq!(col(customers, "name").collation.as_deref(), Some("C"));
        assert_eq!(
            col(customers, "created_at").ty,
            Type::Sql("timestamp(3) with time zone".into())
        );
        assert_eq!(
            col(customers, "created_at").default.as_deref(),
            Some("now()")
        );
        assert_eq!(
            col(customers, "tags").ty,
            Type::Array(Box::new(Type::Sql("text".into())))
        );
        assert_eq!(customers.uniques[0].columns, ["email"]);
        assert_eq!(customers.checks[0].expr, "(score >= 0::numeric)");
        let lower = &customers
            .indexes
            .iter()
            .find(|i| i.name == "customers_lower_email_idx")
            .unwrap();
        assert!(lower.unique);
        assert_eq!(
            lower.parts[0].key,
            IndexKey::Expr("lower(email::text)".into())
        );
        let name_idx = customers
            .indexes
            .iter()
            .find(|i| i.name == "customers_name_idx")
            .unwrap();
        assert_eq!(
            name_idx.parts[0].opclass.as_deref(),
            Some("text_pattern_ops")
        );
        assert_eq!(name_idx.parts[0].collation.as_deref(), Some("POSIX"));
        let tags_idx = customers
            .indexes
            .iter()
            .find(|i| i.name == "customers_tags_idx")
            .unwrap();
        assert_eq!(
            (tags_idx.method.as_str(), &tags_idx.parts[0].opclass),
            ("gin", &None)
        );

        let orders = db.table(&qn("shop", "orders")).unwrap();
        let id = col(orders, "id");
        let identity = id.identity.unwrap();
        assert!(identity.always);
        assert_eq!(
            (
                identity.options.start,
                identity.options.increment,
                identity.options.cache
            ),
            (100, 5, 10)
        );
        assert_eq!(identity.options.max_value, i64::from(i32::MAX));
        let status = qn("shop", "status");
        assert_eq!(
            col(orders, "status").ty,
            Type::Named {
                kind: TypeKind::Enum,
                name: status.clone()
            }
        );
        assert_eq!(
            col(orders, "statuses").ty,
            Type::Array(Box::new(Type::Named {
                kind: TypeKind::Enum,
                name: status
            }))
        );
        assert_eq!(
            col(orders, "total_with_tax").generated.as_deref(),
            Some("(total * 1.2)")
        );
        let pk = orders.primary_key.as_ref().unwrap();
        assert_eq!(
            (pk.columns.as_slice(), pk.include.as_slice()),
            (&["id".to_owned()][..], &["status".to_owned()][..])
        );
        let checks: Vec<_> = orders
            .checks
            .iter()
            .map(|c| (c.name.as_str(), c.expr.as_str(), c.no_inherit, c.not_valid))
            .collect();
        assert_eq!(
            checks,
            [
                ("always_true", "(true)", true, false),
                (
                    "no_columns",
                    "(now() > '2000-01-01 00:00:00+00'::timestamp with time zone)",
                    false,
                    false
                ),
                ("total_positive", "(total > 0::numeric)", false, true),
            ]
        );
        if ran.major >= 15 {
            let unique = &orders.uniques[0];
            assert!(unique.nulls_not_distinct);
            assert_eq!(unique.deferrable, Deferrable::InitiallyDeferred);
        }
        let fk = &orders.foreign_keys[0];
        assert_eq!(fk.ref_table, qn("shop", "customers"));
        assert_eq!(
            (fk.on_delete, fk.on_update),
            (FkAction::Cascade, FkAction::Restrict)
        );
        let idx = |n: &str| orders.indexes.iter().find(|i| i.name == n).unwrap().clone();
        let by_customer = idx("orders_customer_idx");
        assert!(by_customer.parts[0].desc && !by_customer.parts[0].nulls_first);
        assert!(!by_customer.parts[1].desc);
        assert_eq!(idx("orders_note_idx").method, "hash");
        assert_eq!(
            idx("orders_open_idx").predicate.as_deref(),
            Some("(status <> 'shipped'::shop.status)")
        );
        let total = idx("orders_total_idx");
        assert!(total.parts[0].nulls_first);
        assert_eq!(total.include, ["note"]);
        assert_eq!(total.with, ["fillfactor=70"]);
        assert_eq!(total.comment.as_deref(), Some("totals"));
        let expr: Vec<_> = idx("orders_expr_idx")
            .parts
            .into_iter()
            .map(|p| p.key)
            .collect();
        assert_eq!(
            expr,
            [
                IndexKey::Expr("total + 1::numeric".into()),
                IndexKey::Expr("note || 'x'::text".into())
            ]
        );
        // Indexes backing constraints are not listed as indexes.
        assert!(orders.indexes.iter().all(|i| i.name != "orders_pkey"));

        let lines = db.table(&qn("shop", "order_lines")).unwrap();
        assert_eq!(col(lines, "line").ty, Type::Serial(SerialWidth::Small));
        let fk = &lines.foreign_keys[0];
        assert!(fk.match_full);
        assert_eq!(fk.on_delete, FkAction::SetNull);
        assert_eq!(fk.deferrable, Deferrable::InitiallyImmediate);
        assert_eq!(fk.comment.as_deref(), Some("lines belong to orders"));
    });
}

#[test]
fn types_domains_composites_ranges_extensions() {
    with_db(async |scratch| {
        let (db, hcl, ran) = inspect_fixture(scratch, "types").await;
        assert_hcl_snapshot(ran, "types", &hcl);
        let ext: Vec<_> = db.extensions.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(ext, ["btree_gist", "citext"]);
        assert_eq!(
            db.extensions[1].comment.as_deref(),
            Some("case-insensitive text")
        );
        // Objects owned by extensions (citext's functions and types) are not listed.
        assert!(db.functions.is_empty(), "{:?}", db.functions);
        let positive = db
            .domains
            .iter()
            .find(|d| d.name.name == "positive_int")
            .unwrap();
        assert_eq!(positive.ty, Type::Sql("integer".into()));
        assert!(positive.not_null);
        assert_eq!(positive.default.as_deref(), Some("1"));
        let checks: Vec<_> = positive
            .checks
            .iter()
            .map(|c| (c.name.as_str(), c.expr.as_str()))
            .collect();
        assert_eq!(
            checks,
            [("positive", "(VALUE > 0)"), ("small", "(VALUE < 1000000)")]
        );
        let email = db.domains.iter().find(|d| d.name.name == "email").unwrap();
        assert_eq!(email.ty, Type::Sql("public.citext".into()));
        assert_eq!(email.collation.as_deref(), Some("C"));
        let codes = db.domains.iter().find(|d| d.name.name == "codes").unwrap();
        assert_eq!(
            codes.ty,
            Type::Array(Box::new(Type::Sql("character varying(10)".into())))
        );
        let address = &db.composites[0];
        let fields: Vec<_> = address.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(fields, ["street", "city", "zip"]);
        assert_eq!(address.fields[1].collation.as_deref(), Some("C"));
        assert_eq!(address.fields[1].comment.as_deref(), Some("town"));
        assert_eq!(
            address.fields[2].ty,
            Type::Named {
                kind: TypeKind::Domain,
                name: qn("public", "positive_int")
            }
        );
        let floatrange = db
            .ranges
            .iter()
            .find(|r| r.name.name == "floatrange")
            .unwrap();
        assert_eq!(floatrange.subtype, Type::Sql("double precision".into()));
        assert_eq!(floatrange.subtype_diff.as_deref(), Some("float8mi"));
        let multirange = (ran.major >= 14).then_some("floatmultirange");
        assert_eq!(floatrange.multirange.as_deref(), multirange);
        let textrange = db
            .ranges
            .iter()
            .find(|r| r.name.name == "textrange")
            .unwrap();
        assert_eq!(
            textrange.subtype_opclass.as_deref(),
            Some("text_pattern_ops")
        );
        let people = db.table(&qn("public", "people")).unwrap();
        let ty = |n: &str| {
            people
                .columns
                .iter()
                .find(|c| c.name == n)
                .unwrap()
                .ty
                .clone()
        };
        assert_eq!(
            ty("mail"),
            Type::Named {
                kind: TypeKind::Domain,
                name: qn("public", "email")
            }
        );
        assert_eq!(
            ty("homes"),
            Type::Array(Box::new(Type::Named {
                kind: TypeKind::Composite,
                name: qn("public", "address")
            }))
        );
        assert_eq!(ty("nick"), Type::Sql("public.citext".into()));
    });
}

#[test]
fn sequences_and_identity() {
    with_db(async |scratch| {
        let (db, hcl, ran) = inspect_fixture(scratch, "sequences").await;
        assert_hcl_snapshot(ran, "sequences", &hcl);
        let names: Vec<_> = db.sequences.iter().map(|s| s.name.name.as_str()).collect();
        // The identity sequence of `events` is folded into its column; the altered serial's
        // sequence stays, as do standalone and OWNED BY sequences.
        assert_eq!(
            names,
            [
                "counter",
                "invoices_id_seq",
                "plain_seq",
                "tickets_code_seq"
            ]
        );
        let counter = &db.sequences[0];
        assert_eq!(counter.ty, Type::Sql("smallint".into()));
        let o = counter.options;
        assert_eq!(
            (
                o.start,
                o.increment,
                o.min_value,
                o.max_value,
                o.cache,
                o.cycle
            ),
            (10, -2, -100, 100, 5, true)
        );
        assert_eq!(counter.comment.as_deref(), Some("counts down"));
        let owned = db.sequences[3].owned_by.clone().unwrap();
        assert_eq!(
            (owned.table, owned.column.as_str()),
            (qn("public", "tickets"), "code")
        );
        let invoices = db.table(&qn("public", "invoices")).unwrap();
        assert_eq!(invoices.columns[0].ty, Type::Sql("integer".into()));
        assert_eq!(
            invoices.columns[0].default.as_deref(),
            Some("nextval('public.invoices_id_seq'::regclass)")
        );
        let events = db.table(&qn("public", "events")).unwrap();
        let identity = events.columns[0].identity.clone().unwrap();
        assert!(!identity.always);
        let o = identity.options;
        assert_eq!(
            (
                o.start,
                o.increment,
                o.min_value,
                o.max_value,
                o.cache,
                o.cycle
            ),
            (5, 3, 5, 5000, 2, true)
        );
    });
}

#[test]
fn partitions_inheritance_rls_exclusions() {
    with_db(async |scratch| {
        let (db, hcl, ran) = inspect_fixture(scratch, "partitions").await;
        assert_hcl_snapshot(ran, "partitions", &hcl);
        let t = |n: &str| db.table(&qn("public", n)).unwrap().clone();
        let parent = t("measurements");
        let key = parent.partition_by.clone().unwrap();
        assert_eq!(key.strategy, PartitionStrategy::Range);
        assert_eq!(key.parts[0].key, IndexKey::Column("taken_on".into()));
        assert_eq!(parent.indexes[0].name, "measurements_city_idx");
        let part = t("measurements_2024");
        let of = part.partition_of.clone().unwrap();
        assert_eq!(of.parent, qn("public", "measurements"));
        assert_eq!(of.bound, "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
        assert!(part.columns.iter().all(|c| c.inherited));
        // Constraints and indexes cloned from the parent are the parent's, not the partition's.
        assert!(part.primary_key.is_none() && part.indexes.is_empty());
        assert_eq!(
            t("measurements_default").partition_of.unwrap().bound,
            "DEFAULT"
        );
        let list = t("by_list").partition_by.unwrap();
        assert_eq!(list.strategy, PartitionStrategy::List);
        assert_eq!(list.parts[0].key, IndexKey::Expr("lower(code)".into()));
        assert_eq!(
            t("by_hash_1").partition_of.unwrap().bound,
            "FOR VALUES WITH (modulus 2, remainder 1)"
        );
        let derived = t("derived");
        assert_eq!(
            derived.inherits,
            [qn("public", "base"), qn("public", "other_base")]
        );
        let cols: Vec<_> = derived
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.inherited))
            .collect();
        assert_eq!(
            cols,
            [
                ("id", true),
                ("created", true),
                ("extra", true),
                ("note", false)
            ]
        );
        assert!(
            derived.checks.is_empty(),
            "inherited CHECK belongs to the parent"
        );
        assert!(t("cache").unlogged);
        let docs = t("docs");
        assert!(docs.rls_enabled && docs.rls_forced);
        let policies: Vec<_> = db
            .policies
            .iter()
            .map(|p| (p.name.as_str(), p.permissive, p.command, p.roles.clone()))
            .collect();
        assert_eq!(
            policies,
            [
                (
                    "no_empty",
                    false,
                    PolicyCommand::Insert,
                    vec!["postgres".to_owned()]
                ),
                (
                    "owner_reads",
                    true,
                    PolicyCommand::Select,
                    vec!["public".to_owned()]
                ),
            ]
        );
        assert_eq!(
            db.policies[1].using.as_deref(),
            Some("(owner = CURRENT_USER)")
        );
        assert_eq!(db.policies[0].check.as_deref(), Some("(body <> ''::text)"));
        assert_eq!(db.policies[1].comment.as_deref(), Some("only your own"));
        let ex = &t("bookings").exclusions[0];
        assert_eq!(
            (ex.name.as_str(), ex.method.as_str()),
            ("no_overlap", "gist")
        );
        let elements: Vec<_> = ex
            .elements
            .iter()
            .map(|e| (e.part.key.clone(), e.operator.as_str()))
            .collect();
        assert_eq!(
            elements,
            [
                (IndexKey::Column("room".into()), "="),
                (IndexKey::Column("during".into()), "&&")
            ]
        );
        assert_eq!(ex.predicate.as_deref(), Some("(room > 0)"));
        assert_eq!(ex.deferrable, Deferrable::InitiallyDeferred);
    });
}

#[test]
fn views_and_dependencies() {
    with_db(async |scratch| {
        let (db, hcl, ran) = inspect_fixture(scratch, "views").await;
        assert_hcl_snapshot(ran, "views", &hcl);
        let v = |n: &str| db.views.iter().find(|v| v.name.name == n).unwrap().clone();
        let open = v("open_accounts");
        assert!(!open.materialized && open.security_barrier && !open.security_invoker);
        assert_eq!(open.check_option, Some(CheckOption::Cascaded));
        // 16's pg_get_viewdef no longer qualifies columns of a single-table query.
        let first = if ran.major >= 16 {
            "SELECT id,"
        } else {
            "SELECT accounts.id,"
        };
        assert!(open.definition.starts_with(first), "{}", open.definition);
        assert!(!open.definition.ends_with(';'));
        let cols: Vec<_> = open
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.ty.clone()))
            .collect();
        assert_eq!(
            cols,
            [
                ("id", Type::Sql("integer".into())),
                ("name", Type::Sql("text".into())),
                ("shown", Type::Sql("text".into()))
            ]
        );
        assert_eq!(open.columns[2].comment.as_deref(), Some("formatted"));
        assert_eq!(open.comment.as_deref(), Some("not closed"));
        let accounts = qn("public", "accounts");
        let column = |c: &str| {
            Dependency::Column(ColumnRef {
                table: accounts.clone(),
                column: c.into(),
            })
        };
        assert_eq!(
            open.depends_on,
            [
                Dependency::Table(accounts.clone()),
                column("balance"),
                column("closed"),
                column("id"),
                column("name"),
                Dependency::Function(FunctionRef {
                    name: qn("public", "fmt_balance"),
                    args: "numeric".into()
                }),
            ]
        );
        if ran.major >= 15 {
            let names = v("names");
            assert!(names.security_invoker);
            assert_eq!(
                names.depends_on,
                [
                    Dependency::Column(ColumnRef {
                        table: qn("public", "open_accounts"),
                        column: "name".into()
                    }),
                    Dependency::View(qn("public", "open_accounts")),
                ]
            );
        }
        assert_eq!(v("local_check").check_option, Some(CheckOption::Local));
        let totals = v("totals");
        assert!(totals.materialized);
        assert_eq!(totals.indexes[0].name, "totals_closed_idx");
        assert!(totals.indexes[0].unique);
        assert_eq!(totals.comment.as_deref(), Some("sums"));
    });
}

#[test]
fn functions_procedures_triggers() {
    with_db(async |scratch| {
        let (db, hcl, ran) = inspect_fixture(scratch, "functions").await;
        assert_hcl_snapshot(ran, "functions", &hcl);
        let f = |n: &str| {
            db.functions
                .iter()
                .find(|f| f.name.name == n)
                .unwrap()
                .clone()
        };
        let add = f("add");
        let args: Vec<_> = add
            .args
            .iter()
            .map(|a| (a.name.as_str(), a.mode, a.default.as_deref()))
            .collect();
        assert_eq!(
            args,
            [
                ("a", ArgMode::In, None),
                ("b", ArgMode::In, Some("1")),
                ("rest", ArgMode::Variadic, Some("'{}'::integer[]"))
            ]
        );
        assert_eq!(
            add.returns,
            Some(Returns::Type {
                ty: Type::Sql("integer".into()),
                setof: false
            })
        );
        assert_eq!(
            (add.volatility, add.strict, add.parallel, add.cost),
            (Volatility::Immutable, true, Parallel::Safe, 5.0)
        );
        assert_eq!(add.identity().args, "integer, integer, integer[]");
        assert_eq!(add.comment.as_deref(), Some("adds"));
        let split = f("split");
        let modes: Vec<_> = split.args.iter().map(|a| a.mode).collect();
        assert_eq!(modes, [ArgMode::In, ArgMode::Out, ArgMode::InOut]);
        assert_eq!(split.language, "plpgsql");
        let moods = f("moods");
        assert_eq!(
            moods.returns,
            Some(Returns::Type {
                ty: Type::Named {
                    kind: TypeKind::Enum,
                    name: qn("public", "mood")
                },
                setof: true
            })
        );
        assert_eq!(moods.rows, 2.0);
        assert_eq!(moods.depends_on, [Dependency::Type(qn("public", "mood"))]);
        let listing = f("listing");
        assert_eq!(listing.returns, Some(Returns::Table));
        assert!(listing.security_definer);
        assert_eq!(listing.config, ["search_path=pg_catalog, public"]);
        if ran.major >= 14 {
            let leaky = f("leaky");
            assert!(leaky.leakproof);
            assert_eq!(leaky.parallel, Parallel::Restricted);
            assert!(leaky.body.starts_with("BEGIN ATOMIC"), "{}", leaky.body);
        }
        assert_eq!(f("reset").kind, FunctionKind::Procedure);
        assert_eq!(f("reset").returns, None);
        assert_eq!(f("touch").returns, Some(Returns::Trigger));

        // Internal FK triggers of item_notes are not listed.
        let names: Vec<_> = db.triggers.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["items_batch", "items_check", "items_log", "items_touch"]
        );
        let t = |n: &str| db.triggers.iter().find(|t| t.name == n).unwrap().clone();
        let touch = t("items_touch");
        assert_eq!(touch.timing, TriggerTiming::Before);
        assert_eq!(touch.events, [TriggerEvent::Insert, TriggerEvent::Update]);
        assert_eq!(touch.update_of, ["name", "mood"]);
        assert!(touch.for_each_row);
        assert_eq!(touch.when.as_deref(), Some("new.name IS NOT NULL"));
        assert_eq!(
            touch.function,
            FunctionRef {
                name: qn("public", "touch"),
                args: String::new()
            }
        );
        assert_eq!(touch.comment.as_deref(), Some("keeps updated_at"));
        let log = t("items_log");
        assert_eq!(log.events, [TriggerEvent::Delete, TriggerEvent::Truncate]);
        assert_eq!(log.args, ["a", "b c"]);
        assert!(!log.for_each_row);
        let batch = t("items_batch");
        assert_eq!(
            (batch.old_table.as_deref(), batch.new_table.as_deref()),
            (Some("old_rows"), Some("new_rows"))
        );
        assert_eq!(batch.enabled, TriggerEnabled::Disabled);
        assert_eq!(
            t("items_check").constraint,
            Some(Deferrable::InitiallyDeferred)
        );
    });
}

#[test]
fn quoted_mixed_case_unicode_identifiers() {
    with_db(async |scratch| {
        let (db, hcl, ran) = inspect_fixture(scratch, "identifiers").await;
        assert_hcl_snapshot(ran, "identifiers", &hcl);
        let schema = "Sales Ω";
        assert!(db.schemas.iter().any(|s| s.name == schema));
        assert_eq!(db.enums[0].name, qn(schema, "Größe"));
        assert_eq!(db.enums[0].values, ["S", "M", "it's"]);
        let order = db.table(&qn(schema, "Order")).unwrap();
        let cols: Vec<_> = order.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(cols, ["Id", "user", "naïve \"quoted\"", "select"]);
        assert_eq!(order.columns[0].ty, Type::Serial(SerialWidth::Regular));
        assert_eq!(order.checks[0].expr, "(\"select\" >= 0)");
        assert_eq!(order.indexes[0].name, "Order ☃ idx");
        assert_eq!(
            order.indexes[0].parts[1].key,
            IndexKey::Expr("lower(\"user\")".into())
        );
        let line = db.table(&qn(schema, "línea")).unwrap();
        assert_eq!(line.foreign_keys[0].ref_table, qn(schema, "Order"));
        assert_eq!(db.views[0].name, qn(schema, "Big Orders"));
    });
}

#[test]
fn schema_filter_and_exclude_globs() {
    with_db(async |scratch| {
        apply_fixture(scratch, "core").await;
        let only_shop = InspectOptions {
            schemas: vec!["shop".into()],
            exclude: vec![],
            ..InspectOptions::default()
        };
        let db = inspect(scratch.client(), &only_shop).await.unwrap();
        let schemas: Vec<_> = db.schemas.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(schemas, ["shop"]);
        assert!(db.tables.iter().all(|t| t.name.schema == "shop"));
        let exclude = InspectOptions {
            schemas: vec![],
            exclude: vec!["order*".into(), "public.plain".into()],
            ..InspectOptions::default()
        };
        let db = inspect(scratch.client(), &exclude).await.unwrap();
        let tables: Vec<_> = db.tables.iter().map(|t| t.name.to_string()).collect();
        assert_eq!(tables, ["shop.customers"]);
        // A foreign key into a schema that is not inspected still names its columns.
        scratch
            .client()
            .batch_execute(
                "CREATE TABLE public.notes (customer bigint REFERENCES shop.customers (id), \
                 line int, ord int, FOREIGN KEY (ord, line) REFERENCES shop.order_lines)",
            )
            .await
            .unwrap();
        let only_public = InspectOptions {
            schemas: vec!["public".into()],
            exclude: vec![],
            ..InspectOptions::default()
        };
        let db = inspect(scratch.client(), &only_public).await.unwrap();
        let notes = db.table(&qn("public", "notes")).unwrap();
        let fks: Vec<_> = notes
            .foreign_keys
            .iter()
            .map(|fk| {
                (
                    fk.columns.clone(),
                    fk.ref_table.to_string(),
                    fk.ref_columns.clone(),
                )
            })
            .collect();
        assert_eq!(
            fks,
            [
                (
                    vec!["customer".to_owned()],
                    "shop.customers".to_owned(),
                    vec!["id".to_owned()]
                ),
                (
                    vec!["ord".to_owned(), "line".to_owned()],
                    "shop.order_lines".to_owned(),
                    vec!["order_id".to_owned(), "line".to_owned()]
                ),
            ]
        );
        let bad = InspectOptions {
            schemas: vec![],
            exclude: vec!["[".into()],
            ..InspectOptions::default()
        };
        assert!(matches!(
            inspect(scratch.client(), &bad).await,
            Err(hclgen::InspectError::Exclude { .. })
        ));
    });
}

/// A checksum of the catalog rows a write would touch (relations, columns, types, functions,
/// constraints, comments, namespaces), read from a separate connection.
async fn catalog_checksum(client: &tokio_postgres::Client) -> String {
    let sql = "SELECT md5(concat_ws('|',
        (SELECT string_agg(concat_ws(',', oid, relname, relkind, relnamespace, relfilenode, reloptions),
                           ';' ORDER BY oid) FROM pg_class),
        (SELECT string_agg(concat_ws(',', attrelid, attnum, attname, atttypid, attnotnull),
                           ';' ORDER BY attrelid, attnum) FROM pg_attribute),
        (SELECT string_agg(concat_ws(',', oid, typname), ';' ORDER BY oid) FROM pg_type),
        (SELECT string_agg(concat_ws(',', oid, proname, prosrc), ';' ORDER BY oid) FROM pg_proc),
        (SELECT string_agg(concat_ws(',', oid, conname), ';' ORDER BY oid) FROM pg_constraint),
        (SELECT string_agg(concat_ws(',', objoid, objsubid, description), ';' ORDER BY objoid, objsubid)
           FROM pg_description),
        (SELECT string_agg(concat_ws(',', oid, nspname), ';' ORDER BY oid) FROM pg_namespace)))";
    client.query_one(sql, &[]).await.unwrap().get(0)
}

/// Row-change counters of this database: inserts, updates, deletes (pg_stat_database).
async fn tuple_counters(client: &tokio_postgres::Client) -> (i64, i64, i64) {
    client
        .batch_execute("SELECT pg_stat_clear_snapshot()")
        .await
        .unwrap();
    let row = client
        .query_one(
            "SELECT tup_inserted, tup_updated, tup_deleted FROM pg_stat_database
             WHERE datname = current_database()",
            &[],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1), row.get(2))
}

#[test]
fn inspect_command_leaves_the_server_untouched() {
    with_db(async |scratch| {
        apply_fixture(scratch, "core").await;
        apply_fixture(scratch, "functions").await;
        // Our own checking connection: its queries write nothing either.
        let (observer, conn) = scratch
            .connection_config()
            .connect(tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        // Backends flush their statistics lazily (up to 10 s later when idle): force the
        // fixture's out now, so that nothing pending lands between the two readings.
        // Before 15 a stats collector process gets them, at most every 500 ms: wait that out,
        // end a transaction, and give the collector time to read the message.
        let flush = if server_major(scratch).await >= 15 {
            "SELECT pg_stat_force_next_flush()"
        } else {
            "SELECT pg_sleep(0.6)"
        };
        scratch.client().batch_execute(flush).await.unwrap();
        scratch.client().batch_execute("SELECT 1").await.unwrap();
        if server_major(scratch).await < 15 {
            tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        }
        let checksum_before = catalog_checksum(&observer).await;
        let counters_before = tuple_counters(&observer).await;

        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("live.hcl");
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_dbmigration"))
            .arg("inspect")
            .arg(scratch.connection_string())
            .arg("-o")
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
        let written = std::fs::read_to_string(&out).unwrap();
        let expected = hclgen::render(
            &inspect(scratch.client(), &InspectOptions::default())
                .await
                .unwrap(),
        );
        assert_eq!(written, expected);

        // The inspect process has exited, so its statistics are flushed.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        assert_eq!(catalog_checksum(&observer).await, checksum_before);
        assert_eq!(tuple_counters(&observer).await, counters_before);
    });
}

#[test]
fn inspect_command_flags_and_errors() {
    with_db(async |scratch| {
        apply_fixture(scratch, "core").await;
        let run = |extra: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_dbmigration"))
                .arg("inspect")
                .arg(scratch.connection_string())
                .args(extra)
                .env("NO_COLOR", "1")
                .output()
                .unwrap()
        };
        let out = run(&["--schema", "shop", "--exclude", "order_*"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let options = InspectOptions {
            schemas: vec!["shop".into()],
            exclude: vec!["order_*".into()],
            ..InspectOptions::default()
        };
        let expected = hclgen::render(&inspect(scratch.client(), &options).await.unwrap());
        assert_eq!(stdout, expected);
        assert!(!stdout.contains("order_lines") && stdout.contains("customers"));

        let bad_glob = run(&["--exclude", "["]);
        assert_eq!(bad_glob.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&bad_glob.stderr).contains("invalid exclude pattern"));
    });
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_dbmigration"))
        .args(["inspect", "host=/nonexistent/dir dbname=x user=nobody"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("cannot connect to /nonexistent/dir"),
        "{stderr}"
    );
}

/// Counts the statements a client sends by sitting between it and the server on a Unix socket
/// and reading the frontend protocol: `Q` (simple query) and `P` (parse, extended protocol).
async fn counting_proxy(
    config: &tokio_postgres::Config,
) -> (tokio_postgres::Config, Arc<AtomicUsize>, tempfile::TempDir) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_postgres::config::Host;
    let Some(Host::Unix(server_dir)) = config.get_hosts().first().cloned() else {
        panic!("the scratch cluster listens on a Unix socket");
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let server_socket = server_dir.join(format!(".s.PGSQL.{port}"));
    let dir = tempfile::tempdir().unwrap();
    let listener =
        tokio::net::UnixListener::bind(dir.path().join(format!(".s.PGSQL.{port}"))).unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        let (client, _) = listener.accept().await.unwrap();
        let server = tokio::net::UnixStream::connect(&server_socket)
            .await
            .unwrap();
        let (mut client_read, mut client_write) = client.into_split();
        let (mut server_read, mut server_write) = server.into_split();
        tokio::spawn(async move {
            let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        });
        // Startup message: length-prefixed, no type byte. Then typed messages.
        let len = client_read.read_i32().await.unwrap();
        let mut body = vec![0; usize::try_from(len).unwrap() - 4];
        client_read.read_exact(&mut body).await.unwrap();
        server_write.write_i32(len).await.unwrap();
        server_write.write_all(&body).await.unwrap();
        while let Ok(kind) = client_read.read_u8().await {
            let len = client_read.read_i32().await.unwrap();
            let mut body = vec![0; usize::try_from(len).unwrap() - 4];
            client_read.read_exact(&mut body).await.unwrap();
            if kind == b'Q' || kind == b'P' {
                counted.fetch_add(1, Ordering::SeqCst);
            }
            server_write.write_u8(kind).await.unwrap();
            server_write.write_i32(len).await.unwrap();
            if server_write.write_all(&body).await.is_err() {
                break;
            }
        }
    });
    // Config keeps a list of hosts, so build a new one pointing at the proxy only.
    let mut fresh = tokio_postgres::Config::new();
    fresh.host_path(dir.path()).port(port);
    if let Some(user) = config.get_user() {
        fresh.user(user);
    }
    if let Some(db) = config.get_dbname() {
        fresh.dbname(db);
    }
    (fresh, count, dir)
}

async fn statements_for_one_inspect(scratch: &ScratchDatabase) -> usize {
    let (config, count, _dir) = counting_proxy(&scratch.connection_config()).await;
    let (client, conn) = config.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let before = count.load(Ordering::SeqCst);
    inspect(&client, &InspectOptions::default()).await.unwrap();
    count.load(Ordering::SeqCst) - before
}

#[test]
fn number_of_queries_does_not_grow_with_tables() {
    with_db(async |scratch| {
        apply_fixture(scratch, "core").await;
        let small = statements_for_one_inspect(scratch).await;
        let mut many = String::new();
        for i in 0..200 {
            many.push_str(&format!(
                "CREATE TABLE public.t{i} (id int PRIMARY KEY, v text CHECK (v <> ''), ref int REFERENCES public.t{i} (id));
                 CREATE INDEX t{i}_v_idx ON public.t{i} (v);
                 CREATE VIEW public.v{i} AS SELECT id, v FROM public.t{i};\n"
            ));
        }
        scratch.client().batch_execute(&many).await.unwrap();
        let large = statements_for_one_inspect(scratch).await;
        assert_eq!(small, large);
        assert_eq!(
            large,
            hclgen::inspect::QUERIES.len() + hclgen::inspect::STATEMENTS_AROUND_QUERIES
        );
    });
}

#[test]
fn privileges_owners_and_leaving_them_out() {
    with_db(async |scratch| {
        scratch
            .client()
            .batch_execute(
                "DO $$ BEGIN CREATE ROLE inspect_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
                 DO $$ BEGIN CREATE ROLE inspect_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
                 CREATE TABLE public.t (id int, secret text);
                 GRANT SELECT (id) ON public.t TO inspect_reader;
                 GRANT INSERT ON public.t TO inspect_reader WITH GRANT OPTION;
                 ALTER TABLE public.t OWNER TO inspect_owner;
                 CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
                 REVOKE EXECUTE ON FUNCTION public.f() FROM PUBLIC;",
            )
            .await
            .unwrap();
        let db = inspect(scratch.client(), &InspectOptions::default())
            .await
            .unwrap();
        let t = QualifiedName::new("public", "t");
        let reader = Grantee::Role("inspect_reader".into());
        assert_eq!(
            db.permissions,
            vec![
                Permission {
                    object: ObjectRef::Table(t.clone()),
                    grantee: reader.clone(),
                    privilege: Privilege::Insert,
                    grantable: true,
                    revoked: false,
                },
                Permission {
                    object: ObjectRef::Column(ColumnRef {
                        table: t.clone(),
                        column: "id".into(),
                    }),
                    grantee: reader,
                    privilege: Privilege::Select,
                    grantable: false,
                    revoked: false,
                },
                Permission {
                    object: ObjectRef::Function(FunctionRef {
                        name: QualifiedName::new("public", "f"),
                        args: String::new(),
                    }),
                    grantee: Grantee::Public,
                    privilege: Privilege::Execute,
                    grantable: false,
                    revoked: true,
                },
            ]
        );
        assert_eq!(
            db.owners,
            vec![Owner {
                object: ObjectRef::Table(t),
                role: "inspect_owner".into(),
            }]
        );
        let run = |extra: &[&str]| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_dbmigration"))
                .arg("inspect")
                .arg(scratch.connection_string())
                .args(extra)
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        };
        let all = run(&[]);
        assert!(
            all.contains("permission {") && all.contains("owner {"),
            "{all}"
        );
        let no_privileges = run(&["--no-privileges"]);
        assert!(!no_privileges.contains("permission {") && no_privileges.contains("owner {"));
        let neither = run(&["--no-privileges", "--no-owners"]);
        assert!(!neither.contains("permission {") && !neither.contains("owner {"));
        // What is left is exactly the schema without them.
        let bare = InspectOptions {
            privileges: false,
            owners: false,
            ..InspectOptions::default()
        };
        let expected = hclgen::render(&inspect(scratch.client(), &bare).await.unwrap());
        assert_eq!(neither, expected);
    });
}
