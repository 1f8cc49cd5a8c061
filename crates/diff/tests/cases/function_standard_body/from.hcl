table "events" {
  schema = schema.public
  column "at" {
    null = false
    type = text
  }
  column "n" {
    null = false
    type = integer
  }
}
schema "public" {
  comment = "standard public schema"
}
