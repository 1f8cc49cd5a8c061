//! Two schema models in, an ordered list of PostgreSQL DDL statements out. Pure: no I/O.
