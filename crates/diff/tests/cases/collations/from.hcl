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
  index "users_name" {
    columns = [column.name]
  }
}
collation "ci" {
  schema        = schema.public
  provider      = icu
  locale        = "und-u-ks-level2"
  deterministic = false
}
collation "gone" {
  schema     = schema.public
  provider   = libc
  lc_collate = "C"
  lc_ctype   = "C"
}
collation "numeric" {
  schema   = schema.public
  provider = icu
  locale   = "en-u-kn-true"
}
schema "public" {
  comment = "standard public schema"
}
