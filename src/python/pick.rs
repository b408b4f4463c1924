//! Choosing the interpreter for `init` when a project says which Pythons it supports: reuse
//! the existing venv's Python while it still fits, pick the newest installed one that
//! satisfies `requires-python`, refuse a `.python-version` (or flag) that contradicts it, and
//! when nothing fits, list what was found and why each was passed over.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::interpreter::{
    self, Interpreter, MIN_VERSION, NotFound, Reason, Request, Version, VersionRequest,
};
use super::pyproject::RequiresPython;
use super::venv;
use crate::error::DevkitError;

/// `requires-python` and the file that declares it.
#[derive(Debug, Clone, Copy)]
pub struct Requires<'a> {
    pub spec: &'a RequiresPython,
    pub file: &'a Path,
}

impl Requires<'_> {
    /// `requires-python >=3.10 (pyproject.toml:3)`
    pub fn describe(&self) -> String {
        format!(
            "requires-python `{}` ({}:{})",
            self.spec.text,
            self.file.display(),
            self.spec.line
        )
    }
}

/// The interpreter chosen, and why, in the user's words.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub interp: Interpreter,
    pub why: String,
}

/// Can any version the request names satisfy `requires`? (`3.9` against `>=3.10`: no.)
pub fn could_satisfy(request: &VersionRequest, requires: &RequiresPython) -> bool {
    let text = request.to_string();
    let parts: Vec<u32> = text.split('.').filter_map(|p| p.parse().ok()).collect();
    let minors: Vec<u32> = match parts.get(1) {
        Some(m) => vec![*m],
        None => (0..=40).collect(),
    };
    let micros: Vec<u32> = match parts.get(2) {
        Some(m) => vec![*m],
        None => (0..=60).collect(),
    };
    minors.iter().any(|&minor| {
        micros.iter().any(|&micro| {
            requires.allows(&Version {
                major: parts[0],
                minor,
                micro,
            })
        })
    })
}

/// The interpreter a working venv at `dir` was made from: its `pyvenv.cfg` `home`, probed.
pub fn venv_base(dir: &Path) -> Option<Interpreter> {
    let text = std::fs::read_to_string(dir.join("pyvenv.cfg")).ok()?;
    let cfg = venv::parse_pyvenv_cfg(&text);
    let (home, version) = (cfg.home?, cfg.version?);
    [
        format!("python{}.{}", version.major, version.minor),
        format!("python{}", version.major),
        "python".to_string(),
    ]
    .iter()
    .map(|name| home.join(name))
    .filter(|exe| exe.is_file())
    .find_map(|exe| {
        interpreter::probe(&exe)
            .ok()
            .filter(|i| i.version.same_minor(&version))
    })
}

/// Choose the interpreter for `request` (from `reason`), within `requires` when the project
/// declares it, reusing the venv at `venv_dir` when its Python still fits.
pub fn choose(
    request: &Request,
    reason: &Reason,
    requires: Option<Requires>,
    venv_dir: &Path,
) -> Result<Chosen> {
    if let (Some(req), Request::Version(want)) = (requires, request)
        && !could_satisfy(want, req.spec)
    {
        return Err(conflict(&format!("Python {want}"), reason, req));
    }
    let fits = |v: &Version| requires.is_none_or(|r| r.spec.allows(v));
    if let Some(interp) = venv_base(venv_dir)
        && request.accepts_version(&interp.version)
        && fits(&interp.version)
    {
        return Ok(Chosen {
            why: format!("the Python of the existing venv {}", venv_dir.display()),
            interp,
        });
    }
    match (request, requires) {
        (Request::Default, Some(req)) => newest_satisfying(req),
        _ => {
            let accept = |i: &Interpreter| match requires {
                Some(req) if !req.spec.allows(&i.version) => Err(format!(
                    "is Python {}, outside {}",
                    i.version,
                    req.describe()
                )),
                _ => Ok(()),
            };
            match interpreter::discover(request, &accept) {
                Ok(interp) => Ok(Chosen {
                    why: match reason {
                        Reason::Default => "the first python3 or python on PATH".to_string(),
                        other => format!("from {other}"),
                    },
                    interp,
                }),
                Err(not_found) => {
                    // A version request that found a match outside requires-python is a
                    // contradiction between two files, not a missing Python.
                    if let Some(req) = requires
                        && not_found
                            .searched
                            .iter()
                            .any(|s| s.contains("outside requires-python"))
                        && !matches!(request, Request::Default)
                    {
                        return Err(conflict(&request.describe(), reason, req));
                    }
                    Err(not_found_error(&not_found, reason, requires))
                }
            }
        }
    }
}

