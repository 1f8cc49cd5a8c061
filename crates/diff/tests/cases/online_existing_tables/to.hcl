table "audit_log" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
  column "kind" {
    null = false
    type = text
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
  index "events_n_idx" {
    columns = [column.n]
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
table "sessions" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
  column "user_id" {
    null = false
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "sessions_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_update   = NO_ACTION
    on_delete   = NO_ACTION
  }
  index "sessions_user_idx" {
    columns = [column.user_id]
  }
  check "sessions_id_positive" {
    expr = "(id > 0)"
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
    null = false
    type = text
  }
  column "org_id" {
    null = true
    type = integer
  }
  column "active" {
    null    = false
    type    = boolean
    default = true
  }
  column "token" {
    null    = false
    type    = uuid
    default = sql("gen_random_uuid()")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "users_org_fkey" {
    columns     = [column.org_id]
    ref_columns = [table.orgs.column.id]
    on_update   = NO_ACTION
    on_delete   = NO_ACTION
  }
  index "users_email_key" {
    unique  = true
    columns = [column.email]
  }
  check "users_id_positive" {
    expr = "(id > 0)"
  }
}
schema "public" {
  comment = "standard public schema"
}
