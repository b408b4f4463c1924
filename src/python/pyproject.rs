//! `pyproject.toml` as `init` needs it: the project's dependencies (PEP 621), its extras, its
//! dependency groups (PEP 735, `include-group` resolved here so any pip can install them),
//! `requires-python`, and whether a build backend exists. Pure: text in, data or a `file:line`
//! error out.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep440_rs::VersionSpecifiers;
use serde::Deserialize;
use toml::Spanned;

/// What devkit reads from a `pyproject.toml`.
#[derive(Debug, Clone)]
pub struct Pyproject {
    pub path: PathBuf,
    pub name: Option<String>,
    pub requires_python: Option<RequiresPython>,
    pub dependencies: Vec<String>,
    /// Extra name (normalized) → its requirements.
    pub extras: BTreeMap<String, Vec<String>>,
    /// Group name (normalized) → its entries, includes not yet resolved.
    groups: BTreeMap<String, Vec<GroupEntry>>,
    /// Where each group was declared, for errors.
    group_lines: BTreeMap<String, usize>,
    pub has_build_system: bool,
    /// `[project]` lists every dependency itself (none in `dynamic`, for the backend to work
    /// out), so what devkit reads is all the project needs.
    pub static_dependencies: bool,
}

/// `requires-python`, with the line it was written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiresPython {
    pub specifiers: VersionSpecifiers,
    pub text: String,
    pub line: usize,
}

impl RequiresPython {
    pub fn allows(&self, version: &super::interpreter::Version) -> bool {
        let v = pep440_rs::Version::new([
            u64::from(version.major),
            u64::from(version.minor),
            u64::from(version.micro),
        ]);
        self.specifiers.contains(&v)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum GroupEntry {
    Requirement(String),
    Include { group: String, line: usize },
}

/// A `pyproject.toml` that cannot be used, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyprojectError {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for PyprojectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl std::error::Error for PyprojectError {}

#[derive(Deserialize)]
struct Raw {
    project: Option<RawProject>,
    #[serde(rename = "dependency-groups")]
    dependency_groups: Option<BTreeMap<Spanned<String>, Vec<Spanned<RawGroupEntry>>>>,
    #[serde(rename = "build-system")]
    build_system: Option<toml::Table>,
}

#[derive(Deserialize)]
struct RawProject {
    name: Option<String>,
    #[serde(rename = "requires-python")]
    requires_python: Option<Spanned<String>>,
    dependencies: Option<Vec<Spanned<String>>>,
    #[serde(rename = "optional-dependencies")]
    optional_dependencies: Option<BTreeMap<String, Vec<Spanned<String>>>>,
    #[serde(default)]
    dynamic: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawGroupEntry {
    Requirement(String),
    Include {
        #[serde(rename = "include-group")]
        include_group: String,
    },
}

/// PEP 503 names: lower case, runs of `-`, `_`, `.` as one `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// 1-based line and column of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

impl Pyproject {
    /// Parse `text` (the contents of `path`). Every requirement string is checked here, so a
    /// typo is reported before anything is installed.
    pub fn parse(path: &Path, text: &str) -> Result<Pyproject, PyprojectError> {
        let at = |offset: usize, message: String| {
            let (line, column) = position(text, offset);
            PyprojectError {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            at(offset, e.message().trim().to_string())
        })?;
        let requirement = |s: &Spanned<String>, what: &str| -> Result<String, PyprojectError> {
            pep508_rs::Requirement::<pep508_rs::VerbatimUrl>::from_str(s.get_ref()).map_err(
                |e| {
                    let first = e.to_string();
                    let first = first.lines().next().unwrap_or("").to_string();
                    at(
                        s.span().start,
                        format!(
                            "{what}: `{}` is not a valid requirement (PEP 508): {first}",
                            s.get_ref()
                        ),
                    )
                },
            )?;
            Ok(s.get_ref().clone())
        };

        let mut project = Pyproject {
            path: path.to_path_buf(),
            name: None,
            requires_python: None,
            dependencies: Vec::new(),
            extras: BTreeMap::new(),
            groups: BTreeMap::new(),
            group_lines: BTreeMap::new(),
            has_build_system: raw.build_system.is_some(),
            static_dependencies: false,
        };
        if let Some(p) = raw.project {
            project.name = p.name;
            project.static_dependencies = !p
                .dynamic
                .iter()
                .any(|d| d == "dependencies" || d == "optional-dependencies");
            if let Some(spec) = p.requires_python {
                let specifiers = VersionSpecifiers::from_str(spec.get_ref()).map_err(|e| {
                    at(
                        spec.span().start,
                        format!(
                            "requires-python `{}` is not a version specifier (PEP 440): {e}",
                            spec.get_ref()
                        ),
                    )
                })?;
                project.requires_python = Some(RequiresPython {
                    specifiers,
                    text: spec.get_ref().clone(),
                    line: position(text, spec.span().start).0,
                });
            }
            for dep in p.dependencies.unwrap_or_default() {
                project
                    .dependencies
                    .push(requirement(&dep, "project.dependencies")?);
            }
            for (extra, deps) in p.optional_dependencies.unwrap_or_default() {
                let what = format!("project.optional-dependencies.{extra}");
                let deps = deps
                    .iter()
                    .map(|d| requirement(d, &what))
                    .collect::<Result<Vec<_>, _>>()?;
                project.extras.insert(normalize(&extra), deps);
            }
        }
        for (name, entries) in raw.dependency_groups.unwrap_or_default() {
            let what = format!("dependency-groups.{}", name.get_ref());
            let mut list = Vec::new();
            for entry in entries {
                let offset = entry.span().start;
                list.push(match entry.into_inner() {
                    RawGroupEntry::Requirement(r) => GroupEntry::Requirement(requirement(
                        &Spanned::new(offset..offset, r),
                        &what,
                    )?),
                    RawGroupEntry::Include { include_group } => GroupEntry::Include {
                        group: normalize(&include_group),
                        line: position(text, offset).0,
                    },
                });
            }
            let key = normalize(name.get_ref());
            project
                .group_lines
                .insert(key.clone(), position(text, name.span().start).0);
            project.groups.insert(key, list);
        }
        Ok(project)
    }

    pub fn has_group(&self, name: &str) -> bool {
        self.groups.contains_key(&normalize(name))
    }

    pub fn group_names(&self) -> Vec<String> {
        self.groups.keys().cloned().collect()
    }

    /// A group's requirements with its `include-group`s expanded (each requirement once).
    pub fn group(&self, name: &str) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        self.expand(&normalize(name), &mut Vec::new(), &mut out)?;
        let mut seen = BTreeSet::new();
        out.retain(|r| seen.insert(r.clone()));
        Ok(out)
    }

    fn expand(
        &self,
        name: &str,
        stack: &mut Vec<String>,
        out: &mut Vec<String>,
    ) -> Result<(), String> {
        let Some(entries) = self.groups.get(name) else {
            return Err(format!("no dependency group `{name}`"));
        };
        if stack.iter().any(|s| s == name) {
            let line = self.group_lines.get(name).copied().unwrap_or(0);
            return Err(format!(
                "{}:{line}: dependency group `{name}` includes itself ({} → {name})",
                self.path.display(),
                stack.join(" → ")
            ));
        }
        stack.push(name.to_string());
        for entry in entries {
            match entry {
                GroupEntry::Requirement(r) => out.push(r.clone()),
                GroupEntry::Include { group, line } => {
                    if !self.groups.contains_key(group) {
                        return Err(format!(
                            "{}:{line}: `include-group = \"{group}\"` names no group in [dependency-groups] (there are: {})",
                            self.path.display(),
                            self.group_names().join(", ")
                        ));
                    }
                    self.expand(group, stack, out)?;
                }
            }
        }
        stack.pop();
        Ok(())
    }
}

/// Which parts of the project to install (flags of `init`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub extras: Vec<String>,
    pub all_extras: bool,
    pub groups: Vec<String>,
    pub no_dev: bool,
    pub only_groups: Vec<String>,
    pub no_project: bool,
}

/// What the selection comes to for one project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chosen {
    /// Plain requirement strings, for any installer.
    pub requirements: Vec<String>,
    pub extras: Vec<String>,
    pub groups: Vec<String>,
    /// Install the project itself, editable.
    pub editable: bool,
}

