//! The command line itself: the clap definition, help, version, usage errors, exit codes.

mod common;

use clap::CommandFactory;
use common::{Sandbox, snapshot_filters, stderr_of, stdout_of};
use predicates::prelude::*;

#[test]
fn clap_definition_is_consistent() {
    devkit::cli::Cli::command().debug_assert();
}

/// What users read first, whole: the top-level help and each leaf's, but the blog's (whose
/// flags its own tests snapshot). `generate` stays hidden.
#[test]
fn help_texts() {
    let sandbox = Sandbox::new();
    let _filters = snapshot_filters(&sandbox).bind_to_scope();
    for args in [
        &[][..],
        &["b64"],
        &["git", "untag"],
        &["pyenv", "init"],
        &["pyenv", "activate"],
        &["pyenv", "run"],
        &["pyenv", "freeze"],
        &["config", "show"],
        &["config", "get"],
        &["config", "path"],
        &["config", "schema"],
        &["doctor"],
        &["completions"],
    ] {
        let out = sandbox.devkit().args(args).arg("--help").output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let name = format!("help_{}", args.join("_"));
        insta::assert_snapshot!(name.trim_end_matches('_'), stdout_of(&out));
    }
}

#[test]
fn every_leaf_command_has_examples_in_its_help() {
    let sandbox = Sandbox::new();
    for args in [
        &["b64"][..],
        &["git", "untag"],
        &["pyenv", "init"],
        &["pyenv", "activate"],
        &["pyenv", "run"],
        &["pyenv", "freeze"],
        &["blog", "check"],
        &["blog", "new"],
        &["blog", "push"],
        &["config", "show"],
        &["config", "get"],
        &["config", "path"],
        &["completions"],
    ] {
        sandbox
            .devkit()
            .args(args)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
}

#[test]
fn version_prints_the_package_version() {
    Sandbox::new()
        .devkit()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("devkit {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn usage_errors_exit_2() {
    let sandbox = Sandbox::new();
    let out = sandbox.devkit().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let filters = snapshot_filters(&sandbox).bind_to_scope();
    insta::assert_snapshot!("unknown_command", stderr_of(&out));
    drop(filters);
    sandbox
        .devkit()
        .args(["--color", "sometimes", "config", "show"])
        .assert()
        .code(2);
    sandbox
        .devkit()
        .args(["-q", "-v", "config", "show"])
        .assert()
        .code(2);
    sandbox.devkit().assert().code(2);
}

#[test]
fn closed_stdout_ends_quietly() {
    // `devkit … | head -c0`: the reader is gone before devkit writes, so every write fails
    // with EPIPE however small the output. devkit must neither panic nor complain.
    let sandbox = Sandbox::new();
    for args in [
        &["config", "show"][..],
        &["completions", "bash"],
        &["--help"],
        &["--version"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = sandbox
            .command()
            .args(args)
            .stdout(writer)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(stderr_of(&out), "", "{args:?}");
    }
}

#[test]
fn errors_are_printed_once_with_color_only_when_asked() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .devkit()
        .args(["config", "get", "nope"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(err.contains("hint:"));
    assert!(!err.contains('\u{1b}'));
    let out = sandbox
        .devkit()
        .args(["--color", "always", "config", "get", "nope"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("\u{1b}["));
    let out = sandbox
        .devkit()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["config", "get", "nope"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("\u{1b}["));
}
