table "customers" {
  schema = schema.shop
  column "id" {
    null = false
    type = bigint
    identity {
      generated = ALWAYS
    }
  }
  column "email" {
    null = false
    type = sql("public.citext")
  }
  column "best_order" {
    null = true
    type = bigint
  }
  column "address" {
    null = true
    type = composite.address
  }
  column "updated_at" {
    null = true
    type = timestamptz
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "customers_best_order_fkey" {
    columns     = [column.best_order]
    ref_columns = [table.orders.column.id]
    on_update   = NO_ACTION
    on_delete   = NO_ACTION
  }
  unique "customers_email_key" {
    columns = [column.email]
  }
}
table "orders" {
  schema  = schema.shop
  comment = "what was bought"
  column "id" {
    null = false
    type = bigserial
  }
  column "number" {
    null    = false
    type    = bigint
    default = sql("shop.next_number()")
  }
  column "customer_id" {
    null = false
    type = bigint
  }
  column "status" {
    null    = false
    type    = enum.status
    default = "new"
  }
  column "total" {
    null    = true
    type    = domain.price
    comment = "in euros"
  }
  column "window_" {
    null = true
    type = range.floatrange
  }
  column "updated_at" {
    null = true
    type = timestamptz
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "orders_customer_id_fkey" {
    columns     = [column.customer_id]
    ref_columns = [table.customers.column.id]
    on_update   = NO_ACTION
    on_delete   = CASCADE
  }
  index "orders_customer_idx" {
    on {
      column = column.customer_id
    }
    on {
      column = column.id
      desc   = true
    }
  }
  check "orders_total_check" {
    expr = "(total::numeric > 0::numeric)"
  }
}
view "paid_customers" {
  schema     = schema.shop
  as         = <<-SQL
    SELECT DISTINCT c.email
       FROM shop.customers c
         JOIN shop.paid_orders p ON p.customer_id = c.id
  SQL
  depends_on = [table.customers, table.customers.column.email, table.customers.column.id, view.paid_orders.column.customer_id, view.paid_orders]
  column "email" {
    type = sql("public.citext")
  }
}
view "paid_orders" {
  schema     = schema.shop
  as         = <<-SQL
    SELECT orders.id,
        orders.total,
        orders.customer_id
       FROM shop.orders
      WHERE orders.status = 'paid'::shop.status
  SQL
  depends_on = [table.orders, table.orders.column.customer_id, table.orders.column.id, table.orders.column.status, table.orders.column.total, enum.status]
  column "id" {
    type = bigint
  }
  column "total" {
    type = domain.price
  }
  column "customer_id" {
    type = bigint
  }
}
function "next_number" {
  schema = schema.shop
  lang   = SQL
  return = bigint
  as     = " SELECT nextval('shop.order_numbers') "
}
function "touch" {
  schema = schema.shop
  lang   = PLpgSQL
  return = trigger
  as     = <<-SQL

    BEGIN
      NEW.updated_at := now();
      RETURN NEW;
    END

  SQL
}
trigger "orders_touch" {
  on  = table.orders
  for = ROW
  before {
    update = true
  }
  execute {
    function = function.touch
  }
}
sequence "order_numbers" {
  schema    = schema.shop
  type      = bigint
  start     = 1000
  increment = 10
}
enum "status" {
  schema = schema.shop
  values = ["new", "paid", "shipped"]
}
domain "price" {
  schema = schema.shop
  type   = numeric(10,2)
  null   = true
  check "price_check" {
    expr = "(VALUE >= 0::numeric)"
  }
}
composite "address" {
  schema = schema.shop
  field "street" {
    type = text
  }
  field "city" {
    type = text
  }
  field "zip" {
    type = domain.price
  }
}
range "floatrange" {
  schema       = schema.shop
  subtype      = double_precision
  subtype_diff = "float8mi"
  multirange   = "floatmultirange"
}
extension "citext" {
  schema  = schema.public
  version = "1.6"
  comment = "data type for case-insensitive character strings"
}
schema "public" {
  comment = "standard public schema"
}
schema "shop" {
  comment = "the shop"
}
