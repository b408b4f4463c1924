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

/// `make_wheel.py OUT DIST VERSION [REQUIRES…]`: a tiny wheel with real hashes.
const MAKE_WHEEL: &str = include_str!("make_wheel.py");

/// An in-tree PEP 517 backend, with `@NAME@`, `@VERSION@` and `@REQUIRES@` to fill in.
const INTREE_BACKEND: &str = include_str!("intree_backend.py");

/// The repository's own tools directory, where `scripts/test` installs uv.
pub fn tools_bin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".tools")
        .join("bin")
}

/// uv from `.tools/bin`; a test of the uv backend fails without it.
pub fn require_uv() -> PathBuf {
    super::require(&tools_bin().join("uv").display().to_string())
}

/// The pip wheel (≥ 26.1, reads pylock.toml) that `scripts/test` downloads into `.tools/wheels`.
pub const NEW_PIP: &str = "pip-26.1.2-py3-none-any.whl";

/// Copy that pip wheel into `wheels`; a test of pip's pylock support fails without it.
pub fn require_new_pip(wheels: &Path) {
    let wheel = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".tools/wheels")
        .join(NEW_PIP);
    assert!(
        wheel.exists(),
        "{} is missing: run scripts/test once (it downloads the wheels the tests need)",
        wheel.display()
    );
    std::fs::copy(&wheel, wheels.join(NEW_PIP)).unwrap();
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
pub fn other_pythons() -> Vec<Python> {
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

    /// A project `demo` 0.1 of today's kind: `[project]` with `dependencies`, then `rest`
    /// (extras, groups, requires-python…), an in-tree `[build-system]` unless `backend` is
    /// false, and `src/demo/__init__.py` saying `WHO = 'first'`.
    pub fn pyproject(&self, dependencies: &[&str], rest: &str, backend: bool) {
        let quoted: Vec<String> = dependencies.iter().map(|d| format!("{d:?}")).collect();
        let mut text = format!(
            "[project]\nname = \"demo\"\nversion = \"0.1\"\ndependencies = [{}]\n{rest}\n",
            quoted.join(", ")
        );
        if backend {
            text.push_str(
                "\n[build-system]\nrequires = []\nbuild-backend = \"intree\"\nbackend-path = [\"_build\"]\n",
            );
            let code = INTREE_BACKEND
                .replace("@NAME@", "'demo'")
                .replace("@VERSION@", "'0.1'")
                .replace("@REQUIRES@", &format!("[{}]", quoted.join(", ")));
            self.write("_build/intree.py", &code);
            self.write("_build/make_wheel.py", MAKE_WHEEL);
        }
        self.write("pyproject.toml", &text);
        self.write("src/demo/__init__.py", "WHO = 'first'\n");
    }

    /// `count` independent wheels `dep01` … (for a project with many dependencies).
    pub fn numbered_wheels(&self, count: usize) -> Vec<String> {
        (1..=count)
            .map(|i| {
                let name = format!("dep{i:02}");
                self.wheel(&name, "1.0", &[]);
                name
            })
            .collect()
    }

    /// `sha256:…` of a wheel in the wheelhouse, for `--hash=` lines.
    pub fn wheel_hash(&self, file: &str) -> String {
        use sha2::{Digest, Sha256};
        let bytes = std::fs::read(self.wheels.join(file)).unwrap();
        let digest = Sha256::digest(&bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    }

    /// uv itself, in the project, sealed (for `uv lock` and `uv export`).
    pub fn uv(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = self.program(require_uv());
        cmd.args(args);
        cmd.output().unwrap()
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

    /// `devkit pyenv ARGS…`, run to its end.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        self.pyenv(args).output().unwrap()
    }

    /// `devkit pyenv init ARGS…`, run to its end.
    pub fn init(&self, args: &[&str]) -> std::process::Output {
        self.run(&[&["init"], args].concat())
    }

    /// `devkit pyenv init ARGS…`, which must succeed.
    pub fn init_ok(&self, args: &[&str]) -> std::process::Output {
        let out = self.init(args);
        super::ok(&out);
        out
    }

    /// `devkit pyenv freeze`'s list, which must succeed.
    pub fn freeze(&self) -> String {
        let out = self.run(&["freeze"]);
        super::ok(&out);
        super::stdout_of(&out)
    }

    /// Any program in the project, with the same sealed environment as devkit.
    pub fn program(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::from_std(self.sandbox.sealed(program));
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

/// A backend's name and how to make a project that uses it.
pub type Backend = (&'static str, fn() -> Project);

/// The venv+pip backend and the uv one, for a test that both must pass.
pub fn both_backends() -> [Backend; 2] {
    [("venv", Project::new), ("uv", || Project::new().with_uv())]
}
