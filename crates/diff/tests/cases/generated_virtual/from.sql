CREATE TABLE items (
  id int PRIMARY KEY,
  price numeric NOT NULL,
  qty int NOT NULL,
  total numeric GENERATED ALWAYS AS (price * qty) STORED,
  net numeric GENERATED ALWAYS AS (price * qty * 0.8) VIRTUAL,
  label text GENERATED ALWAYS AS ('item ' || id) VIRTUAL
);
INSERT INTO items (id, price, qty) VALUES (1, 2.5, 4), (2, 10, 1);
