//! The decision: given the venv's state and what was asked for, which steps to take (or why to
//! refuse). Pure: no process, no file system.

use std::fmt;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::python::interpreter::Version;
use crate::python::venv::VenvState;

/// What `init` was asked for, as far as the decision needs it.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub version: Version,
    pub clear: bool,
    pub upgrade: bool,
    /// Anything to install at all.
    pub has_packages: bool,
    /// The installer removes what it did not install (`uv sync`): pip goes in after it.
    pub pip_after: bool,
    /// The digest of the interpreter, requirements and packages (see [`digest`]).
    pub digest: String,
}

/// One thing to do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Delete the existing venv (it is a venv: `Foreign` directories are never removed).
    Remove(RemoveReason),
    Create,
    /// Put pip into the venv (a new venv, or an existing one made without pip).
    SeedPip,
    Install,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoveReason {
    Broken(String),
    Clear,
}

/// Why nothing may be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotAVenv(String),
    OtherVersion {
        found: Option<Version>,
        wanted: Version,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotAVenv(why) => write!(f, "it is not a virtual environment ({why})"),
            Refusal::OtherVersion {
                found: Some(found),
                wanted,
            } => write!(
                f,
                "it was made with Python {found}, but Python {wanted} is the one to use"
            ),
            Refusal::OtherVersion {
                found: None,
                wanted,
            } => write!(
                f,
                "its pyvenv.cfg records no Python version, and Python {wanted} is the one to use"
            ),
        }
    }
}

/// The steps that bring the venv in `state` to what is `wanted`. An empty list: up to date.
pub fn decide(state: &VenvState, wanted: &Wanted) -> Result<Vec<Step>, Refusal> {
    let fresh = |mut steps: Vec<Step>| {
        steps.push(Step::Create);
        match (wanted.has_packages, wanted.pip_after) {
            (true, true) => steps.extend([Step::Install, Step::SeedPip]),
            (true, false) => steps.extend([Step::SeedPip, Step::Install]),
            (false, _) => steps.push(Step::SeedPip),
        }
        steps
    };
    match state {
        VenvState::Foreign { why } => Err(Refusal::NotAVenv(why.clone())),
        VenvState::Missing => Ok(fresh(vec![])),
        VenvState::Broken { why } => {
            Ok(fresh(vec![Step::Remove(RemoveReason::Broken(why.clone()))]))
        }
        VenvState::OtherVersion { .. } | VenvState::Healthy { .. } if wanted.clear => {
            Ok(fresh(vec![Step::Remove(RemoveReason::Clear)]))
        }
        VenvState::OtherVersion { found } => Err(Refusal::OtherVersion {
            found: *found,
            wanted: wanted.version,
        }),
        VenvState::Healthy {
            has_pip, synced, ..
        } => {
            let up_to_date = synced.as_deref() == Some(wanted.digest.as_str());
            let install = wanted.has_packages && (wanted.upgrade || !up_to_date);
            Ok(match (install, wanted.pip_after) {
                (true, true) => vec![Step::Install, Step::SeedPip],
                (true, false) if *has_pip => vec![Step::Install],
                (true, false) => vec![Step::SeedPip, Step::Install],
                (false, _) if *has_pip => vec![],
                (false, _) => vec![Step::SeedPip],
            })
        }
    }
}

/// A requirements file's own includes: `-r FILE`, `-c FILE` and their long forms.
pub fn included_files(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.split(" #").next().unwrap_or("").trim();
            ["--requirement", "--constraint", "-r", "-c"]
                .iter()
                .find_map(|flag| line.strip_prefix(flag))
                .map(|rest| rest.trim_start_matches('=').trim().to_string())
                .filter(|path| !path.is_empty())
        })
        .collect()
}

