table "t" {
  schema = schema.public
  column "a" {
    null = false
    type = integer
    identity {
      generated = BY_DEFAULT
    }
  }
  column "b" {
    null = false
    type = serial
  }
  column "c" {
    null = false
    type = bigserial
  }
  column "d" {
    null = false
    type = bigint
  }
  column "e" {
    null = false
    type = integer
    identity {
      generated = ALWAYS
      increment = 5
    }
  }
  column "f" {
    null = false
    type = serial
  }
}
schema "public" {
  comment = "standard public schema"
}
