//! The decision of `git untag`: which tags to delete where, from the patterns the user gave and
//! the tags that exist locally and on the remote. Pure: no repository, no network.

use std::collections::BTreeSet;
use std::fmt;

use globset::{Glob, GlobMatcher};

/// A full reference name such as `refs/tags/v1.0`: what refspecs and verdicts speak of.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RefName(String);

impl RefName {
    pub fn tag(name: &str) -> Self {
        Self(format!("{TAG_PREFIX}{name}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RefName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const TAG_PREFIX: &str = "refs/tags/";

/// One argument of the command line: an exact tag name, or a glob.
#[derive(Debug, Clone)]
pub enum Pattern {
    Exact(String),
    Glob { text: String, matcher: GlobMatcher },
}

impl Pattern {
    /// Read one argument. `refs/tags/` in front is accepted and dropped; a name must be a valid
    /// tag name (git's ref-name rules), a glob must compile.
    pub fn parse(arg: &str) -> Result<Self, PlanError> {
        let text = arg.strip_prefix(TAG_PREFIX).unwrap_or(arg);
        if text.contains(['*', '?', '[']) {
            // Like `git tag -l`, a `*` also matches `/` (fnmatch without FNM_PATHNAME).
            let glob = Glob::new(text).map_err(|e| PlanError::InvalidGlob {
                pattern: arg.to_string(),
                reason: e.kind().to_string(),
            })?;
            Ok(Pattern::Glob {
                text: text.to_string(),
                matcher: glob.compile_matcher(),
            })
        } else if let Some(reason) = invalid_tag_name(text) {
            Err(PlanError::InvalidName {
                name: arg.to_string(),
                reason,
            })
        } else {
            Ok(Pattern::Exact(text.to_string()))
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Pattern::Exact(name) => name,
            Pattern::Glob { text, .. } => text,
        }
    }

    pub fn matches(&self, name: &str) -> bool {
        match self {
            Pattern::Exact(exact) => exact == name,
            Pattern::Glob { matcher, .. } => matcher.is_match(name),
        }
    }

    fn is_glob(&self) -> bool {
        matches!(self, Pattern::Glob { .. })
    }
}

/// Why `name` cannot be a tag name, following git-check-ref-format(1); `None` when it can.
pub fn invalid_tag_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    // A leading `-` is valid in a ref (`git tag` refuses to make one, but `update-ref` and
    // hosts do): devkit passes full refspecs after `--`, so such a tag is deletable.
    if name == "@" {
        return Some("`@` alone is not a name");
    }
    if name.contains("..") {
        return Some("it contains `..`");
    }
    if name.contains("@{") {
        return Some("it contains `@{`");
    }
    if name.contains("//") || name.starts_with('/') || name.ends_with('/') {
        return Some("it has an empty path component");
    }
    if name.ends_with('.') {
        return Some("it ends with `.`");
    }
    if name.chars().any(|c| {
        c.is_ascii_control() || matches!(c, ' ' | '~' | '^' | ':' | '?' | '*' | '[' | '\\')
    }) {
        return Some("it contains a space, a control character or one of ~ ^ : ? * [ \\");
    }
    for component in name.split('/') {
        if component.starts_with('.') {
            return Some("a path component starts with `.`");
        }
        if component.ends_with(".lock") {
            return Some("a path component ends with `.lock`");
        }
    }
    None
}

/// Choices that change the plan but not the inputs. (A side given to `plan` as `None` was not
/// looked at: `--local-only` or `--remote-only`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub ignore_missing: bool,
}

/// What to do with one tag. Neither side set means the tag was asked for by name and exists
/// nowhere (only planned with `--ignore-missing`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagAction {
    pub name: String,
    pub local: bool,
    pub remote: bool,
}

impl TagAction {
    pub fn is_missing(&self) -> bool {
        !self.local && !self.remote
    }

