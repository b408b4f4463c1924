//! The command line itself: the clap definition, help, version, usage errors, exit codes.

mod common;

use clap::CommandFactory;
use common::Sandbox;
use predicates::prelude::*;

#[test]
fn clap_definition_is_consistent() {
    devkit::cli::Cli::command().debug_assert();
}

#[test]
fn help_lists_the_commands_and_examples() {
    let sandbox = Sandbox::new();
    let assert = sandbox.devkit().arg("--help").assert().success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for cmd in ["b64", "git", "pyenv", "blog", "config", "completions"] {
        assert!(
            out.contains(&format!("  {cmd} ")),
            "{cmd} missing from help:\n{out}"
        );
    }
    assert!(out.contains("Examples:"));
    assert!(!out.contains("generate"), "generate is hidden");
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
    sandbox.devkit().arg("frobnicate").assert().code(2);
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
    // `devkit config show | head -c1`: devkit must neither panic nor complain.
    let sandbox = Sandbox::new();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' config show | head -c1 >/dev/null; echo ${{PIPESTATUS[0]}}",
            assert_cmd::cargo::cargo_bin!("devkit").display()
        ))
        .current_dir(sandbox.work())
        .env("HOME", sandbox.home())
        .env("XDG_CONFIG_HOME", sandbox.xdg_config_home())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
