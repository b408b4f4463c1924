//! Posts: reading `*.md`/`*.markdown`/`*.mdx` files, finding and parsing their YAML (`---`) or
//! TOML (`+++`) front matter, and validating every post against the blog's rules and the target
//! store's limits (which the caller passes). What each key means, in devkit's own dialect and in
//! other generators', is dialect.rs. Parsing is pure (`parse`); only `read_dir` touches files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_yaml::Value as Yaml;
use sha2::{Digest, Sha256};

mod cover;
pub mod dialect;

pub use crate::commands::blog::model::{Status, hex, is_valid_slug, normalise_tag, slugify};

/// How messages name the keys devkit reads (others' names for them are in docs/BLOG.md).
const KNOWN_LIST: &str = "title, date, status, slug, description, tags, updated, image";

/// One valid post.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// The file it came from.
    pub path: PathBuf,
    pub slug: String,
    /// The slug with the file name's date prefix, when the slug dropped one (Jekyll's rule):
    /// a post already published under it keeps it ([`keep_published_slugs`]).
    pub dated_slug: Option<String>,
    /// The cover image's URL as written in the front matter.
    pub image: Option<String>,
    pub title: String,
    pub date: jiff::civil::Date,
    pub status: Status,
    /// The Markdown after the front matter: what the store holds as the post's value.
    pub body: String,
    /// Identifies title, date and body (not the status): equal hashes need no rewrite.
    pub hash: String,
    /// `description` (or another generator's summary field): the excerpt when given.
    pub description: Option<String>,
    /// Normalised lowercase slugs, de-duplicated, in written order.
    pub tags: Vec<String>,
    pub updated: Option<jiff::civil::Date>,
    /// The whole file text exactly as read (front matter included): what `blog pull` gives back.
    pub source: String,
    /// The 1-based file line the body (after the front matter) starts on.
    pub body_line: usize,
    /// devkit field (`title`, `date`, …) → the file line it came from, for messages about it.
    pub field_lines: BTreeMap<&'static str, usize>,
}

#[cfg(test)]
impl Post {
    /// A draft post with every field empty, for tests that set only what they check
    /// (`Post { slug, title, ..Post::test_defaults() }`).
    pub fn test_defaults() -> Self {
        Self {
            path: "posts/a.md".into(),
            slug: "a".into(),
            dated_slug: None,
            image: None,
            title: "A".into(),
            date: jiff::civil::date(2025, 1, 1),
            status: Status::Draft,
            body: String::new(),
            hash: String::new(),
            description: None,
            tags: Vec::new(),
            updated: None,
            source: String::new(),
            body_line: 1,
            field_lines: BTreeMap::new(),
        }
    }
}

/// A file's bytes, read before parsing so that parsing stays pure.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, at a file and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub severity: Severity,
    pub message: String,
    /// Other files the message is about, named after it (so they render relative too).
    pub others: Vec<PathBuf>,
}

impl Diagnostic {
    fn error(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            line,
            severity: Severity::Error,
            message: message.into(),
            others: Vec::new(),
        }
    }

    fn warning(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, line, message)
        }
    }

    /// `posts/a.md:3: message`, with the path relative to `base`.
    pub fn render(&self, base: &Path) -> String {
        let path = self.path.strip_prefix(base).unwrap_or(&self.path);
        format!("{}:{}: {}", path.display(), self.line, self.message(base))
    }

    /// The message, naming any other files relative to `base`.
    pub fn message(&self, base: &Path) -> String {
        let mut text = self.message.clone();
        for (i, other) in self.others.iter().enumerate() {
            text.push_str(if i == 0 { " " } else { ", " });
            text.push_str(
                &other
                    .strip_prefix(base)
                    .unwrap_or(other)
                    .display()
                    .to_string(),
            );
        }
        text
    }
}

/// The posts of a valid blog, and the warnings that did not stop it.
#[derive(Debug, Default)]
pub struct Posts {
    pub posts: Vec<Post>,
    pub warnings: Vec<Diagnostic>,
    /// How many posts have no status of their own and took `Options::default_status`.
    pub defaulted: usize,
}