fn conflict(wanted: &str, reason: &Reason, req: Requires) -> anyhow::Error {
    DevkitError::usage(format!(
        "{} asks for {wanted}, but {} excludes it",
        match reason {
            Reason::VersionFile(path) => path.display().to_string(),
            other => other.to_string(),
        },
        req.describe()
    ))
    .with_hint("make the two agree: change the Python asked for, or requires-python")
    .into()
}

/// One installed interpreter and what devkit made of it.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub verdict: Result<Interpreter, String>,
}

/// Every interpreter devkit can see, each with the version its name tells (if any):
/// `python3`, `python` and `python3.N` on PATH, and pyenv's builds, each once.
fn candidate_paths() -> Vec<(PathBuf, Option<Version>)> {
    let mut out: Vec<(PathBuf, Option<Version>)> = Vec::new();
    let shims = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")))
        .map(|root| root.join("shims"));
    for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let in_shims = shims.as_deref() == Some(dir.as_path());
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let minor = name
                .strip_prefix("python3.")
                .filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|m| m.parse::<u32>().ok());
            // pyenv's `python3.N` shims fail unless that build is the selected one; the builds
            // themselves are listed below.
            if name == "python3" || name == "python" {
                out.push((entry.path(), None));
            } else if let Some(minor) = minor
                && !in_shims
            {
                // Any micro: the name tells only the minor.
                let guess = Version {
                    major: 3,
                    minor,
                    micro: u32::MAX,
                };
                out.push((entry.path(), Some(guess)));
            }
        }
    }
    out.extend(
        interpreter::pyenv_versions()
            .into_iter()
            .map(|(v, p)| (p, Some(v))),
    );
    let mut seen = Vec::new();
    out.retain(|(p, _)| {
        let real = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        let new = !seen.contains(&real);
        seen.push(real);
        new
    });
    out
}

/// Probe each path, in parallel (each probe is an interpreter start).
fn probe_all(paths: &[PathBuf]) -> Vec<Found> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .iter()
            .map(|p| scope.spawn(move || interpreter::probe_resolving_shims(p)))
            .collect();
        paths
            .iter()
            .zip(handles)
            .map(|(path, h)| Found {
                path: path.clone(),
                verdict: h
                    .join()
                    .unwrap_or_else(|_| Err(interpreter::Rejection::DidNotRun("panicked".into())))
                    .map_err(|r| r.to_string()),
            })
            .collect()
    })
}

/// Every interpreter devkit can see, probed (for listings).
pub fn census() -> Vec<Found> {
    let paths: Vec<PathBuf> = candidate_paths().into_iter().map(|(p, _)| p).collect();
    let mut found = probe_all(&paths);
    // Shims and links to the same build answer with the same executable: keep one.
    let mut executables = Vec::new();
    found.retain(|f| match &f.verdict {
        Ok(i) => {
            let new = !executables.contains(&i.executable);
            executables.push(i.executable.clone());
            new
        }
        Err(_) => true,
    });
    found
}

/// The newest installed interpreter within `req` (newest minor first, then micro). Names
/// tell most versions, so only the unnamed (`python3`, `python`) and the best-named are
/// probed, until no name promises anything newer than the best confirmed.
fn newest_satisfying(req: Requires) -> Result<Chosen> {
    let candidates = candidate_paths();
    let unnamed: Vec<PathBuf> = candidates
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(p, _)| p.clone())
        .collect();
    let mut named: Vec<(PathBuf, Version)> = candidates
        .iter()
        .filter_map(|(p, v)| v.map(|v| (p.clone(), v)))
        .filter(|(_, v)| {
            if v.micro == u32::MAX {
                VersionRequest::parse(&format!("{}.{}", v.major, v.minor))
                    .is_some_and(|r| could_satisfy(&r, req.spec))
            } else {
                req.spec.allows(v)
            }
        })
        .collect();
    named.sort_by_key(|(_, v)| std::cmp::Reverse(*v));
    let mut batch = unnamed;
    let mut next = named.into_iter().peekable();
    if let Some((p, _)) = next.next() {
        batch.push(p);
    }
    let mut best: Option<Interpreter> = None;
    loop {
        for found in probe_all(&batch) {
            if let Ok(i) = found.verdict
                && req.spec.allows(&i.version)
                && best.as_ref().is_none_or(|b| i.version > b.version)
            {
                best = Some(i);
            }
        }
        match next.peek() {
            Some((_, promise)) if best.as_ref().is_none_or(|b| *promise > b.version) => {
                batch = vec![next.next().expect("peeked").0];
            }
            _ => break,
        }
    }
    match best {
        Some(interp) => Ok(Chosen {
            interp,
            why: format!("the newest installed Python within {}", req.describe()),
        }),
        None => Err(nothing_fits(&census(), req)),
    }
}

