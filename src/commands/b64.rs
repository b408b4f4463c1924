//! `devkit b64`: GNU-compatible base64.

use anyhow::Result;

use crate::cli::B64Args;
use crate::config::Config;
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// What `devkit b64` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {}

impl Settings {
    pub fn resolve(_args: &B64Args, _config: &Config) -> Result<Self> {
        Ok(Self {})
    }
}

pub fn run(_settings: &Settings, _printer: &Printer) -> Result<ExitStatus> {
    Err(DevkitError::failure("`devkit b64` is not implemented yet").into())
}
