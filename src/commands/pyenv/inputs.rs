//! What `init` installs from: the project's `pyproject.toml`, a lock file (`uv.lock`,
//! `pylock.toml`) or requirements files, read and checked before anything is created; and the
//! pure choice of one [`Install`] from them.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::plan;
use crate::config::{Origin, Resolved};
use crate::error::DevkitError;
use crate::python::pyproject::{self, Chosen, Pyproject, Selection};

/// The project's files as read now.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub root: PathBuf,
    pub pyproject: Option<Pyproject>,
    pub uv_lock: Option<PathBuf>,
    pub pylock: Option<PathBuf>,
    /// Requirements files to install, and whether they were named (flag, config) rather than
    /// found (`requirements.txt`).
    pub requirements: Vec<PathBuf>,
    pub requirements_named: bool,
    /// Some requirements file pins with `--hash=`.
    pub hashed: bool,
    /// Every file the result depends on, name and bytes (for the sync digest).
    pub files: Vec<(String, Vec<u8>)>,
}

/// How the venv gets its packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Install {
    /// Nothing to install: pip only.
    Nothing,
    /// Requirements (files, strings from pyproject.toml and `--with`) and the project itself.
    Plain {
        files: Vec<PathBuf>,
        /// `--require-hashes`: then the project goes in separately, with `--no-deps`.
        hashed: bool,
        requirements: Vec<String>,
        editable: Option<PathBuf>,
        /// The requirements include every dependency of the project (pyproject.toml lists
        /// them, none dynamic), so the project can go in with `--no-deps` beside them.
        deps_listed: bool,
    },
    /// `uv sync --locked` in `project`, with these selection flags.
    UvLock {
        project: PathBuf,
        lock: PathBuf,
        flags: Vec<String>,
        packages: Vec<String>,
    },
    /// A PEP 751 lock, then the project with `--no-deps`.
    PyLock {
        lock: PathBuf,
        editable: Option<PathBuf>,
        packages: Vec<String>,
    },
}

impl Install {
    /// Nothing to install: the venv gets pip only.
    pub fn is_nothing(&self) -> bool {
        *self == Install::Nothing
    }
}

/// Read the project files at `root` and the requirements files settings named.
pub fn read(
    root: &Path,
    requirements: &[Resolved<PathBuf>],
    python_version_file: Option<&Path>,
) -> Result<Inputs> {
    let mut files = Vec::new();
    let pyproject_path = root.join("pyproject.toml");
    let pyproject = match std::fs::read(&pyproject_path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes.clone()).map_err(|e| {
                DevkitError::usage(format!(
                    "{}: not UTF-8 (at byte {})",
                    pyproject_path.display(),
                    e.utf8_error().valid_up_to()
                ))
            })?;
            let parsed = Pyproject::parse(&pyproject_path, &text)
                .map_err(|e| DevkitError::usage(e.to_string()))?;
            files.push((pyproject_path.display().to_string(), bytes));
            Some(parsed)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read {}", pyproject_path.display()));
        }
    };
    let mut lock = |name: &str| -> Result<Option<PathBuf>> {
        let path = root.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                if let Err(e) = toml::from_str::<toml::Table>(&text) {
                    let offset = e.span().map_or(0, |s| s.start);
                    let line = text[..offset.min(text.len())].matches('\n').count() + 1;
                    return Err(DevkitError::usage(format!(
                        "{}:{line}: not a valid TOML lock file: {}",
                        path.display(),
                        e.message().trim()
                    ))
                    .into());
                }
                files.push((path.display().to_string(), bytes));
                Ok(Some(path))
            }
            Err(_) => Ok(None),
        }
    };
    let uv_lock = lock("uv.lock")?;
    let pylock = lock("pylock.toml")?;
    let named: Vec<PathBuf> = requirements.iter().map(|r| r.value.clone()).collect();
    let requirements_named = requirements.iter().any(|r| r.origin != Origin::Default);
    let mut hashed = false;
    for (name, bytes) in read_requirements(&named)? {
        hashed |= String::from_utf8_lossy(&bytes).contains("--hash");
        files.push((name, bytes));
    }
    if let Some(path) = python_version_file
        && let Ok(bytes) = std::fs::read(path)
    {
        files.push((path.display().to_string(), bytes));
    }
    Ok(Inputs {
        root: root.to_path_buf(),
        pyproject,
        uv_lock,
        pylock,
        requirements: named,
        requirements_named,
        hashed,
        files,
    })
}

