//! `devkit pyenv freeze`: the venv's pinned package list.

use anyhow::Result;

use crate::cli::PyenvFreezeArgs;
use crate::config::Config;
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// What `devkit pyenv freeze` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {}

impl Settings {
    pub fn resolve(_args: &PyenvFreezeArgs, _config: &Config) -> Result<Self> {
        Ok(Self {})
    }
}

pub fn run(_settings: &Settings, _printer: &Printer) -> Result<ExitStatus> {
    Err(DevkitError::failure("`devkit pyenv freeze` is not implemented yet").into())
}
