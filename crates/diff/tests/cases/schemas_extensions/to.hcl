table "t" {
  schema = schema.new_stuff
  column "id" {
    null = true
    type = integer
  }
  column "tags" {
    null = true
    type = sql("public.hstore")
  }
}
extension "hstore" {
  schema  = schema.public
  version = "1.8"
  comment = "data type for storing sets of (key, value) pairs"
}
extension "pg_trgm" {
  schema  = schema.public
  version = "1.6"
  comment = "text similarity measurement and index searching based on trigrams"
}
schema "new_stuff" {
  comment = "fresh"
}
schema "public" {
  comment = "standard public schema"
}