/// What a sync depends on: the interpreter, each input file (pyproject.toml, lock,
/// requirements and their includes, `.python-version`: name and bytes) and the options
/// (packages, groups, extras, backend). Same digest, same result: the installer need not run.
pub fn digest(
    executable: &Path,
    version: &Version,
    files: &[(String, Vec<u8>)],
    options: &[String],
) -> String {
    let mut hash = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    field(executable.as_os_str().as_encoded_bytes());
    field(version.to_string().as_bytes());
    for (name, bytes) in files {
        field(b"file");
        field(name.as_bytes());
        field(bytes);
    }
    for option in options {
        field(b"option");
        field(option.as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted() -> Wanted {
        Wanted {
            version: Version::parse("3.11.7").unwrap(),
            clear: false,
            upgrade: false,
            has_packages: true,
            pip_after: false,
            digest: "d1".into(),
        }
    }

    fn healthy(synced: Option<&str>, has_pip: bool) -> VenvState {
        VenvState::Healthy {
            version: Version::parse("3.11.2").unwrap(),
            has_pip,
            synced: synced.map(String::from),
        }
    }

    #[test]
    fn missing_venv_is_created_seeded_and_filled() {
        let steps = decide(&VenvState::Missing, &wanted()).unwrap();
        assert_eq!(steps, [Step::Create, Step::SeedPip, Step::Install]);
        let nothing = Wanted {
            has_packages: false,
            ..wanted()
        };
        assert_eq!(
            decide(&VenvState::Missing, &nothing).unwrap(),
            [Step::Create, Step::SeedPip]
        );
    }

    #[test]
    fn up_to_date_venv_needs_nothing_unless_upgrading() {
        assert!(
            decide(&healthy(Some("d1"), true), &wanted())
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            decide(&healthy(Some("old"), true), &wanted()).unwrap(),
            [Step::Install]
        );
        let upgrade = Wanted {
            upgrade: true,
            ..wanted()
        };
        assert_eq!(
            decide(&healthy(Some("d1"), true), &upgrade).unwrap(),
            [Step::Install]
        );
        assert_eq!(
            decide(&healthy(Some("d1"), false), &wanted()).unwrap(),
            [Step::SeedPip]
        );
    }

    #[test]
    fn broken_venv_is_rebuilt_and_clear_rebuilds_any_venv() {
        let broken = VenvState::Broken { why: "gone".into() };
        assert_eq!(
            decide(&broken, &wanted()).unwrap()[0],
            Step::Remove(RemoveReason::Broken("gone".into()))
        );
        let clear = Wanted {
            clear: true,
            ..wanted()
        };
        assert_eq!(
            decide(&healthy(Some("d1"), true), &clear).unwrap()[0],
            Step::Remove(RemoveReason::Clear)
        );
        let other = VenvState::OtherVersion {
            found: Version::parse("3.12.1"),
        };
        assert_eq!(
            decide(&other, &clear).unwrap(),
            [
                Step::Remove(RemoveReason::Clear),
                Step::Create,
                Step::SeedPip,
                Step::Install
            ]
        );
    }

    #[test]
    fn refusals_name_what_is_wrong() {
        let other = VenvState::OtherVersion {
            found: Version::parse("3.12.1"),
        };
        let refusal = decide(&other, &wanted()).unwrap_err();
        assert_eq!(
            refusal.to_string(),
            "it was made with Python 3.12.1, but Python 3.11.7 is the one to use"
        );
        let foreign = VenvState::Foreign {
            why: "it has no pyvenv.cfg".into(),
        };
        let clear = Wanted {
            clear: true,
            ..wanted()
        };
        assert!(matches!(
            decide(&foreign, &clear),
            Err(Refusal::NotAVenv(_))
        ));
    }

    #[test]
    fn includes_are_found() {
        let text = "alpha\n-r base.txt\n--constraint=pins.txt\n-c  more.txt # why\n-e ./pkg\n";
        assert_eq!(included_files(text), ["base.txt", "pins.txt", "more.txt"]);
    }

    #[test]
    fn digest_changes_with_any_input() {
        let exe = Path::new("/usr/bin/python3");
        let v = Version::parse("3.11.2").unwrap();
        let files = vec![("requirements.txt".to_string(), b"alpha\n".to_vec())];
        let base = digest(exe, &v, &files, &[]);
        assert_eq!(base, digest(exe, &v, &files, &[]));
        assert_ne!(base, digest(exe, &v, &files, &["beta".into()]));
        let edited = vec![("requirements.txt".to_string(), b"alpha==2\n".to_vec())];
        assert_ne!(base, digest(exe, &v, &edited, &[]));
        let other = Version::parse("3.11.3").unwrap();
        assert_ne!(base, digest(exe, &other, &files, &[]));
    }

    #[test]
    fn an_installer_that_removes_pip_runs_before_pip_goes_in() {
        let sync = Wanted {
            pip_after: true,
            ..wanted()
        };
        assert_eq!(
            decide(&VenvState::Missing, &sync).unwrap(),
            [Step::Create, Step::Install, Step::SeedPip]
        );
        assert_eq!(
            decide(&healthy(Some("old"), true), &sync).unwrap(),
            [Step::Install, Step::SeedPip]
        );
        assert!(
            decide(&healthy(Some("d1"), true), &sync)
                .unwrap()
                .is_empty()
        );
    }
}
