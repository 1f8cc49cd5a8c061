table "orders" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "status" {
    null    = false
    type    = enum.status
    default = "new"
  }
  column "history" {
    null = true
    type = sql("public.status[]")
  }
  primary_key {
    columns = [column.id]
  }
}
view "paid" {
  schema     = schema.public
  as         = <<-SQL
    SELECT orders.id
       FROM public.orders
      WHERE orders.status = 'paid'::public.status
  SQL
  depends_on = [table.orders, table.orders.column.id, table.orders.column.status, enum.status]
  column "id" {
    type = integer
  }
}
function "is_paid" {
  schema     = schema.public
  lang       = SQL
  return     = boolean
  as         = " SELECT s = 'paid' "
  volatility = IMMUTABLE
  depends_on = [enum.status]
  arg "s" {
    type = enum.status
  }
}
enum "status" {
  schema = schema.public
  values = ["new", "legacy", "paid"]
}
schema "public" {
  comment = "standard public schema"
}
