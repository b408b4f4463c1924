//! What devkit last pushed to a destination (slug → publish hash), kept in devkit's cache as a
//! hint. A push renders the posts the hint does not vouch for while the store's listing is
//! still on its way; the listing alone decides what is written, so a hint that is stale,
//! missing or garbled costs at most some rendering, never a wrong write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Settings;
use crate::commands::blog::plan::{Action, Local, Plan};
use crate::commands::blog::store::Store;
use crate::output::Printer;

#[derive(Debug, PartialEq, Eq)]
pub struct Hint {
    /// The file, under devkit's cache.
    file: PathBuf,
    hashes: BTreeMap<String, String>,
}

impl Hint {
    /// The hint for the destination `identity` (whatever tells destinations apart), read from
    /// `cache`; empty when there is none or it cannot be read.
    pub fn load(cache: &Path, identity: &str) -> Self {
        let name = format!(
            "{}.json",
            crate::commands::blog::source::hex(&Sha256::digest(identity.as_bytes()))
        );
        let file = cache.join("blog-pushed").join(name);
        let hashes = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Self { file, hashes }
    }

    /// The destination held `slug` at `hash` after the last push that saw it.
    pub fn pushed(&self, slug: &str, hash: &str) -> bool {
        self.hashes.get(slug).is_some_and(|h| h == hash)
    }

    /// Keep `hashes` (every post in step with the destination now) for the next push. Best
    /// effort: a hint that cannot be written is only a slower next push.
    pub fn save(&mut self, hashes: BTreeMap<String, String>) -> std::io::Result<()> {
        if hashes == self.hashes {
            return Ok(());
        }
        self.hashes = hashes;
        let dir = self.file.parent().expect("the hint file is in a directory");
        std::fs::create_dir_all(dir)?;
        // Written aside and renamed into place, so a reader sees the old hint or the new one.
        let tmp = dir.join(format!(".{}.tmp", std::process::id()));
        std::fs::write(&tmp, serde_json::to_vec(&self.hashes)?)?;
        std::fs::rename(&tmp, &self.file)
    }
}

/// What tells destinations apart for the hint: the store as described (KV: binding or
/// namespace, local or remote, the state directory; the Durable Object: its URL), the prefix,
/// and where devkit ran.
pub fn identity(settings: &Settings, store: &dyn Store) -> String {
    format!(
        "{}\n{}\n{}",
        store.describe(),
        settings.store.prefix(),
        settings.cwd.display()
    )
}

/// After a push that completed: every local post the destination now holds as it is here.
pub fn save(hint: &mut Hint, locals: &[Local], plan: &Plan, printer: &Printer) {
    let conflicts: std::collections::BTreeSet<&str> = plan
        .items
        .iter()
        .filter(|i| i.action == Action::Conflict)
        .map(|i| i.slug.as_str())
        .collect();
    let hashes = locals
        .iter()
        .filter(|l| !conflicts.contains(l.post.slug.as_str()))
        .map(|l| (l.post.slug.clone(), l.hash.clone()))
        .collect();
    if let Err(e) = hint.save(hashes) {
        printer.verbose(
            1,
            format!("cannot keep the push hint in devkit's cache: {e}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_is_kept_per_destination_and_a_garbled_one_is_empty() {
        let cache = tempfile::tempdir().unwrap();
        let mut hint = Hint::load(cache.path(), "kv POSTS");
        assert!(!hint.pushed("a", "h1"));
        hint.save(BTreeMap::from([("a".into(), "h1".into())]))
            .unwrap();
        let again = Hint::load(cache.path(), "kv POSTS");
        assert!(again.pushed("a", "h1"));
        assert!(!again.pushed("a", "h2"));
        assert!(!Hint::load(cache.path(), "kv OTHER").pushed("a", "h1"));

        std::fs::write(&again.file, "{not json").unwrap();
        assert!(!Hint::load(cache.path(), "kv POSTS").pushed("a", "h1"));
    }
}
