-- `ci` changes strength (moved aside, created again, the column moved onto it); `gone` goes;
-- `added` is new and used by a new column.
CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level1', deterministic = false);
CREATE COLLATION added (provider = libc, locale = 'C');
CREATE COLLATION "numeric" (provider = icu, locale = 'en-u-kn-true');
COMMENT ON COLLATION "numeric" IS 'digits sort by value';
CREATE TABLE users (id integer, name text COLLATE ci, code text COLLATE "numeric", tag text COLLATE added);
CREATE INDEX users_name ON users (name);
