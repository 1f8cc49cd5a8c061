CREATE TABLE keep (id integer PRIMARY KEY);
-- hatchet's get_refill_value: a function taking a table's row type needs the table first.
CREATE TABLE "RateLimit" (id integer PRIMARY KEY, "value" integer NOT NULL);
CREATE FUNCTION get_refill_value(rate_limit "RateLimit") RETURNS integer LANGUAGE plpgsql
AS $$ BEGIN RETURN rate_limit."value"; END $$;
