//! A post as a store holds it (storage format 2): its publish hash (source, assets, renderer
//! version, HTML policy), and, once rendered, its page: HTML, the `~source/` JSON that gives
//! the file back byte for byte, and the index fields (excerpt fitted to the store, tags).
//! Pure except `prepare`'s `read` of the asset files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::commands::blog::assets::{self, Files, Links};
use crate::commands::blog::model::{FORMAT, Page, Record};
use crate::commands::blog::render::{self, HtmlPolicy};
use crate::commands::blog::source::{Diagnostic, Post, Severity, Status};
use crate::commands::blog::store::Limits;

/// A post with what it links, before rendering.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The post file relative to `blog.content`, with `/` separators.
    pub relative: String,
    pub links: Links,
    /// The publish hash.
    pub hash: String,
}

/// The render options for a post: `.mdx` files drop MDX-only lines.
pub fn options(post: &Post, html: HtmlPolicy, highlight: bool) -> render::Options {
    render::Options {
        highlight,
        html,
        mdx: post
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("mdx")),
    }
}

/// Resolve every post's files (read once each, however many posts link them) and hash the
/// posts. Problems (a missing file, one over the store's limit) at the URL's line.
pub fn prepare(
    posts: &[Post],
    content: &Path,
    limits: &Limits,
    html: HtmlPolicy,
    static_dir: Option<&Path>,
    read: &dyn Fn(&Path) -> std::io::Result<Vec<u8>>,
) -> (Vec<Prepared>, Files, Vec<Diagnostic>) {
    let mut files = Files::new();
    let mut by_path: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut out = Vec::new();
    let lookup = assets::Lookup {
        limit: limits.asset,
        static_dir,
        read,
    };
    let prepared = posts
        .iter()
        .map(|post| {
            let opts = options(post, html, false);
            let mut refs = render::local_refs(&post.body, post.body_line, &opts);
            refs.extend(
                post.image
                    .iter()
                    .filter(|u| render::names_a_file(u))
                    .map(|url| render::LocalRef {
                        url: url.clone(),
                        line: post.field_lines.get("image").copied().unwrap_or(1),
                        kind: render::RefKind::Image,
                    }),
            );
            let links = assets::resolve(post, &refs, &lookup, &mut files, &mut by_path, &mut out);
            let relative = relative_path(&post.path, content);
            let hash = publish_hash(&relative, &post.source, &links, html);
            Prepared {
                relative,
                links,
                hash,
            }
        })
        .collect();
    (prepared, files, out)
}

/// `posts/2025/a.md` under `posts` → `2025/a.md`.
fn relative_path(path: &Path, content: &Path) -> String {
    let rel = path.strip_prefix(content).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// SHA-256 over everything the stored page and source depend on, each part length-prefixed:
/// the file's path and whole text, every linked asset (URL and content-addressed name), the
/// renderer's version and the HTML policy. The status is not in it: publishing a draft
/// rewrites it but is no edit.
pub fn publish_hash(relative: &str, source: &str, links: &Links, html: HtmlPolicy) -> String {
    let mut hasher = Sha256::new();
    let mut part = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(bytes);
    };
    part(format!("devkit-format-{FORMAT}").as_bytes());
    part(relative.as_bytes());
    part(source.as_bytes());
    for (url, name) in links {
        part(url.as_bytes());
        part(name.as_bytes());
    }
    part(render::RENDERER_VERSION.to_string().as_bytes());
    part(policy_name(html).as_bytes());
    let digest = hasher.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn policy_name(html: HtmlPolicy) -> &'static str {
    match html {
        HtmlPolicy::Sanitize => "sanitize",
        HtmlPolicy::Trusted => "trusted",
    }
}

#[derive(Serialize)]
struct SourceJson<'a> {
    path: &'a str,
    text: &'a str,
    assets: &'a Links,
}

