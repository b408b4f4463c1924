//! The harness for `devkit pyenv` tests: a project in a sandbox with a local wheelhouse of
//! tiny generated wheels, and installers sealed off from the host (no index, no user config,
//! no network, a private uv cache).
#![allow(dead_code)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::sync::OnceLock;

use assert_cmd::Command;

use crate::common::Sandbox;

/// Builds wheels with the standard library's zipfile: each has `<pkg>/__init__.py`,
/// `METADATA` (with `Requires-Dist` lines), `WHEEL` and a `RECORD` with real hashes.
const MAKE_WHEEL: &str = r#"
import base64, hashlib, sys, zipfile
out, dist, version = sys.argv[1:4]
requires = sys.argv[4:]
info = "%s-%s.dist-info" % (dist, version)
files = [
    ("%s/__init__.py" % dist, "VERSION = %r\n" % version),
    (info + "/METADATA", "Metadata-Version: 2.1\nName: %s\nVersion: %s\n%s" % (
        dist, version, "".join("Requires-Dist: %s\n" % r for r in requires))),
    (info + "/WHEEL", "Wheel-Version: 1.0\nGenerator: devkit-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
]
record = []
with zipfile.ZipFile("%s/%s-%s-py3-none-any.whl" % (out, dist, version), "w") as z:
    for name, text in files:
        data = text.encode()
        z.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (name, digest, len(data)))
    record.append(info + "/RECORD,,")
    z.writestr(info + "/RECORD", "\n".join(record) + "\n")
"#;

/// The repository's own tools directory, where `scripts/test` installs uv.
pub fn tools_bin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".tools")
        .join("bin")
}

/// uv from `.tools/bin`; a test of the uv backend fails without it.
pub fn require_uv() -> PathBuf {
    let uv = tools_bin().join("uv");
    assert!(
        uv.exists(),
        "uv is not installed at {}: run scripts/test once (it installs the tools the tests need)",
        uv.display()
    );
    uv
}

/// A real interpreter: its executable and `major.minor.micro`.
#[derive(Debug, Clone)]
pub struct Python {
    pub exe: PathBuf,
    pub version: String,
}

impl Python {
    pub fn minor(&self) -> String {
        self.version.rsplit_once('.').unwrap().0.to_string()
    }
}

fn ask(exe: &Path) -> Option<Python> {
    let out = StdCommand::new(exe)
        .args([
            "-c",
            "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])",
        ])
        .env_remove("PYTHONHOME")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    Some(Python {
        exe: PathBuf::from(lines.next()?),
        version: lines.next()?.to_string(),
    })
}

/// `python3` on the host's PATH: the interpreter devkit finds by default.
pub fn python3() -> &'static Python {
    static PY: OnceLock<Python> = OnceLock::new();
    PY.get_or_init(|| ask(Path::new("python3")).expect("the tests need python3 on PATH"))
}

fn version_tuple(v: &str) -> Vec<u32> {
    v.split('.').filter_map(|p| p.parse().ok()).collect()
}

/// Interpreters on this machine besides `python3` (`/usr/bin/python3.*`, pyenv builds).
fn other_pythons() -> Vec<Python> {
    let mut found = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/usr/bin") {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix("python3.").unwrap_or("");
            if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()) {
                dirs.push(e.path());
            }
        }
    }
    let pyenv_root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")));
    if let Some(root) = pyenv_root
        && let Ok(entries) = std::fs::read_dir(root.join("versions"))
    {
        for e in entries.flatten() {
            dirs.push(e.path().join("bin").join("python3"));
        }
    }
    for exe in dirs {
        if let Some(py) = ask(&exe) {
            found.push(py);
        }
    }
    found
}

/// An interpreter of another major.minor than `python3`, at least `min` (e.g. 3.8).
pub fn second_python() -> Option<&'static Python> {
    static PY: OnceLock<Option<Python>> = OnceLock::new();
    PY.get_or_init(|| {
        let primary = python3();
        other_pythons()
            .into_iter()
            .find(|p| p.minor() != primary.minor() && version_tuple(&p.version) >= vec![3, 8, 0])
    })
    .as_ref()
}

