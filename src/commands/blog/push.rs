//! `devkit blog push`: resolve → load posts → list the target → plan → apply the phases →
//! report (text on stderr, or `--json` on stdout).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use jiff::Timestamp;

use super::assets::Files;
use super::durable::{self, AdminApi, DoSettings};
use super::kv::{self, KvSettings, WranglerBin};
use super::page::{self, Prepared, Store};
use super::plan::{self, Action, Item, Local, Phase, PhaseName, Plan, PlanError};
use super::post::{self, Diagnostic, Posts};
use super::pushed;
use super::render::HtmlPolicy;
use super::target::Target;
use crate::cli::{BlogPushArgs, BlogTarget};
use crate::config::{self, Config, Value};
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// Where the posts go.
#[derive(Debug, Clone)]
pub enum Destination {
    Kv(KvSettings),
    Durable(DoSettings),
}

impl Destination {
    /// Put before each slug to make its key (KV only: the Durable Object's keys are slugs).
    pub fn prefix(&self) -> &str {
        match self {
            Destination::Kv(kv) => &kv.prefix,
            Destination::Durable(_) => "",
        }
    }

    /// Whose limits the posts must fit.
    pub fn store(&self) -> Store {
        match self {
            Destination::Kv(kv) => Store::Kv {
                prefix: kv.prefix.clone(),
            },
            Destination::Durable(_) => Store::DurableObject,
        }
    }
}

/// What `devkit blog push` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {
    pub cwd: PathBuf,
    pub content: PathBuf,
    pub destination: Destination,
    pub dry_run: bool,
    pub prune: bool,
    pub force: bool,
    pub stage: bool,
    pub settle: Duration,
    /// `blog.html`.
    pub html: HtmlPolicy,
    /// `blog.default_status`.
    pub options: post::Options,
    pub json: bool,
    /// devkit's cache, where the hint of what was last pushed is kept (`pushed.rs`).
    pub cache: PathBuf,
}

impl Settings {
    pub fn resolve(args: &BlogPushArgs, config: &Config) -> Result<Self> {
        let target = config.choice("blog.target", args.target, "--target");
        let content = super::content_dir(&args.content, config);
        if let Some(t) = target.filter(|t| t.value == BlogTarget::Do) {
            return Self::resolve_durable(args, config, content, &t.origin);
        }
        let remote = if args.remote {
            true
        } else if args.local {
            false
        } else {
            config.bool("blog.remote").is_some_and(|r| r.value)
        };
        let stage = if args.stage {
            true
        } else if args.no_stage {
            false
        } else {
            remote
        };
        let settle = match &args.settle {
            Some(text) => match config.parse_flag("blog.settle", "--settle", text)?.value {
                Value::Duration(d) => d,
                other => unreachable!("blog.settle is a duration, got {other:?}"),
            },
            None => config
                .duration("blog.settle")
                .map_or(Duration::from_secs(60), |d| d.value),
        };
        let binding = config.string("blog.kv.binding");
        let namespace_id = config.string("blog.kv.namespace_id");
        if let (Some(b), Some(n)) = (&binding, &namespace_id) {
            return Err(DevkitError::usage(format!(
                "set blog.kv.binding (from {}) or blog.kv.namespace_id (from {}), not both",
                b.origin, n.origin
            ))
            .into());
        }
        let binding = binding.map(|r| r.value);
        let namespace_id = namespace_id.map(|r| r.value);
        if binding.is_none() && namespace_id.is_none() {
            return Err(DevkitError::usage(
                "no KV namespace configured: set blog.kv.binding or blog.kv.namespace_id",
            )
            .with_hint("in devkit.yaml: `blog: {kv: {binding: POSTS}}` (the binding in your wrangler config)")
            .into());
        }
        let wrangler = config.string("blog.wrangler.bin").map(|text| WranglerBin {
            path: config.base_dir(&text.origin).join(&text.value),
            text: text.value,
            origin: text.origin,
        });
        Ok(Self {
            cwd: config.cwd().to_path_buf(),
            content,
            destination: Destination::Kv(KvSettings {
                wrangler,
                binding,
                namespace_id,
                config: config.path("blog.wrangler.config").map(|r| r.value),
                env: config.string("blog.wrangler.env").map(|r| r.value),
                persist_to: config.path("blog.wrangler.persist_to").map(|r| r.value),
                remote,
                prefix: config
                    .string("blog.kv.prefix")
                    .map_or_else(String::new, |r| r.value),
            }),
            dry_run: args.dry_run,
            prune: args.prune,
            force: args.force,
            stage,
            settle,
            html: super::html_policy(config),
            options: super::parse_options(config),
            json: args.json,
            cache: crate::commands::cache_dir(),
        })
    }

