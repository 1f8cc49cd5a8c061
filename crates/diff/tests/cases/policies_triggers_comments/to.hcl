table "docs" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "owner" {
    null = false
    type = text
  }
  column "body" {
    null    = true
    type    = text
    comment = "commonmark"
  }
  primary_key {
    columns = [column.id]
  }
  row_security {
    enabled  = true
    enforced = true
  }
}
function "audit" {
  schema = schema.public
  lang   = PLpgSQL
  return = trigger
  as     = " BEGIN RETURN NEW; END "
}
trigger "docs_audit" {
  on      = table.docs
  for     = ROW
  comment = "audit trail"
  after {
    insert = true
    delete = true
  }
  execute {
    function = function.audit
  }
}
trigger "docs_off" {
  on      = table.docs
  for     = ROW
  enabled = DISABLED
  after {
    update = true
  }
  execute {
    function = function.audit
  }
}
policy "ins" {
  on    = table.docs
  as    = RESTRICTIVE
  for   = INSERT
  to    = [PUBLIC]
  check = "(owner = CURRENT_USER)"
}
policy "own" {
  on    = table.docs
  for   = SELECT
  to    = [PUBLIC]
  using = "((owner = CURRENT_USER) OR (owner = 'admin'::text))"
}
schema "public" {
  comment = "standard public schema"
}
