//! Reading the store and rendering what will be written: while the store lists its keys
//! (for KV a wrangler process, a second or more), the posts the hint does not vouch for are
//! rendered on another core. The listing alone decides what is written.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};

use super::hint::Hint;
use super::{Settings, plural, refuse};
use crate::commands::blog::page::{self, PageResult, Prepared};
use crate::commands::blog::plan::{self, Local, Remote, RemoteKey};
use crate::commands::blog::source::{self, Posts};
use crate::commands::blog::store::Store;
use crate::output::Printer;

/// What the plan is made from.
pub struct Ready<'a> {
    pub remote: Remote,
    pub locals: Vec<Local<'a>>,
    /// How many posts were rendered (some perhaps for nothing).
    pub rendered: usize,
}

pub fn list_and_render<'a>(
    settings: &Settings,
    posts: &'a mut Posts,
    prepared: &[Prepared],
    hint: &Hint,
    store: &mut dyn Store,
    printer: &Printer,
) -> Result<Ready<'a>> {
    let (remote, ahead) = list_while_rendering(settings, posts, prepared, hint, store);
    let mut remote = remote.with_context(|| {
        format!(
            "cannot read what {} holds; nothing was changed",
            store.describe()
        )
    })?;
    let prefix = settings.store.prefix();
    let kept = source::keep_published_slugs(&mut posts.posts, |slug| {
        matches!(
            remote.get(&format!("{prefix}{slug}")),
            Some(RemoteKey::Devkit(_))
        )
    });
    for (path, slug) in kept {
        let file = path.strip_prefix(&settings.cwd).unwrap_or(&path);
        printer.info(format!(
            "{}: keeps `{slug}`, the slug it was pushed under (a new post's slug drops the file name's date)",
            file.display()
        ));
    }
    let posts: &'a Posts = posts;
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
    if !settings.force {
        adopt_pulled(&posts.posts, prefix, &mut remote, store)?;
    }
    // One more listing only when a page to write links a file the capped listing may
    // have missed; a no-op push never asks.
    if !store.saw_every_asset() && !plan::missing_assets(&locals, &remote, prefix).is_empty() {
        let assets = store.list_assets().with_context(|| {
            format!(
                "cannot list the files {} holds; nothing was changed",
                store.describe()
            )
        })?;
        remote.extend(assets);
    }
    let rendered = render_rest(
        settings,
        posts,
        prepared,
        &remote,
        ahead,
        &mut locals,
        printer,
    )?;
    Ok(Ready {
        remote,
        locals,
        rendered,
    })
}

/// The store's listing, and the pages rendered meanwhile (`None` where not rendered).
fn list_while_rendering(
    settings: &Settings,
    posts: &Posts,
    prepared: &[Prepared],
    hint: &Hint,
    store: &mut dyn Store,
) -> (Result<Remote>, Vec<Option<PageResult>>) {
    let prefix = settings.store.prefix();
    // A staged push also needs what a stopped one left to finish.
    let staged = settings
        .stage
        .then(|| format!("{prefix}{}", crate::commands::blog::model::STAGED));
    let wanted: Vec<String> = posts
        .posts
        .iter()
        .flat_map(|p| std::iter::once(&p.slug).chain(&p.dated_slug))
        .map(|slug| format!("{prefix}{slug}"))
        .chain(staged)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let limits = store.limits();
    let candidates: Vec<bool> = posts
        .posts
        .iter()
        .zip(prepared)
        .map(|(post, p)| {
            !hint.pushed(&post.slug, &p.hash) && plan::needs_page(None, &p.hash, post.status)
        })
        .collect();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let ahead = candidates.contains(&true).then(|| {
            scope.spawn(|| {
                page::render_ahead(
                    &posts.posts,
                    prepared,
                    &candidates,
                    &limits,
                    settings.html,
                    page::Colour::Always,
                    &stop,
                )
            })
        });
        let remote = store.list(&wanted, settings.prune);
        stop.store(true, Ordering::Relaxed);
        let ahead = ahead.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (
            remote,
            ahead.unwrap_or_else(|| posts.posts.iter().map(|_| None).collect()),
        )
    })
}

/// Render what will be written and was not rendered ahead (an unchanged post costs
/// nothing); every error stops the push, warnings are printed. How many were rendered.
fn render_rest(
    settings: &Settings,
    posts: &Posts,
    prepared: &[Prepared],
    remote: &Remote,
    ahead: Vec<Option<PageResult>>,
    locals: &mut [Local],
    printer: &Printer,
) -> Result<usize> {
    let prefix = settings.store.prefix();
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
        &settings.store.limits(),
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
    if problems
        .iter()
        .any(|d| d.severity == source::Severity::Error)
    {
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
    Ok(rendered)
}

/// Foreign keys that local posts collide with become `Pulled` when the post's body is still
/// exactly their value (`blog pull` wrote the file): one read of just those keys, only when
/// there are any.
fn adopt_pulled(
    posts: &[source::Post],
    prefix: &str,
    remote: &mut Remote,
    store: &mut dyn Store,
) -> Result<()> {
    let colliding: Vec<(&source::Post, String)> = posts
        .iter()
        .map(|p| (p, format!("{prefix}{}", p.slug)))
        .filter(|(_, key)| matches!(remote.get(key), Some(plan::RemoteKey::Foreign)))
        .collect();
    if colliding.is_empty() {
        return Ok(());
    }
    let keys: Vec<String> = colliding.iter().map(|(_, k)| k.clone()).collect();
    let values = store.foreign_values(&keys)?;
    for (post, key) in colliding {
        if plan::adoptable(&post.body, values.get(&key).and_then(|v| v.as_deref())) {
            remote.insert(key, plan::RemoteKey::Pulled);
        }
    }
    Ok(())
}
