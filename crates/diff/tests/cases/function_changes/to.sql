CREATE TABLE t (id integer PRIMARY KEY, updated timestamptz);
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated := clock_timestamp(); RETURN NEW; END $$;
CREATE TRIGGER t_stamp BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION stamp();
CREATE FUNCTION answer() RETURNS bigint LANGUAGE sql AS $$ SELECT 42::bigint $$;
CREATE VIEW answers AS SELECT answer() AS a;
CREATE FUNCTION add(a integer, b integer, c integer DEFAULT 0) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT a + b + c $$;
CREATE PROCEDURE cleanup() LANGUAGE sql AS $$ DELETE FROM t WHERE id <= 0 $$;
COMMENT ON FUNCTION answer() IS 'the answer';
