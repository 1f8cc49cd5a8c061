table "accounts" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "name" {
    null = true
    type = text
  }
  primary_key {
    columns = [column.id]
  }
}
function "account_label" {
  schema = schema.public
  lang   = SQL
  return = text
  as     = " SELECT a.name "
  arg "a" {
    type = sql("public.accounts")
  }
}
function "account_label_plpgsql" {
  schema = schema.public
  lang   = PLpgSQL
  return = text
  as     = " BEGIN RETURN a.name; END "
  arg "a" {
    type = sql("public.accounts")
  }
}
schema "public" {
  comment = "standard public schema"
}
