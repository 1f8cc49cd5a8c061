-- A column drawing from a standalone sequence that its serial form would own under the same
-- name becomes serial by adopting the sequence (its current value kept), not by dropping it
-- while the default still uses it (migra's `seq` fixture).
CREATE TABLE orders (id serial PRIMARY KEY);
