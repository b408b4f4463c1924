//! The one test harness every test file uses (`mod common;`): a sealed sandbox (temp HOME and
//! XDG_CONFIG_HOME, no DEVKIT_* from the host, no colors) and the real devkit binary run inside
//! it; `git` (sealed git runner and fixtures), `servers` (git daemon, smart HTTP, free ports),
//! `sshd` (OpenSSH and an agent), `python` (pyenv projects with local wheels, sealed
//! installers). A test whose outside tool is missing fails at once through `require`.
#![allow(dead_code)]

pub mod git;
pub mod python;
pub mod servers;
pub mod sshd;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub struct Sandbox {
    root: TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        let root = tempfile::Builder::new()
            .prefix("devkit-test-")
            .tempdir()
            .expect("temp dir");
        let sandbox = Sandbox { root };
        std::fs::create_dir_all(sandbox.home()).unwrap();
        std::fs::create_dir_all(sandbox.xdg_config_home()).unwrap();
        std::fs::create_dir_all(sandbox.work()).unwrap();
        sandbox
    }

    /// The sandbox's root directory (everything else lives below it).
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    pub fn home(&self) -> PathBuf {
        self.root().join("home")
    }

    pub fn xdg_config_home(&self) -> PathBuf {
        self.root().join("xdg")
    }

    /// The user config file devkit reads in this sandbox.
    pub fn user_config(&self) -> PathBuf {
        self.xdg_config_home().join("devkit").join("config.yaml")
    }

    /// The directory commands run in.
    pub fn work(&self) -> PathBuf {
        self.root().join("work")
    }

    /// Write `contents` to `rel` (relative to the work directory), creating parents.
    pub fn write(&self, rel: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.work().join(rel);
        write_file(&path, contents);
        path
    }

    pub fn write_user_config(&self, contents: &str) -> PathBuf {
        let path = self.user_config();
        write_file(&path, contents);
        path
    }

    /// devkit, run in the work directory with a sealed environment.
    pub fn devkit(&self) -> Command {
        Command::from_std(self.command())
    }

    /// The same sealed devkit as a std `Command`, for a child to spawn and wait for or kill.
    pub fn command(&self) -> std::process::Command {
        self.sealed(env!("CARGO_BIN_EXE_devkit"))
    }

    /// `program`, run in the work directory with the sandbox's HOME and config dirs, without
    /// the host's DEVKIT_* variables or color settings.
    pub fn sealed(&self, program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            if key.starts_with("DEVKIT_") || key == "NO_COLOR" || key == "CLICOLOR_FORCE" {
                cmd.env_remove(key.as_ref());
            }
        }
        cmd.current_dir(self.work())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.xdg_config_home())
            .env("NO_COLOR", "1");
        cmd
    }
}

/// `program` (a path, or a name on PATH); a test that needs it fails at once with one line
/// naming it when it is not installed.
pub fn require(program: &str) -> PathBuf {
    which::which(program).unwrap_or_else(|_| {
        panic!(
            "{program} is not installed: run scripts/test once (it installs what the tests need)"
        )
    })
}

/// PATH with the devkit under test first, for scripts that call `devkit` by name as an
/// installed one would be.
pub fn path_with_devkit() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_devkit")).parent().unwrap();
    let host = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&host)))
        .unwrap()
}

pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, contents).unwrap();
}

/// The command succeeded; else the test fails showing its exit status and both outputs.
pub fn ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        stdout_of(out),
        stderr_of(out)
    );
}

/// The command exited with `code`; its stderr, for the checks that follow. Else the test fails
/// showing both outputs.
pub fn failed(out: &std::process::Output, code: i32) -> String {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout_of(out),
        stderr_of(out)
    );
    stderr_of(out)
}

/// The command's stderr holds `needle`; else the test fails showing all of it. For a line among
/// output that varies (versions, timings); whole outputs are snapshots.
pub fn assert_stderr_contains(out: &std::process::Output, needle: &str) {
    assert_contains(&stderr_of(out), needle);
}

/// `text` holds `needle`; else the test fails showing all of it.
pub fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} not in:\n{text}");
}

/// The stdout of a finished command as text.
pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The stderr of a finished command as text.
pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// insta settings for a whole-output snapshot of what devkit printed in `sandbox`: its paths
/// read `[SANDBOX]`, devkit's version `[VERSION]`, a port on 127.0.0.1 `[PORT]`. Bind them around the assertion:
/// `let _filters = snapshot_filters(&sandbox).bind_to_scope();`.
pub fn snapshot_filters(sandbox: &Sandbox) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    let root = sandbox.root().display().to_string();
    settings.add_filter(&regex_escape(&root), "[SANDBOX]");
    settings.add_filter(&regex_escape(env!("CARGO_PKG_VERSION")), "[VERSION]");
    settings.add_filter(r"127\.0\.0\.1:[0-9]+", "127.0.0.1:[PORT]");
    settings
}

fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
