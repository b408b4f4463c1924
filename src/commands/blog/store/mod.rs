//! Where posts are published: one `Store` trait, and one folder per store (Workers KV through
//! wrangler, a Durable Object through the blog Worker's admin API) holding its transport,
//! codec, limits and read side. A store knows keys and records, never posts or files.

pub mod d1;
pub mod durable;
pub mod kv;
pub mod limits;
pub mod settings;
pub mod wrangler;

use std::collections::BTreeMap;

use anyhow::Result;

use crate::commands::blog::model::Entry;
use crate::commands::blog::plan::{Phase, Remote};
pub use limits::{Consistency, Limits};
pub use settings::{StoreKind, StoreSettings};

/// Asset name → bytes.
pub type Assets = BTreeMap<String, Vec<u8>>;

pub trait Store {
    /// Where the posts go, in words for the report: "local KV (wrangler --local)".
    fn describe(&self) -> String;

    /// What the store can hold, and how soon a write is seen everywhere.
    fn limits(&self) -> Limits;

    /// What the store holds under the blog's prefix. `wanted` are the keys the caller needs
    /// (sorted: the local posts', and `~staged` for a staged push); with `every_key` it needs
    /// every key (to prune), not just those.
    fn list(&mut self, wanted: &[String], every_key: bool) -> Result<Remote>;

    /// Whether the last `list` saw every asset on the store (a capped KV listing stops
    /// before devkit's `~` keys). When not, and a write needs to know, `list_assets`.
    fn saw_every_asset(&self) -> bool {
        true
    }

    /// Every asset the store holds (one more listing, of `~assets/`).
    fn list_assets(&mut self) -> Result<Remote> {
        Ok(Remote::new())
    }

    /// The values of these foreign keys (`None` where unknown), to see whether a pulled post
    /// can be adopted: KV reads them in one bulk get, the Durable Object's listing had them.
    fn foreign_values(&mut self, _keys: &[String]) -> Result<BTreeMap<String, Option<String>>> {
        Ok(Default::default())
    }

    /// Carry out one phase of a plan (a wait is the caller's), in as few requests as the
    /// store allows; files no later than the pages that link them.
    fn apply(&mut self, phase: &Phase) -> Result<()>;

    /// `blog pull`: every post entry; `skip(slug)` says which the caller will not write
    /// (their values need not be read).
    fn entries(&mut self, skip: &dyn Fn(&str) -> bool) -> Result<Vec<Entry>>;

    /// `blog pull`: the assets' bytes by name.
    fn assets(&mut self, names: &[String]) -> Result<Assets>;

    /// Requests sent so far (wrangler processes, or HTTP requests).
    fn requests(&self) -> usize;

    /// "wrangler ran 3 times", "4 HTTP requests to the admin API".
    fn requests_phrase(&self) -> String;
}

/// Items that are each already JSON, joined into one JSON array without re-serializing them.
pub fn json_array(items: &[Vec<u8>]) -> Vec<u8> {
    let mut json = Vec::with_capacity(items.iter().map(|i| i.len() + 1).sum::<usize>() + 2);
    json.push(b'[');
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            json.push(b',');
        }
        json.extend_from_slice(item);
    }
    json.push(b']');
    json
}

/// Split `items` into runs a single bulk request accepts: at most `max_count` items and
/// `max_bytes` in total (an item larger than `max_bytes` alone gets its own run).
pub fn batches<T>(
    items: &[T],
    max_count: usize,
    max_bytes: usize,
    size: impl Fn(&T) -> usize,
) -> Vec<&[T]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, item) in items.iter().enumerate() {
        let n = size(item);
        if i > start && (i - start >= max_count || bytes + n > max_bytes) {
            out.push(&items[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += n;
    }
    if start < items.len() {
        out.push(&items[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_split_at_count_and_size() {
        let items = [3, 3, 3, 10, 1];
        let sizes: Vec<usize> = batches(&items, 2, 7, |n| *n)
            .iter()
            .map(|b| b.len())
            .collect();
        assert_eq!(sizes, vec![2, 1, 1, 1]);
        assert!(batches::<u8>(&[], 2, 7, |_| 1).is_empty());
    }
}
