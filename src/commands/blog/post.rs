//! Posts: reading `*.md`/`*.mdx` files, parsing their YAML front matter, and validating every
//! post against the blog's rules and the target store's limits (which the caller passes).
//! Parsing is pure (`parse`); only `read_dir` touches the filesystem.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_yaml::Value as Yaml;
use sha2::{Digest, Sha256};

/// The front-matter keys devkit reads; any other key is a warning.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "status",
    "slug",
    "description",
    "tags",
    "updated",
];

/// How messages name the keys devkit reads.
const KNOWN_LIST: &str = "title, date, status, slug, description, tags, updated";

/// Who may see a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Nowhere: not in the index, 404 by link.
    Draft,
    /// Reachable by its link, not in the index.
    Unlisted,
    /// In the index and reachable.
    Published,
}

impl Status {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "draft" => Some(Status::Draft),
            "unlisted" => Some(Status::Unlisted),
            "published" => Some(Status::Published),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Unlisted => "unlisted",
            Status::Published => "published",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One valid post.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// The file it came from.
    pub path: PathBuf,
    pub slug: String,
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
}

/// Every `*.md` and `*.mdx` file under `dir` (recursively, hidden entries skipped), sorted.
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
        Some("md" | "mdx")
    )
}

/// The slug a file claims: its front matter's `slug:` when readable, else its file name.
pub fn declared_slug(file: &SourceFile) -> Option<String> {
    let mut ignored = Vec::new();
    if let Some(post) = parse_one(file, &mut ignored) {
        return Some(post.slug);
    }
    let text = std::str::from_utf8(&file.bytes).ok()?;
    let yaml = strip_fence(text)?;
    let end = yaml.find("\n---").unwrap_or(yaml.len());
    let doc: Yaml = serde_yaml::from_str(&yaml[..end]).ok()?;
    match doc.get("slug") {
        Some(Yaml::String(s)) => Some(s.clone()),
        _ => file
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned()),
    }
}

/// `[a-z0-9][a-z0-9-]*`
pub fn is_valid_slug(slug: &str) -> bool {
    let bytes = slug.as_bytes();
    !bytes.is_empty()
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// A slug made from a title: `"Hello, World!"` → `hello-world`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
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

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Parse and validate every file; all problems at once. `store_limits` says what the target
/// store cannot hold of a valid post (one message per problem, reported at the file's line 1).
pub fn parse(
    files: &[SourceFile],
    store_limits: impl Fn(&Post) -> Vec<String>,
) -> Result<Posts, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut posts = Vec::new();
    // Every slug a file claims, even one with errors of its own, so that a clash is reported
    // in the same run as the other problems rather than after they are fixed.
    let mut claims: Vec<(String, &Path)> = Vec::new();
    for file in files {
        match parse_one(file, &mut diagnostics) {
            Some(post) => {
                claims.push((post.slug.clone(), file.path.as_path()));
                posts.push(post);
            }
            None => {
                if let Some(slug) = declared_slug(file).filter(|s| is_valid_slug(s)) {
                    claims.push((slug, file.path.as_path()));
                }
            }
        }
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
    })
}

