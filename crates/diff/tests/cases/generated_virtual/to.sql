CREATE TABLE items (
  id int PRIMARY KEY,
  price numeric NOT NULL,
  qty int NOT NULL,
  total numeric GENERATED ALWAYS AS (price * qty) VIRTUAL,
  net numeric GENERATED ALWAYS AS (price * qty * 0.75) VIRTUAL,
  label text GENERATED ALWAYS AS ('item ' || id) VIRTUAL,
  gross numeric GENERATED ALWAYS AS (price * qty * 1.2) VIRTUAL
);
