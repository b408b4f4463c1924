//! `devkit blog …`: validate Markdown posts and publish them.

pub mod check;
pub mod new;
pub mod push;
