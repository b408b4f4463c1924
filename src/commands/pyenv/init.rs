//! `devkit pyenv init`: create or update the project's venv.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::ProgressBar;

use super::backend::Backend;
use super::interpreter::{self, Interpreter, Reason, Request};
use super::plan::{self, RemoveReason, Step, Wanted};
use super::shell::Shell;
use super::tool::Tool;
use super::venv::{self, Location, VenvState};
use crate::cli::{PyenvBackend, PyenvInitArgs};
use crate::config::{Config, Origin, Resolved, flag_or};
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendChoice {
    Auto,
    Uv,
    Venv,
}

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
            .expect("pyenv.backend has a default")
            .map(|b| match b {
                PyenvBackend::Auto => BackendChoice::Auto,
                PyenvBackend::Uv => BackendChoice::Uv,
                PyenvBackend::Venv => BackendChoice::Venv,
            });

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
            cache: cache_dir(),
            shell,
        })
    }
}

/// `$XDG_CACHE_HOME/devkit` (`~/.cache/devkit`), else a directory under the temp dir.
fn cache_dir() -> PathBuf {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .map(|s| s.cache_dir().join("devkit"))
        .unwrap_or_else(|_| std::env::temp_dir().join("devkit-cache"))
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    let started = Instant::now();
    let location = venv::locate(&settings.dir.value)?;
    let backend = choose_backend(&settings.backend)?;

    let interp = interpreter::discover(&settings.python, &settings.python_reason)?;
    printer.info(format!(
        "Using Python {} at {} ({})",
        interp.version,
        interp.executable.display(),
        match &settings.python_reason {
            Reason::Default => "the first python3 or python on PATH".to_string(),
            other => format!("from {other}"),
        }
    ));
    if let Some(pointer) = &location.pointer {
        printer.verbose(
            1,
            format!("{} points to {}", pointer.display(), location.dir.display()),
        );
    }

    let files = read_requirements(&settings.requirements)?;
    let wanted = Wanted {
        version: interp.version,
        clear: settings.clear,
        upgrade: settings.upgrade,
        has_packages: !settings.requirements.is_empty() || !settings.packages.is_empty(),
        digest: plan::digest(&interp, &files, &settings.packages),
    };
    let state = venv::inspect(&location.dir, &interp);
    let steps = plan::decide(&state, &wanted).map_err(|refusal| refuse(&location, &refusal))?;
    printer.verbose(1, format!("venv state: {state:?}; steps: {steps:?}"));

    let site = location.dir.join(&interp.purelib);
    let before = match state {
        VenvState::Healthy { .. } => venv::installed(&site),
        _ => BTreeMap::new(),
    };
    if steps.is_empty() {
        printer.info(format!(
            "{} is up to date ({} packages)",
            location.dir.display(),
            before.len()
        ));
        print_activation(settings, &location, printer);
        return Ok(ExitStatus::Success);
    }

    let bar = printer.spinner("Preparing the venv");
    let echo = |line: &str| {
        if printer.is_verbose(1) {
            bar.suspend(|| printer.verbose(1, line));
        }
    };
    let tool = Tool { echo: &echo };
    let result = apply(
        &steps, settings, &backend, &interp, &location, &tool, &bar, printer,
    );
    bar.finish_and_clear();
    result?;

    let after = venv::installed(&site);
    venv::write_stamp(&location.dir, &site, &wanted.digest)?;
    let created = steps.contains(&Step::Create);
    printer.info(format!(
        "{} {} with Python {} using {} in {:.1}s",
        if created { "Created" } else { "Updated" },
        location.dir.display(),
        interp.version,
        backend.name(),
        started.elapsed().as_secs_f64()
    ));
    let changed: Vec<String> = after
        .iter()
        .filter(|(name, version)| before.get(*name) != Some(version) && name.as_str() != "pip")
        .map(|(name, version)| format!("{name} {version}"))
        .collect();
    if !wanted.has_packages {
        printer.info("No requirements.txt and no packages asked for: the venv has pip only");
    } else if changed.is_empty() {
        printer.info(format!("No packages changed ({} in the venv)", after.len()));
    } else {
        printer.info(format!(
            "Installed {} package{}: {}",
            changed.len(),
            if changed.len() == 1 { "" } else { "s" },
            changed.join(", ")
        ));
    }
    print_activation(settings, &location, printer);
    Ok(ExitStatus::Success)
}

#[allow(clippy::too_many_arguments)]
fn apply(
    steps: &[Step],
    settings: &Settings,
    backend: &Backend,
    interp: &Interpreter,
    location: &Location,
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
                let files: Vec<PathBuf> = settings
                    .requirements
                    .iter()
                    .map(|r| r.value.clone())
                    .collect();
                backend
                    .install(dir, &files, &settings.packages, settings.upgrade, tool)
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

fn choose_backend(choice: &Resolved<BackendChoice>) -> Result<Backend> {
    let uv = || which::which("uv").ok();
    match choice.value {
        BackendChoice::Venv => Ok(Backend::Venv),
        BackendChoice::Auto => Ok(uv().map_or(Backend::Venv, Backend::Uv)),
        BackendChoice::Uv => uv().map(Backend::Uv).ok_or_else(|| {
            DevkitError::failure(format!(
                "the uv backend was asked for ({}) but uv is not on PATH",
                choice.origin
            ))
            .with_hint("install uv, or use --backend venv")
            .into()
        }),
    }
}

/// Each requirements file's name and bytes, and those of the files it includes (`-r`, `-c`).
fn read_requirements(files: &[Resolved<PathBuf>]) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut queue: Vec<(PathBuf, bool)> = files
        .iter()
        .rev()
        .map(|f| (f.value.clone(), true))
        .collect();
    let mut seen = Vec::new();
    while let Some((path, named)) = queue.pop() {
        if seen.contains(&path) || seen.len() > 100 {
            continue;
        }
        seen.push(path.clone());
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            // A missing include is the installer's to report, in its words.
            Err(_) if !named => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let base = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        for include in plan::included_files(&String::from_utf8_lossy(&bytes)) {
            queue.push((base.join(include), false));
        }
        out.push((path.display().to_string(), bytes));
    }
    Ok(out)
}

fn refuse(location: &Location, refusal: &plan::Refusal) -> anyhow::Error {
    let hint = match refusal {
        plan::Refusal::NotAVenv(_) => {
            "nothing was changed; move it away or choose another directory with --dir"
        }
        plan::Refusal::OtherVersion { .. } => {
            "pass --clear to rebuild it with the requested Python, or ask for the venv's Python with --python"
        }
    };
    DevkitError::failure(format!(
        "refusing to use {}: {refusal}",
        location.dir.display()
    ))
    .with_hint(hint)
    .into()
}

fn print_activation(settings: &Settings, location: &Location, printer: &Printer) {
    let bin = location.dir.join("bin");
    let line = settings
        .shell
        .activation(&location.dir, &|name| bin.join(name).exists());
    printer.info(format!("Activate it ({}): {line}", settings.shell.name()));
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
