//! Where posts are published: one trait, one implementation per store (Workers KV through
//! wrangler, a Durable Object through the blog Worker's admin API). A target knows keys and
//! records, never posts or files.

use anyhow::Result;

use super::plan::{Remote, Write};

pub trait Target {
    /// Where the posts go, in words for the report: "local KV (wrangler --local)".
    fn describe(&self) -> String;

    /// What the store holds under the blog's prefix. `wanted` are the keys of the local posts
    /// (sorted); with `every_key` the caller needs every key (to prune), not just those.
    fn list(&mut self, wanted: &[String], every_key: bool) -> Result<Remote>;

    /// Write these keys (values and records), as few requests as the store allows.
    fn put(&mut self, writes: &[Write]) -> Result<()>;

    /// Delete these keys.
    fn delete(&mut self, keys: &[String]) -> Result<()>;

    /// Write and delete together; a store with transactions applies each request all or
    /// nothing. Only called when `single_phase` is true.
    fn apply(&mut self, writes: &[Write], deletes: &[String]) -> Result<()> {
        self.put(writes)?;
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
