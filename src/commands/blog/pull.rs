//! `devkit blog pull`: write every remote post that has no local file into `blog.content`:
//! devkit's own posts byte for byte from the source it kept (with their assets), foreign
//! entries in the seed's model as devkit-format files. Resolve → read the local posts → read the
//! store (KV: one listing + one bulk get, a capped listing's rest listed beside that bulk get;
//! DO: one `GET /export`) → plan (pure, files.rs) →
//! fetch the assets to write → write → report.

mod files;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use files::{Contents, Kind, Local, PullPlan};
pub use files::{Entry, Source};

use super::durable::{self, AdminApi};
use super::kv;
use super::post;
use super::push::Destination;
use crate::cli::{BlogContentArg, BlogPullArgs, BlogPushArgs};
use crate::config::Config;
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// What `devkit blog pull` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {
    pub cwd: PathBuf,
    pub content: PathBuf,
    pub destination: Destination,
    pub dry_run: bool,
    pub force: bool,
    pub json: bool,
}

impl Settings {
    pub fn resolve(args: &BlogPullArgs, config: &Config) -> Result<Self> {
        // The store is found exactly as `blog push` finds it.
        let push = BlogPushArgs {
            content: BlogContentArg {
                content: args.content.content.clone(),
            },
            target: args.target,
            local: args.local,
            remote: args.remote,
            dry_run: false,
            prune: false,
            force: false,
            stage: false,
            no_stage: false,
            settle: None,
            allow_insecure_http: args.allow_insecure_http,
            json: false,
        };
        let push = super::push::Settings::resolve(&push, config)?;
        Ok(Self {
            cwd: push.cwd,
            content: push.content,
            destination: push.destination,
            dry_run: args.dry_run,
            force: args.force,
            json: args.json,
        })
    }
}

/// A store `blog pull` reads from.
trait Store {
    fn describe(&self) -> String;
    /// Every post entry; `skip(slug)` says which the caller will not write (their values need
    /// not be read).
    fn entries(&mut self, skip: &dyn Fn(&str) -> bool) -> Result<Vec<Entry>>;
    /// The assets' bytes by name, in as few requests as the store allows.
    fn assets(&mut self, names: &[String]) -> Result<BTreeMap<String, Vec<u8>>>;
    fn requests(&self) -> usize;
}

struct KvStore {
    wrangler: kv::Wrangler,
    prefix: String,
    describe: String,
    /// Cloudflare, not wrangler's local state.
    remote: bool,
}

impl Store for KvStore {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn entries(&mut self, skip: &dyn Fn(&str) -> bool) -> Result<Vec<Entry>> {
        let prefix = self.prefix.clone();
        // Decided once per key (`skip` counts what it keeps), when its listing comes in.
        let mut decided = BTreeMap::new();
        let mut keys_of = |listed: &[kv::Listed]| -> Vec<String> {
            let mut keys = Vec::new();
            for (key, meta) in listed {
                let read = to_read(&prefix, key, meta.as_ref(), skip);
                if let Read::Value { key, .. } = &read {
                    keys.push(key.clone());
                }
                decided.insert(key.clone(), read);
            }
            keys
        };
        let (listed, mut values) = self.wrangler.list_posts_and_get(&mut keys_of)?;
        let mut entries = Vec::new();
        for (key, meta) in listed {
            let slug = key[prefix.len()..].to_string();
            let read = decided
                .remove(&key)
                .expect("list_posts_and_get hands every listed key to keys_of");
            match read {
                Read::Skip => {}
                Read::Unusable(why) => entries.push(Entry::Unusable { slug, why }),
                Read::Value { key, is_source } => {
                    let value = values.remove(&key).flatten();
                    let meta = meta.unwrap_or(serde_json::Value::Null);
                    entries.push(entry_from(slug, meta, value, is_source));
                }
            }
        }
        Ok(entries)
    }

