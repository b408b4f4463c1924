//! Finding the Python interpreter a venv is built from: what was asked for (flag, config,
//! `.python-version`, PATH), the candidates that request names, and one probe per candidate
//! that tells its real executable, version and layout.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

/// The oldest Python devkit builds venvs for.
pub const MIN_VERSION: Version = Version {
    major: 3,
    minor: 8,
    micro: 0,
};

/// A Python version; `micro` is 0 when a request names only `3.12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub micro: u32,
}

impl Version {
    /// `3.12.1` → 3.12.1; `3.12` → 3.12.0 (see [`VersionRequest`] for prefix matching).
    pub fn parse(text: &str) -> Option<Version> {
        let request = VersionRequest::parse(text)?;
        Some(Version {
            major: request.parts[0],
            minor: request.parts.get(1).copied().unwrap_or(0),
            micro: request.parts.get(2).copied().unwrap_or(0),
        })
    }

    /// Same major and minor: a venv's packages (and its ABI) carry over.
    pub fn same_minor(&self, other: &Version) -> bool {
        self.major == other.major && self.minor == other.minor
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.micro)
    }
}

/// `3`, `3.12` or `3.12.1`: matches every version that starts with these parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRequest {
    parts: Vec<u32>,
}

impl VersionRequest {
    pub fn parse(text: &str) -> Option<VersionRequest> {
        let text = text.trim();
        let text = text
            .strip_prefix("python")
            .or_else(|| text.strip_prefix("cpython-"))
            .unwrap_or(text);
        let parts = text
            .split('.')
            .map(|p| p.parse::<u32>().ok())
            .collect::<Option<Vec<_>>>()?;
        (!parts.is_empty() && parts.len() <= 3).then_some(VersionRequest { parts })
    }

    pub fn matches(&self, version: &Version) -> bool {
        let have = [version.major, version.minor, version.micro];
        self.parts
            .iter()
            .zip(have)
            .all(|(want, have)| *want == have)
    }

    /// The versioned command name to look for on PATH: `python3.12` (or `python3`).
    fn command_name(&self) -> String {
        match self.parts.as_slice() {
            [major] => format!("python{major}"),
            [major, minor, ..] => format!("python{major}.{minor}"),
            [] => "python3".into(),
        }
    }
}

impl fmt::Display for VersionRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.parts.iter().map(u32::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Nothing: `python3`, then `python`, on PATH.
    Default,
    Version(VersionRequest),
    /// A path to an interpreter (contains a `/`).
    Path(PathBuf),
    /// A command name to look up on PATH (`pypy3`, `python3.12`).
    Command(String),
}

impl Request {
    /// `3.12` is a version, `./bin/python` or `/usr/bin/python3` a path, anything else a
    /// command name. A relative path is taken relative to `base`.
    pub fn parse(text: &str, base: &Path) -> Request {
        let text = text.trim();
        if text.contains('/') {
            Request::Path(base.join(text))
        } else if let Some(version) = VersionRequest::parse(text) {
            Request::Version(version)
        } else {
            Request::Command(text.to_string())
        }
    }
}

/// Why this request: shown when the interpreter is chosen and when none is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A flag or a config key (with its origin).
    Setting(String),
    /// A `.python-version` file.
    VersionFile(PathBuf),
    /// Nothing was asked for.
    Default,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Setting(origin) => f.write_str(origin),
            Reason::VersionFile(path) => write!(f, "{}", path.display()),
            Reason::Default => f.write_str("default"),
        }
    }
}

/// The content of a `.python-version` file: its first entry, unless it says `system`.
pub fn parse_python_version_file(text: &str) -> Option<String> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .find(|line| !line.is_empty())
        .filter(|entry| *entry != "system")
        .map(str::to_string)
}

/// The nearest `.python-version` from `start` upward, with its entry.
pub fn find_python_version_file(start: &Path) -> Option<(PathBuf, String)> {
    start.ancestors().find_map(|dir| {
        let path = dir.join(".python-version");
        let text = std::fs::read_to_string(&path).ok()?;
        parse_python_version_file(&text).map(|entry| (path, entry))
    })
}

