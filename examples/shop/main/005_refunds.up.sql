ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'paid';

CREATE TABLE refunds (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id),
    amount_cents integer NOT NULL CHECK (amount_cents > 0),
    reason      text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
