table "t" {
  schema = schema.old_stuff
  column "id" {
    null = true
    type = integer
  }
}
extension "hstore" {
  schema  = schema.public
  version = "1.8"
  comment = "data type for storing sets of (key, value) pairs"
}
schema "old_stuff" {
}
schema "public" {
  comment = "standard public schema"
}