/// An interpreter older than 3.8, if the machine has one.
pub fn old_python() -> Option<&'static Python> {
    static PY: OnceLock<Option<Python>> = OnceLock::new();
    PY.get_or_init(|| {
        other_pythons().into_iter().find(|p| {
            version_tuple(&p.version) < vec![3, 8, 0] && version_tuple(&p.version) >= vec![3, 0, 0]
        })
    })
    .as_ref()
}

/// A project directory with a wheelhouse, and devkit sealed to use only it.
pub struct Project {
    pub sandbox: Sandbox,
    pub wheels: PathBuf,
    /// PATH for the commands: the host's without `.tools/bin` (no uv), unless `with_uv`.
    pub path: OsString,
}

impl Project {
    /// Wheels: alpha 1.0 (requires beta), beta 1.2, gamma 2.0.
    pub fn new() -> Self {
        let sandbox = Sandbox::new();
        let wheels = sandbox.root().join("wheels");
        std::fs::create_dir_all(&wheels).unwrap();
        let project = Project {
            sandbox,
            wheels,
            path: host_path_without_uv(),
        };
        project.wheel("alpha", "1.0", &["beta>=1"]);
        project.wheel("beta", "1.2", &[]);
        project.wheel("gamma", "2.0", &[]);
        project
    }

    pub fn wheel(&self, dist: &str, version: &str, requires: &[&str]) {
        let status = StdCommand::new(&python3().exe)
            .args(["-c", MAKE_WHEEL])
            .arg(&self.wheels)
            .args([dist, version])
            .args(requires)
            .status()
            .unwrap();
        assert!(status.success(), "building the {dist} wheel");
    }

    pub fn work(&self) -> PathBuf {
        self.sandbox.work()
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        self.sandbox.write(rel, text)
    }

    /// Put uv on PATH (from `.tools/bin`, failing when it is not there).
    pub fn with_uv(mut self) -> Self {
        require_uv();
        let mut dirs = vec![tools_bin()];
        dirs.extend(std::env::split_paths(&self.path));
        self.path = std::env::join_paths(dirs).unwrap();
        self
    }

    /// The sealed environment, on any command.
    pub fn seal(&self, cmd: &mut Command) {
        cmd.env("PATH", &self.path)
            .env("PIP_CONFIG_FILE", "/dev/null")
            .env("PIP_NO_INDEX", "1")
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env("PIP_FIND_LINKS", &self.wheels)
            .env("PIP_ROOT_USER_ACTION", "ignore")
            .env("UV_OFFLINE", "1")
            .env("UV_NO_CONFIG", "1")
            .env("UV_FIND_LINKS", &self.wheels)
            .env("UV_CACHE_DIR", self.sandbox.root().join("uv-cache"))
            .env("UV_PYTHON_DOWNLOADS", "never")
            // devkit's cache of unpacked pip is shared by the tests (entries appear atomically).
            .env(
                "XDG_CACHE_HOME",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("pyenv-cache"),
            )
            .env_remove("VIRTUAL_ENV")
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME")
            .env_remove("PIP_REQUIRE_VIRTUALENV")
            .env_remove("UV_INDEX_URL")
            .env_remove("UV_EXTRA_INDEX_URL")
            .env_remove("UV_PYTHON");
    }

    /// devkit in the project, sealed.
    pub fn devkit(&self) -> Command {
        let mut cmd = self.sandbox.devkit();
        self.seal(&mut cmd);
        cmd
    }

    /// `devkit pyenv ARGS…`
    pub fn pyenv(&self, args: &[&str]) -> Command {
        let mut cmd = self.devkit();
        cmd.arg("pyenv").args(args);
        cmd
    }

    /// Any program in the project, with the same sealed environment as devkit.
    pub fn program(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(self.work())
            .env("HOME", self.sandbox.home())
            .env("XDG_CONFIG_HOME", self.sandbox.xdg_config_home())
            .env("NO_COLOR", "1");
        self.seal(&mut cmd);
        cmd
    }

    pub fn venv(&self) -> PathBuf {
        self.work().join(".venv")
    }

    /// Run the venv's own Python.
    pub fn venv_python(&self, code: &str) -> std::process::Output {
        let mut cmd = self.program(self.venv().join("bin").join("python"));
        cmd.args(["-c", code]).output().unwrap()
    }
}

fn host_path_without_uv() -> OsString {
    let tools = tools_bin();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|d| *d != tools && !d.join("uv").exists())
        .collect();
    std::env::join_paths(dirs).unwrap()
}
