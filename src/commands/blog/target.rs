//! Where posts are published: one trait, one implementation per store (Workers KV through
//! wrangler, a Durable Object through the blog Worker's admin API). A target knows keys and
//! records, never posts or files.

use anyhow::Result;

use super::plan::{AssetWrite, Remote, Write};

pub trait Target {
    /// Where the posts go, in words for the report: "local KV (wrangler --local)".
    fn describe(&self) -> String;

    /// What the store holds under the blog's prefix. `wanted` are the keys of the local posts
    /// (sorted); with `every_key` the caller needs every key (to prune), not just those.
    fn list(&mut self, wanted: &[String], every_key: bool) -> Result<Remote>;

    /// Whether the last `list` saw every asset on the store (a capped KV listing stops
    /// before devkit's `~` keys). When not, and a write needs to know, `list_assets`.
    fn saw_every_asset(&self) -> bool {
        true
    }

    /// The values of these foreign keys (`None` where unknown), to see whether a pulled post
    /// can be adopted: KV reads them in one bulk get, the Durable Object's listing had them.
    fn foreign_values(
        &mut self,
        _keys: &[String],
    ) -> Result<std::collections::BTreeMap<String, Option<String>>> {
        Ok(Default::default())
    }

    /// Every asset the store holds (one more listing, of `~assets/`).
    fn list_assets(&mut self) -> Result<Remote> {
        Ok(Remote::new())
    }

    /// Write these files and keys (values and records), as few requests as the store allows;
    /// the files no later than the pages.
    fn put(&mut self, writes: &[Write], assets: &[AssetWrite]) -> Result<()>;

    /// Delete these keys.
    fn delete(&mut self, keys: &[String]) -> Result<()>;

    /// Write and delete together; a store with transactions applies each request all or
    /// nothing. Only called when `single_phase` is true.
    fn apply(&mut self, writes: &[Write], assets: &[AssetWrite], deletes: &[String]) -> Result<()> {
        self.put(writes, assets)?;
        self.delete(deletes)
    }

    /// The store is strongly consistent and applies writes and deletes together, so a push
    /// is one phase (`Phase::Batch`) and never needs staging.
    fn single_phase(&self) -> bool {
        false
    }

    /// Requests sent so far (wrangler processes, or HTTP requests).
    fn requests(&self) -> usize;
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
