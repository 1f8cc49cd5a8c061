//! Parsing HCL written in Atlas's own style (atlas.md §1.2 shapes, Atlas's input aliases), and
//! the errors bad files get.
#![allow(clippy::unwrap_used, clippy::panic)]

use hclgen::*;

const ATLAS: &str = r#"
table "orders" {
  schema  = schema.public
  comment = "customer orders"
  column "id" {
    null = false
    type = bigint
    identity {
      generated = ALWAYS
    }
  }
  column "customer_id" {
    type = int
  }
  column "status" {
    null    = false
    type    = enum.order_status
    default = "new"
  }
  column "note" {
    null = true
    type = varchar(255)
  }
  column "amount" {
    type    = decimal(10,2)
    default = 1
  }
  column "flag" {
    type    = bool
    default = true
  }
  column "ratio" {
    type    = float8
    default = -1
  }
  column "created_at" {
    null    = false
    type    = timestamp_with_time_zone
    default = sql("now()")
  }
  column "doubled" {
    type = int8
    as   = "id * 2"
  }
  column "tags" {
    null = true
    type = sql("varchar(20)[]")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "orders_customer_id_fkey" {
    columns     = [column.customer_id]
    ref_columns = [table.customers.column.id]
    on_delete   = CASCADE
  }
  index "orders_created_idx" {
    where = "(status <> 'done'::order_status)"
    type  = GiST
    on {
      column = column.created_at
      desc   = true
    }
  }
  check "orders_note_len" {
    expr = "(length((note)::text) < 200)"
  }
  unique "orders_customer_note_key" {
    columns = [column.customer_id, column.note]
  }
}
table "customers" {
  schema = schema.public
  column "id" {
    type = serial
  }
  primary_key {
    columns = [column.id]
  }
}
enum "order_status" {
  schema = schema.public
  values = ["new", "paid", "done"]
}
schema "public" {
  comment = "standard public schema"
}
"#;

#[test]
fn atlas_style_file_reads_into_the_model() {
    let db = parse("atlas.hcl", ATLAS).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        db.schemas[0].comment.as_deref(),
        Some("standard public schema")
    );
    let orders = db.table(&QualifiedName::new("public", "orders")).unwrap();
    let col = |n: &str| orders.columns.iter().find(|c| c.name == n).unwrap();
    // Missing `null` means NOT NULL in Atlas.
    assert!(!col("customer_id").nullable);
    assert!(col("note").nullable);
    assert_eq!(col("customer_id").ty, Type::Sql("integer".into()));
    assert_eq!(col("note").ty, Type::Sql("character varying(255)".into()));
    assert_eq!(col("amount").ty, Type::Sql("numeric(10,2)".into()));
    assert_eq!(col("flag").ty, Type::Sql("boolean".into()));
    assert_eq!(col("ratio").ty, Type::Sql("double precision".into()));
    assert_eq!(
        col("created_at").ty,
        Type::Sql("timestamp with time zone".into())
    );
    assert_eq!(
        col("tags").ty,
        Type::Array(Box::new(Type::Sql("character varying(20)".into())))
    );
    assert_eq!(
        col("status").ty,
        Type::Named {
            kind: TypeKind::Enum,
            name: QualifiedName::new("public", "order_status")
        }
    );
    // Literal defaults become what pg_get_expr prints.
    assert_eq!(
        col("status").default.as_deref(),
        Some("'new'::public.order_status")
    );
    assert_eq!(col("amount").default.as_deref(), Some("1"));
    assert_eq!(col("flag").default.as_deref(), Some("true"));
    assert_eq!(
        col("ratio").default.as_deref(),
        Some("'-1'::double precision")
    );
    assert_eq!(col("created_at").default.as_deref(), Some("now()"));
    assert_eq!(col("doubled").generated.as_deref(), Some("id * 2"));
    let id = col("id").identity.as_ref().unwrap();
    assert!(id.always);
    assert_eq!(id.options, SequenceOptions::defaults_for("bigint"));
    assert_eq!(orders.primary_key.as_ref().unwrap().name, "orders_pkey");
    let fk = &orders.foreign_keys[0];
    assert_eq!(fk.ref_table, QualifiedName::new("public", "customers"));
    assert_eq!(fk.on_update, FkAction::NoAction);
    assert_eq!(fk.on_delete, FkAction::Cascade);
    let ix = &orders.indexes[0];
    assert_eq!(ix.method, "gist");
    assert!(ix.parts[0].desc && ix.parts[0].nulls_first);
    assert_eq!(orders.checks[0].name, "orders_note_len");
    assert_eq!(orders.uniques[0].columns, ["customer_id", "note"]);
    let customers = db
        .table(&QualifiedName::new("public", "customers"))
        .unwrap();
    assert_eq!(customers.columns[0].ty, Type::Serial(SerialWidth::Regular));
    // Our rendering of it reads back to the same model.
    assert_eq!(parse("again.hcl", &render(&db)).unwrap(), db);
}

