//! `devkit pyenv init` on today's Python projects: pyproject.toml (dependencies, extras,
//! dependency groups, the project itself editable through an in-tree PEP 517 backend),
//! `uv.lock`, `pylock.toml` and hash-checked requirements, with real interpreters, real pip
//! and real uv, offline.

mod common;

use common::python::{Project, both_backends, other_pythons, python3, second_python};
use common::{assert_contains, assert_stderr_contains, failed, ok, stderr_of, stdout_of};

/// `name==version` lines of the venv's packages (pip's own view), pip left out.
fn packages(project: &Project) -> Vec<String> {
    let out = project.venv_python(
        "import importlib.metadata as m\n\
         for d in sorted(m.distributions(), key=lambda d: d.metadata['Name'].lower()):\n\
         \x20   n = d.metadata['Name'].lower()\n\
         \x20   n != 'pip' and print('%s==%s' % (n, d.version))",
    );
    ok(&out);
    stdout_of(&out).lines().map(String::from).collect()
}

/// Wheels besides alpha (requires beta), beta and gamma: delta and epsilon for the groups.
fn modern(project: &Project) {
    project.wheel("delta", "1.0", &[]);
    project.wheel("epsilon", "1.0", &[]);
    project.pyproject(
        &["alpha"],
        "[project.optional-dependencies]\nfancy = [\"gamma\"]\n\n\
         [dependency-groups]\ntest = [\"delta\"]\ndev = [{include-group = \"test\"}]\ndocs = [\"epsilon\"]\n",
        true,
    );
}

#[test]
fn pyproject_installs_dependencies_the_dev_group_and_the_project_editable() {
    for (backend, new) in both_backends() {
        let project = new();
        modern(&project);
        let out = project.init_ok(&[]);
        let err = stderr_of(&out);
        assert!(
            err.contains(&format!(
                "using {backend} from pyproject.toml and the project (editable)"
            )),
            "{backend}: {err}"
        );
        assert_eq!(
            packages(&project),
            ["alpha==1.0", "beta==1.2", "delta==1.0", "demo==0.1"],
            "{backend}"
        );
        let who = "import demo; print(demo.WHO)";
        assert_eq!(stdout_of(&project.venv_python(who)).trim(), "first");
        // Editable: the venv sees the source as it is now, without another init.
        project.write("src/demo/__init__.py", "WHO = 'edited'\n");
        assert_eq!(stdout_of(&project.venv_python(who)).trim(), "edited");

        // Extras and more groups by name; a re-run with other options installs.
        let out = project.init_ok(&["--extra", "fancy", "--group", "docs"]);
        let err = stderr_of(&out);
        assert!(
            err.contains("Installed 2 packages: epsilon 1.0, gamma 2.0"),
            "{backend}: {err}"
        );
    }
}

#[test]
fn group_flags_choose_what_goes_in() {
    let project = Project::new();
    modern(&project);
    project.init_ok(&["--no-dev", "--no-project"]);
    assert_eq!(packages(&project), ["alpha==1.0", "beta==1.2"]);
    project.init_ok(&["--clear", "--only-group", "docs"]);
    assert_eq!(packages(&project), ["epsilon==1.0"]);
    project.init_ok(&["--clear", "--all-extras", "--no-dev"]);
    assert_eq!(
        packages(&project),
        ["alpha==1.0", "beta==1.2", "demo==0.1", "gamma==2.0"]
    );

    let out = project.init(&["--group", "lint"]);
    let err = failed(&out, 2);
    assert!(
        err.contains("--group lint:") && err.contains("it has: dev, docs, test"),
        "{err}"
    );
}

#[test]
fn a_project_without_build_system_gets_its_dependencies_only() {
    let project = Project::new();
    project.pyproject(&["gamma"], "", false);
    let out = project.init_ok(&[]);
    assert_stderr_contains(&out, "from pyproject.toml in");
    assert_eq!(packages(&project), ["gamma==2.0"]);
}

