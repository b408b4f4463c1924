//! `devkit blog …`: validate Markdown posts and publish them.

pub mod check;
pub mod durable;
pub mod kv;
pub mod new;
pub mod plan;
pub mod post;
pub mod push;
pub mod target;
