DO $$ BEGIN CREATE ROLE app_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE app_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE app_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app;
CREATE TABLE accounts (id serial PRIMARY KEY, email text, secret text);
CREATE TABLE audit (id integer, note text);
CREATE VIEW emails AS SELECT id, email FROM accounts;
CREATE FUNCTION answer() RETURNS integer LANGUAGE sql AS 'SELECT 42';
CREATE TYPE mood AS ENUM ('ok', 'meh');
CREATE TABLE fresh (id integer);
-- Column grant instead of the table grant; a grant option; a sequence of a serial column.
GRANT SELECT (id, email) ON accounts TO app_reader;
GRANT SELECT ON audit TO app_writer WITH GRANT OPTION;
GRANT UPDATE (note) ON audit TO app_reader;
GRANT USAGE, SELECT ON SEQUENCE accounts_id_seq TO app_writer;
GRANT SELECT ON emails TO PUBLIC;
GRANT INSERT ON fresh TO app_writer;
-- A built-in privilege revoked, and given to one role.
REVOKE EXECUTE ON FUNCTION answer() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION answer() TO app_reader;
REVOKE USAGE ON TYPE mood FROM PUBLIC;
GRANT USAGE ON SCHEMA app TO app_reader WITH GRANT OPTION;
-- Owners: given, and given back (accounts returns to the database's owner).
ALTER TABLE audit OWNER TO app_owner;
ALTER SCHEMA app OWNER TO app_owner;
ALTER FUNCTION answer() OWNER TO app_owner;
ALTER TABLE fresh OWNER TO app_owner;
ALTER TYPE mood OWNER TO app_owner;
