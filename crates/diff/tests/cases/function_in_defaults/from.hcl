table "t" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "code" {
    null    = true
    type    = integer
    default = sql("public.next_code()")
  }
  column "n" {
    null = true
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  index "t_valid_idx" {
    columns = [column.id]
    where   = "public.is_valid(n)"
  }
  check "n_valid" {
    expr = "(public.is_valid(n))"
  }
}
function "is_valid" {
  schema     = schema.public
  lang       = SQL
  return     = boolean
  as         = " SELECT x > 0 "
  volatility = IMMUTABLE
  arg "x" {
    type = integer
  }
}
function "next_code" {
  schema = schema.public
  lang   = SQL
  return = integer
  as     = " SELECT 7 "
}
schema "public" {
  comment = "standard public schema"
}
