CREATE SCHEMA new_stuff;
COMMENT ON SCHEMA new_stuff IS 'fresh';
CREATE EXTENSION hstore;
CREATE EXTENSION pg_trgm;
CREATE TABLE new_stuff.t (id integer, tags public.hstore);
