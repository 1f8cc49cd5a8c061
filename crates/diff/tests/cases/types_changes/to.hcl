table "t" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "s" {
    null = true
    type = domain.score
  }
  column "c" {
    null = true
    type = domain.code
  }
  column "p" {
    null = true
    type = composite.pair
  }
  column "w" {
    null = true
    type = composite.swapped
  }
  primary_key {
    columns = [column.id]
  }
}
domain "code" {
  schema  = schema.public
  type    = text
  null    = true
  comment = "any length"
}
domain "score" {
  schema  = schema.public
  type    = integer
  null    = false
  default = 1
  check "score_odd" {
    expr = "((VALUE % 2) = 1)"
  }
  check "score_range" {
    expr = "(VALUE >= 0 AND VALUE <= 100)"
  }
}
composite "pair" {
  schema = schema.public
  field "a" {
    type = bigint
  }
  field "b" {
    type = text
  }
  field "c" {
    type = date
  }
}
composite "swapped" {
  schema = schema.public
  field "y" {
    type = integer
  }
  field "x" {
    type = integer
  }
}
schema "public" {
  comment = "standard public schema"
}
