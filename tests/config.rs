//! The layered config through the binary: precedence, origins, files, and every bad input.

mod common;

use common::{Sandbox, snapshot_filters, stderr_of, stdout_of};
use predicates::prelude::*;

/// (key, env var, flag-free value per layer) — three keys of three kinds.
const KEYS: &[(&str, &str, &str, [&str; 3])] = &[
    // key, section yaml, env var, [user, project, env]
    (
        "git.remote",
        "git:\n  remote: {}\n",
        "DEVKIT_GIT_REMOTE",
        ["from-user", "from-project", "from-env"],
    ),
    (
        "b64.wrap",
        "b64:\n  wrap: {}\n",
        "DEVKIT_B64_WRAP",
        ["10", "20", "30"],
    ),
    (
        "blog.settle",
        "blog:\n  settle: {}\n",
        "DEVKIT_BLOG_SETTLE",
        ["10s", "20s", "30s"],
    ),
];

fn get(sandbox: &Sandbox, key: &str, env: Option<(&str, &str)>) -> String {
    let mut cmd = sandbox.devkit();
    if let Some((var, value)) = env {
        cmd.env(var, value);
    }
    value_of(cmd, &[], key)
}

/// `devkit FLAGS… config get KEY` through `cmd` (the sandbox's devkit, with its environment and
/// directory set), which must succeed; the value it prints.
fn value_of(mut cmd: assert_cmd::Command, flags: &[&str], key: &str) -> String {
    let out = cmd
        .args(flags)
        .args(["config", "get", key])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    stdout_of(&out).trim().to_string()
}

/// `devkit ARGS` in `sandbox` exits with `code`, and its stderr holds `says`.
fn refuses(sandbox: &Sandbox, args: &[&str], code: i32, says: &str) {
    sandbox
        .devkit()
        .args(args)
        .assert()
        .code(code)
        .stderr(predicate::str::contains(says));
}

#[test]
fn precedence_default_user_project_env() {
    for (key, yaml, var, [user, project, env]) in KEYS {
        let sandbox = Sandbox::new();
        let default = get(&sandbox, key, None);
        assert_ne!(default, *user);

        sandbox.write_user_config(&yaml.replace("{}", user));
        assert_eq!(get(&sandbox, key, None), *user, "{key}: user beats default");

        sandbox.write("devkit.yaml", yaml.replace("{}", project));
        assert_eq!(
            get(&sandbox, key, None),
            *project,
            "{key}: project beats user"
        );

        assert_eq!(
            get(&sandbox, key, Some((var, env))),
            *env,
            "{key}: env beats project"
        );
    }
}

/// The whole matrix, flags included, for two path keys: the error for a missing directory
/// names the path each layer chose (and for the venv, the layer itself).
#[test]
fn precedence_with_flags_for_path_keys() {
    // (yaml with {}, env var, command, flag, error text before the path)
    let cases: &[(&str, &str, &[&str], &str, &str)] = &[
        (
            "pyenv:\n  dir: {}\n",
            "DEVKIT_PYENV_DIR",
            &["pyenv", "activate", "--shell", "bash"],
            "--dir",
            "the venv ",
        ),
        (
            "blog:\n  content: {}\n",
            "DEVKIT_BLOG_CONTENT",
            &["blog", "check"],
            "--content",
            "cannot read the posts directory ",
        ),
    ];
    for (yaml, var, command, flag, before) in cases {
        let sandbox = Sandbox::new();
        let chosen = |env: Option<&str>, flag_value: Option<&str>| {
            let mut cmd = sandbox.devkit();
            cmd.args(*command);
            if let Some(value) = flag_value {
                cmd.args([flag, value]);
            }
            if let Some(value) = env {
                cmd.env(var, value);
            }
            let out = cmd.output().unwrap();
            assert_ne!(
                out.status.code(),
                Some(0),
                "{command:?} must fail on a missing path"
            );
            stderr_of(&out)
        };
        let default = chosen(None, None);
        sandbox.write_user_config(&yaml.replace("{}", "from-user"));
        let user = chosen(None, None);
        sandbox.write("devkit.yaml", yaml.replace("{}", "from-project"));
        let project = chosen(None, None);
        let env = chosen(Some("from-env"), None);
        let flagged = chosen(Some("from-env"), Some("from-flag"));

        let path =
            |dir: &std::path::Path, name: &str| format!("{before}{}", dir.join(name).display());
        assert!(!default.contains("from-"), "{command:?} default: {default}");
        let user_dir = sandbox.user_config().parent().unwrap().to_path_buf();
        assert!(
            user.contains(&path(&user_dir, "from-user")),
            "{command:?}: {user}"
        );
        assert!(
            project.contains(&path(&sandbox.work(), "from-project")),
            "{command:?}: {project}"
        );
        assert!(
            env.contains(&path(&sandbox.work(), "from-env")),
            "{command:?}: {env}"
        );
        assert!(
            flagged.contains(&path(&sandbox.work(), "from-flag")),
            "{command:?}: {flagged}"
        );
    }
    // The venv's error also names the layer.
    let sandbox = Sandbox::new();
    sandbox
        .devkit()
        .args(["pyenv", "activate", "--shell", "bash", "--dir", "v"])
        .env("DEVKIT_PYENV_DIR", "e")
        .assert()
        .stderr(predicate::str::contains("from flag --dir"));
}

