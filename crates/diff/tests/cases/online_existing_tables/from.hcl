table "audit_log" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
  primary_key {
    columns = [column.id]
  }
}
table "events" {
  schema = schema.public
  column "at" {
    null = false
    type = date
  }
  column "n" {
    null = true
    type = integer
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
  column "at" {
    null      = false
    type      = date
    inherited = true
  }
  column "n" {
    null      = true
    type      = integer
    inherited = true
  }
}
table "orgs" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "name" {
    null = true
    type = text
  }
  primary_key {
    columns = [column.id]
  }
}
table "users" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "email" {
    null = true
    type = text
  }
  column "name" {
    null = true
    type = text
  }
  column "org_id" {
    null = true
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  index "users_name_idx" {
    columns = [column.name]
  }
}
schema "public" {
  comment = "standard public schema"
}
