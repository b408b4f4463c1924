//! The committed completions/ and man/ are what the CLI definition generates today.

mod common;

use std::path::Path;

use common::{Sandbox, ok, stdout_of};
use devkit::commands::generate::{SHELLS, completion_script, generated_files};

const REFRESH: &str = "cargo run -- generate --out .";

#[test]
fn committed_files_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let expected = generated_files().unwrap();
    let mut stale = Vec::new();
    for (rel, bytes) in &expected {
        match std::fs::read(root.join(rel)) {
            Ok(on_disk) if on_disk == *bytes => {}
            Ok(_) => stale.push(format!("{} is stale", rel.display())),
            Err(_) => stale.push(format!("{} is missing", rel.display())),
        }
    }
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let rel = Path::new(dir).join(entry.unwrap().file_name());
            if !expected.iter().any(|(p, _)| *p == rel) {
                stale.push(format!("{} is no longer generated", rel.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are out of date:\n  {}\nrefresh them with: {REFRESH}",
        stale.join("\n  ")
    );
}

#[test]
fn completions_command_prints_each_shell() {
    let sandbox = Sandbox::new();
    for (shell, _) in SHELLS {
        let name = shell.to_string();
        let out = sandbox
            .devkit()
            .args(["completions", &name])
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}");
        assert_eq!(out.stdout, completion_script(*shell), "{name}");
        let text = stdout_of(&out);
        // The script calls back into devkit, which knows the commands: it lists none itself.
        assert!(
            text.contains("DEVKIT_COMPLETE") && text.contains("devkit"),
            "{name}"
        );
    }
}

#[test]
fn bash_completion_loads_in_bash() {
    let sandbox = Sandbox::new();
    let script = sandbox.write("devkit.bash", completion_script(clap_complete::Shell::Bash));
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}' && complete -p devkit",
            script.display()
        ))
        .output()
        .unwrap();
    ok(&out);
}

#[test]
fn man_pages_cover_every_command() {
    let names: Vec<_> = generated_files()
        .unwrap()
        .into_iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    for page in [
        "man/devkit.1",
        "man/devkit-b64.1",
        "man/devkit-git-untag.1",
        "man/devkit-pyenv-init.1",
        "man/devkit-blog-push.1",
        "man/devkit-config-show.1",
    ] {
        assert!(names.iter().any(|n| n == page), "{page} missing: {names:?}");
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("man/devkit-git-untag.1")).unwrap();
    assert!(page.contains(".TH devkit-git-untag 1"));
    assert!(page.contains("dry\\-run"));
}

#[test]
fn generate_writes_the_same_files() {
    let sandbox = Sandbox::new();
    let out = sandbox.work().join("gen");
    sandbox
        .devkit()
        .args(["generate", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    for (rel, bytes) in generated_files().unwrap() {
        assert_eq!(
            std::fs::read(out.join(&rel)).unwrap(),
            bytes,
            "{}",
            rel.display()
        );
    }
}
