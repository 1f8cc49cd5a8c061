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
  column "created_at" {
    null    = false
    type    = timestamptz
    default = sql("now()")
  }
  column "phone" {
    null = true
    type = text
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
  column "unit_price_cents" {
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
  column "currency" {
    null    = false
    type    = character(3)
    default = "EUR"
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
  index "orders_customer_id_idx" {
    columns = [column.customer_id]
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
table "refunds" {
  schema = schema.public
  column "id" {
    null = false
    type = bigint
    identity {
      generated = ALWAYS
    }
  }
  column "order_id" {
    null = false
    type = bigint
  }
  column "amount_cents" {
    null = false
    type = integer
  }
  column "reason" {
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
  foreign_key "refunds_order_id_fkey" {
    columns     = [column.order_id]
    ref_columns = [table.orders.column.id]
    on_update   = NO_ACTION
    on_delete   = NO_ACTION
  }
  check "refunds_amount_cents_check" {
    expr = "(amount_cents > 0)"
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
function "set_updated_at" {
  schema = schema.public
  lang   = PLpgSQL
  return = trigger
  as     = <<-SQL

    BEGIN
        NEW.updated_at := now();
        RETURN NEW;
    END

  SQL
}
trigger "orders_set_updated_at" {
  on  = table.orders
  for = ROW
  before {
    update = true
  }
  execute {
    function = function.set_updated_at
  }
}
enum "order_status" {
  schema = schema.public
  values = ["new", "paid", "refunded", "shipped"]
}
schema "public" {
  comment = "standard public schema"
}
