//! Plans for models built in Rust: one snapshot of `diff.sql` per scenario.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use diff::{Header, plan};
use hclgen::*;

fn sql(from: &Database, to: &Database) -> String {
    plan(from, to).to_sql(&Header {
        from: "from".into(),
        to: "to".into(),
        tool_version: "test".into(),
    })
}

#[test]
fn identical_models_have_no_changes() {
    let db = shop();
    assert!(plan(&db, &db).is_empty());
    insta::assert_snapshot!(sql(&db, &db));
}

#[test]
fn create_everything_in_dependency_order() {
    insta::assert_snapshot!(sql(&Database::default(), &shop()));
}

#[test]
fn drop_everything_in_reverse_order() {
    insta::assert_snapshot!(sql(&shop(), &Database::default()));
}

#[test]
fn column_changes() {
    let from = db_with(vec![table(
        "t",
        vec![
            col("id", "integer").not_null(),
            col("a", "integer"),
            col("b", "text"),
            col("c", "character varying(10)"),
            col("d", "text").default("'x'::text"),
            col("e", "integer"),
            col("g", "integer").generated("(a * 2)"),
            col("legacy", "text"),
            col("h", "text"),
        ],
    )]);
    let to = db_with(vec![table(
        "t",
        vec![
            col("id", "integer").not_null(),
            col("a", "bigint").not_null(),
            col("b", "integer"),
            col("c", "character varying(20)"),
            col("d", "text").default("'y'::text"),
            col("e", "integer").not_null().identity(true),
            col("g", "integer").generated("(a * 3)"),
            col("h", "text").collate("C"),
            col("fresh", "boolean").not_null().default("false"),
        ],
    )]);
    insta::assert_snapshot!(sql(&from, &to));
}

#[test]
fn view_is_dropped_and_recreated_around_a_retyped_column() {
    let t = table(
        "t",
        vec![col("id", "integer").not_null(), col("n", "integer")],
    );
    let mut t2 = t.clone();
    t2.columns[1].ty = Type::Sql("bigint".into());
    let v = |ty: &str| View {
        name: qn("v"),
        definition: "SELECT t.id, t.n FROM public.t".into(),
        columns: vec![view_col("id", "integer"), view_col("n", ty)],
        depends_on: vec![
            Dependency::Column(ColumnRef {
                table: qn("t"),
                column: "id".into(),
            }),
            Dependency::Column(ColumnRef {
                table: qn("t"),
                column: "n".into(),
            }),
        ],
        comment: Some("the view".into()),
        ..View::default()
    };
    let w = View {
        name: qn("w"),
        definition: "SELECT v.id FROM public.v".into(),
        columns: vec![view_col("id", "integer")],
        depends_on: vec![Dependency::View(qn("v"))],
        ..View::default()
    };
    let mut from = db_with(vec![t]);
    from.views = vec![v("integer"), w.clone()];
    let mut to = db_with(vec![t2]);
    to.views = vec![v("bigint"), w];
    insta::assert_snapshot!(sql(&from, &to));
}

#[test]
fn primary_key_change_under_referencing_foreign_keys() {
    let parent = |cols: &[&str]| {
        let mut t = table(
            "parent",
            vec![
                col("id", "integer").not_null(),
                col("k", "integer").not_null(),
            ],
        );
        t.primary_key = Some(pk("parent_pkey", cols));
        t
    };
    let mut child = table(
        "child",
        vec![col("id", "integer").not_null(), col("parent_id", "integer")],
    );
    child.foreign_keys = vec![fk("child_parent_fkey", &["parent_id"], "parent", &["id"])];
    let from = db_with(vec![child.clone(), parent(&["id"])]);
    let mut p2 = parent(&["id", "k"]);
    p2.uniques = vec![UniqueConstraint {
        name: "parent_id_key".into(),
        columns: vec!["id".into()],
        ..Default::default()
    }];
    let to = db_with(vec![child, p2]);
    insta::assert_snapshot!(sql(&from, &to));
}

#[test]
fn enum_values_added_in_place() {
    let from = Database {
        enums: vec![enum_type("mood", &["sad", "happy"])],
        ..Default::default()
    };
    let to = Database {
        enums: vec![enum_type(
            "mood",
            &["awful", "sad", "ok", "happy", "ecstatic"],
        )],
        ..Default::default()
    };
    // Nothing uses the new labels, so the plan runs in one transaction (PostgreSQL 12+).
    let p = plan(&from, &to);
    assert!(p.steps.iter().all(|s| s.transactional));
    insta::assert_snapshot!(sql(&from, &to));
}

