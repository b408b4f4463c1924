//! `devkit blog push`: publish the posts.

use anyhow::Result;

use crate::cli::BlogPushArgs;
use crate::config::Config;
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// What `devkit blog push` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {}

impl Settings {
    pub fn resolve(_args: &BlogPushArgs, _config: &Config) -> Result<Self> {
        Ok(Self {})
    }
}

pub fn run(_settings: &Settings, _printer: &Printer) -> Result<ExitStatus> {
    Err(DevkitError::failure("`devkit blog push` is not implemented yet").into())
}
