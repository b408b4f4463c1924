//! The plan: local posts against what a target holds → one action per key, and the phases
//! that carry them out (write, wait for KV to settle, publish, delete; or, for a strongly
//! consistent store, one batch). Pure: no process, no clock (the caller passes `now`), no
//! network.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

mod draft;
mod local;
mod phases;
mod remote;

use crate::commands::blog::assets::Files;
use crate::commands::blog::model::Status;
pub use crate::commands::blog::model::{ASSETS, FORMAT, Page, Record, SOURCE, STAGED, Staged};
use crate::commands::blog::source::Post;

/// One key the target holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteKey {
    /// devkit wrote it (its marker is in the metadata).
    Devkit(Record),
    /// Someone else wrote it: never overwritten or deleted without `--force`.
    Foreign,
    /// A foreign key whose value the local post's body still equals (`blog pull` wrote the
    /// file from it; see `adoptable`): taken over without `--force`, rewritten once in
    /// devkit's format.
    Pulled,
    /// A published file devkit wrote (`P + ASSETS + name`).
    Asset,
    /// A post's source devkit wrote (`P + SOURCE + slug`), with the post's hash.
    Source,
    /// What a stopped staged push still waits for (`P + STAGED`).
    Staged(Staged),
}

/// One local post, ready to plan: its publish hash, the assets it links, and its page when
/// it had to be rendered (it is written only then; see `needs_page`).
#[derive(Debug, Clone)]
pub struct Local<'a> {
    pub post: &'a Post,
    pub hash: String,
    /// The asset names the post links.
    pub assets: Vec<String>,
    pub page: Option<Page>,
}

/// The adoption rule: a foreign key is taken over when the local post's body is exactly the
/// key's value (the file `blog pull` wrote from it, unchanged since; a value changed since
/// the pull is a conflict again).
pub fn adoptable(body: &str, value: Option<&str>) -> bool {
    value == Some(body)
}

/// Whether a post must be rendered: anything but a post stored in this format with this
/// hash and status is written, and a write needs the page.
pub fn needs_page(found: Option<&RemoteKey>, hash: &str, status: Status) -> bool {
    !matches!(found, Some(RemoteKey::Devkit(r))
        if r.format == FORMAT && r.hash == hash && r.status == status)
}

/// The asset names `locals` link that `remote` lacks, for the posts that will be written.
pub fn missing_assets(locals: &[Local], remote: &Remote, prefix: &str) -> BTreeSet<String> {
    locals
        .iter()
        .filter(|l| {
            needs_page(
                remote.get(&format!("{prefix}{}", l.post.slug)),
                &l.hash,
                l.post.status,
            )
        })
        .flat_map(|l| l.assets.iter())
        .filter(|name| remote.get(&format!("{prefix}{ASSETS}{name}")) != Some(&RemoteKey::Asset))
        .cloned()
        .collect()
}

/// Everything the target holds under the blog's prefix, by key.
pub type Remote = BTreeMap<String, RemoteKey>;

#[derive(Debug, Clone)]
pub struct Options {
    /// Put before each slug to make its key.
    pub prefix: String,
    pub prune: bool,
    pub force: bool,
    pub stage: bool,
    pub settle: Duration,
    pub now: Timestamp,
    /// The store is strongly consistent and writes and deletes in one request (the Durable
    /// Object): one `Phase::Batch`, and never staging.
    pub single_phase: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    /// On the target, not local, kept (no `--prune`, or not devkit's).
    RemoteOnly,
    /// On the target, not devkit's, and a local post wants the key: skipped without `--force`.
    Conflict,
    Delete,
}

impl Action {
    pub fn sign(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Unchanged => "=",
            Action::RemoteOnly => "?",
            Action::Conflict => "!",
            Action::Delete => "-",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Unchanged => "unchanged",
            Action::RemoteOnly => "remote-only",
            Action::Conflict => "conflict",
            Action::Delete => "delete",
        }
    }
}

