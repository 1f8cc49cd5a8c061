CREATE TABLE users (id integer, role text, CONSTRAINT users_role_check CHECK (role IN ('admin', 'user')));
