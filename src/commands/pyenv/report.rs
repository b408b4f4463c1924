//! The end of `init`: what was decided and done, as lines on stderr or one JSON object on
//! stdout (`--json`), and the line that activates the venv.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::json;

use super::backend::Backend;
use super::init::Settings;
use super::inputs::Decision;
use crate::output::Printer;
use crate::python::interpreter::Version;
use crate::python::venv::Location;

pub struct Report<'a> {
    pub location: &'a Location,
    pub python: (&'a Path, Version),
    pub python_why: String,
    pub backend: &'a Backend,
    pub decision: &'a Decision,
    pub created: bool,
    /// Nothing was run: the venv already matched every input.
    pub up_to_date: bool,
    pub before: &'a BTreeMap<String, String>,
    pub after: &'a BTreeMap<String, String>,
    pub seconds: f64,
}

impl Report<'_> {
    /// Distributions new or at another version than before (pip aside: devkit puts it in).
    pub fn changed(&self) -> Vec<(&str, &str)> {
        self.after
            .iter()
            .filter(|(name, version)| {
                self.before.get(*name) != Some(version) && name.as_str() != "pip"
            })
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    fn sources(&self) -> String {
        match self.decision.sources.as_slice() {
            [] => "nothing to install".to_string(),
            [one] => one.clone(),
            [first @ .., last] => format!("{} and {last}", first.join(", ")),
        }
    }

    pub fn json(&self, activate: &str) -> serde_json::Value {
        let chosen = &self.decision.chosen;
        json!({
            "venv": self.location.dir,
            "created": self.created,
            "up_to_date": self.up_to_date,
            "interpreter": {
                "version": self.python.1.to_string(),
                "executable": self.python.0,
                "why": self.python_why,
            },
            "backend": self.backend.name(),
            "inputs": self.decision.sources,
            "extras": chosen.extras,
            "groups": chosen.groups,
            "project_editable": chosen.editable,
            "installed": self.after,
            "changed": self.changed().iter().map(|(n, v)| json!({"name": n, "version": v})).collect::<Vec<_>>(),
            "seconds": (self.seconds * 1000.0).round() / 1000.0,
            "activate": activate,
        })
    }
}

/// Print the report: JSON on stdout with `--json`, else the summary lines on stderr.
pub fn finish(settings: &Settings, report: &Report, printer: &Printer) -> Result<()> {
    let dir = &report.location.dir;
    let bin = dir.join("bin");
    let has = |name: &str| bin.join(name).exists();
    let line = settings.shell.activation(dir, &has);
    if settings.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &report.json(&line))
            .context("writing the report")?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    if report.up_to_date {
        printer.info(format!(
            "{} is up to date (Python {}, {} packages, from {})",
            dir.display(),
            report.python.1,
            report.after.len(),
            report.sources()
        ));
    } else {
        printer.info(format!(
            "{} {} with Python {} using {} from {} in {:.1}s",
            if report.created { "Created" } else { "Updated" },
            dir.display(),
            report.python.1,
            report.backend.name(),
            report.sources(),
            report.seconds
        ));
        let changed = report.changed();
        if report.decision.sources.is_empty() {
            printer.info(
                "No pyproject.toml, lock file, requirements.txt or package asked for: the venv has pip only",
            );
        } else if changed.is_empty() {
            printer.info(format!(
                "No packages changed ({} in the venv)",
                report.after.len()
            ));
        } else {
            let list: Vec<String> = changed.iter().map(|(n, v)| format!("{n} {v}")).collect();
            printer.info(format!(
                "Installed {} package{}: {}",
                list.len(),
                if list.len() == 1 { "" } else { "s" },
                list.join(", ")
            ));
        }
    }
    printer.info(format!("Activate it ({}): {line}", settings.shell.name()));
    if let Some(note) = settings.shell.note(dir, &has) {
        printer.info(note);
    }
    Ok(())
}