#[test]
fn re_run_skips_until_an_input_changes() {
    for (backend, new) in both_backends() {
        let project = new();
        modern(&project);
        project.init_ok(&[]);
        let out = project.init_ok(&[]);
        let err = stderr_of(&out);
        assert!(err.contains("is up to date (Python "), "{backend}: {err}");
        assert!(
            !err.contains("Using Python"),
            "no probe on an up-to-date re-run: {err}"
        );

        // Same files, other options: not up to date.
        let out = project.init_ok(&["--group", "docs"]);
        assert_stderr_contains(&out, "epsilon 1.0");
        project.init_ok(&["--group", "docs"]);

        // pyproject.toml edited: the new dependency goes in.
        let text = std::fs::read_to_string(project.work().join("pyproject.toml")).unwrap();
        project.write(
            "pyproject.toml",
            &text.replace(
                "dependencies = [\"alpha\"]",
                "dependencies = [\"alpha\", \"gamma\"]",
            ),
        );
        let out = project.init_ok(&["--group", "docs"]);
        assert_stderr_contains(&out, "gamma 2.0");

        // A `.python-version` appearing is an input too.
        project.write(".python-version", &format!("{}\n", python3().minor()));
        let out = project.init_ok(&["--group", "docs"]);
        assert!(
            !stderr_of(&out).contains("is up to date"),
            "{}",
            stderr_of(&out)
        );
        let out = project.init(&["--group", "docs"]);
        assert_stderr_contains(&out, "is up to date");
    }
}

#[test]
fn requires_python_picks_a_matching_interpreter_among_several() {
    let primary = python3();
    let Some(other) = other_pythons()
        .into_iter()
        .filter(|p| p.minor() != primary.minor() && p.minor().as_str() >= "3.8")
        .max_by_key(|p| p.minor().split('.').nth(1).unwrap().parse::<u32>().unwrap())
    else {
        eprintln!("skipped: only one Python on this machine, nothing to choose between");
        return;
    };
    let project = Project::new();
    project.pyproject(
        &["beta"],
        &format!("requires-python = \"=={}.*\"\n", other.minor()),
        false,
    );
    let out = project.init_ok(&[]);
    let err = stderr_of(&out);
    assert!(
        err.contains(&format!("Using Python {}", other.version))
            && err.contains("the newest installed Python within requires-python"),
        "{err}"
    );
    let out = project.venv_python("import sys; print('%d.%d' % sys.version_info[:2])");
    assert_eq!(stdout_of(&out).trim(), other.minor());

    // The venv's Python still fits: a plain re-run after an edit reuses it (no refusal).
    project.write("requirements.txt", "gamma\n");
    let out = project.init_ok(&[]);
    assert_stderr_contains(&out, "the Python of the existing venv");
}

#[test]
fn a_venv_made_with_python_flag_is_reused_by_a_plain_init() {
    let Some(other) = second_python() else {
        eprintln!("skipped: only one Python on this machine");
        return;
    };
    let project = Project::new();
    project.write("requirements.txt", "beta\n");
    project.init_ok(&["--python", &other.minor()]);
    project.write("requirements.txt", "beta\ngamma\n");
    let out = project.init_ok(&[]);
    let err = stderr_of(&out);
    assert_contains(&err, &format!("Using Python {}", other.version));
    assert_contains(&err, "gamma 2.0");
}

#[test]
fn a_python_version_file_that_contradicts_requires_python_names_both_files() {
    let project = Project::new();
    project.pyproject(&["beta"], "requires-python = \">=3.10\"\n", false);
    project.write(".python-version", "3.9\n");
    let out = project.init(&[]);
    let err = failed(&out, 2);
    let work = project.work();
    assert_contains(
        &err,
        &format!(
            "{}/.python-version asks for Python 3.9, but requires-python `>=3.10` ({}/pyproject.toml:5) excludes it",
            work.display(),
            work.display()
        ),
    );
    assert!(!project.venv().exists(), "nothing created");
}

#[test]
fn no_interpreter_within_requires_python_lists_what_was_found() {
    let project = Project::new();
    project.pyproject(&["beta"], "requires-python = \">=3.99\"\n", false);
    let out = project.init(&[]);
    let err = failed(&out, 1);
    assert_contains(
        &err,
        "no installed Python satisfies requires-python `>=3.99`",
    );
    assert!(
        err.contains(&format!("Python {} (", python3().version))
            && err.contains("outside `>=3.99`"),
        "{err}"
    );
    assert_contains(&err, "devkit downloads none");
    assert!(!project.venv().exists());

    // A named interpreter that is nowhere: the listing, and the grammar of the message.
    let out = project.init(&["--python", "pypy3.10"]);
    let err = failed(&out, 1);
    assert_contains(
        &err,
        "no usable interpreter `pypy3.10` (asked for by --python)",
    );
    assert_contains(&err, "installed interpreters:");
}