    /// `--target do`: the admin API's URL (refused when http:// would carry the token off this
    /// machine) and the name of the variable holding the token.
    fn resolve_durable(
        args: &BlogPushArgs,
        config: &Config,
        content: PathBuf,
        target_origin: &config::Origin,
    ) -> Result<Self> {
        for (given, flag) in [
            (args.remote, "--remote"),
            (args.local, "--local"),
            (args.stage, "--stage"),
            (args.no_stage, "--no-stage"),
            (args.settle.is_some(), "--settle"),
        ] {
            if given {
                return Err(DevkitError::usage(format!(
                    "{flag} applies to Workers KV, not to the Durable Object target (blog.target `do`, from {target_origin})"
                ))
                .with_hint("the Durable Object is strongly consistent and blog.do.url says where it is: nothing to stage, no local or remote state to choose")
                .into());
            }
        }
        let Some(url) = config.string("blog.do.url") else {
            return Err(DevkitError::usage(
                "no admin API configured for the Durable Object target: set blog.do.url",
            )
            .with_hint("in devkit.yaml: `blog: {do: {url: http://127.0.0.1:8787/admin/api}}`, or DEVKIT_BLOG_DO_URL")
            .into());
        };
        let trimmed = url.value.trim().trim_end_matches('/').to_string();
        if let Err(why) = durable::check_url(&trimmed, args.allow_insecure_http) {
            let err = DevkitError::usage(format!("blog.do.url (from {}): {why}", url.origin));
            let err = if why.contains("in clear") {
                err.with_hint(
                    "use https://, or pass --allow-insecure-http if the network between is trusted",
                )
            } else {
                err.with_hint("such as http://127.0.0.1:8787/admin/api")
            };
            return Err(err.into());
        }
        let token_env = config
            .string("blog.do.token_env")
            .map_or_else(|| "DEVKIT_BLOG_TOKEN".to_string(), |r| r.value);
        Ok(Self {
            cwd: config.cwd().to_path_buf(),
            content,
            destination: Destination::Durable(DoSettings {
                url: trimmed,
                url_origin: url.origin,
                token_env,
            }),
            dry_run: args.dry_run,
            prune: args.prune,
            force: args.force,
            stage: false,
            settle: Duration::ZERO,
            html: super::html_policy(config),
            options: super::parse_options(config),
            json: args.json,
            cache: crate::commands::cache_dir(),
        })
    }
}

/// Read and validate the posts; print warnings; every error (all at once) stops the push.
pub fn load_posts(
    content: &Path,
    destination: &Destination,
    options: &post::Options,
    cwd: &Path,
    printer: &Printer,
) -> Result<Posts> {
    let files = super::read_posts_dir(content)?;
    let store = destination.store();
    match post::parse_with(&files, options, |p| store.limits(p)) {
        Ok(posts) => {
            for w in &posts.warnings {
                printer.warn(w.render(cwd));
            }
            if let Some(note) = super::defaulted_note(posts.defaulted, options) {
                printer.info(note);
            }
            Ok(posts)
        }
        Err(diagnostics) => Err(refuse(&diagnostics, cwd, printer)),
    }
}

/// Print every problem; the error that says nothing was pushed.
fn refuse(diagnostics: &[Diagnostic], cwd: &Path, printer: &Printer) -> anyhow::Error {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == post::Severity::Error)
        .count();
    for d in diagnostics {
        match d.severity {
            post::Severity::Error => printer.error(d.render(cwd)),
            post::Severity::Warning => printer.warn(d.render(cwd)),
        }
    }
    DevkitError::failure(format!(
        "{errors} problem{} in the posts; nothing was pushed",
        plural(errors)
    ))
    .with_hint("`devkit blog check` lists them again")
    .into()
}