#[test]
fn qualified_tables_in_two_schemas() {
    let src = r#"
table "a" "users" {
  schema = schema.a
  column "id" {
    type = int
  }
}
table "b" "users" {
  schema = schema.b
  column "id" {
    type = int
  }
  column "a_id" {
    type = int
  }
  foreign_key "fk" {
    columns     = [column.a_id]
    ref_columns = [table.a.users.column.id]
  }
}
schema "a" {
}
schema "b" {
}
"#;
    let db = parse("q.hcl", src).unwrap();
    let b = db.table(&QualifiedName::new("b", "users")).unwrap();
    assert_eq!(
        b.foreign_keys[0].ref_table,
        QualifiedName::new("a", "users")
    );
    let text = render(&db);
    assert!(text.contains("table \"b\" \"users\" {"), "{text}");
    assert!(
        text.contains("ref_columns = [table.a.users.column.id]"),
        "{text}"
    );
    assert_eq!(parse("again.hcl", &text).unwrap(), db);
}

/// Parses `src` expecting an error; returns (message, the text the label points at, help).
fn error(src: &str) -> (String, String, String) {
    let e = parse("bad.hcl", src).expect_err("should fail");
    let span = e.span();
    let text = src[span.offset()..span.offset() + span.len()].to_owned();
    (e.message().to_owned(), text, e.help_text().to_owned())
}

const HEAD: &str = "schema \"public\" {\n}\n";

#[test]
fn unknown_block_points_at_it() {
    let (msg, at, help) = error(&format!("{HEAD}tabel \"t\" {{\n}}\n"));
    assert_eq!(msg, "unknown block `tabel`");
    assert_eq!(at, "tabel");
    assert!(help.contains("table"));
}

#[test]
fn unknown_attribute_points_at_it() {
    let (msg, at, _) = error(&format!(
        "{HEAD}table \"t\" {{\n  schema = schema.public\n  colour = 1\n}}\n"
    ));
    assert_eq!(msg, "unknown attribute `colour` in table");
    assert_eq!(at, "colour");
}

#[test]
fn wrong_value_type_points_at_value() {
    let (msg, at, _) = error(&format!(
        "{HEAD}table \"t\" {{\n  schema = schema.public\n  column \"a\" {{\n    type = int\n    null = \"yes\"\n  }}\n}}\n"
    ));
    assert_eq!(msg, "expected true or false");
    assert_eq!(at, "\"yes\"");
}

#[test]
fn unknown_type_points_at_type() {
    let (msg, at, help) = error(&format!(
        "{HEAD}table \"t\" {{\n  schema = schema.public\n  column \"a\" {{\n    type = integr\n  }}\n}}\n"
    ));
    assert_eq!(msg, "unknown type `integr`");
    assert_eq!(at, "integr");
    assert!(help.contains("sql("));
}

#[test]
fn dangling_column_reference() {
    let (msg, at, _) = error(&format!(
        "{HEAD}table \"t\" {{\n  schema = schema.public\n  column \"a\" {{\n    type = int\n  }}\n  primary_key {{\n    columns = [column.b]\n  }}\n}}\n"
    ));
    assert_eq!(msg, "column `b` is not defined in `public.t`");
    assert_eq!(at, "column.b");
}

#[test]
fn dangling_table_reference() {
    let (msg, at, _) = error(&format!(
        "{HEAD}table \"t\" {{\n  schema = schema.public\n  column \"a\" {{\n    type = int\n  }}\n  foreign_key \"f\" {{\n    columns     = [column.a]\n    ref_columns = [table.nope.column.id]\n  }}\n}}\n"
    ));
    assert_eq!(msg, "table `nope` is not defined");
    assert_eq!(at, "table.nope.column.id");
}

/// Issue 8, defect 6: a NUL in a hand-written string used to reach `diff.sql`. PostgreSQL
/// cannot store one: it is a parse error pointing at the string (or the byte).
#[test]
fn nul_in_a_string_is_an_error() {
    let (msg, at, help) = error(&format!(
        "{HEAD}table \"t\" {{\n  schema = schema.public\n  comment = \"a\\u0000b\"\n}}\n"
    ));
    assert!(msg.contains("NUL"), "{msg}");
    assert_eq!(at, "\"a\\u0000b\"");
    assert!(help.contains("u0000"), "{help}");
    // In a block label (a name) too.
    let (msg, at, _) = error(&format!(
        "{HEAD}table \"t\\u0000\" {{\n  schema = schema.public\n}}\n"
    ));
    assert!(msg.contains("NUL"), "{msg}");
    assert_eq!(at, "\"t\\u0000\"");
    // A raw NUL byte anywhere.
    let (msg, at, _) = error(&format!("{HEAD}# x\0y\n"));
    assert!(msg.contains("NUL byte"), "{msg}");
    assert_eq!(at, "\0");
}

#[test]
fn unknown_schema_and_syntax_errors() {
    let (msg, at, _) = error("table \"t\" {\n  schema = schema.app\n}\n");
    assert_eq!(msg, "schema `app` is not defined");
    assert_eq!(at, "schema.app");
    let (msg, _, _) = error("table \"t\" {\n  schema = \n");
    assert!(msg.starts_with("HCL syntax error"), "{msg}");
}

