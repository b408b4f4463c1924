//! Workers KV through wrangler: finding wrangler, the metadata format devkit writes, and one
//! wrangler process per list, bulk put, bulk get or bulk delete.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::plan::{self, Record, Remote, RemoteKey, Value, Write};
use super::post::{Post, Status};
use super::target::{Target, json_array};
use crate::config::Origin;
use crate::error::DevkitError;

/// The marker devkit puts in every post's metadata, and its format version.
pub const MARKER: &str = "devkit";
pub const FORMAT: u64 = 1;

/// KV's limits (Cloudflare's documented maximums).
pub const MAX_KEY_BYTES: usize = 512;
pub const MAX_METADATA_BYTES: usize = 1024;
pub const MAX_VALUE_BYTES: usize = 25 * 1024 * 1024;

/// `wrangler kv key list --local` returns at most this many keys (wrangler 4.86).
const LOCAL_LIST_CAP: usize = 1000;
/// KV's bulk write limits: pairs per request, and bytes per request (kept under 100 MB).
const BULK_MAX_PAIRS: usize = 10_000;
const BULK_MAX_BYTES: usize = 95_000_000;
/// The characters a slug (so devkit's part of a key) may start with, in key order.
const SLUG_CHARS: &str = "-0123456789abcdefghijklmnopqrstuvwxyz";

/// KV metadata as devkit writes it (documented in docs/BLOG.md).
#[derive(Debug, Serialize, Deserialize)]
pub struct Metadata {
    pub devkit: u64,
    pub hash: String,
    pub title: String,
    pub status: String,
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staged_at: Option<String>,
}

impl Metadata {
    pub fn from_record(record: &Record) -> Self {
        Self {
            devkit: FORMAT,
            hash: record.hash.clone(),
            title: record.title.clone(),
            status: record.status.as_str().to_string(),
            date: record.date.clone(),
            staged_at: record.staged_at.map(|t| t.to_string()),
        }
    }

    /// A record when the metadata is devkit's; `None` for anything else.
    pub fn parse(value: &serde_json::Value) -> Option<Record> {
        if value.get(MARKER).and_then(serde_json::Value::as_u64) != Some(FORMAT) {
            return None;
        }
        let meta: Metadata = serde_json::from_value(value.clone()).ok()?;
        Some(Record {
            hash: meta.hash,
            title: meta.title,
            status: Status::parse(&meta.status)?,
            date: meta.date,
            staged_at: match meta.staged_at {
                Some(text) => Some(text.parse().ok()?),
                None => None,
            },
        })
    }

    /// The largest metadata a post can need (while staged), in bytes of JSON.
    pub fn max_len(hash: &str, title: &str, date: &str) -> usize {
        let worst = Metadata {
            devkit: FORMAT,
            hash: hash.to_string(),
            title: title.to_string(),
            status: "published".into(),
            date: date.to_string(),
            staged_at: Some("2026-01-01T00:00:00.123456789Z".into()),
        };
        serde_json::to_vec(&worst).map_or(usize::MAX, |v| v.len())
    }
}

/// What KV cannot hold of a post whose key is `prefix` + slug: one message per problem.
pub fn limits(prefix: &str, post: &Post) -> Vec<String> {
    let mut problems = Vec::new();
    let key_len = prefix.len() + post.slug.len();
    if key_len > MAX_KEY_BYTES {
        problems.push(format!(
            "the KV key (prefix + slug) is {key_len} bytes; KV allows at most {MAX_KEY_BYTES}"
        ));
    }
    let meta = Metadata::max_len(&post.hash, &post.title, &post.date.to_string());
    if meta > MAX_METADATA_BYTES {
        problems.push(format!(
            "the KV metadata would be {meta} bytes of JSON; KV allows at most {MAX_METADATA_BYTES} (shorten the title)"
        ));
    }
    if post.body.len() > MAX_VALUE_BYTES {
        problems.push(format!(
            "the body is {} bytes; a KV value holds at most {MAX_VALUE_BYTES} (25 MiB)",
            post.body.len()
        ));
    }
    problems
}

/// How to reach the namespace, resolved from config and flags.
#[derive(Debug, Clone)]
pub struct KvSettings {
    pub wrangler: Option<WranglerBin>,
    pub binding: Option<String>,
    pub namespace_id: Option<String>,
    pub config: Option<PathBuf>,
    pub env: Option<String>,
    pub persist_to: Option<PathBuf>,
    pub remote: bool,
    pub prefix: String,
}

