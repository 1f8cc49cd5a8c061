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
    type = bigint
  }
}
function "add" {
  schema     = schema.public
  lang       = SQL
  return     = integer
  as         = " SELECT a + b + c "
  volatility = IMMUTABLE
  strict     = true
  arg "a" {
    type = integer
  }
  arg "b" {
    type = integer
  }
  arg "c" {
    type    = integer
    default = 0
  }
}
function "answer" {
  schema  = schema.public
  lang    = SQL
  return  = bigint
  as      = " SELECT 42::bigint "
  comment = "the answer"
}
procedure "cleanup" {
  schema = schema.public
  lang   = SQL
  as     = " DELETE FROM t WHERE id <= 0 "
}
function "stamp" {
  schema = schema.public
  lang   = PLpgSQL
  return = trigger
  as     = " BEGIN NEW.updated := clock_timestamp(); RETURN NEW; END "
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