#[test]
fn enum_value_removed_recreates_the_type() {
    let status = Type::Named {
        kind: TypeKind::Enum,
        name: qn("status"),
    };
    let t = table(
        "orders",
        vec![
            col("id", "integer").not_null(),
            Column {
                name: "status".into(),
                ty: status.clone(),
                nullable: false,
                default: Some("'new'::public.status".into()),
                ..Default::default()
            },
            Column {
                name: "history".into(),
                ty: Type::Array(Box::new(status)),
                nullable: true,
                ..Default::default()
            },
        ],
    );
    let mut from = db_with(vec![t.clone()]);
    from.enums = vec![enum_type("status", &["new", "paid", "legacy"])];
    let mut to = db_with(vec![t]);
    to.enums = vec![enum_type("status", &["new", "paid"])];
    insta::assert_snapshot!(sql(&from, &to));
}

#[test]
fn function_signature_change_recreates_dependent_trigger() {
    let t = table("t", vec![col("id", "integer").not_null()]);
    let f = |ret: &str, body: &str| Function {
        name: qn("touch"),
        returns: Some(Returns::Type {
            ty: Type::Sql(ret.into()),
            setof: false,
        }),
        language: "plpgsql".into(),
        body: body.into(),
        cost: 100.0,
        ..Default::default()
    };
    let trig_fn = |body: &str| Function {
        name: qn("on_t"),
        returns: Some(Returns::Trigger),
        language: "plpgsql".into(),
        body: body.into(),
        cost: 100.0,
        ..Default::default()
    };
    let trigger = Trigger {
        table: qn("t"),
        name: "t_touch".into(),
        timing: TriggerTiming::Before,
        events: vec![TriggerEvent::Insert, TriggerEvent::Update],
        for_each_row: true,
        function: FunctionRef {
            name: qn("on_t"),
            args: String::new(),
        },
        ..Default::default()
    };
    let mut from = db_with(vec![t.clone()]);
    from.functions = vec![
        f("integer", "BEGIN RETURN 1; END"),
        trig_fn("BEGIN RETURN NEW; END"),
    ];
    from.triggers = vec![trigger.clone()];
    let mut to = db_with(vec![t]);
    let mut on_t = trig_fn("BEGIN RETURN NEW; END");
    on_t.args = vec![]; // same signature
    on_t.returns = Some(Returns::Trigger);
    to.functions = vec![f("bigint", "BEGIN RETURN 2; END"), on_t];
    to.functions[1].body = "BEGIN NEW.id := NEW.id; RETURN NEW; END".into();
    to.triggers = vec![trigger];
    insta::assert_snapshot!(sql(&from, &to));
}

#[test]
fn serial_and_identity_conversions_keep_the_sequence_value() {
    let from = db_with(vec![table(
        "t",
        vec![
            Column {
                name: "a".into(),
                ty: Type::Serial(SerialWidth::Regular),
                ..Default::default()
            },
            col("b", "integer").not_null().identity(false),
            col("c", "bigint").not_null(),
            Column {
                name: "d".into(),
                ty: Type::Serial(SerialWidth::Big),
                ..Default::default()
            },
            col("e", "integer").not_null().identity(false),
        ],
    )]);
    let mut e = col("e", "integer").not_null().identity(true);
    if let Some(i) = &mut e.identity {
        i.options.increment = 5;
    }
    let to = db_with(vec![table(
        "t",
        vec![
            col("a", "integer").not_null().identity(false),
            Column {
                name: "b".into(),
                ty: Type::Serial(SerialWidth::Regular),
                ..Default::default()
            },
            Column {
                name: "c".into(),
                ty: Type::Serial(SerialWidth::Big),
                ..Default::default()
            },
            col("d", "bigint").not_null(),
            e,
        ],
    )]);
    insta::assert_snapshot!(sql(&from, &to));
}

