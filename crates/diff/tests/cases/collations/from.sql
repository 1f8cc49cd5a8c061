CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION gone (provider = libc, locale = 'C');
CREATE COLLATION "numeric" (provider = icu, locale = 'en-u-kn-true');
CREATE TABLE users (id integer, name text COLLATE ci, code text COLLATE "numeric");
CREATE INDEX users_name ON users (name);