/// Every `*.md`, `*.markdown` and `*.mdx` file under `dir` (recursively, hidden entries skipped), sorted.
pub fn read_dir(dir: &Path) -> std::io::Result<Vec<SourceFile>> {
    let mut paths = Vec::new();
    collect(dir, &mut paths)?;
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path)?;
            Ok(SourceFile { path, bytes })
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() || (kind.is_symlink() && path.is_dir()) {
            collect(&path, out)?;
        } else if is_post_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

fn is_post_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown" | "mdx")
    )
}

/// The slug a file claims: what its front matter or file name gives, even when the file has
/// other errors (`None` when not even that can be read).
pub fn declared_slug(file: &SourceFile) -> Option<String> {
    parse_one(file, &Options::default(), &mut Vec::new()).1
}

/// Posts whose dated slug the store already holds (devkit gave a dated file with `date:` its
/// whole name before it followed Jekyll's rule) keep it, so that nothing published moves.
/// The file and slug of each post that kept one.
pub fn keep_published_slugs(
    posts: &mut [Post],
    published: impl Fn(&str) -> bool,
) -> Vec<(PathBuf, String)> {
    let mut kept = Vec::new();
    for post in posts {
        if let Some(dated) = post.dated_slug.as_ref().filter(|s| published(s)) {
            post.slug = dated.clone();
            kept.push((post.path.clone(), dated.clone()));
        }
    }
    kept
}

/// The hash devkit stores in KV metadata: over title, date and body, each length-prefixed so
/// that no two different posts can produce the same input.
pub fn content_hash(title: &str, date: &str, body: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [title, date, body] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hex(&hasher.finalize())
}

/// What parsing needs from the configuration.
#[derive(Debug, Clone)]
pub struct Options {
    /// The status of a post that has no `status`, `draft` or `published` key.
    pub default_status: Status,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            default_status: Status::Draft,
        }
    }
}

/// [`parse_with`] with the default options.
pub fn parse(
    files: &[SourceFile],
    store_limits: impl Fn(&Post) -> Vec<String>,
) -> Result<Posts, Vec<Diagnostic>> {
    parse_with(files, &Options::default(), store_limits)
}

/// Parse and validate every file; all problems at once. `store_limits` says what the target
/// store cannot hold of a valid post (one message per problem, reported at the file's line 1).
pub fn parse_with(
    files: &[SourceFile],
    options: &Options,
    store_limits: impl Fn(&Post) -> Vec<String>,
) -> Result<Posts, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut posts = Vec::new();
    let mut defaulted = 0;
    // Every slug a file claims, even one with errors of its own, so that a clash is reported
    // in the same run as the other problems rather than after they are fixed.
    let mut claims: Vec<(String, &Path)> = Vec::new();
    // Unknown key → the files (and lines) using it: one warning per key, not per file.
    let mut unknown: BTreeMap<String, Vec<(&Path, usize)>> = BTreeMap::new();
    for file in files {
        let mut keys = Vec::new();
        let (post, slug) = parse_one_keys(file, options, &mut diagnostics, &mut keys);
        for (key, line) in keys {
            unknown.entry(key).or_default().push((&file.path, line));
        }
        if let Some(slug) = slug.filter(|s| is_valid_slug(s)) {
            claims.push((slug, file.path.as_path()));
        }
        if let Some((post, took_default)) = post {
            defaulted += usize::from(took_default);
            posts.push(post);
        }
    }
    for (key, uses) in &unknown {
        let (path, line) = uses[0];
        let message = match uses.len() {
            1 => format!("unknown front-matter key `{key}` (devkit reads {KNOWN_LIST})"),
            n => format!(
                "unknown front-matter key `{key}` in {n} files, first here (devkit reads {KNOWN_LIST})"
            ),
        };
        diagnostics.push(Diagnostic::warning(path, line, message));
    }

    let mut by_slug: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for (slug, path) in &claims {
        by_slug.entry(slug).or_default().push(path);
    }
    for (slug, same) in &by_slug {
        if same.len() > 1 {
            for path in same {
                let mut d = Diagnostic::error(path, 1, format!("slug `{slug}` is also used by"));
                d.others = same
                    .iter()
                    .filter(|other| *other != path)
                    .map(|other| other.to_path_buf())
                    .collect();
                diagnostics.push(d);
            }
        }
    }

    for post in &posts {
        for message in store_limits(post) {
            diagnostics.push(Diagnostic::error(&post.path, 1, message));
        }
    }

    diagnostics.sort();
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(diagnostics);
    }
    posts.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(Posts {
        posts,
        warnings: diagnostics,
        defaulted,
    })
}

