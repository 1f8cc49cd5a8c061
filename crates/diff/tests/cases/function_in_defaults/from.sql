CREATE FUNCTION next_code() RETURNS integer LANGUAGE sql AS $$ SELECT 7 $$;
CREATE FUNCTION is_valid(x integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT x > 0 $$;
CREATE TABLE t (
  id integer PRIMARY KEY,
  code integer DEFAULT next_code(),
  n integer CONSTRAINT n_valid CHECK (is_valid(n))
);
CREATE INDEX t_valid_idx ON t (id) WHERE is_valid(n);
