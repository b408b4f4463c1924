//! Workers KV through wrangler: finding wrangler, the metadata format devkit writes, and one
//! wrangler process per list, bulk put, bulk get or bulk delete.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::page::Page;
use super::plan::{self, AssetWrite, Record, Remote, RemoteKey, Value, Write};
use super::post::{Post, Status};
use super::target::{Target, json_array};
use crate::config::Origin;
use crate::error::DevkitError;
use crate::output::Printer;

/// A listed key and its metadata as wrangler printed it.
pub type Listed = (String, Option<serde_json::Value>);

/// Values read by `kv bulk get`, as text per key (`None` where a key is gone).
pub type Values = BTreeMap<String, Option<String>>;

/// The marker devkit puts in every key's metadata, with the storage format's version.
pub const MARKER: &str = "devkit";

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
/// The characters an asset name starts with (a SHA-256 in hex).
const HEX_CHARS: &str = "0123456789abcdef";

/// A post key's metadata as devkit writes it (documented in docs/BLOG.md). Format 1 had
/// the same fields up to `date`; `excerpt`, `tags` and `updated` came with format 2.
#[derive(Debug, Serialize, Deserialize)]
pub struct Metadata {
    pub devkit: u64,
    pub hash: String,
    pub title: String,
    pub status: String,
    pub date: String,
    #[serde(default)]
    pub excerpt: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staged_at: Option<String>,
}

impl Metadata {
    pub fn from_record(record: &Record) -> Self {
        Self {
            // A format-1 key only changing status (staged prune) keeps its format.
            devkit: record.format,
            hash: record.hash.clone(),
            title: record.title.clone(),
            status: record.status.as_str().to_string(),
            date: record.date.clone(),
            excerpt: record.excerpt.clone(),
            tags: record.tags.clone(),
            updated: record.updated.clone(),
            staged_at: record.staged_at.map(|t| t.to_string()),
        }
    }

    /// A record when the metadata is devkit's (format 1 or 2); `None` for anything else.
    pub fn parse(value: &serde_json::Value) -> Option<Record> {
        let format = value.get(MARKER).and_then(serde_json::Value::as_u64)?;
        if !(1..=plan::FORMAT).contains(&format) {
            return None;
        }
        let meta: Metadata = serde_json::from_value(value.clone()).ok()?;
        Some(Record {
            format,
            hash: meta.hash,
            title: meta.title,
            status: Status::parse(&meta.status)?,
            date: meta.date,
            excerpt: meta.excerpt,
            tags: meta.tags,
            updated: meta.updated,
            staged_at: match meta.staged_at {
                Some(text) => Some(text.parse().ok()?),
                None => None,
            },
        })
    }

    /// The largest metadata `record` can need (published, or staged), in bytes of JSON.
    pub fn max_len(record: &Record) -> usize {
        let mut worst = Metadata::from_record(record);
        worst.status = "published".into();
        worst.staged_at = Some("2026-01-01T00:00:00.123456789Z".into());
        serde_json::to_vec(&worst).map_or(usize::MAX, |v| v.len())
    }
}

/// The metadata of a `~source/` or `~assets/` key.
#[derive(Debug, Serialize, Deserialize)]
struct SideMetadata {
    devkit: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bytes: Option<usize>,
    /// `base64` when the value is the file in base64 text (local state; see `put`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    encoding: Option<String>,
}

/// What KV cannot hold of a post whose key is `prefix` + slug (before rendering): one
/// message per problem. The metadata and values are checked on the page (`page_limits`).
pub fn limits(prefix: &str, post: &Post) -> Vec<String> {
    let mut problems = Vec::new();
    let key_len = prefix.len() + plan::SOURCE.len() + post.slug.len();
    if key_len > MAX_KEY_BYTES {
        problems.push(format!(
            "the KV key of its source (prefix + `{}` + slug) is {key_len} bytes; KV allows at most {MAX_KEY_BYTES}",
            plan::SOURCE
        ));
    }
    problems
}