/// Parse one file, pushing its problems; `None` when it has an error of its own.
fn parse_one(file: &SourceFile, out: &mut Vec<Diagnostic>) -> Option<Post> {
    let path = file.path.as_path();
    let text = match std::str::from_utf8(&file.bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = memchr::memchr_iter(b'\n', &file.bytes[..e.valid_up_to()]).count() + 1;
            out.push(Diagnostic::error(path, line, "the file is not valid UTF-8"));
            return None;
        }
    };
    let source = text;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    let Some(after_open) = strip_fence(text) else {
        out.push(Diagnostic::error(
            path,
            1,
            "expected front matter: the first line must be `---`",
        ));
        return None;
    };
    // Find the closing fence: a line that is exactly `---`.
    let mut offset = 0;
    let mut close = None;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == "---" {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = close else {
        out.push(Diagnostic::error(
            path,
            1,
            "the front matter opened here is not closed by a `---` line",
        ));
        return None;
    };
    let yaml = &after_open[..yaml_end];
    let body = &after_open[body_start..];
    // Line numbers in `yaml` start at 1 on the file's second line.
    let file_line = |yaml_line: usize| yaml_line + 1;

    let doc: Yaml = match serde_yaml::from_str(yaml) {
        Ok(doc) => doc,
        Err(e) => {
            let line = e.location().map_or(1, |l| file_line(l.line()));
            out.push(Diagnostic::error(
                path,
                line,
                format!(
                    "malformed YAML in the front matter: {}",
                    shift_lines(&e.to_string(), 1)
                ),
            ));
            return None;
        }
    };
    let map = match doc {
        Yaml::Mapping(map) => map,
        Yaml::Null => serde_yaml::Mapping::new(),
        _ => {
            out.push(Diagnostic::error(
                path,
                2,
                format!("the front matter must be a mapping of keys ({KNOWN_LIST})"),
            ));
            return None;
        }
    };
    let line_of =
        |key: &str| crate::config::line_of_key(yaml, &[key.to_string()]).map_or(1, file_line);

    let mut problems: Vec<Diagnostic> = Vec::new();
    for key in map.keys() {
        match key.as_str() {
            Some(name) if KNOWN_KEYS.contains(&name) => {}
            Some(name) => problems.push(Diagnostic::warning(
                path,
                line_of(name),
                format!("unknown front-matter key `{name}` (devkit reads {KNOWN_LIST})"),
            )),
            None => problems.push(Diagnostic::error(path, 2, "front-matter keys must be text")),
        }
    }

    let title = match map.get("title") {
        None => {
            problems.push(Diagnostic::error(
                path,
                1,
                "missing `title:` in the front matter",
            ));
            None
        }
        Some(Yaml::String(s)) if s.trim().is_empty() => {
            problems.push(Diagnostic::error(
                path,
                line_of("title"),
                "the title is empty",
            ));
            None
        }
        Some(Yaml::String(s)) => Some(s.trim().to_string()),
        Some(Yaml::Null) => {
            problems.push(Diagnostic::error(
                path,
                line_of("title"),
                "the title is empty",
            ));
            None
        }
        Some(other) => {
            problems.push(Diagnostic::error(
                path,
                line_of("title"),
                format!(
                    "title: expected text, found {} (put it in quotes)",
                    kind(other)
                ),
            ));
            None
        }
    };

    let date = match map.get("date") {
        None => {
            problems.push(Diagnostic::error(
                path,
                1,
                "missing `date:` in the front matter (YYYY-MM-DD)",
            ));
            None
        }
        Some(value) => {
            let text = scalar_text(value);
            match text.as_deref().map(parse_date) {
                Some(Some(date)) => Some(date),
                _ => {
                    problems.push(Diagnostic::error(
                        path,
                        line_of("date"),
                        format!(
                            "date: expected a date such as 2025-04-03, found {}",
                            text.map_or_else(|| kind(value).to_string(), |t| format!("`{t}`"))
                        ),
                    ));
                    None
                }
            }
        }
    };

    let status = match map.get("status") {
        None | Some(Yaml::Null) => Some(Status::Draft),
        Some(value) => match scalar_text(value).as_deref().and_then(Status::parse) {
            Some(status) => Some(status),
            None => {
                problems.push(Diagnostic::error(
                    path,
                    line_of("status"),
                    format!(
                        "status: expected draft, unlisted or published, found {}",
                        scalar_text(value)
                            .map_or_else(|| kind(value).to_string(), |t| format!("`{t}`"))
                    ),
                ));
                None
            }
        },
    };

    let slug = match map.get("slug") {
        Some(value) => match value {
            Yaml::String(s) if is_valid_slug(s) => Some(s.clone()),
            _ => {
                problems.push(Diagnostic::error(
                    path,
                    line_of("slug"),
                    format!(
                        "slug: expected lowercase letters, digits and dashes ([a-z0-9][a-z0-9-]*), found {}",
                        scalar_text(value).map_or_else(|| kind(value).to_string(), |t| format!("`{t}`"))
                    ),
                ));
                None
            }
        },
        None => {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if is_valid_slug(&stem) {
                Some(stem)
            } else {
                problems.push(Diagnostic::error(
                    path,
                    1,
                    format!(
                        "the file name `{stem}` is not a valid slug ([a-z0-9][a-z0-9-]*): rename the file or add `slug: {}`",
                        slugify(&stem)
                    ),
                ));
                None
            }
        }
    };

    let description = match map.get("description") {
        None | Some(Yaml::Null) => None,
        Some(Yaml::String(s)) if s.trim().is_empty() => None,
        Some(Yaml::String(s)) => Some(s.trim().to_string()),
        Some(other) => {
            problems.push(Diagnostic::error(
                path,
                line_of("description"),
                format!("description: expected text, found {}", kind(other)),
            ));
            None
        }
    };

    let tags = match map.get("tags") {
        None | Some(Yaml::Null) => Vec::new(),
        Some(Yaml::Sequence(items)) => {
            let key_line = line_of("tags");
            let mut tags = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let line = item_line(text, key_line, i);
                match item {
                    Yaml::String(s) => match normalise_tag(s) {
                        Some(tag) => {
                            if !tags.contains(&tag) {
                                tags.push(tag);
                            }
                        }
                        None => problems.push(Diagnostic::error(
                            path,
                            line,
                            format!("tags: `{s}` has no letters or digits to make a tag of"),
                        )),
                    },
                    other => problems.push(Diagnostic::error(
                        path,
                        line,
                        format!(
                            "tags: expected each tag to be text, found {} (put it in quotes)",
                            kind(other)
                        ),
                    )),
                }
            }
            tags
        }
        Some(other) => {
            problems.push(Diagnostic::error(
                path,
                line_of("tags"),
                format!("tags: expected a list of text, found {}", kind(other)),
            ));
            Vec::new()
        }
    };

    let updated = match map.get("updated") {
        None | Some(Yaml::Null) => None,
        Some(value) => {
            let text = scalar_text(value);
            match text.as_deref().and_then(parse_date) {
                Some(date) => Some(date),
                None => {
                    problems.push(Diagnostic::error(
                        path,
                        line_of("updated"),
                        format!(
                            "updated: expected a date such as 2025-04-03, found {}",
                            text.map_or_else(|| kind(value).to_string(), |t| format!("`{t}`"))
                        ),
                    ));
                    None
                }
            }
        }
    };

    let failed = problems.iter().any(|d| d.severity == Severity::Error);
    out.extend(problems);
    if failed {
        return None;
    }
    let (title, date, status, slug) = (title?, date?, status?, slug?);
    let hash = content_hash(&title, &date.to_string(), body);
    let mut field_lines = BTreeMap::new();
    for key in KNOWN_KEYS {
        if map.contains_key(*key) {
            field_lines.insert(*key, line_of(key));
        }
    }
    let body_line = text[..text.len() - body.len()].matches('\n').count() + 1;
    Some(Post {
        path: path.to_path_buf(),
        slug,
        title,
        date,
        status,
        body: body.to_string(),
        hash,
        description,
        tags,
        updated,
        source: source.to_string(),
        body_line,
        field_lines,
    })
}

