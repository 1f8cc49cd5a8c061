CREATE TYPE status AS ENUM ('new', 'done');
CREATE TABLE tasks (id integer, status status DEFAULT 'new');
