table "tasks" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "status" {
    null    = true
    type    = enum.status
    default = "new"
  }
}
enum "status" {
  schema = schema.public
  values = ["new", "done"]
}
schema "public" {
  comment = "standard public schema"
}
