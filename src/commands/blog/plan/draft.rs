//! The draft's bookkeeping: the settle waits it collects, and the files to upload.

use std::collections::BTreeSet;
use std::time::Duration;

use jiff::Timestamp;

use super::{ASSETS, AssetWrite, Draft, Options, Remote, RemoteKey, after};
use crate::commands::blog::assets::Files;

impl<'a> Draft<'a> {
    pub(super) fn new(options: &'a Options) -> Self {
        Self {
            options,
            stage: options.stage && !options.single_phase,
            items: Vec::new(),
            first: Vec::new(),
            publish: Vec::new(),
            deletes: Vec::new(),
            asset_deletes: Vec::new(),
            uploads: BTreeSet::new(),
            settle_after: None,
            settle_until: None,
        }
    }

    /// The next phase waits at least `d` after the first phase.
    pub(super) fn wait_after(&mut self, d: Duration) {
        self.settle_after = Some(self.settle_after.map_or(d, |a| a.max(d)));
    }

    /// The next phase waits until the store has settled since `since`.
    pub(super) fn wait_settled_since(&mut self, since: Timestamp) {
        let at = after(since, self.options.settle);
        self.settle_until = Some(self.settle_until.map_or(at, |u| u.max(at)));
    }

    /// The files the first phase uploads: those a page written there links and the store
    /// lacks.
    pub(super) fn uploads(&self, files: &Files, remote: &Remote) -> Vec<AssetWrite> {
        let asset_prefix = format!("{}{ASSETS}", self.options.prefix);
        self.uploads
            .iter()
            .filter(|name| remote.get(&format!("{asset_prefix}{name}")) != Some(&RemoteKey::Asset))
            .filter_map(|name| files.get(name))
            .map(|file| AssetWrite {
                key: format!("{asset_prefix}{}", file.name),
                name: file.name.clone(),
                content_type: file.content_type.clone(),
                bytes: file.bytes.clone(),
            })
            .collect()
    }
}
