table "items" {
  schema = schema.ledger
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
  schema = schema.ledger
  lang   = PLpgSQL
  return = integer
  as     = " BEGIN RETURN i + 1; END; "
  arg "i" {
    type = integer
  }
}
function "combined" {
  schema     = schema.ledger
  lang       = SQL
  return     = integer
  as         = "RETURN (ledger.total(a, b) + ledger.\"bump it\"(a))"
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
  schema     = schema.ledger
  lang       = SQL
  return     = bigint
  as         = <<-SQL
    BEGIN ATOMIC
     SELECT count(*) AS count
        FROM ledger.items;
    END
  SQL
  volatility = STABLE
}
function "total" {
  schema     = schema.ledger
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
schema "ledger" {
}
schema "public" {
  comment = "standard public schema"
}
