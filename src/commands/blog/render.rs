//! A post's Markdown body → the HTML fragment a page embeds, its plain-text excerpt, the
//! relative URLs it uses (so the files next to the post can be published), and the warnings
//! a writer should see at file lines. Pure: no files, no clock, same input → same bytes.

use comrak::nodes::{AstNode, NodeHtmlBlock, NodeValue};
use comrak::{Arena, Options as MdOptions, format_html, parse_document};

/// Bumped whenever the HTML for the same input changes: the publish hash covers it, so a new
/// renderer republishes every post once.
pub const RENDERER_VERSION: u32 = 1;

/// What happens to raw HTML an author wrote in a post.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HtmlPolicy {
    /// Ordinary formatting tags are kept; scripts, event handlers and `javascript:` URLs go.
    Sanitize,
    /// Kept as written (the author's own site, the author's own risk).
    Trusted,
}

#[derive(Clone, Debug)]
pub struct Options {
    pub html: HtmlPolicy,
    /// An `.mdx` post: its `import`/`export` lines and `{/* … */}` comments are dropped.
    pub mdx: bool,
}

/// Where a relative URL was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// `![alt](url)` or an image's reference definition.
    Image,
    /// `[text](url)` or a link's reference definition.
    Link,
    /// `src`/`href`/`srcset` in raw HTML.
    Html,
}

/// A relative URL the body uses, as written, at its file line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalRef {
    pub url: String,
    pub line: usize,
    pub kind: RefKind,
}

/// A warning at a file line (the post still renders).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub line: usize,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Rendered {
    /// The article body only (no `<html>`, `<head>`, title): what the page embeds.
    pub html: String,
    /// Plain text: before the more-marker if any, else the first paragraph.
    pub excerpt: String,
    /// A `<!-- more -->` / `<!--more-->` line was found (the page has `id="more"` there).
    pub has_more: bool,
    /// Warnings at file lines: MDX-only lines dropped, unknown fence language.
    pub notes: Vec<Note>,
}

/// What the page gets where the more-marker stood: an empty anchor readers can link to.
const MORE_ANCHOR: &str = "<span id=\"more\"></span>\n";

fn markdown_options() -> MdOptions<'static> {
    let mut o = MdOptions::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.header_id_prefix = Some(String::new());
    o
}

/// Every relative URL the body uses (Markdown links/images, reference definitions, src/href in
/// raw HTML), as written, with its file line (`first_line` = the file line the body starts on).
/// Absolute URLs, `//host`, `/rooted`, `#fragment`, `mailto:` etc. are not local.
pub fn local_refs(body: &str, first_line: usize, _options: &Options) -> Vec<LocalRef> {
    let arena = Arena::new();
    let md = markdown_options();
    let root = parse_document(&arena, body, &md);
    let mut refs = Vec::new();
    for node in root.descendants() {
        let data = node.data();
        let (url, kind) = match &data.value {
            NodeValue::Link(link) => (&link.url, RefKind::Link),
            NodeValue::Image(link) => (&link.url, RefKind::Image),
            _ => continue,
        };
        if is_local(url) {
            refs.push(LocalRef {
                url: url.clone(),
                line: data.sourcepos.start.line + first_line - 1,
                kind,
            });
        }
    }
    refs
}

/// Render; `rewrite(url_as_written)` gives the URL to use instead (an asset's `/assets/…`), or
/// None to keep it. Pure: no files, no clock.
pub fn render(
    body: &str,
    _first_line: usize,
    options: &Options,
    rewrite: &dyn Fn(&str) -> Option<String>,
) -> Rendered {
    let arena = Arena::new();
    let mut md = markdown_options();
    md.render.r#unsafe = options.html == HtmlPolicy::Trusted;
    let root = parse_document(&arena, body, &md);

    let mut has_more = false;
    let mut excerpt = None;
    for node in root.descendants() {
        let mut data = node.data_mut();
        match &mut data.value {
            NodeValue::Link(link) | NodeValue::Image(link) => {
                if is_local(&link.url)
                    && let Some(new) = rewrite(&link.url)
                {
                    link.url = new;
                }
            }
            NodeValue::HtmlBlock(block) if is_more_marker(&block.literal) => {
                if !has_more {
                    excerpt = Some(plain_text_before(root, node));
                }
                let literal = if has_more { "" } else { MORE_ANCHOR };
                has_more = true;
                data.value = NodeValue::HtmlBlock(NodeHtmlBlock {
                    block_type: 6,
                    literal: literal.to_owned(),
                });
            }
            _ => {}
        }
    }
    let excerpt = excerpt.unwrap_or_else(|| first_paragraph(root));
    let mut html = String::new();
    format_html(root, &md, &mut html).expect("writing to a String cannot fail");
    if options.html == HtmlPolicy::Sanitize {
        // Safe mode replaced raw HTML with a comment; the anchor is ours, so it comes back.
        html = html.replace("<!-- raw HTML omitted -->\n", "");
    }
    Rendered {
        html,
        excerpt,
        has_more,
        notes: Vec::new(),
    }
}

