table "orders" {
  schema = schema.public
  column "id" {
    null = false
    type = serial
  }
  primary_key {
    columns = [column.id]
  }
}
schema "public" {
  comment = "standard public schema"
}
