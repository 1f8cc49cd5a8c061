table "items" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "price" {
    null = false
    type = numeric
  }
  column "qty" {
    null = false
    type = integer
  }
  column "total" {
    null = true
    type = numeric
    as {
      expr = "(price * (qty)::numeric)"
      type = VIRTUAL
    }
  }
  column "net" {
    null = true
    type = numeric
    as {
      expr = "((price * (qty)::numeric) * 0.75)"
      type = VIRTUAL
    }
  }
  column "label" {
    null = true
    type = text
    as {
      expr = "('item '::text || id)"
      type = VIRTUAL
    }
  }
  column "gross" {
    null = true
    type = numeric
    as {
      expr = "((price * (qty)::numeric) * 1.2)"
      type = VIRTUAL
    }
  }
  primary_key {
    columns = [column.id]
  }
}
schema "public" {
  comment = "standard public schema"
}
