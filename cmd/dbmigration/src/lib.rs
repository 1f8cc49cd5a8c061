//! The `dbmigration` binary's parts, as a library so integration tests can reach the scratch
//! cluster and the migration readers.

pub mod cli;
pub mod commands;
