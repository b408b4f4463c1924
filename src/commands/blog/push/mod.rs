//! `devkit blog push`: resolve → load posts → list the target → plan → apply the phases →
//! report (text on stderr, or `--json` on stdout).

mod ahead;
mod apply;
mod hint;
mod report;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use jiff::Timestamp;

use crate::cli::BlogPushArgs;
use crate::commands::blog::assets::Files;
use crate::commands::blog::page::{self, Prepared};
use crate::commands::blog::plan::{self, Action, Plan, PlanError};
use crate::commands::blog::render::HtmlPolicy;
use crate::commands::blog::source::{self, Diagnostic, Posts};
use crate::commands::blog::store::{Consistency, Limits, Store, StoreKind, StoreSettings};
use crate::config::{Config, Value};
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// What `devkit blog push` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {
    pub cwd: PathBuf,
    pub content: PathBuf,
    pub static_dir: Option<crate::commands::blog::StaticDir>,
    pub store: StoreSettings,
    pub dry_run: bool,
    pub prune: bool,
    pub force: bool,
    pub stage: bool,
    pub settle: Duration,
    /// `blog.html`.
    pub html: HtmlPolicy,
    /// `blog.default_status`.
    pub options: source::Options,
    pub json: bool,
    /// devkit's cache, where the hint of what was last pushed is kept (`pushed.rs`).
    pub cache: PathBuf,
}

impl Settings {
    pub fn resolve(args: &BlogPushArgs, config: &Config) -> Result<Self> {
        let kv_only = [
            (args.stage, "--stage"),
            (args.no_stage, "--no-stage"),
            (args.settle.is_some(), "--settle"),
        ];
        let store = StoreSettings::resolve(&args.store, config, &kv_only)?;
        let remote = matches!(&store, StoreSettings::Kv(kv) if kv.remote);
        let stage = if args.stage {
            true
        } else if args.no_stage {
            false
        } else {
            remote
        };
        let settle = match (&store, &args.settle) {
            (StoreSettings::Durable { .. }, _) => Duration::ZERO,
            (_, Some(text)) => match config.parse_flag("blog.settle", "--settle", text)?.value {
                Value::Duration(d) => d,
                other => unreachable!("blog.settle is a duration, got {other:?}"),
            },
            (_, None) => {
                config
                    .duration("blog.settle")
                    .expect("blog.settle has a default")
                    .value
            }
        };
        Ok(Self {
            cwd: config.cwd().to_path_buf(),
            static_dir: crate::commands::blog::StaticDir::resolve(
                &crate::commands::blog::content_dir(&args.content, config),
                config,
            ),
            content: crate::commands::blog::content_dir(&args.content, config),
            stage: stage && store.kind() == StoreKind::Kv,
            store,
            dry_run: args.dry_run,
            prune: args.prune,
            force: args.force,
            settle,
            html: crate::commands::blog::html_policy(config),
            options: crate::commands::blog::parse_options(config),
            json: args.json,
            cache: crate::commands::cache_dir(),
        })
    }
}

/// Read and validate the posts; print warnings; every error (all at once) stops the push.
pub fn load_posts(
    content: &Path,
    limits: &Limits,
    options: &source::Options,
    cwd: &Path,
    printer: &Printer,
) -> Result<Posts> {
    let files = crate::commands::blog::read_posts_dir(content)?;
    match source::parse_with(&files, options, |p| limits.post_problems(p)) {
        Ok(posts) => {
            for w in &posts.warnings {
                printer.warn(w.render(cwd));
            }
            if let Some(note) = crate::commands::blog::defaulted_note(posts.defaulted, options) {
                printer.info(note);
            }
            Ok(posts)
        }
        Err(diagnostics) => Err(refuse(&diagnostics, cwd, printer)),
    }
}

