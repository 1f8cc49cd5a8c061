table "t" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "n" {
    null    = true
    type    = integer
    default = sql("nextval('public.s1'::regclass)")
  }
  column "x" {
    null = true
    type = text
  }
  primary_key {
    columns = [column.id]
  }
}
view "plain" {
  schema     = schema.public
  as         = <<-SQL
    SELECT t.id
       FROM public.t
  SQL
  depends_on = [table.t, table.t.column.id]
  column "id" {
    type = integer
  }
}
materialized "mv" {
  schema     = schema.public
  as         = <<-SQL
    SELECT t.id,
        t.n
       FROM public.t
  SQL
  depends_on = [table.t, table.t.column.id, table.t.column.n]
  column "id" {
    type = integer
  }
  column "n" {
    type = integer
  }
  index "mv_id_idx" {
    columns = [column.id]
  }
}
sequence "s1" {
  schema = schema.public
  type   = bigint
  start  = 10
}
sequence "s_gone" {
  schema = schema.public
  type   = bigint
}
schema "public" {
  comment = "standard public schema"
}