/// An interpreter that ran and answered the probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpreter {
    /// The real executable (`sys.executable`), past any shim or symlink farm.
    pub executable: PathBuf,
    pub version: Version,
    /// `cpython-311`: names the bytecode cache layout.
    pub cache_tag: String,
    /// The standard library directory (holds `ensurepip/_bundled`).
    pub stdlib: PathBuf,
    /// site-packages relative to a venv's root, e.g. `lib/python3.11/site-packages`.
    pub purelib: PathBuf,
}

/// The probe: one interpreter start that says everything devkit needs. It must run on
/// Python 2 too, so that an old interpreter is reported as too old rather than as broken.
const PROBE: &str = r#"
import json, sys, sysconfig
def layout():
    v = {"base": "@", "platbase": "@", "installed_base": "@", "installed_platbase": "@"}
    for scheme in ("venv", "posix_prefix"):
        try:
            return sysconfig.get_path("purelib", scheme, vars=v)
        except KeyError:
            pass
    return "@/lib/python%d.%d/site-packages" % sys.version_info[:2]
print(json.dumps({
    "executable": sys.executable,
    "version": list(sys.version_info[:3]),
    "cache_tag": getattr(sys.implementation, "cache_tag", None) if hasattr(sys, "implementation") else None,
    "stdlib": sysconfig.get_path("stdlib"),
    "purelib": layout(),
}))
"#;

#[derive(Deserialize)]
struct ProbeAnswer {
    executable: String,
    version: Vec<u32>,
    cache_tag: Option<String>,
    stdlib: String,
    purelib: String,
}

/// Why a candidate was passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    NotFound,
    DidNotRun(String),
    WrongVersion(Version),
    TooOld(Version),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::NotFound => f.write_str("not found"),
            Rejection::DidNotRun(why) => write!(f, "did not run: {why}"),
            Rejection::WrongVersion(v) => write!(f, "is Python {v}"),
            Rejection::TooOld(v) => write!(f, "is Python {v}, older than {MIN_VERSION}"),
        }
    }
}

/// Run `candidate` once and read its answer.
pub fn probe(candidate: &Path) -> Result<Interpreter, Rejection> {
    let output = Command::new(candidate)
        .args(["-E", "-s", "-c", PROBE])
        .env_remove("PYTHONHOME")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Rejection::NotFound,
            _ => Rejection::DidNotRun(e.to_string()),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(Rejection::DidNotRun(
            last.unwrap_or("exited without a word").trim().to_string(),
        ));
    }
    parse_probe(&String::from_utf8_lossy(&output.stdout))
}

fn parse_probe(stdout: &str) -> Result<Interpreter, Rejection> {
    let bad = |why: &str| Rejection::DidNotRun(format!("unexpected answer to the probe ({why})"));
    let answer: ProbeAnswer = serde_json::from_str(stdout.trim()).map_err(|_| bad("not JSON"))?;
    let version = match answer.version.as_slice() {
        [major, minor, micro] => Version {
            major: *major,
            minor: *minor,
            micro: *micro,
        },
        _ => return Err(bad("no version")),
    };
    if version < MIN_VERSION {
        return Err(Rejection::TooOld(version));
    }
    let purelib = answer
        .purelib
        .strip_prefix("@/")
        .ok_or_else(|| bad("site-packages layout"))?;
    Ok(Interpreter {
        executable: PathBuf::from(answer.executable),
        version,
        cache_tag: answer
            .cache_tag
            .unwrap_or_else(|| format!("cpython-{}{}", version.major, version.minor)),
        stdlib: PathBuf::from(answer.stdlib),
        purelib: PathBuf::from(purelib),
    })
}

/// Where to look, in order, for a request. `which_all` lists a command's matches on PATH;
/// `pyenv_root` is where pyenv keeps its builds, if anywhere.
pub fn candidates(
    request: &Request,
    which_all: &dyn Fn(&str) -> Vec<PathBuf>,
    pyenv_versions: &[(Version, PathBuf)],
) -> Vec<(String, Option<PathBuf>)> {
    let on_path = |name: &str| -> Vec<(String, Option<PathBuf>)> {
        let found = which_all(name);
        if found.is_empty() {
            vec![(format!("{name} on PATH"), None)]
        } else {
            found
                .into_iter()
                .map(|p| (format!("{name} on PATH"), Some(p)))
                .collect()
        }
    };
    match request {
        Request::Default => [on_path("python3"), on_path("python")].concat(),
        Request::Path(path) => vec![(path.display().to_string(), Some(path.clone()))],
        Request::Command(name) => on_path(name),
        Request::Version(want) => {
            let mut out = on_path(&want.command_name());
            let mut builds: Vec<&(Version, PathBuf)> = pyenv_versions
                .iter()
                .filter(|(v, _)| want.matches(v))
                .collect();
            builds.sort_by_key(|b| std::cmp::Reverse(b.0));
            out.extend(
                builds
                    .into_iter()
                    .map(|(_, p)| ("a pyenv build".to_string(), Some(p.clone()))),
            );
            out.extend(on_path("python3"));
            out
        }
    }
}

