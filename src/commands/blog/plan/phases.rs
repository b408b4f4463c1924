//! The draft's writes and deletes as phases, in the order the publishing rule needs
//! (docs/BLOG.md): write, settle, publish, delete posts, delete files; or one batch for a
//! strongly consistent store.

use std::time::Duration;

use super::{AssetWrite, Draft, Item, Phase, PhaseName, Plan, Write};

/// The phases so far, and which items each one touches.
struct Phases {
    items: Vec<Item>,
    phases: Vec<Phase>,
}

impl Phases {
    fn push(&mut self, phase: Phase, members: impl IntoIterator<Item = usize>) {
        let at = self.phases.len();
        self.phases.push(phase);
        for i in members.into_iter().filter(|i| *i != usize::MAX) {
            self.items[i].phases.push(at);
        }
    }
}

impl Draft<'_> {
    pub(super) fn into_plan(self, assets: Vec<AssetWrite>) -> Plan {
        if self.options.single_phase {
            return self.into_batch(assets);
        }
        let now = self.options.now;
        let mut out = Phases {
            items: self.items,
            phases: Vec::new(),
        };
        let waits = !self.publish.is_empty() || !self.deletes.is_empty();
        if !self.first.is_empty() {
            let (members, writes): (Vec<usize>, Vec<Write>) = self.first.into_iter().unzip();
            out.push(
                Phase::Put {
                    name: PhaseName::Write,
                    writes,
                    assets,
                },
                members,
            );
        }
        let until = self.settle_until.filter(|u| *u > now);
        if waits && (self.settle_after.is_some() || until.is_some()) {
            let after = self.settle_after.unwrap_or(Duration::ZERO);
            out.push(Phase::Wait { after, until }, []);
        }
        if !self.publish.is_empty() {
            let (members, writes): (Vec<usize>, Vec<Write>) = self.publish.into_iter().unzip();
            out.push(
                Phase::Put {
                    name: PhaseName::Publish,
                    writes,
                    assets: Vec::new(),
                },
                members,
            );
        }
        if !self.deletes.is_empty() {
            let (members, keys): (Vec<usize>, Vec<String>) = self.deletes.into_iter().unzip();
            out.push(Phase::Delete { keys }, members);
        }
        // Files go only after the posts that linked them (a request of their own).
        if !self.asset_deletes.is_empty() {
            let keys = self.asset_deletes;
            out.push(Phase::Delete { keys }, []);
        }
        Plan {
            items: out.items,
            phases: out.phases,
        }
    }

    /// One transaction: the posts that linked a file are gone with it.
    fn into_batch(self, assets: Vec<AssetWrite>) -> Plan {
        let mut out = Phases {
            items: self.items,
            phases: Vec::new(),
        };
        if !self.first.is_empty() || !self.deletes.is_empty() || !self.asset_deletes.is_empty() {
            let (mut members, writes): (Vec<usize>, Vec<Write>) = self.first.into_iter().unzip();
            let (deleted, mut deletes): (Vec<usize>, Vec<String>) =
                self.deletes.into_iter().unzip();
            deletes.extend(self.asset_deletes);
            members.extend(deleted);
            out.push(
                Phase::Batch {
                    writes,
                    assets,
                    deletes,
                },
                members,
            );
        }
        Plan {
            items: out.items,
            phases: out.phases,
        }
    }
}
