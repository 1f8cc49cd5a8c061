CREATE TABLE orders (id integer PRIMARY KEY, note text);
CREATE SEQUENCE orders_id_seq;