#[test]
fn uv_lock_installs_what_it_pins_and_a_stale_lock_is_refused() {
    let project = Project::new().with_uv();
    project.pyproject(
        &["alpha"],
        "requires-python = \">=3.8\"\n\n[dependency-groups]\ndev = [\"gamma\"]\n",
        true,
    );
    ok(&project.uv(&["lock", "--python", python3().exe.to_str().unwrap()]));
    // A newer alpha appears after locking: the lock's 1.0 is what goes in.
    project.wheel("alpha", "2.0", &["beta>=1"]);
    let out = project.init_ok(&[]);
    let err = stderr_of(&out);
    assert_contains(&err, "using uv from uv.lock");
    assert_eq!(
        packages(&project),
        ["alpha==1.0", "beta==1.2", "demo==0.1", "gamma==2.0"]
    );
    // pip is there after uv sync (which removes what the lock does not name).
    ok(&project.venv_python("import pip"));
    let out = project.init(&[]);
    assert_stderr_contains(&out, "is up to date");

    // --no-dev reaches uv sync.
    project.init_ok(&["--no-dev"]);
    assert_eq!(packages(&project), ["alpha==1.0", "beta==1.2", "demo==0.1"]);

    // pyproject.toml changed, lock not: refused, venv kept as it was.
    project.wheel("epsilon", "1.0", &[]);
    let text = std::fs::read_to_string(project.work().join("pyproject.toml")).unwrap();
    project.write(
        "pyproject.toml",
        &text.replace(
            "dependencies = [\"alpha\"]",
            "dependencies = [\"alpha\", \"epsilon\"]",
        ),
    );
    let out = project.init(&["--no-dev"]);
    let err = failed(&out, 1);
    assert_contains(&err, "uv sync --locked failed");
    assert!(err.contains("needs to be updated"), "uv's own words: {err}");
    assert_contains(&err, "the venv is kept");
    assert_eq!(packages(&project), ["alpha==1.0", "beta==1.2", "demo==0.1"]);
}

#[test]
fn uv_lock_without_uv_says_the_way_out() {
    let project = Project::new();
    project.pyproject(&["alpha"], "", true);
    project.write("uv.lock", "version = 1\nrequires-python = \">=3.8\"\n");
    let out = project.init(&[]);
    let err = failed(&out, 1);
    assert_contains(&err, "only uv installs from it, but uv is not on PATH");
    assert!(
        err.contains("install uv") && err.contains("pylock.toml"),
        "{err}"
    );
    assert!(!project.venv().exists());
}

#[test]
fn pylock_is_installed_exactly_with_uv_and_an_old_pip_is_a_clear_error() {
    let project = Project::new().with_uv();
    project.pyproject(&["alpha"], "requires-python = \">=3.8\"\n", true);
    ok(&project.uv(&["lock", "--python", python3().exe.to_str().unwrap()]));
    ok(&project.uv(&[
        "export",
        "--format",
        "pylock.toml",
        "--no-emit-project",
        "-o",
        "pylock.toml",
    ]));
    std::fs::remove_file(project.work().join("uv.lock")).unwrap();
    project.wheel("alpha", "2.0", &["beta>=1"]);
    let out = project.init_ok(&[]);
    let err = stderr_of(&out);
    assert_contains(&err, "using uv from pylock.toml and the project (editable)");
    assert_eq!(packages(&project), ["alpha==1.0", "beta==1.2", "demo==0.1"]);

    // Without uv, the venv's bundled pip (older than 26.1) cannot read the lock.
    let plain = Project::new();
    std::fs::copy(
        project.work().join("pylock.toml"),
        plain.work().join("pylock.toml"),
    )
    .unwrap();
    let out = plain.init(&["--python", python3().exe.to_str().unwrap()]);
    let err = stderr_of(&out);
    if err.contains("needs pip 26.1 or newer") {
        assert_eq!(out.status.code(), Some(1));
        assert_contains(&err, "put uv on PATH");
        assert!(!plain.venv().exists(), "refused before creating the venv");
    } else {
        // An interpreter bundling pip ≥ 26.1 installs it with pip.
        ok(&out);
    }
}

