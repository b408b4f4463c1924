//! Reading wrangler's local state past `wrangler kv key list`'s cap in one process: a listing
//! continued by prefix costs one wrangler (~1.5 s) per character where keys may hide, and slugs
//! sharing a long prefix make that dozens; wrangler's own `getPlatformProxy` has a cursor.

use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result};

use super::{Listed, Values, Wrangler, config_file, local_state};
use crate::commands::blog::store::wrangler::command;

const SCRIPT: &str = include_str!("local_read.js");

impl Wrangler {
    /// Every key under `prefix` that `keep` keeps, with its metadata, and the values of the keys `keys_of` names
    /// for them, from local state in one `node` process; `None` where that cannot be done
    /// (remote, a namespace id rather than a binding, no `node`, a wrangler that is no npm
    /// install), and the caller lists by prefix instead.
    pub(super) fn read_local_in_one(
        &mut self,
        prefix: &str,
        keep: &dyn Fn(&str) -> bool,
        keys_of: &mut dyn FnMut(&[Listed]) -> Vec<String>,
    ) -> Result<Option<(Vec<Listed>, Values)>> {
        let s = &self.settings;
        let (false, Some(binding), Some(package), Ok(node)) = (
            s.remote,
            s.binding.clone(),
            wrangler_package(&self.program),
            which::which("node"),
        ) else {
            return Ok(None);
        };
        let cwd = std::env::current_dir().unwrap_or_default();
        let persist = local_state(s, &cwd).join("v3");
        let config = s.config.as_deref().map(config_file).unwrap_or_default();
        let mut cmd = command(&node);
        cmd.arg("-e")
            .arg(SCRIPT)
            .arg(&package)
            .arg(&config)
            .arg(s.env.as_deref().unwrap_or(""))
            .arg(&persist)
            .arg(&binding)
            .arg(prefix)
            .stdin(Stdio::piped());
        self.invocations += 1;
        let mut child = cmd
            .spawn()
            .with_context(|| format!("cannot run {}", node.display()))?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        let listed: Option<Vec<Listed>> = serde_json::from_str::<Vec<Listed>>(&line)
            .ok()
            .map(|all| all.into_iter().filter(|(k, _)| keep(k)).collect());
        let keys = listed.as_deref().map(&mut *keys_of).unwrap_or_default();
        let _ = writeln!(stdin, "{}", serde_json::to_string(&keys)?);
        drop(stdin);
        line.clear();
        stdout.read_line(&mut line)?;
        let output = child.wait_with_output()?;
        let (Some(listed), true, Ok(values)) = (
            listed,
            output.status.success(),
            serde_json::from_str::<Values>(&line),
        ) else {
            let why = String::from_utf8_lossy(&output.stderr);
            self.printer.verbose(
                1,
                format!("reading local state in one process failed; listing by prefix:\n{why}"),
            );
            return Ok(None);
        };
        Ok(Some((listed, values)))
    }
}

/// wrangler's npm package folder, from the executable (`node_modules/.bin/wrangler` links to
/// `node_modules/wrangler/bin/wrangler.js`).
fn wrangler_package(program: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(program).ok()?;
    let package = real.parent()?.parent()?;
    let manifest = std::fs::read_to_string(package.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&manifest).ok()?;
    (json.get("name")?.as_str()? == "wrangler").then(|| package.to_path_buf())
}
