CREATE TABLE events (id integer NOT NULL, at date NOT NULL, note text) PARTITION BY RANGE (at);
CREATE INDEX events_at_idx ON events (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE events_old (id integer NOT NULL, at date NOT NULL, note text);
CREATE TABLE events_2025 (id integer NOT NULL, at date NOT NULL, note text);
ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE items (id integer NOT NULL, kind text NOT NULL) PARTITION BY HASH (id);
CREATE TABLE items_a PARTITION OF items FOR VALUES WITH (modulus 1, remainder 0);
