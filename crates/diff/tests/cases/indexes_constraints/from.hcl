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
    columns = [column.a]
  }
  index "t_gone_idx" {
    columns = [column.c]
  }
  index "t_lower_c_idx" {
    on {
      expr = "lower(c)"
    }
  }
  check "a_positive" {
    expr = "(a > 0)"
  }
  check "t_a_small" {
    expr      = "(a < 100)"
    not_valid = true
  }
  unique "t_b_key" {
    columns = [column.b]
  }
  exclude "t_r_excl" {
    type = GIST
    on {
      column = column.r
      op     = "&&"
    }
  }
}
schema "public" {
  comment = "standard public schema"
}
