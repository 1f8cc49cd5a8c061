table "t" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "updated" {
    null = true
    type = timestamptz
  }
  primary_key {
    columns = [column.id]
  }
}
view "answers" {
  schema     = schema.public
  as         = "SELECT public.answer() AS a"
  depends_on = [function.answer]
  column "a" {
    type = integer
  }
}
function "add" {
  schema     = schema.public
  lang       = SQL
  return     = integer
  as         = " SELECT a + b "
  volatility = IMMUTABLE
  arg "a" {
    type = integer
  }
  arg "b" {
    type = integer
  }
}
function "answer" {
  schema = schema.public
  lang   = SQL
  return = integer
  as     = " SELECT 42 "
}
procedure "cleanup" {
  schema = schema.public
  lang   = SQL
  as     = " DELETE FROM t WHERE id < 0 "
}
function "stamp" {
  schema = schema.public
  lang   = PLpgSQL
  return = trigger
  as     = " BEGIN NEW.updated := now(); RETURN NEW; END "
}
trigger "t_stamp" {
  on  = table.t
  for = ROW
  before {
    update = true
  }
  execute {
    function = function.stamp
  }
}
schema "public" {
  comment = "standard public schema"
}
