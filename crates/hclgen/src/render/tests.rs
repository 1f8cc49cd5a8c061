//! Snapshot of a realistic hand-built model (a shop), and its exact round trip.

use crate::model::*;
use crate::{parse, render};

fn qn(s: &str, n: &str) -> QualifiedName {
    QualifiedName::new(s, n)
}

fn col(name: &str, ty: Type, nullable: bool) -> Column {
    Column {
        name: name.into(),
        ty,
        nullable,
        ..Column::default()
    }
}

fn sql(t: &str) -> Type {
    Type::Sql(t.into())
}

fn part(c: &str) -> IndexPart {
    IndexPart {
        key: IndexKey::Column(c.into()),
        ..IndexPart::default()
    }
}

pub(crate) fn shop() -> Database {
    let status = Type::Named {
        kind: TypeKind::Enum,
        name: qn("public", "order_status"),
    };
    let customers = Table {
        name: qn("public", "customers"),
        columns: vec![
            Column {
                identity: Some(Identity {
                    always: true,
                    options: SequenceOptions::defaults_for("bigint"),
                }),
                ..col("id", sql("bigint"), false)
            },
            Column {
                comment: Some("login e-mail, \"unique\"".into()),
                ..col(
                    "email",
                    Type::Named {
                        kind: TypeKind::Domain,
                        name: qn("public", "email"),
                    },
                    false,
                )
            },
            Column {
                default: Some("''::text".into()),
                collation: Some("C".into()),
                ..col("name", sql("text"), false)
            },
            Column {
                default: Some("now()".into()),
                ..col("created_at", sql("timestamp with time zone"), false)
            },
        ],
        primary_key: Some(PrimaryKey {
            name: "customers_pkey".into(),
            columns: vec!["id".into()],
            ..PrimaryKey::default()
        }),
        uniques: vec![UniqueConstraint {
            name: "customers_email_key".into(),
            columns: vec!["email".into()],
            ..UniqueConstraint::default()
        }],
        indexes: vec![Index {
            name: "customers_lower_name_idx".into(),
            method: "btree".into(),
            parts: vec![IndexPart {
                key: IndexKey::Expr("lower(name)".into()),
                ..IndexPart::default()
            }],
            ..Index::default()
        }],
        rls_enabled: true,
        comment: Some("people who buy things".into()),
        ..Table::default()
    };
    let orders = Table {
        name: qn("public", "orders"),
        columns: vec![
            col("id", Type::Serial(SerialWidth::Big), false),
            col("customer_id", sql("bigint"), false),
            Column {
                default: Some("'new'::public.order_status".into()),
                ..col("status", status.clone(), false)
            },
            Column {
                default: Some("0".into()),
                ..col("total", sql("numeric(10,2)"), false)
            },
            Column {
                generated: Some("(total * 1.2)".into()),
                ..col("total_gross", sql("numeric"), true)
            },
            col("note", sql("character varying(255)"), true),
            col("tags", Type::Array(Box::new(sql("text"))), true),
            Column {
                default: Some("now()".into()),
                ..col("updated_at", sql("timestamp(3) with time zone"), false)
            },
        ],
        primary_key: Some(PrimaryKey {
            name: "orders_pkey".into(),
            columns: vec!["id".into()],
            ..PrimaryKey::default()
        }),
        foreign_keys: vec![ForeignKey {
            name: "orders_customer_id_fkey".into(),
            columns: vec!["customer_id".into()],
            ref_table: qn("public", "customers"),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::Cascade,
            ..ForeignKey::default()
        }],
        indexes: vec![
            Index {
                name: "orders_open_idx".into(),
                method: "btree".into(),
                parts: vec![IndexPart {
                    desc: true,
                    nulls_first: true,
                    ..part("updated_at")
                }],
                predicate: Some("(status <> 'done'::public.order_status)".into()),
                ..Index::default()
            },
            Index {
                name: "orders_tags_idx".into(),
                method: "gin".into(),
                parts: vec![part("tags")],
                ..Index::default()
            },
        ],
        checks: vec![
            Check {
                name: "orders_always_true".into(),
                expr: "(1 = 1)".into(),
                ..Check::default()
            },
            Check {
                name: "orders_total_check".into(),
                expr: "(total >= (0)::numeric)".into(),
                ..Check::default()
            },
        ],
        ..Table::default()
    };
    let measurements = Table {
        name: qn("public", "measurements"),
        columns: vec![
            col("taken_on", sql("date"), false),
            col("value", sql("double precision"), true),
        ],
        partition_by: Some(PartitionKey {
            strategy: PartitionStrategy::Range,
            parts: vec![part("taken_on")],
        }),
        ..Table::default()
    };
    let partition = |year: i32| Table {
        name: qn("public", &format!("measurements_{year}")),
        columns: vec![
            Column {
                inherited: true,
                ..col("taken_on", sql("date"), false)
            },
            Column {
                inherited: true,
                ..col("value", sql("double precision"), true)
            },
        ],
        partition_of: Some(PartitionOf {
            parent: qn("public", "measurements"),
            bound: format!("FOR VALUES FROM ('{year}-01-01') TO ('{}-01-01')", year + 1),
        }),
        ..Table::default()
    };
    let mut db = Database {
        schemas: vec![Schema {
            name: "public".into(),
            comment: Some("standard public schema".into()),
        }],
        extensions: vec![Extension {
            name: "pgcrypto".into(),
            schema: "public".into(),
            version: "1.3".into(),
            comment: Some("cryptographic functions".into()),
        }],
        enums: vec![Enum {
            name: qn("public", "order_status"),
            values: vec!["new".into(), "paid".into(), "done".into()],
            comment: None,
        }],
        domains: vec![Domain {
            name: qn("public", "email"),
            ty: sql("text"),
            not_null: false,
            checks: vec![Check {
                name: "email_check".into(),
                expr: "(VALUE ~~ '%@%'::text)".into(),
                ..Check::default()
            }],
            ..Domain::default()
        }],
        sequences: vec![Sequence {
            name: qn("public", "invoice_no"),
            ty: sql("bigint"),
            options: SequenceOptions {
                start: 1000,
                cache: 10,
                ..SequenceOptions::defaults_for("bigint")
            },
            owned_by: None,
            comment: None,
        }],
        tables: vec![customers, orders, measurements, partition(2024), partition(2025)],
        views: vec![View {
            name: qn("public", "open_orders"),
            definition: "SELECT o.id,\n    o.customer_id,\n    o.total\n   FROM public.orders o\n  WHERE (o.status <> 'done'::public.order_status)".into(),
            columns: vec![
                ViewColumn { name: "id".into(), ty: sql("bigint"), comment: None },
                ViewColumn { name: "customer_id".into(), ty: sql("bigint"), comment: None },
                ViewColumn { name: "total".into(), ty: sql("numeric(10,2)"), comment: None },
            ],
            depends_on: vec![
                Dependency::Column(ColumnRef { table: qn("public", "orders"), column: "id".into() }),
                Dependency::Table(qn("public", "orders")),
            ],
            ..View::default()
        }],
        functions: vec![Function {
            name: qn("public", "touch_updated_at"),
            kind: FunctionKind::Function,
            returns: Some(Returns::Trigger),
            language: "plpgsql".into(),
            body: "\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n".into(),
            cost: 100.0,
            ..Function::default()
        }],
        triggers: vec![Trigger {
            table: qn("public", "orders"),
            name: "orders_touch".into(),
            timing: TriggerTiming::Before,
            events: vec![TriggerEvent::Update],
            for_each_row: true,
            function: FunctionRef { name: qn("public", "touch_updated_at"), args: String::new() },
            ..Trigger::default()
        }],
        policies: vec![Policy {
            table: qn("public", "customers"),
            name: "customers_self".into(),
            permissive: true,
            command: PolicyCommand::Select,
            roles: vec!["public".into()],
            using: Some("(email = CURRENT_USER)".into()),
            ..Policy::default()
        }],
        ..Database::default()
    };
    db.normalize();
    db
}