/// Print every problem; the error that says nothing was pushed.
pub(super) fn refuse(diagnostics: &[Diagnostic], cwd: &Path, printer: &Printer) -> anyhow::Error {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == source::Severity::Error)
        .count();
    for d in diagnostics {
        match d.severity {
            source::Severity::Error => printer.error(d.render(cwd)),
            source::Severity::Warning => printer.warn(d.render(cwd)),
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
        &settings.store.limits(),
        settings.html,
        settings.static_dir.as_ref().map(|s| s.path.as_path()),
        &|path| std::fs::read(path),
    );
    if problems
        .iter()
        .any(|d| d.severity == source::Severity::Error)
    {
        return Err(refuse(&problems, &settings.cwd, printer));
    }
    Ok((prepared, files))
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    // Everything that can be refused without touching the posts comes first: no wrangler,
    // no token.
    let mut store = settings.store.open(&settings.cwd, printer)?;
    let mut posts = load_posts(
        &settings.content,
        &store.limits(),
        &settings.options,
        &settings.cwd,
        printer,
    )?;
    let (prepared, files) = prepare(settings, &posts, printer)?;
    let outcome = push(
        settings,
        &mut posts,
        &prepared,
        &files,
        store.as_mut(),
        printer,
    );
    printer.verbose(1, store.requests_phrase());
    let (plan, rendered, done, failure) = match outcome? {
        Pushed::Planned(plan, rendered) => (plan, rendered, None, None),
        Pushed::Applied(plan, rendered, done, failure) => (plan, rendered, Some(done), failure),
    };
    if settings.json {
        let mut report = report::json(settings, &store.describe(), &plan, done, store.requests());
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

/// Plan against what the store holds, and carry the plan out (unless `--dry-run`).
fn push(
    settings: &Settings,
    posts: &mut Posts,
    prepared: &[Prepared],
    files: &Files,
    store: &mut dyn Store,
    printer: &Printer,
) -> Result<Pushed> {
    let mut hint = hint::Hint::load(&settings.cache, &hint::identity(settings, store));
    let ahead::Ready {
        remote,
        locals,
        rendered,
    } = ahead::list_and_render(settings, posts, prepared, &hint, store, printer)?;
    let options = plan::Options {
        prefix: settings.store.prefix().to_string(),
        prune: settings.prune,
        force: settings.force,
        stage: settings.stage,
        settle: settings.settle,
        now: Timestamp::now(),
        single_phase: store.limits().consistency == Consistency::Strong,
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
    report::print_plan(&plan, settings, &store.describe(), printer);
    if settings.dry_run {
        printer.info("dry run: nothing was written");
        return Ok(Pushed::Planned(plan, rendered));
    }
    if plan.is_noop() {
        printer.info(format!("{}: nothing to do", store.describe()));
        hint::save(&mut hint, &locals, &plan, printer);
        return Ok(Pushed::Applied(plan, rendered, 0, None));
    }
    let (done, failure) = apply::phases(&plan, store, printer);
    if failure.is_none() {
        report::done(&plan, &store.describe(), printer);
        hint::save(&mut hint, &locals, &plan, printer);
    }
    Ok(Pushed::Applied(plan, rendered, done, failure))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{BlogContentArg, BlogStoreArgs};
    use crate::config::LoadOptions;

    fn args() -> BlogPushArgs {
        BlogPushArgs {
            content: BlogContentArg { content: None },
            store: BlogStoreArgs {
                target: None,
                local: false,
                remote: false,
                allow_insecure_http: false,
            },
            dry_run: false,
            prune: false,
            force: false,
            stage: false,
            no_stage: false,
            settle: None,
            json: false,
        }
    }

    fn with_store(change: impl FnOnce(&mut BlogStoreArgs)) -> BlogPushArgs {
        let mut a = args();
        change(&mut a.store);
        a
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
        match &settings.store {
            StoreSettings::Kv(kv) => kv.remote,
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
        let remote = resolve(with_store(|s| s.remote = true));
        assert!(self::remote(&remote) && remote.stage);
        let remote_now = resolve(BlogPushArgs {
            no_stage: true,
            ..with_store(|s| s.remote = true)
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
        match &settings.store {
            StoreSettings::Durable { settings: d, .. } => {
                assert_eq!(d.url, "http://127.0.0.1:8787/admin/api");
                assert_eq!(d.token_env, "DEVKIT_BLOG_TOKEN");
            }
            other => panic!("{other:?}"),
        }
        assert!(!settings.stage);
        assert!(
            usage(&local, with_store(|s| s.remote = true))
                .contains("--remote applies to Workers KV")
        );

        let far = do_config(Some("http://192.0.2.1:8787/admin/api"));
        let err = usage(&far, args());
        assert!(
            err.contains("blog.do.url (from env DEVKIT_BLOG_DO_URL)"),
            "{err}"
        );
        assert!(err.contains("in clear"), "{err}");
        let allowed = Settings::resolve(&with_store(|s| s.allow_insecure_http = true), &far);
        assert!(allowed.is_ok());

        // The Durable Object target needs no KV namespace, and flags pick it over config.
        let kv_config = config();
        let settings = Settings::resolve(
            &with_store(|s| s.target = Some(StoreKind::Durable)),
            &kv_config,
        );
        assert!(settings.unwrap_err().to_string().contains("blog.do.url"));
    }
}
