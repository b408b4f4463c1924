//! What `git untag` tells the user: one report per tag (what happened on each side, and why),
//! as text on stderr or one JSON document on stdout, and the exit status it adds up to.

use std::collections::HashMap;
use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;

use super::plan::{RefName, TagAction};
use super::reply::Verdict;
use super::select::Spared;
use super::transport::Kind;
use super::untag::{Scope, Settings};
use crate::error::ExitStatus;
use crate::output::Printer;

/// What happened: the remote's verdicts and the local deletions attempted.
pub(super) struct Outcome {
    pub verdicts: HashMap<RefName, Verdict>,
    pub local: HashMap<RefName, Result<(), String>>,
}

/// What happened to a tag on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Deleted,
    WouldDelete,
    /// The local copy stays because the remote refused to delete its own.
    Kept,
    Rejected,
    Failed,
    NotFound,
    /// `--local-only` / `--remote-only`: this side was not looked at.
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagReport {
    pub tag: String,
    pub local: Side,
    pub remote: Side,
    pub reason: Option<String>,
}

/// One report per planned tag; `outcome` is `None` for a dry run.
pub(super) fn report_tags(
    actions: &[TagAction],
    scope: Scope,
    outcome: Option<&Outcome>,
) -> Vec<TagReport> {
    actions
        .iter()
        .map(|action| {
            let name = action.ref_name();
            let mut reason = None;
            let remote = side(scope.remote(), action.remote, outcome, |o| {
                match o.verdicts.get(&name) {
                    Some(Verdict::Deleted) => Side::Deleted,
                    Some(Verdict::Rejected(why)) => {
                        reason = Some(why.clone());
                        Side::Rejected
                    }
                    Some(Verdict::Failed(why)) => {
                        reason = Some(why.clone());
                        Side::Failed
                    }
                    None => {
                        reason = Some("no push was made for it".into());
                        Side::Failed
                    }
                }
            });
            let local = side(scope.local(), action.local, outcome, |o| {
                match o.local.get(&name) {
                    Some(Ok(())) => Side::Deleted,
                    Some(Err(why)) => {
                        reason.get_or_insert_with(|| why.clone());
                        Side::Failed
                    }
                    None => Side::Kept,
                }
            });
            TagReport {
                tag: action.name.clone(),
                local,
                remote,
                reason,
            }
        })
        .collect()
}

/// One side of a tag: skipped when out of scope, not found when the tag is not there, else
/// what `done` says happened (or would happen, in a dry run).
fn side(
    in_scope: bool,
    has_tag: bool,
    outcome: Option<&Outcome>,
    done: impl FnOnce(&Outcome) -> Side,
) -> Side {
    match (in_scope, has_tag, outcome) {
        (false, _, _) => Side::Skipped,
        (true, false, _) => Side::NotFound,
        (true, true, None) => Side::WouldDelete,
        (true, true, Some(outcome)) => done(outcome),
    }
}

#[derive(Serialize)]
pub(super) struct JsonReport<'a> {
    remote: Option<&'a str>,
    transport: Option<Kind>,
    dry_run: bool,
    tags: &'a [TagReport],
    /// Tags `--keep`/`--older-than` spared, with why.
    kept: &'a [Spared],
}

pub(super) fn finish(
    settings: &Settings,
    printer: &Printer,
    transport: Option<Kind>,
    reports: &[TagReport],
    spared: &[Spared],
) -> Result<ExitStatus> {
    let remote = settings
        .scope
        .remote()
        .then_some(settings.remote.value.as_str());
    let failed = reports
        .iter()
        .any(|r| matches!(r.remote, Side::Rejected | Side::Failed) || r.local == Side::Failed);
    if settings.json {
        let report = JsonReport {
            remote,
            transport,
            dry_run: settings.dry_run,
            tags: reports,
            kept: spared,
        };
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &report).context("writing the report")?;
        writeln!(out).context("writing the report")?;
    }
    if !settings.json {
        for spared in spared {
            printer.info(format!("keeping {}: {}", spared.tag, spared.reason));
        }
    }
    for line in text_report(reports, remote.unwrap_or("the remote")) {
        match line {
            Line::Info(text) => {
                if !settings.json {
                    printer.info(text)
                }
            }
            Line::Error(text) => printer.error(text),
        }
    }
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

