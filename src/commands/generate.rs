//! What devkit generates from its own definitions: shell completions and man pages from the clap
//! types, the config reference from the key table. `devkit generate` writes the committed
//! `completions/`, `man/` and `docs/guide/config-reference.md`; a test checks they are not stale.
//! A completion script only registers devkit with the shell: at each TAB it runs devkit again
//! (see `complete.rs`), so the candidates always match the installed binary and the user's repo.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::config::{KEYS, Kind};
use crate::error::ExitStatus;
use crate::output::Printer;

/// Every shell devkit ships a completion script for, with the script's conventional file name.
pub const SHELLS: &[(Shell, &str)] = &[
    (Shell::Bash, "devkit.bash"),
    (Shell::Zsh, "_devkit"),
    (Shell::Fish, "devkit.fish"),
    (Shell::PowerShell, "_devkit.ps1"),
    (Shell::Elvish, "devkit.elv"),
];

/// The script that registers `devkit` with `shell` and asks devkit (found on PATH when the
/// user presses TAB) for the candidates.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::PowerShell => &Powershell,
        Shell::Elvish => &Elvish,
        // `Shell` is non-exhaustive; every shell it has today is above.
        _ => &Bash,
    };
    let mut buf = Vec::new();
    completer
        .write_registration(
            super::complete::ENV_VAR,
            Cli::command().get_name(),
            "devkit",
            "devkit",
            &mut buf,
        )
        .expect("writing into a Vec cannot fail");
    buf
}

/// Every man page: `devkit.1`, then `devkit-<sub>.1` and `devkit-<sub>-<leaf>.1`.
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut root = Cli::command();
    root.build();
    let mut pages = Vec::new();
    collect_man_pages(&root, "devkit", &mut pages)?;
    Ok(pages)
}

fn collect_man_pages(
    cmd: &clap::Command,
    name: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> Result<()> {
    let mut buf = Vec::new();
    let page = cmd.clone().display_name(name.to_string());
    clap_mangen::Man::new(page).render(&mut buf)?;
    pages.push((format!("{name}.1"), buf));
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        collect_man_pages(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}

/// Where the config reference goes, relative to the repository root.
pub const CONFIG_REFERENCE: &str = "docs/guide/config-reference.md";

/// The config reference page: every key of the key table with its env var, kind and default.
pub fn config_reference() -> String {
    use std::fmt::Write;
    let mut out = String::from(
        "# Configuration reference\n\n\
         <!-- Generated from the key table in src/config.rs by `devkit generate --out .`; \
         do not edit. -->\n\n\
         Every key devkit reads, in `devkit.yaml`, `~/.config/devkit/config.yaml` or its \
         environment variable. How the layers merge: [config.md](config.md).\n\n\
         | key | environment | value | default | meaning |\n\
         |---|---|---|---|---|\n",
    );
    for def in KEYS {
        let value = match def.kind {
            Kind::Str => "text".to_string(),
            Kind::Bool => "true or false".to_string(),
            Kind::UInt => "a whole number".to_string(),
            Kind::Duration => "a duration (`60s`, `1m 30s`)".to_string(),
            Kind::List => "a list of text".to_string(),
            Kind::Choice(names) => names()
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let default = def.default.map_or(String::new(), |d| format!("`{d}`"));
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {value} | {default} | {} |",
            def.key,
            def.env_var(),
            def.doc.replace('|', "\\|")
        );
    }
    out
}

/// Every generated file, as a path relative to the repository root and its bytes.
pub fn generated_files() -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = SHELLS
        .iter()
        .map(|(shell, file)| {
            (
                Path::new("completions").join(file),
                completion_script(*shell),
            )
        })
        .collect();
    for (name, bytes) in man_pages()? {
        files.push((Path::new("man").join(name), bytes));
    }
    files.push((
        PathBuf::from(CONFIG_REFERENCE),
        config_reference().into_bytes(),
    ));
    Ok(files)
}

pub fn run_completions(shell: Shell) -> Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    out.write_all(&completion_script(shell))?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

pub fn run_generate(out_dir: &Path, printer: &Printer) -> Result<ExitStatus> {
    for dir in ["completions", "man"] {
        let dir = out_dir.join(dir);
        // Start empty so a page for a removed command does not linger.
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot clear {}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let files = generated_files()?;
    for (rel, bytes) in &files {
        let path = out_dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    printer.info(format!(
        "wrote {} files into {}",
        files.len(),
        out_dir.display()
    ));
    Ok(ExitStatus::Success)
}
