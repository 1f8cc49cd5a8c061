schema "public" {
  comment = "standard public schema"
}
