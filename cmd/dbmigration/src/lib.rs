//! The `dbmigration` binary's parts, as a library so integration tests can reach the scratch
//! cluster and the migration readers.

pub mod apply;
pub mod atlas_hcl;
pub mod canonical;
pub mod check;
pub mod cli;
pub mod command;
pub mod commands;
pub mod config;
pub mod example;
pub mod format;
pub mod locate;
pub mod migration;
pub mod output;
pub mod pipeline;
pub mod scratch;
pub mod source;
pub mod summary;
pub mod ui;
