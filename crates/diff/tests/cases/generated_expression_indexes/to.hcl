table "items" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "price" {
    null = true
    type = numeric
  }
  column "qty" {
    null = true
    type = integer
  }
  column "total" {
    null = true
    type = numeric
    as {
      expr = "((price * (qty)::numeric) * (2)::numeric)"
      type = STORED
    }
  }
  primary_key {
    columns = [column.id]
  }
  index "items_total_idx" {
    columns = [column.total]
  }
}
table "other" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "total" {
    null = true
    type = numeric
  }
}
schema "public" {
  comment = "standard public schema"
}
