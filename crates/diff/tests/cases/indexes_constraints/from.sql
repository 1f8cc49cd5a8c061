CREATE TABLE t (
  id integer PRIMARY KEY,
  a integer CONSTRAINT a_positive CHECK (a > 0),
  b text CONSTRAINT t_b_key UNIQUE,
  r tstzrange,
  c text
);
CREATE INDEX t_a_idx ON t (a);
CREATE INDEX t_lower_c_idx ON t (lower(c));
CREATE INDEX t_gone_idx ON t (c);
ALTER TABLE t ADD CONSTRAINT t_a_small CHECK (a < 100) NOT VALID;
ALTER TABLE t ADD CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&);