#[test]
fn project_file_is_found_from_a_subdirectory() {
    let sandbox = Sandbox::new();
    sandbox.write("devkit.yaml", "git:\n  remote: upstream\n");
    std::fs::create_dir_all(sandbox.work().join("a/b/c")).unwrap();
    let mut cmd = sandbox.devkit();
    cmd.current_dir(sandbox.work().join("a/b/c"));
    assert_eq!(value_of(cmd, &[], "git.remote"), "upstream");
}

#[test]
fn show_names_every_origin() {
    let sandbox = Sandbox::new();
    sandbox.write_user_config("git:\n  transport: cli\n");
    sandbox.write(
        "devkit.yaml",
        "# project\nblog:\n  kv:\n    binding: POSTS\n",
    );
    let out = sandbox
        .devkit()
        .args(["config", "show"])
        .env("DEVKIT_GIT_REMOTE", "up")
        .output()
        .unwrap();
    assert!(out.status.success());
    let _filters = snapshot_filters(&sandbox).bind_to_scope();
    insta::assert_snapshot!("config_show", stdout_of(&out));
}

#[test]
fn show_json_has_values_and_origins() {
    let sandbox = Sandbox::new();
    let project = sandbox.write("devkit.yaml", "pyenv:\n  packages: [requests, rich]\n");
    let out = sandbox
        .devkit()
        .args(["config", "show", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["b64.wrap"]["value"], 76);
    assert_eq!(json["b64.wrap"]["origin"]["kind"], "default");
    assert_eq!(
        json["pyenv.packages"]["value"],
        serde_json::json!(["requests", "rich"])
    );
    assert_eq!(json["pyenv.packages"]["origin"]["kind"], "file");
    assert_eq!(json["pyenv.packages"]["origin"]["line"], 2);
    assert_eq!(
        json["pyenv.packages"]["origin"]["path"],
        project.to_str().unwrap()
    );
    assert_eq!(json["blog.do.url"]["value"], serde_json::Value::Null);
}

#[test]
fn get_unset_key_exits_1_and_unknown_key_exits_2() {
    let sandbox = Sandbox::new();
    for (key, code, says) in [
        ("blog.do.url", 1, "blog.do.url is not set"),
        ("blog.nope", 2, "unknown config key `blog.nope`"),
    ] {
        refuses(&sandbox, &["config", "get", key], code, says);
    }
}

#[test]
fn explicit_config_replaces_the_project_file() {
    let sandbox = Sandbox::new();
    sandbox.write("devkit.yaml", "git:\n  remote: project\n");
    let other = sandbox.write("other.yaml", "git:\n  remote: other\n");
    let flags = ["--config", other.to_str().unwrap()];
    assert_eq!(value_of(sandbox.devkit(), &flags, "git.remote"), "other");
    let config = other.to_str().unwrap();
    assert_eq!(
        get(&sandbox, "git.remote", Some(("DEVKIT_CONFIG", config))),
        "other"
    );
    refuses(
        &sandbox,
        &["--config", "missing.yaml", "config", "get", "git.remote"],
        2,
        "missing.yaml does not exist",
    );
}

#[test]
fn no_config_ignores_both_files_but_not_env() {
    let sandbox = Sandbox::new();
    sandbox.write_user_config("b64:\n  wrap: 3\n");
    sandbox.write("devkit.yaml", "git:\n  remote: project\n");
    // A broken project file is not even read.
    sandbox.write("devkit.yaml", "git: [\n");
    assert_eq!(
        value_of(sandbox.devkit(), &["--no-config"], "b64.wrap"),
        "76"
    );
    let mut cmd = sandbox.devkit();
    cmd.env("DEVKIT_GIT_REMOTE", "env");
    assert_eq!(value_of(cmd, &["--no-config"], "git.remote"), "env");
    sandbox
        .devkit()
        .args(["--no-config", "config", "path"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no config files are read"));
}

#[test]
fn path_lists_the_files_considered() {
    let sandbox = Sandbox::new();
    let _filters = snapshot_filters(&sandbox).bind_to_scope();
    let out = sandbox.devkit().args(["config", "path"]).output().unwrap();
    insta::assert_snapshot!("config_path_none", stdout_of(&out));

    sandbox.write("devkit.yaml", "");
    sandbox.write_user_config("");
    let out = sandbox.devkit().args(["config", "path"]).output().unwrap();
    insta::assert_snapshot!("config_path_both", stdout_of(&out));
}

/// Every bad input exits 2 and names the place (file:line or env var) and the key.
#[test]
fn bad_input_names_the_place_and_exits_2() {
    let cases = [
        ("malformed", "b64:\n  wrap: [1,\n"),
        ("unknown_key", "git:\n  remote: origin\n  remotes: x\n"),
        ("duration", "blog:\n  settle: soon\n"),
        ("number", "b64:\n  wrap: wide\n"),
        ("bool", "blog:\n  remote: perhaps\n"),
        ("not_a_mapping", "- just\n- a list\n"),
    ];
    for (name, yaml) in cases {
        let sandbox = Sandbox::new();
        sandbox.write("devkit.yaml", yaml);
        let out = sandbox.devkit().args(["config", "show"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{yaml}");
        assert!(out.stdout.is_empty());
        let _filters = snapshot_filters(&sandbox).bind_to_scope();
        insta::assert_snapshot!(format!("config_error_{name}"), stderr_of(&out));
    }
}

#[test]
fn bad_user_file_is_named_too() {
    let sandbox = Sandbox::new();
    let user = sandbox.write_user_config("git:\n  transport: carrier-pigeon\n");
    sandbox
        .devkit()
        .args(["config", "show"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{}:2", user.display())))
        .stderr(predicate::str::contains("one of auto, libgit2, cli"));
}

#[test]
fn unreadable_and_non_utf8_files_exit_2() {
    let sandbox = Sandbox::new();
    std::fs::create_dir_all(sandbox.work().join("dir.yaml")).unwrap();
    sandbox
        .devkit()
        .args(["--config", "dir.yaml", "config", "show"])
        .assert()
        .code(2);
    sandbox.write("devkit.yaml", b"git:\n  remote: \xff\xfe\n");
    sandbox
        .devkit()
        .args(["config", "show"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "devkit.yaml:2: config file is not valid UTF-8",
        ));
    // A file devkit may not read (permissions do not stop root, so this part needs a user).
    let unreadable = sandbox.write("locked.yaml", "git:\n  remote: x\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&unreadable).is_err() {
        sandbox
            .devkit()
            .args(["--config", "locked.yaml", "config", "show"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot read config file"));
    }
}

#[test]
fn bad_env_values_name_the_variable() {
    let cases = [
        ("DEVKIT_BLOG_SETTLE", "soon", "blog.settle"),
        ("DEVKIT_B64_WRAP", "-1", "b64.wrap"),
        ("DEVKIT_GIT_TRANSPORT", "ftp", "git.transport"),
        ("DEVKIT_BLOG_REMOTE", "maybe", "blog.remote"),
        ("DEVKIT_GIT_REMOTE", "", "git.remote"),
    ];
    for (var, value, key) in cases {
        let sandbox = Sandbox::new();
        sandbox
            .devkit()
            .args(["config", "show"])
            .env(var, value)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "environment variable {var}: {key}"
            )));
    }
}

#[test]
fn a_broken_config_does_not_break_completions() {
    let sandbox = Sandbox::new();
    sandbox.write("devkit.yaml", "nope: [\n");
    sandbox
        .devkit()
        .args(["completions", "bash"])
        .assert()
        .success();
}

#[test]
fn flags_beat_env_and_files() {
    let sandbox = Sandbox::new();
    sandbox.write("devkit.yaml", "b64: {wrap: 4}\n");
    let b64 = |env: Option<&str>, args: &[&str]| {
        let mut cmd = sandbox.devkit();
        cmd.arg("b64").args(args).write_stdin("abcdef\n");
        if let Some(wrap) = env {
            cmd.env("DEVKIT_B64_WRAP", wrap);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        stdout_of(&out)
    };
    assert_eq!(
        b64(None, &[]),
        "YWJj\nZGVm\nCg==\n",
        "the project file sets 4"
    );
    assert_eq!(
        b64(Some("8"), &[]),
        "YWJjZGVm\nCg==\n",
        "env beats the file"
    );
    assert_eq!(
        b64(Some("8"), &["-w", "0"]),
        "YWJjZGVmCg==",
        "the flag beats both"
    );
}
