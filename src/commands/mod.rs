//! One module per command group; each leaf has a `Settings::resolve(args, config)` that turns
//! clap types and config into plain settings, and one `run(settings, printer)` entry.

pub mod b64;
pub mod blog;
pub mod complete;
pub mod completions;
pub mod config;
pub mod config_schema;
pub mod doctor;
pub mod git;
pub mod pyenv;