#[test]
fn partitions_attach_detach_and_bounds() {
    let mut parent = table(
        "events",
        vec![
            col("id", "integer").not_null(),
            col("at", "date").not_null(),
        ],
    );
    parent.partition_by = Some(PartitionKey {
        strategy: PartitionStrategy::Range,
        parts: vec![IndexPart {
            key: IndexKey::Column("at".into()),
            ..Default::default()
        }],
    });
    let part = |name: &str, bound: Option<&str>| {
        let mut t = table(
            name,
            vec![
                col("id", "integer").not_null().inherited(),
                col("at", "date").not_null().inherited(),
            ],
        );
        t.partition_of = bound.map(|b| PartitionOf {
            parent: qn("events"),
            bound: b.into(),
        });
        if bound.is_none() {
            for c in &mut t.columns {
                c.inherited = false;
            }
        }
        t
    };
    let from = db_with(vec![
        parent.clone(),
        part(
            "events_2024",
            Some("FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"),
        ),
        part(
            "events_old",
            Some("FOR VALUES FROM ('2000-01-01') TO ('2024-01-01')"),
        ),
        part("events_2025", None),
    ]);
    let mut parent2 = parent.clone();
    parent2.indexes = vec![Index {
        name: "events_at_idx".into(),
        method: "btree".into(),
        parts: vec![IndexPart {
            key: IndexKey::Column("at".into()),
            ..Default::default()
        }],
        ..Default::default()
    }];
    let to = db_with(vec![
        parent2,
        part(
            "events_2024",
            Some("FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')"),
        ),
        part("events_old", None),
        part(
            "events_2025",
            Some("FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')"),
        ),
        part(
            "events_2026",
            Some("FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"),
        ),
    ]);
    insta::assert_snapshot!(sql(&from, &to));
}

#[test]
fn comments_set_and_removed() {
    let mut t = table("t", vec![col("id", "integer").not_null()]);
    t.comment = Some("it's a table".into());
    t.columns[0].comment = Some("the id".into());
    let mut t2 = t.clone();
    t2.comment = None;
    t2.columns[0].comment = Some("the key".into());
    insta::assert_snapshot!(sql(&db_with(vec![t]), &db_with(vec![t2])));
}

#[test]
fn hostile_identifiers_are_quoted() {
    let t = table(
        "we\"ird; DROP TABLE x",
        vec![col("Select", "integer"), col("ok_name", "text")],
    );
    insta::assert_snapshot!(sql(&Database::default(), &db_with(vec![t])));
}

/// A table `t (a, g GENERATED ALWAYS AS (<expr>) STORED)`.
fn with_generated(expr: &str) -> Database {
    let mut g = col("g", "integer");
    g.generated = Some(expr.into());
    db_with(vec![table("t", vec![col("a", "integer"), g])])
}

#[test]
fn generated_expression_changes_in_place_from_17() {
    let (from, to) = (with_generated("(a * 2)"), with_generated("(a * 3)"));
    let sql_for = |pg_version| {
        let plan = diff::plan_for(
            &from,
            &to,
            &diff::Settings {
                pg_version,
                online: None,
            },
        )
        .unwrap();
        plan.steps.iter().map(|s| s.sql.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        sql_for(17),
        ["ALTER TABLE public.t ALTER COLUMN g SET EXPRESSION AS (a * 3)"]
    );
    let before = sql_for(16);
    assert!(before[0].contains("DROP COLUMN g"), "{before:?}");
    assert!(before[1].contains("ADD COLUMN g"), "{before:?}");
}

#[test]
fn nulls_not_distinct_needs_15() {
    let mut t = table("t", vec![col("a", "integer")]);
    t.uniques.push(UniqueConstraint {
        name: "t_a_key".into(),
        columns: vec!["a".into()],
        nulls_not_distinct: true,
        ..Default::default()
    });
    let to = db_with(vec![t]);
    let from = db_with(vec![]);
    let err = diff::plan_for(
        &from,
        &to,
        &diff::Settings {
            pg_version: 14,
            online: None,
        },
    )
    .unwrap_err();
    assert_eq!(err.since, 15);
    assert!(err.to_string().contains("t_a_key"), "{err}");
    assert!(
        diff::plan_for(
            &from,
            &to,
            &diff::Settings {
                pg_version: 15,
                online: None
            }
        )
        .is_ok()
    );
}

#[test]
fn only_a_shared_objects_differing_expression_needs_the_servers_form() {
    let base = || {
        vec![
            col("id", "integer").not_null(),
            col("d", "text").default("'x'::text"),
        ]
    };
    let from = db_with(vec![table("t", base())]);
    // Added, retyped and NOT NULL columns, a new table with a default: no shared expression
    // changed, so the server's form cannot change the plan.
    let mut cols = base();
    cols[0] = col("id", "bigint").not_null();
    cols.push(col("n", "integer").not_null().default("0"));
    let to = db_with(vec![
        table("t", cols),
        table("u", vec![col("at", "timestamptz").default("now()")]),
    ]);
    assert!(!plan(&from, &to).is_empty());
    assert!(!diff::shared_expressions_differ(&from, &to));
    // The same column's default, spelled differently: only the server can say if it changed.
    let mut cols = base();
    cols[1] = col("d", "text").default("'x'");
    let to = db_with(vec![table("t", cols)]);
    assert!(diff::shared_expressions_differ(&from, &to));
    assert!(!diff::shared_expressions_differ(&from, &from));
}
