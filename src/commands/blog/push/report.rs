//! What `blog push` tells: the plan before it runs, the outcome after, or all of it as JSON.

use super::Settings;
use super::apply::phase_name;
use crate::commands::blog::model::{ASSETS, STAGED};
use crate::commands::blog::plan::{Action, Item, Phase, Plan};
use crate::commands::blog::store::StoreSettings;
use crate::config;
use crate::output::Printer;

pub fn print_plan(plan: &Plan, settings: &Settings, place: &str, printer: &Printer) {
    printer.info(format!("plan for {place}:"));
    if let StoreSettings::Kv(kv) = &settings.store
        && !kv.remote
    {
        printer.info("  (wrangler's local state only: --remote publishes to Cloudflare)");
    }
    let width = plan
        .items
        .iter()
        .map(|i| i.slug.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for item in &plan.items {
        let quiet_kind = matches!(item.action, Action::Unchanged)
            || (item.action == Action::RemoteOnly && item.foreign);
        if quiet_kind && !printer.is_verbose(1) {
            continue;
        }
        let status = match (item.from, item.to) {
            (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
            (_, Some(b)) => b.to_string(),
            (Some(a), None) => a.to_string(),
            (None, None) => String::new(),
        };
        let note = item
            .note
            .as_deref()
            .map_or_else(String::new, |n| format!("  ({n})"));
        let line = format!(
            "  {} {:<11} {:<width$}  {status}{note}",
            item.action.sign(),
            item.action.word(),
            item.slug
        );
        if item.action == Action::Conflict {
            printer.warn(line.trim_start());
        } else {
            printer.info(line);
        }
    }
    let mut parts = counted(
        plan,
        &[
            (Action::Create, "to create"),
            (Action::Update, "to update"),
            (Action::Delete, "to delete"),
            (Action::Unchanged, "unchanged"),
            (Action::Conflict, "in conflict"),
        ],
    );
    let kept = plan
        .items
        .iter()
        .filter(|i| i.action == Action::RemoteOnly && !i.foreign)
        .count();
    if kept > 0 {
        parts.push(format!("{kept} only on the target (kept; --prune removes)"));
    }
    if parts.is_empty() {
        parts.push("no posts".into());
    }
    printer.info(format!("  {}", parts.join(", ")));
    if plan.phases.len() > 1 && (settings.dry_run || printer.is_verbose(1)) {
        printer.info("  phases:");
        for (n, phase) in plan.phases.iter().enumerate() {
            printer.info(format!("    {}. {}", n + 1, phase_line(phase, n, settings)));
        }
    }
    if settings.stage && plan.items.iter().any(|i| i.staged) {
        printer.verbose(
            1,
            format!(
                "staged publishing: settle time {}",
                config::format_duration(settings.settle)
            ),
        );
    }
}

pub fn done(plan: &Plan, place: &str, printer: &Printer) {
    let parts = counted(
        plan,
        &[
            (Action::Create, "created"),
            (Action::Update, "updated"),
            (Action::Delete, "deleted"),
        ],
    );
    printer.info(format!("done: {} in {place}", parts.join(", ")));
}

/// "3 created", "1 deleted": one phrase per action the plan has any of.
fn counted(plan: &Plan, words: &[(Action, &str)]) -> Vec<String> {
    words
        .iter()
        .map(|(action, word)| (plan.count(*action), word))
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}"))
        .collect()
}

/// What became of one item, given how many phases completed (`None`: a dry run).
fn outcome(item: &Item, done: Option<usize>) -> &'static str {
    match item.action {
        Action::Unchanged => "unchanged",
        Action::Conflict => "skipped",
        Action::RemoteOnly => "kept",
        Action::Create | Action::Update | Action::Delete => match done {
            None => "planned",
            Some(done) => {
                let finished = item.phases.iter().filter(|p| **p < done).count();
                if finished == item.phases.len() {
                    "done"
                } else if finished == 0 {
                    "not-done"
                } else {
                    "partly-done"
                }
            }
        },
    }
}