/// Parse one file, pushing its problems (unknown keys dropped); the post (when it has no error
/// of its own) and the slug it claims.
fn parse_one(
    file: &SourceFile,
    options: &Options,
    out: &mut Vec<Diagnostic>,
) -> (Option<(Post, bool)>, Option<String>) {
    parse_one_keys(file, options, out, &mut Vec::new())
}

/// [`parse_one`], also giving the keys devkit does not read (with their lines). The post comes
/// with whether its status is the configured default.
fn parse_one_keys(
    file: &SourceFile,
    options: &Options,
    out: &mut Vec<Diagnostic>,
    unknown: &mut Vec<(String, usize)>,
) -> (Option<(Post, bool)>, Option<String>) {
    let path = file.path.as_path();
    let source = match std::str::from_utf8(&file.bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = memchr::memchr_iter(b'\n', &file.bytes[..e.valid_up_to()]).count() + 1;
            out.push(Diagnostic::error(path, line, "the file is not valid UTF-8"));
            return (None, None);
        }
    };
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    let front = match split_front(text) {
        Ok(front) => front,
        Err((line, message)) => {
            out.push(Diagnostic::error(path, line, message));
            return (None, None);
        }
    };
    let table = match front.syntax {
        Syntax::Yaml => yaml_table(text, front.text),
        Syntax::Toml => toml_table(front.text),
    };
    let table = match table {
        Ok(table) => table,
        Err((line, message)) => {
            out.push(Diagnostic::error(path, line, message));
            return (None, None);
        }
    };
    let mapped = dialect::map(&table, path, options.default_status);
    unknown.extend(mapped.unknown);
    let fields = match mapped.fields {
        Ok(fields) => fields,
        Err(problems) => {
            out.extend(
                problems
                    .into_iter()
                    .map(|p| Diagnostic::error(path, p.line, p.message)),
            );
            return (None, mapped.slug);
        }
    };
    let body = &text[front.body_start..];
    let hash = content_hash(&fields.title, &fields.date.to_string(), body);
    let body_line = text[..front.body_start].matches('\n').count() + 1;
    let post = Post {
        path: path.to_path_buf(),
        slug: fields.slug,
        dated_slug: fields.dated_slug,
        image: fields.image,
        title: fields.title,
        date: fields.date,
        status: fields.status,
        body: body.to_string(),
        hash,
        description: fields.description,
        tags: fields.tags,
        updated: fields.updated,
        source: source.to_string(),
        body_line,
        field_lines: fields.field_lines,
    };
    (Some((post, fields.status_defaulted)), mapped.slug)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Yaml,
    Toml,
}

/// Where a file's front matter is: its syntax, its text (from the file's line 2), and the
/// byte offset the body starts at.
struct Front<'a> {
    syntax: Syntax,
    text: &'a str,
    body_start: usize,
}