    fn assets(&mut self, names: &[String]) -> Result<BTreeMap<String, Vec<u8>>> {
        let keys: Vec<String> = names
            .iter()
            .map(|name| format!("{}{}{name}", self.prefix, super::plan::ASSETS))
            .collect();
        let missing = |key: &str| {
            DevkitError::failure(format!("the asset key {key} is missing from the store"))
        };
        let mut out = BTreeMap::new();
        if self.remote {
            // Cloudflare's bulk get answers text, which binary files do not survive: one
            // byte-exact `kv key get` each.
            for (name, key) in names.iter().zip(&keys) {
                let stored = self.wrangler.get_bytes(key)?.ok_or_else(|| missing(key))?;
                out.insert(name.clone(), file_of_asset(name, stored));
            }
        } else {
            // Local state keeps each file as base64 text, which one bulk get carries intact.
            let mut values = self.wrangler.get_values(&keys)?;
            for (name, key) in names.iter().zip(&keys) {
                let stored = values.remove(key).flatten().ok_or_else(|| missing(key))?;
                out.insert(name.clone(), file_of_asset(name, stored.into_bytes()));
            }
        }
        Ok(out)
    }

    fn requests(&self) -> usize {
        self.wrangler.invocations
    }
}

/// What pulling a listed key takes.
enum Read {
    /// A local file has its slug.
    Skip,
    /// The value of `key`: the post's `~source/` record, or (`is_source: false`) the Markdown
    /// itself, as format 1 and the seed's model keep it.
    Value {
        key: String,
        is_source: bool,
    },
    Unusable(String),
}

fn to_read(
    prefix: &str,
    key: &str,
    meta: Option<&serde_json::Value>,
    skip: &dyn Fn(&str) -> bool,
) -> Read {
    let slug = &key[prefix.len()..];
    if skip(slug) {
        return Read::Skip;
    }
    let is_object = meta.is_some_and(serde_json::Value::is_object);
    match meta
        .and_then(|m| m.get(kv::MARKER))
        .and_then(serde_json::Value::as_u64)
    {
        Some(super::plan::FORMAT) => Read::Value {
            key: format!("{prefix}{}{slug}", super::plan::SOURCE),
            is_source: true,
        },
        Some(1) | None if is_object => Read::Value {
            key: key.to_string(),
            is_source: false,
        },
        Some(n) => Read::Unusable(format!(
            "stored in devkit's format {n}, which this devkit does not know"
        )),
        None => Read::Unusable("the key has no metadata (title, status, date)".into()),
    }
}

/// The file an asset key holds: its bytes, or (in wrangler's local state, whose bulk put
/// cannot carry binary; see `kv::Wrangler::put`) their base64 text. The name is the file's
/// SHA-256, so whichever of the two matches it is the file; neither is left for the caller's
/// check to refuse.
fn file_of_asset(name: &str, stored: Vec<u8>) -> Vec<u8> {
    let hash = name.split('.').next().unwrap_or("");
    if sha256_hex(&stored) == hash {
        return stored;
    }
    match base64::engine::general_purpose::STANDARD.decode(stored.trim_ascii()) {
        Ok(decoded) if sha256_hex(&decoded) == hash => decoded,
        _ => stored,
    }
}

/// An entry from its metadata and value (`is_source`: the value is a `~source/` JSON).
fn entry_from(
    slug: String,
    meta: serde_json::Value,
    value: Option<String>,
    is_source: bool,
) -> Entry {
    let Some(value) = value else {
        return Entry::Unusable {
            slug,
            why: if is_source {
                "its source key is missing (push it again to restore it)".into()
            } else {
                "the key vanished while pulling".into()
            },
        };
    };
    if is_source {
        return match serde_json::from_str::<Source>(&value) {
            Ok(source) => Entry::Source { slug, source },
            Err(e) => Entry::Unusable {
                slug,
                why: format!("its source key is not devkit's source JSON: {e}"),
            },
        };
    }
    let devkit = meta.get(kv::MARKER).is_some();
    Entry::Markdown {
        slug,
        meta,
        body: value,
        devkit,
    }
}

struct DoStore<'p> {
    api: AdminApi<'p>,
    assets: BTreeMap<String, Vec<u8>>,
    describe: String,
}

