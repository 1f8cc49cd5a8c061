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
table "x" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "y_id" {
    null = true
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "x_y_fkey" {
    columns     = [column.y_id]
    ref_columns = [table.y.column.id]
    on_update   = CASCADE
    on_delete   = NO_ACTION
  }
}
table "y" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "x_id" {
    null = true
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "y_x_id_fkey" {
    columns     = [column.x_id]
    ref_columns = [table.x.column.id]
    on_update   = NO_ACTION
    on_delete   = NO_ACTION
    deferrable  = INITIALLY_DEFERRED
  }
}
schema "public" {
  comment = "standard public schema"
}
