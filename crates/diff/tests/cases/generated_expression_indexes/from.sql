CREATE TABLE items (id integer PRIMARY KEY, price numeric, qty integer, total numeric GENERATED ALWAYS AS (price * qty) STORED);
CREATE INDEX items_total_idx ON items (total);
CREATE TABLE other (id integer, total numeric);
INSERT INTO items VALUES (1, 2.5, 4);
