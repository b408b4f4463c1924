//! `devkit pyenv activate`: the line that activates the venv in a shell.

use anyhow::Result;

use crate::cli::PyenvActivateArgs;
use crate::config::Config;
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// What `devkit pyenv activate` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {}

impl Settings {
    pub fn resolve(_args: &PyenvActivateArgs, _config: &Config) -> Result<Self> {
        Ok(Self {})
    }
}

pub fn run(_settings: &Settings, _printer: &Printer) -> Result<ExitStatus> {
    Err(DevkitError::failure("`devkit pyenv activate` is not implemented yet").into())
}
