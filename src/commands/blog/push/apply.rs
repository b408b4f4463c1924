//! Carrying out a plan's phases in order: each one a store request (or a wait for the store
//! to settle); the first that fails stops the rest, and the same push run again finishes them.

use std::time::Duration;

use jiff::Timestamp;

use super::plural;
use crate::commands::blog::plan::{self, Phase, PhaseName, Plan};
use crate::commands::blog::store::Store;
use crate::config;
use crate::output::Printer;

/// How many phases completed, and the error that stopped the rest.
pub fn phases(
    plan: &Plan,
    store: &mut dyn Store,
    printer: &Printer,
) -> (usize, Option<anyhow::Error>) {
    let total = plan.phases.len();
    for (index, phase) in plan.phases.iter().enumerate() {
        let step = format!("phase {} of {total} ({})", index + 1, phase_name(phase));
        let result = match phase {
            Phase::Wait {
                after, until, why, ..
            } => {
                printer.verbose(1, format!("{step}: for {}", why.join(", ")));
                let earliest = plan::after(Timestamp::now(), *after);
                // The store records what this wait is for before it begins.
                let marked = store.apply(phase);
                if marked.is_ok() {
                    settle(until.map_or(earliest, |u| u.max(earliest)), printer);
                }
                marked
            }
            phase => {
                printer.verbose(1, format!("{step}: {}", describe(phase)));
                store.apply(phase)
            }
        };
        if let Err(err) = result {
            let before = match index {
                // One or more requests, each all or nothing; the store says which landed.
                0 if matches!(phase, Phase::Batch { .. }) => {
                    "each batch is applied all or nothing, and the same push run again finishes the rest".to_string()
                }
                0 => "nothing was changed".to_string(),
                1 => "phase 1 completed; the same push run again finishes the rest".to_string(),
                n => format!("phases 1–{n} completed; the same push run again finishes the rest"),
            };
            return (index, Some(err.context(format!("{step} failed; {before}"))));
        }
    }
    (total, None)
}

/// What a phase writes and deletes, for `-v`.
fn describe(phase: &Phase) -> String {
    match phase {
        Phase::Put { writes, assets, .. } => format!(
            "writing {} post{} and {} file{}",
            writes.len(),
            plural(writes.len()),
            assets.len(),
            plural(assets.len())
        ),
        Phase::Delete { keys } => format!("deleting {} key{}", keys.len(), plural(keys.len())),
        Phase::Batch {
            writes,
            assets,
            deletes,
        } => format!(
            "writing {} post{} and {} file{}, deleting {}",
            writes.len(),
            plural(writes.len()),
            assets.len(),
            plural(assets.len()),
            deletes.len()
        ),
        Phase::Wait { .. } => String::new(),
    }
}

pub fn phase_name(phase: &Phase) -> &'static str {
    match phase {
        Phase::Put {
            name: PhaseName::Write,
            ..
        } => "write",
        Phase::Put {
            name: PhaseName::Publish,
            ..
        } => "publish",
        Phase::Delete { .. } => "delete",
        Phase::Wait { .. } => "settle",
        Phase::Batch { .. } => "batch",
    }
}

/// Wait until `until`, with a countdown on stderr when it is a terminal.
fn settle(until: Timestamp, printer: &Printer) {
    let remaining =
        |now: Timestamp| Duration::try_from(until.duration_since(now)).unwrap_or(Duration::ZERO);
    let total = remaining(Timestamp::now());
    if total.is_zero() {
        return;
    }
    printer.info(format!(
        "waiting {} for KV to settle (until {})",
        config::format_duration(Duration::from_secs(total.as_secs_f64().ceil() as u64)),
        until.round(jiff::Unit::Second).unwrap_or(until)
    ));
    let bar = printer.progress(total.as_secs_f64().ceil() as u64, "settling");
    loop {
        let left = remaining(Timestamp::now());
        if left.is_zero() {
            break;
        }
        bar.set_position((total.saturating_sub(left)).as_secs());
        std::thread::sleep(left.min(Duration::from_millis(250)));
    }
    bar.finish_and_clear();
}