/// `blog.wrangler.bin` as written: a path (with a `/`), or a bare name looked up on PATH.
#[derive(Debug, Clone)]
pub struct WranglerBin {
    pub text: String,
    /// `text` resolved against the directory it is relative to.
    pub path: PathBuf,
    pub origin: Origin,
}

/// The Worker's folder `blog.wrangler.config` names: the folder itself, or the config file's.
pub fn worker_folder(config: &Path) -> Option<&Path> {
    if config.is_dir() {
        Some(config)
    } else {
        config.parent().filter(|p| !p.as_os_str().is_empty())
    }
}

/// The config file wrangler gets (`--config`): `blog.wrangler.config` as written, or, when it
/// names a folder, the wrangler config inside it (wrangler wants a file).
pub fn config_file(config: &Path) -> PathBuf {
    if config.is_dir() {
        for name in ["wrangler.jsonc", "wrangler.json", "wrangler.toml"] {
            let file = config.join(name);
            if file.is_file() {
                return file;
            }
        }
    }
    config.to_path_buf()
}

/// Where local state lives: `--persist-to`, else wrangler's default `.wrangler/state` next to
/// the config file (or in the current directory without one).
pub fn local_state(settings: &KvSettings, cwd: &Path) -> PathBuf {
    match (&settings.persist_to, &settings.config) {
        (Some(dir), _) => dir.clone(),
        (None, Some(config)) => worker_folder(config)
            .unwrap_or(cwd)
            .join(".wrangler")
            .join("state"),
        (None, None) => cwd.join(".wrangler").join("state"),
    }
}

