//! The two ways to build a venv and fill it: uv (`uv venv`, `uv pip install --python`), or the
//! standard library's `venv` with the venv's own pip. Both give a standard venv with pip in it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use super::inputs::Install;
use super::seed;
use super::tool::{Tool, python_command};
use crate::error::DevkitError;
use crate::python::interpreter::Interpreter;

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

    /// The installer command for the venv at `dir`: `uv pip install --python …` or the
    /// venv's own `python -m pip install`.
    fn installer(&self, dir: &Path) -> Command {
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
        // An active venv or conda environment must not be where anything goes.
        cmd.env_remove("VIRTUAL_ENV").env_remove("CONDA_PREFIX");
        cmd
    }

    fn installer_name(&self) -> &'static str {
        match self {
            Backend::Uv(_) => "uv pip install",
            Backend::Venv => "pip install",
        }
    }

    /// Install what `install` says into the venv at `dir` (made from `interp`).
    pub fn install(
        &self,
        dir: &Path,
        interp: &Interpreter,
        install: &Install,
        upgrade: bool,
        tool: &Tool,
    ) -> Result<()> {
        let what = self.installer_name();
        match install {
            Install::Nothing => Ok(()),
            Install::Plain {
                files,
                hashed,
                requirements,
                editable,
                deps_listed,
            } => {
                let mut cmd = self.installer(dir);
                if upgrade {
                    cmd.arg("--upgrade");
                }
                if *hashed {
                    cmd.arg("--require-hashes");
                }
                for file in files {
                    cmd.arg("-r").arg(file);
                }
                cmd.args(requirements);
                match editable {
                    // Hash-checked requirements pin every dependency; the project, which has no
                    // hash, goes in on its own without them.
                    Some(root) if *hashed => {
                        tool.run(cmd, what)?;
                        let mut cmd = self.installer(dir);
                        cmd.arg("--no-deps").arg("-e").arg(root);
                        tool.run(cmd, "installing the project (editable)").map(drop)
                    }
                    // pip installs one package after another, and building the project is
                    // mostly waiting for its backend's processes: two pips at once, one for
                    // the dependencies and one building the project, take the time of the
                    // longer. Only when devkit's requirements are all the project needs.
                    Some(root)
                        if *deps_listed
                            && *self == Backend::Venv
                            && (!files.is_empty() || !requirements.is_empty()) =>
                    {
                        let mut project = self.installer(dir);
                        project.arg("--no-deps").arg("-e").arg(root);
                        let (deps, project) = std::thread::scope(|scope| {
                            let deps = scope.spawn(|| tool.run(cmd, what));
                            let project = tool.run(project, "installing the project (editable)");
                            (deps.join(), project)
                        });
                        deps.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                        project.map(drop)
                    }
                    Some(root) => {
                        cmd.arg("-e").arg(root);
                        tool.run(cmd, what).map(drop)
                    }
                    None => tool.run(cmd, what).map(drop),
                }
            }
            Install::PyLock {
                lock,
                editable,
                packages,
            } => {
                let mut cmd = self.installer(dir);
                if let Backend::Uv(_) = self {
                    cmd.args(["--preview-features", "pylock"]);
                }
                cmd.arg("-r").arg(lock);
                tool.run(cmd, what)?;
                if let Some(root) = editable {
                    let mut cmd = self.installer(dir);
                    cmd.arg("--no-deps").arg("-e").arg(root);
                    tool.run(cmd, "installing the project (editable)")?;
                }
                self.extra_packages(dir, packages, tool)
            }
            Install::UvLock {
                project,
                flags,
                packages,
                ..
            } => {
                let Backend::Uv(uv) = self else {
                    unreachable!("init refuses uv.lock without uv")
                };
                let mut cmd = Command::new(uv);
                cmd.args(["sync", "--locked", "--python"])
                    .arg(&interp.executable)
                    .args(flags)
                    .current_dir(project)
                    .env("UV_PROJECT_ENVIRONMENT", dir)
                    .env_remove("VIRTUAL_ENV")
                    .env_remove("CONDA_PREFIX");
                tool.run(cmd, "uv sync --locked")?;
                self.extra_packages(dir, packages, tool)
            }
        }
    }

    fn extra_packages(&self, dir: &Path, packages: &[String], tool: &Tool) -> Result<()> {
        if packages.is_empty() {
            return Ok(());
        }
        let mut cmd = self.installer(dir);
        cmd.args(packages);
        tool.run(cmd, self.installer_name()).map(drop)
    }
}

/// The venv's interpreter.
pub fn venv_python(dir: &Path) -> PathBuf {
    dir.join("bin").join("python")
}
