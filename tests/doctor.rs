//! `devkit doctor`: the real git, Python, Node and the reference Worker's pinned wrangler,
//! with PATH cut down to leave some out, and a devkit.yaml naming a binding the wrangler
//! config lacks.

mod blog_support;
mod common;

use std::path::{Path, PathBuf};

use blog_support::{Dev, worker_dir, wrangler};
use common::git::git;
use common::servers::free_port;
use common::{Sandbox, assert_contains, snapshot_filters, stderr_of, stdout_of};

/// A directory holding links to just these programs, to be the whole PATH.
fn path_with(sandbox: &Sandbox, programs: &[&str]) -> PathBuf {
    let dir = sandbox.root().join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    for program in programs {
        let real = which::which(program).unwrap_or_else(|_| panic!("{program} on PATH"));
        std::os::unix::fs::symlink(real, dir.join(program)).unwrap();
    }
    dir
}

/// A KV blog project using the reference Worker's wrangler and (a copy of) its config.
fn worker_project(sandbox: &Sandbox, binding: &str) -> PathBuf {
    let config = sandbox.write(
        "wrangler.jsonc",
        std::fs::read(worker_dir().join("wrangler.jsonc")).unwrap(),
    );
    sandbox.write(
        "devkit.yaml",
        format!(
            "blog:\n  kv:\n    binding: {binding}\n  wrangler:\n    bin: {}\n",
            wrangler().display()
        ),
    );
    config
}

/// `devkit doctor` in the sandbox: how it ended, and its report.
fn doctor(sandbox: &Sandbox) -> (std::process::Output, String) {
    doctor_on(sandbox, None)
}

/// `devkit doctor` with `path` as the whole PATH, when given.
fn doctor_on(sandbox: &Sandbox, path: Option<&Path>) -> (std::process::Output, String) {
    let mut cmd = sandbox.devkit();
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    let out = cmd.arg("doctor").output().unwrap();
    let stdout = stdout_of(&out);
    (out, stdout)
}

/// The report line of `need`, which must be MISSING and make doctor exit 1.
fn missing<'a>(out: &std::process::Output, stdout: &'a str, need: &str) -> &'a str {
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", stderr_of(out));
    assert_eq!(status(stdout, need), "MISSING", "{stdout}");
    line(stdout, need)
}

/// The report line for `need` (the text after the status column).
fn line<'a>(stdout: &'a str, need: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| {
            let rest = l.trim_start();
            let rest = rest.split_once(' ').map_or("", |(_, r)| r.trim_start());
            rest.starts_with(&format!("{need}  ")) || rest == need
        })
        .unwrap_or_else(|| panic!("no line for {need}:\n{stdout}"))
}

fn status<'a>(stdout: &'a str, need: &str) -> &'a str {
    line(stdout, need).split_whitespace().next().unwrap()
}

#[test]
fn without_git_on_path_it_exits_1_and_says_how_to_install_it() {
    let sandbox = Sandbox::new();
    // Nothing on PATH, no pyenv: the same report on any machine.
    let bin = path_with(&sandbox, &[]);
    let out = sandbox
        .devkit()
        .arg("doctor")
        .env("PATH", &bin)
        .env_remove("PYENV_ROOT")
        .output()
        .unwrap();
    let stdout = stdout_of(&out);
    missing(&out, &stdout, "git");
    // Nothing is configured: the rest are warnings, and they do not fail the run.
    let _filters = snapshot_filters(&sandbox).bind_to_scope();
    insta::assert_snapshot!("doctor_without_git", stdout);
}

#[test]
fn a_kv_blog_without_node_exits_1_naming_node() {
    let sandbox = Sandbox::new();
    worker_project(&sandbox, "POSTS");
    let bin = path_with(&sandbox, &["git", "python3"]);
    let (out, stdout) = doctor_on(&sandbox, Some(&bin));
    missing(&out, &stdout, "node");
    assert_eq!(status(&stdout, "git"), "ok");
    assert_contains(&stdout, "fix: install Node.js");
    // wrangler itself is there (its version read without Node), and so is the binding.
    assert_eq!(status(&stdout, "wrangler"), "ok");
    assert!(
        line(&stdout, "wrangler").contains("wrangler 4.86.0"),
        "{stdout}"
    );
    assert_eq!(status(&stdout, "KV binding POSTS"), "ok", "{stdout}");
}

