//! Workers KV through wrangler: finding wrangler, the metadata format devkit writes, and one
//! wrangler process per list, bulk put, bulk get or bulk delete.

mod codec;
mod list;
mod local;
mod read;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::commands::blog::assets::Limit;
use crate::commands::blog::model::{ASSETS, Entry, FORMAT, Metadata, SOURCE, STAGED, Staged};
use codec::{BulkItem, SideMetadata, classify, parse_bulk_get_output};

use super::wrangler;
use crate::commands::blog::plan::{AssetWrite, Phase, Remote, RemoteKey, Value, Write};
use crate::commands::blog::store::{Assets, Consistency, Limits, Store, batches, json_array};
use crate::config::Origin;
use crate::error::DevkitError;
use crate::output::Printer;

/// A listed key and its metadata as wrangler printed it.
pub type Listed = (String, Option<serde_json::Value>);

/// Values read by `kv bulk get`, as text per key (`None` where a key is gone).
pub type Values = BTreeMap<String, Option<String>>;

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

/// KV's limits, for keys under `prefix`.
pub fn limits(prefix: &str) -> Limits {
    Limits {
        consistency: Consistency::Eventual,
        key_prefix: prefix.to_string(),
        max_key_bytes: Some(MAX_KEY_BYTES),
        max_value_bytes: Some(MAX_VALUE_BYTES),
        max_metadata_bytes: Some(MAX_METADATA_BYTES),
        max_row_bytes: None,
        nul_free_text: false,
        asset: Limit {
            bytes: MAX_VALUE_BYTES,
            what: "a KV value (25 MiB)",
        },
        batch_items: BULK_MAX_PAIRS,
        batch_bytes: BULK_MAX_BYTES,
    }
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
    /// Where to say that a busy local state is waited for.
    printer: Printer,
}

impl Wrangler {
    /// The wrangler these settings lead to ([`find_wrangler`]), ready to run; `-v` names it.
    pub fn locate(settings: &KvSettings, cwd: &Path, printer: &Printer) -> Result<Self> {
        let program = find_wrangler(settings.wrangler.as_ref(), settings.config.as_deref(), cwd)?;
        printer.verbose(1, format!("wrangler: {}", program.display()));
        Ok(Self::new(program, settings.clone(), printer.clone()))
    }

