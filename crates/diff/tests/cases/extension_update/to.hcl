table "users" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "email" {
    null = true
    type = sql("public.citext")
  }
  primary_key {
    columns = [column.id]
  }
}
extension "citext" {
  schema  = schema.public
  version = "1.6"
  comment = "data type for case-insensitive character strings"
}
extension "pg_trgm" {
  schema  = schema.ext
  version = "1.6"
  comment = "text similarity measurement and index searching based on trigrams"
}
schema "ext" {
}
schema "public" {
  comment = "standard public schema"
}
