-- A column drawing from a standalone sequence that its serial form would own under the same
-- name becomes serial by adopting the sequence (its current value kept), not by dropping it
-- while the default still uses it (migra's `seq` fixture).
CREATE SEQUENCE orders_id_seq;
CREATE TABLE orders (id integer NOT NULL DEFAULT nextval('orders_id_seq'::regclass) PRIMARY KEY);
INSERT INTO orders DEFAULT VALUES;
INSERT INTO orders DEFAULT VALUES;
