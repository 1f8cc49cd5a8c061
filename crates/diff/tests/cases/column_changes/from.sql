CREATE TABLE t (
  id integer NOT NULL,
  a integer,
  b text,
  c varchar(10),
  d text DEFAULT 'x',
  e integer,
  g integer GENERATED ALWAYS AS (a * 2) STORED,
  k integer GENERATED ALWAYS AS (a + 1) STORED,
  legacy text,
  h text,
  n text NOT NULL DEFAULT '1'
);
INSERT INTO t (id, a, b, c, e, legacy, h) VALUES (1, 2, '3', 'four', 5, 'old', 'h');
