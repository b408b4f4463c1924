//! Shells: which one the user runs, and the line that activates a venv in it.

use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Csh,
    Powershell,
    Nu,
}

impl Shell {
    /// A shell from a program name: `bash`, `-zsh` (a login shell), `/usr/bin/fish`, `pwsh`.
    pub fn from_program(name: &str) -> Option<Shell> {
        let base = name
            .rsplit('/')
            .next()
            .unwrap_or(name)
            .trim_start_matches('-');
        let base = base.strip_suffix(".exe").unwrap_or(base);
        match base {
            "bash" | "sh" | "dash" | "ksh" => Some(Shell::Bash),
            "zsh" => Some(Shell::Zsh),
            "fish" => Some(Shell::Fish),
            "csh" | "tcsh" => Some(Shell::Csh),
            "pwsh" | "powershell" => Some(Shell::Powershell),
            "nu" => Some(Shell::Nu),
            _ => None,
        }
    }

    /// The shell running devkit: nushell says so in `NU_VERSION`; otherwise the parent
    /// process (for `eval "$(devkit pyenv activate)"`, a copy of the user's shell), then
    /// `$SHELL` (the login shell, which may not be the one in use).
    pub fn detect(env: &dyn Fn(&str) -> Option<String>, parent: Option<&str>) -> Option<Shell> {
        if env("NU_VERSION").is_some() {
            return Some(Shell::Nu);
        }
        parent
            .and_then(Shell::from_program)
            .or_else(|| env("SHELL").as_deref().and_then(Shell::from_program))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::Csh => "csh",
            Shell::Powershell => "powershell",
            Shell::Nu => "nu",
        }
    }

    /// The line that activates the venv at `venv` (an absolute path); `has` says whether a
    /// file exists in the venv's `bin` (activate scripts differ between venv and uv).
    pub fn activation(&self, venv: &Path, has: &dyn Fn(&str) -> bool) -> String {
        let bin = venv.join("bin");
        let script = |name: &str| bin.join(name).display().to_string();
        match self {
            Shell::Bash | Shell::Zsh => format!(". {}", posix_quote(&script("activate"))),
            Shell::Fish => format!("source {}", fish_quote(&script("activate.fish"))),
            Shell::Csh => format!("source {}", posix_quote(&script("activate.csh"))),
            Shell::Powershell => {
                let name = if has("activate.ps1") {
                    "activate.ps1"
                } else {
                    "Activate.ps1"
                };
                format!(". {}", powershell_quote(&script(name)))
            }
            Shell::Nu if has("activate.nu") => {
                format!("overlay use {}", nu_quote(&script("activate.nu")))
            }
            // The standard library writes no activate.nu: set the variables directly.
            Shell::Nu => format!(
                "load-env {{VIRTUAL_ENV: {}, PATH: ($env.PATH | prepend {})}}",
                nu_quote(&venv.display().to_string()),
                nu_quote(&bin.display().to_string())
            ),
        }
    }

    /// A note for stderr beside the activation line, where the line alone would mislead: a
    /// nushell line without the venv's `activate.nu`, or a PowerShell whose execution policy
    /// refuses to run `Activate.ps1`.
    pub fn note(&self, venv: &Path, has: &dyn Fn(&str) -> bool) -> Option<String> {
        match self {
            Shell::Nu if !has("activate.nu") => Some(format!(
                "{} has no bin/activate.nu (`python -m venv` makes none; uv does): the line sets \
                 VIRTUAL_ENV and PATH in this shell, and there is no `deactivate`",
                venv.display()
            )),
            Shell::Powershell => execution_policy().and_then(|p| policy_note(&p)),
            _ => None,
        }
    }

    /// How to use the line, for the init summary.
    pub fn usage(&self) -> &'static str {
        match self {
            Shell::Bash | Shell::Zsh => "eval \"$(devkit pyenv activate)\"",
            Shell::Fish => "devkit pyenv activate --shell fish | source",
            Shell::Csh => "eval `devkit pyenv activate --shell csh`",
            Shell::Powershell => "devkit pyenv activate --shell powershell | Invoke-Expression",
            Shell::Nu => "devkit pyenv activate --shell nu  (then run the printed line)",
        }
    }
}