/// Find the fences: `---` … `---` (YAML) or `+++` … `+++` (TOML). `Err((line, message))`.
fn split_front(text: &str) -> Result<Front<'_>, (usize, String)> {
    let first = text.split_inclusive('\n').next().unwrap_or("");
    let (syntax, fence) = match first.trim_end_matches(['\n', '\r']) {
        "---" => (Syntax::Yaml, "---"),
        "+++" => (Syntax::Toml, "+++"),
        line if line.trim_start().starts_with('{') => {
            return Err((
                1,
                "JSON front matter is not supported: write it as YAML between `---` lines (or TOML between `+++` lines)".into(),
            ));
        }
        _ => {
            return Err((
                1,
                "expected front matter: the first line must be `---` (YAML) or `+++` (TOML)".into(),
            ));
        }
    };
    let start = first.len();
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == fence {
            return Ok(Front {
                syntax,
                text: &text[start..offset],
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err((
        1,
        format!("the front matter opened here is not closed by a `{fence}` line"),
    ))
}

/// The file line of a line in the front matter (which starts on the file's line 2).
fn file_line(front_line: usize) -> usize {
    front_line + 1
}

/// YAML front matter as a [`dialect::Table`], every key and list item with its file line.
fn yaml_table(file: &str, yaml: &str) -> Result<dialect::Table, (usize, String)> {
    let doc: Yaml = serde_yaml::from_str(yaml).map_err(|e| {
        let line = e.location().map_or(1, |l| file_line(l.line()));
        (
            line,
            format!(
                "malformed YAML in the front matter: {}",
                shift_lines(&e.to_string(), 1)
            ),
        )
    })?;
    match doc {
        Yaml::Mapping(map) => yaml_mapping(file, yaml, &map, &mut Vec::new(), 1),
        Yaml::Null => Ok(Vec::new()),
        _ => Err((
            2,
            format!("the front matter must be a mapping of keys ({KNOWN_LIST})"),
        )),
    }
}

fn yaml_mapping(
    file: &str,
    yaml: &str,
    map: &serde_yaml::Mapping,
    path: &mut Vec<String>,
    at: usize,
) -> Result<dialect::Table, (usize, String)> {
    let mut table = Vec::with_capacity(map.len());
    for (k, v) in map {
        let Some(name) = k.as_str() else {
            return Err((at.max(2), "front-matter keys must be text".into()));
        };
        path.push(name.to_string());
        let line = crate::config::line_of_key(yaml, path).map_or(at, file_line);
        let node = yaml_node(file, yaml, v, path, line)?;
        path.pop();
        table.push((name.to_string(), node));
    }
    Ok(table)
}

fn yaml_node(
    file: &str,
    yaml: &str,
    v: &Yaml,
    path: &mut Vec<String>,
    line: usize,
) -> Result<dialect::Node, (usize, String)> {
    use dialect::Value;
    let value = match v {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Number(n) => Value::Number(n.to_string()),
        Yaml::String(s) => Value::Text(s.clone()),
        Yaml::Sequence(items) => Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| yaml_node(file, yaml, item, path, item_line(file, line, i)))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(map) => Value::Table(yaml_mapping(file, yaml, map, path, line)?),
        Yaml::Tagged(tagged) => return yaml_node(file, yaml, &tagged.value, path, line),
    };
    Ok(dialect::Node { value, line })
}

/// TOML front matter (Hugo, Zola) as a [`dialect::Table`], lines from the parser's spans.
fn toml_table(toml_text: &str) -> Result<dialect::Table, (usize, String)> {
    let line_at = |offset: usize| {
        file_line(
            memchr::memchr_iter(b'\n', &toml_text.as_bytes()[..offset.min(toml_text.len())])
                .count()
                + 1,
        )
    };
    let doc = toml::de::DeTable::parse(toml_text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_at(s.start));
        (
            line,
            format!(
                "malformed TOML in the front matter: {}",
                e.message().trim_end()
            ),
        )
    })?;
    Ok(toml_entries(doc.get_ref(), &line_at))
}

fn toml_entries(table: &toml::de::DeTable<'_>, line_at: &dyn Fn(usize) -> usize) -> dialect::Table {
    table
        .iter()
        .map(|(k, v)| {
            let line = line_at(k.span().start);
            (
                k.get_ref().to_string(),
                toml_node(v.get_ref(), line, line_at),
            )
        })
        .collect()
}

