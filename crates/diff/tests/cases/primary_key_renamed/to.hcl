table "sp_distribution_set" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
  column "name" {
    null = true
    type = text
  }
  primary_key "pk_distribution_set" {
    columns = [column.id]
  }
}
table "sp_ds_sm" {
  schema = schema.public
  column "ds_id" {
    null = false
    type = bigint
  }
  foreign_key "fk_ds_sm_ds" {
    columns     = [column.ds_id]
    ref_columns = [table.sp_distribution_set.column.id]
    on_update   = NO_ACTION
    on_delete   = NO_ACTION
  }
}
table "sp_tag" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
  }
  unique "sp_tag_uq" {
    columns = [column.id]
  }
}
schema "public" {
  comment = "standard public schema"
}
