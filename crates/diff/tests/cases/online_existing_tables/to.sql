-- The online plan on populated tables: indexes built and dropped concurrently, a foreign key
-- and a check added NOT VALID and validated, NOT NULL through a helper check, NOT NULL columns
-- added with a constant default (no rewrite), with a volatile one (backfilled) and without one
-- (on an empty table), a partitioned table's index (plain), and a new table (plain).
CREATE TABLE orgs (id integer PRIMARY KEY, name text);
CREATE TABLE users (
  id integer PRIMARY KEY,
  email text,
  name text NOT NULL,
  org_id integer,
  active boolean NOT NULL DEFAULT true,
  token uuid NOT NULL DEFAULT gen_random_uuid(),
  CONSTRAINT users_id_positive CHECK (id > 0),
  CONSTRAINT users_org_fkey FOREIGN KEY (org_id) REFERENCES orgs (id)
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE TABLE audit_log (id bigint PRIMARY KEY, kind text NOT NULL);
CREATE TABLE events (at date NOT NULL, n integer) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_n_idx ON events (n);
CREATE TABLE sessions (
  id bigint PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id),
  CONSTRAINT sessions_id_positive CHECK (id > 0)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
