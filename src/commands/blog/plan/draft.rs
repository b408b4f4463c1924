//! The draft's bookkeeping: the settle waits it collects, and the files to upload.

use std::collections::BTreeSet;
use std::time::Duration;

use jiff::Timestamp;

use super::{
    ASSETS, AssetWrite, Draft, MIN_GAP, Options, Remote, RemoteKey, STAGED, Staged, after,
};
use crate::commands::blog::assets::Files;

impl<'a> Draft<'a> {
    pub(super) fn new(options: &'a Options, remote: &'a Remote) -> Self {
        let stage = options.stage && !options.single_phase;
        let staged_before = match remote.get(&format!("{}{STAGED}", options.prefix)) {
            Some(RemoteKey::Staged(s)) if stage => s.clone(),
            _ => Staged::default(),
        };
        Self {
            options,
            remote,
            stage,
            items: Vec::new(),
            first: Vec::new(),
            publish: Vec::new(),
            deletes: Vec::new(),
            asset_deletes: Vec::new(),
            uploads: BTreeSet::new(),
            settle_after: None,
            settle_until: None,
            staged_before,
            staged: Staged::default(),
            why: Vec::new(),
        }
    }

    /// Whether a page linking `names` must wait before it goes out: a file written now, or
    /// by a push that stopped before the file settled. Registers the waits, and the files in
    /// what the store records of this push (`~staged`).
    pub(super) fn await_files(&mut self, names: &[String]) -> bool {
        let asset_prefix = format!("{}{ASSETS}", self.options.prefix);
        let mut waits = false;
        for name in names {
            let on_store =
                self.remote.get(&format!("{asset_prefix}{name}")) == Some(&RemoteKey::Asset);
            let since = match self.staged_before.files.get(name) {
                _ if !on_store => None,
                Some(since) => *since,
                None => continue,
            };
            match since {
                Some(at) if after(at, self.options.settle) <= self.options.now => continue,
                Some(at) => self.wait_settled_since(at),
                None => self.wait_after(self.options.settle.max(MIN_GAP)),
            }
            self.staged.files.insert(name.clone(), since);
            waits = true;
        }
        waits
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
