table "events" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "at" {
    null = false
    type = date
  }
  column "note" {
    null = true
    type = text
  }
  partition {
    type    = RANGE
    columns = [column.at]
  }
}
table "events_2024" {
  schema          = schema.public
  partition_of    = table.events
  partition_bound = "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
  column "id" {
    null      = false
    type      = integer
    inherited = true
  }
  column "at" {
    null      = false
    type      = date
    inherited = true
  }
  column "note" {
    null      = true
    type      = text
    inherited = true
  }
}
table "events_2025" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "at" {
    null = false
    type = date
  }
  column "note" {
    null = true
    type = text
  }
}
table "events_old" {
  schema          = schema.public
  partition_of    = table.events
  partition_bound = "FOR VALUES FROM ('2000-01-01') TO ('2024-01-01')"
  column "id" {
    null      = false
    type      = integer
    inherited = true
  }
  column "at" {
    null      = false
    type      = date
    inherited = true
  }
  column "note" {
    null      = true
    type      = text
    inherited = true
  }
}
table "items" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "kind" {
    null = false
    type = text
  }
  partition {
    type    = LIST
    columns = [column.kind]
  }
}
table "items_a" {
  schema          = schema.public
  partition_of    = table.items
  partition_bound = "FOR VALUES IN ('a')"
  column "id" {
    null      = false
    type      = integer
    inherited = true
  }
  column "kind" {
    null      = false
    type      = text
    inherited = true
  }
}
schema "public" {
  comment = "standard public schema"
}
