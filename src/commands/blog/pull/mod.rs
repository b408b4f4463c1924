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

use files::{Contents, Kind, Local, PullPlan};

use crate::cli::BlogPullArgs;
use crate::commands::blog::model::sha256_hex;
use crate::commands::blog::source;
use crate::commands::blog::store::{Store, StoreSettings};
use crate::config::Config;
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// What `devkit blog pull` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {
    pub cwd: PathBuf,
    pub content: PathBuf,
    pub store: StoreSettings,
    pub dry_run: bool,
    pub force: bool,
    pub json: bool,
}

impl Settings {
    pub fn resolve(args: &BlogPullArgs, config: &Config) -> Result<Self> {
        Ok(Self {
            cwd: config.cwd().to_path_buf(),
            content: crate::commands::blog::content_dir(&args.content, config),
            store: StoreSettings::resolve(&args.store, config, &[])?,
            dry_run: args.dry_run,
            force: args.force,
            json: args.json,
        })
    }
}

/// The local posts' slugs and the files under `content` (an absent directory is empty).
fn read_local(content: &Path) -> Result<Local> {
    let mut local = Local::default();
    if !content.is_dir() {
        return Ok(local);
    }
    for file in crate::commands::blog::read_posts_dir(content)? {
        let rel = file
            .path
            .strip_prefix(content)
            .unwrap_or(&file.path)
            .to_path_buf();
        if let Some(slug) = source::declared_slug(&file) {
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

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    let mut store = settings.store.open(&settings.cwd, printer)?;
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
        let summary = serde_json::json!({"source": sources, "adopted": adopted, "assets": assets, "kept": kept, "skipped": problems});
        json_report(settings, plan, summary, store, &shown)?;
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

/// The whole report as JSON on stdout.
fn json_report(
    settings: &Settings,
    plan: &PullPlan,
    summary: serde_json::Value,
    store: &dyn Store,
    shown: &dyn Fn(&Path) -> String,
) -> Result<()> {
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
        "summary": summary,
        "written": written,
        "skipped": skipped,
        "requests": store.requests(),
    });
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &report).context("writing the report")?;
    writeln!(out).context("writing the report")?;
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
