//! A post's Markdown body → the HTML fragment a page embeds, its plain-text excerpt, the
//! relative URLs it uses (so the files next to the post can be published), and the warnings
//! a writer should see at file lines. Pure: no files, no clock, same input → same bytes.

mod highlight;
mod mdx;
mod raw_html;
mod sanitize;

use std::borrow::Cow;

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
    /// Colour fenced code. `blog check` turns it off: it needs the notes, the excerpt and the
    /// page's size (bounded by [`Rendered::max_html_len`]), not the colours, which cost ~85% of
    /// rendering.
    pub highlight: bool,
}

/// Where a relative URL was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// `![alt](url)`, or the reference definition an image uses.
    Image,
    /// `[text](url)`, or the reference definition a link uses.
    Link,
    /// `src`/`href`/`srcset`/`poster` in raw HTML.
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
    /// Code of a known language left uncoloured (`highlight: false`): its blocks and bytes.
    pub uncoloured: (usize, usize),
}

impl Rendered {
    /// An upper bound on `html.len()` had the code been coloured: highlighting wraps each run
    /// of one style (at least one byte) in a span, and each block in a styled `<pre>`.
    pub fn max_html_len(&self) -> usize {
        let (blocks, bytes) = self.uncoloured;
        self.html.len()
            + blocks * highlight::MAX_BLOCK_GROWTH
            + bytes * highlight::MAX_GROWTH_PER_BYTE
    }
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
    // Raw HTML reaches the output: the sanitizer filters it afterwards, unless it is trusted.
    o.render.r#unsafe = true;
    o
}

/// The Markdown devkit parses: an MDX body without its MDX-only parts.
fn prepare<'b>(
    body: &'b str,
    first_line: usize,
    options: &Options,
    notes: &mut Vec<Note>,
) -> Cow<'b, str> {
    if options.mdx {
        Cow::Owned(mdx::strip(body, first_line, notes))
    } else {
        Cow::Borrowed(body)
    }
}