/// Each requirements file's name and bytes, and those of the files it includes (`-r`, `-c`).
fn read_requirements(files: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut queue: Vec<(PathBuf, bool)> = files.iter().rev().map(|f| (f.clone(), true)).collect();
    let mut seen = Vec::new();
    while let Some((path, named)) = queue.pop() {
        if seen.contains(&path) || seen.len() > 100 {
            continue;
        }
        seen.push(path.clone());
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            // A missing include is the installer's to report, in its words.
            Err(_) if !named => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let base = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        for include in plan::included_files(&String::from_utf8_lossy(&bytes)) {
            queue.push((base.join(include), false));
        }
        out.push((path.display().to_string(), bytes));
    }
    Ok(out)
}

/// What was chosen from the inputs, for the summary and `--json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub install: Install,
    /// The inputs installed from, in the words of the summary (`uv.lock`, `pyproject.toml`, …).
    pub sources: Vec<String>,
    pub chosen: Chosen,
}

/// Choose how to install. A lock file wins over pyproject.toml's ranges unless requirements
/// files were named explicitly; hash-checked requirements pin everything, so the project then
/// goes in without its dependencies.
pub fn decide(
    inputs: &Inputs,
    selection: &Selection,
    packages: &[String],
    upgrade: bool,
) -> Result<Decision, DevkitError> {
    let usage = |m: String| DevkitError::usage(m);
    let chosen = match &inputs.pyproject {
        Some(p) => pyproject::select(p, selection).map_err(usage)?,
        None => {
            let asked = !selection.extras.is_empty()
                || selection.all_extras
                || !selection.groups.is_empty()
                || !selection.only_groups.is_empty();
            if asked {
                return Err(usage(format!(
                    "--extra/--group name parts of pyproject.toml, and {} has none",
                    inputs.root.display()
                )));
            }
            Chosen::default()
        }
    };
    let editable = chosen.editable.then(|| inputs.root.clone());
    let name = |p: &Path| {
        p.strip_prefix(&inputs.root)
            .unwrap_or(p)
            .display()
            .to_string()
    };
    if !inputs.requirements_named {
        if let Some(lock) = &inputs.uv_lock {
            if upgrade {
                return Err(usage(format!(
                    "--upgrade cannot change versions pinned by {}",
                    lock.display()
                ))
                .with_hint("run `uv lock --upgrade`, then `devkit pyenv init`"));
            }
            let mut flags = Vec::new();
            for e in &selection.extras {
                flags.extend(["--extra".to_string(), e.clone()]);
            }
            if selection.all_extras {
                flags.push("--all-extras".into());
            }
            if selection.no_dev {
                flags.push("--no-dev".into());
            }
            for g in &selection.groups {
                flags.extend(["--group".to_string(), g.clone()]);
            }
            for g in &selection.only_groups {
                flags.extend(["--only-group".to_string(), g.clone()]);
            }
            if selection.no_project {
                flags.push("--no-install-project".into());
            }
            return Ok(Decision {
                install: Install::UvLock {
                    project: inputs.root.clone(),
                    lock: lock.clone(),
                    flags,
                    packages: packages.to_vec(),
                },
                sources: vec![name(lock)],
                chosen,
            });
        }
        if let Some(lock) = &inputs.pylock {
            if upgrade {
                return Err(usage(format!(
                    "--upgrade cannot change versions pinned by {}",
                    lock.display()
                )));
            }
            let mut sources = vec![name(lock)];
            if editable.is_some() {
                sources.push("the project (editable)".into());
            }
            return Ok(Decision {
                install: Install::PyLock {
                    lock: lock.clone(),
                    editable,
                    packages: packages.to_vec(),
                },
                sources,
                chosen,
            });
        }
    }
    let mut sources: Vec<String> = inputs.requirements.iter().map(|p| name(p)).collect();
    let mut requirements = Vec::new();
    if inputs.hashed {
        if !packages.is_empty() {
            return Err(usage(format!(
                "--with {} cannot join hash-checked requirements (every package needs a --hash)",
                packages.join(" ")
            ))
            .with_hint("add the package with its hash to the requirements file"));
        }
        if let Some(s) = sources.first_mut() {
            s.push_str(" (hashes checked)");
        }
    } else {
        if inputs.pyproject.is_some()
            && (!chosen.requirements.is_empty() || !chosen.groups.is_empty())
        {
            sources.push("pyproject.toml".into());
        }
        requirements.extend(chosen.requirements.iter().cloned());
        requirements.extend(packages.iter().cloned());
    }
    if editable.is_some() {
        sources.push("the project (editable)".into());
    }
    let install = if inputs.requirements.is_empty() && requirements.is_empty() && editable.is_none()
    {
        Install::Nothing
    } else {
        Install::Plain {
            files: inputs.requirements.clone(),
            hashed: inputs.hashed,
            requirements,
            deps_listed: editable.is_some()
                && !inputs.hashed
                && inputs
                    .pyproject
                    .as_ref()
                    .is_some_and(|p| p.static_dependencies),
            editable,
        }
    };
    Ok(Decision {
        install,
        sources,
        chosen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(pyproject: Option<&str>) -> Inputs {
        Inputs {
            root: "/p".into(),
            pyproject: pyproject
                .map(|t| Pyproject::parse(Path::new("/p/pyproject.toml"), t).unwrap()),
            uv_lock: None,
            pylock: None,
            requirements: Vec::new(),
            requirements_named: false,
            hashed: false,
            files: Vec::new(),
        }
    }

    const PROJECT: &str = "[project]\nname = \"demo\"\ndependencies = [\"alpha\"]\n\
        [dependency-groups]\ndev = [\"beta\"]\n[build-system]\nrequires = []\n";

    #[test]
    fn pyproject_gives_requirements_and_the_editable_project() {
        let d = decide(
            &inputs(Some(PROJECT)),
            &Selection::default(),
            &["gamma".into()],
            false,
        )
        .unwrap();
        assert_eq!(
            d.install,
            Install::Plain {
                files: vec![],
                hashed: false,
                requirements: vec!["alpha".into(), "beta".into(), "gamma".into()],
                editable: Some("/p".into()),
                deps_listed: true,
            }
        );
        assert_eq!(d.sources, ["pyproject.toml", "the project (editable)"]);
        // Dependencies the backend works out: only pip installing the project knows them all.
        let dynamic = PROJECT.replace(
            "name = \"demo\"",
            "name = \"demo\"\ndynamic = [\"dependencies\"]",
        );
        let d = decide(&inputs(Some(&dynamic)), &Selection::default(), &[], false).unwrap();
        assert!(
            matches!(
                d.install,
                Install::Plain {
                    deps_listed: false,
                    ..
                }
            ),
            "{:?}",
            d.install
        );
        let none = decide(&inputs(None), &Selection::default(), &[], false).unwrap();
        assert!(none.install.is_nothing());
    }

    #[test]
    fn locks_win_unless_requirements_are_named() {
        let mut i = inputs(Some(PROJECT));
        i.uv_lock = Some("/p/uv.lock".into());
        i.pylock = Some("/p/pylock.toml".into());
        let sel = Selection {
            no_dev: true,
            groups: vec!["docs".into()],
            ..Selection::default()
        };
        // The group must exist even though uv applies the flags.
        assert!(decide(&i, &sel, &[], false).is_err());
        let sel = Selection {
            no_dev: true,
            ..Selection::default()
        };
        let d = decide(&i, &sel, &[], false).unwrap();
        assert!(
            matches!(&d.install, Install::UvLock { flags, .. } if flags == &["--no-dev"]),
            "{d:?}"
        );
        assert_eq!(d.sources, ["uv.lock"]);
        assert!(
            decide(&i, &sel, &[], true).is_err(),
            "--upgrade with a lock"
        );
        i.uv_lock = None;
        let d = decide(&i, &sel, &[], false).unwrap();
        assert!(matches!(
            d.install,
            Install::PyLock {
                editable: Some(_),
                ..
            }
        ));
        i.requirements = vec!["/p/req.txt".into()];
        i.requirements_named = true;
        let d = decide(&i, &sel, &[], false).unwrap();
        assert!(matches!(d.install, Install::Plain { .. }));
    }

    #[test]
    fn hashed_requirements_take_no_loose_packages() {
        let mut i = inputs(Some(PROJECT));
        i.requirements = vec!["/p/requirements.txt".into()];
        i.hashed = true;
        let d = decide(&i, &Selection::default(), &[], false).unwrap();
        assert_eq!(
            d.install,
            Install::Plain {
                files: vec!["/p/requirements.txt".into()],
                hashed: true,
                requirements: vec![],
                editable: Some("/p".into()),
                deps_listed: false,
            }
        );
        assert_eq!(
            d.sources,
            [
                "requirements.txt (hashes checked)",
                "the project (editable)"
            ]
        );
        assert!(decide(&i, &Selection::default(), &["x".into()], false).is_err());
    }
}
