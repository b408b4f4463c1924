//! `devkit pyenv`: real interpreters, real venv/pip and uv, offline, with tiny generated wheels.

mod common;

use common::python::{Project, both_backends, python3, second_python};
use common::{
    assert_contains, assert_stderr_contains, failed, ok, snapshot_filters, stderr_of, stdout_of,
};

/// The seed's snippet, done by devkit: venv, `--upgrade` a package, requirements, freeze,
/// then activate in a real bash, use pip inside, and deactivate.
#[test]
fn snippet_flow_end_to_end_without_uv() {
    let project = Project::new();
    project.write("requirements.txt", "alpha\n");
    // Its activation line for bash, whatever the login shell here.
    let out = project
        .pyenv(&["init", "--with", "gamma", "--upgrade"])
        .env("SHELL", "/bin/bash")
        .output()
        .unwrap();
    ok(&out);
    // The whole summary; this machine's interpreter and the time taken are filtered out.
    let mut filters = snapshot_filters(&project.sandbox);
    filters.add_filter(&python3().version.replace('.', r"\."), "[PYTHON]");
    filters.add_filter(r"at /[^ ]+ \(", "at [INTERPRETER] (");
    filters.add_filter(r" in [0-9.]+m?s\n", " in [TIME]\n");
    let _filters = filters.bind_to_scope();
    insta::assert_snapshot!("pyenv_init_summary", stderr_of(&out));
    assert_eq!(project.freeze(), "alpha==1.0\nbeta==1.2\ngamma==2.0\n");

    project.wheel("delta", "0.1", &[]);
    let script = format!(
        r#"set -e
eval "$('{devkit}' pyenv activate --shell bash)"
echo "venv=$VIRTUAL_ENV"
echo "python=$(command -v python)"
pip install --quiet delta
pip freeze
deactivate
echo "after=${{VIRTUAL_ENV:-unset}}""#,
        devkit = env!("CARGO_BIN_EXE_devkit")
    );
    let out = project
        .program("bash")
        .args(["-c", &script])
        .output()
        .unwrap();
    ok(&out);
    let venv = project.venv();
    let text = stdout_of(&out);
    assert_contains(&text, &format!("venv={}\n", venv.display()));
    assert_contains(&text, &format!("python={}/bin/python\n", venv.display()));
    assert!(text.contains("delta==0.1\n"), "pip works inside: {text}");
    assert!(text.ends_with("after=unset\n"), "{text}");
}

#[test]
fn uv_backend_builds_a_standard_venv_with_pip() {
    let project = Project::new().with_uv();
    project.write("requirements.txt", "alpha\n");
    let out = project.init_ok(&[]);
    let err = stderr_of(&out);
    assert!(err.contains("using uv"), "auto picks uv on PATH: {err}");
    let cfg = std::fs::read_to_string(project.venv().join("pyvenv.cfg")).unwrap();
    assert_contains(&cfg, "uv = ");
    let out = project.venv_python("import alpha, beta, pip; print(alpha.VERSION, pip.__name__)");
    ok(&out);
    assert_eq!(stdout_of(&out), "1.0 pip\n");
    assert_eq!(project.freeze(), "alpha==1.0\nbeta==1.2\n");
    // pip itself works in a uv-built venv.
    let out = project
        .program(project.venv().join("bin").join("pip"))
        .args(["install", "--quiet", "gamma"])
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(project.freeze(), "alpha==1.0\nbeta==1.2\ngamma==2.0\n");
}

#[test]
fn explicit_uv_backend_without_uv_fails_with_a_hint() {
    let project = Project::new();
    let out = project.init(&["--backend", "uv"]);
    assert_eq!(out.status.code(), Some(1));
    let _filters = snapshot_filters(&project.sandbox).bind_to_scope();
    insta::assert_snapshot!("pyenv_uv_backend_without_uv", stderr_of(&out));
    assert!(!project.venv().exists());
}

#[test]
fn rerun_is_idempotent_and_syncs_changes() {
    for (_, new) in both_backends() {
        let project = new();
        project.write("requirements.txt", "alpha\n");
        project.init_ok(&[]);
        let marker = project.venv().join("marker");
        std::fs::write(&marker, "kept").unwrap();

        let out = project.init_ok(&[]);
        let err = stderr_of(&out);
        assert_contains(
            &err,
            &format!(
                "is up to date (Python {}, 3 packages, from requirements.txt)",
                python3().version
            ),
        );
        assert!(marker.exists(), "the venv was reused");

        project.write("requirements.txt", "alpha\ngamma\n");
        let out = project.init_ok(&[]);
        let err = stderr_of(&out);
        assert_contains(&err, "Updated");
        assert_contains(&err, "Installed 1 package: gamma 2.0");
        assert!(marker.exists());

        // A package removed behind devkit's back is noticed.
        let out = project
            .program(project.venv().join("bin").join("python"))
            .args(["-m", "pip", "uninstall", "--yes", "--quiet", "gamma"])
            .output()
            .unwrap();
        ok(&out);
        let out = project.init_ok(&[]);
        assert_stderr_contains(&out, "gamma 2.0");
    }
}

