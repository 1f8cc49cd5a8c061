table "users" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "name" {
    null    = true
    type    = text
    collate = "public.ci"
  }
  column "code" {
    null    = true
    type    = text
    collate = "public.numeric"
  }
  column "tag" {
    null    = true
    type    = text
    collate = "public.added"
  }
  index "users_name" {
    columns = [column.name]
  }
}
collation "added" {
  schema     = schema.public
  provider   = libc
  lc_collate = "C"
  lc_ctype   = "C"
}
collation "ci" {
  schema        = schema.public
  provider      = icu
  locale        = "und-u-ks-level1"
  deterministic = false
}
collation "numeric" {
  schema   = schema.public
  provider = icu
  locale   = "en-u-kn-true"
  comment  = "digits sort by value"
}
schema "public" {
  comment = "standard public schema"
}