    pub fn ref_name(&self) -> RefName {
        RefName::tag(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("`{name}` is not a valid tag name: {reason}")]
    InvalidName { name: String, reason: &'static str },
    #[error("`{pattern}` is not a valid glob: {reason}")]
    InvalidGlob { pattern: String, reason: String },
    #[error("{}", describe_missing(.0, .1))]
    Missing(Vec<String>, &'static str),
}

fn describe_missing(patterns: &[String], place: &str) -> String {
    let list = patterns
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("no such tag {place}: {list}; nothing was deleted")
}

/// Where tags were looked for, in the user's words (for the missing-tag error).
fn place(local: Option<&BTreeSet<String>>, remote: Option<&BTreeSet<String>>) -> &'static str {
    match (local.is_some(), remote.is_some()) {
        (true, true) => "locally or on the remote",
        (true, false) => "locally",
        (false, true) => "on the remote",
        (false, false) => "anywhere",
    }
}

/// Decide, for every tag the patterns name or match, where it will be deleted. Tags come out
/// sorted and once each, however many patterns match them. A name that exists nowhere, or a glob
/// that matches nothing, is an error (listing all of them) unless `ignore_missing`.
pub fn plan(
    patterns: &[Pattern],
    local: Option<&BTreeSet<String>>,
    remote: Option<&BTreeSet<String>>,
    options: Options,
) -> Result<Vec<TagAction>, PlanError> {
    let has = |set: Option<&BTreeSet<String>>, name: &str| set.is_some_and(|s| s.contains(name));
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut missing = Vec::new();
    for pattern in patterns {
        match pattern {
            Pattern::Exact(name) => {
                if !has(local, name) && !has(remote, name) {
                    missing.push(name.clone());
                }
                names.insert(name.clone());
            }
            Pattern::Glob { text, matcher } => {
                let mut matched = false;
                for name in local.into_iter().chain(remote).flatten() {
                    if matcher.is_match(name) {
                        matched = true;
                        names.insert(name.clone());
                    }
                }
                if !matched {
                    missing.push(text.clone());
                }
            }
        }
    }
    if !missing.is_empty() && !options.ignore_missing {
        return Err(PlanError::Missing(missing, place(local, remote)));
    }
    Ok(names
        .into_iter()
        .map(|name| TagAction {
            local: has(local, &name),
            remote: has(remote, &name),
            name,
        })
        .collect())
}

/// The tags that need a "yes" before deletion: those matched by a glob, when some glob matched
/// more than one tag. Empty when no confirmation is needed.
pub fn needing_confirmation<'a>(patterns: &[Pattern], actions: &'a [TagAction]) -> Vec<&'a str> {
    let wide = patterns.iter().filter(|p| p.is_glob()).any(|p| {
        let Pattern::Glob { matcher, .. } = p else {
            return false;
        };
        actions
            .iter()
            .filter(|a| !a.is_missing() && matcher.is_match(&a.name))
            .nth(1)
            .is_some()
    });
    if !wide {
        return Vec::new();
    }
    actions
        .iter()
        .filter(|a| !a.is_missing())
        .map(|a| a.name.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn patterns(args: &[&str]) -> Vec<Pattern> {
        args.iter().map(|a| Pattern::parse(a).unwrap()).collect()
    }

    const STRICT: Options = Options {
        ignore_missing: false,
    };

    /// The plan for `pats` against tags on both sides, which must succeed.
    fn plan_both(pats: &[&str], local: &[&str], remote: &[&str]) -> Vec<TagAction> {
        plan(
            &patterns(pats),
            Some(&set(local)),
            Some(&set(remote)),
            STRICT,
        )
        .unwrap()
    }

    fn summary(actions: &[TagAction]) -> Vec<(String, bool, bool)> {
        actions
            .iter()
            .map(|a| (a.name.clone(), a.local, a.remote))
            .collect()
    }

    #[test]
    fn exact_names_are_looked_up_on_both_sides() {
        let actions = plan_both(&["v1", "v2", "v3"], &["v1", "v2"], &["v2", "v3"]);
        assert_eq!(
            summary(&actions),
            vec![
                ("v1".into(), true, false),
                ("v2".into(), true, true),
                ("v3".into(), false, true),
            ]
        );
    }

    #[test]
    fn globs_match_the_union_once_each_and_sorted() {
        let actions = plan_both(
            &["rc-*", "v1.*", "rc-2"],
            &["rc-1", "rc-2", "v1.0", "keep"],
            &["rc-2", "rc-3", "v1.1"],
        );
        let names: Vec<_> = actions.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["rc-1", "rc-2", "rc-3", "v1.0", "v1.1"]);
    }

