//! `devkit git …`: git helpers.

pub mod untag;
