//! Live completion: the shell script from `devkit completions SHELL` runs devkit again with
//! `DEVKIT_COMPLETE=<shell>` set, and clap_complete's engine walks the one CLI definition to
//! find what is being completed. The value completers here answer from local state only
//! (refs on disk, pyproject.toml, PATH) and never print: a broken repo or file means no
//! candidates, not an error on the user's terminal.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap_complete::CompletionCandidate;
use clap_complete::env::CompleteEnv;

use crate::config::KEYS;
use crate::python::interpreter::{MIN_VERSION, Version};

/// The environment variable that turns a devkit run into a completion request. devkit's own
/// name keeps a stray `COMPLETE=1` in a user's environment from hijacking every run.
pub const ENV_VAR: &str = "DEVKIT_COMPLETE";

/// Answer a completion request when `DEVKIT_COMPLETE` asks for one: `Some(success)` once
/// answered (or failed: then nothing is printed at all), `None` for a normal run. `command`
/// builds the CLI definition (`Cli::command`), which names these completers.
pub fn answer(args: &[OsString], command: fn() -> clap::Command) -> Option<bool> {
    std::env::var_os(ENV_VAR)?;
    let cwd = std::env::current_dir().ok();
    match CompleteEnv::with_factory(command)
        .var(ENV_VAR)
        .bin("devkit")
        .completer("devkit")
        .try_complete(args.iter().cloned(), cwd.as_deref())
    {
        Ok(true) => Some(true),
        Ok(false) => None,
        Err(_) => Some(false),
    }
}

/// `devkit git untag <TAB>`: the local tags, read from the refs on disk (no remote is asked,
/// even after `--remote NAME`: completion must not wait on the network).
pub fn tags() -> Vec<CompletionCandidate> {
    let Some(common) = std::env::current_dir()
        .ok()
        .and_then(|cwd| common_dir(&cwd))
    else {
        return Vec::new();
    };
    local_tags(&common)
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// The repository's common directory (where `refs/` and `packed-refs` live) for `start`:
/// `.git` here or in a parent, following a `.git` file (`gitdir: …`, as in a worktree or a
/// submodule) and a worktree's `commondir`. Read by hand rather than opened with libgit2,
/// whose start-up (OpenSSL and libssh2 included) would be most of a completion's time.
fn common_dir(start: &Path) -> Option<PathBuf> {
    let dot_git = start
        .ancestors()
        .map(|dir| dir.join(".git"))
        .find(|p| p.exists())?;
    let git_dir = if dot_git.is_file() {
        let text = std::fs::read_to_string(&dot_git).ok()?;
        let target = text.trim().strip_prefix("gitdir:")?.trim();
        dot_git.parent()?.join(target)
    } else {
        dot_git
    };
    match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(text) => Some(git_dir.join(text.trim())),
        Err(_) => git_dir.is_dir().then_some(git_dir),
    }
}

/// Every tag name under `refs/tags/`, loose (files, nested for `a/b`) and packed, sorted and
/// once each. A name that is not UTF-8 cannot be typed on devkit's command line: left out.
pub fn local_tags(common: &Path) -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    if let Ok(packed) = std::fs::read_to_string(common.join("packed-refs")) {
        // `<sha> refs/tags/NAME`; `#` is the header, `^<sha>` a peeled tag's commit.
        names.extend(
            packed
                .lines()
                .filter_map(|line| line.split_once(' '))
                .filter_map(|(_, name)| name.strip_prefix("refs/tags/"))
                .map(str::to_string),
        );
    }
    let mut dirs = vec![(common.join("refs/tags"), String::new())];
    while let Some((dir, prefix)) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                dirs.push((entry.path(), format!("{prefix}{name}/")));
            } else if !name.ends_with(".lock") {
                names.insert(format!("{prefix}{name}"));
            }
        }
    }
    names.into_iter().collect()
}

