table "t" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "a" {
    null = true
    type = integer
  }
  column "b" {
    null = true
    type = text
  }
  column "r" {
    null = true
    type = tstzrange
  }
  column "c" {
    null = true
    type = text
  }
  primary_key {
    columns = [column.id]
  }
  index "t_a_idx" {
    where = "(a > 10)"
    on {
      column     = column.a
      desc       = true
      nulls_last = true
    }
  }
  index "t_c_new" {
    unique  = true
    columns = [column.c]
    include = [column.a]
  }
  index "t_lower_c_idx" {
    comment = "case-insensitive lookups"
    on {
      expr = "lower(c)"
    }
  }
  check "a_positive" {
    expr = "(a >= 0)"
  }
  check "t_a_small" {
    expr = "(a < 100)"
  }
  unique "t_b_key" {
    columns        = [column.b]
    nulls_distinct = false
    comment        = "one per b"
  }
  exclude "t_r_excl" {
    type  = GIST
    where = "(id > 0)"
    on {
      column = column.r
      op     = "&&"
    }
  }
}
schema "public" {
  comment = "standard public schema"
}