/// The posts' files, read and hashed, and their publish hashes; a missing file (or one
/// the store cannot hold) stops the push before anything is listed or written.
fn prepare(
    settings: &Settings,
    posts: &Posts,
    printer: &Printer,
) -> Result<(Vec<Prepared>, Files)> {
    let (prepared, files, problems) = page::prepare(
        &posts.posts,
        &settings.content,
        &settings.destination.store(),
        settings.html,
        &|path| std::fs::read(path),
    );
    if problems.iter().any(|d| d.severity == post::Severity::Error) {
        return Err(refuse(&problems, &settings.cwd, printer));
    }
    Ok((prepared, files))
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    // Everything that can be refused without touching the posts comes first: no wrangler,
    // no token.
    let mut target: Box<dyn Target + '_> = match &settings.destination {
        Destination::Kv(kv_settings) => {
            Box::new(kv::Wrangler::locate(kv_settings, &settings.cwd, printer)?)
        }
        Destination::Durable(do_settings) => {
            let token =
                durable::token_from_env(&do_settings.token_env, |name| std::env::var(name).ok())?;
            Box::new(AdminApi::new(do_settings.clone(), token, printer))
        }
    };
    let posts = load_posts(
        &settings.content,
        &settings.destination,
        &settings.options,
        &settings.cwd,
        printer,
    )?;
    let (prepared, files) = prepare(settings, &posts, printer)?;
    run_with(
        settings,
        &posts,
        &prepared,
        &files,
        target.as_mut(),
        printer,
    )
}

fn run_with(
    settings: &Settings,
    posts: &Posts,
    prepared: &[Prepared],
    files: &Files,
    target: &mut dyn Target,
    printer: &Printer,
) -> Result<ExitStatus> {
    let outcome = push(settings, posts, prepared, files, target, printer);
    let requests = target.requests();
    printer.verbose(
        1,
        match settings.destination {
            Destination::Kv(_) => format!("wrangler ran {requests} time{}", plural(requests)),
            Destination::Durable(_) => {
                format!(
                    "{requests} HTTP request{} to the admin API",
                    plural(requests)
                )
            }
        },
    );
    let (plan, rendered, done, failure) = match outcome {
        Ok(Pushed::Planned(plan, rendered)) => (plan, rendered, None, None),
        Ok(Pushed::Applied(plan, rendered, done, failure)) => (plan, rendered, Some(done), failure),
        Err(e) => return Err(e),
    };
    if settings.json {
        let mut report = json_report(settings, &target.describe(), &plan, done, requests);
        report["rendered"] = rendered.into();
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &report).context("writing the report")?;
        writeln!(out).context("writing the report")?;
    }
    if let Some(err) = failure {
        return Err(err);
    }
    let conflicts = plan.count(Action::Conflict);
    if conflicts > 0 && !settings.dry_run {
        printer.error(format!(
            "{conflicts} post{} skipped: the key exists and devkit did not write it (--force overwrites)",
            plural(conflicts)
        ));
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Success)
}

enum Pushed {
    /// `--dry-run`: the plan only, and how many posts were rendered for it.
    Planned(Plan, usize),
    /// The plan, the posts rendered, how many phases completed, and the error that stopped
    /// the rest.
    Applied(Plan, usize, usize, Option<anyhow::Error>),
}

/// Foreign keys that local posts collide with become `Pulled` when the post's body is still
/// exactly their value (`blog pull` wrote the file): one read of just those keys, only when
/// there are any.
fn adopt_pulled(
    posts: &[post::Post],
    prefix: &str,
    remote: &mut plan::Remote,
    target: &mut dyn Target,
) -> Result<()> {
    let colliding: Vec<(&post::Post, String)> = posts
        .iter()
        .map(|p| (p, format!("{prefix}{}", p.slug)))
        .filter(|(_, key)| matches!(remote.get(key), Some(plan::RemoteKey::Foreign)))
        .collect();
    if colliding.is_empty() {
        return Ok(());
    }
    let keys: Vec<String> = colliding.iter().map(|(_, k)| k.clone()).collect();
    let values = target.foreign_values(&keys)?;
    for (post, key) in colliding {
        if plan::adoptable(&post.body, values.get(&key).and_then(|v| v.as_deref())) {
            remote.insert(key, plan::RemoteKey::Pulled);
        }
    }
    Ok(())
}

