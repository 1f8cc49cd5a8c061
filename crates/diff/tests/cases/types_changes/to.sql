CREATE DOMAIN score AS integer NOT NULL DEFAULT 1 CONSTRAINT score_range CHECK (VALUE BETWEEN 0 AND 100) CONSTRAINT score_odd CHECK (VALUE % 2 = 1);
CREATE DOMAIN code AS text;
CREATE TYPE pair AS (a bigint, b text, c date);
CREATE TYPE swapped AS (y integer, x integer);
CREATE TABLE t (id integer PRIMARY KEY, s score, c code, p pair, w swapped);
COMMENT ON DOMAIN code IS 'any length';
