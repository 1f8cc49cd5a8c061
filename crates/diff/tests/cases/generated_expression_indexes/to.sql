CREATE TABLE items (id integer PRIMARY KEY, price numeric, qty integer, total numeric GENERATED ALWAYS AS (price * qty * 2) STORED);
CREATE INDEX items_total_idx ON items (total);
CREATE TABLE other (id integer, total numeric);
