-- SQL-standard bodies record what they call and read in pg_depend: removing them all must drop
-- the callers first (pg-schema-diff's "add and drop functions with dependencies" moves such
-- functions to another schema).
CREATE SCHEMA ledger;
CREATE TABLE ledger.items (id bigint PRIMARY KEY, amount integer NOT NULL);
CREATE FUNCTION ledger.total(a integer, b integer) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT
  RETURN a + b;
CREATE FUNCTION ledger."bump it"(i integer) RETURNS integer
  LANGUAGE plpgsql
  AS $$ BEGIN RETURN i + 1; END; $$;
CREATE FUNCTION ledger.combined(a integer, b integer) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT
  RETURN ledger.total(a, b) + ledger."bump it"(a);
CREATE FUNCTION ledger.item_count() RETURNS bigint
  LANGUAGE sql STABLE
  BEGIN ATOMIC
    SELECT count(*) FROM ledger.items;
  END;
