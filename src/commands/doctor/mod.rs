//! `devkit doctor`: for each command, the outside tools and settings it needs, whether they
//! are there, and the fix for what is not, before a command fails halfway into the user's
//! work. Only local probes (`--version`, files), except `blog.do.url` when it is configured.

mod probe;
pub mod wrangler_config;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use super::blog::store::kv::WranglerBin;
use super::blog::store::{self, StoreKind};
use crate::cli::DoctorArgs;
use crate::config::{Config, Origin, Resolved};
use crate::error::ExitStatus;
use crate::output::Printer;
use crate::python::interpreter::{self, Reason, Request};

/// What each check needs, resolved from the config once.
#[derive(Debug, Clone)]
pub struct Settings {
    pub cwd: PathBuf,
    pub json: bool,
    pub git: GitNeeds,
    pub pyenv: PyenvNeeds,
    pub blog: BlogNeeds,
}

#[derive(Debug, Clone)]
pub struct GitNeeds {
    pub remote: Resolved<String>,
    /// A `git.*` key is set in a file or the environment.
    pub configured: bool,
}

#[derive(Debug, Clone)]
pub struct PyenvNeeds {
    pub python: Request,
    pub reason: Reason,
    /// `pyenv.backend` says `uv`: then uv is required, not optional.
    pub uv_required: bool,
    pub configured: bool,
}

#[derive(Debug, Clone)]
pub struct BlogNeeds {
    pub configured: bool,
    /// `blog.target` is `do`.
    pub durable: bool,
    /// `blog.target` is `d1`: `blog.d1.binding` or `blog.d1.database` (true), as configured.
    pub d1: Option<Option<(Resolved<String>, bool)>>,
    pub wrangler: Option<WranglerBin>,
    pub wrangler_config: Option<Resolved<PathBuf>>,
    pub wrangler_env: Option<String>,
    pub binding: Option<Resolved<String>>,
    pub namespace_id: Option<String>,
    pub do_url: Option<Resolved<String>>,
    pub token_env: String,
}

impl Settings {
    pub fn resolve(args: &DoctorArgs, config: &Config) -> Result<Self> {
        let configured = |section: &str| {
            let prefix = format!("{section}.");
            config.entries().any(|(def, entry)| {
                def.key.starts_with(&prefix)
                    && entry.is_some_and(|e| {
                        matches!(e.origin, Origin::File { .. } | Origin::Env { .. })
                    })
            })
        };
        let (python, reason) = python_request(config);
        let text = |key: &str| config.string(key).map(|r| r.value);
        Ok(Settings {
            cwd: config.cwd().to_path_buf(),
            json: args.json,
            git: GitNeeds {
                remote: config
                    .string("git.remote")
                    .expect("git.remote has a default"),
                configured: configured("git"),
            },
            pyenv: PyenvNeeds {
                python,
                reason,
                uv_required: text("pyenv.backend").as_deref() == Some("uv"),
                configured: configured("pyenv"),
            },
            blog: BlogNeeds {
                configured: configured("blog"),
                durable: StoreKind::configured(None, config) == StoreKind::Durable,
                d1: (StoreKind::configured(None, config) == StoreKind::D1).then(|| {
                    config
                        .string("blog.d1.binding")
                        .map(|b| (b, false))
                        .or_else(|| config.string("blog.d1.database").map(|d| (d, true)))
                }),
                wrangler: store::settings::wrangler_bin(config),
                wrangler_config: config.path("blog.wrangler.config"),
                wrangler_env: text("blog.wrangler.env"),
                binding: config.string("blog.kv.binding"),
                namespace_id: text("blog.kv.namespace_id"),
                do_url: config.string("blog.do.url"),
                token_env: text("blog.do.token_env").expect("blog.do.token_env has a default"),
            },
        })
    }
}

