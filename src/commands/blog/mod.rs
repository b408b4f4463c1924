//! `devkit blog …`: validate Markdown posts and publish them.

pub mod assets;
pub mod check;
pub mod model;
pub mod new;
pub mod page;
pub mod plan;
pub mod pull;
pub mod push;
pub mod render;
pub mod source;
pub mod store;

use std::path::{Path, PathBuf};

use crate::cli::BlogContentArg;
use crate::config::{self, Config};
use crate::error::DevkitError;
use render::HtmlPolicy;

/// The posts directory: `--content` (relative to the current directory), else `blog.content`
/// (relative to where it was set).
pub fn content_dir(arg: &BlogContentArg, config: &Config) -> PathBuf {
    config::flag_or(
        arg.content.clone().map(|p| config.cwd().join(p)),
        "--content",
        config.path("blog.content"),
    )
    .expect("blog.content has a default")
    .value
}

/// `blog.html`: how raw HTML in posts is rendered.
pub fn html_policy(config: &Config) -> HtmlPolicy {
    match config.string("blog.html") {
        Some(r) if r.value == "trusted" => HtmlPolicy::Trusted,
        _ => HtmlPolicy::Sanitize,
    }
}

/// How posts are read: `blog.default_status` for posts that do not say.
pub fn parse_options(config: &Config) -> source::Options {
    source::Options {
        default_status: config
            .string("blog.default_status")
            .and_then(|r| source::Status::parse(&r.value))
            .unwrap_or(source::Status::Draft),
    }
}

/// The folder a URL from the site root (`/a.png`) names files in, and how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticDir {
    pub path: PathBuf,
    /// `blog.static` set it (else it was found beside the content folder).
    pub configured: bool,
}

impl StaticDir {
    /// `blog.static` (relative to where it was set); else the first `public/` or `static/`
    /// folder (Astro's, Hugo's) beside the content folder or beside a folder above it, up to
    /// the project root: Astro keeps posts in `src/content/blog/` and `public/` at the top.
    pub fn resolve(content: &Path, config: &Config) -> Option<Self> {
        if let Some(r) = config.path("blog.static") {
            return Some(Self {
                path: r.value,
                configured: true,
            });
        }
        let top = config.project_root().unwrap_or(config.cwd());
        content
            .ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(top))
            .flat_map(|dir| ["public", "static"].map(|name| dir.join(name)))
            .find(|dir| dir.is_dir())
            .map(|path| Self {
                path,
                configured: false,
            })
    }

    /// What `check` says about it.
    pub fn describe(&self, cwd: &Path) -> String {
        format!(
            "files from the site root (`/a.png`) are read from {}{}",
            self.path.strip_prefix(cwd).unwrap_or(&self.path).display(),
            if self.configured {
                " (blog.static)"
            } else {
                " (found beside blog.content; blog.static sets another)"
            }
        )
    }
}

/// The line `check` and `push` print when posts took `blog.default_status`.
pub fn defaulted_note(count: usize, options: &source::Options) -> Option<String> {
    (count > 0).then(|| {
        format!(
            "{count} post{} without a status, draft or published key took blog.default_status ({}); give them `status:` or set blog.default_status to change that",
            if count == 1 { "" } else { "s" },
            options.default_status
        )
    })
}

/// Every post file under `dir`, or an error that says how to point devkit at the posts.
pub fn read_posts_dir(dir: &Path) -> anyhow::Result<Vec<source::SourceFile>> {
    source::read_dir(dir).map_err(|e| {
        DevkitError::failure(format!(
            "cannot read the posts directory {}: {e}",
            dir.display()
        ))
        .with_hint(
            "set blog.content (or --content), or start a post with `devkit blog new \"Title\"`",
        )
        .into()
    })
}
