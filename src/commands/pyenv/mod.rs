//! `devkit pyenv …`: a project's Python virtual environment.
//!
//! `init` runs the pipeline: interpreter discovery and venv inspection (`crate::python`) →
//! `plan::decide` (pure) → a backend's steps → summary. `activate`, `run` and `freeze` use an
//! existing venv.

pub mod activate;
pub mod backend;
pub mod freeze;
pub mod init;
pub mod inputs;
pub mod plan;
pub mod report;
pub mod run;
pub mod seed;
pub mod shell;
pub mod tool;

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::PyenvDirArg;
use crate::config::{Config, Origin, Resolved};
use crate::error::DevkitError;

/// The venv directory: `--dir` (relative to the current directory) or `pyenv.dir` (relative
/// to where it was set; by default `.venv` in the project root).
pub fn venv_dir(arg: &PyenvDirArg, config: &Config) -> Resolved<PathBuf> {
    match &arg.dir {
        Some(dir) => Resolved {
            value: config.cwd().join(dir),
            origin: Origin::Flag {
                name: "--dir".into(),
            },
        },
        None => config.path("pyenv.dir").expect("pyenv.dir has a default"),
    }
}

/// An existing, working venv for `activate`, `run` and `freeze`.
pub fn existing_venv(dir: &Resolved<PathBuf>) -> Result<PathBuf> {
    let location = crate::python::venv::locate(&dir.value)?;
    let path = location.dir;
    if !path.join("pyvenv.cfg").is_file() {
        let what = if path.exists() {
            "is not a virtual environment (no pyvenv.cfg)"
        } else {
            "does not exist"
        };
        return Err(DevkitError::failure(format!(
            "the venv {} {what} (venv directory from {})",
            path.display(),
            dir.origin
        ))
        .with_hint("create it with `devkit pyenv init`")
        .into());
    }
    if std::fs::metadata(backend::venv_python(&path)).is_err() {
        return Err(DevkitError::failure(format!(
            "the venv {} is broken: bin/python does not run",
            path.display()
        ))
        .with_hint("rebuild it with `devkit pyenv init`")
        .into());
    }
    Ok(path)
}
