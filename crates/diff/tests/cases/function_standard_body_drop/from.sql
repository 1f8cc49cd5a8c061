-- SQL-standard bodies record what they call and read in pg_depend: removing them all must drop
-- the callers first (pg-schema-diff's "add and drop functions with dependencies" moves such
-- functions to another schema).
CREATE SCHEMA billing;
CREATE TABLE billing.items (id bigint PRIMARY KEY, amount integer NOT NULL);
CREATE FUNCTION billing.total(a integer, b integer) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT
  RETURN a + b;
CREATE FUNCTION billing."bump it"(i integer) RETURNS integer
  LANGUAGE plpgsql
  AS $$ BEGIN RETURN i + 1; END; $$;
CREATE FUNCTION billing.combined(a integer, b integer) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT
  RETURN billing.total(a, b) + billing."bump it"(a);
CREATE FUNCTION billing.item_count() RETURNS bigint
  LANGUAGE sql STABLE
  BEGIN ATOMIC
    SELECT count(*) FROM billing.items;
  END;
