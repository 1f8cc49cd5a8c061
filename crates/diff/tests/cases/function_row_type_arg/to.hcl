table "RateLimit" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "value" {
    null = false
    type = integer
  }
  primary_key {
    columns = [column.id]
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
function "get_refill_value" {
  schema = schema.public
  lang   = PLpgSQL
  return = integer
  as     = " BEGIN RETURN rate_limit.\"value\"; END "
  arg "rate_limit" {
    type = sql("public.\"RateLimit\"")
  }
}
schema "public" {
  comment = "standard public schema"
}
