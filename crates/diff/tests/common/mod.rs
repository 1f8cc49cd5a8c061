//! Builders for models written in Rust (tests only).
#![allow(dead_code)]

use hclgen::*;

pub fn qn(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

pub fn col(name: &str, ty: &str) -> Column {
    Column {
        name: name.into(),
        ty: Type::Sql(ty.into()),
        nullable: true,
        ..Default::default()
    }
}

pub trait ColumnExt {
    fn not_null(self) -> Self;
    fn default(self, d: &str) -> Self;
    fn generated(self, e: &str) -> Self;
    fn identity(self, always: bool) -> Self;
    fn collate(self, c: &str) -> Self;
    fn inherited(self) -> Self;
}

impl ColumnExt for Column {
    fn not_null(mut self) -> Self {
        self.nullable = false;
        self
    }
    fn default(mut self, d: &str) -> Self {
        self.default = Some(d.into());
        self
    }
    fn generated(mut self, e: &str) -> Self {
        self.generated = Some(e.into());
        self
    }
    fn identity(mut self, always: bool) -> Self {
        let ty = self.ty.to_sql();
        self.identity = Some(Identity {
            always,
            options: SequenceOptions::defaults_for(&ty),
        });
        self
    }
    fn collate(mut self, c: &str) -> Self {
        self.collation = Some(c.into());
        self
    }
    fn inherited(mut self) -> Self {
        self.inherited = true;
        self
    }
}

pub fn table(name: &str, columns: Vec<Column>) -> Table {
    Table {
        name: qn(name),
        columns,
        ..Default::default()
    }
}

pub fn pk(name: &str, cols: &[&str]) -> PrimaryKey {
    PrimaryKey {
        name: name.into(),
        columns: cols.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    }
}

pub fn fk(name: &str, cols: &[&str], ref_table: &str, ref_cols: &[&str]) -> ForeignKey {
    ForeignKey {
        name: name.into(),
        columns: cols.iter().map(|c| c.to_string()).collect(),
        ref_table: qn(ref_table),
        ref_columns: ref_cols.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    }
}

pub fn view_col(name: &str, ty: &str) -> ViewColumn {
    ViewColumn {
        name: name.into(),
        ty: Type::Sql(ty.into()),
        comment: None,
    }
}

pub fn enum_type(name: &str, values: &[&str]) -> Enum {
    Enum {
        name: qn(name),
        values: values.iter().map(|v| v.to_string()).collect(),
        comment: None,
    }
}

pub fn public() -> Schema {
    Schema {
        name: "public".into(),
        comment: Some("standard public schema".into()),
    }
}

pub fn db_with(tables: Vec<Table>) -> Database {
    let mut db = Database {
        schemas: vec![public()],
        tables,
        ..Default::default()
    };
    db.normalize();
    db
}

/// A small schema using every object kind.
pub fn shop() -> Database {
    let status = Type::Named {
        kind: TypeKind::Enum,
        name: QualifiedName::new("app", "status"),
    };
    let price = Type::Named {
        kind: TypeKind::Domain,
        name: QualifiedName::new("app", "price"),
    };
    let mut customers = Table {
        name: QualifiedName::new("app", "customers"),
        columns: vec![
            col("id", "bigint").not_null().identity(true),
            col("email", "text").not_null(),
            col("best_order", "bigint"),
            col("created_at", "timestamp with time zone")
                .not_null()
                .default("now()"),
        ],
        primary_key: Some(pk("customers_pkey", &["id"])),
        uniques: vec![UniqueConstraint {
            name: "customers_email_key".into(),
            columns: vec!["email".into()],
            ..Default::default()
        }],
        comment: Some("people who buy".into()),
        rls_enabled: true,
        ..Default::default()
    };
    let mut orders = Table {
        name: QualifiedName::new("app", "orders"),
        columns: vec![
            Column {
                name: "id".into(),
                ty: Type::Serial(SerialWidth::Big),
                ..Default::default()
            },
            col("customer_id", "bigint").not_null(),
            Column {
                name: "status".into(),
                ty: status.clone(),
                default: Some("'new'::app.status".into()),
                ..Default::default()
            },
            Column {
                name: "total".into(),
                ty: price.clone(),
                nullable: true,
                ..Default::default()
            },
            col("number", "bigint").default("nextval('app.order_numbers'::regclass)"),
        ],
        primary_key: Some(pk("orders_pkey", &["id"])),
        checks: vec![Check {
            name: "orders_total_check".into(),
            expr: "(total > (0)::numeric)".into(),
            ..Default::default()
        }],
        indexes: vec![Index {
            name: "orders_customer_idx".into(),
            method: "btree".into(),
            parts: vec![IndexPart {
                key: IndexKey::Column("customer_id".into()),
                ..Default::default()
            }],
            ..Default::default()
        }],
        ..Default::default()
    };
    let mut cust_fk = fk(
        "orders_customer_fkey",
        &["customer_id"],
        "customers",
        &["id"],
    );
    cust_fk.ref_table = customers.name.clone();
    cust_fk.on_delete = FkAction::Cascade;
    orders.foreign_keys = vec![cust_fk];
    let mut best = fk(
        "customers_best_order_fkey",
        &["best_order"],
        "orders",
        &["id"],
    );
    best.ref_table = orders.name.clone();
    customers.foreign_keys = vec![best];
    let touch = Function {
        name: QualifiedName::new("app", "touch"),
        returns: Some(Returns::Trigger),
        language: "plpgsql".into(),
        body: "\nBEGIN\n  NEW.created_at := now();\n  RETURN NEW;\nEND\n".into(),
        cost: 100.0,
        ..Default::default()
    };
    let mut db = Database {
        schemas: vec![
            Schema {
                name: "app".into(),
                comment: Some("the shop".into()),
            },
            public(),
        ],
        extensions: vec![Extension {
            name: "pgcrypto".into(),
            schema: "public".into(),
            version: "1.3".into(),
            comment: None,
        }],
        enums: vec![Enum {
            name: QualifiedName::new("app", "status"),
            values: vec!["new".into(), "paid".into()],
            comment: None,
        }],
        domains: vec![Domain {
            name: QualifiedName::new("app", "price"),
            ty: Type::Sql("numeric(10,2)".into()),
            checks: vec![Check {
                name: "price_check".into(),
                expr: "(VALUE >= (0)::numeric)".into(),
                ..Default::default()
            }],
            ..Default::default()
        }],
        sequences: vec![Sequence {
            name: QualifiedName::new("app", "order_numbers"),
            ty: Type::Sql("bigint".into()),
            options: SequenceOptions {
                start: 1000,
                ..SequenceOptions::defaults_for("bigint")
            },
            owned_by: None,
            comment: None,
        }],
        tables: vec![customers, orders],
        views: vec![View {
            name: QualifiedName::new("app", "paid_orders"),
            definition: "SELECT orders.id, orders.total FROM app.orders WHERE orders.status = 'paid'::app.status".into(),
            columns: vec![
                ViewColumn { name: "id".into(), ty: Type::Sql("bigint".into()), comment: None },
                ViewColumn { name: "total".into(), ty: price, comment: None },
            ],
            depends_on: vec![
                Dependency::Column(ColumnRef { table: QualifiedName::new("app", "orders"), column: "id".into() }),
                Dependency::Column(ColumnRef { table: QualifiedName::new("app", "orders"), column: "total".into() }),
                Dependency::Column(ColumnRef { table: QualifiedName::new("app", "orders"), column: "status".into() }),
                Dependency::Type(QualifiedName::new("app", "status")),
            ],
            ..Default::default()
        }],
        functions: vec![touch],
        triggers: vec![Trigger {
            table: QualifiedName::new("app", "customers"),
            name: "customers_touch".into(),
            timing: TriggerTiming::Before,
            events: vec![TriggerEvent::Insert],
            for_each_row: true,
            function: FunctionRef {
                name: QualifiedName::new("app", "touch"),
                args: String::new(),
            },
            ..Default::default()
        }],
        policies: vec![Policy {
            table: QualifiedName::new("app", "customers"),
            name: "own_rows".into(),
            permissive: true,
            command: PolicyCommand::Select,
            roles: vec!["public".into()],
            using: Some("(email = CURRENT_USER)".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    let _ = status;
    db.normalize();
    db
}