pub(super) enum Line {
    Info(String),
    Error(String),
}

/// The report for a person: one line per tag; refusals are errors (shown even with --quiet).
pub(super) fn text_report(reports: &[TagReport], remote: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    for report in reports {
        let mut done = Vec::new();
        let mut planned = Vec::new();
        for (side, place) in [(report.local, "local"), (report.remote, remote)] {
            match side {
                Side::Deleted => done.push(place),
                Side::WouldDelete => planned.push(place),
                _ => {}
            }
        }
        let tag = &report.tag;
        let reason = report.reason.as_deref().unwrap_or("no reason given");
        if report.remote == Side::Rejected {
            let kept = if report.local == Side::Kept {
                "; the local tag is kept"
            } else {
                ""
            };
            lines.push(Line::Error(format!(
                "{remote} rejected the deletion of {tag}: {reason}{kept}"
            )));
        } else if report.remote == Side::Failed {
            lines.push(Line::Error(format!(
                "{remote} did not delete {tag}: {reason}"
            )));
        }
        if report.local == Side::Failed {
            lines.push(Line::Error(format!(
                "could not delete the local tag {tag}: {reason}"
            )));
        }
        if !done.is_empty() {
            lines.push(Line::Info(format!("deleted {tag} ({})", done.join(", "))));
        }
        if !planned.is_empty() {
            lines.push(Line::Info(format!(
                "would delete {tag} ({})",
                planned.join(", ")
            )));
        }
        if report.local != Side::Deleted
            && report.local != Side::WouldDelete
            && report.local != Side::Kept
            && report.local != Side::Failed
            && matches!(report.remote, Side::NotFound | Side::Skipped)
        {
            lines.push(Line::Info(format!("not found {tag}")));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(name: &str, local: bool, remote: bool) -> TagAction {
        TagAction {
            name: name.into(),
            local,
            remote,
        }
    }

    /// Each report's (local, remote) sides, in order.
    fn sides(reports: &[TagReport]) -> Vec<(Side, Side)> {
        reports.iter().map(|r| (r.local, r.remote)).collect()
    }

    #[test]
    fn a_refused_tag_keeps_its_local_copy_and_says_why() {
        let actions = [action("ok", true, true), action("protected-1", true, true)];
        let outcome = Outcome {
            verdicts: HashMap::from([
                (RefName::tag("ok"), Verdict::Deleted),
                (
                    RefName::tag("protected-1"),
                    Verdict::Rejected("hook declined".into()),
                ),
            ]),
            local: HashMap::from([(RefName::tag("ok"), Ok(()))]),
        };
        let reports = report_tags(&actions, Scope::Both, Some(&outcome));
        assert_eq!(
            sides(&reports),
            [(Side::Deleted, Side::Deleted), (Side::Kept, Side::Rejected)]
        );
        assert_eq!(reports[1].reason.as_deref(), Some("hook declined"));
        let lines = text_report(&reports, "origin");
        assert!(matches!(&lines[0], Line::Info(t) if t == "deleted ok (local, origin)"));
        assert!(
            matches!(&lines[1], Line::Error(t) if t.contains("origin rejected the deletion of protected-1: hook declined; the local tag is kept"))
        );
    }

    #[test]
    fn dry_runs_and_missing_tags_report_without_outcome() {
        let actions = [action("v1", true, false), action("gone", false, false)];
        let reports = report_tags(&actions, Scope::Both, None);
        assert_eq!(
            sides(&reports),
            [
                (Side::WouldDelete, Side::NotFound),
                (Side::NotFound, Side::NotFound)
            ]
        );
        let lines = text_report(&reports, "origin");
        assert!(matches!(&lines[0], Line::Info(t) if t == "would delete v1 (local)"));
        assert!(matches!(&lines[1], Line::Info(t) if t == "not found gone"));
    }

    #[test]
    fn a_side_out_of_scope_is_skipped() {
        let reports = report_tags(&[action("v1", false, true)], Scope::RemoteOnly, None);
        assert_eq!(reports[0].local, Side::Skipped);
        let json = serde_json::to_value(&reports[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"tag": "v1", "local": "skipped", "remote": "would_delete", "reason": null})
        );
    }
}
