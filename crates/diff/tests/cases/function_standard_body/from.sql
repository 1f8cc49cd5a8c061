-- kestra: functions with SQL-standard bodies (PostgreSQL 14+) used by an index and a check on
-- a populated table; written dollar-quoted they would be string bodies that fail when run.
CREATE TABLE events (at text NOT NULL, n integer NOT NULL);
INSERT INTO events VALUES ('2024-06-17T10:00:00Z', 1), ('2024-12-17T10:00:00+01:00', 2);
