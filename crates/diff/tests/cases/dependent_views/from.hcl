table "t" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "n" {
    null = true
    type = integer
  }
  column "gone" {
    null = true
    type = text
  }
  primary_key {
    columns = [column.id]
  }
}
view "keep" {
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
view "v" {
  schema     = schema.public
  as         = <<-SQL
    SELECT t.id,
        t.n,
        t.gone
       FROM public.t
  SQL
  comment    = "reads t"
  depends_on = [table.t, table.t.column.gone, table.t.column.id, table.t.column.n]
  column "id" {
    type = integer
  }
  column "n" {
    type = integer
  }
  column "gone" {
    type = text
  }
}
view "w" {
  schema     = schema.public
  as         = <<-SQL
    SELECT v.id
       FROM public.v
  SQL
  depends_on = [view.v.column.id, view.v]
  column "id" {
    type = integer
  }
}
function "v_insert" {
  schema = schema.public
  lang   = PLpgSQL
  return = trigger
  as     = " BEGIN RETURN NEW; END "
}
trigger "v_ins" {
  on  = view.v
  for = ROW
  instead_of {
    insert = true
  }
  execute {
    function = function.v_insert
  }
}
schema "public" {
  comment = "standard public schema"
}