/// The interpreter `pyenv init` would ask for without flags: `pyenv.python`, else the nearest
/// `.python-version`, else the default (the same order as `pyenv init`'s settings).
fn python_request(config: &Config) -> (Request, Reason) {
    if let Some(choice) = config.string("pyenv.python") {
        let base = config.base_dir(&choice.origin);
        let reason = Reason::Setting(format!("pyenv.python ({})", choice.origin));
        return (Request::parse(&choice.value, &base), reason);
    }
    match interpreter::find_python_version_file(config.cwd()) {
        Some((path, entry)) => {
            let base = path.parent().unwrap_or(Path::new("/")).to_path_buf();
            (Request::parse(&entry, &base), Reason::VersionFile(path))
        }
        None => (Request::Default, Reason::Default),
    }
}

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Missing or broken, and a command that is configured (or git itself) needs it: exit 1.
    Missing,
    /// Missing or broken, but nothing configured needs it yet.
    Warning,
    /// Not applicable here (not a git repository, no `blog.do.url`).
    Skipped,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The command that needs it: `git untag`, `pyenv`, `blog push`.
    pub command: &'static str,
    /// What is needed: `git`, `remote origin`, `python`, `uv`, `node`, `wrangler`, …
    pub need: String,
    pub status: Status,
    /// What was found (a version, a path), or what is wrong.
    pub detail: String,
    /// How to fix it, when it is not ok.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    fn ok(command: &'static str, need: impl Into<String>, detail: impl Into<String>) -> Self {
        Check {
            command,
            need: need.into(),
            status: Status::Ok,
            detail: detail.into(),
            fix: None,
        }
    }

    fn skipped(command: &'static str, need: impl Into<String>, detail: impl Into<String>) -> Self {
        Check {
            status: Status::Skipped,
            ..Check::ok(command, need, detail)
        }
    }

    /// Something is missing: `Missing` when `required`, else a `Warning`.
    fn lacking(
        command: &'static str,
        need: impl Into<String>,
        required: bool,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Check {
            command,
            need: need.into(),
            status: if required {
                Status::Missing
            } else {
                Status::Warning
            },
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// Exit 1 when anything required is missing.
pub fn verdict(checks: &[Check]) -> ExitStatus {
    if checks.iter().any(|c| c.status == Status::Missing) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    let mut checks = probe::git(settings);
    checks.extend(probe::pyenv(settings));
    checks.extend(probe::blog(settings, printer));
    let status = verdict(&checks);
    let mut out = std::io::stdout().lock();
    if settings.json {
        let report = serde_json::json!({
            "ok": status == ExitStatus::Success,
            "checks": checks,
        });
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        out.write_all(render(&checks).as_bytes())?;
    }
    out.flush()?;
    Ok(status)
}

/// The text report: a heading per command, a line per need, the fix under what is not ok.
pub fn render(checks: &[Check]) -> String {
    let mut text = String::new();
    let mut heading = "";
    let width = checks.iter().map(|c| c.need.len()).max().unwrap_or(0);
    for check in checks {
        if check.command != heading {
            heading = check.command;
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&format!("{heading}\n"));
        }
        let mark = match check.status {
            Status::Ok => "ok",
            Status::Missing => "MISSING",
            Status::Warning => "warning",
            Status::Skipped => "skipped",
        };
        text.push_str(&format!(
            "  {mark:8} {:width$}  {}\n",
            check.need, check.detail
        ));
        if let Some(fix) = &check.fix {
            text.push_str(&format!("  {:8} {:width$}  fix: {fix}\n", "", ""));
        }
    }
    let missing = checks
        .iter()
        .filter(|c| c.status == Status::Missing)
        .count();
    text.push_str(&match missing {
        0 => "\nall that the configured commands need is there\n".to_string(),
        n => format!("\n{n} missing: see the fixes above\n"),
    });
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_required_lack_fails() {
        let warn = Check::lacking("pyenv", "uv", false, "not on PATH", "install uv");
        let ok = Check::ok("git untag", "git", "2.39.5");
        assert_eq!(verdict(&[ok.clone(), warn.clone()]), ExitStatus::Success);
        let missing = Check::lacking("blog push", "node", true, "not on PATH", "install Node.js");
        assert_eq!(verdict(&[ok, warn, missing]), ExitStatus::Failure);
    }

    #[test]
    fn the_report_groups_by_command_and_puts_the_fix_under_its_line() {
        let text = render(&[
            Check::ok("git untag", "git", "git 2.39.5 (/usr/bin/git)"),
            Check::lacking(
                "blog push",
                "node",
                true,
                "not found on PATH",
                "install Node.js 20",
            ),
        ]);
        assert_eq!(
            text,
            "git untag\n  ok       git   git 2.39.5 (/usr/bin/git)\n\n\
             blog push\n  MISSING  node  not found on PATH\n           \
             \x20     fix: install Node.js 20\n\n1 missing: see the fixes above\n"
        );
    }
}
