//! `devkit config show|get|path`: the merged configuration, and where each value came from.

use std::io::Write;

use anyhow::Result;

use crate::config::{Config, key_def};
use crate::error::{DevkitError, ExitStatus};

/// Every key, its value (or `(unset)`) and its origin; `--json` gives an object keyed by name.
pub fn show(config: &Config, json: bool) -> Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    if json {
        let mut map = serde_json::Map::new();
        for (def, entry) in config.entries() {
            let value = match entry {
                Some(e) => {
                    serde_json::json!({"value": e.value.to_json(), "origin": e.origin.to_json()})
                }
                None => serde_json::json!({"value": null, "origin": null}),
            };
            map.insert(def.key.to_string(), value);
        }
        serde_json::to_writer_pretty(&mut out, &map)?;
        writeln!(out)?;
    } else {
        let width = config
            .entries()
            .map(|(def, _)| def.key.len())
            .max()
            .unwrap_or(0);
        for (def, entry) in config.entries() {
            match entry {
                Some(e) => {
                    let value = format!("{}", e.value);
                    writeln!(out, "{:width$} = {value:24} # {}", def.key, e.origin)?
                }
                None => writeln!(out, "{:width$}   {:24} # (unset)", def.key, "")?,
            }
        }
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// One value on stdout; exit 1 when the key is known but unset, 2 when it is not a key.
pub fn get(config: &Config, key: &str) -> Result<ExitStatus> {
    if key_def(key).is_none() {
        return Err(DevkitError::usage(format!("unknown config key `{key}`"))
            .with_hint("`devkit config show` lists every key")
            .into());
    }
    match config.get(key) {
        Some(entry) => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", entry.value)?;
            out.flush()?;
            Ok(ExitStatus::Success)
        }
        None => Err(DevkitError::failure(format!("{key} is not set")).into()),
    }
}

/// The files considered, in merge order, and whether each exists.
pub fn path(config: &Config) -> Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    if config.files().is_empty() {
        writeln!(out, "no config files are read (--no-config)")?;
    }
    for file in config.files() {
        let state = if file.found { "found" } else { "not found" };
        writeln!(out, "{:8} {} ({state})", file.role, file.path.display())?;
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}