pub fn json(
    settings: &Settings,
    place: &str,
    plan: &Plan,
    done: Option<usize>,
    requests: usize,
) -> serde_json::Value {
    let posts: Vec<serde_json::Value> = plan
        .items
        .iter()
        .map(|item| {
            // The record the plan writes (the last one: a staged post's published one).
            let record = plan
                .phases
                .iter()
                .flat_map(|p| match p {
                    Phase::Put { writes, .. } | Phase::Batch { writes, .. } => writes.as_slice(),
                    _ => &[],
                })
                .rfind(|w| w.key == item.key)
                .map(|w| &w.record);
            serde_json::json!({
                "key": item.key,
                "date": record.map(|r| r.date.clone()),
                "tags": record.map(|r| r.tags.clone()),
                "slug": item.slug,
                "path": item.path.as_ref().map(|p| p.strip_prefix(&settings.cwd).unwrap_or(p).display().to_string()),
                "action": item.action,
                "from": item.from,
                "to": item.to,
                "staged": item.staged,
                "foreign": item.foreign,
                "note": item.note,
                "outcome": outcome(item, done),
            })
        })
        .collect();
    let phases: Vec<serde_json::Value> = plan
        .phases
        .iter()
        .enumerate()
        .map(|(i, phase)| {
            let state = match done {
                None => "planned",
                Some(d) if i < d => "done",
                Some(_) => "not-done",
            };
            let mut v = serde_json::json!({"name": phase_name(phase), "state": state});
            match phase {
                Phase::Put { writes, assets, .. } => {
                    v["keys"] = writes.iter().map(|w| w.key.clone()).collect();
                    v["assets"] = assets.iter().map(|a| a.key.clone()).collect();
                }
                Phase::Delete { keys } => v["keys"] = keys.clone().into(),
                Phase::Batch {
                    writes,
                    assets,
                    deletes,
                } => {
                    v["keys"] = writes.iter().map(|w| w.key.clone()).collect();
                    v["assets"] = assets.iter().map(|a| a.key.clone()).collect();
                    v["deletes"] = deletes.clone().into();
                }
                Phase::Wait {
                    after, until, why, ..
                } => {
                    v["why"] = why.clone().into();
                    v["after_seconds"] = after.as_secs_f64().into();
                    v["until"] = until.map(|u| u.to_string()).into();
                }
            }
            v
        })
        .collect();
    let count = |a| plan.count(a);
    let mut report = serde_json::json!({
        "destination": place,
        "dry_run": settings.dry_run,
        "summary": {
            "create": count(Action::Create),
            "update": count(Action::Update),
            "unchanged": count(Action::Unchanged),
            "delete": count(Action::Delete),
            "conflict": count(Action::Conflict),
            "remote_only": count(Action::RemoteOnly),
        },
        "posts": posts,
        "phases": phases,
    });
    match &settings.store {
        StoreSettings::Kv(kv) => {
            report["target"] = "kv".into();
            report["location"] = if kv.remote { "remote" } else { "local" }.into();
            report["wrangler_invocations"] = requests.into();
        }
        StoreSettings::Durable { settings: d, .. } => {
            report["target"] = "do".into();
            report["location"] = d.url.clone().into();
            report["http_requests"] = requests.into();
        }
        StoreSettings::D1(d1) => {
            report["target"] = "d1".into();
            report["location"] = if d1.remote { "remote" } else { "local" }.into();
            report["wrangler_invocations"] = requests.into();
        }
    }
    report
}

/// One phase in words: what it writes or deletes, or what a wait is for.
fn phase_line(phase: &Phase, index: usize, settings: &Settings) -> String {
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let name = phase_name(phase);
    match phase {
        Phase::Put { writes, assets, .. } => {
            let mut parts = vec![count(writes.len(), "post")];
            if !assets.is_empty() {
                parts.push(count(assets.len(), "file"));
            }
            format!("{name}: {}", parts.join(", "))
        }
        Phase::Delete { keys } => {
            let staged = format!("{}{}", settings.store.prefix(), STAGED);
            let files = format!("{}{}", settings.store.prefix(), ASSETS);
            let n_files = keys.iter().filter(|k| k.starts_with(&files)).count();
            let n_staged = keys.iter().filter(|k| **k == staged).count();
            let mut parts = Vec::new();
            if keys.len() > n_files + n_staged {
                parts.push(count(keys.len() - n_files - n_staged, "key"));
            }
            if n_files > 0 {
                parts.push(count(n_files, "file"));
            }
            if n_staged > 0 {
                parts.push("the record of the staged push".to_string());
            }
            format!("{name}: {}", parts.join(", "))
        }
        Phase::Wait {
            after, until, why, ..
        } => {
            let mut when = Vec::new();
            if !after.is_zero() {
                when.push(format!(
                    "{} after phase {index}",
                    config::format_duration(*after)
                ));
            }
            if let Some(u) = until {
                when.push(format!(
                    "until {}",
                    u.round(jiff::Unit::Second).unwrap_or(*u)
                ));
            }
            format!("{name}: {}, for {}", when.join(" and "), why.join(", "))
        }
        Phase::Batch {
            writes,
            assets,
            deletes,
        } => format!(
            "{name}: {}, {}, {} deleted",
            count(writes.len(), "post"),
            count(assets.len(), "file"),
            deletes.len()
        ),
    }
}
