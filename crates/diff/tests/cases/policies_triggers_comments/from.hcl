table "docs" {
  schema  = schema.public
  comment = "documents"
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
    comment = "markdown"
  }
  primary_key {
    columns = [column.id]
  }
  row_security {
    enabled  = true
    enforced = false
  }
}
function "audit" {
  schema = schema.public
  lang   = PLpgSQL
  return = trigger
  as     = " BEGIN RETURN NEW; END "
}
trigger "docs_audit" {
  on  = table.docs
  for = ROW
  after {
    insert = true
  }
  execute {
    function = function.audit
  }
}
trigger "docs_off" {
  on  = table.docs
  for = ROW
  after {
    update = true
  }
  execute {
    function = function.audit
  }
}
policy "gone" {
  on    = table.docs
  for   = DELETE
  to    = [PUBLIC]
  using = "false"
}
policy "own" {
  on      = table.docs
  for     = SELECT
  to      = [PUBLIC]
  using   = "(owner = CURRENT_USER)"
  comment = "owners only"
}
schema "public" {
  comment = "standard public schema"
}
