table "adopted" {
  schema   = schema.public
  inherits = [table.base]
  column "id" {
    null = true
    type = integer
  }
  column "legacy" {
    null = true
    type = text
  }
  column "shared" {
    null = true
    type = text
  }
  column "own" {
    null = true
    type = text
  }
}
table "base" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "legacy" {
    null = true
    type = text
  }
  column "shared" {
    null = true
    type = text
  }
}
table "child" {
  schema   = schema.public
  inherits = [table.base]
  column "id" {
    null      = true
    type      = integer
    inherited = true
  }
  column "legacy" {
    null      = true
    type      = text
    inherited = true
  }
  column "shared" {
    null      = true
    type      = text
    inherited = true
  }
  column "extra" {
    null = true
    type = text
  }
}
table "child2" {
  schema   = schema.public
  inherits = [table.base]
  column "id" {
    null      = true
    type      = integer
    inherited = true
  }
  column "legacy" {
    null = true
    type = text
  }
  column "shared" {
    null      = true
    type      = text
    inherited = true
  }
}
table "child3" {
  schema   = schema.public
  inherits = [table.base]
  column "id" {
    null      = true
    type      = integer
    inherited = true
  }
  column "legacy" {
    null      = true
    type      = text
    inherited = true
  }
  column "shared" {
    null      = true
    type      = text
    inherited = true
  }
  column "more" {
    null = true
    type = text
  }
}
table "child4" {
  schema   = schema.public
  inherits = [table.base]
  column "id" {
    null      = true
    type      = integer
    inherited = true
  }
  column "legacy" {
    null      = true
    type      = text
    inherited = true
  }
  column "shared" {
    null      = true
    type      = text
    inherited = true
  }
  column "x" {
    null = true
    type = text
  }
}
table "standalone" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "legacy" {
    null = true
    type = text
  }
  column "shared" {
    null = true
    type = text
  }
}
schema "public" {
  comment = "standard public schema"
}