#[test]
fn interpolation_is_rejected_with_escape_hint() {
    let (msg, _, help) = error(&format!(
        "{HEAD}enum \"e\" {{\n  schema = schema.public\n  values = [\"${{x}}\"]\n}}\n"
    ));
    assert_eq!(msg, "template interpolation is not supported");
    assert!(help.contains("$${"));
}

#[test]
fn older_and_schema_scoped_atlas_spellings() {
    let src = r#"
table "t" {
  schema = schema.public
  column "id" {
    type = "int"
  }
  column "parent" {
    null = true
    type = sql("serial")
  }
  column "name" {
    type = sql("character varying(40)")
  }
  primary_key {
    columns = [table.t.column.id]
  }
  foreign_key "t_parent_fkey" {
    columns     = [column.parent]
    ref_columns = [column.id]
  }
  index "t_name_idx" {
    columns        = [column.name]
    page_per_range = 32
    type           = BRIN
  }
}
schema "public" {
}
"#;
    let db = parse("old.hcl", src).unwrap_or_else(|e| panic!("{e:?}"));
    let t = &db.tables[0];
    assert_eq!(t.columns[0].ty, Type::Sql("integer".into()));
    assert_eq!(t.columns[1].ty, Type::Serial(SerialWidth::Regular));
    assert_eq!(t.columns[2].ty, Type::Sql("character varying(40)".into()));
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
    assert_eq!(t.foreign_keys[0].ref_table, t.name);
    assert_eq!(t.indexes[0].method, "brin");
    assert_eq!(t.indexes[0].with, ["pages_per_range=32"]);
    let text = render(&db);
    assert!(text.contains("page_per_range = 32"), "{text}");
    assert_eq!(parse("again.hcl", &text).unwrap(), db);
}

#[test]
fn duplicate_column_is_an_error() {
    let (msg, at, _) = error(&format!(
        "{HEAD}table \"t\" {{\n  schema = schema.public\n  column \"a\" {{\n    type = int\n  }}\n  column \"a\" {{\n    type = int\n  }}\n}}\n"
    ));
    assert_eq!(msg, "column `a` is defined twice in `public.t`");
    assert_eq!(at, "\"a\"");
}

/// What a user sees: file, line, the labelled span and the help line.
#[test]
fn error_report_snapshot() {
    let src = format!(
        "{HEAD}table \"orders\" {{\n  schema = schema.public\n  column \"id\" {{\n    type = int\n  }}\n  index \"orders_x_idx\" {{\n    columns = [column.customer_id]\n  }}\n}}\n"
    );
    let err = parse("schema.hcl", &src).unwrap_err();
    let mut out = String::new();
    miette::NarratableReportHandler::new()
        .render_report(&mut out, &err)
        .unwrap();
    insta::with_settings!({ snapshot_path => "../src/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("parse_error_report", out);
    });
}

#[test]
fn atlas_view_and_routines() {
    let src = r#"
table "t" {
  schema = schema.public
  column "id" {
    type = int
  }
}
view "v" {
  schema = schema.public
  column "id" {
    null = true
    type = int
  }
  as         = <<-SQL
    SELECT id
      FROM t
  SQL
  depends_on = [table.t]
  security   = INVOKER
}
function "positive" {
  schema = schema.public
  lang   = SQL
  arg "v" {
    type = integer
  }
  return     = boolean
  as         = "SELECT v > 0"
  volatility = IMMUTABLE
}
trigger "t_touch" {
  on = table.t
  after {
    insert    = true
    update_of = [table.t.column.id]
  }
  for = ROW
  execute {
    function = function.positive
  }
}
policy "p" {
  on    = table.t
  as    = RESTRICTIVE
  for   = SELECT
  to    = [PUBLIC]
  using = "(id > 0)"
}
schema "public" {
}
"#;
    let db = parse("atlas.hcl", src).unwrap_or_else(|e| panic!("{e:?}"));
    let v = &db.views[0];
    assert_eq!(v.definition, "SELECT id\n  FROM t");
    assert!(v.security_invoker);
    assert_eq!(
        v.depends_on,
        [Dependency::Table(QualifiedName::new("public", "t"))]
    );
    let f = &db.functions[0];
    assert_eq!(f.volatility, Volatility::Immutable);
    assert_eq!(f.cost, 100.0);
    assert_eq!(f.identity().args, "integer");
    let tr = &db.triggers[0];
    assert_eq!(tr.timing, TriggerTiming::After);
    assert_eq!(tr.events, [TriggerEvent::Insert]);
    assert_eq!(tr.update_of, ["id"]);
    assert!(tr.for_each_row);
    assert_eq!(tr.function, f.identity());
    let p = &db.policies[0];
    assert!(!p.permissive);
    assert_eq!(p.command, PolicyCommand::Select);
    assert_eq!(p.roles, ["public"]);
    assert_eq!(parse("again.hcl", &render(&db)).unwrap(), db);
}
