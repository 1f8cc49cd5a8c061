CREATE TABLE t (
  id integer NOT NULL,
  a bigint NOT NULL,
  b integer,
  c varchar(20),
  d text DEFAULT 'y',
  e integer GENERATED ALWAYS AS IDENTITY,
  g integer GENERATED ALWAYS AS (a * 3) STORED,
  k integer,
  h text COLLATE "C",
  n integer DEFAULT 7,
  fresh boolean NOT NULL DEFAULT false
);