/// A tag as a lowercase slug (`Rust Lang` → `rust-lang`); `None` when nothing is left.
pub fn normalise_tag(text: &str) -> Option<String> {
    let tag = slugify(text);
    (!tag.is_empty()).then_some(tag)
}

/// The file line of item `index` of the list whose key is at `key_line`: a block list has one
/// `- item` line per item; a flow list (`[a, b]`) sits on the key's line.
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

/// The text after a first line that is exactly `---`.
fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let text = text.trim();
    if text.len() != 10 {
        return None;
    }
    text.parse().ok()
}

fn scalar_text(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind(v: &Yaml) -> &'static str {
    match v {
        Yaml::Null => "nothing",
        Yaml::Bool(_) => "a boolean",
        Yaml::Number(_) => "a number",
        Yaml::String(_) => "text",
        Yaml::Sequence(_) => "a list",
        Yaml::Mapping(_) => "a mapping",
        Yaml::Tagged(_) => "a tagged value",
    }
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
                "posts/a.md:3: date: expected a date such as 2025-04-03, found `2025-13-01`",
                "posts/a.md:4: status: expected draft, unlisted or published, found `live`",
                "posts/b.md:4: slug: expected lowercase letters, digits and dashes ([a-z0-9][a-z0-9-]*), found `Bad_Slug`",
                "posts/b.md:5: unknown front-matter key `color` (devkit reads title, date, status, slug, description, tags, updated)",
                "posts/c.md:1: the front matter opened here is not closed by a `---` line",
                "posts/d.md:1: expected front matter: the first line must be `---`",
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
            vec!["posts/c.md:4: updated: expected a date such as 2025-04-03, found `soon`"]
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
