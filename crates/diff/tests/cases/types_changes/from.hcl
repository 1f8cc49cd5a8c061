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
  schema = schema.public
  type   = character_varying(5)
  null   = true
}
domain "score" {
  schema  = schema.public
  type    = integer
  null    = true
  default = 0
  check "score_range" {
    expr = "(VALUE >= 0 AND VALUE <= 10)"
  }
}
composite "pair" {
  schema = schema.public
  field "a" {
    type = integer
  }
  field "b" {
    type = text
  }
  field "gone" {
    type = boolean
  }
}
composite "swapped" {
  schema = schema.public
  field "x" {
    type = integer
  }
  field "y" {
    type = integer
  }
}
schema "public" {
  comment = "standard public schema"
}
