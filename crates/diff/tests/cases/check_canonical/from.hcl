table "users" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "role" {
    null = true
    type = text
  }
  check "users_role_check" {
    expr = "(role = ANY (ARRAY['admin'::text, 'user'::text]))"
  }
}
schema "public" {
  comment = "standard public schema"
}