/// Apply `selection` to `project`: the `dev` group by default (as uv does), groups and extras
/// by name (unknown names are errors listing the known ones).
/// `--{flag} {name}` names nothing in `file`'s `[table]`: the error, with the names it has.
fn no_such(
    flag: &str,
    name: &str,
    file: &impl fmt::Display,
    table: &str,
    known: &[String],
) -> String {
    let has = if known.is_empty() {
        "it declares none".to_string()
    } else {
        format!("it has: {}", known.join(", "))
    };
    format!("--{flag} {name}: {file} has no such {flag} in [{table}] ({has})")
}

pub fn select(project: &Pyproject, selection: &Selection) -> Result<Chosen, String> {
    let file = project.path.display();
    let mut chosen = Chosen::default();
    let mut groups: Vec<String> = Vec::new();
    if selection.only_groups.is_empty() {
        chosen
            .requirements
            .extend(project.dependencies.iter().cloned());
        let extras: Vec<String> = if selection.all_extras {
            project.extras.keys().cloned().collect()
        } else {
            selection.extras.iter().map(|e| normalize(e)).collect()
        };
        for extra in extras {
            let Some(deps) = project.extras.get(&extra) else {
                let known: Vec<String> = project.extras.keys().cloned().collect();
                return Err(no_such(
                    "extra",
                    &extra,
                    &file,
                    "project.optional-dependencies",
                    &known,
                ));
            };
            chosen.requirements.extend(deps.iter().cloned());
            chosen.extras.push(extra);
        }
        if project.has_group("dev") && !selection.no_dev {
            groups.push("dev".into());
        }
        groups.extend(selection.groups.iter().map(|g| normalize(g)));
        chosen.editable = project.has_build_system && !selection.no_project;
    } else {
        groups.extend(selection.only_groups.iter().map(|g| normalize(g)));
    }
    for group in groups {
        if chosen.groups.contains(&group) {
            continue;
        }
        if !project.has_group(&group) {
            let known = project.group_names();
            return Err(no_such("group", &group, &file, "dependency-groups", &known));
        }
        chosen.requirements.extend(project.group(&group)?);
        chosen.groups.push(group);
    }
    let mut seen = BTreeSet::new();
    chosen.requirements.retain(|r| seen.insert(r.clone()));
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODERN: &str = r#"[project]
name = "demo"
requires-python = ">=3.10"
dependencies = ["requests>=2.31", "rich"]

[project.optional-dependencies]
Socks = ["pysocks"]

[dependency-groups]
test = ["pytest>=8"]
lint = ["ruff"]
dev = [{include-group = "test"}, {include-group = "lint"}, "ipython"]

[build-system]
requires = []
build-backend = "x"
"#;

    fn parse(text: &str) -> Result<Pyproject, PyprojectError> {
        Pyproject::parse(Path::new("pyproject.toml"), text)
    }

    #[test]
    fn defaults_install_the_project_its_dependencies_and_dev() {
        let p = parse(MODERN).unwrap();
        assert_eq!(p.requires_python.as_ref().unwrap().line, 3);
        let chosen = select(&p, &Selection::default()).unwrap();
        assert_eq!(
            chosen.requirements,
            ["requests>=2.31", "rich", "pytest>=8", "ruff", "ipython"]
        );
        assert!(chosen.editable);
        assert_eq!(chosen.groups, ["dev"]);
    }

    #[test]
    fn flags_pick_groups_and_extras() {
        let p = parse(MODERN).unwrap();
        let only = Selection {
            only_groups: vec!["lint".into()],
            ..Selection::default()
        };
        let chosen = select(&p, &only).unwrap();
        assert_eq!(chosen.requirements, ["ruff"]);
        assert!(!chosen.editable);
        let some = Selection {
            no_dev: true,
            groups: vec!["test".into()],
            extras: vec!["socks".into()],
            no_project: true,
            ..Selection::default()
        };
        let chosen = select(&p, &some).unwrap();
        assert_eq!(
            chosen.requirements,
            ["requests>=2.31", "rich", "pysocks", "pytest>=8"]
        );
        assert!(!chosen.editable);
        let unknown_group = Selection {
            groups: vec!["docs".into()],
            ..Selection::default()
        };
        let unknown_extra = Selection {
            extras: vec!["nope".into()],
            ..Selection::default()
        };
        for (selection, says) in [
            (unknown_group, &["has no such group", "dev, lint, test"][..]),
            (unknown_extra, &["it has: socks"]),
        ] {
            let err = select(&p, &selection).unwrap_err();
            assert!(says.iter().all(|s| err.contains(s)), "{err}");
        }
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("[project]\nname = \"x\"\ndependencies = [\"ok\",\n  \"bad ===\"]\n")
            .unwrap_err();
        assert_eq!((err.line, err.column), (4, 3));
        assert!(
            err.to_string()
                .starts_with("pyproject.toml:4:3: project.dependencies: `bad ===`"),
            "{err}"
        );
        let err = parse("[project]\nrequires-python = \"3.10\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        let err = parse("[project]\nname = \n").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        let cycle = parse(
            "[dependency-groups]\na = [{include-group = \"b\"}]\nb = [{include-group = \"a\"}]\n",
        )
        .unwrap();
        assert!(cycle.group("a").unwrap_err().contains("includes itself"));
        let missing =
            parse("[dependency-groups]\ndev = [\"x\", {include-group = \"nope\"}]\n").unwrap();
        let err = missing.group("dev").unwrap_err();
        assert!(
            err.contains("pyproject.toml:2: `include-group = \"nope\"`"),
            "{err}"
        );
    }

    #[test]
    fn names_normalize() {
        assert_eq!(normalize("Foo__Bar.baz"), "foo-bar-baz");
        let p = parse("[project]\ndependencies = []\n").unwrap();
        assert!(!p.has_build_system);
        assert!(
            select(&p, &Selection::default())
                .unwrap()
                .requirements
                .is_empty()
        );
    }

    #[test]
    fn requires_python_allows_versions() {
        let p = parse(MODERN).unwrap();
        let rp = p.requires_python.unwrap();
        let v = |s| super::super::interpreter::Version::parse(s).unwrap();
        assert!(rp.allows(&v("3.10.0")));
        assert!(!rp.allows(&v("3.9.18")));
    }
}
