//! A venv on disk: where it is (following a `.venv` pointer file), what state it is in, which
//! packages it holds, and the sync stamp that lets an up-to-date re-run skip the installer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::interpreter::{Interpreter, Version};
use crate::error::DevkitError;

/// The file devkit leaves in a venv after a successful sync.
pub const STAMP_FILE: &str = ".devkit-sync";

/// Where the venv lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The venv directory itself (absolute).
    pub dir: PathBuf,
    /// The `.venv` file that pointed there, when one did.
    pub pointer: Option<PathBuf>,
}

/// Follow a `.venv` *file* (a pointer to the real venv, relative to the file's directory);
/// anything else is the venv directory itself. A path with `:` is refused: it would split
/// `PATH` when the venv's `bin` is put on it.
pub fn locate(dir: &Path) -> Result<Location> {
    let location = if dir.is_file() {
        let text = std::fs::read_to_string(dir)
            .with_context(|| format!("cannot read the venv pointer file {}", dir.display()))?;
        let target = text.lines().map(str::trim).find(|l| !l.is_empty());
        let Some(target) = target else {
            return Err(DevkitError::usage(format!(
                "{} is a file but names no venv directory (expected one path on its first line)",
                dir.display()
            ))
            .into());
        };
        let base = dir.parent().unwrap_or(Path::new("."));
        Location {
            dir: base.join(target),
            pointer: Some(dir.to_path_buf()),
        }
    } else {
        Location {
            dir: dir.to_path_buf(),
            pointer: None,
        }
    };
    check_path(&location.dir)?;
    Ok(location)
}

/// A venv path must not contain `:` (PATH's separator).
pub fn check_path(dir: &Path) -> Result<()> {
    if dir.as_os_str().as_encoded_bytes().contains(&b':') {
        return Err(DevkitError::usage(format!(
            "the venv path {} contains `:`, which would split PATH when the venv is activated",
            dir.display()
        ))
        .with_hint("choose a directory without `:` (--dir or pyenv.dir)")
        .into());
    }
    Ok(())
}

/// What `pyvenv.cfg` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PyvenvCfg {
    pub home: Option<PathBuf>,
    pub version: Option<Version>,
}

/// `key = value` lines; `version` (venv) or `version_info` (uv, virtualenv: `3.11.7.final.0`).
pub fn parse_pyvenv_cfg(text: &str) -> PyvenvCfg {
    let mut cfg = PyvenvCfg::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "home" => cfg.home = Some(PathBuf::from(value)),
            "version" | "version_info" if cfg.version.is_none() => {
                let numeric: Vec<&str> = value.split('.').take(3).collect();
                cfg.version = Version::parse(&numeric.join("."));
            }
            _ => {}
        }
    }
    cfg
}

/// The state of the venv directory, judged against the interpreter asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VenvState {
    /// Nothing there (or an empty directory).
    Missing,
    /// Something that is not a venv: never touched.
    Foreign { why: String },
    /// A venv that cannot work any more (its Python is gone).
    Broken { why: String },
    /// A working venv of another Python (`None`: its version is not recorded).
    OtherVersion { found: Option<Version> },
    /// A working venv of the requested Python's major.minor.
    Healthy {
        version: Version,
        has_pip: bool,
        /// The digest of the last successful sync, when every package it installed is still there.
        synced: Option<String>,
    },
}

