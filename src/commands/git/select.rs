//! Narrowing a plan: `--keep N` (the newest N of the matches stay) and `--older-than` (only
//! tags dated before a moment go), and what `--prune-local` deletes. Pure: dates come in as
//! numbers, versions are parsed from names.
//!
//! Version order follows semver's precedence: an optional `v`, then 1 to 4 numeric parts (a
//! fourth part, as in `1.2.3.4`, is compared like the others; missing parts count as 0), then an
//! optional `-pre.release` (before its release; identifiers compared numerically when both are
//! numbers, numbers before words, a shorter list first) and `+build` (ignored for order; ties are
//! broken by name so the order is total).

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use super::plan::{Pattern, TagAction};

/// What `--keep` and `--older-than` asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    pub keep: Option<usize>,
    /// Unix seconds: only tags dated strictly before this go.
    pub older_than: Option<i64>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.keep.is_none() && self.older_than.is_none()
    }

    /// Whether tag dates are needed to apply it to these names.
    pub fn needs_dates(&self, names: &[&str]) -> bool {
        self.older_than.is_some()
            || (self.keep.is_some() && !names.iter().all(|n| Version::parse(n).is_some()))
    }
}

/// A tag the selection spared, and why (for the plan and the report).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Spared {
    pub tag: String,
    pub reason: String,
}

/// Apply `selection` to the planned actions (missing names stay as planned). `dates` holds the
/// tagger date of annotated tags, else the commit date; a tag without a date is never deleted
/// by `--older-than` and counts as newest for `--keep`.
pub fn apply(
    actions: Vec<TagAction>,
    selection: Selection,
    dates: &HashMap<String, i64>,
) -> (Vec<TagAction>, Vec<Spared>) {
    if selection.is_empty() {
        return (actions, Vec::new());
    }
    let (missing, mut found): (Vec<TagAction>, Vec<TagAction>) =
        actions.into_iter().partition(TagAction::is_missing);
    let mut spared = Vec::new();
    if let Some(keep) = selection.keep {
        let versions: Option<Vec<Version>> =
            found.iter().map(|a| Version::parse(&a.name)).collect();
        let by = match versions {
            Some(versions) => {
                let mut order: Vec<(Version, TagAction)> =
                    versions.into_iter().zip(found).collect();
                // Newest first.
                order.sort_by(|(va, a), (vb, b)| vb.cmp(va).then_with(|| b.name.cmp(&a.name)));
                found = order.into_iter().map(|(_, a)| a).collect();
                "version"
            }
            None => {
                found.sort_by(|a, b| {
                    let date = |t: &TagAction| dates.get(&t.name).copied().unwrap_or(i64::MAX);
                    date(b).cmp(&date(a)).then_with(|| b.name.cmp(&a.name))
                });
                "date"
            }
        };
        let rest = found.split_off(keep.min(found.len()));
        for action in found {
            spared.push(Spared {
                tag: action.name,
                reason: format!("one of the newest {keep} by {by} (--keep {keep})"),
            });
        }
        found = rest;
    }
    if let Some(cutoff) = selection.older_than {
        let (old, young): (Vec<TagAction>, Vec<TagAction>) = found
            .into_iter()
            .partition(|a| dates.get(&a.name).is_some_and(|d| *d < cutoff));
        for action in young {
            let reason = match dates.get(&action.name) {
                Some(_) => "not older than --older-than".to_string(),
                None => "its date is unknown: the tag's object is not in this repository \
                         (fetch it) (--older-than)"
                    .to_string(),
            };
            spared.push(Spared {
                tag: action.name,
                reason,
            });
        }
        found = old;
    }
    let mut chosen: Vec<TagAction> = missing.into_iter().chain(found).collect();
    chosen.sort_by(|a, b| a.name.cmp(&b.name));
    spared.sort_by(|a, b| a.tag.cmp(&b.tag));
    (chosen, spared)
}

/// `--prune-local`: the local tags the remote does not have, all of them with no pattern, else
/// those a pattern names or matches.
pub fn prune_local(
    patterns: &[Pattern],
    local: &BTreeSet<String>,
    remote: &BTreeSet<String>,
) -> Vec<TagAction> {
    local
        .iter()
        .filter(|name| !remote.contains(*name))
        .filter(|name| patterns.is_empty() || patterns.iter().any(|p| p.matches(name)))
        .map(|name| TagAction {
            name: name.clone(),
            local: true,
            remote: false,
        })
        .collect()
}

/// A version read from a tag name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    numbers: [u64; 4],
    pre: Vec<Identifier>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Identifier {
    // Declared first: numeric identifiers have lower precedence than alphanumeric ones.
    Number(u64),
    Word(String),
}