    #[test]
    fn a_star_crosses_slashes_like_git_tag_list() {
        let local = set(&["release/1.0", "release/2.0/rc", "other"]);
        let actions = plan(&patterns(&["release/*"]), Some(&local), None, STRICT).unwrap();
        assert_eq!(actions.len(), 2);
    }

    #[test]
    fn missing_names_and_empty_globs_fail_together_before_anything() {
        let local = set(&["v1"]);
        let err = plan(
            &patterns(&["v1", "nope", "x-*"]),
            Some(&local),
            Some(&set(&[])),
            STRICT,
        )
        .unwrap_err();
        assert_eq!(
            err,
            PlanError::Missing(
                vec!["nope".into(), "x-*".into()],
                "locally or on the remote"
            )
        );
        assert!(err.to_string().contains("nothing was deleted"));
    }

    #[test]
    fn ignore_missing_plans_a_not_found_entry() {
        let local = set(&["v1"]);
        let actions = plan(
            &patterns(&["v1", "nope"]),
            Some(&local),
            None,
            Options {
                ignore_missing: true,
            },
        )
        .unwrap();
        assert_eq!(
            summary(&actions),
            vec![("nope".into(), false, false), ("v1".into(), true, false)]
        );
        assert!(actions[0].is_missing());
    }

    #[test]
    fn a_side_not_looked_at_is_never_planned() {
        let local = set(&["v1"]);
        // --remote-only: the local set is not given, so a local-only tag is missing.
        let err = plan(&patterns(&["v1"]), None, Some(&set(&[])), STRICT).unwrap_err();
        assert_eq!(err, PlanError::Missing(vec!["v1".into()], "on the remote"));
        let actions = plan(&patterns(&["v1"]), Some(&local), None, STRICT).unwrap();
        assert_eq!(summary(&actions), vec![("v1".into(), true, false)]);
    }

    #[test]
    fn names_follow_git_ref_rules() {
        for bad in [
            "", "a..b", "a b", "a~1", "a^", "a:b", "a\\b", "a/", "/a", "a//b", ".a", "a/.b",
            "a.lock", "a.", "@", "x@{1}", "tab\t",
        ] {
            assert!(
                matches!(Pattern::parse(bad), Err(PlanError::InvalidName { .. })),
                "{bad:?} should be rejected"
            );
        }
        for good in ["v1.0", "a/b/c", "release-2026.11", "ünïcode", "a@b", "-x"] {
            assert!(
                matches!(Pattern::parse(good), Ok(Pattern::Exact(_))),
                "{good:?}"
            );
        }
    }

    #[test]
    fn a_full_ref_name_is_accepted() {
        let Ok(Pattern::Exact(name)) = Pattern::parse("refs/tags/v1") else {
            panic!("expected an exact name");
        };
        assert_eq!(name, "v1");
        assert_eq!(RefName::tag("a/b").as_str(), "refs/tags/a/b");
    }

    #[test]
    fn a_broken_glob_is_an_error() {
        assert!(matches!(
            Pattern::parse("v[1"),
            Err(PlanError::InvalidGlob { .. })
        ));
    }

    #[test]
    fn confirmation_only_when_a_glob_matches_several() {
        let local = set(&["rc-1", "rc-2", "v1"]);
        let pats = patterns(&["rc-*"]);
        let actions = plan(&pats, Some(&local), None, STRICT).unwrap();
        assert_eq!(needing_confirmation(&pats, &actions), ["rc-1", "rc-2"]);

        let pats = patterns(&["v*", "rc-1", "rc-2"]);
        let actions = plan(&pats, Some(&local), None, STRICT).unwrap();
        assert!(needing_confirmation(&pats, &actions).is_empty());

        let pats = patterns(&["rc-1", "rc-2"]);
        let actions = plan(&pats, Some(&local), None, STRICT).unwrap();
        assert!(needing_confirmation(&pats, &actions).is_empty());
    }
}
