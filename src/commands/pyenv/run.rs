//! `devkit pyenv run`: run a command inside the venv.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use anyhow::Result;

use crate::cli::PyenvRunArgs;
use crate::config::{Config, Resolved};
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// What `devkit pyenv run` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {
    pub dir: Resolved<PathBuf>,
    pub command: Vec<OsString>,
}

impl Settings {
    pub fn resolve(args: &PyenvRunArgs, config: &Config) -> Result<Self> {
        Ok(Self {
            dir: super::venv_dir(&args.dir, config),
            command: args.command.clone(),
        })
    }
}

/// `PATH` with the venv's `bin` first.
pub fn path_with(bin: &std::path::Path, path: Option<OsString>) -> Result<OsString> {
    let mut dirs = vec![bin.to_path_buf()];
    if let Some(path) = path {
        dirs.extend(std::env::split_paths(&path));
    }
    Ok(std::env::join_paths(dirs)?)
}

/// A shell's exit status for a child: its code, or 128 + the signal that ended it.
pub fn exit_code(status: std::process::ExitStatus) -> u8 {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => u8::try_from(code & 0xff).unwrap_or(1),
        (None, Some(signal)) => u8::try_from(128 + signal).unwrap_or(255),
        (None, None) => 1,
    }
}

/// Ctrl-C and Ctrl-\ reach the child too (it is in the same process group) and the child
/// decides what they mean; devkit ignores them while it waits, so it stays to pass the child's
/// own exit status on. Set after the child started: an ignored signal would be inherited.
struct IgnoreInterrupts {
    previous: [(libc::c_int, libc::sighandler_t); 2],
}

impl IgnoreInterrupts {
    fn new() -> Self {
        // SAFETY: `signal` with SIG_IGN installs no handler code; the previous dispositions
        // are restored in `drop`.
        let previous = [libc::SIGINT, libc::SIGQUIT]
            .map(|sig| (sig, unsafe { libc::signal(sig, libc::SIG_IGN) }));
        Self { previous }
    }
}

impl Drop for IgnoreInterrupts {
    fn drop(&mut self) {
        for (sig, handler) in self.previous {
            // SAFETY: restores what `new` found.
            unsafe {
                libc::signal(sig, handler);
            }
        }
    }
}

pub fn run(settings: &Settings, _printer: &Printer) -> Result<ExitStatus> {
    let venv = super::existing_venv(&settings.dir)?;
    let bin = venv.join("bin");
    let (program, args) = settings
        .command
        .split_first()
        .expect("clap requires a command");
    let child = Command::new(program)
        .args(args)
        .env("VIRTUAL_ENV", &venv)
        .env("PATH", path_with(&bin, std::env::var_os("PATH"))?)
        .env_remove("PYTHONHOME")
        .spawn();
    let status = child.and_then(|mut child| {
        let _quiet = IgnoreInterrupts::new();
        child.wait()
    });
    match status {
        Ok(status) => Ok(ExitStatus::External(exit_code(status))),
        Err(e) => {
            let (code, what) = match e.kind() {
                std::io::ErrorKind::NotFound => (127, "not found"),
                std::io::ErrorKind::PermissionDenied => (126, "not executable"),
                _ => (126, "could not be started"),
            };
            Err(DevkitError {
                status: ExitStatus::External(code),
                message: format!(
                    "{} {what} (looked in {} and PATH): {e}",
                    program.to_string_lossy(),
                    bin.display()
                ),
                hint: None,
            }
            .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn codes_and_signals_map_like_a_shell() {
        assert_eq!(exit_code(std::process::ExitStatus::from_raw(3 << 8)), 3);
        assert_eq!(exit_code(std::process::ExitStatus::from_raw(9)), 137);
    }

    #[test]
    fn venv_bin_comes_first() {
        let path = path_with(std::path::Path::new("/v/bin"), Some("/usr/bin:/bin".into())).unwrap();
        assert_eq!(path, "/v/bin:/usr/bin:/bin");
    }
}
