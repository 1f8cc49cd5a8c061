table "base" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "note" {
    null = true
    type = text
  }
}
table "child" {
  schema   = schema.public
  inherits = [table.base]
  column "id" {
    null      = true
    type      = integer
    inherited = true
  }
  column "note" {
    null      = true
    type      = text
    inherited = true
  }
  column "extra" {
    null = true
    type = text
  }
}
table "events" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "kind" {
    null = true
    type = character_varying(20)
  }
  column "body" {
    null = true
    type = bytea
  }
  partition {
    type = LIST
    by {
      column = column.kind
      ops    = text_ops
    }
  }
}
table "events_a" {
  schema          = schema.public
  partition_of    = table.events
  partition_bound = "FOR VALUES IN ('a')"
  column "id" {
    null      = false
    type      = integer
    inherited = true
  }
  column "kind" {
    null      = false
    type      = character_varying(20)
    inherited = true
  }
  column "body" {
    null      = true
    type      = bytea
    inherited = true
  }
  primary_key {
    columns = [column.kind, column.id]
  }
}
table "events_b" {
  schema          = schema.public
  partition_of    = table.events
  partition_bound = "FOR VALUES IN ('b')"
  column "id" {
    null      = true
    type      = integer
    inherited = true
  }
  column "kind" {
    null      = true
    type      = character_varying(20)
    inherited = true
  }
  column "body" {
    null      = true
    type      = bytea
    inherited = true
  }
}
schema "public" {
  comment = "standard public schema"
}