#[test]
fn shop_snapshot() {
    let text = render(&shop());
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("shop", text);
    });
}

#[test]
fn shop_round_trips() {
    let db = shop();
    let text = render(&db);
    let back = parse("shop.hcl", &text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(back, db);
    assert_eq!(render(&back), text);
}

/// The shop with collations, privileges, owners and default privileges.
fn shop_with_access() -> Database {
    let mut db = shop();
    let role = |r: &str| Grantee::Role(r.into());
    let grant = |object: ObjectRef, grantee: Grantee, privilege, grantable, revoked| Permission {
        object,
        grantee,
        privilege,
        grantable,
        revoked,
    };
    db.collations.push(Collation {
        name: qn("public", "ci"),
        provider: CollationProvider::Icu,
        locale: Some("und-u-ks-level2".into()),
        deterministic: false,
        comment: Some("case-insensitive".into()),
        ..Collation::default()
    });
    let customers = ObjectRef::Table(qn("public", "customers"));
    let touch = ObjectRef::Function(FunctionRef {
        name: qn("public", "touch_updated_at"),
        args: String::new(),
    });
    db.permissions = vec![
        grant(
            customers.clone(),
            role("app_readonly"),
            Privilege::Select,
            false,
            false,
        ),
        grant(
            customers.clone(),
            role("app_writer"),
            Privilege::Insert,
            true,
            false,
        ),
        grant(
            customers.clone(),
            role("app_writer"),
            Privilege::Update,
            true,
            false,
        ),
        grant(
            ObjectRef::Column(ColumnRef {
                table: qn("public", "customers"),
                column: "email".into(),
            }),
            role("support"),
            Privilege::Select,
            false,
            false,
        ),
        grant(
            touch.clone(),
            Grantee::Public,
            Privilege::Execute,
            false,
            true,
        ),
        grant(
            ObjectRef::Sequence(qn("public", "customers_id_seq")),
            role("app_writer"),
            Privilege::Usage,
            false,
            false,
        ),
        grant(
            ObjectRef::Schema("public".into()),
            role("app_readonly"),
            Privilege::Usage,
            false,
            false,
        ),
    ];
    db.owners = vec![
        Owner {
            object: customers,
            role: "app_owner".into(),
        },
        Owner {
            object: touch,
            role: "app_owner".into(),
        },
    ];
    db.default_permissions = vec![DefaultPermission {
        role: "app_owner".into(),
        schema: Some("public".into()),
        on: DefaultObjects::Tables,
        grantee: role("app_readonly"),
        privilege: Privilege::Select,
        grantable: false,
        revoked: false,
    }];
    db.normalize();
    db
}

#[test]
fn access_snapshot_and_round_trip() {
    let db = shop_with_access();
    let text = render(&db);
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("shop_access", text);
    });
    let back = parse("shop.hcl", &text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(back, db);
    assert_eq!(hclgen_render_without_access(&back), render(&shop()));
}

/// `--no-privileges --no-owners`: the blocks are gone and the rest is untouched.
fn hclgen_render_without_access(db: &Database) -> String {
    let mut db = db.clone().without_privileges().without_owners();
    db.collations.clear();
    render(&db)
}