/// PowerShell's effective execution policy, asked of `pwsh` (or Windows PowerShell).
fn execution_policy() -> Option<String> {
    let program = which::which("pwsh")
        .or_else(|_| which::which("powershell"))
        .ok()?;
    let out = std::process::Command::new(program)
        .args([
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            "Get-ExecutionPolicy",
        ])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Policies under which dot-sourcing the venv's unsigned `Activate.ps1` fails.
pub fn policy_note(policy: &str) -> Option<String> {
    let blocks = ["Restricted", "AllSigned", "Undefined"]
        .iter()
        .any(|p| p.eq_ignore_ascii_case(policy));
    blocks.then(|| {
        format!(
            "PowerShell's execution policy is {policy}, which refuses Activate.ps1: run \
             `Set-ExecutionPolicy -Scope CurrentUser RemoteSigned` once (or \
             `Set-ExecutionPolicy -Scope Process Bypass` for this session)"
        )
    })
}

/// `'...'` with `'` written as `'\''` (sh, bash, zsh, csh).
pub fn posix_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+,=@%".contains(&b))
    {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn fish_quote(text: &str) -> String {
    format!("'{}'", text.replace('\\', r"\\").replace('\'', r"\'"))
}

fn powershell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// nushell raw strings take anything but their own closing `'#`.
fn nu_quote(text: &str) -> String {
    format!("r#'{text}'#")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::fake_env as env;

    #[test]
    fn detection_prefers_nu_then_parent_then_login_shell() {
        assert_eq!(
            Shell::detect(&env(&[("SHELL", "/bin/zsh")]), Some("bash")),
            Some(Shell::Bash)
        );
        assert_eq!(
            Shell::detect(&env(&[("SHELL", "/usr/bin/fish")]), Some("cargo")),
            Some(Shell::Fish)
        );
        assert_eq!(
            Shell::detect(
                &env(&[("NU_VERSION", "0.99"), ("SHELL", "/bin/bash")]),
                None
            ),
            Some(Shell::Nu)
        );
        assert_eq!(Shell::from_program("-zsh"), Some(Shell::Zsh));
        assert_eq!(Shell::from_program("pwsh"), Some(Shell::Powershell));
        assert_eq!(Shell::detect(&env(&[]), Some("make")), None);
    }

    #[test]
    fn notes_for_nushell_without_activate_nu_and_blocking_policies() {
        let venv = Path::new("/p/.venv");
        assert!(Shell::Nu.note(venv, &|n| n == "activate.nu").is_none());
        assert!(
            Shell::Nu
                .note(venv, &|_| false)
                .unwrap()
                .contains("has no bin/activate.nu")
        );
        assert!(Shell::Bash.note(venv, &|_| false).is_none());
        assert!(policy_note("Restricted").unwrap().contains("RemoteSigned"));
        assert!(policy_note("AllSigned").is_some());
        assert!(policy_note("RemoteSigned").is_none());
        assert!(policy_note("Unrestricted").is_none());
    }

    #[test]
    fn lines_quote_paths_for_each_shell() {
        let venv = Path::new("/p/it's here/.venv");
        let none = |_: &str| false;
        assert_eq!(
            Shell::Bash.activation(venv, &none),
            r". '/p/it'\''s here/.venv/bin/activate'"
        );
        assert_eq!(
            Shell::Fish.activation(venv, &none),
            r"source '/p/it\'s here/.venv/bin/activate.fish'"
        );
        assert_eq!(
            Shell::Powershell.activation(venv, &none),
            ". '/p/it''s here/.venv/bin/Activate.ps1'"
        );
        let plain = Path::new("/p/.venv");
        assert_eq!(
            Shell::Csh.activation(plain, &none),
            "source /p/.venv/bin/activate.csh"
        );
        assert_eq!(
            Shell::Nu.activation(plain, &|n| n == "activate.nu"),
            "overlay use r#'/p/.venv/bin/activate.nu'#"
        );
        assert!(
            Shell::Nu
                .activation(plain, &none)
                .starts_with("load-env {VIRTUAL_ENV: r#'/p/.venv'#")
        );
    }
}