/// `--remote <TAB>`: the repository's configured remotes, with their URL as help.
pub fn remotes() -> Vec<CompletionCandidate> {
    let Some(repo) = open_repo() else {
        return Vec::new();
    };
    let Ok(names) = repo.remotes() else {
        return Vec::new();
    };
    names
        .iter()
        .flatten()
        .flatten()
        .map(|name| {
            let url = repo
                .find_remote(name)
                .ok()
                .and_then(|r| r.url().ok().map(str::to_string));
            CompletionCandidate::new(name).help(url.map(Into::into))
        })
        .collect()
}

fn open_repo() -> Option<git2::Repository> {
    let cwd = std::env::current_dir().ok()?;
    git2::Repository::discover(cwd).ok()
}

/// `devkit config get <TAB>`: every key of the schema, with its doc as help.
pub fn config_keys() -> Vec<CompletionCandidate> {
    KEYS.iter()
        .map(|def| CompletionCandidate::new(def.key).help(Some(def.doc.into())))
        .collect()
}

/// `--python <TAB>`: what `--python` accepts and devkit would find: the versions of the
/// `python3.N` commands on PATH and of pyenv's builds (through pyenv's own discovery), then
/// the default interpreters on PATH by path. Nothing is run: probing each interpreter would
/// cost a Python start per candidate, far over a completion's budget.
pub fn interpreters() -> Vec<CompletionCandidate> {
    use crate::python::interpreter::{Request, candidates, pyenv_versions};
    let path_var = std::env::var_os("PATH").unwrap_or_default();
    let mut versions: Vec<(Version, String, PathBuf)> = versioned_pythons(&path_var)
        .into_iter()
        .filter_map(|(text, path)| Some((Version::parse(&text)?, text, path)))
        .collect();
    versions.extend(
        pyenv_versions()
            .into_iter()
            .map(|(v, path)| (v, v.to_string(), path)),
    );
    // Newest first, and none that devkit would refuse as too old.
    versions.retain(|(v, _, _)| *v >= MIN_VERSION);
    versions.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.len().cmp(&b.1.len())));
    let mut out: Vec<CompletionCandidate> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for (_, text, path) in versions {
        out.push(CompletionCandidate::new(text).help(Some(path.display().to_string().into())));
    }
    let which_all = |name: &str| -> Vec<PathBuf> {
        which::which_all(name)
            .map(|found| found.collect())
            .unwrap_or_default()
    };
    for (label, path) in candidates(&Request::Default, &which_all, &[]) {
        let Some(path) = path else { continue };
        // `/bin/python3` is `/usr/bin/python3` on a merged-/usr system: offer it once.
        let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if !seen.contains(&real) {
            seen.push(real);
            out.push(CompletionCandidate::new(path).help(Some(label.into())));
        }
    }
    out
}

/// `python3.12` on PATH → (`3.12`, its path), first match per version, in PATH order.
fn versioned_pythons(path_var: &std::ffi::OsStr) -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for dir in std::env::split_paths(path_var) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let Some(version) = python_command_version(&name) else {
                continue;
            };
            if !found.iter().any(|(v, _)| *v == version) && is_executable(&entry.path()) {
                found.push((version, entry.path()));
            }
        }
    }
    found
}