/// Look at `dir` without changing anything.
pub fn inspect(dir: &Path, wanted: &Interpreter) -> VenvState {
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return VenvState::Missing;
    };
    if !meta.is_dir() && !dir.is_dir() {
        return VenvState::Foreign {
            why: "it is not a directory".into(),
        };
    }
    let cfg_path = dir.join("pyvenv.cfg");
    let Ok(text) = std::fs::read_to_string(&cfg_path) else {
        let empty = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none());
        return if empty {
            VenvState::Missing
        } else {
            VenvState::Foreign {
                why: "it has no pyvenv.cfg".into(),
            }
        };
    };
    let cfg = parse_pyvenv_cfg(&text);
    match &cfg.home {
        None => {
            return VenvState::Broken {
                why: "its pyvenv.cfg names no Python home".into(),
            };
        }
        Some(home) if !home.is_dir() => {
            return VenvState::Broken {
                why: format!("its Python home {} is gone", home.display()),
            };
        }
        Some(_) => {}
    }
    let python = dir.join("bin").join("python");
    if std::fs::metadata(&python).is_err() {
        let why = if std::fs::symlink_metadata(&python).is_ok() {
            "bin/python is a dangling link"
        } else {
            "bin/python is missing"
        };
        return VenvState::Broken { why: why.into() };
    }
    match cfg.version {
        Some(version) if version.same_minor(&wanted.version) => {
            let site = dir.join(&wanted.purelib);
            VenvState::Healthy {
                version,
                has_pip: site.join("pip").join("__init__.py").is_file(),
                synced: read_stamp(dir).map(|s| s.digest),
            }
        }
        found => VenvState::OtherVersion { found },
    }
}

/// A quick look for the up-to-date check: `pyvenv.cfg` names an existing home and `version`'s
/// minor, and `bin/python` resolves. (`inspect` says what is wrong when this fails.)
pub fn still_works(dir: &Path, version: &Version) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("pyvenv.cfg")) else {
        return false;
    };
    let cfg = parse_pyvenv_cfg(&text);
    cfg.home.is_some_and(|h| h.is_dir())
        && cfg.version.is_some_and(|v| v.same_minor(version))
        && std::fs::metadata(dir.join("bin").join("python")).is_ok()
}

/// Installed distributions in `site`: normalized name → version, from `*.dist-info` names.
pub fn installed(site: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(site) else {
        return BTreeMap::new();
    };
    entries
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".dist-info")?;
            let (dist, version) = stem.split_once('-')?;
            Some((dist.to_lowercase().replace('-', "_"), version.to_string()))
        })
        .collect()
}

/// What the last successful sync recorded: its digest and the interpreter it used, so an
/// up-to-date re-run needs neither a probe nor the installer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub digest: String,
    pub version: Version,
    pub executable: PathBuf,
    pub purelib: PathBuf,
}

/// The stamp, if it exists and every distribution it lists is still installed.
pub fn read_stamp(venv: &Path) -> Option<Stamp> {
    let text = std::fs::read_to_string(venv.join(STAMP_FILE)).ok()?;
    let mut lines = text.lines();
    let digest = lines.next()?.strip_prefix("digest ")?.to_string();
    let python = lines.next()?.strip_prefix("python ")?;
    let (version, rest) = python.split_once(' ')?;
    let (purelib, executable) = rest.split_once(' ')?;
    let stamp = Stamp {
        digest,
        version: Version::parse(version)?,
        executable: PathBuf::from(executable),
        purelib: PathBuf::from(purelib),
    };
    let site = venv.join(&stamp.purelib);
    lines
        .filter(|l| !l.is_empty())
        .all(|dist_info| site.join(dist_info).is_dir())
        .then_some(stamp)
}

/// Record a successful sync: the digest, the interpreter and the distributions present now.
pub fn write_stamp(venv: &Path, interp: &Interpreter, digest: &str) -> Result<()> {
    let mut text = format!(
        "digest {digest}\npython {} {} {}\n",
        interp.version,
        interp.purelib.display(),
        interp.executable.display()
    );
    let present = installed(&venv.join(&interp.purelib));
    for (name, version) in &present {
        text.push_str(&format!("{name}-{version}.dist-info\n"));
    }
    std::fs::write(venv.join(STAMP_FILE), text)
        .with_context(|| format!("cannot write {}", venv.join(STAMP_FILE).display()))
}