impl Version {
    pub fn parse(name: &str) -> Option<Self> {
        let text = name
            .strip_prefix('v')
            .or_else(|| name.strip_prefix('V'))
            .unwrap_or(name);
        let text = text.split_once('+').map_or(text, |(v, _)| v);
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (text, None),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 4 {
            return None;
        }
        let mut numbers = [0u64; 4];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *slot = part.parse().ok()?;
        }
        let pre = match pre {
            None => Vec::new(),
            Some(pre) => pre
                .split('.')
                .map(|id| {
                    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    {
                        None
                    } else if id.bytes().all(|b| b.is_ascii_digit()) {
                        id.parse().ok().map(Identifier::Number)
                    } else {
                        Some(Identifier::Word(id.to_string()))
                    }
                })
                .collect::<Option<Vec<_>>>()?,
        };
        Some(Version { numbers, pre })
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                // A pre-release comes before its release.
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            }
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(name: &str) -> TagAction {
        TagAction {
            name: name.into(),
            local: true,
            remote: true,
        }
    }

    fn names(actions: &[TagAction]) -> Vec<&str> {
        actions.iter().map(|a| a.name.as_str()).collect()
    }

    #[test]
    fn semver_precedence_with_a_v_prefix() {
        let ordered = [
            "v1.0.0-alpha",
            "v1.0.0-alpha.1",
            "v1.0.0-alpha.beta",
            "1.0.0-beta",
            "v1.0.0-beta.2",
            "v1.0.0-beta.11",
            "v1.0.0-rc.1",
            "v1.0.0",
            "v1.0.1",
            "v1.2",
            "v1.2.0.1",
            "v1.10.0",
            "v2",
        ];
        let versions: Vec<Version> = ordered.iter().map(|n| Version::parse(n).unwrap()).collect();
        for pair in versions.windows(2) {
            assert!(pair[0] < pair[1], "{pair:?}");
        }
        assert_eq!(
            Version::parse("v1.0.0+build.5")
                .unwrap()
                .cmp(&Version::parse("1.0.0").unwrap()),
            Ordering::Equal
        );
        for bad in [
            "release",
            "v",
            "1..2",
            "1.2.3.4.5",
            "v1.x",
            "1.0.0-",
            "1.0.0-a..b",
            "latest",
        ] {
            assert!(Version::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn keep_the_newest_by_version() {
        let actions = ["v1.9.0", "v1.10.0", "v1.10.0-rc.1", "v1.2.0"]
            .map(action)
            .to_vec();
        let (chosen, spared) = apply(
            actions,
            Selection {
                keep: Some(2),
                older_than: None,
            },
            &HashMap::new(),
        );
        assert_eq!(names(&chosen), ["v1.2.0", "v1.9.0"]);
        assert_eq!(spared[0].tag, "v1.10.0");
        assert_eq!(spared[1].tag, "v1.10.0-rc.1");
        assert!(spared[0].reason.contains("newest 2 by version"));
    }

    #[test]
    fn keep_by_date_when_a_name_is_not_a_version() {
        let actions = ["nightly-a", "nightly-b", "v1.0.0", "undated"]
            .map(action)
            .to_vec();
        let dates = HashMap::from([
            ("nightly-a".to_string(), 300),
            ("nightly-b".to_string(), 100),
            ("v1.0.0".to_string(), 200),
        ]);
        let selection = Selection {
            keep: Some(2),
            older_than: None,
        };
        let (chosen, spared) = apply(actions, selection, &dates);
        // The undated tag counts as newest: it is never deleted for want of a date.
        assert_eq!(names(&chosen), ["nightly-b", "v1.0.0"]);
        assert_eq!(
            spared.iter().map(|s| s.tag.as_str()).collect::<Vec<_>>(),
            ["nightly-a", "undated"]
        );
    }

    #[test]
    fn older_than_after_keep_and_missing_names_pass() {
        let mut actions = ["v1", "v2", "v3", "v4"].map(action).to_vec();
        actions.push(TagAction {
            name: "gone".into(),
            local: false,
            remote: false,
        });
        let dates = HashMap::from([
            ("v1".to_string(), 10),
            ("v2".to_string(), 20),
            ("v3".to_string(), 30),
            ("v4".to_string(), 40),
        ]);
        let selection = Selection {
            keep: Some(1),
            older_than: Some(25),
        };
        let (chosen, spared) = apply(actions, selection, &dates);
        assert_eq!(names(&chosen), ["gone", "v1", "v2"]);
        assert_eq!(spared.len(), 2);
        assert!(spared[1].reason.contains("--keep"), "{spared:?}");
        assert!(spared[0].reason.contains("--older-than"), "{spared:?}");
    }

    #[test]
    fn prune_local_takes_only_what_the_remote_lacks() {
        let local: BTreeSet<String> = ["a", "b", "rc-1", "rc-2"].map(String::from).into();
        let remote: BTreeSet<String> = ["a", "rc-2"].map(String::from).into();
        let all = prune_local(&[], &local, &remote);
        assert_eq!(names(&all), ["b", "rc-1"]);
        assert!(all.iter().all(|a| a.local && !a.remote));
        let rc = prune_local(&[Pattern::parse("rc-*").unwrap()], &local, &remote);
        assert_eq!(names(&rc), ["rc-1"]);
    }

    #[test]
    fn dates_are_needed_only_when_used() {
        let keep = Selection {
            keep: Some(1),
            older_than: None,
        };
        assert!(!keep.needs_dates(&["v1", "v2.0"]));
        assert!(keep.needs_dates(&["v1", "nightly"]));
        assert!(
            Selection {
                keep: None,
                older_than: Some(0)
            }
            .needs_dates(&["v1"])
        );
    }
}
