CREATE TYPE level AS ENUM ('low', 'mid', 'high');
CREATE DOMAIN level_d AS level NOT NULL;
CREATE TYPE reading AS (l level, d level_d, note text);
CREATE TABLE t (id integer PRIMARY KEY, lv level_d, r reading, ls level[]);
INSERT INTO t VALUES (1, 'high', ROW('low', 'high', 'n'), '{low,high}');
