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
    .map_or_else(|| config.cwd().join("posts"), |r| r.value)
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
