CREATE TYPE mood AS ENUM ('awful', 'sad', 'ok', 'happy', 'ecstatic');
CREATE TABLE people (id integer PRIMARY KEY, mood mood DEFAULT 'sad');
