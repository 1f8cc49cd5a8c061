schema "public" {
  comment = "standard public schema"
}
default_permission {
  role       = "app_owner"
  on         = TABLES
  to         = "app_reader"
  privileges = [SELECT]
}
default_permission {
  role       = "app_owner"
  schema     = schema.public
  on         = SEQUENCES
  to         = "app_reader"
  privileges = [USAGE]
}
