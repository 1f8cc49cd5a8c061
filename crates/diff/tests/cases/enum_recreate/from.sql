CREATE TYPE status AS ENUM ('new', 'legacy', 'paid');
CREATE TABLE orders (id integer PRIMARY KEY, status status NOT NULL DEFAULT 'new', history status[]);
CREATE VIEW paid AS SELECT id FROM orders WHERE status = 'paid';
CREATE FUNCTION is_paid(s status) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT s = 'paid' $$;
INSERT INTO orders VALUES (1, 'paid', '{new,paid}');
