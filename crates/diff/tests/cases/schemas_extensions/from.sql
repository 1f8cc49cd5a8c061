CREATE SCHEMA old_stuff;
CREATE TABLE old_stuff.t (id integer);
CREATE EXTENSION hstore;