/// pyenv's builds: `$PYENV_ROOT/versions/<version>/bin/python3` (default root `~/.pyenv`).
pub fn pyenv_versions() -> Vec<(Version, PathBuf)> {
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")));
    let Some(root) = root else { return Vec::new() };
    let Ok(entries) = std::fs::read_dir(root.join("versions")) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| {
            let e = e.ok()?;
            let version = Version::parse(e.file_name().to_str()?)?;
            let exe = e.path().join("bin").join("python3");
            exe.exists().then_some((version, exe))
        })
        .collect()
}

/// The build a pyenv shim would run: `PYENV_VERSION`, else the nearest `.python-version`
/// (from `PYENV_DIR` or the current directory upward), else `$PYENV_ROOT/version`. `None`
/// when `shim` is no pyenv shim or the choice is `system` or unknown (then the shim runs).
pub fn pyenv_shim_target(shim: &Path, env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let root = env("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".pyenv")))?;
    if shim.parent()? != root.join("shims") {
        return None;
    }
    let command = shim.file_name()?;
    let versions: Vec<String> = if let Some(list) = env("PYENV_VERSION").filter(|v| !v.is_empty()) {
        list.split(':').map(str::to_string).collect()
    } else {
        let start = env("PYENV_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok())?;
        let file = start
            .ancestors()
            .map(|dir| dir.join(".python-version"))
            .find(|p| p.is_file())
            .unwrap_or_else(|| root.join("version"));
        let text = std::fs::read_to_string(file).unwrap_or_default();
        text.split_whitespace().map(str::to_string).collect()
    };
    let builds = root.join("versions");
    for version in versions {
        if version == "system" {
            return None;
        }
        let exe = builds.join(&version).join("bin").join(command);
        if exe.is_file() {
            return Some(exe);
        }
        // pyenv reads `3.11` as the newest 3.11 build installed.
        if let Some(latest) = pyenv_latest(&builds, &version) {
            let exe = builds.join(latest).join("bin").join(command);
            if exe.is_file() {
                return Some(exe);
            }
        }
    }
    None
}

/// The build pyenv runs for a version name that is no build of its own (`3.11` → `3.11.7`):
/// the newest build in `versions` that the name starts, up to a `.` or `-`, leaving out what
/// `pyenv latest` leaves out (`-dev`, `-src`, `-latest`, pre-releases, free-threaded `t`
/// builds).
pub fn pyenv_latest(versions: &Path, prefix: &str) -> Option<String> {
    let skipped = |name: &str| {
        let unnumbered = name.trim_end_matches(|c: char| c.is_ascii_digit());
        let pre_release = unnumbered.len() < name.len()
            && ["a", "b", "rc"].iter().any(|p| unnumbered.ends_with(p));
        let free_threaded = name
            .strip_suffix('t')
            .is_some_and(|n| n.ends_with(|c: char| c.is_ascii_digit()));
        ["-dev", "-src", "-latest"]
            .iter()
            .any(|s| name.ends_with(s))
            || pre_release
            || free_threaded
    };
    // Numeric fields compare as numbers: 3.11.10 is newer than 3.11.9.
    let key = |name: &str| -> Vec<u64> {
        name.split(['.', '-'])
            .map(|f| {
                let digits: String = f.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().unwrap_or(0)
            })
            .collect()
    };
    std::fs::read_dir(versions)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| {
            name.strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(['.', '-']))
        })
        .filter(|name| !skipped(name))
        .max_by_key(|name| key(name))
}

/// Why [`discover`] found nothing: what was wanted and each place searched, with its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    /// `Python 3.14`, the interpreter `pypy3.10`, …
    pub wanted: String,
    pub searched: Vec<String>,
    pub too_old: bool,
}

