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
  column "c" {
    null = true
    type = character_varying(10)
  }
  column "d" {
    null    = true
    type    = text
    default = "x"
  }
  column "e" {
    null = true
    type = integer
  }
  column "g" {
    null = true
    type = integer
    as {
      expr = "(a * 2)"
      type = STORED
    }
  }
  column "k" {
    null = true
    type = integer
    as {
      expr = "(a + 1)"
      type = STORED
    }
  }
  column "legacy" {
    null = true
    type = text
  }
  column "h" {
    null = true
    type = text
  }
  column "n" {
    null    = false
    type    = text
    default = "1"
  }
}
schema "public" {
  comment = "standard public schema"
}
