table "p" {
  schema = schema.public
  column "id" {
    null = false
    type = serial
  }
  column "k" {
    null = true
    type = integer
  }
  partition {
    type    = RANGE
    columns = [column.k]
  }
}
table "t" {
  schema = schema.public
  column "a" {
    null = true
    type = integer
  }
  column "b" {
    null = true
    type = text
  }
}
view "v" {
  schema     = schema.public
  as         = <<-SQL
    SELECT t.a
       FROM public.t
  SQL
  depends_on = [table.t, table.t.column.a]
  column "a" {
    type = integer
  }
}
function "f" {
  schema = schema.public
  lang   = SQL
  return = integer
  as     = "SELECT 1"
}
schema "public" {
  comment = "standard public schema"
}
permission {
  for        = table.p
  to         = "app_reader"
  privileges = [SELECT]
}
permission {
  for        = view.v
  to         = "app_reader"
  privileges = [SELECT]
}
permission {
  for        = { schema = "public", sequence = "p_id_seq" }
  to         = "app_reader"
  privileges = [USAGE]
}
permission {
  for        = table.t.column.b
  to         = "app_reader"
  privileges = [UPDATE]
}
permission {
  for        = function.f
  to         = PUBLIC
  privileges = [EXECUTE]
  revoked    = true
}
permission {
  for        = function.f
  to         = "app_reader"
  privileges = [EXECUTE]
}
owner {
  for  = view.v
  role = "app_owner"
}