/// Every relative URL the body uses (Markdown links/images, reference definitions, src/href in
/// raw HTML), as written, with its file line (`first_line` = the file line the body starts on).
/// Absolute URLs, `//host`, a page of the site (`/about/`), `#fragment`, `mailto:` etc. are
/// not files; `/rooted.png` is (from `blog.static`).
pub fn local_refs(body: &str, first_line: usize, options: &Options) -> Vec<LocalRef> {
    let body = prepare(body, first_line, options, &mut Vec::new());
    let arena = Arena::new();
    let root = parse_document(&arena, &body, &markdown_options());
    let lines: Vec<&str> = body.lines().collect();
    let definitions = reference_definitions(&body);
    let mut definition_reported = vec![false; definitions.len()];
    let file_line = |body_line: usize| body_line + first_line - 1;
    let mut refs = Vec::new();
    for node in root.descendants() {
        let data = node.data();
        let start = data.sourcepos.start.line;
        match &data.value {
            NodeValue::Link(link) | NodeValue::Image(link) if names_a_file(&link.url) => {
                let kind = if matches!(data.value, NodeValue::Image(_)) {
                    RefKind::Image
                } else {
                    RefKind::Link
                };
                let end = data.sourcepos.end;
                let written_inline = lines
                    .get(end.line.wrapping_sub(1))
                    .and_then(|l| l.as_bytes().get(end.column.wrapping_sub(1)))
                    .is_none_or(|&b| b != b']');
                let definition = (!written_inline)
                    .then(|| definitions.iter().position(|d| d.url == link.url))
                    .flatten();
                let line = match definition {
                    // A definition used twice is one URL written once.
                    Some(i) if definition_reported[i] => continue,
                    Some(i) => {
                        definition_reported[i] = true;
                        definitions[i].line
                    }
                    None => start,
                };
                refs.push(LocalRef {
                    url: link.url.clone(),
                    line: file_line(line),
                    kind,
                });
            }
            NodeValue::HtmlBlock(NodeHtmlBlock { literal, .. })
            | NodeValue::HtmlInline(literal) => {
                for span in raw_html::urls(literal) {
                    let url = raw_html::decode(&literal[span.range]);
                    if names_a_file(&url) {
                        refs.push(LocalRef {
                            url,
                            line: file_line(start + span.newlines_before),
                            kind: RefKind::Html,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    refs
}

/// Render; `rewrite(url_as_written)` gives the URL to use instead (an asset's `/assets/…`), or
/// None to keep it. Pure: no files, no clock.
pub fn render(
    body: &str,
    first_line: usize,
    options: &Options,
    rewrite: &dyn Fn(&str) -> Option<String>,
) -> Rendered {
    let mut notes = Vec::new();
    let mut uncoloured = (0, 0);
    let body = prepare(body, first_line, options, &mut notes);
    let arena = Arena::new();
    let md = markdown_options();
    let root = parse_document(&arena, &body, &md);

    let nodes: Vec<&AstNode> = root.descendants().collect();
    let marker = nodes
        .iter()
        .copied()
        .find(|n| matches!(&n.data().value, NodeValue::HtmlBlock(b) if is_more_marker(&b.literal)));
    let excerpt = match marker {
        Some(marker) => plain_text_before(root, marker),
        None => first_paragraph(root),
    };

    let mut anchored = false;
    for node in nodes {
        let line = node.data().sourcepos.start.line + first_line - 1;
        let mut data = node.data_mut();
        let replacement = match &mut data.value {
            NodeValue::Link(link) | NodeValue::Image(link) => {
                if let Some(new) = rewritten(&link.url, rewrite) {
                    link.url = new;
                }
                None
            }
            NodeValue::HtmlBlock(block) if is_more_marker(&block.literal) => {
                // Later markers vanish: one page, one `id="more"`.
                block.literal = if anchored {
                    String::new()
                } else {
                    MORE_ANCHOR.to_owned()
                };
                anchored = true;
                None
            }
            NodeValue::HtmlBlock(NodeHtmlBlock { literal, .. })
            | NodeValue::HtmlInline(literal) => {
                if let Some(new) = rewrite_html(literal, rewrite) {
                    *literal = new;
                }
                None
            }
            NodeValue::CodeBlock(code) => {
                let language = highlight::fence_language(&code.info);
                match highlight::language(language) {
                    _ if language.is_empty() => None,
                    highlight::Language::Known(..) if !options.highlight => {
                        uncoloured.0 += 1;
                        uncoloured.1 += code.literal.len();
                        None
                    }
                    highlight::Language::Known(set, syntax) => {
                        Some(highlight::highlight(&code.literal, set, syntax))
                    }
                    highlight::Language::Plain => {
                        code.info.clear();
                        None
                    }
                    highlight::Language::Unknown => {
                        notes.push(Note {
                            line,
                            message: format!(
                                "unknown code language `{language}`: shown without highlighting"
                            ),
                        });
                        code.info.clear();
                        None
                    }
                }
            }
            _ => None,
        };
        if let Some(literal) = replacement {
            data.value = NodeValue::HtmlBlock(NodeHtmlBlock {
                block_type: 0,
                literal,
            });
        }
    }

    let mut html = String::new();
    format_html(root, &md, &mut html).expect("writing to a String cannot fail");
    if options.html == HtmlPolicy::Sanitize {
        html = sanitize::clean(&html);
    }
    notes.sort_by_key(|n| n.line);
    Rendered {
        html,
        excerpt,
        has_more: marker.is_some(),
        notes,
        uncoloured,
    }
}

/// The URL to write instead of a local `url`: the rewritten file part, keeping the
/// `#fragment` (a page of a PDF, an anchor in an HTML file) when the new URL has none.
fn rewritten(url: &str, rewrite: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if !names_a_file(url) {
        return None;
    }
    let new = rewrite(url)?;
    match url.find('#') {
        Some(i) if !new.contains('#') => Some(format!("{new}{}", &url[i..])),
        _ => Some(new),
    }
}

/// `html` with its local URLs rewritten, or None when none changed.
fn rewrite_html(html: &str, rewrite: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0;
    for span in raw_html::urls(html) {
        if let Some(new) = rewritten(&raw_html::decode(&html[span.range.clone()]), rewrite) {
            out.push_str(&html[copied..span.range.start]);
            out.push_str(&raw_html::encode(&new));
            copied = span.range.end;
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&html[copied..]);
    Some(out)
}

/// A reference definition `[label]: url` on one line, outside fenced code.
struct Definition {
    url: String,
    line: usize,
}

fn reference_definitions(body: &str) -> Vec<Definition> {
    let mut out = Vec::new();
    let mut fence = None;
    for (index, text) in body.lines().enumerate() {
        if let Some((ch, len)) = fence {
            if mdx::closes_fence(text, ch, len) {
                fence = None;
            }
            continue;
        }
        if let Some(open) = mdx::opens_fence(text) {
            fence = Some(open);
            continue;
        }
        let trimmed = text.trim_start_matches(' ');
        if text.len() - trimmed.len() > 3 || !trimmed.starts_with('[') {
            continue;
        }
        let Some(close) = trimmed.find("]:") else {
            continue;
        };
        let rest = trimmed[close + 2..].trim_start();
        let destination = match rest.strip_prefix('<') {
            Some(inner) => inner.split('>').next().unwrap_or(""),
            None => rest.split_whitespace().next().unwrap_or(""),
        };
        if close > 1 && !destination.is_empty() {
            out.push(Definition {
                url: unescape_destination(destination),
                line: index + 1,
            });
        }
    }
    out
}

/// A link destination as Markdown means it: backslash escapes and character references resolved.
fn unescape_destination(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    raw_html::decode(&out)
}

/// The longest cut of `text` at a word boundary, with "…" appended when cut, for which `fits`
/// says yes; `(text, cut?)`, or None when not even "…" alone fits (caller measures the whole
/// serialized metadata in `fits`, so JSON escaping is counted).
pub fn fit_excerpt(text: &str, fits: &dyn Fn(&str) -> bool) -> Option<(String, bool)> {
    if fits(text) {
        return Some((text.to_owned(), false));
    }
    // Candidate cuts: before each whitespace run. A longer cut never fits where a shorter one
    // does not (the metadata only grows with it), so the longest that fits is found by halving.
    let mut cuts: Vec<usize> = text
        .char_indices()
        .filter(|&(i, c)| c.is_whitespace() && i > 0)
        .map(|(i, _)| i)
        .collect();
    cuts.dedup();
    let candidate = |cut: usize| format!("{}…", text[..cut].trim_end());
    let fitting = cuts.partition_point(|&cut| fits(&candidate(cut)));
    if fitting > 0 {
        return Some((candidate(cuts[fitting - 1]), true));
    }
    fits("…").then(|| ("…".to_owned(), true))
}

/// A URL that names a file devkit publishes: one next to the post, or one from the site root
/// (`/images/a.png`, found in `blog.static`). A rooted URL without an extension in its last
/// segment (`/about/`, `/posts/x`) is a page of the site, not a file.
pub fn names_a_file(url: &str) -> bool {
    is_local(url) || is_rooted_file(url)
}

/// `/a.png`, not `//host/a.png` nor `/about/`.
pub fn is_rooted_file(url: &str) -> bool {
    let url = url.trim();
    let path = &url[..url.find(['?', '#']).unwrap_or(url.len())];
    path.starts_with('/')
        && !path.starts_with("//")
        && path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
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

/// The plain text of everything before `marker`, in document order.
fn plain_text_before<'a>(root: &'a AstNode<'a>, marker: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    push_text(root, Some(marker), &mut out);
    collapse_whitespace(&out)
}

/// The plain text of the first paragraph that has any.
fn first_paragraph<'a>(root: &'a AstNode<'a>) -> String {
    for node in root.descendants() {
        if matches!(node.data().value, NodeValue::Paragraph) {
            let mut out = String::new();
            push_text(node, None, &mut out);
            let text = collapse_whitespace(&out);
            if !text.is_empty() {
                return text;
            }
        }
    }
    String::new()
}

/// Appends the reader-visible text of `node` to `out`, stopping at `stop`; true when it was
/// reached. Images (their alt text describes a picture, not the post), footnotes and raw HTML
/// tags are left out; block ends and line breaks count as a space.
fn push_text<'a>(node: &'a AstNode<'a>, stop: Option<&'a AstNode<'a>>, out: &mut String) -> bool {
    if stop.is_some_and(|s| s.same_node(node)) {
        return true;
    }
    match &node.data().value {
        NodeValue::Text(t) => out.push_str(t),
        NodeValue::Code(c) => out.push_str(&c.literal),
        NodeValue::CodeBlock(c) => {
            out.push(' ');
            out.push_str(&c.literal);
        }
        NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
        NodeValue::Image(_)
        | NodeValue::FootnoteReference(_)
        | NodeValue::FootnoteDefinition(_)
        | NodeValue::HtmlInline(_)
        | NodeValue::HtmlBlock(_) => return false,
        v if v.block() => out.push(' '),
        _ => {}
    }
    for child in node.children() {
        if push_text(child, stop, out) {
            return true;
        }
    }
    false
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SANITIZE: Options = Options {
        html: HtmlPolicy::Sanitize,
        mdx: false,
        highlight: true,
    };
    const TRUSTED: Options = Options {
        html: HtmlPolicy::Trusted,
        mdx: false,
        highlight: true,
    };
    const MDX: Options = Options {
        html: HtmlPolicy::Sanitize,
        mdx: true,
        highlight: true,
    };

    fn html(body: &str) -> String {
        render(body, 1, &SANITIZE, &|_| None).html
    }

    /// Stands in for the asset lookup: the URL's file part, flattened into one asset name.
    fn to_assets(url: &str) -> Option<String> {
        let file = url.split(['?', '#']).next().unwrap();
        Some(format!(
            "/assets/{}.png",
            file.replace(['/', '.', ' '], "_")
        ))
    }

    #[test]
    fn gfm_tables_strikethrough_autolinks() {
        let out = html("| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n~~old~~ see https://example.org\n");
        assert!(out.contains("<th align=\"center\">a</th>"), "{out}");
        assert!(out.contains("<td align=\"right\">2</td>"), "{out}");
        assert!(out.contains("<del>old</del>"), "{out}");
        assert!(out.contains("<a href=\"https://example.org\""), "{out}");
    }

    #[test]
    fn headings_get_ids_and_anchors() {
        let out = html("# Hello World\n\n## Hello World\n\n## Ünïcode & more\n");
        assert!(out.contains("<h1 id=\"hello-world\">"), "{out}");
        assert!(out.contains("<h2 id=\"hello-world-1\">"), "{out}");
        assert!(out.contains("href=\"#hello-world\""), "{out}");
        assert!(out.contains("class=\"anchor\""), "{out}");
        assert!(out.contains("id=\"ünïcode--more\""), "{out}");
    }

    #[test]
    fn footnotes_keep_their_ids_and_links() {
        let out = html("A claim.[^src]\n\n[^src]: The source.\n");
        assert!(out.contains("id=\"fnref-src\""), "{out}");
        assert!(out.contains("href=\"#fn-src\""), "{out}");
        assert!(out.contains("<li id=\"fn-src\">"), "{out}");
        assert!(out.contains("href=\"#fnref-src\""), "{out}");
        assert!(out.contains("<section class=\"footnotes\">"), "{out}");
    }

    #[test]
    fn task_lists_are_disabled_checkboxes() {
        let out = html("- [ ] todo\n- [x] done\n");
        assert_eq!(out.matches("type=\"checkbox\"").count(), 2, "{out}");
        assert_eq!(out.matches("disabled=\"\"").count(), 2, "{out}");
        assert_eq!(out.matches("checked").count(), 1, "{out}");
        // An author's input is made just as harmless.
        let out = html("<input type=\"text\" name=\"q\" value=\"x\">\n");
        assert!(out.contains("type=\"checkbox\""), "{out}");
        assert!(!out.contains("text") && !out.contains("name="), "{out}");
    }

    #[test]
    fn known_languages_are_highlighted_with_inline_styles() {
        for lang in [
            "rust", "rs", "ts", "sh", "py", "toml", "yaml", "json", "go", "diff",
        ] {
            let code = if lang == "diff" {
                "--- a\n+++ b\n-x\n+y"
            } else {
                "let x = \"s\"; // c"
            };
            let r = render(&format!("```{lang}\n{code}\n```\n"), 1, &SANITIZE, &|_| {
                None
            });
            assert!(
                r.html.starts_with("<pre style=\"background-color:#"),
                "{lang}: {}",
                r.html
            );
            assert!(
                r.html.contains("<span style=\"color:#"),
                "{lang}: {}",
                r.html
            );
            assert!(r.notes.is_empty(), "{lang}: {:?}", r.notes);
        }
    }

    #[test]
    fn unknown_languages_are_plain_with_a_note_at_the_fence_line() {
        let r = render("Text\n\n```klingon\nx < y\n```\n", 10, &SANITIZE, &|_| None);
        assert!(
            r.html.contains("<pre><code>x &lt; y\n</code></pre>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("style="), "{}", r.html);
        assert_eq!(
            r.notes,
            [Note {
                line: 12,
                message: "unknown code language `klingon`: shown without highlighting".into()
            }]
        );
    }

    #[test]
    fn fences_without_a_language_are_plain_without_a_note() {
        for body in ["```\nx\n```\n", "```text\nx\n```\n", "    indented\n"] {
            let r = render(body, 1, &SANITIZE, &|_| None);
            assert!(r.html.starts_with("<pre><code>"), "{}", r.html);
            assert!(r.notes.is_empty(), "{:?}", r.notes);
        }
    }

    #[test]
    fn sanitizing_drops_scripts_handlers_and_javascript_urls() {
        let out = html(concat!(
            "<script>alert(1)</script>\n\n",
            "<img src=\"x.png\" onerror=\"alert(2)\" alt=\"a\">\n\n",
            "[click](javascript:alert(3)) <a href=\"javascript:alert(4)\">x</a>\n\n",
            "<iframe src=\"https://evil.example\"></iframe>\n\n",
            "<style>body{display:none}</style>\n\n",
            "<p style=\"position:fixed\" onclick=\"alert(5)\">p</p>\n\n",
            "<span style=\"color:red;background:url(x)\">s</span>\n",
        ));
        for bad in [
            "script",
            "alert",
            "onerror",
            "onclick",
            "javascript",
            "iframe",
            "evil",
            "style>",
            "display",
            "position",
            "url(",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert!(out.contains("<img src=\"x.png\" alt=\"a\">"), "{out}");
        assert!(out.contains("<p>p</p>"), "{out}");
    }

    #[test]
    fn sanitizing_keeps_ordinary_formatting() {
        let kept = [
            "<abbr title=\"HyperText\">HTML</abbr>",
            "<kbd>Ctrl</kbd>",
            "<sub>2</sub>",
            "<sup>3</sup>",
            "<mark>m</mark>",
            "<ins>i</ins>",
            "<del>d</del>",
            "<a href=\"https://example.org\" title=\"t\" rel=\"noopener noreferrer\">a</a>",
            "<img src=\"https://example.org/a.png\" alt=\"a\" title=\"t\" width=\"10\" height=\"20\">",
        ];
        let out = html(&format!("Text {}\n", kept.join(" ")));
        for tag in kept {
            assert!(out.contains(tag), "{tag} in {out}");
        }
        let out = html(
            "<details><summary>More</summary>\n\nHidden\n\n</details>\n\n<figure><img src=\"a.png\" alt=\"\"><figcaption>Cap</figcaption></figure>\n",
        );
        for tag in [
            "<details>",
            "<summary>More</summary>",
            "<p>Hidden</p>",
            "<figure>",
            "<figcaption>Cap</figcaption>",
        ] {
            assert!(out.contains(tag), "{tag} in {out}");
        }
    }

    #[test]
    fn trusted_html_is_kept_as_written_but_local_urls_are_rewritten() {
        let body = "<script>track()</script>\n\n<b onclick=\"go()\">b</b> <img src=\"pics/x.png\" style=\"float:left\">\n";
        let r = render(body, 1, &TRUSTED, &to_assets);
        assert!(r.html.contains("<script>track()</script>"), "{}", r.html);
        assert!(r.html.contains("<b onclick=\"go()\">"), "{}", r.html);
        assert!(
            r.html
                .contains("<img src=\"/assets/pics_x_png.png\" style=\"float:left\">"),
            "{}",
            r.html
        );
    }

    #[test]
    fn the_more_marker_becomes_an_anchor_in_both_spellings_and_policies() {
        for marker in ["<!-- more -->", "<!--more-->"] {
            for options in [SANITIZE, TRUSTED] {
                let body = format!(
                    "# Title\n\nIntro *one* &amp;\ntwo.\n\n{marker}\n\nRest.\n\n{marker}\n\nEnd.\n"
                );
                let r = render(&body, 1, &options, &|_| None);
                assert!(r.has_more);
                assert_eq!(r.excerpt, "Title Intro one & two.");
                assert!(
                    !r.html.contains("more -->") && !r.html.contains("more-->"),
                    "{}",
                    r.html
                );
                assert_eq!(
                    r.html.matches("<span id=\"more\"></span>").count(),
                    1,
                    "{}",
                    r.html
                );
                let anchor = r.html.find("id=\"more\"").unwrap();
                assert!(
                    r.html.find("Intro").unwrap() < anchor && anchor < r.html.find("Rest").unwrap()
                );
            }
        }
        let r = render("Text <!-- more --> inline.\n", 1, &SANITIZE, &|_| None);
        assert!(!r.has_more, "only a line of its own is the marker");
    }

    #[test]
    fn without_a_marker_the_excerpt_is_the_first_paragraph() {
        let body = "# Heading\n\n![banner](b.png)\n\nThe *first* [real](x.md) `para`&nbsp;&copy;\n  graph.[^1]\n\nSecond.\n\n[^1]: Note.\n";
        let r = render(body, 1, &SANITIZE, &|_| None);
        assert!(!r.has_more);
        assert_eq!(r.excerpt, "The first real para © graph.");
        assert_eq!(render("", 1, &SANITIZE, &|_| None).excerpt, "");
    }

    #[test]
    fn mdx_only_lines_are_dropped_with_notes() {
        let body = "import Chart from './Chart.astro'\nexport const x = 1\n\n# Title\n\n{/* draft note\n   over lines */}\n\n<Chart />\n\n```js\nimport fs from 'fs'\n```\n";
        let r = render(body, 5, &MDX, &|_| None);
        let lines: Vec<usize> = r.notes.iter().map(|n| n.line).collect();
        assert_eq!(lines, [5, 6, 10], "{:?}", r.notes);
        assert!(!r.html.contains("Chart from"), "{}", r.html);
        assert!(!r.html.contains("draft note"), "{}", r.html);
        assert!(r.html.contains("<h1 id=\"title\">"), "{}", r.html);
        assert!(
            r.html.contains("fs"),
            "import inside code stays: {}",
            r.html
        );
        // Without mdx the same lines are ordinary text.
        let plain = render(body, 5, &SANITIZE, &|_| None);
        assert!(plain.html.contains("Chart from"), "{}", plain.html);
        assert!(plain.notes.is_empty());
    }

    #[test]
    fn a_rooted_url_names_a_file_only_with_an_extension() {
        for file in ["/a.png", "/img/b.JPG?v=2", "/x.pdf#page=2"] {
            assert!(names_a_file(file), "{file}");
        }
        for page in [
            "/about/",
            "/posts/x",
            "//cdn.example/a.png",
            "https://x/a.png",
            "/",
        ] {
            assert!(!names_a_file(page), "{page}");
        }
    }

    #[test]
    fn local_refs_finds_relative_urls_at_file_lines() {
        let body = concat!(
            "Intro ![diagram](./diagram.png \"D\") and [slides](files/talk.pdf#page=2).\n", // 1
            "\n",
            "Absolute: [a](https://x.org) [b](//cdn.x/y) [c](/root) [d](#top) [e](mailto:a@b) ![f](data:image/png;base64,xx) <https://auto.link> www.example.com\n",
            "\n",
            "A [ref link][doc] and ![ref image][logo] and [again][doc].\n", // 5
            "\n",
            "[doc]: docs/guide.pdf\n",     // 7
            "[logo]: <img/my logo.png>\n", // 8
            "\n",
            "<figure>\n", // 10
            "  <img src=\"pics/a.jpg\"\n",
            "       srcset=\"pics/a@2x.jpg 2x, https://x.org/b.jpg 3x\">\n", // 12
            "</figure>\n",
            "\n",
            "Inline <a href='notes.txt'>notes</a>.\n", // 15
            "\n",
            "```html\n<img src=\"in-code.png\">\n```\n",
        );
        let refs = local_refs(body, 10, &SANITIZE);
        let got: Vec<(&str, usize, RefKind)> = refs
            .iter()
            .map(|r| (r.url.as_str(), r.line, r.kind.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("./diagram.png", 10, RefKind::Image),
                ("files/talk.pdf#page=2", 10, RefKind::Link),
                ("docs/guide.pdf", 16, RefKind::Link),
                ("img/my logo.png", 17, RefKind::Image),
                ("pics/a.jpg", 20, RefKind::Html),
                ("pics/a@2x.jpg", 21, RefKind::Html),
                ("notes.txt", 24, RefKind::Html),
            ]
        );
    }

    #[test]
    fn mdx_refs_skip_dropped_lines() {
        let refs = local_refs("import x from './x.js'\n\n![a](a.png)\n", 3, &MDX);
        assert_eq!(
            refs,
            [LocalRef {
                url: "a.png".into(),
                line: 5,
                kind: RefKind::Image
            }]
        );
    }

    #[test]
    fn render_rewrites_local_urls_in_markdown_and_html() {
        let body = "![d](./d.png) [t](files/t.pdf#page=2) [abs](https://x.org/a.png) [r][r]\n\n[r]: r.png\n\n<img src=\"pics/a b.jpg\" srcset=\"x.png 2x\"> <a href=\"t.pdf?dl=1#s\">t</a>\n";
        for options in [SANITIZE, TRUSTED] {
            let out = render(body, 1, &options, &to_assets).html;
            for url in [
                "src=\"/assets/__d_png.png\"",
                "href=\"/assets/files_t_pdf.png#page=2\"",
                "href=\"https://x.org/a.png\"",
                "href=\"/assets/r_png.png\"",
                "src=\"/assets/pics_a_b_jpg.png\"",
                "srcset=\"/assets/x_png.png 2x\"",
                "href=\"/assets/t_pdf.png#s\"",
            ] {
                assert!(out.contains(url), "{url} in {out}");
            }
        }
        // None keeps a URL as written.
        let out = render("![d](./d.png)\n", 1, &SANITIZE, &|_| None).html;
        assert!(out.contains("src=\"./d.png\""), "{out}");
    }

    #[test]
    fn rendering_is_deterministic() {
        let body = "# T\n\n```rust\nfn main() {}\n```\n\n<kbd>x</kbd> [a](a.png)\n";
        let a = render(body, 1, &SANITIZE, &to_assets);
        let b = render(body, 1, &SANITIZE, &to_assets);
        assert_eq!(a.html, b.html);
    }

    #[test]
    fn fit_excerpt_cuts_at_a_word_boundary() {
        let text = "one two three four";
        let within = |n: usize| move |s: &str| s.len() <= n;
        assert_eq!(
            fit_excerpt(text, &within(100)),
            Some((text.to_owned(), false))
        );
        assert_eq!(
            fit_excerpt(text, &within(14)),
            Some(("one two…".to_owned(), true))
        );
        assert_eq!(
            fit_excerpt(text, &within(16)),
            Some(("one two three…".to_owned(), true))
        );
        assert_eq!(fit_excerpt(text, &within(4)), Some(("…".to_owned(), true)));
        assert_eq!(fit_excerpt(text, &within(2)), None);
    }

    #[test]
    fn fit_excerpt_respects_utf8_and_single_long_words() {
        let text = "Grüße aus Köln über alles";
        let within = |n: usize| move |s: &str| s.len() <= n;
        let (cut, was_cut) = fit_excerpt(text, &within(20)).unwrap();
        assert_eq!(cut, "Grüße aus Köln…");
        assert!(was_cut);
        // A word longer than the space is not split: only "…" is left.
        assert_eq!(
            fit_excerpt("Donaudampfschiff", &within(10)),
            Some(("…".to_owned(), true))
        );
        // Measuring JSON escaping is the caller's: `fits` sees the candidate text.
        let json_fits = |s: &str| serde_json::to_string(s).unwrap().len() <= 12;
        assert_eq!(
            fit_excerpt("a \"b\" c d", &json_fits),
            Some(("a \"b\"…".to_owned(), true))
        );
    }

    #[test]
    fn uncoloured_rendering_keeps_notes_and_excerpt_and_bounds_the_coloured_size() {
        let body = "Intro *text*.\n\n```rust\nfn main() { let x = 1 + 2; println!(\"{x}\"); }\n```\n\n```klingon\nQapla'\n```\n";
        let plain = Options {
            highlight: false,
            ..SANITIZE
        };
        let coloured = render(body, 1, &SANITIZE, &|_| None);
        let uncoloured = render(body, 1, &plain, &|_| None);
        assert_eq!(uncoloured.notes, coloured.notes);
        assert_eq!(uncoloured.excerpt, coloured.excerpt);
        assert!(!uncoloured.html.contains("style="), "{}", uncoloured.html);
        assert!(coloured.html.contains("<span style="), "{}", coloured.html);
        assert_eq!(coloured.uncoloured, (0, 0));
        assert_eq!(uncoloured.uncoloured.0, 1);
        assert!(uncoloured.max_html_len() >= coloured.html.len());
    }
}
