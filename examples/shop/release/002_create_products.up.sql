CREATE TABLE products (
    id          serial PRIMARY KEY,
    sku         text NOT NULL UNIQUE,
    title       text NOT NULL,
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    tags        text[] NOT NULL DEFAULT '{}'
);

CREATE INDEX products_tags_idx ON products USING gin (tags);
