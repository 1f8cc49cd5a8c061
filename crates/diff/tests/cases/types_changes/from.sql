CREATE DOMAIN score AS integer DEFAULT 0 CONSTRAINT score_range CHECK (VALUE BETWEEN 0 AND 10);
CREATE DOMAIN code AS varchar(5);
CREATE TYPE pair AS (a integer, b text, gone boolean);
CREATE TYPE swapped AS (x integer, y integer);
CREATE TABLE t (id integer PRIMARY KEY, s score, c code, p pair, w swapped);
INSERT INTO t VALUES (1, 5, 'ab', ROW(1, 'x', true), ROW(1, 2)), (2, 7, NULL, NULL, NULL);
