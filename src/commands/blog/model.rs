//! What a store holds, in devkit's words: the key layout (`~source/`, `~assets/`), the record
//! and its metadata (storage format 2), `Status`, and the slug and tag rules. Pure.

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The storage format devkit writes (docs/BLOG.md): 2 = rendered HTML, source and assets
/// in keys of their own. A post stored in an older format is rewritten once.
pub const FORMAT: u64 = 2;

/// Where a post's source lives beside its page, and where assets live: `P + SOURCE + slug`,
/// `P + ASSETS + name`. `~` sorts after every slug character, so a listing returns every
/// post key before these.
pub const SOURCE: &str = "~source/";
pub const ASSETS: &str = "~assets/";
/// `P + STAGED`: what a staged push on an eventually consistent store still waits for, so
/// that the next push (from any checkout) finishes it, waiting only what remains.
pub const STAGED: &str = "~staged";

/// The value of the `~staged` key: files by name, each with the time since which it has
/// settled (`None`: its write may not have finished; the next push waits a whole settle).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staged {
    /// Files written for pages that link them only once they have settled.
    #[serde(default)]
    pub files: BTreeMap<String, Option<Timestamp>>,
    /// Files no page links any more, deleted once the pages that did have settled.
    #[serde(default)]
    pub deletes: BTreeMap<String, Option<Timestamp>>,
}

impl Staged {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.deletes.is_empty()
    }

    /// Every time still unknown set to `now` (the previous phase has ended by then).
    pub fn stamped(&self, now: Timestamp) -> Self {
        let stamp = |m: &BTreeMap<String, Option<Timestamp>>| {
            m.iter()
                .map(|(k, v)| (k.clone(), Some(v.unwrap_or(now))))
                .collect()
        };
        Self {
            files: stamp(&self.files),
            deletes: stamp(&self.deletes),
        }
    }
}

/// What devkit records beside each post it writes (KV metadata, or a Durable Object's row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The storage format the post was written in.
    pub format: u64,
    pub hash: String,
    pub title: String,
    pub status: Status,
    pub date: String,
    /// Plain text for the index (fitted to the store's metadata limit).
    pub excerpt: String,
    pub tags: Vec<String>,
    pub updated: Option<String>,
    /// The cover image's URL (`/assets/<name>` for a published file).
    pub image: Option<String>,
    /// Set while a post waits, `unlisted`, for the store to settle (staged publish or prune).
    pub staged_at: Option<Timestamp>,
}

/// The marker devkit puts in every key's metadata, with the storage format's version.
pub const MARKER: &str = "devkit";

/// A post key's metadata as devkit writes it (documented in docs/BLOG.md). Format 1 had
/// the same fields up to `date`; `excerpt`, `tags` and `updated` came with format 2.
#[derive(Debug, Serialize, Deserialize)]
pub struct Metadata {
    pub devkit: u64,
    pub hash: String,
    pub title: String,
    pub status: String,
    pub date: String,
    #[serde(default)]
    pub excerpt: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staged_at: Option<String>,
}

impl Metadata {
    pub fn from_record(record: &Record) -> Self {
        Self {
            // A format-1 key only changing status (staged prune) keeps its format.
            devkit: record.format,
            hash: record.hash.clone(),
            title: record.title.clone(),
            status: record.status.as_str().to_string(),
            date: record.date.clone(),
            excerpt: record.excerpt.clone(),
            tags: record.tags.clone(),
            updated: record.updated.clone(),
            image: record.image.clone(),
            staged_at: record.staged_at.map(|t| t.to_string()),
        }
    }

    /// A record when the metadata is devkit's (format 1 or 2); `None` for anything else.
    pub fn parse(value: &serde_json::Value) -> Option<Record> {
        let format = value.get(MARKER).and_then(serde_json::Value::as_u64)?;
        if !(1..=FORMAT).contains(&format) {
            return None;
        }
        let meta: Metadata = serde_json::from_value(value.clone()).ok()?;
        Some(Record {
            format,
            hash: meta.hash,
            title: meta.title,
            status: Status::parse(&meta.status)?,
            date: meta.date,
            excerpt: meta.excerpt,
            tags: meta.tags,
            updated: meta.updated,
            image: meta.image,
            staged_at: match meta.staged_at {
                Some(text) => Some(text.parse().ok()?),
                None => None,
            },
        })
    }

    /// The largest metadata `record` can need (published, or staged), in bytes of JSON.
    pub fn max_len(record: &Record) -> usize {
        let mut worst = Metadata::from_record(record);
        worst.status = "published".into();
        worst.staged_at = Some("2026-01-01T00:00:00.123456789Z".into());
        serde_json::to_vec(&worst).map_or(usize::MAX, |v| v.len())
    }
}

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

/// What a store holds for one post, beside the record fields the plan fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The rendered article body (a fragment: the Worker wraps it).
    pub html: String,
    /// The `~source/` JSON: `{"path", "text", "assets"}`.
    pub source: String,
    pub excerpt: String,
    pub tags: Vec<String>,
    pub updated: Option<String>,
    pub image: Option<String>,
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

/// A tag as a lowercase slug (`Rust Lang` → `rust-lang`); `None` when nothing is left.
pub fn normalise_tag(text: &str) -> Option<String> {
    let tag = slugify(text);
    (!tag.is_empty()).then_some(tag)
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// One post as the store holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// devkit pushed it (format 2): the file it came from, byte for byte, and its assets.
    Source { slug: String, source: Source },
    /// Markdown with `{title, status, date}` metadata: the seed's model, or devkit's format 1.
    Markdown {
        slug: String,
        meta: serde_json::Value,
        body: String,
        /// devkit's own format 1 (rewritten by the next push anyway), not a foreign key.
        devkit: bool,
    },
    /// Nothing devkit can make a file of; `why` says what is missing.
    Unusable { slug: String, why: String },
}

impl Entry {
    /// An entry from its metadata and value (`is_source`: the value is a `~source/` JSON).
    pub fn from_value(
        slug: String,
        meta: serde_json::Value,
        value: Option<String>,
        is_source: bool,
    ) -> Self {
        let Some(value) = value else {
            return Entry::Unusable {
                slug,
                why: if is_source {
                    "its source key is missing (push it again to restore it)".into()
                } else {
                    "the key vanished while pulling".into()
                },
            };
        };
        if is_source {
            return match serde_json::from_str::<Source>(&value) {
                Ok(source) => Entry::Source { slug, source },
                Err(e) => Entry::Unusable {
                    slug,
                    why: format!("its source key is not devkit's source JSON: {e}"),
                },
            };
        }
        let devkit = meta.get(MARKER).is_some();
        Entry::Markdown {
            slug,
            meta,
            body: value,
            devkit,
        }
    }

    pub fn slug(&self) -> &str {
        match self {
            Entry::Source { slug, .. }
            | Entry::Markdown { slug, .. }
            | Entry::Unusable { slug, .. } => slug,
        }
    }
}

/// The `~source/` value of format 2 (docs/BLOG.md).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Source {
    /// The post file, relative to `blog.content`, `/`-separated.
    pub path: String,
    pub text: String,
    /// URL as written in the post → asset name (`<sha256>.<ext>`).
    #[serde(default)]
    pub assets: BTreeMap<String, String>,
}

/// Lower-case hex of a file's SHA-256 (an asset's name begins with it).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha256::digest(bytes))
}
