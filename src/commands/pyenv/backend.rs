//! The two ways to build a venv and fill it: uv (`uv venv`, `uv pip install --python`), or the
//! standard library's `venv` with the venv's own pip. Both give a standard venv with pip in it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use super::interpreter::Interpreter;
use super::seed;
use super::tool::{Tool, python_command};
use crate::error::DevkitError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// uv, at this path.
    Uv(PathBuf),
    /// `python -m venv` and pip.
    Venv,
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Uv(_) => "uv",
            Backend::Venv => "venv",
        }
    }

    /// Create an empty venv (no pip yet) at `dir` for `interp`.
    pub fn create(&self, interp: &Interpreter, dir: &Path, tool: &Tool) -> Result<()> {
        let mut cmd = match self {
            Backend::Uv(uv) => {
                let mut cmd = Command::new(uv);
                cmd.arg("venv")
                    .arg("--python")
                    .arg(&interp.executable)
                    .arg(dir);
                cmd
            }
            Backend::Venv => {
                let mut cmd = python_command(&interp.executable);
                cmd.args(["-m", "venv", "--without-pip"]).arg(dir);
                cmd
            }
        };
        cmd.env_remove("VIRTUAL_ENV");
        tool.run(cmd, "creating the venv").map(drop)
    }

    /// Give the venv pip: the interpreter's bundled wheel through devkit's cache, else the
    /// backend's own way (uv from its index or cache; `ensurepip`).
    pub fn seed_pip(
        &self,
        interp: &Interpreter,
        dir: &Path,
        cache: &Path,
        tool: &Tool,
    ) -> Result<()> {
        if seed::seed_pip(interp, dir, cache, tool)? {
            return Ok(());
        }
        let cmd = match self {
            Backend::Uv(uv) => {
                let mut cmd = Command::new(uv);
                cmd.args(["pip", "install", "--python"])
                    .arg(venv_python(dir))
                    .arg("pip");
                cmd
            }
            Backend::Venv => {
                let mut cmd = python_command(&venv_python(dir));
                cmd.args(["-m", "ensurepip", "--default-pip"]);
                cmd
            }
        };
        tool.run(cmd, "installing pip into the venv").map_err(|e| {
            e.context(
                DevkitError::failure(format!(
                    "{} has no bundled pip wheel and pip could not be installed otherwise",
                    interp.executable.display()
                ))
                .with_hint("on Debian or Ubuntu: apt install python3-venv"),
            )
        })?;
        Ok(())
    }

    /// Install requirements files and packages with the venv's own interpreter.
    pub fn install(
        &self,
        dir: &Path,
        requirements: &[PathBuf],
        packages: &[String],
        upgrade: bool,
        tool: &Tool,
    ) -> Result<()> {
        let mut cmd = match self {
            Backend::Uv(uv) => {
                let mut cmd = Command::new(uv);
                cmd.args(["pip", "install", "--python"])
                    .arg(venv_python(dir));
                cmd
            }
            Backend::Venv => {
                let mut cmd = python_command(&venv_python(dir));
                cmd.args([
                    "-m",
                    "pip",
                    "install",
                    "--disable-pip-version-check",
                    "--no-input",
                ]);
                cmd
            }
        };
        if upgrade {
            cmd.arg("--upgrade");
        }
        for file in requirements {
            cmd.arg("-r").arg(file);
        }
        cmd.args(packages);
        cmd.env_remove("PYTHONHOME");
        let what = match self {
            Backend::Uv(_) => "uv pip install",
            Backend::Venv => "pip install",
        };
        tool.run(cmd, what).map(drop)
    }
}

/// The venv's interpreter.
pub fn venv_python(dir: &Path) -> PathBuf {
    dir.join("bin").join("python")
}