impl Store for DoStore<'_> {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn entries(&mut self, skip: &dyn Fn(&str) -> bool) -> Result<Vec<Entry>> {
        let body = self.api.get_ok("/export")?;
        let (entries, assets) = parse_export(&body).map_err(|why| {
            DevkitError::failure(format!(
                "GET {}/export answered outside the admin API's contract: {why}",
                self.describe
            ))
        })?;
        self.assets = assets;
        Ok(entries.into_iter().filter(|e| !skip(e.slug())).collect())
    }

    fn assets(&mut self, names: &[String]) -> Result<BTreeMap<String, Vec<u8>>> {
        names
            .iter()
            .map(|name| {
                let data = self.assets.remove(name).ok_or_else(|| {
                    DevkitError::failure(format!("the export holds no asset {name}"))
                })?;
                Ok((name.clone(), data))
            })
            .collect()
    }

    fn requests(&self) -> usize {
        self.api.requests
    }
}

/// Asset name → bytes.
pub type Assets = BTreeMap<String, Vec<u8>>;

/// `GET /export`: `{"posts": [{slug, title, status, date, source?, body?}], "assets":
/// [{name, data (base64)}]}` (docs/BLOG.md).
pub fn parse_export(body: &[u8]) -> Result<(Vec<Entry>, Assets), String> {
    #[derive(serde::Deserialize)]
    struct Export {
        posts: Vec<serde_json::Map<String, serde_json::Value>>,
        #[serde(default)]
        assets: Vec<Asset>,
    }
    #[derive(serde::Deserialize)]
    struct Asset {
        name: String,
        data: String,
    }
    let export: Export = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut entries = Vec::new();
    for mut row in export.posts {
        let Some(slug) = row.get("slug").and_then(|s| s.as_str()).map(str::to_string) else {
            return Err("a post row has no slug".into());
        };
        let source = match row.remove("source") {
            Some(serde_json::Value::String(s)) => Some(s),
            // The row may carry the source as JSON rather than as its text.
            Some(v @ serde_json::Value::Object(_)) => Some(v.to_string()),
            _ => None,
        };
        let entry = match source {
            Some(text) => entry_from(slug, serde_json::Value::Null, Some(text), true),
            None => {
                let body = row
                    .remove("body")
                    .and_then(|b| b.as_str().map(str::to_string));
                let meta = serde_json::Value::Object(row);
                entry_from(slug, meta, body, false)
            }
        };
        entries.push(entry);
    }
    let mut assets = BTreeMap::new();
    for a in export.assets {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(a.data.as_bytes())
            .map_err(|e| format!("asset {}: {e}", a.name))?;
        assets.insert(a.name, bytes);
    }
    Ok((entries, assets))
}

/// The local posts' slugs and the files under `content` (an absent directory is empty).
fn read_local(content: &Path) -> Result<Local> {
    let mut local = Local::default();
    if !content.is_dir() {
        return Ok(local);
    }
    for file in super::read_posts_dir(content)? {
        let rel = file
            .path
            .strip_prefix(content)
            .unwrap_or(&file.path)
            .to_path_buf();
        if let Some(slug) = post::declared_slug(&file) {
            local.slugs.entry(slug).or_insert_with(|| rel.clone());
        }
        local.files.insert(rel, None);
    }
    Ok(local)
}

/// Mark every file a planned write would replace, with its hash (assets are compared by it).
fn note_existing(content: &Path, plan_paths: &[PathBuf], local: &mut Local) -> Result<()> {
    for rel in plan_paths {
        let path = content.join(rel);
        if path.is_file() {
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            local.files.insert(rel.clone(), Some(sha256_hex(&bytes)));
        }
    }
    Ok(())
}

