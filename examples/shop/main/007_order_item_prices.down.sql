DROP TRIGGER orders_set_updated_at ON orders;
ALTER TABLE orders DROP COLUMN updated_at;
DROP FUNCTION set_updated_at();
ALTER TABLE orders DROP COLUMN currency;
ALTER TABLE order_items DROP COLUMN unit_price_cents;