#[test]
fn pylock_is_installed_by_a_pip_that_reads_it() {
    let project = Project::new();
    common::python::require_new_pip(&project.wheels);
    project.pyproject(&["alpha"], "", true);
    // A venv whose pip is new enough, made by devkit itself.
    project.init_ok(&["--no-project", "--with", "pip==26.1.2"]);
    let pylock = format!(
        "lock-version = \"1.0\"\ncreated-by = \"devkit-tests\"\n\n\
         [[packages]]\nname = \"alpha\"\nversion = \"1.0\"\n\
         wheels = [{{ url = \"file://{w}/alpha-1.0-py3-none-any.whl\", hashes = {{ sha256 = \"{a}\" }} }}]\n\n\
         [[packages]]\nname = \"beta\"\nversion = \"1.2\"\n\
         wheels = [{{ url = \"file://{w}/beta-1.2-py3-none-any.whl\", hashes = {{ sha256 = \"{b}\" }} }}]\n",
        w = project.wheels.display(),
        a = &project.wheel_hash("alpha-1.0-py3-none-any.whl")["sha256:".len()..],
        b = &project.wheel_hash("beta-1.2-py3-none-any.whl")["sha256:".len()..],
    );
    project.write("pylock.toml", &pylock);
    project.wheel("alpha", "2.0", &["beta>=1"]);
    let out = project.init_ok(&[]);
    let err = stderr_of(&out);
    assert_contains(
        &err,
        "using venv from pylock.toml and the project (editable)",
    );
    let got = packages(&project);
    assert!(
        got.contains(&"alpha==1.0".to_string()) && got.contains(&"demo==0.1".to_string()),
        "{got:?}"
    );
}

#[test]
fn hashed_requirements_are_checked_and_the_project_goes_in_without_deps() {
    for (backend, new) in both_backends() {
        let project = new();
        project.pyproject(&["alpha"], "", true);
        let pins = format!(
            "alpha==1.0 --hash={}\nbeta==1.2 --hash={}\n",
            project.wheel_hash("alpha-1.0-py3-none-any.whl"),
            project.wheel_hash("beta-1.2-py3-none-any.whl")
        );
        project.write("requirements.txt", &pins);
        let out = project.init_ok(&[]);
        let err = stderr_of(&out);
        assert!(
            err.contains("from requirements.txt (hashes checked) and the project (editable)"),
            "{backend}: {err}"
        );
        assert_eq!(
            packages(&project),
            ["alpha==1.0", "beta==1.2", "demo==0.1"],
            "{backend}"
        );

        // A wrong hash fails, and the venv stays as it was.
        let marker = project.venv().join("marker");
        std::fs::write(&marker, "kept").unwrap();
        let wrong = format!("{pins}gamma==2.0 --hash=sha256:{}\n", "0".repeat(64));
        project.write("requirements.txt", &wrong);
        let out = project.init(&[]);
        assert_eq!(out.status.code(), Some(1), "{backend}: {}", stderr_of(&out));
        let err = stderr_of(&out);
        assert!(err.to_lowercase().contains("hash"), "{backend}: {err}");
        assert!(err.contains("the venv is kept"), "{backend}: {err}");
        assert!(marker.exists());
        assert!(!packages(&project).iter().any(|p| p.starts_with("gamma")));
    }
}

#[test]
fn a_failing_build_shows_the_backends_last_lines_and_keeps_the_venv() {
    let project = Project::new();
    project.pyproject(&["beta"], "", true);
    let out = project
        .pyenv(&["init"])
        .env("INTREE_FAIL", "1")
        .output()
        .unwrap();
    let err = failed(&out, 1);
    assert_contains(&err, "intree: refusing to build (INTREE_FAIL is set)");
    assert_contains(&err, "the venv is kept");
    assert!(project.venv().join("pyvenv.cfg").is_file());
}