fn push(
    settings: &Settings,
    posts: &Posts,
    prepared: &[Prepared],
    files: &Files,
    target: &mut dyn Target,
    printer: &Printer,
) -> Result<Pushed> {
    let wanted: Vec<String> = posts
        .posts
        .iter()
        .map(|p| format!("{}{}", settings.destination.prefix(), p.slug))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // While the store lists its keys (for KV a wrangler process, a second or more), the posts
    // the hint does not vouch for are rendered on another core. The listing alone decides
    // what is written; a page rendered for nothing is dropped.
    let mut hint = pushed::Hint::load(&settings.cache, &hint_identity(settings, target));
    let store = settings.destination.store();
    let candidates: Vec<bool> = posts
        .posts
        .iter()
        .zip(prepared)
        .map(|(post, p)| {
            !hint.pushed(&post.slug, &p.hash) && plan::needs_page(None, &p.hash, post.status)
        })
        .collect();
    let stop = AtomicBool::new(false);
    let (remote, ahead) = std::thread::scope(|scope| {
        let ahead = candidates.contains(&true).then(|| {
            scope.spawn(|| {
                page::render_ahead(
                    &posts.posts,
                    prepared,
                    &candidates,
                    &store,
                    settings.html,
                    page::Colour::Always,
                    &stop,
                )
            })
        });
        let remote = target.list(&wanted, settings.prune);
        stop.store(true, Ordering::Relaxed);
        let ahead = ahead.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (
            remote,
            ahead.unwrap_or_else(|| posts.posts.iter().map(|_| None).collect()),
        )
    });
    let remote = remote.with_context(|| {
        format!(
            "cannot read what {} holds; nothing was changed",
            target.describe()
        )
    })?;
    let prefix = settings.destination.prefix();
    let mut locals: Vec<Local> = posts
        .posts
        .iter()
        .zip(prepared)
        .map(|(post, p)| Local {
            post,
            hash: p.hash.clone(),
            assets: p.links.values().cloned().collect(),
            page: None,
        })
        .collect();
    let mut remote = remote;
    if !settings.force {
        adopt_pulled(&posts.posts, prefix, &mut remote, target)?;
    }
    // One more listing only when a page to write links a file the capped listing may
    // have missed; a no-op push never asks.
    if !target.saw_every_asset() && !plan::missing_assets(&locals, &remote, prefix).is_empty() {
        let assets = target.list_assets().with_context(|| {
            format!(
                "cannot list the files {} holds; nothing was changed",
                target.describe()
            )
        })?;
        remote.extend(assets);
    }
    // Render only what will be written: an unchanged post costs nothing.
    let wanted: Vec<bool> = locals
        .iter()
        .map(|l| {
            let found = remote.get(&format!("{prefix}{}", l.post.slug));
            plan::needs_page(found, &l.hash, l.post.status)
        })
        .collect();
    let later: Vec<bool> = wanted
        .iter()
        .zip(&ahead)
        .map(|(w, a)| *w && a.is_none())
        .collect();
    let rendered_ahead = ahead.iter().filter(|a| a.is_some()).count();
    let rendered = rendered_ahead + later.iter().filter(|w| **w).count();
    let mut problems = Vec::new();
    let mut unused = 0;
    let pages = page::render_all(
        &posts.posts,
        prepared,
        &later,
        &store,
        settings.html,
        page::Colour::Always,
    );
    for ((local, result), (ahead, wanted)) in locals
        .iter_mut()
        .zip(pages)
        .zip(ahead.into_iter().zip(&wanted))
    {
        let (page, mut found) = match ahead {
            Some(done) if *wanted => done,
            Some(_) => {
                unused += 1;
                result
            }
            None => result,
        };
        local.page = page;
        problems.append(&mut found);
    }
    problems.sort();
    if problems.iter().any(|d| d.severity == post::Severity::Error) {
        return Err(refuse(&problems, &settings.cwd, printer));
    }
    for w in &problems {
        printer.warn(w.render(&settings.cwd));
    }
    printer.verbose(
        1,
        format!(
            "rendered {rendered} post{} ({rendered_ahead} while listing, {unused} of them not needed)",
            plural(rendered)
        ),
    );
    let options = plan::Options {
        prefix: settings.destination.prefix().to_string(),
        prune: settings.prune,
        force: settings.force,
        stage: settings.stage,
        settle: settings.settle,
        now: Timestamp::now(),
        single_phase: target.single_phase(),
    };
    let plan = plan::plan(&locals, files, &remote, &options).map_err(|e| match e {
        PlanError::PruneEverything { count } => DevkitError::failure(format!(
            "--prune with no local post would delete all {count} post{} devkit published",
            plural(count)
        ))
        .with_hint("add --force if that is what you want"),
        PlanError::Unrendered { slug } => DevkitError::failure(format!(
            "internal: `{slug}` must be written but was not rendered"
        )),
    })?;
    print_plan(&plan, settings, &target.describe(), printer);
    if settings.dry_run {
        printer.info("dry run: nothing was written");
        return Ok(Pushed::Planned(plan, rendered));
    }
    if plan.is_noop() {
        printer.info(format!("{}: nothing to do", target.describe()));
        save_hint(&mut hint, &locals, &plan, printer);
        return Ok(Pushed::Applied(plan, rendered, 0, None));
    }

    let total = plan.phases.len();
    for (index, phase) in plan.phases.iter().enumerate() {
        let step = format!("phase {} of {total} ({})", index + 1, phase_name(phase));
        let result = match phase {
            Phase::Put { writes, assets, .. } => {
                printer.verbose(
                    1,
                    format!(
                        "{step}: writing {} post{} and {} file{}",
                        writes.len(),
                        plural(writes.len()),
                        assets.len(),
                        plural(assets.len())
                    ),
                );
                target.put(writes, assets)
            }
            Phase::Delete { keys } => {
                printer.verbose(
                    1,
                    format!("{step}: deleting {} key{}", keys.len(), plural(keys.len())),
                );
                target.delete(keys)
            }
            Phase::Wait { after, until } => {
                let earliest = plan::after(Timestamp::now(), *after);
                settle(until.map_or(earliest, |u| u.max(earliest)), printer);
                Ok(())
            }
            Phase::Batch {
                writes,
                assets,
                deletes,
            } => {
                printer.verbose(
                    1,
                    format!(
                        "{step}: writing {} post{} and {} file{}, deleting {}",
                        writes.len(),
                        plural(writes.len()),
                        assets.len(),
                        plural(assets.len()),
                        deletes.len()
                    ),
                );
                target.apply(writes, assets, deletes)
            }
        };
        if let Err(err) = result {
            let before = match index {
                // One or more requests, each all or nothing; the target says which landed.
                0 if matches!(phase, Phase::Batch { .. }) => {
                    "each batch is applied all or nothing, and the same push run again finishes the rest".to_string()
                }
                0 => "nothing was changed".to_string(),
                1 => "phase 1 completed; the same push run again finishes the rest".to_string(),
                n => format!("phases 1–{n} completed; the same push run again finishes the rest"),
            };
            let err = err.context(format!("{step} failed; {before}"));
            return Ok(Pushed::Applied(plan, rendered, index, Some(err)));
        }
    }
    report_done(&plan, &target.describe(), printer);
    save_hint(&mut hint, &locals, &plan, printer);
    Ok(Pushed::Applied(plan, rendered, total, None))
}

