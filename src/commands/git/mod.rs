//! `devkit git …`: git helpers.

mod auth;
mod local;
mod plan;
mod transport;
pub mod untag;
