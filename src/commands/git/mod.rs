//! `devkit git …`: git helpers.

mod auth;
mod local;
mod plan;
mod reply;
mod select;
mod transport;
pub mod untag;
