//! `devkit pyenv init`: create or update the project's venv.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::ProgressBar;

use super::backend::Backend;
use super::inputs::{self, Decision, Install};
use super::plan::{self, RemoveReason, Step, Wanted};
use super::report::{Report, finish};
use super::seed;
use super::shell::Shell;
use super::tool::Tool;
use crate::choice::BackendChoice;
use crate::cli::PyenvInitArgs;
use crate::config::{Config, Origin, Resolved, flag_or};
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;
use crate::python::interpreter::{self, Interpreter, Reason, Request};
use crate::python::pick::{self, Requires};
use crate::python::pyproject::Selection;
use crate::python::venv::{self, Location, VenvState};

/// What `devkit pyenv init` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {
    pub python: Request,
    /// Why that interpreter (flag, config key with its origin, `.python-version`, default).
    pub python_reason: Reason,
    pub dir: Resolved<PathBuf>,
    /// Requirements files, absolute, each with where it was named.
    pub requirements: Vec<Resolved<PathBuf>>,
    pub packages: Vec<String>,
    pub upgrade: bool,
    pub clear: bool,
    pub backend: Resolved<BackendChoice>,
    /// Where devkit keeps its unpacked pip (see `seed`).
    pub cache: PathBuf,
    /// The shell for the activation line in the summary.
    pub shell: Shell,
    /// The project directory: where pyproject.toml and the lock files are looked for.
    pub root: PathBuf,
    pub selection: Selection,
    pub json: bool,
}

impl Settings {
    pub fn resolve(args: &PyenvInitArgs, config: &Config) -> Result<Self> {
        let (python, python_reason) = match flag_or(
            args.python.clone(),
            "--python",
            config.string("pyenv.python"),
        ) {
            Some(choice) => {
                let base = config.base_dir(&choice.origin);
                let reason = match &choice.origin {
                    Origin::Flag { name } => Reason::Setting(name.clone()),
                    other => Reason::Setting(format!("pyenv.python ({other})")),
                };
                (Request::parse(&choice.value, &base), reason)
            }
            None => match interpreter::find_python_version_file(config.cwd()) {
                Some((path, entry)) => {
                    let base = path.parent().unwrap_or(Path::new("/")).to_path_buf();
                    (Request::parse(&entry, &base), Reason::VersionFile(path))
                }
                None => (Request::Default, Reason::Default),
            },
        };

        let dir = super::venv_dir(&args.dir, config);
        venv::check_path(&dir.value)?;

        let requirements = if !args.requirements.is_empty() {
            args.requirements
                .iter()
                .map(|file| Resolved {
                    value: config.cwd().join(file),
                    origin: Origin::Flag {
                        name: "-r/--requirement".into(),
                    },
                })
                .collect()
        } else if let Some(list) = config.list("pyenv.requirements") {
            let base = config.base_dir(&list.origin);
            list.value
                .iter()
                .map(|file| Resolved {
                    value: base.join(file),
                    origin: list.origin.clone(),
                })
                .collect()
        } else {
            let default = config.base_dir(&Origin::Default).join("requirements.txt");
            if default.is_file() {
                vec![Resolved {
                    value: default,
                    origin: Origin::Default,
                }]
            } else {
                Vec::new()
            }
        };
        for file in &requirements {
            if !file.value.is_file() {
                return Err(DevkitError::usage(format!(
                    "requirements file {} does not exist (named by {})",
                    file.value.display(),
                    file.origin
                ))
                .into());
            }
        }

        let packages = if !args.with.is_empty() {
            args.with.clone()
        } else {
            config
                .list("pyenv.packages")
                .map(|l| l.value)
                .unwrap_or_default()
        };

        let backend = config
            .choice("pyenv.backend", args.backend, "--backend")
            .expect("pyenv.backend has a default");

        let env = |var: &str| std::env::var(var).ok();
        let shell = Shell::detect(&env, super::activate::parent_program().as_deref())
            .unwrap_or(Shell::Bash);

        Ok(Self {
            python,
            python_reason,
            dir,
            requirements,
            packages,
            upgrade: args.upgrade,
            clear: args.clear,
            backend,
            cache: crate::commands::cache_dir(),
            shell,
            root: config.base_dir(&Origin::Default),
            selection: Selection {
                extras: args.extra.clone(),
                all_extras: args.all_extras,
                groups: args.group.clone(),
                no_dev: args.no_dev,
                only_groups: args.only_group.clone(),
                no_project: args.no_project,
            },
            json: args.json,
        })
    }
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    let started = Instant::now();
    let location = venv::locate(&settings.dir.value)?;
    warn_other_environments(&location.dir, printer);
    if let Some(pointer) = &location.pointer {
        printer.verbose(
            1,
            format!("{} points to {}", pointer.display(), location.dir.display()),
        );
    }

