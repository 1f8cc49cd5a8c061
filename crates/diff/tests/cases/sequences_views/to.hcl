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
    SELECT t.id,
        t.x
       FROM public.t
  SQL
  depends_on = [table.t, table.t.column.id, table.t.column.x]
  column "id" {
    type = integer
  }
  column "x" {
    type = text
  }
}
materialized "mv" {
  schema     = schema.public
  as         = <<-SQL
    SELECT t.id,
        t.n,
        t.x
       FROM public.t
  SQL
  comment    = "cached"
  depends_on = [table.t, table.t.column.id, table.t.column.n, table.t.column.x]
  column "id" {
    type = integer
  }
  column "n" {
    type = integer
  }
  column "x" {
    type = text
  }
  index "mv_id_idx" {
    unique  = true
    columns = [column.id]
  }
}
sequence "s1" {
  schema    = schema.public
  type      = bigint
  start     = 10
  increment = 2
  max_value = 100000
  cycle     = true
}
sequence "s_new" {
  schema = schema.public
  type   = integer
  owner  = table.t.column.x
}
schema "public" {
  comment = "standard public schema"
}
