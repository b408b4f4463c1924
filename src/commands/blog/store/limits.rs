//! What a store can hold, as data: each store returns its `Limits`, and `check` and `push`
//! refuse what does not fit before anything is written.

use crate::commands::blog::assets::Limit;
use crate::commands::blog::model::{Metadata, Page, Record, SOURCE, Status};
use crate::commands::blog::source::Post;

/// How soon a write is seen by every reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consistency {
    /// At once (the Durable Object): a push is one batch, nothing to stage.
    Strong,
    /// After a while (Workers KV, up to 60 s): the publishing rule orders the writes.
    Eventual,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub consistency: Consistency,
    /// Put before each key; it counts toward `max_key_bytes`.
    pub key_prefix: String,
    /// The longest key (KV: 512 bytes).
    pub max_key_bytes: Option<usize>,
    /// Each value on its own: the rendered HTML, the source record (KV: 25 MiB).
    pub max_value_bytes: Option<usize>,
    /// The index record as JSON metadata (KV: 1024 bytes).
    pub max_metadata_bytes: Option<usize>,
    /// Every column of a post's row together (a SQLite Durable Object: 2 MB).
    pub max_row_bytes: Option<usize>,
    /// Text is written as SQL literals (D1), which cannot hold a NUL byte.
    pub nul_free_text: bool,
    /// The largest file one asset holds.
    pub asset: Limit,
    /// Items and bytes one write request carries.
    pub batch_items: usize,
    pub batch_bytes: usize,
}

/// `updated_at` as the Worker writes it in a row: `2026-11-26T18:00:00.000Z`.
const UPDATED_AT_BYTES: usize = 24;

impl Limits {
    /// What the store cannot hold of a post before it is rendered: one message per problem.
    pub fn post_problems(&self, post: &Post) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(max) = self.max_key_bytes {
            let key_len = self.key_prefix.len() + SOURCE.len() + post.slug.len();
            if key_len > max {
                problems.push(format!(
                    "the KV key of its source (prefix + `{SOURCE}` + slug) is {key_len} bytes; KV allows at most {max}"
                ));
            }
        }
        if let Some(max) = self.max_row_bytes {
            let row = post.slug.len()
                + post.title.len()
                + Status::Published.as_str().len()
                + post.date.to_string().len()
                + 64
                + post.body.len()
                + post.source.len()
                + UPDATED_AT_BYTES;
            if row > max {
                problems.push(format!(
                    "the post would be a Durable Object row of more than {row} bytes (its Markdown and \
                     source alone, before the HTML); a SQLite Durable Object row holds at most {max} bytes (2 MB)"
                ));
            }
        }
        if let Some(at) = memchr::memchr(0, post.source.as_bytes()).filter(|_| self.nul_free_text) {
            problems.push(format!(
                "the file holds a NUL byte at offset {at}: D1 stores text as SQL literals, which cannot hold one"
            ));
        }
        problems
    }

    /// The smallest limit on what holds a page (a value, or a row): an uncoloured page whose
    /// size bound stays below it is within the limits once coloured.
    pub fn page_bytes(&self) -> usize {
        self.max_value_bytes
            .unwrap_or(usize::MAX)
            .min(self.max_row_bytes.unwrap_or(usize::MAX))
    }

    /// Whether the index record fits where the store keeps it (counted with the longest
    /// `staged_at`).
    pub fn record_fits(&self, record: &Record) -> bool {
        self.max_metadata_bytes
            .is_none_or(|max| Metadata::max_len(record) <= max)
    }

    /// What the store cannot hold of a rendered page.
    pub fn page_problems(&self, post: &Post, record: &Record, page: &Page) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(max) = self.max_value_bytes {
            for (what, len) in [
                ("rendered HTML", page.html.len()),
                ("source record", page.source.len()),
            ] {
                if len > max {
                    problems.push(format!(
                        "the {what} is {len} bytes; a KV value holds at most {max} (25 MiB)"
                    ));
                }
            }
        }
        if let Some(max) = self.max_row_bytes {
            let row = row_bytes(post, record, page);
            if row > max {
                problems.push(format!(
                    "the post would be a {row}-byte Durable Object row (its Markdown, rendered HTML, \
                     source and index fields); a SQLite Durable Object row holds at most {max} bytes (2 MB)"
                ));
            }
        }
        problems
    }
}

fn row_bytes(post: &Post, record: &Record, page: &Page) -> usize {
    post.slug.len()
        + record.title.len()
        + Status::Published.as_str().len()
        + record.date.len()
        + record.hash.len()
        + post.body.len()
        + page.html.len()
        + page.source.len()
        + page.excerpt.len()
        + serde_json::to_string(&page.tags).map_or(0, |t| t.len())
        + page.updated.as_ref().map_or(0, String::len)
        + UPDATED_AT_BYTES
}
