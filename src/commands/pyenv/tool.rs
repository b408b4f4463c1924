//! Running the installers and interpreters devkit drives: output captured line by line (echoed
//! with `-v`), and a failure that carries the program's last lines. Used by `backend` and `seed`.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use anyhow::{Context, Result};

use crate::error::DevkitError;

/// How many of an installer's last lines a failure shows.
const TAIL_LINES: usize = 25;

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
