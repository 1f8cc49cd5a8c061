table "accounts" {
  schema = schema.public
  column "id" {
    null = false
    type = serial
  }
  column "email" {
    null = true
    type = text
  }
  column "secret" {
    null = true
    type = text
  }
  primary_key {
    columns = [column.id]
  }
}
table "audit" {
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
table "legacy" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
}
view "emails" {
  schema     = schema.public
  as         = <<-SQL
    SELECT accounts.id,
        accounts.email
       FROM public.accounts
  SQL
  depends_on = [table.accounts, table.accounts.column.email, table.accounts.column.id]
  column "id" {
    type = integer
  }
  column "email" {
    type = text
  }
}
function "answer" {
  schema = schema.public
  lang   = SQL
  return = integer
  as     = "SELECT 42"
}
enum "mood" {
  schema = schema.public
  values = ["ok", "meh"]
}
schema "app" {
}
schema "public" {
  comment = "standard public schema"
}
permission {
  for        = table.accounts
  to         = "app_reader"
  privileges = [SELECT]
}
permission {
  for        = table.audit
  to         = "app_writer"
  privileges = [SELECT, INSERT]
}
permission {
  for        = table.legacy
  to         = "app_reader"
  privileges = [SELECT]
}
permission {
  for        = table.audit.column.note
  to         = "app_reader"
  privileges = [UPDATE]
}
owner {
  for  = table.accounts
  role = "app_owner"
}
owner {
  for  = table.legacy
  role = "app_owner"
}
