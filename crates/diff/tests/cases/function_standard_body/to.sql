-- kestra: functions with SQL-standard bodies (PostgreSQL 14+) used by an index and a check on
-- a populated table; written dollar-quoted they would be string bodies that fail when run.
CREATE FUNCTION parse_iso8601_datetime(text) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE
  RETURN $1::timestamptz;
CREATE FUNCTION positive(n integer) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  BEGIN ATOMIC
    SELECT CASE WHEN n > 0 THEN true ELSE false END;
  END;
CREATE TABLE events (at text NOT NULL, n integer NOT NULL,
  CONSTRAINT events_n_positive CHECK (positive(n)));
CREATE INDEX events_at_idx ON events (parse_iso8601_datetime(at));
-- kestra's fulltext_index calls fulltext_replace: a SQL-standard body is parsed when created,
-- so the function it calls (and a table it reads) must exist first.
CREATE FUNCTION fulltext_replace(text, text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT
  RETURN regexp_replace($1, '[^a-z0-9]+', $2, 'g');
CREATE FUNCTION fulltext_index(text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT
  RETURN to_tsvector('simple', fulltext_replace($1, ' ')) || to_tsvector('simple', $1);
CREATE TABLE z_audit (id bigint);
CREATE FUNCTION audit_count() RETURNS bigint
  LANGUAGE sql STABLE
  BEGIN ATOMIC
    SELECT count(*) FROM z_audit;
  END;
