//! The two ways to build a venv and fill it: uv (`uv venv`, `uv pip install --python`), or the
//! standard library's `venv` with the venv's own pip. Both give a standard venv with pip in it.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use anyhow::{Context, Result};

use super::interpreter::Interpreter;
use super::seed;
use crate::error::DevkitError;

/// How many of an installer's last lines a failure shows.
const TAIL_LINES: usize = 25;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// uv, at this path.
    Uv(PathBuf),
    /// `python -m venv` and pip.
    Venv,
}

/// What a tool printed, line by line; `echo` sees each line as it arrives (for `-v`).
pub struct Tool<'a> {
    pub echo: &'a (dyn Fn(&str) + Sync),
}

impl Tool<'_> {
    /// Run `cmd` to the end. A failure carries the command's last lines.
    pub fn run(&self, mut cmd: Command, what: &str) -> Result<String> {
        let program = cmd.get_program().to_string_lossy().into_owned();
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot run {program} ({what})"))?;
        let lines = Mutex::new(Vec::new());
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        let read = |stream: &mut dyn Read| {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                (self.echo)(&line);
                lines.lock().expect("no panics while held").push(line);
            }
        };
        std::thread::scope(|scope| {
            scope.spawn(|| read(&mut { stdout }));
            read(&mut { stderr });
        });
        let status = child
            .wait()
            .with_context(|| format!("waiting for {what}"))?;
        let lines = lines.into_inner().expect("threads joined");
        if status.success() {
            return Ok(lines.join("\n"));
        }
        Err(failure(what, &program, status, &lines))
    }
}

/// "`what` failed: `program` exited with N", then the output's last lines.
pub fn failure(
    what: &str,
    program: &str,
    status: std::process::ExitStatus,
    lines: &[String],
) -> anyhow::Error {
    let tail: Vec<&str> = lines
        .iter()
        .map(String::as_str)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let tail = &tail[tail.len().saturating_sub(TAIL_LINES)..];
    let how = status
        .code()
        .map_or_else(|| "was killed".to_string(), |c| format!("exited with {c}"));
    let mut message = format!("{what} failed: {program} {how}");
    for line in tail {
        message.push_str("\n  | ");
        message.push_str(line);
    }
    DevkitError::failure(message).into()
}

/// A command for one of the venv's Pythons, clear of a `PYTHONHOME` that would break it.
pub fn python_command(python: &Path) -> Command {
    let mut cmd = Command::new(python);
    cmd.env_remove("PYTHONHOME");
    cmd
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
