-- The online plan on populated tables: indexes built and dropped concurrently, a foreign key
-- and a check added NOT VALID and validated, NOT NULL through a helper check, NOT NULL columns
-- added with a constant default (no rewrite), with a volatile one (backfilled) and without one
-- (on an empty table), a partitioned table's index (plain), and a new table (plain).
CREATE TABLE orgs (id integer PRIMARY KEY, name text);
CREATE TABLE users (
  id integer PRIMARY KEY,
  email text,
  name text,
  org_id integer
);
CREATE INDEX users_name_idx ON users (name);
CREATE TABLE audit_log (id bigint PRIMARY KEY);
CREATE TABLE events (at date NOT NULL, n integer) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO orgs VALUES (1, 'a'), (2, 'b');
INSERT INTO users SELECT g, 'u' || g || '@example.com', 'user ' || g, 1 + g % 2
  FROM generate_series(1, 500) g;
INSERT INTO events SELECT '2024-01-01'::date + g, g FROM generate_series(0, 99) g;
