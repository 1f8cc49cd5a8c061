-- A partition's own primary key makes its columns NOT NULL while the parent's stay nullable;
-- dropping the key leaves them NOT NULL, so the plan drops NOT NULL on the partition itself
-- (pg-schema-diff's "delete a primary key" on a local partition index). An inheritance child
-- gains its own NOT NULL while its parent's column stays nullable.
CREATE TABLE events (id integer, kind varchar(20), body bytea) PARTITION BY LIST (kind);
CREATE TABLE events_a PARTITION OF events (CONSTRAINT events_a_pkey PRIMARY KEY (kind, id))
  FOR VALUES IN ('a');
CREATE TABLE events_b PARTITION OF events FOR VALUES IN ('b');
CREATE TABLE base (id integer, note text);
CREATE TABLE child (extra text) INHERITS (base);
