//! What a remote answered to a push of deletions, and what to do about it: the server's own
//! words for each refused tag, a push refused for its size (retried in smaller batches), and a
//! push refused as a whole (split until the refusals name the tags the server protects).
//! Pure: the pushes themselves are a function handed in.

use std::collections::{HashMap, VecDeque};

use anyhow::Result;

use super::plan::{RefName, TAG_PREFIX};

/// The raw answer to one push: a status per reference (`None`: deleted) and the lines the
/// server wrote on its side band (hook output), in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushReply {
    pub statuses: HashMap<String, Option<String>>,
    pub lines: Vec<String>,
}

/// The end of one tag's deletion on the remote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Deleted,
    /// The server refused; its words (and git's status in parentheses).
    Rejected(String),
    /// No answer for this tag: the push failed before the server could say.
    Failed(String),
}

/// When no number can be read from a size refusal (GitHub's default limit).
pub const DEFAULT_PUSH_LIMIT: usize = 5;

/// How a push went, as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Judgement {
    /// Refused for carrying more than this many references.
    TooMany(usize),
    /// Every reference refused, perhaps for the push's sake (one status for all, or an atomic
    /// push's failure): the server may protect only some.
    Whole(String),
    /// A verdict per reference, final.
    PerRef(Vec<(RefName, Verdict)>),
}

/// Lines receive-pack writes itself, which repeat the status without the server's reason.
fn is_git_echo(line: &str) -> bool {
    line.starts_with("error: hook declined to update ")
        || line.starts_with("error: failed to lock ")
        || line.starts_with("error: denying ref deletion for ")
}

/// True when `line` names `name` (a full `refs/tags/…` name, or the short tag name as a word).
fn mentions(line: &str, name: &RefName) -> bool {
    if line.contains(name.as_str()) {
        return true;
    }
    let short = name
        .as_str()
        .strip_prefix(TAG_PREFIX)
        .unwrap_or(name.as_str());
    let word = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '/');
    line.match_indices(short).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + short.len()..].chars().next();
        // A trailing `.` ends a sentence, not a name.
        let after_ok = match after {
            None => true,
            Some('.') => line[at + short.len() + 1..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace()),
            Some(c) => !word(c),
        };
        before.is_none_or(|c| !word(c)) && after_ok
    })
}

/// The server's words about each refused reference: the side-band lines naming it, else the
/// lines naming no reference of the push (a message about the push as a whole), else git's
/// status alone.
fn reasons(batch: &[RefName], reply: &PushReply) -> Vec<(RefName, Verdict)> {
    let lines: Vec<&str> = reply
        .lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !is_git_echo(l))
        .collect();
    let general: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !batch.iter().any(|r| mentions(l, r)))
        .collect();
    batch
        .iter()
        .map(|name| {
            let verdict = match reply.statuses.get(name.as_str()) {
                None => Verdict::Failed("the remote sent no status for it".into()),
                Some(None) => Verdict::Deleted,
                Some(Some(status)) => {
                    let own: Vec<&str> = lines
                        .iter()
                        .copied()
                        .filter(|l| mentions(l, name))
                        .collect();
                    let words = if own.is_empty() { &general } else { &own };
                    Verdict::Rejected(match words.is_empty() {
                        true => status.clone(),
                        false if words.join(" ").contains(status.as_str()) => words.join("; "),
                        false => format!("{} ({status})", words.join("; ")),
                    })
                }
            };
            (name.clone(), verdict)
        })
        .collect()
}