fn sha256_hex(bytes: &[u8]) -> String {
    super::post::hex(&Sha256::digest(bytes))
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    let mut store: Box<dyn Store + '_> = match &settings.destination {
        Destination::Kv(kv_settings) => {
            let wrangler = kv::Wrangler::locate(kv_settings, &settings.cwd, printer)?;
            let describe = super::target::Target::describe(&wrangler);
            Box::new(KvStore {
                wrangler,
                prefix: kv_settings.prefix.clone(),
                describe,
                remote: kv_settings.remote,
            })
        }
        Destination::Durable(do_settings) => {
            let token =
                durable::token_from_env(&do_settings.token_env, |name| std::env::var(name).ok())?;
            let describe = do_settings.url.clone();
            Box::new(DoStore {
                api: AdminApi::new(do_settings.clone(), token, printer),
                assets: BTreeMap::new(),
                describe,
            })
        }
    };
    let mut local = read_local(&settings.content)?;
    let force = settings.force;
    let spinner = printer.spinner(format!("reading {}", store.describe()));
    // Remote posts a local file already holds are kept, and their values are not even read.
    let kept_unread = std::cell::Cell::new(0);
    let entries = store.entries(&|slug| {
        let keep = !force && local.slugs.contains_key(slug);
        kept_unread.set(kept_unread.get() + usize::from(keep));
        keep
    });
    let kept_unread = kept_unread.get();
    spinner.finish_and_clear();
    let entries = entries?;
    // Hash what a write could replace, then plan again with those hashes.
    let first = files::plan(&entries, &local, force);
    let paths: Vec<PathBuf> = first.writes.iter().map(|w| w.path.clone()).collect();
    note_existing(&settings.content, &paths, &mut local)?;
    let mut plan = files::plan(&entries, &local, force);

    let mut bytes: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    if !settings.dry_run {
        // Every asset is fetched and checked before the first file is written.
        let assets: Vec<(PathBuf, String)> = plan
            .writes
            .iter()
            .filter_map(|w| match &w.contents {
                Contents::Asset { name } => Some((w.path.clone(), name.clone())),
                Contents::Text(_) => None,
            })
            .collect();
        // One read per asset name (posts may share a file), all in one request where it can.
        let mut names: Vec<String> = assets.iter().map(|(_, name)| name.clone()).collect();
        names.sort();
        names.dedup();
        let spinner = printer.progress(names.len() as u64, "fetching assets");
        let by_name = store.assets(&names)?;
        spinner.finish_and_clear();
        for (name, data) in &by_name {
            let hash = name.split('.').next().unwrap_or("");
            if sha256_hex(data) != hash {
                return Err(DevkitError::failure(format!(
                    "the asset {name} does not hold the bytes its name promises; nothing was written"
                ))
                .into());
            }
        }
        for (path, name) in assets {
            bytes.insert(path, by_name[&name].clone());
        }
        write_files(settings, &plan, &bytes, printer)?;
    }
    report(settings, &mut plan, kept_unread, store.as_ref(), printer)
}

