table "a" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "b_id" {
    null = true
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "a_b_fkey" {
    columns     = [column.b_id]
    ref_columns = [table.b.column.id]
    on_update   = NO_ACTION
    on_delete   = NO_ACTION
  }
}
table "b" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "a_id" {
    null = true
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "b_a_id_fkey" {
    columns     = [column.a_id]
    ref_columns = [table.a.column.id]
    on_update   = NO_ACTION
    on_delete   = NO_ACTION
  }
}
table "keep" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
}
schema "public" {
  comment = "standard public schema"
}
