//! README.md's tour runs as written: each command line of its `sh` blocks, in bash, in a fresh
//! git repository whose `origin` (a bare repository) has the tag `v1.2.3`, with this devkit
//! first on PATH. (The set-up block before the tour is `cargo install` and `scripts/test`.)

mod common;

use std::path::Path;

use common::git::{bare_remote, client, git_env};
use common::{Sandbox, path_with_devkit, stderr_of, stdout_of};

/// The command lines of the `sh` blocks after `## A quick tour`.
fn tour_lines(readme: &str) -> Vec<String> {
    let tour = readme
        .split_once("## A quick tour")
        .expect("README.md has a tour")
        .1;
    let mut lines = Vec::new();
    let mut in_sh = false;
    for line in tour.lines() {
        match line.trim_end() {
            "```sh" => in_sh = true,
            "```" => in_sh = false,
            text if in_sh && !text.trim().is_empty() => lines.push(text.to_string()),
            _ => {}
        }
    }
    lines
}

/// What a line's comment says it prints, when the comment is one word (`# YWJjZGVmCg==`).
fn promised_output(line: &str) -> Option<&str> {
    let comment = line.split_once(" # ")?.1.trim();
    (!comment.contains(' ')).then_some(comment)
}

#[test]
fn every_command_of_the_tour_runs_as_written() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let lines = tour_lines(&readme);
    assert!(lines.len() >= 10, "the tour shows {} commands", lines.len());

    let sandbox = Sandbox::new();
    let remote = bare_remote(&sandbox, &sandbox.root().join("srv"), "origin.git");
    let repo = client(
        &sandbox,
        &remote.display().to_string(),
        &remote,
        &["v1.2.3"],
    );
    let path = path_with_devkit();
    for line in &lines {
        let out = sandbox
            .sealed("bash")
            .args(["-euo", "pipefail", "-c", line])
            .current_dir(&repo)
            .envs(git_env(&sandbox))
            .env("PATH", &path)
            .env("UV_PYTHON_DOWNLOADS", "never")
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "README.md: `{line}` exited {:?}:\n{}",
            out.status.code(),
            stderr_of(&out)
        );
        if let Some(promised) = promised_output(line) {
            assert_eq!(
                stdout_of(&out),
                format!("{promised}\n"),
                "README.md: `{line}`"
            );
        }
    }
}
