CREATE TABLE t (
  id integer PRIMARY KEY,
  a integer CONSTRAINT a_positive CHECK (a >= 0),
  b text CONSTRAINT t_b_key UNIQUE NULLS NOT DISTINCT,
  r tstzrange,
  c text
);
CREATE INDEX t_a_idx ON t (a DESC NULLS LAST) WHERE a > 10;
CREATE INDEX t_lower_c_idx ON t (lower(c));
CREATE UNIQUE INDEX t_c_new ON t (c) INCLUDE (a);
ALTER TABLE t ADD CONSTRAINT t_a_small CHECK (a < 100);
ALTER TABLE t ADD CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&) WHERE (id > 0);
COMMENT ON INDEX t_lower_c_idx IS 'case-insensitive lookups';
COMMENT ON CONSTRAINT t_b_key ON t IS 'one per b';
