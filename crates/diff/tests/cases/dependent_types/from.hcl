table "t" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "lv" {
    null = true
    type = domain.level_d
  }
  column "r" {
    null = true
    type = composite.reading
  }
  column "ls" {
    null = true
    type = sql("public.level[]")
  }
  primary_key {
    columns = [column.id]
  }
}
enum "level" {
  schema = schema.public
  values = ["low", "mid", "high"]
}
domain "level_d" {
  schema = schema.public
  type   = enum.level
  null   = false
}
composite "reading" {
  schema = schema.public
  field "l" {
    type = enum.level
  }
  field "d" {
    type = domain.level_d
  }
  field "note" {
    type = text
  }
}
schema "public" {
  comment = "standard public schema"
}
