//! Live completion, driven the way each shell drives it: bash calls the registered function
//! with COMP_WORDS/COMP_CWORD set and reads COMPREPLY; fish answers `complete -C`; zsh runs
//! the `#compdef` function with `words`/`CURRENT` set. Each script calls the real devkit
//! (first on PATH) back, in a real git repository with tags.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::git::git;
use common::{Sandbox, path_with_devkit, stderr_of, stdout_of};
use devkit::commands::generate::completion_script;

/// A repository in the sandbox's work directory: four tags, remotes `origin` and `upstream`.
/// The remotes point at nothing that answers: completion must never contact them.
fn repo_with_tags(sandbox: &Sandbox) -> PathBuf {
    let dir = sandbox.work().join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    let git = |args: &[&str]| git(sandbox, &dir, args);
    git(&["init", "-q"]);
    git(&["commit", "-q", "--allow-empty", "-m", "first"]);
    for tag in ["v1.0", "v1.1", "v2.0", "rc-1"] {
        git(&["tag", tag]);
    }
    git(&["remote", "add", "origin", "git://127.0.0.1:9/nothing.git"]);
    git(&["remote", "add", "upstream", "/nonexistent/upstream.git"]);
    // Half of the tags packed, as `git gc` leaves them: both places are read.
    git(&["pack-refs", "--prune"]);
    git(&["tag", "v1.2-loose"]);
    dir
}

/// A shell run with the sandbox's HOME, no DEVKIT_* from the host, and the devkit under test
/// first on PATH (the scripts call `devkit` by name, as an installed one would be).
fn shell(sandbox: &Sandbox, program: &str, cwd: &Path) -> Command {
    let mut cmd = sandbox.sealed(program);
    cmd.env_remove("PYENV_ROOT")
        .current_dir(cwd)
        .env("PATH", path_with_devkit());
    cmd
}

fn script(sandbox: &Sandbox, shell: clap_complete::Shell, name: &str) -> PathBuf {
    sandbox.write(name, completion_script(shell))
}

/// bash: COMPREPLY for the command line `words` (the last word is being completed).
fn bash_complete(sandbox: &Sandbox, cwd: &Path, words: &[&str]) -> (Vec<String>, String) {
    let script = script(sandbox, clap_complete::Shell::Bash, "devkit.bash");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let current = words[cword];
    let previous = words[cword - 1];
    let program = format!(
        "source '{}'\n\
         COMP_WORDS=({})\n\
         COMP_CWORD={cword}\n\
         COMP_LINE='{}'\n\
         COMP_POINT=${{#COMP_LINE}}\n\
         _clap_complete_devkit devkit '{current}' '{previous}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        quoted.join(" "),
        words.join(" "),
    );
    let out = shell(sandbox, "bash", cwd)
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .unwrap();
    assert!(out.status.success(), "bash: {}", stderr_of(&out));
    let lines = stdout_of(&out)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    (lines, stderr_of(&out))
}

#[test]
fn bash_completes_local_tags_by_prefix() {
    let sandbox = Sandbox::new();
    let repo = repo_with_tags(&sandbox);
    let (got, stderr) = bash_complete(&sandbox, &repo, &["devkit", "git", "untag", "v1."]);
    assert_eq!(got, ["v1.0", "v1.1", "v1.2-loose"]);
    assert_eq!(stderr, "");
    // An empty word gets the tags first, then the flags clap knows.
    let (got, _) = bash_complete(&sandbox, &repo, &["devkit", "git", "untag", ""]);
    assert_eq!(got[..5], ["rc-1", "v1.0", "v1.1", "v1.2-loose", "v2.0"]);
    assert!(got[5..].iter().all(|c| c.starts_with("--")), "{got:?}");
    assert!(got.iter().any(|c| c == "--remote"), "{got:?}");
}

#[test]
fn bash_completes_local_tags_after_a_remote_without_asking_it() {
    let sandbox = Sandbox::new();
    let repo = repo_with_tags(&sandbox);
    let words = ["devkit", "git", "untag", "--remote", "upstream", "v2"];
    let (got, stderr) = bash_complete(&sandbox, &repo, &words);
    assert_eq!(got, ["v2.0"]);
    assert_eq!(stderr, "");
}

#[test]
fn bash_completes_remote_names() {
    let sandbox = Sandbox::new();
    let repo = repo_with_tags(&sandbox);
    let words = ["devkit", "git", "untag", "v1.0", "--remote", ""];
    let (got, _) = bash_complete(&sandbox, &repo, &words);
    assert_eq!(got, ["origin", "upstream"]);
    let words = ["devkit", "git", "untag", "--remote", "up"];
    assert_eq!(bash_complete(&sandbox, &repo, &words).0, ["upstream"]);
}

#[test]
fn bash_completes_config_keys_and_targets() {
    let sandbox = Sandbox::new();
    let work = sandbox.work();
    let (got, _) = bash_complete(&sandbox, &work, &["devkit", "config", "get", "git."]);
    assert_eq!(got, ["git.remote", "git.transport"]);
    let (got, _) = bash_complete(&sandbox, &work, &["devkit", "blog", "push", "--target", ""]);
    assert_eq!(got, ["kv", "do", "d1"]);
    let (got, _) = bash_complete(&sandbox, &work, &["devkit", "git", "un"]);
    assert_eq!(got, ["untag"]);
}

