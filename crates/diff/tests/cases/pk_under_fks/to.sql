CREATE TABLE parent (id integer NOT NULL, k integer NOT NULL, CONSTRAINT parent_pkey PRIMARY KEY (id, k), CONSTRAINT parent_id_key UNIQUE (id));
CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id));
CREATE TABLE other (id integer PRIMARY KEY, parent_id integer CONSTRAINT other_parent_fkey REFERENCES parent (id) ON DELETE SET NULL);
