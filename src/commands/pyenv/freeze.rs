//! `devkit pyenv freeze`: the venv's pinned package list, from the venv's own pip.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::backend::venv_python;
use super::tool::{failure, python_command};
use crate::cli::PyenvFreezeArgs;
use crate::config::{Config, Resolved};
use crate::error::ExitStatus;
use crate::output::Printer;

/// What `devkit pyenv freeze` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {
    pub dir: Resolved<PathBuf>,
    /// Write here (atomically) instead of stdout.
    pub output: Option<PathBuf>,
}

impl Settings {
    pub fn resolve(args: &PyenvFreezeArgs, config: &Config) -> Result<Self> {
        Ok(Self {
            dir: super::venv_dir(&args.dir, config),
            output: args.output.as_ref().map(|p| config.cwd().join(p)),
        })
    }
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    let venv = super::existing_venv(&settings.dir)?;
    let mut cmd = python_command(&venv_python(&venv));
    cmd.args(["-m", "pip", "freeze", "--disable-pip-version-check"]);
    let output = cmd
        .stderr(std::process::Stdio::piped())
        .output()
        .with_context(|| format!("cannot run {}", venv_python(&venv).display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<String> = stderr.lines().map(String::from).collect();
        let python = venv_python(&venv).display().to_string();
        return Err(failure("pip freeze", &python, output.status, &lines));
    }
    match &settings.output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&output.stdout)?;
            out.flush()?;
        }
        Some(file) => {
            write_atomically(file, &output.stdout)?;
            let count = output
                .stdout
                .split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .count();
            printer.info(format!(
                "Wrote {count} pinned packages to {}",
                file.display()
            ));
        }
    }
    Ok(ExitStatus::Success)
}

/// Write `bytes` to a temp file beside `file`, then rename it over `file`: readers see the old
/// list or the new one, never half of one.
pub fn write_atomically(file: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = file
        .file_name()
        .with_context(|| format!("{} names no file", file.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", file.display()))
}
