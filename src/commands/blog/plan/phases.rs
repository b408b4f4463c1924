//! The draft's writes and deletes as phases, in the order the publishing rule needs
//! (docs/BLOG.md): write (files first), settle, publish, delete posts, settle, delete files;
//! or one batch for a strongly consistent store.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;

use super::{
    ASSETS, AssetWrite, Draft, Item, MIN_GAP, Phase, PhaseName, Plan, STAGED, Staged, Write, after,
};

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
    pub(super) fn into_plan(mut self, assets: Vec<AssetWrite>) -> Plan {
        if self.options.single_phase {
            return self.into_batch(assets);
        }
        let file_wait = self.file_deletes_wait();
        let staged_key = format!("{}{STAGED}", self.options.prefix);
        let now = self.options.now;
        let mut out = Phases {
            items: std::mem::take(&mut self.items),
            phases: Vec::new(),
        };
        let waits = !self.publish.is_empty() || !self.deletes.is_empty();
        if !self.first.is_empty() || !assets.is_empty() {
            // Files written now for pages that wait for them: recorded before they are.
            let staged = self
                .staged
                .files
                .values()
                .any(Option::is_none)
                .then(|| Staged {
                    files: self.staged.files.clone(),
                    deletes: self.staged_before.deletes.clone(),
                });
            let (members, writes): (Vec<usize>, Vec<Write>) =
                std::mem::take(&mut self.first).into_iter().unzip();
            let phase = Phase::Put {
                name: PhaseName::Write,
                writes,
                assets,
                staged,
            };
            out.push(phase, members);
        }
        let until = self.settle_until.filter(|u| *u > now);
        if waits && (self.settle_after.is_some() || until.is_some()) {
            let mark = (!self.staged.files.is_empty()).then(|| Staged {
                files: self.staged.files.clone(),
                deletes: self.staged_before.deletes.clone(),
            });
            let after = self.settle_after.unwrap_or(Duration::ZERO);
            let why = std::mem::take(&mut self.why);
            out.push(
                Phase::Wait {
                    after,
                    until,
                    mark,
                    why,
                },
                [],
            );
        }
        if !self.publish.is_empty() {
            let (members, writes): (Vec<usize>, Vec<Write>) =
                std::mem::take(&mut self.publish).into_iter().unzip();
            let phase = Phase::Put {
                name: PhaseName::Publish,
                writes,
                assets: Vec::new(),
                staged: None,
            };
            out.push(phase, members);
        }
        if !self.deletes.is_empty() {
            let (members, keys): (Vec<usize>, Vec<String>) =
                std::mem::take(&mut self.deletes).into_iter().unzip();
            out.push(Phase::Delete { keys }, members);
        }
        if let Some(wait) = file_wait {
            merge_wait(&mut out, wait);
        }
        let mut keys = std::mem::take(&mut self.asset_deletes);
        let marked = out.phases.iter().any(|p| {
            matches!(
                p,
                Phase::Put {
                    staged: Some(_),
                    ..
                } | Phase::Wait { mark: Some(_), .. }
            )
        });
        // The record of a stopped push goes once nothing waits for it any more.
        let clear = self.stage && (marked || !self.staged_before.is_empty());
        match out.phases.last_mut() {
            Some(Phase::Delete { keys: last }) if keys.is_empty() && clear => last.push(staged_key),
            _ => {
                if clear {
                    keys.push(staged_key);
                }
                // Files go only after the posts that linked them (a request of their own).
                if !keys.is_empty() {
                    out.push(Phase::Delete { keys }, []);
                }
            }
        }
        Plan {
            items: out.items,
            phases: out.phases,
        }
    }

    /// The wait before the files no page links are deleted (staged pushes only): a settle
    /// after this push changed any page, else what remains of the one an earlier push began.
    fn file_deletes_wait(&self) -> Option<Phase> {
        if !self.stage || self.asset_deletes.is_empty() {
            return None;
        }
        let pages_change =
            !self.first.is_empty() || !self.publish.is_empty() || !self.deletes.is_empty();
        let asset_prefix = format!("{}{ASSETS}", self.options.prefix);
        let deletes: BTreeMap<String, Option<Timestamp>> = self
            .asset_deletes
            .iter()
            .map(|key| {
                let name = key.strip_prefix(&asset_prefix).unwrap_or(key).to_string();
                let since = match self.staged_before.deletes.get(&name) {
                    Some(since) if !pages_change => *since,
                    _ => None,
                };
                (name, since)
            })
            .collect();
        let settle = self.options.settle.max(MIN_GAP);
        let unknown = deletes.values().any(Option::is_none);
        let until = deletes
            .values()
            .flatten()
            .map(|at| after(*at, settle))
            .max()
            .filter(|u| *u > self.options.now);
        if !unknown && until.is_none() {
            return None;
        }
        let n = deletes.len();
        Some(Phase::Wait {
            after: if unknown { settle } else { Duration::ZERO },
            until,
            mark: Some(Staged {
                files: BTreeMap::new(),
                deletes,
            }),
            why: vec![format!(
                "{n} file{} no page links any more",
                if n == 1 { "" } else { "s" }
            )],
        })
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

/// The wait before file deletes: one wait with the previous phase when that is a wait too.
fn merge_wait(out: &mut Phases, wait: Phase) {
    let Phase::Wait {
        after,
        until,
        mark,
        why,
    } = wait
    else {
        unreachable!("a wait");
    };
    match out.phases.last_mut() {
        Some(Phase::Wait {
            after: a,
            until: u,
            mark: m,
            why: w,
        }) => {
            *a = (*a).max(after);
            *u = (*u).max(until);
            let merged = m.get_or_insert_with(Staged::default);
            merged.deletes = mark.map(|s| s.deletes).unwrap_or_default();
            w.extend(why);
        }
        _ => out.push(
            Phase::Wait {
                after,
                until,
                mark,
                why,
            },
            [],
        ),
    }
}
