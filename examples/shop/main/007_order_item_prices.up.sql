-- Keep the price paid with each line, so later price changes do not rewrite history.
ALTER TABLE order_items ADD COLUMN unit_price_cents integer NOT NULL;
ALTER TABLE orders ADD COLUMN currency character(3) NOT NULL DEFAULT 'EUR';

CREATE FUNCTION set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

ALTER TABLE orders ADD COLUMN updated_at timestamptz;
CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