#[test]
fn broken_venv_is_rebuilt() {
    let project = Project::new();
    project.write("requirements.txt", "beta\n");
    project.init_ok(&[]);
    let cfg_path = project.venv().join("pyvenv.cfg");
    let cfg = std::fs::read_to_string(&cfg_path).unwrap();
    let broken: String = cfg
        .lines()
        .map(|l| {
            if l.starts_with("home") {
                "home = /nonexistent/python/bin".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&cfg_path, broken).unwrap();

    let out = project.init_ok(&[]);
    let err = stderr_of(&out);
    assert_contains(
        &err,
        "rebuilding it: its Python home /nonexistent/python/bin is gone",
    );
    assert_contains(&err, "Created");
    ok(&project.venv_python("import beta"));

    // A dangling bin/python is broken too.
    let python = project.venv().join("bin").join("python");
    std::fs::remove_file(&python).unwrap();
    std::os::unix::fs::symlink("/nonexistent/python3", &python).unwrap();
    let out = project.init_ok(&[]);
    assert_stderr_contains(&out, "bin/python is a dangling link");
    ok(&project.venv_python("import beta"));
}

#[test]
fn version_mismatch_names_both_versions_until_cleared() {
    let project = Project::new();
    let primary = python3();
    let (other_version, marker) = match second_python() {
        Some(second) => {
            let second_exe = second.exe.to_str().unwrap();
            project.init_ok(&["--python", second_exe]);
            (second.version.clone(), project.venv().join("marker"))
        }
        None => {
            // No second interpreter on this machine: a venv whose pyvenv.cfg claims another
            // version stands in for one made by another Python.
            project.init_ok(&[]);
            let cfg_path = project.venv().join("pyvenv.cfg");
            let cfg = std::fs::read_to_string(&cfg_path).unwrap();
            let cfg = cfg.replace(&primary.version, "3.99.0");
            std::fs::write(&cfg_path, cfg).unwrap();
            ("3.99.0".to_string(), project.venv().join("marker"))
        }
    };
    std::fs::write(&marker, "kept").unwrap();

    let exe = primary.exe.to_str().unwrap();
    let out = project.init(&["--python", exe]);
    let err = failed(&out, 1);
    assert_contains(
        &err,
        &format!(
            "it was made with Python {other_version}, but Python {} is the one to use (from --python)",
            primary.version
        ),
    );
    assert_contains(&err, "--clear");
    assert!(marker.exists(), "nothing was touched");

    let out = project.init_ok(&["--python", exe, "--clear"]);
    assert_stderr_contains(&out, "removing it (--clear)");
    assert!(!marker.exists());
    let out = project.venv_python("import sys; print('%d.%d.%d' % sys.version_info[:3])");
    assert_eq!(stdout_of(&out).trim(), primary.version);
}

#[test]
fn a_directory_that_is_not_a_venv_is_left_alone() {
    let project = Project::new();
    project.write(".venv/notes.txt", "mine");
    for args in [&[][..], &["--clear"]] {
        let out = project.init(args);
        let err = failed(&out, 1);
        assert_contains(&err, "is not a virtual environment (it has no pyvenv.cfg)");
        let entries: Vec<_> = std::fs::read_dir(project.venv()).unwrap().collect();
        assert_eq!(entries.len(), 1, "nothing added");
        assert_eq!(
            std::fs::read_to_string(project.venv().join("notes.txt")).unwrap(),
            "mine"
        );
    }
}

#[test]
fn python_version_file_chooses_the_interpreter() {
    let project = Project::new();
    // A PATH that offers the wanted version as `pythonX.Y`, as installers lay it out.
    let wanted = second_python().unwrap_or_else(|| python3());
    let bin = project.sandbox.root().join("pybin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(&wanted.exe, bin.join(format!("python{}", wanted.minor()))).unwrap();
    let mut dirs = vec![bin];
    dirs.extend(std::env::split_paths(&project.path));
    let path = std::env::join_paths(dirs).unwrap();

    project.write(".python-version", &format!("{}\n", wanted.minor()));
    std::fs::create_dir_all(project.work().join("sub")).unwrap();
    let out = project
        .pyenv(&["init", "--dir", ".venv"])
        .env("PATH", &path)
        .current_dir(project.work().join("sub"))
        .output()
        .unwrap();
    ok(&out);
    let err = stderr_of(&out);
    assert_contains(&err, &format!("Using Python {}", wanted.version));
    assert!(err.contains("/.python-version)"), "{err}");
    assert!(project.work().join("sub/.venv/pyvenv.cfg").exists());
}

#[test]
fn failing_requirement_keeps_the_venv_and_shows_the_installer_error() {
    for (_, new) in both_backends() {
        let project = new();
        project.write("requirements.txt", "alpha\nno-such-package\n");
        let out = project.init(&[]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
        let err = stderr_of(&out);
        assert_contains(&err, "failed (the venv is kept)");
        assert!(err.contains("no-such-package"), "installer's words: {err}");
        assert!(err.contains("  | "), "installer's lines: {err}");
        assert!(project.venv().join("pyvenv.cfg").exists());
        ok(&project.venv_python("import pip"));

        // Fixed requirements: the kept venv is reused and filled.
        project.write("requirements.txt", "alpha\n");
        let out = project.init_ok(&[]);
        assert_stderr_contains(&out, "Updated");
    }
}

#[test]
fn interpreters_that_cannot_serve_are_reported() {
    let project = Project::new();
    // Nothing on PATH: every place searched is listed.
    let empty = project.sandbox.root().join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let out = project
        .pyenv(&["init"])
        .env("PATH", &empty)
        .output()
        .unwrap();
    let err = failed(&out, 1);
    assert_contains(&err, "python3 on PATH: not found");
    assert_contains(&err, "python on PATH: not found");
    assert!(!project.venv().exists());

    // Too old: a real pre-3.8 Python when the machine has one, else a fake interpreter that
    // answers the probe like Python 3.7 (a real 3.7 is what the fake stands in for).
    let old = match common::python::old_python() {
        Some(old) => old.exe.clone(),
        None => {
            let fake = project.sandbox.root().join("python3.7");
            std::fs::write(
                &fake,
                "#!/bin/sh\necho '{\"executable\": \"/old/python3.7\", \"version\": [3, 7, 9], \"cache_tag\": \"cpython-37\", \"stdlib\": \"/old/lib\", \"purelib\": \"@/lib/python3.7/site-packages\"}'\n",
            )
            .unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
            fake
        }
    };
    let out = project.init(&["--python", old.to_str().unwrap()]);
    let err = failed(&out, 1);
    assert_contains(&err, "older than 3.8.0");
    assert_contains(&err, "(asked for by --python)");
    assert!(!project.venv().exists());
}

#[test]
fn a_venv_path_with_a_colon_is_refused_before_anything_is_created() {
    let project = Project::new();
    let out = project.init(&["--dir", "env:1"]);
    assert_contains(&failed(&out, 2), "contains `:`");
    assert!(!project.work().join("env:1").exists());
}

#[test]
fn a_venv_file_points_to_the_venv() {
    let project = Project::new();
    project.write(".venv", "envs/main\n");
    project.init_ok(&[]);
    let target = project.work().join("envs/main");
    assert!(target.join("pyvenv.cfg").exists());
    assert!(project.venv().is_file(), "the pointer stays a file");
    let out = project.run(&["activate", "--shell", "bash"]);
    ok(&out);
    assert_eq!(
        stdout_of(&out),
        format!(". {}/bin/activate\n", target.display())
    );
}

#[test]
fn activate_prints_a_line_for_each_shell() {
    let project = Project::new();
    project.init_ok(&["--backend", "venv"]);
    let venv = project.venv();
    let v = venv.display();
    let cases = [
        ("bash", format!(". {v}/bin/activate\n")),
        ("zsh", format!(". {v}/bin/activate\n")),
        ("fish", format!("source '{v}/bin/activate.fish'\n")),
        ("csh", format!("source {v}/bin/activate.csh\n")),
        ("powershell", format!(". '{v}/bin/Activate.ps1'\n")),
        (
            "nu",
            format!(
                "load-env {{VIRTUAL_ENV: r#'{v}'#, PATH: ($env.PATH | prepend r#'{v}/bin'#)}}\n"
            ),
        ),
    ];
    for (shell, line) in cases {
        let out = project.run(&["activate", "--shell", shell]);
        ok(&out);
        assert_eq!(stdout_of(&out), line, "{shell}");
    }
    for (shell, script) in [
        ("fish", "activate.fish"),
        ("csh", "activate.csh"),
        ("powershell", "Activate.ps1"),
    ] {
        assert!(venv.join("bin").join(script).exists(), "{shell}'s script");
    }
    // Detected from $SHELL when not given.
    let out = project
        .pyenv(&["activate"])
        .env("SHELL", "/usr/bin/fish")
        .output()
        .unwrap();
    ok(&out);
    assert!(
        stdout_of(&out).starts_with("source '"),
        "{}",
        stdout_of(&out)
    );

    // uv writes an activate.nu: nushell gets an overlay.
    let project = Project::new().with_uv();
    project.init_ok(&[]);
    let out = project.run(&["activate", "--shell", "nu"]);
    ok(&out);
    assert_eq!(
        stdout_of(&out),
        format!(
            "overlay use r#'{}/bin/activate.nu'#\n",
            project.venv().display()
        )
    );
}

#[test]
fn run_sets_the_environment_and_passes_exit_codes_through() {
    let project = Project::new();
    project.write("requirements.txt", "alpha\n");
    project.init_ok(&[]);
    let out = project
        .pyenv(&[
            "run",
            "--",
            "python",
            "-c",
            "import os, sys, alpha; print(os.environ['VIRTUAL_ENV']); print(sys.prefix); \
             print(os.environ['PATH'].split(':')[0]); print('PYTHONHOME' in os.environ); sys.exit(7)",
        ])
        .env("PYTHONHOME", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr_of(&out));
    let venv = project.venv();
    assert_eq!(
        stdout_of(&out),
        format!("{v}\n{v}\n{v}/bin\nFalse\n", v = venv.display())
    );
    let out = project.run(&["run", "--", "sh", "-c", "kill -TERM $$"]);
    assert_eq!(out.status.code(), Some(128 + 15));
    let out = project.run(&["run", "--", "no-such-program-here"]);
    assert_contains(&failed(&out, 127), "not found");
}

/// Ctrl-C goes to the whole process group: devkit must outlive it and report the child's own
/// status. The child signals devkit only once devkit ignores SIGINT (read from /proc), so the
/// test does not depend on timing.
#[test]
fn run_outlives_an_interrupt_the_child_handles() {
    let project = Project::new();
    project.init_ok(&[]);
    let child = r#"
import os, signal, sys, time
parent = os.getppid()
def ignored():
    for line in open("/proc/%d/status" % parent):
        if line.startswith("SigIgn:"):
            return int(line.split()[1], 16) & (1 << (signal.SIGINT - 1))
for _ in range(1000):
    if ignored():
        break
    time.sleep(0.01)
else:
    sys.exit(99)  # devkit never ignored SIGINT
os.kill(parent, signal.SIGINT)
time.sleep(0.2)
sys.exit(5)
"#;
    let out = project.run(&["run", "--", "python", "-c", child]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
}

#[test]
fn commands_on_a_missing_venv_say_how_to_make_one() {
    let project = Project::new();
    for args in [
        &["activate", "--shell", "bash"][..],
        &["freeze"],
        &["run", "--", "true"],
    ] {
        let out = project.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        // The same words from each command.
        let _filters = snapshot_filters(&project.sandbox).bind_to_scope();
        insta::assert_snapshot!("pyenv_missing_venv", stderr_of(&out));
    }
}

#[test]
fn freeze_prints_or_writes_atomically() {
    let project = Project::new();
    project.init_ok(&["--with", "alpha"]);
    assert_eq!(project.freeze(), "alpha==1.0\nbeta==1.2\n");

    project.write("locks/old.txt", "stale\n");
    let out = project.run(&["freeze", "-o", "locks/old.txt"]);
    ok(&out);
    assert!(stdout_of(&out).is_empty(), "the list goes to the file only");
    assert_eq!(
        std::fs::read_to_string(project.work().join("locks/old.txt")).unwrap(),
        "alpha==1.0\nbeta==1.2\n"
    );
    let names: Vec<String> = std::fs::read_dir(project.work().join("locks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["old.txt"], "no temp file left behind");

    let out = project.run(&["freeze", "-o", "no-such-dir/lock.txt"]);
    assert_contains(&failed(&out, 1), "cannot write");
}

#[test]
fn config_keys_choose_dir_packages_and_backend() {
    let project = Project::new();
    project.write(
        "devkit.yaml",
        "pyenv:\n  dir: env\n  packages: [gamma]\n  backend: venv\n  requirements: [reqs/base.txt]\n",
    );
    project.write("reqs/base.txt", "beta\n");
    std::fs::create_dir_all(project.work().join("sub")).unwrap();
    let out = project
        .pyenv(&["init"])
        .current_dir(project.work().join("sub"))
        .output()
        .unwrap();
    ok(&out);
    let err = stderr_of(&out);
    assert_contains(&err, "using venv");
    assert_contains(&err, "Installed 2 packages: beta 1.2, gamma 2.0");
    assert!(project.work().join("env/pyvenv.cfg").exists());

    project.write("devkit.yaml", "pyenv:\n  requirements: [missing.txt]\n");
    let out = project.run(&["init"]);
    let err = failed(&out, 2);
    assert_contains(&err, "missing.txt does not exist");
    assert_contains(&err, "devkit.yaml:2");
}