/// What tells destinations apart for the hint: the store as described (KV: binding or
/// namespace, local or remote, the state directory; the Durable Object: its URL), the prefix,
/// and where devkit ran.
fn hint_identity(settings: &Settings, target: &dyn Target) -> String {
    format!(
        "{}\n{}\n{}",
        target.describe(),
        settings.destination.prefix(),
        settings.cwd.display()
    )
}

/// After a push that completed: every local post the destination now holds as it is here.
fn save_hint(hint: &mut pushed::Hint, locals: &[Local], plan: &Plan, printer: &Printer) {
    let conflicts: std::collections::BTreeSet<&str> = plan
        .items
        .iter()
        .filter(|i| i.action == Action::Conflict)
        .map(|i| i.slug.as_str())
        .collect();
    let hashes = locals
        .iter()
        .filter(|l| !conflicts.contains(l.post.slug.as_str()))
        .map(|l| (l.post.slug.clone(), l.hash.clone()))
        .collect();
    if let Err(e) = hint.save(hashes) {
        printer.verbose(
            1,
            format!("cannot keep the push hint in devkit's cache: {e}"),
        );
    }
}

fn phase_name(phase: &Phase) -> &'static str {
    match phase {
        Phase::Put {
            name: PhaseName::Write,
            ..
        } => "write",
        Phase::Put {
            name: PhaseName::Publish,
            ..
        } => "publish",
        Phase::Delete { .. } => "delete",
        Phase::Wait { .. } => "settle",
        Phase::Batch { .. } => "batch",
    }
}

