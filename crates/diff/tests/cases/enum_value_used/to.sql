CREATE TYPE status AS ENUM ('new', 'doing', 'done');
CREATE TABLE tasks (id integer, status status DEFAULT 'doing', CONSTRAINT tasks_status_check CHECK (status <> 'doing' OR id > 0));
CREATE INDEX tasks_doing_idx ON tasks (id) WHERE status = 'doing';