#[test]
fn a_binding_the_wrangler_config_lacks_exits_1_and_names_both() {
    let sandbox = Sandbox::new();
    let config = worker_project(&sandbox, "ARTICLES");
    let (out, stdout) = doctor(&sandbox);
    let binding = missing(&out, &stdout, "KV binding ARTICLES");
    assert!(
        binding.contains(&format!("not in {}", config.display()))
            && binding.contains("devkit.yaml:3")
            && binding.ends_with("it declares POSTS"),
        "{binding}"
    );
    assert_contains(&stdout, "fix: set blog.kv.binding to POSTS");
    assert_eq!(status(&stdout, "wrangler config"), "ok");
    assert_eq!(status(&stdout, "node"), "ok");

    // With the binding the config declares, everything a KV push needs is there.
    worker_project(&sandbox, "POSTS");
    let out = sandbox
        .devkit()
        .args(["doctor", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true);
    let checks = report["checks"].as_array().unwrap();
    let binding = checks
        .iter()
        .find(|c| c["need"] == "KV binding POSTS")
        .unwrap();
    assert_eq!(binding["command"], "blog push");
    assert_eq!(binding["status"], "ok");
    assert!(
        checks.iter().all(|c| c["status"] != "missing"),
        "{report:#}"
    );
}

#[test]
fn a_wrangler_config_that_does_not_parse_names_its_line() {
    let sandbox = Sandbox::new();
    worker_project(&sandbox, "POSTS");
    sandbox.write(
        "wrangler.jsonc",
        "{\n  // comment\n  \"name\": \"x\"\n  \"main\": 1\n}\n",
    );
    let (out, stdout) = doctor(&sandbox);
    let config = missing(&out, &stdout, "wrangler config");
    assert_contains(config, "wrangler.jsonc: line 4:");
}

#[test]
fn an_admin_api_that_does_not_answer_fails_and_the_token_never_shows() {
    let sandbox = Sandbox::new();
    let port = free_port();
    sandbox.write(
        "devkit.yaml",
        format!("blog:\n  target: do\n  do:\n    url: http://127.0.0.1:{port}/admin/api\n"),
    );
    let out = sandbox
        .devkit()
        .args(["doctor", "-vv"])
        .env("DEVKIT_BLOG_TOKEN", "s3cret-token-value")
        .output()
        .unwrap();
    let stdout = stdout_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert_eq!(status(&stdout, "admin token"), "ok");
    assert!(line(&stdout, "admin token").contains("DEVKIT_BLOG_TOKEN is set"));
    let api = line(
        &stdout,
        &format!("admin API http://127.0.0.1:{port}/admin/api"),
    );
    assert!(
        api.starts_with("  MISSING") && api.contains("does not answer"),
        "{api}"
    );
    for text in [stdout.as_str(), &stderr_of(&out)] {
        assert!(
            !text.contains("s3cret-token-value"),
            "the token leaked:\n{text}"
        );
    }
    // The Durable Object target runs no wrangler: no Node or wrangler lines.
    assert!(!stdout.contains("  node  "), "{stdout}");

    let (_, stdout) = doctor(&sandbox);
    assert_eq!(status(&stdout, "admin token"), "MISSING", "{stdout}");
}

#[test]
fn the_admin_api_of_a_running_worker_answers_and_a_wrong_token_is_named() {
    let dev = Dev::start_with(&["ADMIN_TOKEN:doctor-token", "POSTS_SOURCE:do"]);
    let sandbox = Sandbox::new();
    let url = dev.url("/admin/api");
    sandbox.write(
        "devkit.yaml",
        format!("blog:\n  target: do\n  do:\n    url: {url}\n"),
    );
    let doctor = |token: &str| {
        let out = sandbox
            .devkit()
            .arg("doctor")
            .env("DEVKIT_BLOG_TOKEN", token)
            .output()
            .unwrap();
        (out.status.code(), stdout_of(&out))
    };
    let (code, stdout) = doctor("doctor-token");
    assert_eq!(
        status(&stdout, &format!("admin API {url}")),
        "ok",
        "{stdout}"
    );
    assert_eq!(code, Some(0), "{stdout}");
    let (code, stdout) = doctor("wrong");
    assert_eq!(code, Some(1), "{stdout}");
    let api = line(&stdout, &format!("admin API {url}"));
    assert_contains(api, "refuses the token in DEVKIT_BLOG_TOKEN");
    assert!(
        !stdout.contains("doctor-token") && !stdout.contains("wrong"),
        "{stdout}"
    );
}

#[test]
fn a_missing_configured_remote_fails_inside_a_repository() {
    let sandbox = Sandbox::new();
    let repo = sandbox.work();
    git(&sandbox, &repo, &["init", "-q"]);
    git(
        &sandbox,
        &repo,
        &["remote", "add", "origin", "https://example.invalid/x.git"],
    );
    let (_, stdout) = doctor(&sandbox);
    assert_eq!(status(&stdout, "remote origin"), "ok", "{stdout}");
    assert!(line(&stdout, "remote origin").contains("https://example.invalid/x.git"));
    sandbox.write("devkit.yaml", "git:\n  remote: upstream\n");
    let (out, stdout) = doctor(&sandbox);
    let remote = missing(&out, &stdout, "remote upstream");
    assert!(remote.ends_with("the repository has origin"), "{remote}");
}

#[test]
fn a_wrangler_config_given_as_the_workers_folder_is_read_inside_it() {
    // "Try it locally" points blog.wrangler.config at the Worker's folder; push and pull take
    // the wrangler config inside it, and so must doctor.
    let sandbox = Sandbox::new();
    sandbox.write(
        "worker/wrangler.jsonc",
        std::fs::read(worker_dir().join("wrangler.jsonc")).unwrap(),
    );
    sandbox.write(
        "devkit.yaml",
        format!(
            "blog:\n  kv:\n    binding: POSTS\n  wrangler:\n    bin: {}\n    config: worker\n",
            wrangler().display()
        ),
    );
    let (_, stdout) = doctor(&sandbox);
    assert_eq!(status(&stdout, "wrangler config"), "ok", "{stdout}");
    assert!(
        line(&stdout, "wrangler config").contains("worker/wrangler.jsonc"),
        "{stdout}"
    );
    assert_eq!(status(&stdout, "KV binding POSTS"), "ok", "{stdout}");
}