/// What KV cannot hold of a rendered page: its HTML and its source are a value each.
pub fn page_limits(page: &Page) -> Vec<String> {
    let mut problems = Vec::new();
    for (what, len) in [
        ("rendered HTML", page.html.len()),
        ("source record", page.source.len()),
    ] {
        if len > MAX_VALUE_BYTES {
            problems.push(format!(
                "the {what} is {len} bytes; a KV value holds at most {MAX_VALUE_BYTES} (25 MiB)"
            ));
        }
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

/// The file names wrangler 4 looks for, in its order.
pub const CONFIG_FILE_NAMES: &[&str] = &["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

/// The config file wrangler gets (`--config`): `blog.wrangler.config` as written, or, when it
/// names a folder, the wrangler config inside it (wrangler wants a file).
pub fn config_file(config: &Path) -> PathBuf {
    if config.is_dir() {
        for name in CONFIG_FILE_NAMES {
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
    /// The last `list` saw every `~assets/` key (it was not capped before them).
    saw_assets: bool,
}

impl Wrangler {
    /// The wrangler these settings lead to ([`find_wrangler`]), ready to run; `-v` names it.
    pub fn locate(settings: &KvSettings, cwd: &Path, printer: &Printer) -> Result<Self> {
        let program = find_wrangler(settings.wrangler.as_ref(), settings.config.as_deref(), cwd)?;
        printer.verbose(1, format!("wrangler: {}", program.display()));
        Ok(Self::new(program, settings.clone()))
    }

    pub fn new(program: PathBuf, settings: KvSettings) -> Self {
        let scratch = std::env::temp_dir().join(format!("devkit-blog-{}", std::process::id()));
        Self {
            program,
            settings,
            invocations: 0,
            scratch,
            files: 0,
            saw_assets: true,
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
        let cmd = self.command(args);
        self.finish(what, cmd)
    }

    /// wrangler with `args` and the namespace's flags, counted as one invocation.
    fn command(&mut self, args: &[OsString]) -> Command {
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
        cmd
    }

    /// Run `cmd`; its stdout, or the error naming `what` failed.
    fn finish(&self, what: &str, mut cmd: Command) -> Result<Vec<u8>> {
        checked(&self.program, what, cmd.output())
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
}

#[derive(Serialize)]
struct BulkItem<'a> {
    key: &'a str,
    value: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    base64: bool,
    metadata: serde_json::Value,
}

impl Target for Wrangler {
    fn foreign_values(&mut self, keys: &[String]) -> Result<Values> {
        self.get_values(keys)
    }

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
        let prefix = self.settings.prefix.clone();
        // Past the cap, only the sub-prefixes that may hold a wanted key (or, for
        // `every_key`, all of them).
        let needed = |sub: &str, last: &str| {
            every_key
                || wanted
                    .iter()
                    .any(|k| k.starts_with(sub) && k.as_str() > last)
        };
        let (keys, capped) = self.list_covering(&prefix, SLUG_CHARS, &needed)?;
        let mut remote = classify(&self.settings.prefix, keys);
        // devkit's `~` keys sort after every post key: a capped listing may have missed them.
        self.saw_assets = !capped;
        if capped && every_key {
            let sources = format!("{prefix}{}", plan::SOURCE);
            let (keys, _) = self.list_covering(&sources, SLUG_CHARS, &|_, _| true)?;
            remote.extend(classify(&self.settings.prefix, keys));
            remote.extend(self.list_assets()?);
        }
        Ok(remote)
    }

    fn saw_every_asset(&self) -> bool {
        self.saw_assets
    }

    fn list_assets(&mut self) -> Result<Remote> {
        let prefix = format!("{}{}", self.settings.prefix, plan::ASSETS);
        let (keys, _) = self.list_covering(&prefix, HEX_CHARS, &|_, _| true)?;
        self.saw_assets = true;
        Ok(classify(&self.settings.prefix, keys))
    }

    fn put(&mut self, writes: &[Write], assets: &[AssetWrite]) -> Result<()> {
        let keep: Vec<String> = writes
            .iter()
            .filter(|w| w.value == Value::Keep)
            .map(|w| w.key.clone())
            .collect();
        let kept = self.get_values(&keep)?;
        let mut items = Vec::with_capacity(assets.len() + 2 * writes.len());
        // Files first: no page in this request links one that is not written before it.
        for a in assets {
            let value =
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &a.bytes);
            // wrangler 4.86's local `kv bulk put` decodes a base64 item into a UTF-8 string
            // (`Buffer.from(v, "base64").toString()`), mangling every non-UTF-8 byte. Local
            // state therefore keeps the base64 text, marked `encoding: base64` for the reader.
            let remote = self.settings.remote;
            items.push(serde_json::to_vec(&BulkItem {
                key: &a.key,
                value: &value,
                base64: remote,
                metadata: serde_json::to_value(SideMetadata {
                    devkit: plan::FORMAT,
                    hash: None,
                    content_type: Some(a.content_type.clone()),
                    bytes: Some(a.bytes.len()),
                    encoding: (!remote).then(|| "base64".to_string()),
                })?,
            })?);
        }
        for w in writes {
            let value = match &w.value {
                Value::Page { html, source, .. } => {
                    let slug = w.key.strip_prefix(&self.settings.prefix).unwrap_or(&w.key);
                    items.push(serde_json::to_vec(&BulkItem {
                        key: &format!("{}{}{slug}", self.settings.prefix, plan::SOURCE),
                        value: source,
                        base64: false,
                        metadata: serde_json::to_value(SideMetadata {
                            devkit: plan::FORMAT,
                            hash: Some(w.record.hash.clone()),
                            content_type: None,
                            bytes: None,
                            encoding: None,
                        })?,
                    })?);
                    html.as_str()
                }
                // Gone since the listing: nothing to flip.
                Value::Keep => match kept.get(&w.key) {
                    Some(Some(v)) => v.as_str(),
                    _ => continue,
                },
            };
            let item = BulkItem {
                key: &w.key,
                value,
                base64: false,
                metadata: serde_json::to_value(Metadata::from_record(&w.record))?,
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
    /// Every key under the blog's prefix that sorts before devkit's `~` keys, with its metadata
    /// (past local listing's cap), and the values of the keys `keys_of` names for them.
    ///
    /// When the first listing is capped, the bulk get of what it names runs at the same time
    /// as the listings of the rest (one more wrangler process beside it, not after it); keys
    /// found there get one more bulk get.
    pub fn list_posts_and_get(
        &mut self,
        keys_of: &mut dyn FnMut(&[Listed]) -> Vec<String>,
    ) -> Result<(Vec<Listed>, Values)> {
        let prefix = self.settings.prefix.clone();
        let is_post = |key: &str| !key[prefix.len()..].starts_with('~');
        let (mut listed, capped) = self.list_raw(&prefix)?;
        let last = listed.last().map(|(k, _)| k.clone());
        listed.retain(|(k, _)| is_post(k));
        let keys = keys_of(&listed);
        let (true, Some(last)) = (capped, last) else {
            let values = self.get_values(&keys)?;
            return Ok((listed, values));
        };
        let (mut values, rest) = if keys.is_empty() {
            (
                BTreeMap::new(),
                self.list_after(&prefix, &last, SLUG_CHARS, &|_, _| true)?,
            )
        } else {
            let (mut get, _file) = self.bulk_get_command(&keys)?;
            let program = self.program.clone();
            let (got, rest) = std::thread::scope(|scope| {
                let getting = scope.spawn(move || get.output());
                let rest = self.list_after(&prefix, &last, SLUG_CHARS, &|_, _| true);
                (getting.join(), rest)
            });
            let got = got.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let stdout = checked(&program, "kv bulk get", got)?;
            (parse_bulk_get_output(&stdout)?, rest?)
        };
        let rest: Vec<Listed> = rest.into_iter().filter(|(k, _)| is_post(k)).collect();
        values.extend(self.get_values(&keys_of(&rest))?);
        listed.extend(rest);
        Ok((listed, values))
    }

    /// One `kv key list` under `prefix`, and whether it stopped at local listing's cap.
    fn list_raw(&mut self, prefix: &str) -> Result<(Vec<Listed>, bool)> {
        let mut args: Vec<OsString> = vec!["kv".into(), "key".into(), "list".into()];
        if !prefix.is_empty() {
            args.extend(["--prefix".into(), prefix.into()]);
        }
        let stdout = self.run("kv key list", &args)?;
        let keys = parse_raw_list(&stdout)?;
        let capped = keys.len() == LOCAL_LIST_CAP;
        Ok((keys, capped))
    }

    /// The keys under `prefix`, and whether its own listing came back capped; past the cap,
    /// the sub-prefixes `needed(sub, last)` asks for. `chars` are the characters a key may have
    /// after `prefix`, in key order.
    fn list_covering(
        &mut self,
        prefix: &str,
        chars: &str,
        needed: &dyn Fn(&str, &str) -> bool,
    ) -> Result<(Vec<Listed>, bool)> {
        let (mut keys, capped) = self.list_raw(prefix)?;
        if let (true, Some(last)) = (capped, keys.last().map(|(k, _)| k.clone())) {
            keys.extend(self.list_after(prefix, &last, chars, needed)?);
        }
        Ok((keys, capped))
    }

    /// The keys under `prefix` past `last`, where a capped listing stopped. The listing is
    /// sorted and complete up to `last`, so only the characters from `last`'s own on are
    /// listed, each where `needed` says a key may hide.
    fn list_after(
        &mut self,
        prefix: &str,
        last: &str,
        chars: &str,
        needed: &dyn Fn(&str, &str) -> bool,
    ) -> Result<Vec<Listed>> {
        let next = last[prefix.len()..].chars().next();
        let mut out = Vec::new();
        for c in chars.chars() {
            let sub = format!("{prefix}{c}");
            if next.is_some_and(|n| c < n) || !needed(&sub, last) {
                continue;
            }
            // The sub-listing repeats the keys up to `last`: keep only those past it.
            let (keys, _) = self.list_covering(&sub, chars, needed)?;
            out.extend(keys.into_iter().filter(|(k, _)| k.as_str() > last));
        }
        Ok(out)
    }

    /// The values of `keys` (as text; `None` where a key is gone), in one `kv bulk get`.
    pub fn get_values(&mut self, keys: &[String]) -> Result<Values> {
        if keys.is_empty() {
            return Ok(Default::default());
        }
        let (get, _file) = self.bulk_get_command(keys)?;
        let stdout = self.finish("kv bulk get", get)?;
        parse_bulk_get_output(&stdout)
    }

    /// The `kv bulk get` of `keys`, and the file it reads them from (keep it until it ran).
    fn bulk_get_command(&mut self, keys: &[String]) -> Result<(Command, TempFile)> {
        let file = self.json_file(&serde_json::to_vec(keys)?)?;
        let args: Vec<OsString> = vec![
            "kv".into(),
            "bulk".into(),
            "get".into(),
            file.0.clone().into(),
        ];
        Ok((self.command(&args), file))
    }

    /// One key's bytes exactly (`kv key get` writes them raw); `None` when it is missing.
    pub fn get_bytes(&mut self, key: &str) -> Result<Option<Vec<u8>>> {
        let args: Vec<OsString> = vec!["kv".into(), "key".into(), "get".into(), key.into()];
        let stdout = self.run_bytes("kv key get", &args)?;
        // wrangler prints this line (exit 0) for a missing key.
        Ok((stdout != b"Value not found\n").then_some(stdout))
    }
}

/// A finished wrangler's stdout, or the error that says what failed and the tail of what it
/// printed.
fn checked(
    program: &Path,
    what: &str,
    output: std::io::Result<std::process::Output>,
) -> Result<Vec<u8>> {
    let output = output.with_context(|| format!("cannot run {}", program.display()))?;
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

/// What `wrangler kv bulk get` printed, as text per key.
fn parse_bulk_get_output(stdout: &[u8]) -> Result<Values> {
    let json = first_json(&String::from_utf8_lossy(stdout))
        .context("wrangler kv bulk get printed no JSON")?;
    parse_bulk_get(json)
}

/// `wrangler kv bulk get` output as text per key (`None` where a key is gone). Local state
/// answers `{"key": {"value": …}}`, Cloudflare's API `{"key": …}`.
fn parse_bulk_get(json: serde_json::Value) -> Result<Values> {
    let map: BTreeMap<String, serde_json::Value> =
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

/// `wrangler kv key list` output with each key's metadata as it is.
fn parse_raw_list(stdout: &str) -> Result<Vec<Listed>> {
    #[derive(Deserialize)]
    struct Entry {
        name: String,
        #[serde(default)]
        metadata: Option<serde_json::Value>,
    }
    let json = first_json(stdout).context("wrangler kv key list printed no JSON")?;
    let listed: Vec<Entry> =
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

/// Listed keys under `prefix` as the plan sees them.
fn classify(prefix: &str, keys: Vec<Listed>) -> Remote {
    keys.into_iter()
        .map(|(name, metadata)| {
            let key = remote_key(prefix, &name, metadata.as_ref());
            (name, key)
        })
        .collect()
}

/// What a listed key is to the plan: devkit's asset or source record, a post devkit wrote
/// (its metadata), or a foreign key.
fn remote_key(prefix: &str, name: &str, metadata: Option<&serde_json::Value>) -> RemoteKey {
    let rest = name.strip_prefix(prefix).unwrap_or(name);
    let ours = metadata
        .and_then(|m| m.get(MARKER))
        .and_then(serde_json::Value::as_u64)
        == Some(plan::FORMAT);
    if rest.starts_with(plan::ASSETS) && ours {
        RemoteKey::Asset
    } else if rest.starts_with(plan::SOURCE) && ours {
        RemoteKey::Source
    } else {
        metadata
            .and_then(Metadata::parse)
            .map_or(RemoteKey::Foreign, RemoteKey::Devkit)
    }
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

    fn record(format: u64) -> Record {
        Record {
            format,
            hash: "ab".into(),
            title: "T".into(),
            status: Status::Unlisted,
            date: "2025-01-01".into(),
            excerpt: "An excerpt".into(),
            tags: vec!["rust".into()],
            updated: Some("2025-02-01".into()),
            staged_at: Some("2026-01-01T00:00:00Z".parse().unwrap()),
        }
    }

    #[test]
    fn metadata_round_trips_and_marks_devkit() {
        let record = record(plan::FORMAT);
        let json = serde_json::to_value(Metadata::from_record(&record)).unwrap();
        assert_eq!(json["devkit"], 2);
        assert_eq!(json["staged_at"], "2026-01-01T00:00:00Z");
        assert_eq!(json["tags"], serde_json::json!(["rust"]));
        assert_eq!(json["excerpt"], "An excerpt");
        assert_eq!(Metadata::parse(&json), Some(record));
        assert_eq!(
            Metadata::parse(&serde_json::json!({"title": "x", "status": "published"})),
            None
        );
        // Format 1 (no excerpt, tags) is still devkit's, read as format 1.
        let old = Metadata::parse(&serde_json::json!({"devkit": 1, "hash": "h", "title": "A",
            "status": "published", "date": "2025-01-01"}))
        .unwrap();
        assert_eq!(old.format, 1);
        assert!(
            Metadata::parse(&serde_json::json!({"devkit": 3, "hash": "h", "title": "A",
            "status": "published", "date": "2025-01-01"}))
            .is_none()
        );
    }

    #[test]
    fn kv_limits_are_checked() {
        let post = |slug: &str| Post {
            slug: slug.into(),
            ..Post::test_defaults()
        };
        assert!(limits("pre", &post("a")).is_empty());
        let text = limits("pre", &post(&"a".repeat(502))).join("\n");
        assert!(text.contains("is 513 bytes"), "{text}");
        let mut r = record(2);
        assert!(Metadata::max_len(&r) < MAX_METADATA_BYTES);
        r.excerpt = "x".repeat(1000);
        assert!(Metadata::max_len(&r) > MAX_METADATA_BYTES);
        let page = Page {
            html: "x".repeat(MAX_VALUE_BYTES + 1),
            source: String::new(),
            excerpt: String::new(),
            tags: Vec::new(),
            updated: None,
        };
        let big = page_limits(&page);
        assert!(
            big[0].contains("rendered HTML") && big[0].contains("25 MiB"),
            "{big:?}"
        );
    }

    #[test]
    fn list_output_is_parsed_with_foreign_keys_and_devkits_side_keys() {
        let out = r#"[
  {"name": "p/a", "metadata": {"devkit": 1, "hash": "h", "title": "A", "status": "published", "date": "2025-01-01"}},
  {"name": "p/b"},
  {"name": "p/c", "metadata": {"status": "published"}},
  {"name": "p/~assets/ab.png", "metadata": {"devkit": 2, "content_type": "image/png", "bytes": 3}},
  {"name": "p/~source/a", "metadata": {"devkit": 2, "hash": "h"}},
  {"name": "p/~assets/cd.png"}
]"#;
        let parsed = classify("p/", parse_raw_list(out).unwrap());
        assert_eq!(parsed.len(), 6);
        assert!(matches!(parsed["p/a"], RemoteKey::Devkit(_)));
        assert_eq!(parsed["p/b"], RemoteKey::Foreign);
        assert_eq!(parsed["p/c"], RemoteKey::Foreign);
        assert_eq!(parsed["p/~assets/ab.png"], RemoteKey::Asset);
        assert_eq!(parsed["p/~source/a"], RemoteKey::Source);
        assert_eq!(parsed["p/~assets/cd.png"], RemoteKey::Foreign);
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

    #[test]
    fn bulk_get_reads_local_and_cloudflare_answers() {
        let local = serde_json::json!({"a": {"value": "A"}, "gone": {"value": null}});
        let remote = serde_json::json!({"a": "A", "gone": null});
        for answer in [local, remote] {
            let got = parse_bulk_get(answer).unwrap();
            assert_eq!(got["a"].as_deref(), Some("A"));
            assert_eq!(got["gone"], None);
        }
    }
}
