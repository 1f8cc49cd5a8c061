table "tasks" {
  schema = schema.public
  column "id" {
    null = true
    type = integer
  }
  column "status" {
    null    = true
    type    = enum.status
    default = "doing"
  }
  index "tasks_doing_idx" {
    columns = [column.id]
    where   = "(status = 'doing'::public.status)"
  }
  check "tasks_status_check" {
    expr = "(status <> 'doing'::public.status OR id > 0)"
  }
}
enum "status" {
  schema = schema.public
  values = ["new", "doing", "done"]
}
schema "public" {
  comment = "standard public schema"
}