/// The plan for one key.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub key: String,
    pub slug: String,
    /// The local file, when there is one.
    pub path: Option<PathBuf>,
    pub action: Action,
    /// The status on the target before, when devkit wrote the key.
    pub from: Option<Status>,
    /// The status on the target once the plan is done.
    pub to: Option<Status>,
    /// Goes through `unlisted` first and waits for the store to settle.
    pub staged: bool,
    /// Not written by devkit.
    pub foreign: bool,
    /// A word for the person reading the plan.
    pub note: Option<String>,
    /// The phases (indexes into `Plan::phases`) that touch this key.
    pub phases: Vec<usize>,
}

/// What a write puts under a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// The post's rendered HTML, its source record (the `~source/` JSON) and its Markdown
    /// body (the Durable Object keeps it in the row's `body`, as format 1 did).
    Page {
        html: String,
        source: String,
        body: String,
    },
    /// Whatever the key already holds (only its record changes): the target reads it back.
    Keep,
}

/// A file a page links, to upload (content-addressed: it never changes once written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetWrite {
    /// `P + ASSETS + name`.
    pub key: String,
    pub name: String,
    pub content_type: String,
    pub bytes: Arc<[u8]>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub key: String,
    pub value: Value,
    pub record: Record,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseName {
    /// New and changed posts (staged ones as `unlisted`), and prunes leaving the index.
    Write,
    /// Staged posts flipped to `published`.
    Publish,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Put {
        name: PhaseName,
        writes: Vec<Write>,
        /// Uploaded in the same request, before any page that links them.
        assets: Vec<AssetWrite>,
        /// Written first in the same request (`P + STAGED`): the files this phase writes for
        /// pages that wait for them, not yet stamped.
        staged: Option<Staged>,
    },
    /// Wait for the store to settle: `after` past the end of the previous phase, and not
    /// before `until`. `mark`, stamped with the time the wait begins, is written first
    /// (`P + STAGED`), so that a stopped push is finished waiting only what remains.
    Wait {
        after: Duration,
        until: Option<Timestamp>,
        mark: Option<Staged>,
        /// What waits, in words for the plan.
        why: Vec<String>,
    },
    Delete {
        keys: Vec<String>,
    },
    /// Writes and deletes together (a strongly consistent store, `Options::single_phase`).
    Batch {
        writes: Vec<Write>,
        assets: Vec<AssetWrite>,
        deletes: Vec<String>,
    },
}

