//! `devkit pyenv run`: run a command inside the venv.

use anyhow::Result;

use crate::cli::PyenvRunArgs;
use crate::config::Config;
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// What `devkit pyenv run` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {}

impl Settings {
    pub fn resolve(_args: &PyenvRunArgs, _config: &Config) -> Result<Self> {
        Ok(Self {})
    }
}

pub fn run(_settings: &Settings, _printer: &Printer) -> Result<ExitStatus> {
    Err(DevkitError::failure("`devkit pyenv run` is not implemented yet").into())
}