/// Each interpreter found and why it does not serve.
fn listing(found: &[Found], req: Option<Requires>) -> Vec<String> {
    let mut lines: Vec<(Option<Version>, String)> = found
        .iter()
        .map(|f| match &f.verdict {
            Ok(i) => {
                let why = match req {
                    Some(r) if !r.spec.allows(&i.version) => format!("outside `{}`", r.spec.text),
                    _ => "usable".to_string(),
                };
                (
                    Some(i.version),
                    format!("Python {} ({}): {why}", i.version, i.executable.display()),
                )
            }
            Err(why) => (None, format!("{}: {why}", f.path.display())),
        })
        .collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.0));
    lines.into_iter().map(|(_, l)| l).collect()
}

fn nothing_fits(found: &[Found], req: Requires) -> anyhow::Error {
    let versions: Vec<String> = found
        .iter()
        .filter_map(|f| f.verdict.as_ref().ok().map(|i| i.version.to_string()))
        .collect();
    let lines = listing(found, Some(req));
    DevkitError::failure(format!(
        "no installed Python satisfies {}; found {}:\n  {}",
        req.describe(),
        if versions.is_empty() {
            "none".to_string()
        } else {
            versions.join(", ")
        },
        if lines.is_empty() {
            "(no python3, python or python3.N on PATH, no pyenv builds)".to_string()
        } else {
            lines.join("\n  ")
        }
    ))
    .with_hint(format!(
        "install a Python within `{}` (devkit downloads none; e.g. `pyenv install`), or pass --python with a path",
        req.spec.text
    ))
    .into()
}

fn not_found_error(not_found: &NotFound, reason: &Reason, req: Option<Requires>) -> anyhow::Error {
    let asked = match reason {
        Reason::Default => String::new(),
        other => format!(" (asked for by {other})"),
    };
    let mut message = format!(
        "no usable {}{asked}; searched:\n  {}",
        not_found.wanted,
        not_found.searched.join("\n  ")
    );
    let others = listing(&census(), req);
    if !others.is_empty() {
        message.push_str("\ninstalled interpreters:\n  ");
        message.push_str(&others.join("\n  "));
    }
    let hint = if not_found.too_old {
        format!("devkit pyenv needs Python {MIN_VERSION} or newer; pass --python with a newer one")
    } else {
        format!(
            "install the {} (devkit downloads no Python), or pass --python VERSION|PATH (or set pyenv.python) naming one listed above",
            not_found.wanted
        )
    };
    DevkitError::failure(message).with_hint(hint).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::pyproject::Pyproject;

    fn requires(text: &str) -> RequiresPython {
        let toml = format!("[project]\nrequires-python = \"{text}\"\n");
        Pyproject::parse(Path::new("pyproject.toml"), &toml)
            .unwrap()
            .requires_python
            .unwrap()
    }

    #[test]
    fn version_requests_are_checked_against_requires_python() {
        let req = requires(">=3.10");
        let v = |s| VersionRequest::parse(s).unwrap();
        assert!(!could_satisfy(&v("3.9"), &req));
        assert!(could_satisfy(&v("3.10"), &req));
        assert!(could_satisfy(&v("3"), &req));
        assert!(!could_satisfy(&v("3.9.18"), &req));
        assert!(could_satisfy(&v("3.12"), &requires(">=3.12.1,<3.13")));
        assert!(!could_satisfy(&v("2"), &req));
    }

    #[test]
    fn listing_says_why_each_interpreter_is_passed_over() {
        let interp = |v: &str| Interpreter {
            executable: format!("/py/{v}/bin/python3").into(),
            version: Version::parse(v).unwrap(),
            cache_tag: String::new(),
            stdlib: PathBuf::new(),
            purelib: PathBuf::new(),
        };
        let found = vec![
            Found {
                path: "/a".into(),
                verdict: Ok(interp("3.11.7")),
            },
            Found {
                path: "/b".into(),
                verdict: Err("is Python 3.7.16, older than 3.8.0".into()),
            },
            Found {
                path: "/c".into(),
                verdict: Ok(interp("3.12.1")),
            },
        ];
        let spec = requires(">=3.14");
        let req = Requires {
            spec: &spec,
            file: Path::new("pyproject.toml"),
        };
        assert_eq!(
            listing(&found, Some(req)),
            [
                "Python 3.12.1 (/py/3.12.1/bin/python3): outside `>=3.14`",
                "Python 3.11.7 (/py/3.11.7/bin/python3): outside `>=3.14`",
                "/b: is Python 3.7.16, older than 3.8.0",
            ]
        );
        let text = nothing_fits(&found, req).to_string();
        assert!(
            text.starts_with(
                "no installed Python satisfies requires-python `>=3.14` (pyproject.toml:2); found 3.11.7, 3.12.1:"
            ),
            "{text}"
        );
    }
}
