//! One local post against what the store holds under its key: its item, and the writes it
//! adds to the first and the publish phase.

use jiff::Timestamp;

use super::{
    Action, Draft, FORMAT, Item, Local, MIN_GAP, PlanError, Record, Remote, RemoteKey, Value,
    needs_page, write,
};
use crate::commands::blog::model::Status;

/// What a write of the post carries: the page when rendered; else (only a record changes)
/// what the store holds.
struct Body {
    value: Value,
    excerpt: String,
    tags: Vec<String>,
    updated: Option<String>,
    image: Option<String>,
}

impl Body {
    fn of(local: &Local, previous: Option<&Record>) -> Self {
        match (&local.page, previous) {
            (Some(page), _) => Body {
                value: Value::Page {
                    html: page.html.clone(),
                    source: page.source.clone(),
                    body: local.post.body.clone(),
                },
                excerpt: page.excerpt.clone(),
                tags: page.tags.clone(),
                updated: page.updated.clone(),
                image: page.image.clone(),
            },
            (None, Some(r)) => Body {
                value: Value::Keep,
                excerpt: r.excerpt.clone(),
                tags: r.tags.clone(),
                updated: r.updated.clone(),
                image: r.image.clone(),
            },
            (None, None) => Body {
                value: Value::Keep,
                excerpt: String::new(),
                tags: Vec::new(),
                updated: None,
                image: None,
            },
        }
    }

    fn record(&self, local: &Local, status: Status, staged_at: Option<Timestamp>) -> Record {
        Record {
            format: FORMAT,
            hash: local.hash.clone(),
            title: local.post.title.clone(),
            status,
            date: local.post.date.to_string(),
            excerpt: self.excerpt.clone(),
            tags: self.tags.clone(),
            updated: self.updated.clone(),
            image: self.image.clone(),
            staged_at,
        }
    }
}

impl Draft<'_> {
    /// Plan one local post; its key.
    pub(super) fn local(&mut self, local: &Local, remote: &Remote) -> Result<String, PlanError> {
        let post = local.post;
        let key = format!("{}{}", self.options.prefix, post.slug);
        let found = remote.get(&key);
        let previous = match found {
            Some(RemoteKey::Devkit(r)) => Some(r),
            _ => None,
        };
        let body = Body::of(local, previous);
        let conflict = matches!(found, Some(RemoteKey::Foreign)) && !self.options.force;
        if local.page.is_none() && !conflict && needs_page(found, &local.hash, post.status) {
            return Err(PlanError::Unrendered {
                slug: post.slug.clone(),
            });
        }
        let mut item = Item {
            key: key.clone(),
            slug: post.slug.clone(),
            path: Some(post.path.clone()),
            action: Action::Create,
            from: None,
            to: Some(post.status),
            staged: false,
            foreign: false,
            note: None,
            phases: Vec::new(),
        };
        let writes_before = self.first.len();
        if conflict {
            item.action = Action::Conflict;
            item.foreign = true;
            item.to = None;
            item.note = Some("the key was not written by devkit; --force overwrites it".into());
        } else {
            describe_change(&mut item, found, previous);
            self.change(&mut item, local, &body, previous);
        }
        // A new page's files go up no later than the page: in the first phase, even when
        // the page itself is published only later.
        if self.first.len() > writes_before && matches!(body.value, Value::Page { .. }) {
            self.uploads.extend(local.assets.iter().cloned());
        }
        self.items.push(item);
        Ok(key)
    }

    /// The writes of a post devkit may write: none when unchanged; staged (unlisted first,
    /// published after the settle time) when it enters the index of an eventual store.
    fn change(&mut self, item: &mut Item, local: &Local, body: &Body, previous: Option<&Record>) {
        let index = self.items.len();
        let key = item.key.clone();
        let status = local.post.status;
        let wants_index = status == Status::Published;
        // Staging in progress from an earlier push, for this very content?
        let pending = previous
            .filter(|r| r.status == Status::Unlisted)
            .and_then(|r| {
                r.staged_at
                    .map(|at| (at, r.hash == local.hash && r.format == FORMAT))
            });
        let unchanged = previous
            .is_some_and(|r| r.format == FORMAT && r.hash == local.hash && r.status == status);
        let settle = self.options.settle.max(MIN_GAP);
        // The page as stored is served (not a draft) and the new one will be too.
        let out_already = status != Status::Draft
            && previous.is_some_and(|r| r.status != Status::Draft)
            && matches!(body.value, Value::Page { .. });
        if unchanged {
            item.action = Action::Unchanged;
        } else if let (true, true, Some((staged_at, same))) = (wants_index, self.stage, pending) {
            item.staged = true;
            if same {
                item.note = Some("finishing a staged publish".into());
            } else {
                item.note = Some("changed while staged: rewritten, then published".into());
                let record = body.record(local, Status::Unlisted, Some(staged_at));
                self.first
                    .push((index, write(&key, body.value.clone(), record)));
                self.wait_after(MIN_GAP);
            }
            self.wait_settled_since(staged_at);
            self.await_files(&local.assets);
            self.why
                .push(format!("`{}` enters the index", local.post.slug));
            let record = body.record(local, Status::Published, None);
            self.publish
                .push((index, write(&key, body.value.clone(), record)));
        } else if wants_index && self.stage && previous.is_none_or(|r| r.status == Status::Draft) {
            // It would be listed before `get` can serve it: unlisted first.
            item.staged = true;
            item.note = Some(format!(
                "staged: unlisted now, published after {}",
                crate::config::format_duration(settle)
            ));
            let now = self.options.now;
            let record = body.record(local, Status::Unlisted, Some(now));
            self.first
                .push((index, write(&key, body.value.clone(), record)));
            let record = body.record(local, Status::Published, None);
            self.publish
                .push((index, write(&key, body.value.clone(), record)));
            self.wait_after(settle);
            self.await_files(&local.assets);
            self.why
                .push(format!("`{}` enters the index", local.post.slug));
        } else if self.stage && out_already && self.await_files(&local.assets) {
            // Readers already reach this page: its new files settle before it links them.
            let files = local.assets.len();
            item.note = Some(format!(
                "updated after its new file{} settle",
                if files == 1 { "" } else { "s" }
            ));
            self.why
                .push(format!("the new files of `{}`", local.post.slug));
            self.uploads.extend(local.assets.iter().cloned());
            let record = body.record(local, status, None);
            self.publish
                .push((index, write(&key, body.value.clone(), record)));
        } else {
            let record = body.record(local, status, None);
            self.first
                .push((index, write(&key, body.value.clone(), record)));
        }
    }
}

/// Create or update, and the note on whose key it was.
fn describe_change(item: &mut Item, found: Option<&RemoteKey>, previous: Option<&Record>) {
    item.foreign = matches!(found, Some(RemoteKey::Foreign));
    item.from = previous.map(|r| r.status);
    item.action = if found.is_none() {
        Action::Create
    } else {
        Action::Update
    };
    if matches!(found, Some(RemoteKey::Pulled)) {
        item.foreign = true;
        item.note = Some("adopting a pulled key: the file still holds what the key held".into());
    } else if item.foreign {
        item.note = Some("overwriting a key devkit did not write (--force)".into());
    } else if let Some(r) = previous.filter(|r| r.format < FORMAT) {
        item.note = Some(format!(
            "stored in format {}: rewritten in format {FORMAT}",
            r.format
        ));
    }
}
