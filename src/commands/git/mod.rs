//! `devkit git …`: git helpers.

mod auth;
mod local;
mod plan;
mod remote;
mod reply;
mod report;
mod select;
mod transport;
pub mod untag;
