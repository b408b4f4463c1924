//! devkit: a developer's everyday snippets as solid, fast commands.
//!
//! `run` is the whole program: parse the command line, load the layered config, hand each
//! command its resolved settings, and turn the outcome into an exit status, printing an error
//! chain once.

pub mod choice;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod output;
pub mod python;

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{CommandFactory, Parser};

use crate::cli::{BlogCommand, Cli, Command, ConfigCommand, GitCommand, GlobalArgs, PyenvCommand};
use crate::commands::{
    b64, blog, config as config_cmd, config_schema, doctor, generate, git, pyenv,
};
use crate::config::{Config, LoadOptions};
use crate::error::{ExitStatus, is_broken_pipe, render, status_of};
use crate::output::Printer;

/// Run devkit with these arguments (the first is the program name) and say how it ended.
pub fn run<I, T>(args: I) -> ExitStatus
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // A shell asking for completions (DEVKIT_COMPLETE set) gets its answer before anything
    // else runs: no config is loaded, and a failure prints nothing.
    if let Some(answered) = commands::complete::answer(&args, Cli::command) {
        return if answered {
            ExitStatus::Success
        } else {
            ExitStatus::Failure
        };
    }
    let parsed = Cli::try_parse_from(args);
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version land here too (exit 0, on stdout); a closed stdout is fine.
            let _ = err.print();
            return match err.exit_code() {
                0 => ExitStatus::Success,
                _ => ExitStatus::Usage,
            };
        }
    };
    let printer = Printer::from_flags(cli.global.quiet, cli.global.verbose, cli.global.color);
    match dispatch(cli, &printer) {
        Ok(status) => status,
        Err(err) if is_broken_pipe(&err) => ExitStatus::Success,
        Err(err) => {
            eprint!("{}", render(&err, printer.paint()));
            status_of(&err)
        }
    }
}

fn dispatch(cli: Cli, printer: &Printer) -> Result<ExitStatus> {
    // Commands that read no configuration run even when a config file is broken.
    match cli.command {
        Command::Completions(args) => return generate::run_completions(args.shell),
        Command::Generate(args) => return generate::run_generate(&args.out, printer),
        Command::Config(ConfigCommand::Schema) => return config_schema::run(),
        _ => {}
    }
    let config = load_config(&cli.global)?;
    match cli.command {
        Command::B64(args) => b64::run(&b64::Settings::resolve(&args, &config)?, printer),
        Command::Git(GitCommand::Untag(args)) => {
            git::untag::run(&git::untag::Settings::resolve(&args, &config)?, printer)
        }
        Command::Pyenv(PyenvCommand::Init(args)) => {
            pyenv::init::run(&pyenv::init::Settings::resolve(&args, &config)?, printer)
        }
        Command::Pyenv(PyenvCommand::Activate(args)) => pyenv::activate::run(
            &pyenv::activate::Settings::resolve(&args, &config)?,
            printer,
        ),
        Command::Pyenv(PyenvCommand::Run(args)) => {
            pyenv::run::run(&pyenv::run::Settings::resolve(&args, &config)?, printer)
        }
        Command::Pyenv(PyenvCommand::Freeze(args)) => {
            pyenv::freeze::run(&pyenv::freeze::Settings::resolve(&args, &config)?, printer)
        }
        Command::Blog(BlogCommand::Check(args)) => {
            blog::check::run(&blog::check::Settings::resolve(&args, &config)?, printer)
        }
        Command::Blog(BlogCommand::New(args)) => {
            blog::new::run(&blog::new::Settings::resolve(&args, &config)?, printer)
        }
        Command::Blog(BlogCommand::Push(args)) => {
            blog::push::run(&blog::push::Settings::resolve(&args, &config)?, printer)
        }
        Command::Blog(BlogCommand::Pull(args)) => {
            blog::pull::run(&blog::pull::Settings::resolve(&args, &config)?, printer)
        }
        Command::Config(ConfigCommand::Show(args)) => config_cmd::show(&config, args.json),
        Command::Config(ConfigCommand::Get(args)) => config_cmd::get(&config, &args.key),
        Command::Config(ConfigCommand::Path) => config_cmd::path(&config),
        Command::Config(ConfigCommand::Schema) => unreachable!("handled above"),
        Command::Doctor(args) => doctor::run(&doctor::Settings::resolve(&args, &config)?, printer),
        Command::Completions(_) | Command::Generate(_) => unreachable!("handled above"),
    }
}

fn load_config(global: &GlobalArgs) -> Result<Config> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let options = LoadOptions {
        cwd,
        user_file: user_config_file(),
        explicit_file: global.config.clone(),
        no_config: global.no_config,
    };
    Config::load(&options, |var| std::env::var(var).ok())
}

/// `~/.config/devkit/config.yaml` on Linux and macOS (`$XDG_CONFIG_HOME` respected).
fn user_config_file() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().ok()?;
    Some(strategy.config_dir().join("devkit").join("config.yaml"))
}

/// An environment of these variables only, for unit tests of code that reads variables
/// through a closure.
#[cfg(test)]
pub(crate) fn fake_env<'a>(
    pairs: &'a [(&'a str, &'a str)],
) -> impl Fn(&str) -> Option<String> + 'a {
    move |key| {
        pairs
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value.to_string())
    }
}
