//! One module per command group; each leaf has a `Settings::resolve(args, config)` that turns
//! clap types and config into plain settings, and one `run(settings, printer)` entry.

pub mod b64;
pub mod blog;
pub mod complete;
pub mod config;
pub mod config_schema;
pub mod doctor;
pub mod generate;
pub mod git;
pub mod pyenv;

use std::path::PathBuf;

/// `$XDG_CACHE_HOME/devkit` (`~/.cache/devkit`), else a directory under the temp dir: what
/// devkit keeps between runs to be faster (pyenv's unpacked pip, blog push's hints), never
/// anything a run needs to be right.
pub fn cache_dir() -> PathBuf {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .map(|s| s.cache_dir().join("devkit"))
        .unwrap_or_else(|_| std::env::temp_dir().join("devkit-cache"))
}
