-- Customers: the people who place orders.
CREATE TABLE customers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text NOT NULL,
    name        character varying(200) NOT NULL,
    legacy_code text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX customers_email_key ON customers (lower(email));
COMMENT ON TABLE customers IS 'People who buy things';