/// Wait until `until`, with a countdown on stderr when it is a terminal.
fn settle(until: Timestamp, printer: &Printer) {
    let remaining =
        |now: Timestamp| Duration::try_from(until.duration_since(now)).unwrap_or(Duration::ZERO);
    let total = remaining(Timestamp::now());
    if total.is_zero() {
        return;
    }
    printer.info(format!(
        "waiting {} for KV to settle (until {})",
        config::format_duration(Duration::from_secs(total.as_secs_f64().ceil() as u64)),
        until.round(jiff::Unit::Second).unwrap_or(until)
    ));
    let bar = printer.progress(total.as_secs_f64().ceil() as u64, "settling");
    loop {
        let left = remaining(Timestamp::now());
        if left.is_zero() {
            break;
        }
        bar.set_position((total.saturating_sub(left)).as_secs());
        std::thread::sleep(left.min(Duration::from_millis(250)));
    }
    bar.finish_and_clear();
}

fn print_plan(plan: &Plan, settings: &Settings, place: &str, printer: &Printer) {
    printer.info(format!("plan for {place}:"));
    if let Destination::Kv(kv) = &settings.destination
        && !kv.remote
    {
        printer.info("  (wrangler's local state only: --remote publishes to Cloudflare)");
    }
    let width = plan
        .items
        .iter()
        .map(|i| i.slug.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for item in &plan.items {
        let quiet_kind = matches!(item.action, Action::Unchanged)
            || (item.action == Action::RemoteOnly && item.foreign);
        if quiet_kind && !printer.is_verbose(1) {
            continue;
        }
        let status = match (item.from, item.to) {
            (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
            (_, Some(b)) => b.to_string(),
            (Some(a), None) => a.to_string(),
            (None, None) => String::new(),
        };
        let note = item
            .note
            .as_deref()
            .map_or_else(String::new, |n| format!("  ({n})"));
        let line = format!(
            "  {} {:<11} {:<width$}  {status}{note}",
            item.action.sign(),
            item.action.word(),
            item.slug
        );
        if item.action == Action::Conflict {
            printer.warn(line.trim_start());
        } else {
            printer.info(line);
        }
    }
    let mut parts = counted(
        plan,
        &[
            (Action::Create, "to create"),
            (Action::Update, "to update"),
            (Action::Delete, "to delete"),
            (Action::Unchanged, "unchanged"),
            (Action::Conflict, "in conflict"),
        ],
    );
    let kept = plan
        .items
        .iter()
        .filter(|i| i.action == Action::RemoteOnly && !i.foreign)
        .count();
    if kept > 0 {
        parts.push(format!("{kept} only on the target (kept; --prune removes)"));
    }
    if parts.is_empty() {
        parts.push("no posts".into());
    }
    printer.info(format!("  {}", parts.join(", ")));
    if settings.stage && plan.items.iter().any(|i| i.staged) {
        printer.verbose(
            1,
            format!(
                "staged publishing: settle time {}",
                config::format_duration(settings.settle)
            ),
        );
    }
}

fn report_done(plan: &Plan, place: &str, printer: &Printer) {
    let parts = counted(
        plan,
        &[
            (Action::Create, "created"),
            (Action::Update, "updated"),
            (Action::Delete, "deleted"),
        ],
    );
    printer.info(format!("done: {} in {place}", parts.join(", ")));
}

/// "3 created", "1 deleted": one phrase per action the plan has any of.
fn counted(plan: &Plan, words: &[(Action, &str)]) -> Vec<String> {
    words
        .iter()
        .map(|(action, word)| (plan.count(*action), word))
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}"))
        .collect()
}

/// What became of one item, given how many phases completed (`None`: a dry run).
fn outcome(item: &Item, done: Option<usize>) -> &'static str {
    match item.action {
        Action::Unchanged => "unchanged",
        Action::Conflict => "skipped",
        Action::RemoteOnly => "kept",
        Action::Create | Action::Update | Action::Delete => match done {
            None => "planned",
            Some(done) => {
                let finished = item.phases.iter().filter(|p| **p < done).count();
                if finished == item.phases.len() {
                    "done"
                } else if finished == 0 {
                    "not-done"
                } else {
                    "partly-done"
                }
            }
        },
    }
}

