CREATE TABLE base (id integer, shared text);
-- child keeps "legacy" as its own column, child3 loses it with the parent.
CREATE TABLE child (extra text, legacy text) INHERITS (base);
CREATE TABLE child2 (legacy text) INHERITS (base);
CREATE TABLE child3 (more text) INHERITS (base);
-- Every inherited column becomes the table's own.
CREATE TABLE adopted (id integer, shared text, own text);
CREATE TABLE standalone (id integer, shared text);
CREATE TABLE child4 (id integer, shared text, x text);
ALTER TABLE adopted INHERIT base;
ALTER TABLE child4 INHERIT base;
ALTER TABLE standalone INHERIT base;
ALTER TABLE base ADD COLUMN added integer;