#[test]
fn other_active_environments_get_a_warning_and_nothing() {
    let project = Project::new();
    project.pyproject(&["beta"], "", false);
    let elsewhere = project.sandbox.root().join("elsewhere");
    let out = project
        .pyenv(&["init"])
        .env("VIRTUAL_ENV", &elsewhere)
        .env("CONDA_PREFIX", "/opt/conda/envs/base")
        .output()
        .unwrap();
    ok(&out);
    let err = stderr_of(&out);
    assert_contains(
        &err,
        &format!(
            "another venv is active (VIRTUAL_ENV={}); devkit installs into {}",
            elsewhere.display(),
            project.venv().display()
        ),
    );
    assert_contains(
        &err,
        "a conda environment is active (CONDA_PREFIX=/opt/conda/envs/base)",
    );
    assert!(!elsewhere.exists());
    assert_eq!(packages(&project), ["beta==1.2"]);

    // This venv itself being active is no warning.
    let out = project
        .pyenv(&["init"])
        .env("VIRTUAL_ENV", project.venv())
        .output()
        .unwrap();
    ok(&out);
    assert!(
        !stderr_of(&out).contains("another venv"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_bad_pyproject_is_reported_at_its_line_before_anything_is_made() {
    let project = Project::new();
    project.write(
        "pyproject.toml",
        "[project]\nname = \"demo\"\ndependencies = [\n  \"alpha\",\n  \"beta >=< 2\",\n]\n",
    );
    let out = project.init(&[]);
    let err = failed(&out, 2);
    assert_contains(
        &err,
        &format!(
            "{}/pyproject.toml:5:3: project.dependencies: `beta >=< 2` is not a valid requirement",
            project.work().display()
        ),
    );
    assert!(!project.venv().exists());

    project.write("pyproject.toml", "[project\nname = 1\n");
    let out = project.init(&[]);
    assert_contains(&failed(&out, 2), "pyproject.toml:1:");
}

#[test]
fn json_summary_says_what_was_decided_and_done() {
    let project = Project::new();
    modern(&project);
    let out = project.init_ok(&["--json", "--group", "docs"]);
    let report: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(report["interpreter"]["version"], python3().version.as_str());
    assert_eq!(report["backend"], "venv");
    assert_eq!(report["created"], true);
    assert_eq!(report["up_to_date"], false);
    assert_eq!(
        report["inputs"],
        serde_json::json!(["pyproject.toml", "the project (editable)"])
    );
    assert_eq!(report["groups"], serde_json::json!(["dev", "docs"]));
    assert_eq!(report["project_editable"], true);
    assert_eq!(report["installed"]["alpha"], "1.0");
    assert!(
        report["changed"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"name": "demo", "version": "0.1"}))
    );
    let out = project.init_ok(&["--json", "--group", "docs"]);
    let again: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(again["up_to_date"], true);
    assert_eq!(again["changed"], serde_json::json!([]));
}

#[test]
fn nushell_activation_uses_activate_nu_or_says_it_is_missing() {
    for (backend, new) in both_backends() {
        let project = new();
        project.init_ok(&[]);
        let out = project.run(&["activate", "--shell", "nu"]);
        ok(&out);
        let line = stdout_of(&out);
        if project.venv().join("bin/activate.nu").exists() {
            assert!(line.starts_with("overlay use "), "{backend}: {line}");
            assert!(stderr_of(&out).is_empty(), "{backend}: {}", stderr_of(&out));
        } else {
            assert_eq!(backend, "venv", "uv makes activate.nu");
            assert!(line.starts_with("load-env "), "{line}");
            assert_stderr_contains(&out, "has no bin/activate.nu");
        }
    }
}

#[test]
fn powershell_activation_mentions_an_execution_policy_that_blocks() {
    let project = Project::new();
    project.init_ok(&[]);
    // A fake `pwsh`: PowerShell on Linux always answers Unrestricted, so the Windows default
    // (Restricted) that blocks Activate.ps1 can only be injected.
    let bin = project.sandbox.root().join("fake-pwsh");
    std::fs::create_dir_all(&bin).unwrap();
    let pwsh = bin.join("pwsh");
    std::fs::write(&pwsh, "#!/bin/sh\necho \"$POLICY\"\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pwsh, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut dirs = vec![bin];
    dirs.extend(std::env::split_paths(&project.path));
    let path = std::env::join_paths(dirs).unwrap();
    for (policy, blocks) in [("Restricted", true), ("RemoteSigned", false)] {
        let out = project
            .pyenv(&["activate", "--shell", "powershell"])
            .env("PATH", &path)
            .env("POLICY", policy)
            .output()
            .unwrap();
        ok(&out);
        assert_contains(&stdout_of(&out), "Activate.ps1");
        let err = stderr_of(&out);
        assert_eq!(
            err.contains(&format!(
                "execution policy is {policy}, which refuses Activate.ps1"
            )),
            blocks,
            "{policy}: {err}"
        );
    }
}