fn json_report(
    settings: &Settings,
    place: &str,
    plan: &Plan,
    done: Option<usize>,
    requests: usize,
) -> serde_json::Value {
    let posts: Vec<serde_json::Value> = plan
        .items
        .iter()
        .map(|item| {
            // The record the plan writes (the last one: a staged post's published one).
            let record = plan
                .phases
                .iter()
                .flat_map(|p| match p {
                    Phase::Put { writes, .. } | Phase::Batch { writes, .. } => writes.as_slice(),
                    _ => &[],
                })
                .rfind(|w| w.key == item.key)
                .map(|w| &w.record);
            serde_json::json!({
                "key": item.key,
                "date": record.map(|r| r.date.clone()),
                "tags": record.map(|r| r.tags.clone()),
                "slug": item.slug,
                "path": item.path.as_ref().map(|p| p.strip_prefix(&settings.cwd).unwrap_or(p).display().to_string()),
                "action": item.action,
                "from": item.from,
                "to": item.to,
                "staged": item.staged,
                "foreign": item.foreign,
                "note": item.note,
                "outcome": outcome(item, done),
            })
        })
        .collect();
    let phases: Vec<serde_json::Value> = plan
        .phases
        .iter()
        .enumerate()
        .map(|(i, phase)| {
            let state = match done {
                None => "planned",
                Some(d) if i < d => "done",
                Some(_) => "not-done",
            };
            let mut v = serde_json::json!({"name": phase_name(phase), "state": state});
            match phase {
                Phase::Put { writes, assets, .. } => {
                    v["keys"] = writes.iter().map(|w| w.key.clone()).collect();
                    v["assets"] = assets.iter().map(|a| a.key.clone()).collect();
                }
                Phase::Delete { keys } => v["keys"] = keys.clone().into(),
                Phase::Batch {
                    writes,
                    assets,
                    deletes,
                } => {
                    v["keys"] = writes.iter().map(|w| w.key.clone()).collect();
                    v["assets"] = assets.iter().map(|a| a.key.clone()).collect();
                    v["deletes"] = deletes.clone().into();
                }
                Phase::Wait { after, until } => {
                    v["after_seconds"] = after.as_secs_f64().into();
                    v["until"] = until.map(|u| u.to_string()).into();
                }
            }
            v
        })
        .collect();
    let count = |a| plan.count(a);
    let mut report = serde_json::json!({
        "destination": place,
        "dry_run": settings.dry_run,
        "summary": {
            "create": count(Action::Create),
            "update": count(Action::Update),
            "unchanged": count(Action::Unchanged),
            "delete": count(Action::Delete),
            "conflict": count(Action::Conflict),
            "remote_only": count(Action::RemoteOnly),
        },
        "posts": posts,
        "phases": phases,
    });
    match &settings.destination {
        Destination::Kv(kv) => {
            report["target"] = "kv".into();
            report["location"] = if kv.remote { "remote" } else { "local" }.into();
            report["wrangler_invocations"] = requests.into();
        }
        Destination::Durable(d) => {
            report["target"] = "do".into();
            report["location"] = d.url.clone().into();
            report["http_requests"] = requests.into();
        }
    }
    report
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::BlogContentArg;
    use crate::config::LoadOptions;

    fn args() -> BlogPushArgs {
        BlogPushArgs {
            content: BlogContentArg { content: None },
            target: None,
            local: false,
            remote: false,
            dry_run: false,
            prune: false,
            force: false,
            stage: false,
            no_stage: false,
            settle: None,
            allow_insecure_http: false,
            json: false,
        }
    }

    fn config() -> Config {
        let opts = LoadOptions {
            cwd: std::env::temp_dir(),
            user_file: None,
            explicit_file: None,
            no_config: true,
        };
        Config::load(&opts, |k| {
            (k == "DEVKIT_BLOG_KV_BINDING").then(|| "POSTS".into())
        })
        .unwrap()
    }

    fn remote(settings: &Settings) -> bool {
        match &settings.destination {
            Destination::Kv(kv) => kv.remote,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn staging_follows_remote_unless_told() {
        let config = config();
        let resolve = |a: BlogPushArgs| Settings::resolve(&a, &config).unwrap();
        let local = resolve(args());
        assert!(!remote(&local) && !local.stage);
        assert_eq!(local.settle, Duration::from_secs(60));
        let remote = resolve(BlogPushArgs {
            remote: true,
            ..args()
        });
        assert!(self::remote(&remote) && remote.stage);
        let remote_now = resolve(BlogPushArgs {
            remote: true,
            no_stage: true,
            ..args()
        });
        assert!(!remote_now.stage);
        let local_staged = resolve(BlogPushArgs {
            stage: true,
            settle: Some("1m 30s".into()),
            ..args()
        });
        assert!(local_staged.stage);
        assert_eq!(local_staged.settle, Duration::from_secs(90));
    }

    #[test]
    fn bad_settle_is_a_usage_error() {
        let config = config();
        let a = BlogPushArgs {
            settle: Some("soon".into()),
            ..args()
        };
        let err = Settings::resolve(&a, &config).unwrap_err();
        assert_eq!(crate::error::status_of(&err), ExitStatus::Usage, "{err}");
    }

    fn do_config(url: Option<&str>) -> Config {
        let opts = LoadOptions {
            cwd: std::env::temp_dir(),
            user_file: None,
            explicit_file: None,
            no_config: true,
        };
        Config::load(&opts, |k| match k {
            "DEVKIT_BLOG_TARGET" => Some("do".into()),
            "DEVKIT_BLOG_DO_URL" => url.map(str::to_string),
            _ => None,
        })
        .unwrap()
    }

    #[test]
    fn the_durable_object_target_needs_a_safe_url() {
        let usage = |config: &Config, a: BlogPushArgs| {
            let err = Settings::resolve(&a, config).unwrap_err();
            assert_eq!(crate::error::status_of(&err), ExitStatus::Usage, "{err}");
            err.to_string()
        };
        assert!(usage(&do_config(None), args()).contains("set blog.do.url"));

        let local = do_config(Some("http://127.0.0.1:8787/admin/api/"));
        let settings = Settings::resolve(&args(), &local).unwrap();
        match &settings.destination {
            Destination::Durable(d) => {
                assert_eq!(d.url, "http://127.0.0.1:8787/admin/api");
                assert_eq!(d.token_env, "DEVKIT_BLOG_TOKEN");
            }
            other => panic!("{other:?}"),
        }
        assert!(!settings.stage);
        assert!(
            usage(
                &local,
                BlogPushArgs {
                    remote: true,
                    ..args()
                }
            )
            .contains("--remote applies to Workers KV")
        );

        let far = do_config(Some("http://192.0.2.1:8787/admin/api"));
        let err = usage(&far, args());
        assert!(
            err.contains("blog.do.url (from env DEVKIT_BLOG_DO_URL)"),
            "{err}"
        );
        assert!(err.contains("in clear"), "{err}");
        let allowed = Settings::resolve(
            &BlogPushArgs {
                allow_insecure_http: true,
                ..args()
            },
            &far,
        );
        assert!(allowed.is_ok());

        // The Durable Object target needs no KV namespace, and flags pick it over config.
        let kv_config = config();
        let settings = Settings::resolve(
            &BlogPushArgs {
                target: Some(BlogTarget::Do),
                ..args()
            },
            &kv_config,
        );
        assert!(settings.unwrap_err().to_string().contains("blog.do.url"));
    }
}