impl Phase {
    /// The writes, files and deletes of a phase, for a store that applies them in one request
    /// (a strongly consistent store: a staged record is not needed there); a wait has none.
    pub fn parts(&self) -> Option<(&[Write], &[AssetWrite], &[String])> {
        match self {
            Phase::Put { writes, assets, .. } => Some((writes, assets, &[])),
            Phase::Delete { keys } => Some((&[], &[], keys)),
            Phase::Batch {
                writes,
                assets,
                deletes,
            } => Some((writes, assets, deletes)),
            Phase::Wait { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub items: Vec<Item>,
    pub phases: Vec<Phase>,
}

impl Plan {
    pub fn count(&self, action: Action) -> usize {
        self.items.iter().filter(|i| i.action == action).count()
    }

    /// Nothing to write or delete.
    pub fn is_noop(&self) -> bool {
        self.phases.is_empty()
    }
}

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// `--prune` with no local post would delete every post devkit wrote.
    PruneEverything { count: usize },
    /// A post must be written but was not rendered (a caller's mistake, never the user's).
    Unrendered { slug: String },
}

/// The two writes of one key can be no closer than this (KV accepts 1 write per key per second).
const MIN_GAP: Duration = Duration::from_secs(1);

/// Compare local posts with the store's keys and plan the phases. `files` holds the assets
/// the posts link (by name); only those the store lacks are uploaded.
pub fn plan(
    locals: &[Local],
    files: &Files,
    remote: &Remote,
    options: &Options,
) -> Result<Plan, PlanError> {
    let devkit_keys = remote
        .values()
        .filter(|k| matches!(k, RemoteKey::Devkit(_)))
        .count();
    if options.prune && locals.is_empty() && devkit_keys > 0 && !options.force {
        return Err(PlanError::PruneEverything { count: devkit_keys });
    }
    let mut draft = Draft::new(options, remote);
    let mut local_keys = BTreeSet::new();
    for local in locals {
        local_keys.insert(draft.local(local, remote)?);
    }
    draft.remote_only(locals, remote, &local_keys);
    let assets = draft.uploads(files, remote);
    Ok(draft.into_plan(assets))
}

/// The plan while it is made: the items so far, and what each phase will carry.
struct Draft<'a> {
    options: &'a Options,
    remote: &'a Remote,
    /// A strongly consistent store serves a write at once: nothing to stage.
    stage: bool,
    items: Vec<Item>,
    /// (item index, write) for the first phase, and for the publish phase.
    first: Vec<(usize, Write)>,
    publish: Vec<(usize, Write)>,
    /// (item index, or `usize::MAX` for a key that is no item, key).
    deletes: Vec<(usize, String)>,
    asset_deletes: Vec<String>,
    /// Assets linked by a page written in the first phase (or the batch).
    uploads: BTreeSet<String>,
    /// Keys written in this push settle from the end of the write phase (`after`); keys
    /// staged by an earlier push from their `staged_at` (`until`).
    settle_after: Option<Duration>,
    settle_until: Option<Timestamp>,
    /// What an earlier staged push left to wait for, and what this one waits for.
    staged_before: Staged,
    staged: Staged,
    /// What the wait before publishing waits for, in words.
    why: Vec<String>,
}

fn write(key: &str, value: Value, record: Record) -> Write {
    Write {
        key: key.to_string(),
        value,
        record,
    }
}

/// `at` + `d`, saturating.
pub fn after(at: Timestamp, d: Duration) -> Timestamp {
    let signed = jiff::SignedDuration::try_from(d).unwrap_or(jiff::SignedDuration::MAX);
    at.checked_add(signed).unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::blog::source::content_hash;

    /// Plan posts that were all rendered (a page each), with no files.
    fn plan(posts: &[Post], remote: &Remote, options: &Options) -> Result<Plan, PlanError> {
        let locals: Vec<Local> = posts
            .iter()
            .map(|p| Local {
                post: p,
                hash: p.hash.clone(),
                assets: Vec::new(),
                page: Some(Page {
                    html: p.body.clone(),
                    source: String::new(),
                    excerpt: String::new(),
                    tags: Vec::new(),
                    updated: None,
                    image: None,
                }),
            })
            .collect();
        super::plan(&locals, &Files::new(), remote, options)
    }

    fn now() -> Timestamp {
        "2026-01-01T12:00:00Z".parse().unwrap()
    }

    fn post(slug: &str, status: Status, body: &str) -> Post {
        Post {
            path: format!("posts/{slug}.md").into(),
            slug: slug.into(),
            title: slug.to_uppercase(),
            date: "2025-01-01".parse().unwrap(),
            status,
            body: body.into(),
            hash: content_hash(&slug.to_uppercase(), "2025-01-01", body),
            ..Post::test_defaults()
        }
    }

    fn stored(p: &Post, status: Status, staged_at: Option<Timestamp>) -> RemoteKey {
        RemoteKey::Devkit(Record {
            format: FORMAT,
            hash: p.hash.clone(),
            title: p.title.clone(),
            status,
            date: p.date.to_string(),
            excerpt: String::new(),
            tags: Vec::new(),
            updated: None,
            image: None,
            staged_at,
        })
    }

    fn options(stage: bool) -> Options {
        Options {
            prefix: String::new(),
            prune: false,
            force: false,
            stage,
            settle: Duration::from_secs(60),
            now: now(),
            single_phase: false,
        }
    }

    fn actions(plan: &Plan) -> Vec<(String, Action)> {
        plan.items
            .iter()
            .map(|i| (i.key.clone(), i.action))
            .collect()
    }

    fn put_keys(phase: &Phase) -> Vec<(String, Status)> {
        match phase {
            Phase::Put { writes, .. } => writes
                .iter()
                .map(|w| (w.key.clone(), w.record.status))
                .collect(),
            other => panic!("expected a put, got {other:?}"),
        }
    }

    #[test]
    fn first_push_without_staging_is_one_write() {
        let posts = [
            post("a", Status::Published, "A"),
            post("b", Status::Draft, "B"),
        ];
        let plan = plan(&posts, &Remote::new(), &options(false)).unwrap();
        assert_eq!(
            actions(&plan),
            vec![("a".into(), Action::Create), ("b".into(), Action::Create)]
        );
        assert_eq!(plan.phases.len(), 1);
        assert_eq!(
            put_keys(&plan.phases[0]),
            vec![("a".into(), Status::Published), ("b".into(), Status::Draft)]
        );
    }

    #[test]
    fn unchanged_costs_nothing_and_an_edit_rewrites_one() {
        let a = post("a", Status::Published, "A");
        let b = post("b", Status::Published, "B");
        let mut remote = Remote::new();
        remote.insert("a".into(), stored(&a, Status::Published, None));
        remote.insert("b".into(), stored(&b, Status::Published, None));
        let p = plan(&[a.clone(), b.clone()], &remote, &options(true)).unwrap();
        assert!(p.is_noop());
        assert_eq!(p.count(Action::Unchanged), 2);

        let edited = post("b", Status::Published, "B, edited");
        let p = plan(&[a, edited], &remote, &options(true)).unwrap();
        assert_eq!(p.count(Action::Update), 1);
        assert_eq!(
            p.phases.len(),
            1,
            "an existing published post needs no staging"
        );
        assert_eq!(
            put_keys(&p.phases[0]),
            vec![("b".into(), Status::Published)]
        );
    }

    #[test]
    fn staging_writes_unlisted_waits_then_publishes() {
        let a = post("a", Status::Published, "A");
        let d = post("d", Status::Unlisted, "D");
        let p = plan(&[a, d], &Remote::new(), &options(true)).unwrap();
        assert_eq!(p.phases.len(), 3);
        let first = match &p.phases[0] {
            Phase::Put {
                name: PhaseName::Write,
                writes,
                ..
            } => writes.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(first[0].record.status, Status::Unlisted);
        assert_eq!(first[0].record.staged_at, Some(now()));
        assert_eq!(first[1].record.status, Status::Unlisted);
        assert_eq!(
            first[1].record.staged_at, None,
            "an unlisted post needs no staging"
        );
        assert_eq!(
            p.phases[1],
            Phase::Wait {
                after: Duration::from_secs(60),
                until: None,
                mark: None,
                why: vec!["`a` enters the index".into()],
            }
        );
        assert_eq!(
            put_keys(&p.phases[2]),
            vec![("a".into(), Status::Published)]
        );
        assert!(p.items[0].staged && !p.items[1].staged);
        assert_eq!(p.items[0].phases, vec![0, 2]);
    }

    #[test]
    fn a_draft_becoming_published_is_staged_but_unlisted_is_not() {
        let a = post("a", Status::Published, "A");
        let b = post("b", Status::Published, "B");
        let mut remote = Remote::new();
        remote.insert("a".into(), stored(&a, Status::Draft, None));
        remote.insert("b".into(), stored(&b, Status::Unlisted, None));
        let p = plan(&[a, b], &remote, &options(true)).unwrap();
        assert!(p.items[0].staged);
        assert!(!p.items[1].staged);
        assert_eq!(
            put_keys(&p.phases[0]),
            vec![
                ("a".into(), Status::Unlisted),
                ("b".into(), Status::Published)
            ]
        );
    }

    #[test]
    fn interrupted_staging_resumes_with_the_remaining_wait_or_none() {
        let a = post("a", Status::Published, "A");
        let staged_at = now() - jiff::SignedDuration::from_secs(20);
        let mut remote = Remote::new();
        remote.insert("a".into(), stored(&a, Status::Unlisted, Some(staged_at)));
        let p = plan(std::slice::from_ref(&a), &remote, &options(true)).unwrap();
        assert_eq!(p.phases.len(), 2, "{:?}", p.phases);
        assert_eq!(
            p.phases[0],
            Phase::Wait {
                after: Duration::ZERO,
                until: Some(now() + jiff::SignedDuration::from_secs(40)),
                mark: None,
                why: vec!["`a` enters the index".into()],
            }
        );
        assert_eq!(
            put_keys(&p.phases[1]),
            vec![("a".into(), Status::Published)]
        );

        let long_ago = now() - jiff::SignedDuration::from_secs(600);
        remote.insert("a".into(), stored(&a, Status::Unlisted, Some(long_ago)));
        let p = plan(&[a], &remote, &options(true)).unwrap();
        assert_eq!(p.phases.len(), 1, "settled long ago: flip at once");
        assert_eq!(
            put_keys(&p.phases[0]),
            vec![("a".into(), Status::Published)]
        );
    }

    #[test]
    fn a_post_edited_while_staged_keeps_its_staged_at() {
        let old = post("a", Status::Published, "A");
        let edited = post("a", Status::Published, "A, edited");
        let staged_at = now() - jiff::SignedDuration::from_secs(10);
        let mut remote = Remote::new();
        remote.insert("a".into(), stored(&old, Status::Unlisted, Some(staged_at)));
        let p = plan(&[edited], &remote, &options(true)).unwrap();
        match &p.phases[0] {
            Phase::Put { writes, .. } => {
                assert_eq!(writes[0].record.status, Status::Unlisted);
                assert_eq!(writes[0].record.staged_at, Some(staged_at));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            p.phases[1],
            Phase::Wait {
                after: MIN_GAP,
                until: Some(staged_at + jiff::SignedDuration::from_secs(60)),
                mark: None,
                why: vec!["`a` enters the index".into()],
            }
        );
        assert_eq!(
            put_keys(&p.phases[2]),
            vec![("a".into(), Status::Published)]
        );
    }

    #[test]
    fn foreign_keys_conflict_unless_forced() {
        let a = post("a", Status::Published, "A");
        let mut remote = Remote::new();
        remote.insert("a".into(), RemoteKey::Foreign);
        remote.insert("other".into(), RemoteKey::Foreign);
        let mut opts = options(false);
        opts.prune = true;
        let p = plan(std::slice::from_ref(&a), &remote, &opts).unwrap();
        assert_eq!(
            actions(&p),
            vec![
                ("a".into(), Action::Conflict),
                ("other".into(), Action::RemoteOnly)
            ]
        );
        assert!(p.is_noop(), "a foreign key is never pruned");
        opts.force = true;
        let p = plan(&[a], &remote, &opts).unwrap();
        assert_eq!(p.items[0].action, Action::Update);
        assert_eq!(
            put_keys(&p.phases[0]),
            vec![("a".into(), Status::Published)]
        );
    }

    #[test]
    fn a_pulled_key_is_adopted_without_force_while_its_value_is_unchanged() {
        assert!(adoptable("Body\n", Some("Body\n")));
        assert!(!adoptable("Body\n", Some("Body, edited on the store\n")));
        assert!(!adoptable("Body\n", None));
        let a = post("a", Status::Published, "A");
        let mut remote = Remote::new();
        remote.insert("a".into(), RemoteKey::Pulled);
        let p = plan(std::slice::from_ref(&a), &remote, &options(false)).unwrap();
        assert_eq!(actions(&p), vec![("a".into(), Action::Update)]);
        assert!(p.items[0].foreign);
        assert!(p.items[0].note.as_deref().unwrap().contains("adopting"));
        assert_eq!(
            put_keys(&p.phases[0]),
            vec![("a".into(), Status::Published)]
        );
    }

    #[test]
    fn prune_unlists_published_keys_before_deleting() {
        let gone = post("gone", Status::Published, "G");
        let draft = post("old-draft", Status::Draft, "D");
        let kept = post("kept", Status::Published, "K");
        let mut remote = Remote::new();
        remote.insert("gone".into(), stored(&gone, Status::Published, None));
        remote.insert("old-draft".into(), stored(&draft, Status::Draft, None));
        remote.insert("kept".into(), stored(&kept, Status::Published, None));

        let p = plan(std::slice::from_ref(&kept), &remote, &options(true)).unwrap();
        assert_eq!(p.count(Action::RemoteOnly), 2);
        assert!(p.is_noop(), "without --prune nothing is removed");

        let mut opts = options(true);
        opts.prune = true;
        let p = plan(std::slice::from_ref(&kept), &remote, &opts).unwrap();
        assert_eq!(p.phases.len(), 3);
        match &p.phases[0] {
            Phase::Put { writes, .. } => {
                assert_eq!(writes.len(), 1);
                assert_eq!(writes[0].key, "gone");
                assert_eq!(writes[0].value, Value::Keep);
                assert_eq!(writes[0].record.status, Status::Unlisted);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(p.phases[1], Phase::Wait { .. }));
        assert_eq!(
            p.phases[2],
            Phase::Delete {
                keys: vec!["gone".into(), "old-draft".into()]
            }
        );

        let p = plan(&[kept], &remote, &{
            let mut o = opts.clone();
            o.stage = false;
            o
        })
        .unwrap();
        assert_eq!(
            p.phases,
            vec![Phase::Delete {
                keys: vec!["gone".into(), "old-draft".into()]
            }]
        );
    }

    #[test]
    fn pruning_everything_needs_force() {
        let gone = post("gone", Status::Published, "G");
        let mut remote = Remote::new();
        remote.insert("gone".into(), stored(&gone, Status::Published, None));
        let mut opts = options(false);
        opts.prune = true;
        assert_eq!(
            plan(&[], &remote, &opts),
            Err(PlanError::PruneEverything { count: 1 })
        );
        opts.force = true;
        assert_eq!(plan(&[], &remote, &opts).unwrap().phases.len(), 1);
    }

    #[test]
    fn prefix_makes_keys_and_slugs() {
        let a = post("a", Status::Draft, "A");
        let mut opts = options(false);
        opts.prefix = "blog/".into();
        let p = plan(&[a], &Remote::new(), &opts).unwrap();
        assert_eq!(p.items[0].key, "blog/a");
        assert_eq!(p.items[0].slug, "a");
    }

    #[test]
    fn a_single_phase_store_gets_one_batch_and_no_staging() {
        let new = post("new", Status::Published, "N");
        let kept = post("kept", Status::Published, "K");
        let gone = post("gone", Status::Published, "G");
        let mut remote = Remote::new();
        remote.insert("kept".into(), stored(&kept, Status::Draft, None));
        remote.insert("gone".into(), stored(&gone, Status::Published, None));
        let mut opts = options(true);
        opts.prune = true;
        opts.single_phase = true;
        let p = plan(&[new, kept], &remote, &opts).unwrap();
        assert_eq!(p.phases.len(), 1, "{:?}", p.phases);
        match &p.phases[0] {
            Phase::Batch {
                writes, deletes, ..
            } => {
                let keys: Vec<(&str, Status)> = writes
                    .iter()
                    .map(|w| (w.key.as_str(), w.record.status))
                    .collect();
                assert_eq!(
                    keys,
                    vec![("new", Status::Published), ("kept", Status::Published)]
                );
                assert!(writes.iter().all(|w| w.record.staged_at.is_none()));
                assert_eq!(deletes, &vec!["gone".to_string()]);
            }
            other => panic!("{other:?}"),
        }
        assert!(p.items.iter().all(|i| !i.staged));
        assert!(p.items.iter().all(|i| i.phases == vec![0]));

        let unchanged = plan(&[post("gone", Status::Published, "G")], &remote, &{
            let mut o = opts.clone();
            o.prune = false;
            o
        })
        .unwrap();
        assert!(unchanged.is_noop());
    }

    fn file(name: &str) -> crate::commands::blog::assets::Asset {
        crate::commands::blog::assets::Asset {
            name: name.into(),
            path: format!("posts/{name}").into(),
            content_type: "image/png".into(),
            bytes: Arc::from(&b"png"[..]),
        }
    }

    fn local_with<'a>(post: &'a Post, assets: &[&str]) -> Local<'a> {
        Local {
            post,
            hash: post.hash.clone(),
            assets: assets.iter().map(|a| a.to_string()).collect(),
            page: Some(Page {
                html: post.body.clone(),
                source: "{}".into(),
                excerpt: String::new(),
                tags: Vec::new(),
                updated: None,
                image: None,
            }),
        }
    }

    #[test]
    fn files_go_up_with_the_first_phase_once_and_only_when_missing() {
        let a = post("a", Status::Published, "A");
        let b = post("b", Status::Published, "B");
        let files: Files = ["x.png", "y.png"]
            .iter()
            .map(|n| (n.to_string(), file(n)))
            .collect();
        let mut remote = Remote::new();
        remote.insert("~assets/y.png".into(), RemoteKey::Asset);
        let locals = [
            local_with(&a, &["x.png", "y.png"]),
            local_with(&b, &["x.png"]),
        ];
        let p = super::plan(&locals, &files, &remote, &options(true)).unwrap();
        match &p.phases[0] {
            Phase::Put {
                name: PhaseName::Write,
                writes,
                assets,
                ..
            } => {
                assert_eq!(writes[0].record.status, Status::Unlisted, "staged");
                let keys: Vec<&str> = assets.iter().map(|a| a.key.as_str()).collect();
                assert_eq!(keys, ["~assets/x.png"], "y.png is there; x.png once");
            }
            other => panic!("{other:?}"),
        }
        assert!(
            p.phases.iter().skip(1).all(|ph| match ph {
                Phase::Put { assets, .. } => assets.is_empty(),
                _ => true,
            }),
            "files never wait for the publish phase"
        );
        assert_eq!(
            missing_assets(&locals, &remote, ""),
            BTreeSet::from(["x.png".to_string()])
        );
    }

    #[test]
    fn a_format_1_key_is_rewritten_once() {
        let a = post("a", Status::Published, "A");
        let mut remote = Remote::new();
        let mut old = match stored(&a, Status::Published, None) {
            RemoteKey::Devkit(r) => r,
            _ => unreachable!(),
        };
        old.format = 1;
        remote.insert("a".into(), RemoteKey::Devkit(old));
        assert!(needs_page(remote.get("a"), &a.hash, Status::Published));
        let p = plan(std::slice::from_ref(&a), &remote, &options(true)).unwrap();
        assert_eq!(p.items[0].action, Action::Update);
        assert_eq!(
            p.items[0].note.as_deref(),
            Some("stored in format 1: rewritten in format 2")
        );
        assert_eq!(
            put_keys(&p.phases[0]),
            vec![("a".into(), Status::Published)]
        );
        remote.insert("a".into(), stored(&a, Status::Published, None));
        assert!(!needs_page(remote.get("a"), &a.hash, Status::Published));
        assert!(plan(&[a], &remote, &options(true)).unwrap().is_noop());
    }

    #[test]
    fn an_unrendered_write_is_refused_not_guessed() {
        let a = post("a", Status::Published, "A");
        let locals = [Local {
            post: &a,
            hash: a.hash.clone(),
            assets: Vec::new(),
            page: None,
        }];
        assert_eq!(
            super::plan(&locals, &Files::new(), &Remote::new(), &options(false)),
            Err(PlanError::Unrendered { slug: "a".into() })
        );
    }

    #[test]
    fn prune_removes_sources_with_their_posts_and_unlinked_files_last() {
        let kept = post("kept", Status::Published, "K");
        let gone = post("gone", Status::Draft, "G");
        let mut remote = Remote::new();
        remote.insert("kept".into(), stored(&kept, Status::Published, None));
        remote.insert("gone".into(), stored(&gone, Status::Draft, None));
        remote.insert("~source/kept".into(), RemoteKey::Source);
        remote.insert("~source/gone".into(), RemoteKey::Source);
        remote.insert("~assets/used.png".into(), RemoteKey::Asset);
        remote.insert("~assets/old.png".into(), RemoteKey::Asset);
        remote.insert("~theirs".into(), RemoteKey::Foreign);
        let locals = [local_with(&kept, &["used.png"])];
        let mut opts = options(false);
        let p = super::plan(&locals, &Files::new(), &remote, &opts).unwrap();
        assert!(p.is_noop(), "without --prune nothing goes: {:?}", p.phases);
        assert_eq!(p.items.len(), 2, "only posts are items: {:?}", p.items);
        opts.prune = true;
        let p = super::plan(&locals, &Files::new(), &remote, &opts).unwrap();
        assert_eq!(
            p.phases,
            vec![
                Phase::Delete {
                    keys: vec!["gone".into(), "~source/gone".into()]
                },
                Phase::Delete {
                    keys: vec!["~assets/old.png".into()]
                },
            ]
        );
        opts.single_phase = true;
        let p = super::plan(&locals, &Files::new(), &remote, &opts).unwrap();
        match &p.phases[..] {
            [Phase::Batch { deletes, .. }] => {
                assert_eq!(deletes, &["gone", "~source/gone", "~assets/old.png"])
            }
            other => panic!("{other:?}"),
        }
    }
}
