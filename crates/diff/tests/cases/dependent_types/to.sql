CREATE TYPE level AS ENUM ('high', 'low');
CREATE DOMAIN level_d AS level NOT NULL;
CREATE TYPE reading AS (l level, d level_d, note text);
CREATE TABLE t (id integer PRIMARY KEY, lv level_d, r reading, ls level[]);
