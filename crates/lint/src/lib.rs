//! Lint PostgreSQL migration SQL: SQL text in, findings out. Pure: no I/O.