#[test]
fn bash_completes_the_interpreters_on_path() {
    let sandbox = Sandbox::new();
    let work = sandbox.work();
    let python3 = which::which("python3").expect("python3 on PATH (the pyenv tests need it too)");
    let (got, _) = bash_complete(
        &sandbox,
        &work,
        &["devkit", "pyenv", "init", "--python", "/"],
    );
    assert!(
        got.iter().any(|c| Path::new(c) == python3),
        "{} not among {got:?}",
        python3.display()
    );
}

#[test]
fn errors_print_nothing_and_offer_nothing() {
    let sandbox = Sandbox::new();
    // Not a repository, and a devkit.yaml that does not parse.
    let work = sandbox.work();
    sandbox.write("devkit.yaml", "git: [unclosed\n");
    for words in [
        &["devkit", "git", "untag", "v"][..],
        &["devkit", "git", "untag", "--remote", ""],
    ] {
        assert_eq!(
            bash_complete(&sandbox, &work, words),
            (vec![], String::new())
        );
    }
    // The broken file does not stop what needs no config.
    let (got, stderr) = bash_complete(&sandbox, &work, &["devkit", "config", "get", "b64."]);
    let b64_keys: Vec<&str> = devkit::config::KEYS
        .iter()
        .map(|k| k.key)
        .filter(|k| k.starts_with("b64."))
        .collect();
    assert_eq!(got, b64_keys);
    assert_eq!(stderr, "");
    // A worktree whose `.git` file points at a repository that is gone: still silent.
    let repo = repo_with_tags(&sandbox);
    std::fs::remove_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join(".git"), "gitdir: /nonexistent/repo.git\n").unwrap();
    let words = ["devkit", "git", "untag", "v"];
    assert_eq!(
        bash_complete(&sandbox, &repo, &words),
        (vec![], String::new())
    );
}

#[test]
fn a_failing_request_prints_nothing_at_all() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .devkit()
        .env("DEVKIT_COMPLETE", "no-such-shell")
        .args(["--", "devkit", "git", "untag", ""])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_of(&out), "");
    assert_eq!(stderr_of(&out), "");
}

#[test]
fn fish_completes_tags_with_complete_c() {
    let sandbox = Sandbox::new();
    let repo = repo_with_tags(&sandbox);
    let script = script(&sandbox, clap_complete::Shell::Fish, "devkit.fish");
    let program = format!(
        "source '{}'; complete -C 'devkit git untag v1.'; complete -C 'devkit config get blog.do.'",
        script.display()
    );
    let out = shell(&sandbox, "fish", &repo)
        .args(["--no-config", "-c", &program])
        .output()
        .unwrap();
    assert!(out.status.success(), "fish: {}", stderr_of(&out));
    // `complete -C` prints `value<TAB>description`.
    let values: Vec<String> = stdout_of(&out)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    assert_eq!(
        values,
        [
            "v1.0",
            "v1.1",
            "v1.2-loose",
            "blog.do.url",
            "blog.do.token_env"
        ]
    );
    assert_eq!(stderr_of(&out), "");
}

/// zsh's completion builtins (`compadd`, `_describe`) only run inside a completion widget,
/// which needs a terminal. So the real `#compdef` function runs with `words`/`CURRENT` set as
/// zsh sets them, and `_describe` (the one completion-system function it calls) replaced by
/// one that prints the candidates it was handed.
#[test]
fn zsh_completion_function_hands_over_the_tags() {
    let sandbox = Sandbox::new();
    let repo = repo_with_tags(&sandbox);
    let script = script(&sandbox, clap_complete::Shell::Zsh, "_devkit");
    let program = format!(
        "compdef() {{ :; }}\n\
         _describe() {{ local name=${{@[-1]}}; print -l -- ${{(P)name}}; }}\n\
         source '{}'\n\
         words=(devkit git untag v)\n\
         CURRENT=4\n\
         _clap_dynamic_completer_devkit\n",
        script.display()
    );
    let out = shell(&sandbox, "zsh", &repo)
        .args(["-f", "-c", &program])
        .output()
        .unwrap();
    assert!(out.status.success(), "zsh: {}", stderr_of(&out));
    assert_eq!(
        stdout_of(&out).lines().collect::<Vec<_>>(),
        ["v1.0", "v1.1", "v1.2-loose", "v2.0"]
    );
}

#[test]
fn bash_completes_extras_and_groups_from_the_projects_pyproject() {
    let sandbox = Sandbox::new();
    let work = sandbox.work();
    sandbox.write(
        "pyproject.toml",
        "[project]\nname = \"demo\"\nversion = \"1\"\n\n\
         [project.optional-dependencies]\ncli = [\"click\"]\ndocs = [\"mkdocs\"]\n\n\
         [dependency-groups]\ndev = [\"pytest\"]\nlint = [\"ruff\"]\n",
    );
    let (got, stderr) = bash_complete(&sandbox, &work, &["devkit", "pyenv", "init", "--extra", ""]);
    assert_eq!(got, ["cli", "docs"]);
    assert_eq!(stderr, "");
    let (got, _) = bash_complete(
        &sandbox,
        &work,
        &["devkit", "pyenv", "init", "--group", "l"],
    );
    assert_eq!(got, ["lint"]);
    let (got, _) = bash_complete(
        &sandbox,
        &work,
        &["devkit", "pyenv", "init", "--only-group", ""],
    );
    assert_eq!(got, ["dev", "lint"]);
}
