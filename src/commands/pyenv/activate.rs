//! `devkit pyenv activate`: the line that activates the venv in a shell.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use super::shell::Shell;
use crate::cli::PyenvActivateArgs;
use crate::config::{Config, Resolved};
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// What `devkit pyenv activate` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {
    pub shell: Shell,
    pub dir: Resolved<PathBuf>,
}

impl Settings {
    pub fn resolve(args: &PyenvActivateArgs, config: &Config) -> Result<Self> {
        let shell = match args.shell {
            Some(shell) => shell,
            None => {
                let env = |var: &str| std::env::var(var).ok();
                Shell::detect(&env, parent_program().as_deref()).ok_or_else(|| {
                    DevkitError::usage("cannot tell which shell this is").with_hint(format!(
                        "pass --shell {}",
                        crate::choice::names::<Shell>().join("|")
                    ))
                })?
            }
        };
        Ok(Self {
            shell,
            dir: super::venv_dir(&args.dir, config),
        })
    }
}

/// The name of the process that started devkit (Linux: `/proc/<ppid>/comm`).
pub fn parent_program() -> Option<String> {
    let ppid = std::os::unix::process::parent_id();
    std::fs::read_to_string(format!("/proc/{ppid}/comm"))
        .ok()
        .map(|name| name.trim().to_string())
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    let venv = super::existing_venv(&settings.dir)?;
    let bin = venv.join("bin");
    let has = |name: &str| bin.join(name).exists();
    let line = settings.shell.activation(&venv, &has);
    if let Some(note) = settings.shell.note(&venv, &has) {
        printer.warn(note);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(ExitStatus::Success)
}
