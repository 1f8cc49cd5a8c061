table "t" {
  schema = schema.public
  column "id" {
    null = false
    type = integer
  }
  column "a" {
    null = false
    type = bigint
  }
  column "b" {
    null = true
    type = integer
  }
  column "c" {
    null = true
    type = character_varying(20)
  }
  column "d" {
    null    = true
    type    = text
    default = "y"
  }
  column "e" {
    null = false
    type = integer
    identity {
      generated = ALWAYS
    }
  }
  column "g" {
    null = true
    type = integer
    as {
      expr = "(a * 3)"
      type = STORED
    }
  }
  column "k" {
    null = true
    type = integer
  }
  column "h" {
    null    = true
    type    = text
    collate = "C"
  }
  column "n" {
    null    = true
    type    = integer
    default = 7
  }
  column "fresh" {
    null    = false
    type    = boolean
    default = false
  }
}
schema "public" {
  comment = "standard public schema"
}
