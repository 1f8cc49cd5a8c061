table "people" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "mood" {
    null    = true
    type    = enum.mood
    default = "sad"
  }
  primary_key {
    columns = [column.id]
  }
}
enum "mood" {
  schema = schema.public
  values = ["awful", "sad", "ok", "happy", "ecstatic"]
}
schema "public" {
  comment = "standard public schema"
}