/// Find wrangler: `blog.wrangler.bin`, else `node_modules/.bin/wrangler` here or in a parent,
/// else in the Worker's folder (`blog.wrangler.config`, as when the blog lives beside the
/// Worker rather than in it), else `wrangler` on PATH.
pub fn find_wrangler(
    configured: Option<&WranglerBin>,
    worker_config: Option<&Path>,
    cwd: &Path,
) -> Result<PathBuf> {
    if let Some(bin) = configured {
        let found = if bin.text.contains('/') {
            bin.path.is_file().then(|| bin.path.clone())
        } else {
            which::which(&bin.text).ok()
        };
        return found.ok_or_else(|| {
            DevkitError::failure(format!(
                "wrangler not found: `{}` (blog.wrangler.bin, from {}) is not an executable file",
                bin.text, bin.origin
            ))
            .with_hint("point blog.wrangler.bin at wrangler, or remove it to search node_modules/.bin and PATH")
            .into()
        });
    }
    let worker = worker_config.and_then(worker_folder);
    for dir in cwd
        .ancestors()
        .chain(worker.into_iter().flat_map(Path::ancestors))
    {
        let candidate = dir.join("node_modules").join(".bin").join("wrangler");
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    which::which("wrangler").map_err(|_| {
        let places = match worker {
            Some(w) => format!(
                "not in node_modules/.bin (here, in {} or a parent directory of either) nor on PATH",
                w.display()
            ),
            None => "not in node_modules/.bin (here or in a parent directory) nor on PATH".into(),
        };
        DevkitError::failure(format!("wrangler not found: {places}"))
            .with_hint(
                "install it with `npm install --save-dev wrangler` (in the Worker's folder), or set blog.wrangler.bin",
            )
            .into()
    })
}

/// The KV target: every call is one wrangler process.
pub struct Wrangler {
    program: PathBuf,
    settings: KvSettings,
    /// How many times wrangler ran (the report and the benchmark count them).
    pub invocations: usize,
    scratch: PathBuf,
    files: usize,
}

impl Wrangler {
    pub fn new(program: PathBuf, settings: KvSettings) -> Self {
        let scratch = std::env::temp_dir().join(format!("devkit-blog-{}", std::process::id()));
        Self {
            program,
            settings,
            invocations: 0,
            scratch,
            files: 0,
        }
    }

    /// `--binding X --local --persist-to …`, the same for every command.
    fn namespace_args(&self) -> Vec<OsString> {
        let s = &self.settings;
        let mut args: Vec<OsString> = Vec::new();
        if let Some(binding) = &s.binding {
            args.extend(["--binding".into(), binding.into()]);
        }
        if let Some(id) = &s.namespace_id {
            args.extend(["--namespace-id".into(), id.into()]);
        }
        if let Some(config) = &s.config {
            args.extend(["--config".into(), config_file(config).into()]);
        }
        if let Some(env) = &s.env {
            args.extend(["--env".into(), env.into()]);
        }
        // Always explicit: wrangler 4 quietly picks local state when neither is given.
        args.push(if s.remote { "--remote" } else { "--local" }.into());
        if let (false, Some(dir)) = (s.remote, &s.persist_to) {
            args.extend(["--persist-to".into(), dir.into()]);
        }
        args
    }

    fn run(&mut self, what: &str, args: &[OsString]) -> Result<String> {
        let stdout = self.run_bytes(what, args)?;
        Ok(String::from_utf8_lossy(&stdout).into_owned())
    }

    /// [`Self::run`], stdout as bytes (a KV value may be an image).
    fn run_bytes(&mut self, what: &str, args: &[OsString]) -> Result<Vec<u8>> {
        let mut cmd = Command::new(&self.program);
        cmd.args(args)
            .args(self.namespace_args())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (var, value) in [
            ("WRANGLER_SEND_METRICS", "false"),
            ("CLOUDFLARE_CF_FETCH_ENABLED", "false"),
            ("FORCE_COLOR", "0"),
        ] {
            if std::env::var_os(var).is_none() {
                cmd.env(var, value);
            }
        }
        self.invocations += 1;
        let output = cmd
            .output()
            .with_context(|| format!("cannot run {}", self.program.display()))?;
        if !output.status.success() {
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            let tail = tail(
                if stderr.trim().is_empty() {
                    &stdout
                } else {
                    &stderr
                },
                12,
            );
            let code = output
                .status
                .code()
                .map_or_else(|| "a signal".to_string(), |c| format!("exit code {c}"));
            return Err(
                DevkitError::failure(format!("wrangler {what} failed ({code}):\n{tail}")).into(),
            );
        }
        Ok(output.stdout)
    }

    /// A private temp file holding `json` for wrangler to read; removed when dropped.
    fn json_file(&mut self, json: &[u8]) -> Result<TempFile> {
        std::fs::create_dir_all(&self.scratch)
            .with_context(|| format!("cannot create {}", self.scratch.display()))?;
        self.files += 1;
        let path = self.scratch.join(format!("{}.json", self.files));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        file.write_all(json)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(TempFile(path))
    }

    fn list_prefix(&mut self, prefix: &str) -> Result<Vec<(String, RemoteKey)>> {
        let mut args: Vec<OsString> = vec!["kv".into(), "key".into(), "list".into()];
        if !prefix.is_empty() {
            args.extend(["--prefix".into(), prefix.into()]);
        }
        let stdout = self.run("kv key list", &args)?;
        parse_list(&stdout)
    }

    /// List `prefix`; when the listing comes back capped, list the sub-prefixes the caller
    /// still needs (those holding a wanted key past the cap, or all of them for `every_key`).
    fn list_covering(
        &mut self,
        prefix: &str,
        wanted: &[String],
        every_key: bool,
        out: &mut Remote,
    ) -> Result<()> {
        let keys = self.list_prefix(prefix)?;
        let capped = keys.len() == LOCAL_LIST_CAP;
        let last = keys.last().map(|(k, _)| k.clone());
        out.extend(keys);
        let (true, Some(last)) = (capped, last) else {
            return Ok(());
        };
        // The listing is sorted and complete up to `last`; keys past it are unseen.
        let next = last[prefix.len()..].chars().next();
        for c in SLUG_CHARS.chars() {
            if next.is_some_and(|n| c < n) {
                continue;
            }
            let sub = format!("{prefix}{c}");
            let needed = every_key
                || wanted
                    .iter()
                    .any(|k| k.starts_with(&sub) && k.as_str() > last.as_str());
            if needed {
                self.list_covering(&sub, wanted, every_key, out)?;
            }
        }
        Ok(())
    }

    /// The current values of `keys` (`None` where a key is gone), in one `kv bulk get`.
    fn bulk_get(
        &mut self,
        keys: &[String],
    ) -> Result<std::collections::BTreeMap<String, Option<String>>> {
        let file = self.json_file(&serde_json::to_vec(keys)?)?;
        let args: Vec<OsString> = vec![
            "kv".into(),
            "bulk".into(),
            "get".into(),
            file.0.clone().into(),
        ];
        let stdout = self.run("kv bulk get", &args)?;
        let json = first_json(&stdout).context("wrangler kv bulk get printed no JSON")?;
        let map: std::collections::BTreeMap<String, GotValue> =
            serde_json::from_value(json).context("wrangler kv bulk get printed unexpected JSON")?;
        Ok(map.into_iter().map(|(k, v)| (k, v.value)).collect())
    }
}

#[derive(Deserialize)]
struct GotValue {
    value: Option<String>,
}

#[derive(Serialize)]
struct BulkItem<'a> {
    key: &'a str,
    value: &'a str,
    metadata: Metadata,
}