    // Everything is read and checked before the venv is touched.
    let version_file = match &settings.python_reason {
        Reason::VersionFile(path) => Some(path.as_path()),
        _ => None,
    };
    let inputs = inputs::read(&settings.root, &settings.requirements, version_file)?;
    let decision = inputs::decide(
        &inputs,
        &settings.selection,
        &settings.packages,
        settings.upgrade,
    )?;
    let backend = choose_backend(&settings.backend, &decision.install)?;
    let options = options(settings, &backend);
    let requires = inputs.pyproject.as_ref().and_then(|p| {
        p.requires_python.as_ref().map(|spec| Requires {
            spec,
            file: &p.path,
        })
    });

    if !settings.clear
        && !settings.upgrade
        && let Some(stamp) = venv::read_stamp(&location.dir)
        && stamp_still_serves(&stamp, settings, requires, &location.dir)
        && plan::digest(&stamp.executable, &stamp.version, &inputs.files, &options) == stamp.digest
    {
        let site = location.dir.join(&stamp.purelib);
        let packages = venv::installed(&site);
        let report = Report {
            location: &location,
            python: (&stamp.executable, stamp.version),
            python_why: "the venv's Python (up to date)".into(),
            backend: &backend,
            decision: &decision,
            created: false,
            up_to_date: true,
            before: &packages,
            after: &packages,
            seconds: started.elapsed().as_secs_f64(),
        };
        finish(settings, &report, printer)?;
        return Ok(ExitStatus::Success);
    }

    let chosen = pick::choose(
        &settings.python,
        &settings.python_reason,
        requires,
        &location.dir,
    )?;
    let interp = &chosen.interp;
    printer.info(format!(
        "Using Python {} at {} ({})",
        interp.version,
        interp.executable.display(),
        chosen.why
    ));

    let wanted = Wanted {
        version: interp.version,
        clear: settings.clear,
        upgrade: settings.upgrade,
        has_packages: !decision.install.is_nothing(),
        pip_after: matches!(decision.install, Install::UvLock { .. }),
        digest: plan::digest(&interp.executable, &interp.version, &inputs.files, &options),
    };
    let state = venv::inspect(&location.dir, interp);
    let steps = plan::decide(&state, &wanted)
        .map_err(|refusal| refuse(&location, &refusal, &chosen.why))?;
    printer.verbose(1, format!("venv state: {state:?}; steps: {steps:?}"));
    if let (Backend::Venv, Install::PyLock { lock, .. }) = (&backend, &decision.install) {
        check_pip_reads_pylock(&state, interp, &location.dir, lock)?;
    }

    let site = location.dir.join(&interp.purelib);
    let before = match state {
        VenvState::Healthy { .. } => venv::installed(&site),
        _ => BTreeMap::new(),
    };
    if !steps.is_empty() {
        let bar = printer.spinner("Preparing the venv");
        let echo = |line: &str| {
            if printer.is_verbose(1) {
                bar.suspend(|| printer.verbose(1, line));
            }
        };
        let tool = Tool { echo: &echo };
        let result = apply(
            &steps, settings, &backend, interp, &location, &decision, &tool, &bar, printer,
        );
        bar.finish_and_clear();
        result?;
    }
    venv::write_stamp(&location.dir, interp, &wanted.digest)?;
    let after = venv::installed(&site);
    let report = Report {
        location: &location,
        python: (&interp.executable, interp.version),
        python_why: chosen.why.clone(),
        backend: &backend,
        decision: &decision,
        created: steps.contains(&Step::Create),
        up_to_date: steps.is_empty(),
        before: &before,
        after: &after,
        seconds: started.elapsed().as_secs_f64(),
    };
    finish(settings, &report, printer)?;
    Ok(ExitStatus::Success)
}

/// Whether the interpreter a stamp records still answers the request without a probe: it
/// still exists, and its version fits the request and `requires-python`.
fn stamp_still_serves(
    stamp: &venv::Stamp,
    settings: &Settings,
    requires: Option<Requires>,
    dir: &Path,
) -> bool {
    let fits = requires.is_none_or(|r| r.spec.allows(&stamp.version));
    let asked = match &settings.python {
        Request::Path(path) => {
            std::fs::canonicalize(path).ok() == std::fs::canonicalize(&stamp.executable).ok()
        }
        other => other.accepts_version(&stamp.version),
    };
    fits && asked
        && stamp.executable.is_file()
        && venv::still_works(dir, &stamp.version)
        && dir
            .join(&stamp.purelib)
            .join("pip")
            .join("__init__.py")
            .is_file()
}