fn write_files(
    settings: &Settings,
    plan: &PullPlan,
    assets: &BTreeMap<PathBuf, Vec<u8>>,
    printer: &Printer,
) -> Result<()> {
    let bar = printer.progress(plan.writes.len() as u64, "writing");
    for w in &plan.writes {
        let path = settings.content.join(&w.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let data: &[u8] = match &w.contents {
            Contents::Text(text) => text.as_bytes(),
            Contents::Asset { .. } => assets.get(&w.path).map_or(&[][..], Vec::as_slice),
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true);
        if w.replaces {
            options.create(true).truncate(true);
        } else {
            // Never over a file that appeared since the plan.
            options.create_new(true);
        }
        let mut file = options
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        file.write_all(data)
            .with_context(|| format!("cannot write {}", path.display()))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(())
}

fn report(
    settings: &Settings,
    plan: &mut PullPlan,
    kept_unread: usize,
    store: &dyn Store,
    printer: &Printer,
) -> Result<ExitStatus> {
    let shown = |p: &Path| {
        let full = settings.content.join(p);
        full.strip_prefix(&settings.cwd)
            .unwrap_or(&full)
            .display()
            .to_string()
    };
    let count = |k: Kind| plan.writes.iter().filter(|w| w.kind == k).count();
    let (sources, adopted, assets) = (
        count(Kind::Source),
        count(Kind::Adopted),
        count(Kind::Asset),
    );
    let kept = kept_unread + plan.skips.iter().filter(|s| !s.problem).count();
    let problems = plan.problems();
    if settings.json {
        let written: Vec<serde_json::Value> = plan
            .writes
            .iter()
            .map(|w| {
                serde_json::json!({
                    "slug": w.slug,
                    "path": shown(&w.path),
                    "kind": w.kind,
                    "replaced": w.replaces,
                })
            })
            .collect();
        let skipped: Vec<serde_json::Value> = plan
            .skips
            .iter()
            .map(|s| {
                serde_json::json!({
                    "slug": s.slug,
                    "path": s.path.as_deref().map(shown),
                    "problem": s.problem,
                    "why": s.why,
                })
            })
            .collect();
        let report = serde_json::json!({
            "source": store.describe(),
            "dry_run": settings.dry_run,
            "summary": {"source": sources, "adopted": adopted, "assets": assets, "kept": kept, "skipped": problems},
            "written": written,
            "skipped": skipped,
            "requests": store.requests(),
        });
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &report).context("writing the report")?;
        writeln!(out).context("writing the report")?;
    } else {
        let mut out = std::io::stdout().lock();
        for w in &plan.writes {
            writeln!(out, "{}", shown(&w.path)).context("writing stdout")?;
        }
    }
    for w in plan.writes.iter().filter(|w| w.replaces) {
        printer.warn(format!(
            "{} {} (--force)",
            if settings.dry_run {
                "would replace"
            } else {
                "replaced"
            },
            shown(&w.path)
        ));
    }
    for s in &plan.skips {
        let at = s
            .path
            .as_deref()
            .map_or_else(String::new, |p| format!(" ({})", shown(p)));
        if s.problem {
            printer.error(format!("skipped `{}`{at}: {}", s.slug, s.why));
        } else {
            printer.verbose(1, format!("kept `{}`{at}: {}", s.slug, s.why));
        }
    }
    let verb = if settings.dry_run {
        "would write"
    } else {
        "wrote"
    };
    printer.info(format!(
        "{}: {verb} {sources} post{} byte for byte, {adopted} adopted, {assets} asset{}; {kept} already here{}",
        store.describe(),
        plural(sources),
        plural(assets),
        if problems > 0 {
            format!(", {problems} skipped")
        } else {
            String::new()
        }
    ));
    if adopted > 0 && !settings.dry_run {
        printer.info(
            "the next `devkit blog push` takes the adopted keys over, as long as their files still hold what the keys hold",
        );
    }
    Ok(if problems > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_gives_sources_foreign_rows_and_assets() {
        let source = serde_json::json!({"path": "a.md", "text": "---\ntitle: A\ndate: 2025-01-01\n---\nA\n", "assets": {}});
        let body = serde_json::json!({
            "posts": [
                {"slug": "a", "title": "A", "status": "published", "date": "2025-01-01", "hash": "h", "source": source.to_string()},
                {"slug": "seed", "title": "Seed", "status": "draft", "date": "2024-02-02", "body": "Hi\n"},
                {"slug": "gone", "title": "G", "status": "draft", "date": "2024-02-02"},
            ],
            "assets": [{"name": "x.png", "content_type": "image/png", "data": "iVBORw=="}],
        });
        let (entries, assets) = parse_export(body.to_string().as_bytes()).unwrap();
        assert!(matches!(&entries[0], Entry::Source { source, .. } if source.path == "a.md"));
        assert!(
            matches!(&entries[1], Entry::Markdown { body, devkit: false, .. } if body == "Hi\n")
        );
        assert!(matches!(&entries[2], Entry::Unusable { .. }));
        assert_eq!(assets["x.png"], vec![0x89, b'P', b'N', b'G']);
        assert!(parse_export(b"{\"rows\": []}").is_err());
    }

    #[test]
    fn kv_entries_from_metadata_and_values() {
        let meta = serde_json::json!({"title": "T", "status": "draft", "date": "2024-01-01"});
        assert!(matches!(
            entry_from("t".into(), meta.clone(), Some("Body".into()), false),
            Entry::Markdown { devkit: false, .. }
        ));
        assert!(matches!(
            entry_from("t".into(), meta, None, true),
            Entry::Unusable { why, .. } if why.contains("source key is missing")
        ));
        assert!(matches!(
            entry_from("t".into(), serde_json::Value::Null, Some("not json".into()), true),
            Entry::Unusable { why, .. } if why.contains("not devkit's source JSON")
        ));
    }

    #[test]
    fn an_asset_is_its_bytes_or_their_base64_text_whichever_matches_its_name() {
        let file = b"\x89PNG\r\n\x1a\n not text".to_vec();
        let name = format!("{}.png", sha256_hex(&file));
        assert_eq!(file_of_asset(&name, file.clone()), file);
        let text = base64::engine::general_purpose::STANDARD.encode(&file);
        assert_eq!(file_of_asset(&name, text.into_bytes()), file);
        // Neither matches: handed back as stored, for the caller to refuse.
        assert_eq!(file_of_asset(&name, b"other".to_vec()), b"other");
    }
}