fn toml_node(
    v: &toml::de::DeValue<'_>,
    line: usize,
    line_at: &dyn Fn(usize) -> usize,
) -> dialect::Node {
    use dialect::Value;
    use toml::de::DeValue;
    let value = match v {
        DeValue::String(s) => Value::Text(s.to_string()),
        DeValue::Integer(i) => Value::Number(i.as_str().to_string()),
        DeValue::Float(f) => Value::Number(f.as_str().to_string()),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string()),
        DeValue::Array(items) => Value::List(
            items
                .iter()
                .map(|item| toml_node(item.get_ref(), line_at(item.span().start), line_at))
                .collect(),
        ),
        DeValue::Table(t) => Value::Table(toml_entries(t, line_at)),
    };
    dialect::Node { value, line }
}

/// The file line of item `index` of the YAML list whose key is at `key_line`: a block list has
/// one `- item` line per item; a flow list (`[a, b]`) sits on the key's line.
fn item_line(text: &str, key_line: usize, index: usize) -> usize {
    let flow = text
        .lines()
        .nth(key_line.saturating_sub(1))
        .is_some_and(|l| l.contains('['));
    if flow {
        return key_line;
    }
    text.lines()
        .enumerate()
        .skip(key_line)
        .take_while(|(_, l)| l.is_empty() || l.starts_with([' ', '\t', '-', '#']))
        .filter(|(_, l)| {
            let t = l.trim_start();
            t == "-" || t.starts_with("- ")
        })
        .nth(index)
        .map_or(key_line, |(i, _)| i + 1)
}

