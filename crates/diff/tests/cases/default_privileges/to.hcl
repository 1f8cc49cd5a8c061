schema "public" {
  comment = "standard public schema"
}
default_permission {
  role       = "app_owner"
  on         = FUNCTIONS
  to         = PUBLIC
  privileges = [EXECUTE]
  revoked    = true
}
default_permission {
  role       = "app_owner"
  schema     = schema.public
  on         = TABLES
  to         = "app_reader"
  privileges = [SELECT, UPDATE]
  grantable  = true
}
default_permission {
  role       = "app_reader"
  on         = TYPES
  to         = "app_owner"
  privileges = [USAGE]
}