impl Target for Wrangler {
    fn describe(&self) -> String {
        let s = &self.settings;
        let namespace = match (&s.binding, &s.namespace_id) {
            (Some(b), _) => format!("binding {b}"),
            (None, Some(id)) => format!("namespace {id}"),
            (None, None) => "the namespace".into(),
        };
        if s.remote {
            format!("Cloudflare Workers KV ({namespace}, --remote)")
        } else {
            let place = match &s.persist_to {
                Some(p) => format!(", persisted in {}", p.display()),
                None => format!(
                    ", state in {}",
                    local_state(s, &std::env::current_dir().unwrap_or_default()).display()
                ),
            };
            format!("local Workers KV ({namespace}, --local{place})")
        }
    }

    fn list(&mut self, wanted: &[String], every_key: bool) -> Result<Remote> {
        let mut remote = Remote::new();
        let prefix = self.settings.prefix.clone();
        self.list_covering(&prefix, wanted, every_key, &mut remote)?;
        Ok(remote)
    }

    fn put(&mut self, writes: &[Write]) -> Result<()> {
        let keep: Vec<String> = writes
            .iter()
            .filter(|w| w.value == Value::Keep)
            .map(|w| w.key.clone())
            .collect();
        let kept = if keep.is_empty() {
            Default::default()
        } else {
            self.bulk_get(&keep)?
        };
        let mut items = Vec::with_capacity(writes.len());
        for w in writes {
            let value = match &w.value {
                Value::Body(body) => body.as_str(),
                // Gone since the listing: nothing to flip.
                Value::Keep => match kept.get(&w.key) {
                    Some(Some(v)) => v.as_str(),
                    _ => continue,
                },
            };
            let item = BulkItem {
                key: &w.key,
                value,
                metadata: Metadata::from_record(&w.record),
            };
            items.push(serde_json::to_vec(&item)?);
        }
        for batch in plan::batches(&items, BULK_MAX_PAIRS, BULK_MAX_BYTES, |i| i.len() + 1) {
            let file = self.json_file(&json_array(batch))?;
            let args: Vec<OsString> = vec![
                "kv".into(),
                "bulk".into(),
                "put".into(),
                file.0.clone().into(),
            ];
            self.run("kv bulk put", &args)?;
        }
        Ok(())
    }

    fn delete(&mut self, keys: &[String]) -> Result<()> {
        for batch in plan::batches(keys, BULK_MAX_PAIRS, BULK_MAX_BYTES, |k| k.len() + 3) {
            let file = self.json_file(&serde_json::to_vec(batch)?)?;
            let args: Vec<OsString> = vec![
                "kv".into(),
                "bulk".into(),
                "delete".into(),
                file.0.clone().into(),
                "--force".into(),
            ];
            self.run("kv bulk delete", &args)?;
        }
        Ok(())
    }

    fn requests(&self) -> usize {
        self.invocations
    }
}

/// What `blog pull` reads: every key with its metadata, values in one bulk get, and an
/// asset's bytes (`kv bulk get` decodes values as text, which would corrupt an image).
impl Wrangler {
    /// Every key under the blog's prefix that sorts before devkit's `~` keys, with its metadata,
    /// past local listing's cap.
    pub fn list_posts(&mut self) -> Result<Vec<(String, Option<serde_json::Value>)>> {
        let prefix = self.settings.prefix.clone();
        let mut out = Vec::new();
        self.list_raw_covering(&prefix, &mut out)?;
        out.retain(|(k, _)| !k[prefix.len()..].starts_with('~'));
        Ok(out)
    }

