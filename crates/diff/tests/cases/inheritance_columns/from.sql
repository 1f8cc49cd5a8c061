CREATE TABLE base (id integer, legacy text, shared text);
CREATE TABLE child (extra text) INHERITS (base);
CREATE TABLE child2 (legacy text) INHERITS (base);
CREATE TABLE child3 (more text) INHERITS (base);
CREATE TABLE adopted (id integer, shared text, legacy text, own text) INHERITS (base);
CREATE TABLE standalone (id integer, legacy text, shared text);
CREATE TABLE child4 (x text) INHERITS (base);