/// Everything besides the files that decides what a sync installs.
fn options(settings: &Settings, backend: &Backend) -> Vec<String> {
    let s = &settings.selection;
    let mut out = vec![format!("backend {}", backend.name())];
    out.extend(settings.packages.iter().map(|p| format!("with {p}")));
    out.extend(s.extras.iter().map(|e| format!("extra {e}")));
    out.extend(s.groups.iter().map(|g| format!("group {g}")));
    out.extend(s.only_groups.iter().map(|g| format!("only-group {g}")));
    for (on, name) in [
        (s.all_extras, "all-extras"),
        (s.no_dev, "no-dev"),
        (s.no_project, "no-project"),
    ] {
        if on {
            out.push(name.to_string());
        }
    }
    out
}

/// One line each for an active venv or conda environment that is not the one devkit fills.
fn warn_other_environments(dir: &Path, printer: &Printer) {
    let same = |other: &str| match (std::fs::canonicalize(other), std::fs::canonicalize(dir)) {
        (Ok(a), Ok(b)) => a == b,
        _ => Path::new(other) == dir,
    };
    if let Ok(active) = std::env::var("VIRTUAL_ENV")
        && !active.is_empty()
        && !same(&active)
    {
        printer.warn(format!(
            "another venv is active (VIRTUAL_ENV={active}); devkit installs into {}, never into it",
            dir.display()
        ));
    }
    if let Ok(conda) = std::env::var("CONDA_PREFIX")
        && !conda.is_empty()
    {
        printer.warn(format!(
            "a conda environment is active (CONDA_PREFIX={conda}); devkit installs into {}, never into it",
            dir.display()
        ));
    }
}

/// pip reads `pylock.toml` from 26.1 on; an older pip would fail on its own terms, later.
fn check_pip_reads_pylock(
    state: &VenvState,
    interp: &Interpreter,
    dir: &Path,
    lock: &Path,
) -> Result<()> {
    let installed = match state {
        VenvState::Healthy { has_pip: true, .. } => venv::installed(&dir.join(&interp.purelib))
            .get("pip")
            .cloned(),
        _ => None,
    };
    let version = installed.or_else(|| {
        seed::bundled_pip(interp).and_then(|wheel| {
            let name = wheel.file_name()?.to_str()?.to_string();
            name.split('-').nth(1).map(str::to_string)
        })
    });
    let parts: Vec<u32> = version
        .as_deref()
        .unwrap_or("0")
        .split('.')
        .map_while(|p| p.parse().ok())
        .collect();
    if parts.as_slice() >= [26, 1].as_slice() {
        return Ok(());
    }
    Err(DevkitError::failure(format!(
        "{} needs pip 26.1 or newer to install it, and the venv's pip is {}",
        lock.display(),
        version.as_deref().unwrap_or("unknown")
    ))
    .with_hint(
        "put uv on PATH (devkit then installs the lock with uv), or upgrade the venv's pip: \
         devkit pyenv run -- python -m pip install 'pip>=26.1'",
    )
    .into())
}

#[allow(clippy::too_many_arguments)]
fn apply(
    steps: &[Step],
    settings: &Settings,
    backend: &Backend,
    interp: &Interpreter,
    location: &Location,
    decision: &Decision,
    tool: &Tool,
    bar: &ProgressBar,
    printer: &Printer,
) -> Result<()> {
    let dir = &location.dir;
    for step in steps {
        match step {
            Step::Remove(reason) => {
                let why = match reason {
                    RemoveReason::Broken(why) => format!("rebuilding it: {why}"),
                    RemoveReason::Clear => "removing it (--clear)".to_string(),
                };
                bar.suspend(|| printer.info(format!("{}: {why}", dir.display())));
                std::fs::remove_dir_all(dir)
                    .with_context(|| format!("cannot remove {}", dir.display()))?;
            }
            // `uv sync` makes the venv itself, in the same run that fills it.
            Step::Create if matches!(decision.install, Install::UvLock { .. }) => {}
            Step::Create => {
                bar.set_message(format!("Creating {} ({})", dir.display(), backend.name()));
                backend.create(interp, dir, tool)?;
            }
            Step::SeedPip => {
                bar.set_message("Adding pip");
                backend.seed_pip(interp, dir, &settings.cache, tool)?;
            }
            Step::Install => {
                bar.set_message("Installing packages");
                venv::clear_stamp(dir);
                backend
                    .install(dir, interp, &decision.install, settings.upgrade, tool)
                    .map_err(|e| {
                        e.context(format!(
                            "installing packages into {} failed (the venv is kept)",
                            dir.display()
                        ))
                    })?;
            }
        }
    }
    Ok(())
}