    fn list_raw_covering(
        &mut self,
        prefix: &str,
        out: &mut Vec<(String, Option<serde_json::Value>)>,
    ) -> Result<()> {
        let mut args: Vec<OsString> = vec!["kv".into(), "key".into(), "list".into()];
        if !prefix.is_empty() {
            args.extend(["--prefix".into(), prefix.into()]);
        }
        let stdout = self.run("kv key list", &args)?;
        let keys = parse_raw_list(&stdout)?;
        let capped = keys.len() == LOCAL_LIST_CAP;
        let last = keys.last().map(|(k, _)| k.clone());
        out.extend(keys);
        let (true, Some(last)) = (capped, last) else {
            return Ok(());
        };
        // Sorted and complete up to `last`: list the slug characters past it (never `~`).
        let next = last[prefix.len()..].chars().next();
        for c in SLUG_CHARS.chars() {
            if next.is_some_and(|n| c < n) {
                continue;
            }
            let sub = format!("{prefix}{c}");
            let before = out.len();
            self.list_raw_covering(&sub, out)?;
            // The sub-listing repeats the keys up to `last`: keep only those past it.
            let fresh: Vec<_> = out
                .split_off(before)
                .into_iter()
                .filter(|(k, _)| k.as_str() > last.as_str())
                .collect();
            out.extend(fresh);
        }
        Ok(())
    }

    /// The values of `keys` (as text; `None` where a key is gone), in one `kv bulk get`.
    pub fn get_values(
        &mut self,
        keys: &[String],
    ) -> Result<std::collections::BTreeMap<String, Option<String>>> {
        if keys.is_empty() {
            return Ok(Default::default());
        }
        let file = self.json_file(&serde_json::to_vec(keys)?)?;
        let args: Vec<OsString> = vec![
            "kv".into(),
            "bulk".into(),
            "get".into(),
            file.0.clone().into(),
        ];
        let stdout = self.run("kv bulk get", &args)?;
        let json = first_json(&stdout).context("wrangler kv bulk get printed no JSON")?;
        // Local state answers `{"key": {"value": …}}`, Cloudflare's API `{"key": …}`.
        let map: std::collections::BTreeMap<String, serde_json::Value> =
            serde_json::from_value(json).context("wrangler kv bulk get printed unexpected JSON")?;
        Ok(map
            .into_iter()
            .map(|(k, v)| {
                let value = match v {
                    serde_json::Value::Object(mut o) => o.remove("value"),
                    other => Some(other),
                };
                let text = match value {
                    Some(serde_json::Value::String(s)) => Some(s),
                    Some(serde_json::Value::Null) | None => None,
                    Some(other) => Some(other.to_string()),
                };
                (k, text)
            })
            .collect())
    }

    /// One key's bytes exactly (`kv key get` writes them raw); `None` when it is missing.
    pub fn get_bytes(&mut self, key: &str) -> Result<Option<Vec<u8>>> {
        let args: Vec<OsString> = vec!["kv".into(), "key".into(), "get".into(), key.into()];
        let stdout = self.run_bytes("kv key get", &args)?;
        // wrangler prints this line (exit 0) for a missing key.
        Ok((stdout != b"Value not found\n").then_some(stdout))
    }
}

/// `wrangler kv key list` output with each key's metadata as it is.
fn parse_raw_list(stdout: &str) -> Result<Vec<(String, Option<serde_json::Value>)>> {
    #[derive(Deserialize)]
    struct Listed {
        name: String,
        #[serde(default)]
        metadata: Option<serde_json::Value>,
    }
    let json = first_json(stdout).context("wrangler kv key list printed no JSON")?;
    let listed: Vec<Listed> =
        serde_json::from_value(json).context("wrangler kv key list printed unexpected JSON")?;
    Ok(listed.into_iter().map(|l| (l.name, l.metadata)).collect())
}

impl Drop for Wrangler {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir(&self.scratch);
    }
}

struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `wrangler kv key list` output: `[{"name": …, "metadata": {…}}, …]`.
fn parse_list(stdout: &str) -> Result<Vec<(String, RemoteKey)>> {
    #[derive(Deserialize)]
    struct Listed {
        name: String,
        #[serde(default)]
        metadata: Option<serde_json::Value>,
    }
    let json = first_json(stdout).context("wrangler kv key list printed no JSON")?;
    let listed: Vec<Listed> =
        serde_json::from_value(json).context("wrangler kv key list printed unexpected JSON")?;
    Ok(listed
        .into_iter()
        .map(|l| {
            let key = l
                .metadata
                .as_ref()
                .and_then(Metadata::parse)
                .map_or(RemoteKey::Foreign, RemoteKey::Devkit);
            (l.name, key)
        })
        .collect())
}