/// GitHub's `Pushes can not update more than N branches or tags`: N, or the default when the
/// number cannot be read. `None` when the text is not that refusal.
pub fn push_limit(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let at = ["can not update more than ", "cannot update more than "]
        .iter()
        .find_map(|needle| lower.find(needle).map(|i| i + needle.len()))?;
    if !lower[..at].contains("push") {
        return None;
    }
    let digits: String = lower[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some(
        digits
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .unwrap_or(DEFAULT_PUSH_LIMIT),
    )
}

/// Statuses git's receive-pack gives a reference for its own sake: the update hook runs once
/// per reference and sees no other, so its refusal stands however many refs share it.
const OWN_STATUSES: &[&str] = &["hook declined"];

/// Statuses that refuse a reference for another's sake: in an atomic push, one refusal fails
/// every other reference with this status.
const COLLATERAL_STATUSES: &[&str] = &["atomic push failure"];

/// Why a push whose every reference was refused may have been refused as a whole, so that some
/// of its refs were refused for the others' sake; `None` when each refusal is the ref's own.
/// One status for all (git's `pre-receive hook declined`: the hook decides for the whole push,
/// and its words name at most the tags it objects to) is such a push unless the status is one
/// git gives per ref; so is a push where some refs failed only because another did (atomic).
/// In doubt, splitting is the safe side: the server judges each part again, at a few pushes'
/// cost, while taking a shared status for a verdict would keep tags nobody protects.
fn whole_refusal(
    batch: &[RefName],
    reply: &PushReply,
    verdicts: &[(RefName, Verdict)],
) -> Option<String> {
    let statuses: Vec<&str> = batch
        .iter()
        .filter_map(|r| reply.statuses.get(r.as_str())?.as_deref())
        .collect();
    if let Some(collateral) = statuses.iter().find(|s| COLLATERAL_STATUSES.contains(s)) {
        return Some(collateral.to_string());
    }
    let status = *statuses.first()?;
    if statuses.len() != batch.len()
        || statuses.iter().any(|s| *s != status)
        || OWN_STATUSES.contains(&status)
    {
        return None;
    }
    let words: Vec<&str> = verdicts
        .iter()
        .filter_map(|(_, v)| match v {
            Verdict::Rejected(why) => Some(why.as_str()),
            _ => None,
        })
        .collect();
    // The server's own words when every ref got the same (GitLab's), else the shared status.
    Some(match words.iter().all(|w| *w == words[0]) {
        true => words[0].to_string(),
        false => status.to_string(),
    })
}

fn judge(batch: &[RefName], reply: &PushReply) -> Judgement {
    let verdicts = reasons(batch, reply);
    let all_refused = verdicts
        .iter()
        .all(|(_, v)| matches!(v, Verdict::Rejected(_)));
    if all_refused {
        let texts = reply
            .statuses
            .values()
            .flatten()
            .map(String::as_str)
            .chain(reply.lines.iter().map(String::as_str));
        if let Some(limit) = texts.filter_map(push_limit).min() {
            return Judgement::TooMany(limit);
        }
        if batch.len() > 1
            && let Some(why) = whole_refusal(batch, reply, &verdicts)
        {
            return Judgement::Whole(why);
        }
    }
    Judgement::PerRef(verdicts)
}

/// Every deletion's verdict, and how many pushes it took.
#[derive(Debug)]
pub struct Deletions {
    pub verdicts: HashMap<RefName, Verdict>,
    pub pushes: usize,
    /// What devkit did beyond one push, for `-v` ("split in batches of 5").
    pub notes: Vec<String>,
}

/// Delete `refs` with `push`, one push if the server allows, as the report of one push: a
/// size refusal is retried in batches of at most the server's limit (each batch again split if
/// needed), and a batch refused as a whole (see `whole_refusal`) is split in halves until each
/// refusal is of one tag (p protected tags among n cost about 2·p·log2(n/p) pushes). An error
/// on the first push is returned; a later one marks the tags not yet answered as failed.
pub fn delete_all(
    refs: &[RefName],
    mut push: impl FnMut(&[RefName]) -> Result<PushReply>,
) -> Result<Deletions> {
    let mut verdicts = HashMap::new();
    let mut notes = Vec::new();
    let mut pushes = 0;
    let mut limit: Option<usize> = None;
    let mut queue: VecDeque<Vec<RefName>> = VecDeque::new();
    if !refs.is_empty() {
        queue.push_back(refs.to_vec());
    }
    while let Some(batch) = queue.pop_front() {
        if let Some(n) = limit
            && batch.len() > n
        {
            for chunk in batch.chunks(n).rev() {
                queue.push_front(chunk.to_vec());
            }
            continue;
        }
        let reply = match push(&batch) {
            Ok(reply) => reply,
            Err(err) if pushes == 0 => return Err(err),
            Err(err) => {
                let why = format!("{:#}", err);
                for name in batch.iter().chain(queue.iter().flatten()) {
                    verdicts.insert(name.clone(), Verdict::Failed(why.clone()));
                }
                break;
            }
        };
        pushes += 1;
        match judge(&batch, &reply) {
            Judgement::TooMany(n) if batch.len() > 1 => {
                // Progress even when the number read is not below this batch's size.
                let n = n.min(batch.len() - 1).max(1);
                if limit.is_none_or(|old| n < old) {
                    notes.push(format!(
                        "the remote refuses pushes of more than {n} references: deleting in batches of {n}"
                    ));
                    limit = Some(n);
                }
                queue.push_front(batch);
            }
            Judgement::Whole(reason) if batch.len() > 1 => {
                if notes
                    .iter()
                    .all(|n| !n.starts_with("the remote refused a whole push"))
                {
                    notes.push(format!(
                        "the remote refused a whole push of {} tags ({reason}): splitting it to find the tags it protects",
                        batch.len()
                    ));
                }
                let (left, right) = batch.split_at(batch.len() / 2);
                queue.push_front(right.to_vec());
                queue.push_front(left.to_vec());
            }
            Judgement::TooMany(_) | Judgement::Whole(_) => {
                for (name, verdict) in reasons(&batch, &reply) {
                    verdicts.insert(name, verdict);
                }
            }
            Judgement::PerRef(list) => verdicts.extend(list),
        }
    }
    Ok(Deletions {
        verdicts,
        pushes,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(names: &[&str]) -> Vec<RefName> {
        names.iter().map(|n| RefName::tag(n)).collect()
    }

    /// Tags `t00`, `t01`, … : `n` of them.
    fn numbered(n: usize) -> Vec<RefName> {
        (0..n).map(|i| RefName::tag(&format!("t{i:02}"))).collect()
    }

    /// How the test server's hooks refuse the deletion of its protected tags.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Hook {
        /// git's update hook: each protected ref refused alone, in words naming it.
        Update,
        /// GitLab's pre-receive: the whole push refused at any protected ref, in words naming
        /// none.
        GitLab,
        /// A pre-receive hook that stops at the first protected ref of the push and names it.
        FirstProtected,
        /// An atomic push through an update hook: one refusal fails every other ref.
        Atomic,
    }

    /// A server in the manner of git's receive-pack with hooks: `protected` tags refused (as
    /// `hook` does it), and all of a push refused when it has more than `cap` refs (GitHub).
    struct Server {
        protected: Vec<&'static str>,
        cap: Option<usize>,
        hook: Hook,
        pushes: Vec<usize>,
    }

    impl Server {
        fn push(&mut self, batch: &[RefName]) -> Result<PushReply> {
            self.pushes.push(batch.len());
            let mut reply = PushReply::default();
            let hit = |r: &RefName| self.protected.iter().any(|p| RefName::tag(p) == *r);
            let first = batch.iter().find(|r| hit(r));
            let refuse_all = if self.cap.is_some_and(|cap| batch.len() > cap) {
                let cap = self.cap.unwrap();
                reply.lines.push(format!(
                    "error: GH013: Pushes can not update more than {cap} branches or tags."
                ));
                Some("pre-receive hook declined")
            } else if let Some(first) = first {
                match self.hook {
                    Hook::GitLab => {
                        reply.lines.push(
                            "GitLab: You are not allowed to delete protected tags from this project."
                                .into(),
                        );
                        Some("pre-receive hook declined")
                    }
                    Hook::FirstProtected => {
                        let short = first.as_str().strip_prefix(TAG_PREFIX).unwrap();
                        reply
                            .lines
                            .push(format!("tag {short} is protected by release policy"));
                        Some("pre-receive hook declined")
                    }
                    Hook::Update | Hook::Atomic => None,
                }
            } else {
                None
            };
            let atomic_failure = self.hook == Hook::Atomic && first.is_some();
            for r in batch {
                let status = if let Some(status) = refuse_all {
                    Some(status.to_string())
                } else if hit(r) {
                    reply
                        .lines
                        .push(format!("{r} is protected by release policy"));
                    reply
                        .lines
                        .push(format!("error: hook declined to update {r}"));
                    Some("hook declined".to_string())
                } else if atomic_failure {
                    Some("atomic push failure".to_string())
                } else {
                    None
                };
                reply.statuses.insert(r.as_str().to_string(), status);
            }
            Ok(reply)
        }
    }

    fn server(protected: &[&'static str], cap: Option<usize>, hook: Hook) -> Server {
        Server {
            protected: protected.to_vec(),
            cap,
            hook,
            pushes: Vec::new(),
        }
    }

    fn rejected(d: &Deletions) -> Vec<String> {
        let mut names: Vec<String> = d
            .verdicts
            .iter()
            .filter(|(_, v)| matches!(v, Verdict::Rejected(_)))
            .map(|(r, _)| r.to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn per_ref_refusals_carry_the_servers_words() {
        let mut s = server(&["keep-1"], None, Hook::Update);
        let d = delete_all(&refs(&["keep-1", "v1"]), |b| s.push(b)).unwrap();
        assert_eq!(d.pushes, 1);
        assert_eq!(d.verdicts[&RefName::tag("v1")], Verdict::Deleted);
        assert_eq!(
            d.verdicts[&RefName::tag("keep-1")],
            Verdict::Rejected(
                "refs/tags/keep-1 is protected by release policy (hook declined)".into()
            )
        );
    }

    #[test]
    fn a_size_refusal_is_retried_in_batches_of_the_limit() {
        let names = numbered(12);
        let mut s = server(&["t07"], Some(5), Hook::Update);
        let d = delete_all(&names, |b| s.push(b)).unwrap();
        assert_eq!(s.pushes, [12, 5, 5, 2]);
        assert_eq!(rejected(&d), ["refs/tags/t07"]);
        assert_eq!(d.verdicts.len(), 12);
        assert!(d.notes[0].contains("batches of 5"), "{:?}", d.notes);
    }

    #[test]
    fn a_whole_push_refusal_is_split_until_the_protected_tags_are_found() {
        let names = numbered(16);
        let mut s = server(&["t03", "t12"], None, Hook::GitLab);
        let d = delete_all(&names, |b| s.push(b)).unwrap();
        assert_eq!(rejected(&d), ["refs/tags/t03", "refs/tags/t12"]);
        let deleted = d
            .verdicts
            .values()
            .filter(|v| **v == Verdict::Deleted)
            .count();
        assert_eq!(deleted, 14);
        assert_eq!(
            d.verdicts[&RefName::tag("t03")],
            Verdict::Rejected(
                "GitLab: You are not allowed to delete protected tags from this project. \
                 (pre-receive hook declined)"
                    .into()
            )
        );
        // 1 + 2·(2 + 2 + 2 + 2): far fewer than one push per tag.
        assert!(d.pushes <= 17, "{}", d.pushes);
    }

    #[test]
    fn caps_and_whole_refusals_together() {
        let names = numbered(9);
        let mut s = server(&["t08"], Some(4), Hook::GitLab);
        let d = delete_all(&names, |b| s.push(b)).unwrap();
        assert_eq!(rejected(&d), ["refs/tags/t08"]);
        assert_eq!(d.verdicts.len(), 9);
    }

    /// A pre-receive hook's words name only the tag it stopped at; git marks every ref of the
    /// push `pre-receive hook declined`. The shared status, not the words, says "the push".
    #[test]
    fn a_pre_receive_naming_only_its_first_protected_tag_is_split() {
        let mut s = server(&["keep-1"], None, Hook::FirstProtected);
        let d = delete_all(&refs(&["keep-1", "v1"]), |b| s.push(b)).unwrap();
        assert_eq!(s.pushes, [2, 1, 1]);
        assert_eq!(d.verdicts[&RefName::tag("v1")], Verdict::Deleted);
        assert_eq!(
            d.verdicts[&RefName::tag("keep-1")],
            Verdict::Rejected(
                "tag keep-1 is protected by release policy (pre-receive hook declined)".into()
            )
        );
        assert_eq!(
            d.notes,
            [
                "the remote refused a whole push of 2 tags (pre-receive hook declined): \
              splitting it to find the tags it protects"
            ]
        );

        let names = numbered(16);
        let mut s = server(&["t03", "t04", "t12"], None, Hook::FirstProtected);
        let d = delete_all(&names, |b| s.push(b)).unwrap();
        assert_eq!(
            rejected(&d),
            ["refs/tags/t03", "refs/tags/t04", "refs/tags/t12"]
        );
        assert_eq!(d.verdicts.len(), 16);
    }

    /// The update hook sees one ref at a time: its refusals are final, even of every tag of a
    /// push, in words of their own or in the same words for all.
    #[test]
    fn update_hook_refusals_of_every_tag_are_final() {
        let mut s = server(&["keep-1", "keep-2"], None, Hook::Update);
        let d = delete_all(&refs(&["keep-1", "keep-2"]), |b| s.push(b)).unwrap();
        assert_eq!(s.pushes, [2]);
        assert_eq!(rejected(&d), ["refs/tags/keep-1", "refs/tags/keep-2"]);

        let mut pushes = 0;
        let d = delete_all(&refs(&["a", "b"]), |batch| {
            pushes += 1;
            Ok(PushReply {
                statuses: batch
                    .iter()
                    .map(|r| (r.to_string(), Some("hook declined".into())))
                    .collect(),
                lines: vec!["releases are frozen".into()],
            })
        })
        .unwrap();
        assert_eq!(pushes, 1);
        assert_eq!(
            d.verdicts[&RefName::tag("a")],
            Verdict::Rejected("releases are frozen (hook declined)".into())
        );
    }

    /// Refs of different statuses, all refused, are refused each for its own reason.
    #[test]
    fn different_statuses_are_per_ref_verdicts() {
        let mut pushes = 0;
        let d = delete_all(&refs(&["a", "b"]), |_| {
            pushes += 1;
            Ok(PushReply {
                statuses: HashMap::from([
                    ("refs/tags/a".into(), Some("hook declined".into())),
                    ("refs/tags/b".into(), Some("failed to lock".into())),
                ]),
                lines: vec![],
            })
        })
        .unwrap();
        assert_eq!(pushes, 1);
        assert_eq!(rejected(&d), ["refs/tags/a", "refs/tags/b"]);
    }

    /// In an atomic push one refusal fails the others (`atomic push failure`): not their own.
    #[test]
    fn an_atomic_push_failure_is_split() {
        let mut s = server(&["keep-1"], None, Hook::Atomic);
        let d = delete_all(&refs(&["v1", "keep-1", "v2"]), |b| s.push(b)).unwrap();
        assert_eq!(rejected(&d), ["refs/tags/keep-1"]);
        assert_eq!(d.verdicts[&RefName::tag("v1")], Verdict::Deleted);
        assert_eq!(d.verdicts[&RefName::tag("v2")], Verdict::Deleted);
        assert!(
            d.notes[0].contains("(atomic push failure)"),
            "{:?}",
            d.notes
        );
    }

    /// A size refusal shares one status too: it is batched by the limit, not bisected.
    #[test]
    fn a_size_refusal_wins_over_a_whole_refusal() {
        let names = numbered(6);
        let mut s = server(&["t01"], Some(3), Hook::FirstProtected);
        let d = delete_all(&names, |b| s.push(b)).unwrap();
        assert_eq!(s.pushes[..2], [6, 3]);
        assert_eq!(rejected(&d), ["refs/tags/t01"]);
        assert!(d.notes[0].contains("batches of 3"), "{:?}", d.notes);
    }

    #[test]
    fn one_tag_refused_alone_is_final() {
        let mut s = server(&["a"], None, Hook::GitLab);
        let d = delete_all(&refs(&["a"]), |b| s.push(b)).unwrap();
        assert_eq!(s.pushes, [1]);
        assert_eq!(rejected(&d), ["refs/tags/a"]);
    }

    #[test]
    fn an_error_after_the_first_push_fails_the_rest() {
        let mut calls = 0;
        let d = delete_all(&refs(&["a", "b", "c"]), |batch| {
            calls += 1;
            match calls {
                1 => Ok(PushReply {
                    statuses: batch
                        .iter()
                        .map(|r| (r.to_string(), Some("declined".into())))
                        .collect(),
                    lines: vec!["Pushes can not update more than 1 branches or tags".into()],
                }),
                2 => Ok(PushReply {
                    statuses: HashMap::from([("refs/tags/a".into(), None)]),
                    lines: vec![],
                }),
                _ => Err(anyhow::anyhow!("connection reset")),
            }
        })
        .unwrap();
        assert_eq!(d.verdicts[&RefName::tag("a")], Verdict::Deleted);
        assert!(
            matches!(&d.verdicts[&RefName::tag("b")], Verdict::Failed(w) if w.contains("reset"))
        );
        assert!(matches!(d.verdicts[&RefName::tag("c")], Verdict::Failed(_)));
        let first = delete_all(&refs(&["a"]), |_| Err(anyhow::anyhow!("down")));
        assert!(first.is_err());
    }

    #[test]
    fn limits_are_read_from_githubs_words() {
        assert_eq!(
            push_limit("remote: error: Pushes can not update more than 3 branches or tags."),
            Some(3)
        );
        assert_eq!(
            push_limit("pushes cannot update more than many branches"),
            Some(DEFAULT_PUSH_LIMIT)
        );
        assert_eq!(push_limit("hook declined"), None);
        assert_eq!(push_limit("you can not update more than 3 things"), None);
    }

    #[test]
    fn short_names_match_as_words_only() {
        let v1 = RefName::tag("v1");
        assert!(mentions("tag v1 is protected", &v1));
        assert!(mentions("cannot delete v1.", &v1));
        assert!(!mentions("tag v10 is protected", &v1));
        assert!(!mentions("tag v1.0 is protected", &v1));
        assert!(mentions("GH013: violations for refs/tags/v1", &v1));
    }
}