impl Request {
    /// What the request asks for, in a sentence: `Python 3.12`, `interpreter `pypy3``.
    pub fn describe(&self) -> String {
        match self {
            Request::Version(v) => format!("Python {v}"),
            Request::Path(p) => format!("interpreter at {}", p.display()),
            Request::Command(c) => format!("interpreter `{c}`"),
            Request::Default => "Python interpreter".into(),
        }
    }

    /// Whether an interpreter of `version` fulfils the request without looking further
    /// (a path or command names one program, which only a probe can tell).
    pub fn accepts_version(&self, version: &Version) -> bool {
        match self {
            Request::Default => true,
            Request::Version(want) => want.matches(version),
            Request::Path(_) | Request::Command(_) => false,
        }
    }
}

/// Find the interpreter `request` names: the first candidate that runs, is new enough, and
/// (for a version request) has a matching version. `accept` may pass over more (for
/// `requires-python`); the error lists every place searched.
pub fn discover(
    request: &Request,
    accept: &dyn Fn(&Interpreter) -> Result<(), String>,
) -> Result<Interpreter, NotFound> {
    let which_all = |name: &str| -> Vec<PathBuf> {
        which::which_all(name)
            .map(|found| found.collect())
            .unwrap_or_default()
    };
    let builds = match request {
        Request::Version(_) => pyenv_versions(),
        _ => Vec::new(),
    };
    let mut searched = Vec::new();
    let mut seen = Vec::new();
    for (label, path) in candidates(request, &which_all, &builds) {
        let Some(path) = path else {
            searched.push(format!("{label}: not found"));
            continue;
        };
        // `/bin/python3` is `/usr/bin/python3` on a merged-/usr system: probe it once.
        let same = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.contains(&same) {
            continue;
        }
        seen.push(same);
        let verdict = probe_resolving_shims(&path).and_then(|interp| match request {
            Request::Version(want) if !want.matches(&interp.version) => {
                Err(Rejection::WrongVersion(interp.version))
            }
            _ => Ok(interp),
        });
        match verdict
            .map_err(|r| r.to_string())
            .and_then(|i| accept(&i).map(|()| i))
        {
            Ok(interp) => return Ok(interp),
            Err(why) => searched.push(format!("{label} ({}): {why}", path.display())),
        }
    }
    let too_old = searched.iter().any(|s| s.contains("older than"));
    Err(NotFound {
        wanted: request.describe(),
        searched,
        too_old,
    })
}