/// The first JSON value in wrangler's stdout (it may print a banner before, or `Success!` after).
fn first_json(stdout: &str) -> Option<serde_json::Value> {
    let start = stdout
        .match_indices(['[', '{'])
        .map(|(i, _)| i)
        .find(|i| *i == 0 || stdout[..*i].ends_with('\n'))?;
    let mut values = serde_json::Deserializer::from_str(&stdout[start..]).into_iter();
    values.next()?.ok()
}

/// The last `n` non-empty lines, without terminal escapes.
fn tail(text: &str, n: usize) -> String {
    let clean = strip_ansi(text);
    let lines: Vec<&str> = clean.lines().filter(|l| !l.trim().is_empty()).collect();
    let start = lines.len().saturating_sub(n);
    lines[start..]
        .iter()
        .map(|l| format!("  {}", l.trim_end()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_round_trips_and_marks_devkit() {
        let record = Record {
            hash: "ab".into(),
            title: "T".into(),
            status: Status::Unlisted,
            date: "2025-01-01".into(),
            staged_at: Some("2026-01-01T00:00:00Z".parse().unwrap()),
        };
        let json = serde_json::to_value(Metadata::from_record(&record)).unwrap();
        assert_eq!(json["devkit"], 1);
        assert_eq!(json["staged_at"], "2026-01-01T00:00:00Z");
        assert_eq!(Metadata::parse(&json), Some(record));
        assert_eq!(
            Metadata::parse(&serde_json::json!({"title": "x", "status": "published"})),
            None
        );
    }

    #[test]
    fn kv_limits_are_checked() {
        let post = |slug: &str, title: &str, body: &str| Post {
            path: "posts/a.md".into(),
            slug: slug.into(),
            title: title.into(),
            date: "2025-01-01".parse().unwrap(),
            status: Status::Draft,
            body: body.into(),
            hash: "h".repeat(64),
            ..Post::test_defaults()
        };
        assert!(limits("pre", &post("a", "A", "")).is_empty());
        let text = limits("pre", &post(&"a".repeat(510), &"T".repeat(900), "")).join("\n");
        assert!(
            text.contains("KV key (prefix + slug) is 513 bytes"),
            "{text}"
        );
        assert!(text.contains("KV metadata would be 1"), "{text}");
        let big = limits("", &post("a", "A", &"x".repeat(MAX_VALUE_BYTES + 1)));
        assert!(big[0].contains("25 MiB"), "{big:?}");
    }

    #[test]
    fn list_output_is_parsed_with_foreign_keys() {
        let out = r#"[
  {"name": "a", "metadata": {"devkit": 1, "hash": "h", "title": "A", "status": "published", "date": "2025-01-01"}},
  {"name": "b"},
  {"name": "c", "metadata": {"status": "published"}}
]"#;
        let parsed = parse_list(out).unwrap();
        assert!(matches!(parsed[0].1, RemoteKey::Devkit(_)));
        assert_eq!(parsed[1].1, RemoteKey::Foreign);
        assert_eq!(parsed[2].1, RemoteKey::Foreign);
    }

    #[test]
    fn json_is_found_after_a_banner_and_before_trailing_text() {
        let out = "\n ⛅️ wrangler 4.86.0\n{\n  \"a\": {\"value\": \"x\"}\n}\n\nSuccess!\n";
        assert_eq!(first_json(out).unwrap()["a"]["value"], "x");
        assert!(first_json("no json here").is_none());
    }

    fn settings(remote: bool) -> KvSettings {
        KvSettings {
            wrangler: None,
            binding: Some("POSTS".into()),
            namespace_id: None,
            config: Some("site/wrangler.jsonc".into()),
            env: Some("production".into()),
            persist_to: Some("state".into()),
            remote,
            prefix: String::new(),
        }
    }

    #[test]
    fn local_or_remote_is_always_explicit() {
        let args = |remote| {
            Wrangler::new("wrangler".into(), settings(remote))
                .namespace_args()
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            args(false),
            "--binding POSTS --config site/wrangler.jsonc --env production --local --persist-to state"
        );
        assert_eq!(
            args(true),
            "--binding POSTS --config site/wrangler.jsonc --env production --remote"
        );
    }

    #[test]
    fn tails_drop_escapes_and_blank_lines() {
        let text = "one\n\n\u{1b}[31mtwo\u{1b}[0m\nthree\n";
        assert_eq!(tail(text, 2), "  two\n  three");
    }
}
