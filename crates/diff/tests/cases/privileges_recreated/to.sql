-- The view is dropped and created again (its column is retyped), the function too (its result
-- type changes), and the column b is dropped and added again (generated now): each gets its
-- privileges and owner again.
DO $$ BEGIN CREATE ROLE app_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE app_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE t (a bigint, b text GENERATED ALWAYS AS ('x') STORED);
CREATE VIEW v AS SELECT a FROM t;
GRANT SELECT ON v TO app_reader;
ALTER VIEW v OWNER TO app_owner;
CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS 'SELECT 1';
REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION f() TO app_reader;
GRANT UPDATE (b) ON t TO app_reader;
-- A changed partition key re-creates the table, and its serial column's sequence.
CREATE TABLE p (id serial, k integer) PARTITION BY LIST (k);
GRANT USAGE ON SEQUENCE p_id_seq TO app_reader;
GRANT SELECT ON p TO app_reader;
