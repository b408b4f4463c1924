//! The test harness: a sealed sandbox (temp HOME and XDG_CONFIG_HOME, no DEVKIT_* from the
//! host, no colors) and a builder that spawns the real devkit binary inside it.
#![allow(dead_code)]

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
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_devkit"));
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

pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, contents).unwrap();
}

/// The stdout of a finished command as text.
pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The stderr of a finished command as text.
pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
