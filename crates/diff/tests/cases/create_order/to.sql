CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'the shop';
CREATE EXTENSION citext WITH SCHEMA public;
CREATE TYPE shop.status AS ENUM ('new', 'paid', 'shipped');
CREATE DOMAIN shop.price AS numeric(10,2) CHECK (VALUE >= 0);
CREATE TYPE shop.address AS (street text, city text, zip shop.price);
CREATE TYPE shop.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE SEQUENCE shop.order_numbers AS bigint START WITH 1000 INCREMENT BY 10;
CREATE FUNCTION shop.next_number() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('shop.order_numbers') $$;
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
CREATE TABLE shop.customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email public.citext NOT NULL UNIQUE,
  best_order bigint,
  address shop.address,
  updated_at timestamptz
);
CREATE TABLE shop.orders (
  id bigserial PRIMARY KEY,
  number bigint NOT NULL DEFAULT shop.next_number(),
  customer_id bigint NOT NULL REFERENCES shop.customers (id) ON DELETE CASCADE,
  status shop.status NOT NULL DEFAULT 'new',
  total shop.price CHECK (total > 0),
  window_ shop.floatrange,
  updated_at timestamptz
);
ALTER TABLE shop.customers ADD CONSTRAINT customers_best_order_fkey FOREIGN KEY (best_order) REFERENCES shop.orders (id);
CREATE INDEX orders_customer_idx ON shop.orders (customer_id, id DESC);
CREATE VIEW shop.paid_orders AS SELECT id, total, customer_id FROM shop.orders WHERE status = 'paid';
CREATE VIEW shop.paid_customers AS SELECT DISTINCT c.email FROM shop.customers c JOIN shop.paid_orders p ON p.customer_id = c.id;
CREATE TRIGGER orders_touch BEFORE UPDATE ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.touch();
COMMENT ON TABLE shop.orders IS 'what was bought';
COMMENT ON COLUMN shop.orders.total IS 'in euros';
