table "items" {
  schema = schema.billing
  column "id" {
    null = false
    type = bigint
  }
  column "amount" {
    null = false
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
}
function "bump it" {
  schema = schema.billing
  lang   = PLpgSQL
  return = integer
  as     = " BEGIN RETURN i + 1; END; "
  arg "i" {
    type = integer
  }
}
function "combined" {
  schema     = schema.billing
  lang       = SQL
  return     = integer
  as         = "RETURN (billing.total(a, b) + billing.\"bump it\"(a))"
  volatility = IMMUTABLE
  strict     = true
  arg "a" {
    type = integer
  }
  arg "b" {
    type = integer
  }
}
function "item_count" {
  schema     = schema.billing
  lang       = SQL
  return     = bigint
  as         = <<-SQL
    BEGIN ATOMIC
     SELECT count(*) AS count
        FROM billing.items;
    END
  SQL
  volatility = STABLE
}
function "total" {
  schema     = schema.billing
  lang       = SQL
  return     = integer
  as         = "RETURN (a + b)"
  volatility = IMMUTABLE
  strict     = true
  arg "a" {
    type = integer
  }
  arg "b" {
    type = integer
  }
}
schema "billing" {
}
schema "public" {
  comment = "standard public schema"
}