/// The longest cut of `text` at a word boundary, with "…" appended when cut, for which `fits`
/// says yes; `(text, cut?)`, or None when not even "…" alone fits (caller measures the whole
/// serialized metadata in `fits`, so JSON escaping is counted).
pub fn fit_excerpt(text: &str, fits: &dyn Fn(&str) -> bool) -> Option<(String, bool)> {
    if fits(text) {
        return Some((text.to_owned(), false));
    }
    // Candidate cuts: before each whitespace run, longest first.
    let mut cuts: Vec<usize> = text
        .char_indices()
        .filter(|&(i, c)| c.is_whitespace() && i > 0)
        .map(|(i, _)| i)
        .collect();
    cuts.dedup();
    for &cut in cuts.iter().rev() {
        let candidate = format!("{}…", text[..cut].trim_end());
        if fits(&candidate) {
            return Some((candidate, true));
        }
    }
    fits("…").then(|| ("…".to_owned(), true))
}

/// A URL that names a file next to the post: no scheme, not `//host`, not `/rooted`, not only
/// a `#fragment` or `?query`, not empty.
fn is_local(url: &str) -> bool {
    let url = url.trim();
    if url.is_empty() || url.starts_with(['/', '#', '?', '\\']) {
        return false;
    }
    // A scheme is letters, digits, `+`, `-`, `.` up to a `:` before any `/`, `?` or `#`.
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if url.as_bytes()[i] == b':' => {
            let scheme = &url[..i];
            let is_scheme = scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            !is_scheme
        }
        _ => true,
    }
}

fn is_more_marker(literal: &str) -> bool {
    matches!(literal.trim(), "<!-- more -->" | "<!--more-->")
}

/// The plain text of every node before `marker`, in document order.
fn plain_text_before<'a>(root: &'a AstNode<'a>, marker: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for node in root.descendants() {
        if node.same_node(marker) {
            break;
        }
        push_own_text(node, &mut out);
    }
    collapse_whitespace(&out)
}

/// The plain text of the first paragraph that has any.
fn first_paragraph<'a>(root: &'a AstNode<'a>) -> String {
    for node in root.descendants() {
        if matches!(node.data().value, NodeValue::Paragraph) {
            let mut out = String::new();
            for inner in node.descendants() {
                push_own_text(inner, &mut out);
            }
            let text = collapse_whitespace(&out);
            if !text.is_empty() {
                return text;
            }
        }
    }
    String::new()
}

/// A node's own text (not its children's); block ends and breaks count as a space.
fn push_own_text<'a>(node: &'a AstNode<'a>, out: &mut String) {
    match &node.data().value {
        NodeValue::Text(t) => out.push_str(t),
        NodeValue::Code(c) => out.push_str(&c.literal),
        NodeValue::CodeBlock(c) => {
            out.push(' ');
            out.push_str(&c.literal);
        }
        NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
        v if v.block() => out.push(' '),
        _ => {}
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Options {
        Options {
            html: HtmlPolicy::Sanitize,
            mdx: false,
        }
    }

    #[test]
    fn renders_commonmark() {
        let r = render("# Hi\n\nSome *text*.\n", 1, &opts(), &|_| None);
        assert!(r.html.contains("<em>text</em>"), "{}", r.html);
        assert_eq!(r.excerpt, "Some text.");
    }
}