    pub fn new(program: PathBuf, settings: KvSettings, printer: Printer) -> Self {
        let scratch = std::env::temp_dir().join(format!("devkit-blog-{}", std::process::id()));
        Self {
            program,
            settings,
            invocations: 0,
            scratch,
            files: 0,
            saw_assets: true,
            printer,
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

    /// [`Self::run`], stdout as bytes (a KV value may be an image); a busy local state is
    /// waited for.
    fn run_bytes(&mut self, what: &str, args: &[OsString]) -> Result<Vec<u8>> {
        let program = self.program.clone();
        let printer = self.printer.clone();
        wrangler::run_waiting(&program, what, &printer, &mut || Ok(self.command(args)))
    }

    /// wrangler with `args` and the namespace's flags, counted as one invocation.
    fn command(&mut self, args: &[OsString]) -> Command {
        let mut cmd = wrangler::command(&self.program);
        cmd.args(args).args(self.namespace_args());
        self.invocations += 1;
        cmd
    }

    /// `kv bulk VERB FILE`, the file holding `json` (keep it until wrangler has run).
    fn bulk_args(&mut self, verb: &str, json: &[u8]) -> Result<(Vec<OsString>, TempFile)> {
        let file = self.json_file(json)?;
        let args = vec![
            "kv".into(),
            "bulk".into(),
            verb.into(),
            file.0.clone().into(),
        ];
        Ok((args, file))
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

impl Store for Wrangler {
    fn foreign_values(&mut self, keys: &[String]) -> Result<Values> {
        self.get_values(keys)
    }

    fn limits(&self) -> Limits {
        limits(&self.settings.prefix)
    }

    fn apply(&mut self, phase: &Phase) -> Result<()> {
        match phase {
            Phase::Put {
                writes,
                assets,
                staged,
                ..
            } => self.put(writes, assets, staged.as_ref()),
            Phase::Delete { keys } => self.delete(keys),
            Phase::Batch {
                writes,
                assets,
                deletes,
            } => {
                self.put(writes, assets, None)?;
                self.delete(deletes)
            }
            Phase::Wait { mark: None, .. } => Ok(()),
            Phase::Wait {
                mark: Some(mark), ..
            } => self.put(&[], &[], Some(&mark.stamped(jiff::Timestamp::now()))),
        }
    }

    fn entries(&mut self, skip: &dyn Fn(&str) -> bool) -> Result<Vec<Entry>> {
        read::entries(self, skip)
    }

    fn assets(&mut self, names: &[String]) -> Result<Assets> {
        read::assets(self, names)
    }

    fn requests_phrase(&self) -> String {
        let n = self.invocations;
        format!("wrangler ran {n} time{}", if n == 1 { "" } else { "s" })
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
            let sources = format!("{prefix}{}", SOURCE);
            let (keys, _) = self.list_covering(&sources, SLUG_CHARS, &|_, _| true)?;
            remote.extend(classify(&self.settings.prefix, keys));
            remote.extend(self.list_assets()?);
        }
        let staged = format!("{prefix}{STAGED}");
        if capped && wanted.contains(&staged) {
            let (keys, _) = self.list_raw(&staged)?;
            remote.extend(classify(&prefix, keys));
        }
        // A stopped staged push left its record: what it says is in the value.
        if let Some(RemoteKey::Staged(_)) = remote.get(&staged) {
            let value = self.get_values(std::slice::from_ref(&staged))?;
            let record = value
                .get(&staged)
                .and_then(|v| v.as_deref())
                .and_then(|v| serde_json::from_str(v).ok())
                .unwrap_or_default();
            remote.insert(staged, RemoteKey::Staged(record));
        }
        Ok(remote)
    }

    fn saw_every_asset(&self) -> bool {
        self.saw_assets
    }

    fn list_assets(&mut self) -> Result<Remote> {
        let prefix = format!("{}{}", self.settings.prefix, ASSETS);
        let (keys, _) = self.list_covering(&prefix, HEX_CHARS, &|_, _| true)?;
        self.saw_assets = true;
        Ok(classify(&self.settings.prefix, keys))
    }

    fn requests(&self) -> usize {
        self.invocations
    }
}

/// Writes.
impl Wrangler {
    /// Write these files and keys (values and records); the files first.
    /// `staged`, when given, goes first: it says what the files are for.
    fn put(
        &mut self,
        writes: &[Write],
        assets: &[AssetWrite],
        staged: Option<&Staged>,
    ) -> Result<()> {
        let keep: Vec<String> = writes
            .iter()
            .filter(|w| w.value == Value::Keep)
            .map(|w| w.key.clone())
            .collect();
        let kept = self.get_values(&keep)?;
        let mut items = Vec::with_capacity(assets.len() + 2 * writes.len() + 1);
        if let Some(staged) = staged {
            let key = format!("{}{STAGED}", self.settings.prefix);
            items.push(codec::staged_item(&key, staged)?);
        }
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
                    devkit: FORMAT,
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
                        key: &format!("{}{}{slug}", self.settings.prefix, SOURCE),
                        value: source,
                        base64: false,
                        metadata: serde_json::to_value(SideMetadata {
                            devkit: FORMAT,
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
        for batch in batches(&items, BULK_MAX_PAIRS, BULK_MAX_BYTES, |i| i.len() + 1) {
            let (args, _file) = self.bulk_args("put", &json_array(batch))?;
            self.run("kv bulk put", &args)?;
        }
        Ok(())
    }

    /// Delete these keys.
    fn delete(&mut self, keys: &[String]) -> Result<()> {
        for batch in batches(keys, BULK_MAX_PAIRS, BULK_MAX_BYTES, |k| k.len() + 3) {
            let (mut args, _file) = self.bulk_args("delete", &serde_json::to_vec(batch)?)?;
            args.push("--force".into());
            self.run("kv bulk delete", &args)?;
        }
        Ok(())
    }
}

/// Reads: values in bulk gets, and an asset's bytes (`kv bulk get` decodes values as text,
/// which would corrupt an image).
impl Wrangler {
    /// The values of `keys` (as text; `None` where a key is gone), in one `kv bulk get`.
    pub fn get_values(&mut self, keys: &[String]) -> Result<Values> {
        if keys.is_empty() {
            return Ok(Default::default());
        }
        let (args, _file) = self.bulk_args("get", &serde_json::to_vec(keys)?)?;
        let stdout = self.run_bytes("kv bulk get", &args)?;
        parse_bulk_get_output(&stdout)
    }

    /// One key's bytes exactly (`kv key get` writes them raw); `None` when it is missing.
    pub fn get_bytes(&mut self, key: &str) -> Result<Option<Vec<u8>>> {
        let args: Vec<OsString> = vec!["kv".into(), "key".into(), "get".into(), key.into()];
        let stdout = self.run_bytes("kv key get", &args)?;
        // wrangler prints this line (exit 0) for a missing key.
        Ok((stdout != b"Value not found\n").then_some(stdout))
    }
}

impl Drop for Wrangler {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir(&self.scratch);
    }
}

pub struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::codec::{first_json, parse_bulk_get, parse_raw_list};
    use super::*;
    use crate::commands::blog::model::{Page, Record, Status};
    use crate::commands::blog::plan::RemoteKey;
    use crate::commands::blog::source::Post;

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
            image: None,
            staged_at: Some("2026-01-01T00:00:00Z".parse().unwrap()),
        }
    }

    #[test]
    fn metadata_round_trips_and_marks_devkit() {
        let record = record(FORMAT);
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
        assert!(limits("pre").post_problems(&post("a")).is_empty());
        let text = limits("pre")
            .post_problems(&post(&"a".repeat(502)))
            .join("\n");
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
            image: None,
        };
        let big = limits("").page_problems(&post("a"), &r, &page);
        assert!(
            big[0].contains("rendered HTML") && big[0].contains("25 MiB"),
            "{big:?}"
        );
    }

    #[test]
    fn the_cover_url_is_kept_and_counted_in_the_metadata() {
        let mut r = record(2);
        let without = Metadata::max_len(&r);
        let url = format!("/assets/{}.png", "a".repeat(64));
        r.image = Some(url.clone());
        let field = format!(",\"image\":\"{url}\"");
        assert_eq!(Metadata::max_len(&r), without + field.len());
        let json = serde_json::to_value(Metadata::from_record(&r)).unwrap();
        assert_eq!(Metadata::parse(&json), Some(r));
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
            Wrangler::new("wrangler".into(), settings(remote), Printer::quiet())
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