/// The YAML parser counts lines from the front matter's first line; the file has `---` above.
fn shift_lines(message: &str, by: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        let (before, after) = rest.split_at(at + "line ".len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + by).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from(format!("posts/{name}")),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn parse_files(files: &[SourceFile]) -> Result<Posts, Vec<Diagnostic>> {
        parse(files, |_| Vec::new())
    }

    fn rendered(diags: &[Diagnostic]) -> Vec<String> {
        diags.iter().map(|d| d.render(Path::new(""))).collect()
    }

    #[test]
    fn parses_a_post_with_defaults() {
        let posts = parse_files(&[file(
            "hello.md",
            "---\ntitle: Hello\ndate: 2025-04-03\n---\nBody\n",
        )])
        .unwrap();
        let post = &posts.posts[0];
        assert_eq!(post.slug, "hello");
        assert_eq!(post.title, "Hello");
        assert_eq!(post.status, Status::Draft);
        assert_eq!(post.date.to_string(), "2025-04-03");
        assert_eq!(post.body, "Body\n");
        assert_eq!(post.hash.len(), 64);
        assert!(posts.warnings.is_empty());
    }

    #[test]
    fn slug_from_front_matter_wins_and_hash_ignores_status() {
        let a = parse_files(&[file(
            "x.mdx",
            "---\ntitle: T\ndate: 2025-01-01\nstatus: published\nslug: other\n---\nB",
        )])
        .unwrap();
        let b = parse_files(&[file("x.mdx", "---\ntitle: T\ndate: 2025-01-01\n---\nB")]).unwrap();
        assert_eq!(a.posts[0].slug, "other");
        assert_eq!(a.posts[0].status, Status::Published);
        assert_eq!(a.posts[0].hash, b.posts[0].hash);
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let files = [
            file(
                "a.md",
                "---\ntitle: \"\"\ndate: 2025-13-01\nstatus: live\n---\n",
            ),
            file(
                "b.md",
                "---\ntitle: B\ndate: 2025-01-01\nslug: Bad_Slug\ncolor: red\n---\n",
            ),
            file("c.md", "---\ntitle: C\ndate: 2025-01-01\n"),
            file("d.md", "no front matter\n"),
            file("e.md", "---\ntitle: [unclosed\ndate: 2025-01-01\n---\n"),
        ];
        let diags = parse_files(&files).unwrap_err();
        assert_eq!(
            rendered(&diags),
            vec![
                "posts/a.md:2: the title is empty",
                "posts/a.md:3: date: expected a date such as 2025-04-03, found `2025-13-01` (month 13)",
                "posts/a.md:4: status: expected draft, unlisted or published, found `live`",
                "posts/b.md:4: slug: expected lowercase letters, digits and dashes ([a-z0-9][a-z0-9-]*), found `Bad_Slug`",
                "posts/b.md:5: unknown front-matter key `color` (devkit reads title, date, status, slug, description, tags, updated, image)",
                "posts/c.md:1: the front matter opened here is not closed by a `---` line",
                "posts/d.md:1: expected front matter: the first line must be `---` (YAML) or `+++` (TOML)",
                rendered(&diags)[7].as_str(),
            ]
        );
        let yaml = &diags[7];
        assert_eq!(yaml.path, PathBuf::from("posts/e.md"));
        assert!(
            yaml.message.starts_with("malformed YAML"),
            "{}",
            yaml.message
        );
        assert!(
            yaml.line >= 2,
            "YAML errors point into the file: {}",
            yaml.line
        );
    }

    #[test]
    fn missing_title_and_date_are_errors() {
        let diags = parse_files(&[file("a.md", "---\nstatus: draft\n---\n")]).unwrap_err();
        let text = rendered(&diags).join("\n");
        assert!(text.contains("posts/a.md:1: missing `title:`"), "{text}");
        assert!(text.contains("posts/a.md:1: missing `date:`"), "{text}");
    }

    #[test]
    fn duplicate_slugs_name_both_files() {
        let diags = parse_files(&[
            file(
                "one.md",
                "---\ntitle: A\ndate: 2025-01-01\nslug: same\n---\n",
            ),
            file("same.md", "---\ntitle: B\ndate: 2025-01-01\n---\n"),
        ])
        .unwrap_err();
        assert_eq!(
            rendered(&diags),
            vec![
                "posts/one.md:1: slug `same` is also used by posts/same.md",
                "posts/same.md:1: slug `same` is also used by posts/one.md",
            ]
        );
    }

    #[test]
    fn a_duplicate_slug_is_reported_beside_a_files_other_errors() {
        let diags = parse_files(&[
            file("one.md", "---\ntitle: A\ndate: 2025-01-01\n---\n"),
            file("two.md", "---\ntitle: B\nslug: one\n---\n"),
        ])
        .unwrap_err();
        let text = rendered(&diags);
        assert!(
            text.contains(&"posts/two.md:1: slug `one` is also used by posts/one.md".to_string()),
            "{text:?}"
        );
        assert!(
            text.contains(&"posts/one.md:1: slug `one` is also used by posts/two.md".to_string()),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|l| l.starts_with("posts/two.md") && l.contains("date")),
            "{text:?}"
        );
    }

    #[test]
    fn non_utf8_is_reported_at_its_line() {
        let bad = SourceFile {
            path: "posts/bin.md".into(),
            bytes: b"---\ntitle: x\n\xff\n".to_vec(),
        };
        let diags = parse_files(&[bad]).unwrap_err();
        assert_eq!(
            rendered(&diags),
            vec!["posts/bin.md:3: the file is not valid UTF-8"]
        );
    }

    #[test]
    fn warnings_alone_do_not_fail() {
        let posts = parse_files(&[file(
            "a.md",
            "---\ntitle: A\ndate: 2025-01-01\nlayout: post\n---\n",
        )])
        .unwrap();
        assert_eq!(posts.warnings.len(), 1);
        assert_eq!(posts.warnings[0].line, 4);
    }

    #[test]
    fn store_limits_are_errors_at_line_1() {
        let files = [file("a.md", "---\ntitle: A\ndate: 2025-01-01\n---\n")];
        let diags = parse(&files, |p| vec![format!("{} is too big", p.slug)]).unwrap_err();
        assert_eq!(rendered(&diags), vec!["posts/a.md:1: a is too big"]);
    }

    #[test]
    fn a_file_name_that_is_no_slug_needs_a_slug_key() {
        let diags = parse_files(&[file("My Post.md", "---\ntitle: A\ndate: 2025-01-01\n---\n")])
            .unwrap_err();
        assert!(
            diags[0].message.contains("add `slug: my-post`"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn description_tags_and_updated_are_read_with_their_lines() {
        let text = "---\ntitle: A\ndate: 2025-01-01\ndescription: \" Short. \"\ntags:\n  - Rust Lang\n  - cli\n  - rust-lang\nupdated: 2025-02-03\n---\nBody\n";
        let posts = parse_files(&[file("a.md", text)]).unwrap();
        let post = &posts.posts[0];
        assert!(posts.warnings.is_empty(), "{:?}", posts.warnings);
        assert_eq!(post.description.as_deref(), Some("Short."));
        assert_eq!(post.tags, vec!["rust-lang", "cli"]);
        assert_eq!(post.updated, Some(jiff::civil::date(2025, 2, 3)));
        assert_eq!(post.source, text);
        assert_eq!(post.body_line, 11);
        assert_eq!(post.field_lines["title"], 2);
        assert_eq!(post.field_lines["tags"], 5);
        assert_eq!(post.field_lines["updated"], 9);
        assert!(!post.field_lines.contains_key("slug"));
    }

    #[test]
    fn a_tag_that_is_not_text_is_an_error_at_its_line() {
        let block = "---\ntitle: A\ndate: 2025-01-01\ntags:\n  - ok\n  - 12\n---\n";
        let flow = "---\ntitle: A\ndate: 2025-01-01\ntags: [ok, {a: 1}]\n---\n";
        let diags = parse_files(&[file("a.md", block), file("b.md", flow)]).unwrap_err();
        assert_eq!(
            rendered(&diags),
            vec![
                "posts/a.md:6: tags: expected each tag to be text, found a number (put it in quotes)",
                "posts/b.md:4: tags: expected each tag to be text, found a mapping (put it in quotes)",
            ]
        );
        let diags = parse_files(&[file(
            "c.md",
            "---\ntitle: A\ndate: 2025-01-01\nupdated: soon\n---\n",
        )])
        .unwrap_err();
        assert_eq!(
            rendered(&diags),
            vec![
                "posts/c.md:4: updated: expected a date such as 2025-04-03, found `soon` (not YYYY-MM-DD, RFC 3339 or a month-name date such as `Jul 01 2022`)"
            ]
        );
    }

    #[test]
    fn hugo_toml_front_matter_with_its_lines() {
        let text = "+++\ntitle = \"Hugo post\"\ndate = 2024-05-01T10:00:00+02:00\ndraft = true\ntags = [\"Go\", \"web\"]\nlastmod = 2024-05-03\n+++\nBody <!--more--> rest\n";
        let posts = parse_files(&[file("hugo-post.md", text)]).unwrap();
        let post = &posts.posts[0];
        assert_eq!(post.slug, "hugo-post");
        assert_eq!(post.date, jiff::civil::date(2024, 5, 1));
        assert_eq!(post.status, Status::Draft);
        assert_eq!(post.tags, vec!["go", "web"]);
        assert_eq!(post.updated, Some(jiff::civil::date(2024, 5, 3)));
        assert_eq!(post.body, "Body <!--more--> rest\n");
        assert_eq!(post.body_line, 8);
        assert_eq!(post.field_lines["date"], 3);
        assert_eq!(post.field_lines["status"], 4);
        assert_eq!(post.field_lines["tags"], 5);
        assert_eq!(posts.defaulted, 0);

        let bad = "+++\ntitle = \"T\"\ndate = 2024-05-01\ntags = [\"a\", 3]\n+++\n";
        let broken = "+++\ntitle = \"T\"\ndate = = 1\n+++\n";
        let diags = parse_files(&[file("a.md", bad), file("b.md", broken)]).unwrap_err();
        let text = rendered(&diags);
        assert_eq!(
            text[0],
            "posts/a.md:4: tags: expected each tag to be text, found a number (put it in quotes)"
        );
        assert!(
            text[1].starts_with("posts/b.md:3: malformed TOML in the front matter"),
            "{text:?}"
        );
    }

    #[test]
    fn json_or_unclosed_toml_front_matter_is_a_clear_error() {
        let diags = parse_files(&[
            file("a.md", "{\n  \"title\": \"x\"\n}\nBody\n"),
            file("b.md", "+++\ntitle = \"x\"\n---\n"),
        ])
        .unwrap_err();
        assert_eq!(
            rendered(&diags),
            vec![
                "posts/a.md:1: JSON front matter is not supported: write it as YAML between `---` lines (or TOML between `+++` lines)",
                "posts/b.md:1: the front matter opened here is not closed by a `+++` line",
            ]
        );
    }

    #[test]
    fn unknown_keys_are_reported_once_per_key_with_the_file_count() {
        let files: Vec<SourceFile> = (0..3)
            .map(|i| {
                file(
                    &format!("p{i}.markdown"),
                    &format!(
                        "---\ntitle: P\ndate: 2025-01-0{}\nlayout: post\nauthor: x\n---\n",
                        i + 1
                    ),
                )
            })
            .collect();
        let mut files = files;
        files.push(file(
            "q.md",
            "---\ntitle: Q\ndate: 2025-01-01\nauthor: y\n---\n",
        ));
        let posts = parse_files(&files).unwrap();
        assert_eq!(posts.posts.len(), 4, ".markdown files are posts");
        assert_eq!(posts.defaulted, 4);
        assert_eq!(
            rendered(&posts.warnings),
            vec![
                "posts/p0.markdown:4: unknown front-matter key `layout` in 3 files, first here (devkit reads title, date, status, slug, description, tags, updated, image)",
                "posts/p0.markdown:5: unknown front-matter key `author` in 4 files, first here (devkit reads title, date, status, slug, description, tags, updated, image)",
            ]
        );
        assert!(is_post_file(Path::new("a/b.markdown")));
    }

    #[test]
    fn the_default_status_applies_only_to_posts_that_do_not_say() {
        let files = [
            file("a.md", "---\ntitle: A\ndate: 2025-01-01\n---\n"),
            file(
                "b.md",
                "---\ntitle: B\ndate: 2025-01-01\ndraft: true\n---\n",
            ),
        ];
        let options = Options {
            default_status: Status::Published,
        };
        let posts = parse_with(&files, &options, |_| Vec::new()).unwrap();
        assert_eq!(posts.posts[0].status, Status::Published);
        assert_eq!(posts.posts[1].status, Status::Draft);
        assert_eq!(posts.defaulted, 1);
    }

    #[test]
    fn a_bundle_is_named_by_its_folder_and_a_bom_is_kept_in_the_source() {
        let text = "\u{feff}---\ntitle: Z\ndate: 2025-01-01\n---\n![a](./pic.png)\n";
        let posts = parse_files(&[SourceFile {
            path: "content/my-post/index.md".into(),
            bytes: text.as_bytes().to_vec(),
        }])
        .unwrap();
        assert_eq!(posts.posts[0].slug, "my-post");
        assert_eq!(
            posts.posts[0].path,
            PathBuf::from("content/my-post/index.md")
        );
        assert_eq!(posts.posts[0].source, text);
        assert_eq!(posts.posts[0].body_line, 5);
    }

    #[test]
    fn a_published_dated_slug_is_kept_and_a_new_one_is_not() {
        let files = [
            file(
                "2023-11-05-old.md",
                "---\ntitle: O\ndate: 2023-11-05\n---\n",
            ),
            file("2024-01-02-new.md", "---\ntitle: N\n---\n"),
        ];
        let mut posts = parse_files(&files).unwrap().posts;
        assert_eq!(posts[0].slug, "new");
        assert_eq!(posts[1].slug, "old");
        let kept = keep_published_slugs(&mut posts, |s| s == "2023-11-05-old");
        assert_eq!(
            kept,
            vec![(
                PathBuf::from("posts/2023-11-05-old.md"),
                "2023-11-05-old".into()
            )]
        );
        assert_eq!(
            (posts[0].slug.as_str(), posts[1].slug.as_str()),
            ("new", "2023-11-05-old")
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  Using Durable Objects "), "using-durable-objects");
        assert_eq!(slugify("Ünïcode only"), "n-code-only");
        assert!(is_valid_slug("a-1"));
        assert!(!is_valid_slug("-a"));
        assert!(!is_valid_slug("A"));
        assert!(!is_valid_slug(""));
    }
}