/// `python3.12` → `3.12`; `python3`, `python3.12-config`, `python3.12m` → nothing.
fn python_command_version(name: &str) -> Option<String> {
    let version = name.strip_prefix("python")?;
    let (major, minor) = version.split_once('.')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (all_digits(major) && all_digits(minor)).then(|| version.to_string())
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `--extra <TAB>`: the nearest pyproject.toml's `[project.optional-dependencies]` names.
pub fn pyproject_extras() -> Vec<CompletionCandidate> {
    pyproject_names(Section::Extras)
}

/// `--group <TAB>` (and `--only-group`): the nearest pyproject.toml's `[dependency-groups]`.
pub fn pyproject_groups() -> Vec<CompletionCandidate> {
    pyproject_names(Section::Groups)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Extras,
    Groups,
}

fn pyproject_names(section: Section) -> Vec<CompletionCandidate> {
    let Ok(cwd) = std::env::current_dir() else {
        return Vec::new();
    };
    let Some(text) = cwd
        .ancestors()
        .find_map(|dir| std::fs::read_to_string(dir.join("pyproject.toml")).ok())
    else {
        return Vec::new();
    };
    names_in_pyproject(&text, section)
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// The extra or group names a pyproject.toml declares, by name; none when it does not
/// parse (completion shows nothing rather than an error).
pub fn names_in_pyproject(text: &str, section: Section) -> Vec<String> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let table = match section {
        Section::Extras => doc
            .get("project")
            .and_then(|p| p.get("optional-dependencies")),
        Section::Groups => doc.get("dependency-groups"),
    };
    table
        .and_then(toml::Value::as_table)
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyproject_extras_and_groups_are_read_by_section() {
        let text = r#"
[project]
name = "demo"
[project.optional-dependencies]
socks = ["pysocks"]
cli = ["click"]
[dependency-groups]
dev = ["pytest", {include-group = "lint"}]
lint = ["ruff"]
"#;
        let mut extras = names_in_pyproject(text, Section::Extras);
        extras.sort();
        assert_eq!(extras, ["cli", "socks"]);
        let mut groups = names_in_pyproject(text, Section::Groups);
        groups.sort();
        assert_eq!(groups, ["dev", "lint"]);
        assert!(names_in_pyproject("[project", Section::Extras).is_empty());
        assert!(names_in_pyproject("[project]\nname='x'\n", Section::Groups).is_empty());
    }

    #[test]
    fn tags_are_read_loose_and_packed_through_a_worktree_file() {
        let dir = tempfile::tempdir().unwrap();
        let common = dir.path().join("main/.git");
        std::fs::create_dir_all(common.join("refs/tags/rel")).unwrap();
        std::fs::write(common.join("refs/tags/v2"), "0000\n").unwrap();
        std::fs::write(common.join("refs/tags/rel/a"), "0000\n").unwrap();
        std::fs::write(common.join("refs/tags/v3.lock"), "0000\n").unwrap();
        std::fs::write(
            common.join("packed-refs"),
            "# pack-refs with: peeled fully-peeled sorted \n\
             1111 refs/heads/main\n1111 refs/tags/v1\n^2222\n1111 refs/tags/v2\n",
        )
        .unwrap();
        // A linked worktree: `.git` is a file naming its git dir, which names the common one.
        let wt_git = common.join("worktrees/wt");
        std::fs::create_dir_all(&wt_git).unwrap();
        std::fs::write(wt_git.join("commondir"), "../..\n").unwrap();
        let wt = dir.path().join("wt/sub");
        std::fs::create_dir_all(&wt).unwrap();
        std::fs::write(
            dir.path().join("wt/.git"),
            format!("gitdir: {}\n", wt_git.display()),
        )
        .unwrap();
        for start in [dir.path().join("main"), wt] {
            let found = common_dir(&start).unwrap();
            assert_eq!(
                local_tags(&found),
                ["rel/a", "v1", "v2"],
                "{}",
                start.display()
            );
        }
        assert_eq!(common_dir(dir.path()), None);
    }

    #[test]
    fn only_versioned_python_commands_name_a_version() {
        assert_eq!(
            python_command_version("python3.12").as_deref(),
            Some("3.12")
        );
        assert_eq!(python_command_version("python3.9").as_deref(), Some("3.9"));
        for name in [
            "python3",
            "python",
            "python3.12-config",
            "python3.12m",
            "pythonx.1",
        ] {
            assert_eq!(python_command_version(name), None, "{name}");
        }
    }

    #[test]
    fn every_config_key_is_offered() {
        let keys: Vec<_> = config_keys()
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert_eq!(keys.len(), KEYS.len());
        assert!(keys.iter().any(|k| k == "git.remote"));
    }
}
