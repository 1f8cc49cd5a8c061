table "orders" {
  schema = schema.public
  column "id" {
    null    = false
    type    = integer
    default = sql("nextval('public.orders_id_seq'::regclass)")
  }
  primary_key {
    columns = [column.id]
  }
}
sequence "orders_id_seq" {
  schema = schema.public
  type   = bigint
}
schema "public" {
  comment = "standard public schema"
}
