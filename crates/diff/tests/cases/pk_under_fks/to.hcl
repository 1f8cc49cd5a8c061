table "child" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "parent_id" {
    null = true
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "child_parent_id_fkey" {
    columns     = [column.parent_id]
    ref_columns = [table.parent.column.id]
    on_update   = NO_ACTION
    on_delete   = NO_ACTION
  }
}
table "other" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "parent_id" {
    null = true
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "other_parent_fkey" {
    columns     = [column.parent_id]
    ref_columns = [table.parent.column.id]
    on_update   = NO_ACTION
    on_delete   = SET_NULL
  }
}
table "parent" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "k" {
    null = false
    type = integer
  }
  primary_key {
    columns = [column.id, column.k]
  }
  unique "parent_id_key" {
    columns = [column.id]
  }
}
schema "public" {
  comment = "standard public schema"
}
