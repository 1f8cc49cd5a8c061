table "t" {
  schema = schema.public
  column "a" {
    null = false
    type = serial
  }
  column "b" {
    null = false
    type = integer
    identity {
      generated = BY_DEFAULT
    }
  }
  column "c" {
    null = false
    type = bigint
  }
  column "d" {
    null = false
    type = bigserial
  }
  column "e" {
    null = false
    type = integer
    identity {
      generated = BY_DEFAULT
    }
  }
  column "f" {
    null = false
    type = smallserial
  }
}
schema "public" {
  comment = "standard public schema"
}
