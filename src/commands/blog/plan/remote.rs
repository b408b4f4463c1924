//! The keys the store holds that no local post has: kept, or with `--prune` deleted (a
//! published post leaves the index a settle before its page goes), and the files and
//! sources no local post needs any more.

use std::collections::BTreeSet;

use super::{ASSETS, Action, Draft, Item, Local, MIN_GAP, Remote, RemoteKey, SOURCE, Value, write};
use crate::commands::blog::model::{Record, Status};

impl Draft<'_> {
    pub(super) fn remote_only(
        &mut self,
        locals: &[Local],
        remote: &Remote,
        local_keys: &BTreeSet<String>,
    ) {
        let prefix = self.options.prefix.clone();
        let linked: BTreeSet<&str> = locals
            .iter()
            .flat_map(|l| l.assets.iter().map(String::as_str))
            .collect();
        let asset_prefix = format!("{prefix}{ASSETS}");
        let source_prefix = format!("{prefix}{SOURCE}");
        for (key, found) in remote {
            if local_keys.contains(key) {
                continue;
            }
            match found {
                RemoteKey::Asset => {
                    let name = key.strip_prefix(&asset_prefix).unwrap_or(key);
                    if self.options.prune && !linked.contains(name) {
                        self.asset_deletes.push(key.clone());
                    }
                }
                RemoteKey::Source => {
                    // A source goes with its post: pruned when no local post has the slug.
                    let slug = key.strip_prefix(&source_prefix).unwrap_or(key);
                    if self.options.prune && !local_keys.contains(&format!("{prefix}{slug}")) {
                        self.deletes.push((usize::MAX, key.clone()));
                    }
                }
                RemoteKey::Staged(_) => {}
                // devkit's own keys (`~…`) are no posts: foreign ones there are left alone.
                RemoteKey::Foreign if key[prefix.len().min(key.len())..].starts_with('~') => {}
                found => self.remote_post(key, found),
            }
        }
    }

    /// A post key no local post has.
    fn remote_post(&mut self, key: &str, found: &RemoteKey) {
        let slug = key
            .strip_prefix(&self.options.prefix)
            .unwrap_or(key)
            .to_string();
        let mut item = Item {
            key: key.to_string(),
            slug,
            path: None,
            action: Action::RemoteOnly,
            from: None,
            to: None,
            staged: false,
            foreign: false,
            note: None,
            phases: Vec::new(),
        };
        match found {
            RemoteKey::Devkit(r) => {
                item.from = Some(r.status);
                item.to = Some(r.status);
                if self.options.prune {
                    self.prune(&mut item, r);
                } else {
                    item.note = Some("no local post; --prune removes it".into());
                }
            }
            _ => {
                item.foreign = true;
                item.note = Some("not written by devkit: left alone".into());
            }
        }
        self.items.push(item);
    }

    fn prune(&mut self, item: &mut Item, r: &Record) {
        let index = self.items.len();
        item.action = Action::Delete;
        item.to = None;
        if self.stage && r.status == Status::Published {
            // Leave the index first, so it never links to a deleted post.
            item.staged = true;
            item.note = Some("unlisted now, deleted after the settle time".into());
            let mut record = r.clone();
            record.status = Status::Unlisted;
            record.staged_at = Some(self.options.now);
            self.first
                .push((index, write(&item.key, Value::Keep, record)));
            self.wait_after(self.options.settle.max(MIN_GAP));
        } else if let (true, Status::Unlisted, Some(at)) = (self.stage, r.status, r.staged_at) {
            item.staged = true;
            item.note = Some("finishing a staged removal".into());
            self.wait_settled_since(at);
        }
        self.deletes.push((index, item.key.clone()));
    }
}