/// Probe `path`, or for a pyenv shim the build it would run: a shim costs a bash start and
/// several processes per call, so devkit reads pyenv's choice (the files pyenv reads).
pub fn probe_resolving_shims(path: &Path) -> Result<Interpreter, Rejection> {
    let target =
        pyenv_shim_target(path, &|var| std::env::var(var).ok()).unwrap_or(path.to_path_buf());
    probe(&target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pyenv_version_prefix_is_its_newest_release_build() {
        let dir = tempfile::tempdir().unwrap();
        for build in [
            "3.11.7",
            "3.11.10",
            "3.11.9",
            "3.11-dev",
            "3.12.0rc1",
            "3.13.1t",
            "3.110.1",
            "3.12.1",
        ] {
            std::fs::create_dir(dir.path().join(build)).unwrap();
        }
        assert_eq!(pyenv_latest(dir.path(), "3.11").as_deref(), Some("3.11.10"));
        assert_eq!(pyenv_latest(dir.path(), "3.12").as_deref(), Some("3.12.1"));
        assert_eq!(pyenv_latest(dir.path(), "3.13"), None);
        assert_eq!(pyenv_latest(dir.path(), "3.1"), None);
        assert_eq!(pyenv_latest(dir.path(), "3").as_deref(), Some("3.110.1"));

        // A shim for `3.11` in `.python-version` runs the newest 3.11 build, not the shim.
        let root = tempfile::tempdir().unwrap();
        let bin = root.path().join("versions/3.11.7/bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(bin.join("python3.11"), "").unwrap();
        let project = root.path().join("project");
        std::fs::create_dir(&project).unwrap();
        std::fs::write(project.join(".python-version"), "3.11\n").unwrap();
        let env = |var: &str| match var {
            "PYENV_ROOT" => Some(root.path().display().to_string()),
            "PYENV_DIR" => Some(project.display().to_string()),
            _ => None,
        };
        let shim = root.path().join("shims/python3.11");
        assert_eq!(pyenv_shim_target(&shim, &env), Some(bin.join("python3.11")));
        assert_eq!(
            pyenv_shim_target(&root.path().join("shims/python3.12"), &env),
            None
        );
    }

    #[test]
    fn versions_parse_and_match_as_prefixes() {
        let want = VersionRequest::parse("3.12").unwrap();
        assert!(want.matches(&Version::parse("3.12.1").unwrap()));
        assert!(!want.matches(&Version::parse("3.1.2").unwrap()));
        assert!(!want.matches(&Version::parse("3.11.7").unwrap()));
        assert_eq!(
            VersionRequest::parse("python3.11").unwrap().command_name(),
            "python3.11"
        );
        assert!(VersionRequest::parse("3.x").is_none());
        assert!(VersionRequest::parse("1.2.3.4").is_none());
        assert!(Version::parse("3.7.16").unwrap() < MIN_VERSION);
    }

    #[test]
    fn requests_tell_paths_versions_and_commands_apart() {
        let base = Path::new("/proj");
        assert_eq!(
            Request::parse("3.12", base),
            Request::Version(VersionRequest::parse("3.12").unwrap())
        );
        assert_eq!(
            Request::parse("./py/bin/python", base),
            Request::Path("/proj/./py/bin/python".into())
        );
        assert_eq!(
            Request::parse("/usr/bin/python3", base),
            Request::Path("/usr/bin/python3".into())
        );
        assert_eq!(
            Request::parse("pypy3", base),
            Request::Command("pypy3".into())
        );
    }

    #[test]
    fn python_version_file_takes_the_first_entry() {
        assert_eq!(
            parse_python_version_file("# pinned\n\n3.12.1\n3.11\n"),
            Some("3.12.1".into())
        );
        assert_eq!(parse_python_version_file("system\n"), None);
        assert_eq!(parse_python_version_file(""), None);
    }

    #[test]
    fn version_requests_look_on_path_then_in_pyenv_then_python3() {
        let which = |name: &str| match name {
            "python3.12" => vec![PathBuf::from("/shims/python3.12")],
            "python3" => vec![PathBuf::from("/usr/bin/python3")],
            _ => vec![],
        };
        let builds = vec![
            (
                Version::parse("3.12.0").unwrap(),
                PathBuf::from("/p/3.12.0"),
            ),
            (
                Version::parse("3.11.7").unwrap(),
                PathBuf::from("/p/3.11.7"),
            ),
            (
                Version::parse("3.12.1").unwrap(),
                PathBuf::from("/p/3.12.1"),
            ),
        ];
        let request = Request::Version(VersionRequest::parse("3.12").unwrap());
        let paths: Vec<_> = candidates(&request, &which, &builds)
            .into_iter()
            .filter_map(|(_, p)| p)
            .collect();
        assert_eq!(
            paths,
            vec![
                PathBuf::from("/shims/python3.12"),
                PathBuf::from("/p/3.12.1"),
                PathBuf::from("/p/3.12.0"),
                PathBuf::from("/usr/bin/python3"),
            ]
        );
        let listed = candidates(&Request::Default, &|_| vec![], &[]);
        assert_eq!(
            listed.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(),
            ["python3 on PATH", "python on PATH"]
        );
    }

    #[test]
    fn probe_answers_are_checked() {
        let ok = r#"{"executable": "/x/python3.11", "version": [3, 11, 7],
            "cache_tag": "cpython-311", "stdlib": "/x/lib/python3.11",
            "purelib": "@/lib/python3.11/site-packages"}"#;
        let interp = parse_probe(ok).unwrap();
        assert_eq!(interp.version.to_string(), "3.11.7");
        assert_eq!(
            interp.purelib,
            PathBuf::from("lib/python3.11/site-packages")
        );
        let old = ok.replace("[3, 11, 7]", "[3, 7, 16]");
        assert!(matches!(parse_probe(&old), Err(Rejection::TooOld(_))));
        assert!(matches!(
            parse_probe("Traceback"),
            Err(Rejection::DidNotRun(_))
        ));
    }
}
