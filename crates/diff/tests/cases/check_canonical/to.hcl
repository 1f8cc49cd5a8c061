table "things" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "kind" {
    null    = true
    type    = character_varying(10)
    default = "a"
  }
  index "things_kind_idx" {
    columns = [column.kind]
    where   = "((kind)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text]))"
  }
  check "things_kind_check" {
    expr = "(kind::text = ANY (ARRAY['a'::character varying::text, 'b'::character varying::text]))"
  }
}
table "users" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "role" {
    null = true
    type = text
  }
  check "users_role_check" {
    expr = "(role = ANY (ARRAY['admin'::text, 'user'::text, 'guest'::text]))"
  }
}
view "things_ab" {
  schema     = schema.public
  as         = <<-SQL
    SELECT things.id
       FROM public.things
      WHERE things.kind::text = ANY (ARRAY['a'::character varying::text, 'b'::character varying::text])
  SQL
  depends_on = [table.things, table.things.column.id, table.things.column.kind]
  column "id" {
    type = integer
  }
}
schema "public" {
  comment = "standard public schema"
}
