table "customers" {
  schema  = schema.public
  comment = "People who buy things"
  column "id" {
    null = false
    type = bigint
    identity {
      generated = ALWAYS
    }
  }
  column "email" {
    null = false
    type = text
  }
  column "name" {
    null = false
    type = character_varying(200)
  }
  column "legacy_code" {
    null = true
    type = text
  }
  column "created_at" {
    null    = false
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  index "customers_email_key" {
    unique = true
    on {
      expr = "lower(email)"
    }
  }
}
table "order_items" {
  schema = schema.public
  column "order_id" {
    null = false
    type = bigint
  }
  column "product_id" {
    null = false
    type = integer
  }
  column "quantity" {
    null = false
    type = integer
  }
  primary_key {
    columns = [column.order_id, column.product_id]
  }
  foreign_key "order_items_order_id_fkey" {
    columns     = [column.order_id]
    ref_columns = [table.orders.column.id]
    on_update   = NO_ACTION
    on_delete   = CASCADE
  }
  foreign_key "order_items_product_id_fkey" {
    columns     = [column.product_id]
    ref_columns = [table.products.column.id]
    on_update   = NO_ACTION
    on_delete   = NO_ACTION
  }
  check "order_items_quantity_check" {
    expr = "(quantity > 0)"
  }
}
table "orders" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
    identity {
      generated = BY_DEFAULT
    }
  }
  column "customer_id" {
    null = false
    type = bigint
  }
  column "status" {
    null    = false
    type    = enum.order_status
    default = "new"
  }
  column "total_cents" {
    null    = false
    type    = integer
    default = 0
  }
  column "placed_at" {
    null    = false
    type    = timestamptz
    default = sql("now()")
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
  index "orders_open_idx" {
    where = "(status <> 'shipped'::public.order_status)"
    on {
      column = column.placed_at
      desc   = true
    }
  }
}
table "products" {
  schema = schema.public
  column "id" {
    null = false
    type = serial
  }
  column "sku" {
    null = false
    type = text
  }
  column "title" {
    null = false
    type = text
  }
  column "price_cents" {
    null = false
    type = integer
  }
  column "tags" {
    null    = false
    type    = sql("text[]")
    default = "{}"
  }
  primary_key {
    columns = [column.id]
  }
  index "products_tags_idx" {
    columns = [column.tags]
    type    = GIN
  }
  check "products_price_cents_check" {
    expr = "(price_cents >= 0)"
  }
  unique "products_sku_key" {
    columns = [column.sku]
  }
}
view "customer_order_totals" {
  schema     = schema.public
  as         = <<-SQL
    SELECT c.id AS customer_id,
        count(o.id) AS orders,
        COALESCE(sum(o.total_cents), 0::bigint) AS total_cents
       FROM public.customers c
         LEFT JOIN public.orders o ON o.customer_id = c.id
      GROUP BY c.id
  SQL
  depends_on = [table.customers, table.orders, table.customers.column.id, table.orders.column.customer_id, table.orders.column.id, table.orders.column.total_cents]
  column "customer_id" {
    type = bigint
  }
  column "orders" {
    type = bigint
  }
  column "total_cents" {
    type = bigint
  }
}
function "order_total_cents" {
  schema     = schema.public
  lang       = SQL
  return     = bigint
  as         = "\n        SELECT coalesce(sum(oi.quantity * p.price_cents), 0)\n        FROM order_items oi JOIN products p ON p.id = oi.product_id\n        WHERE oi.order_id = p_order\n    "
  volatility = STABLE
  arg "p_order" {
    type = bigint
  }
}
enum "order_status" {
  schema = schema.public
  values = ["new", "paid", "shipped"]
}
schema "public" {
  comment = "standard public schema"
}
