CREATE TABLE accounts (id integer PRIMARY KEY, name text);
CREATE FUNCTION account_label(a accounts) RETURNS text LANGUAGE sql AS $$ SELECT a.name $$;
CREATE FUNCTION account_label_plpgsql(a public.accounts) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN a.name; END $$;