fn choose_backend(choice: &Resolved<BackendChoice>, install: &Install) -> Result<Backend> {
    let uv = || which::which("uv").ok();
    let backend = match choice.value {
        BackendChoice::Venv => Backend::Venv,
        BackendChoice::Auto => uv().map_or(Backend::Venv, Backend::Uv),
        BackendChoice::Uv => uv().map(Backend::Uv).ok_or_else(|| {
            DevkitError::failure(format!(
                "the uv backend was asked for ({}) but uv is not on PATH",
                choice.origin
            ))
            .with_hint("install uv, or use --backend venv")
        })?,
    };
    if let (Backend::Venv, Install::UvLock { lock, .. }) = (&backend, install) {
        let why = match choice.value {
            BackendChoice::Venv => format!("the venv backend was chosen ({})", choice.origin),
            _ => "uv is not on PATH".to_string(),
        };
        return Err(DevkitError::failure(format!(
            "{} pins this project's packages, and only uv installs from it, but {why}",
            lock.display()
        ))
        .with_hint(
            "install uv (https://docs.astral.sh/uv/), or export a standard lock with \
             `uv export --format pylock.toml -o pylock.toml` and remove uv.lock",
        )
        .into());
    }
    Ok(backend)
}

fn refuse(location: &Location, refusal: &plan::Refusal, why: &str) -> anyhow::Error {
    let hint = match refusal {
        plan::Refusal::NotAVenv(_) => {
            "nothing was changed; move it away or choose another directory with --dir"
        }
        plan::Refusal::OtherVersion { .. } => {
            "pass --clear to rebuild it with the requested Python, or ask for the venv's Python with --python"
        }
    };
    DevkitError::failure(format!(
        "refusing to use {}: {refusal} ({why})",
        location.dir.display()
    ))
    .with_hint(hint)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::PyenvDirArg;
    use crate::config::LoadOptions;

    fn args() -> PyenvInitArgs {
        PyenvInitArgs {
            python: None,
            dir: PyenvDirArg { dir: None },
            requirements: Vec::new(),
            with: Vec::new(),
            upgrade: false,
            clear: false,
            backend: None,
            extra: Vec::new(),
            all_extras: false,
            group: Vec::new(),
            no_dev: false,
            only_group: Vec::new(),
            no_project: false,
            json: false,
        }
    }

    fn config(dir: &Path, env: &[(&str, &str)]) -> Config {
        let opts = LoadOptions {
            cwd: dir.to_path_buf(),
            user_file: None,
            explicit_file: None,
            no_config: false,
        };
        Config::load(&opts, |k| {
            env.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        })
        .unwrap()
    }

    #[test]
    fn python_comes_from_flag_then_config_then_python_version_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let settings = Settings::resolve(&args(), &config(dir, &[])).unwrap();
        assert_eq!(settings.python, Request::Default);

        std::fs::write(dir.join(".python-version"), "3.12.1\n").unwrap();
        let settings = Settings::resolve(&args(), &config(dir, &[])).unwrap();
        assert_eq!(settings.python, Request::parse("3.12.1", dir));
        assert_eq!(
            settings.python_reason,
            Reason::VersionFile(dir.join(".python-version"))
        );

        let cfg = config(dir, &[("DEVKIT_PYENV_PYTHON", "3.10")]);
        let settings = Settings::resolve(&args(), &cfg).unwrap();
        assert_eq!(settings.python, Request::parse("3.10", dir));
        assert_eq!(
            settings.python_reason,
            Reason::Setting("pyenv.python (env DEVKIT_PYENV_PYTHON)".into())
        );

        let flag = PyenvInitArgs {
            python: Some("/opt/py/bin/python3".into()),
            ..args()
        };
        let settings = Settings::resolve(&flag, &cfg).unwrap();
        assert_eq!(settings.python, Request::Path("/opt/py/bin/python3".into()));
        assert_eq!(settings.python_reason, Reason::Setting("--python".into()));
    }

    #[test]
    fn requirements_default_to_requirements_txt_when_present() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let settings = Settings::resolve(&args(), &config(dir, &[])).unwrap();
        assert!(settings.requirements.is_empty());
        std::fs::write(dir.join("requirements.txt"), "alpha\n").unwrap();
        let settings = Settings::resolve(&args(), &config(dir, &[])).unwrap();
        assert_eq!(settings.requirements[0].value, dir.join("requirements.txt"));

        let missing = PyenvInitArgs {
            requirements: vec!["dev.txt".into()],
            ..args()
        };
        let err = Settings::resolve(&missing, &config(dir, &[])).unwrap_err();
        assert!(
            err.to_string()
                .contains("dev.txt does not exist (named by flag -r/--requirement)")
        );
        assert_eq!(crate::error::status_of(&err), ExitStatus::Usage);
    }

    #[test]
    fn a_colon_in_the_venv_path_is_a_usage_error() {
        let tmp = tempfile::tempdir().unwrap();
        let with_colon = PyenvInitArgs {
            dir: PyenvDirArg {
                dir: Some("a:b".into()),
            },
            ..args()
        };
        let err = Settings::resolve(&with_colon, &config(tmp.path(), &[])).unwrap_err();
        assert_eq!(crate::error::status_of(&err), ExitStatus::Usage);
    }
}