/// Render one post into its page. Render notes and a cut excerpt are warnings; an excerpt
/// that cannot fit even cut, or a page over the store's limits, is an error (`None`).
pub fn render_page(
    post: &Post,
    prepared: &Prepared,
    limits: &Limits,
    html: HtmlPolicy,
    colour: Colour,
    out: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let opts = options(post, html, colour == Colour::Always);
    let rewrite = |url: &str| {
        prepared
            .links
            .get(url)
            .map(|name| format!("/assets/{name}"))
    };
    let mut rendered = render::render(&post.body, post.body_line, &opts, &rewrite);
    // Uncoloured, the page's size is known only up to a bound; where the bound could break a
    // store's limit, colour it after all so that the limit is checked on the real page.
    if rendered.uncoloured.0 > 0
        && rendered.max_html_len() + post.source.len() + post.body.len() >= limits.page_bytes()
    {
        let opts = options(post, html, true);
        rendered = render::render(&post.body, post.body_line, &opts, &rewrite);
    }
    let diagnostic = |line: usize, severity: Severity, message: String| Diagnostic {
        path: post.path.clone(),
        line,
        severity,
        message,
        others: Vec::new(),
    };
    for note in &rendered.notes {
        out.push(diagnostic(
            note.line,
            Severity::Warning,
            note.message.clone(),
        ));
    }
    let (text, from, line) = match &post.description {
        Some(d) => (
            d.clone(),
            "the description",
            post.field_lines.get("description").copied().unwrap_or(1),
        ),
        None => (rendered.excerpt.clone(), "the excerpt", post.body_line),
    };
    let tags = post.tags.clone();
    let updated = post.updated.map(|d| d.to_string());
    // The cover's URL as the page uses it, so the index needs no `get` to show it.
    let image = post
        .image
        .as_ref()
        .map(|url| rewrite(url).unwrap_or_else(|| url.clone()));
    let record = |excerpt: &str| Record {
        format: FORMAT,
        hash: prepared.hash.clone(),
        title: post.title.clone(),
        status: Status::Published,
        date: post.date.to_string(),
        excerpt: excerpt.to_string(),
        tags: tags.clone(),
        updated: updated.clone(),
        image: image.clone(),
        staged_at: None,
    };
    let excerpt = match render::fit_excerpt(&text, &|candidate| {
        limits.record_fits(&record(candidate))
    }) {
        Some((excerpt, cut)) => {
            if cut {
                out.push(diagnostic(
                    line,
                    Severity::Warning,
                    format!(
                        "{from} was cut to {} of {} characters to fit the KV metadata (1024 bytes with title and tags)",
                        excerpt.chars().count(),
                        text.chars().count()
                    ),
                ));
            }
            excerpt
        }
        None => {
            out.push(diagnostic(
                line,
                Severity::Error,
                "the title, date and tags leave no room for an excerpt in the KV metadata (1024 bytes of JSON): shorten the title or drop tags".into(),
            ));
            return None;
        }
    };
    let source = serde_json::to_string(&SourceJson {
        path: &prepared.relative,
        text: &post.source,
        assets: &prepared.links,
    })
    .expect("strings serialize");
    let page = Page {
        html: rendered.html,
        source,
        excerpt,
        tags: tags.clone(),
        updated: updated.clone(),
        image: image.clone(),
    };
    let problems = limits.page_problems(post, &record(&page.excerpt), &page);
    if !problems.is_empty() {
        for p in problems {
            out.push(diagnostic(1, Severity::Error, p));
        }
        return None;
    }
    Some(page)
}

/// Whether fenced code is coloured: always for a push (the page is stored), only where a store
/// limit could depend on it for `check` (which needs notes, excerpts and sizes, not colours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Always,
    WhereSizeMatters,
}

/// A post's page (when it rendered without an error) and what rendering reported.
pub type PageResult = (Option<Page>, Vec<Diagnostic>);

/// One post's page and what rendering it reported.
fn render_result(
    post: &Post,
    prepared: &Prepared,
    limits: &Limits,
    html: HtmlPolicy,
    colour: Colour,
) -> PageResult {
    let mut diagnostics = Vec::new();
    let page = render_page(post, prepared, limits, html, colour, &mut diagnostics);
    (page, diagnostics)
}

/// Render the `candidates` one after another on this thread until `stop` is set: the pages a
/// push renders while it waits for the store's listing. `None` where nothing was rendered.
pub fn render_ahead(
    posts: &[Post],
    prepared: &[Prepared],
    candidates: &[bool],
    limits: &Limits,
    html: HtmlPolicy,
    colour: Colour,
    stop: &std::sync::atomic::AtomicBool,
) -> Vec<Option<PageResult>> {
    let mut out: Vec<Option<PageResult>> = (0..posts.len()).map(|_| None).collect();
    for i in (0..posts.len()).filter(|&i| candidates[i]) {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        out[i] = Some(render_result(&posts[i], &prepared[i], limits, html, colour));
    }
    out
}

/// Render the posts marked in `wanted` (the others get `None` and no diagnostics), split
/// over the machine's cores: rendering is pure and the heaviest step of `check`.
pub fn render_all(
    posts: &[Post],
    prepared: &[Prepared],
    wanted: &[bool],
    limits: &Limits,
    html: HtmlPolicy,
    colour: Colour,
) -> Vec<PageResult> {
    let work: Vec<usize> = (0..posts.len()).filter(|i| wanted[*i]).collect();
    let mut out: Vec<PageResult> = (0..posts.len()).map(|_| (None, Vec::new())).collect();
    if work.is_empty() {
        return out;
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(work.len());
    let chunk = work.len().div_ceil(threads);
    let done: Vec<Vec<(usize, PageResult)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = work
            .chunks(chunk)
            .map(|indexes| {
                scope.spawn(move || {
                    indexes
                        .iter()
                        .map(|&i| {
                            (
                                i,
                                render_result(&posts[i], &prepared[i], limits, html, colour),
                            )
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("rendering does not panic"))
            .collect()
    });
    for (i, result) in done.into_iter().flatten() {
        out[i] = result;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_publish_hash_covers_source_assets_and_policy() {
        let mut links = Links::new();
        let base = publish_hash("a.md", "text", &links, HtmlPolicy::Sanitize);
        assert_eq!(base.len(), 64);
        assert_ne!(
            base,
            publish_hash("a.md", "text2", &links, HtmlPolicy::Sanitize)
        );
        assert_ne!(
            base,
            publish_hash("a.mdx", "text", &links, HtmlPolicy::Sanitize)
        );
        assert_ne!(
            base,
            publish_hash("a.md", "text", &links, HtmlPolicy::Trusted)
        );
        links.insert("pic.png".into(), "ab.png".into());
        let with = publish_hash("a.md", "text", &links, HtmlPolicy::Sanitize);
        assert_ne!(base, with);
        links.insert("pic.png".into(), "cd.png".into());
        assert_ne!(
            with,
            publish_hash("a.md", "text", &links, HtmlPolicy::Sanitize)
        );
    }

    #[test]
    fn relative_paths_use_slashes() {
        assert_eq!(
            relative_path(Path::new("/x/posts/2025/a.md"), Path::new("/x/posts")),
            "2025/a.md"
        );
    }
}
