CREATE TABLE users (id integer, role text, CONSTRAINT users_role_check CHECK (role IN ('admin', 'user', 'guest')));
CREATE TABLE things (id integer, kind varchar(10) DEFAULT 'a'::character varying, CONSTRAINT things_kind_check CHECK (kind::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])));
CREATE INDEX things_kind_idx ON things (kind) WHERE kind IN ('a', 'b');
CREATE VIEW things_ab AS SELECT id FROM things WHERE kind IN ('a', 'b');
