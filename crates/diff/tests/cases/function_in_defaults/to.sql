CREATE FUNCTION next_code() RETURNS bigint LANGUAGE sql AS $$ SELECT 8::bigint $$;
CREATE FUNCTION is_valid(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x $$;
CREATE TABLE t (
  id integer PRIMARY KEY,
  code integer DEFAULT next_code(),
  n integer CONSTRAINT n_valid CHECK (is_valid(n) > 0)
);
CREATE INDEX t_valid_idx ON t (id) WHERE is_valid(n) > 0;
