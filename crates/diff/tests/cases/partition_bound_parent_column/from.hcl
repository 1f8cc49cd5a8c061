table "events" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "at" {
    null = false
    type = date
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
    null      = true
    type      = integer
    inherited = true
  }
  column "at" {
    null      = false
    type      = date
    inherited = true
  }
}
schema "public" {
  comment = "standard public schema"
}