/// Forget the last sync (before an install that may fail halfway).
pub fn clear_stamp(venv: &Path) {
    let _ = std::fs::remove_file(venv.join(STAMP_FILE));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interp(version: &str) -> Interpreter {
        Interpreter {
            executable: "/usr/bin/python3".into(),
            version: Version::parse(version).unwrap(),
            cache_tag: "cpython-311".into(),
            stdlib: "/usr/lib/python3.11".into(),
            purelib: "lib/python3.11/site-packages".into(),
        }
    }

    #[test]
    fn pyvenv_cfg_from_venv_and_uv() {
        let venv = parse_pyvenv_cfg(
            "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n",
        );
        assert_eq!(venv.home, Some(PathBuf::from("/usr/bin")));
        assert_eq!(venv.version, Version::parse("3.11.2"));
        let uv = parse_pyvenv_cfg(
            "home = /x/bin\nimplementation = CPython\nuv = 0.13.8\nversion_info = 3.12.1\n",
        );
        assert_eq!(uv.version, Version::parse("3.12.1"));
        let virtualenv = parse_pyvenv_cfg("home = /x\nversion_info = 3.10.13.final.0\n");
        assert_eq!(virtualenv.version, Version::parse("3.10.13"));
    }

    #[test]
    fn states_of_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let want = interp("3.11.7");
        let dir = tmp.path().join("v");
        assert_eq!(inspect(&dir, &want), VenvState::Missing);
        std::fs::create_dir(&dir).unwrap();
        assert_eq!(inspect(&dir, &want), VenvState::Missing);
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        assert!(matches!(inspect(&dir, &want), VenvState::Foreign { .. }));

        let home = tmp.path().join("home");
        std::fs::create_dir(&home).unwrap();
        let cfg = |version: &str| format!("home = {}\nversion = {version}\n", home.display());
        std::fs::write(dir.join("pyvenv.cfg"), cfg("3.11.2")).unwrap();
        let VenvState::Broken { why } = inspect(&dir, &want) else {
            panic!("no bin/python")
        };
        assert_eq!(why, "bin/python is missing");
        std::fs::create_dir(dir.join("bin")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("gone"), dir.join("bin/python")).unwrap();
        let VenvState::Broken { why } = inspect(&dir, &want) else {
            panic!("dangling")
        };
        assert_eq!(why, "bin/python is a dangling link");
        std::fs::remove_file(dir.join("bin/python")).unwrap();
        std::fs::write(dir.join("bin/python"), "").unwrap();
        assert!(matches!(
            inspect(&dir, &want),
            VenvState::Healthy {
                has_pip: false,
                synced: None,
                ..
            }
        ));
        std::fs::write(dir.join("pyvenv.cfg"), cfg("3.12.1")).unwrap();
        assert_eq!(
            inspect(&dir, &want),
            VenvState::OtherVersion {
                found: Version::parse("3.12.1")
            }
        );
        std::fs::remove_dir(&home).unwrap();
        assert!(matches!(inspect(&dir, &want), VenvState::Broken { .. }));
    }

    #[test]
    fn stamp_holds_while_its_packages_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let py = interp("3.11.7");
        let site = tmp.path().join(&py.purelib);
        std::fs::create_dir_all(site.join("alpha-1.0.dist-info")).unwrap();
        write_stamp(tmp.path(), &py, "abc").unwrap();
        let stamp = read_stamp(tmp.path()).unwrap();
        assert_eq!(stamp.digest, "abc");
        assert_eq!(stamp.executable, py.executable);
        assert_eq!(stamp.version, py.version);
        std::fs::remove_dir(site.join("alpha-1.0.dist-info")).unwrap();
        assert_eq!(read_stamp(tmp.path()), None);
    }

    #[test]
    fn pointer_files_and_colons() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(".venv"), "envs/main\n").unwrap();
        let loc = locate(&tmp.path().join(".venv")).unwrap();
        assert_eq!(loc.dir, tmp.path().join("envs/main"));
        assert!(loc.pointer.is_some());
        assert!(locate(Path::new("/tmp/a:b")).is_err());
    }
}
