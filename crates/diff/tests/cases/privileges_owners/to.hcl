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
table "fresh" {
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
  for        = schema.app
  to         = "app_reader"
  privileges = [USAGE]
  grantable  = true
}
permission {
  for        = table.audit
  to         = "app_writer"
  privileges = [SELECT]
  grantable  = true
}
permission {
  for        = table.fresh
  to         = "app_writer"
  privileges = [INSERT]
}
permission {
  for        = view.emails
  to         = PUBLIC
  privileges = [SELECT]
}
permission {
  for        = { schema = "public", sequence = "accounts_id_seq" }
  to         = "app_writer"
  privileges = [SELECT, USAGE]
}
permission {
  for        = table.accounts.column.email
  to         = "app_reader"
  privileges = [SELECT]
}
permission {
  for        = table.accounts.column.id
  to         = "app_reader"
  privileges = [SELECT]
}
permission {
  for        = table.audit.column.note
  to         = "app_reader"
  privileges = [UPDATE]
}
permission {
  for        = function.answer
  to         = PUBLIC
  privileges = [EXECUTE]
  revoked    = true
}
permission {
  for        = function.answer
  to         = "app_reader"
  privileges = [EXECUTE]
}
permission {
  for        = enum.mood
  to         = PUBLIC
  privileges = [USAGE]
  revoked    = true
}
owner {
  for  = schema.app
  role = "app_owner"
}
owner {
  for  = table.audit
  role = "app_owner"
}
owner {
  for  = table.fresh
  role = "app_owner"
}
owner {
  for  = function.answer
  role = "app_owner"
}
owner {
  for  = enum.mood
  role = "app_owner"
}
