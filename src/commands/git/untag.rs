//! `devkit git untag`: delete tags locally and on a remote. Plan first (every tag's place known,
//! missing ones refused before anything changes), then one push of all remote deletions, then the
//! local deletions the remote allowed, then a report per tag (`remote.rs` reaches the remote,
//! `report.rs` tells what happened).

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use git2::{Repository, RepositoryOpenFlags};

use super::auth::Keys;
use super::local;
use super::plan::{self, Options, Pattern, PlanError, RefName, TagAction};
use super::remote::{connect, remote_spec};
use super::reply::{self, Verdict};
use super::report::{Outcome, finish, report_tags};
use super::select::{self, Selection, Spared};
use super::transport::{self, Kind, Pusher};
use crate::choice::TransportChoice;
use crate::cli::UntagArgs;
use crate::config::{Config, Resolved, flag_or};
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// Which sides to delete on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Both,
    LocalOnly,
    RemoteOnly,
}

impl Scope {
    pub(super) fn local(self) -> bool {
        self != Scope::RemoteOnly
    }
    pub(super) fn remote(self) -> bool {
        self != Scope::LocalOnly
    }
}

/// What `devkit git untag` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {
    pub cwd: PathBuf,
    pub patterns: Vec<Pattern>,
    pub remote: Resolved<String>,
    pub scope: Scope,
    pub transport: Resolved<TransportChoice>,
    pub selection: Selection,
    pub prune_local: bool,
    pub dry_run: bool,
    pub ignore_missing: bool,
    pub json: bool,
    pub yes: bool,
    /// Whether a question can be asked (stdin is a terminal).
    pub interactive: bool,
}

impl Settings {
    pub fn resolve(args: &UntagArgs, config: &Config) -> Result<Self> {
        let mut patterns = args
            .tags
            .iter()
            .map(|arg| Pattern::parse(arg))
            .collect::<Result<Vec<_>, PlanError>>()
            .map_err(|e| DevkitError::usage(e.to_string()))?;
        if patterns.is_empty() && !args.prune_local {
            // `--keep`/`--older-than` alone consider every tag.
            patterns.push(Pattern::parse("*").expect("a valid glob"));
        }
        if args.keep == Some(0) {
            return Err(DevkitError::usage(
                "`--keep 0` keeps nothing; to delete every match, leave --keep out",
            )
            .into());
        }
        let older_than = match &args.older_than {
            Some(text) => Some(
                cutoff(text, jiff::ZonedDateTime::now())
                    .map_err(|e| DevkitError::usage(format!("--older-than `{text}`: {e}")))?,
            ),
            None => None,
        };
        let remote = flag_or(args.remote.clone(), "--remote", config.string("git.remote"))
            .expect("git.remote has a default");
        let transport = config
            .choice("git.transport", args.transport, "--transport")
            .expect("git.transport has a default");
        let scope = match (args.local_only, args.remote_only) {
            (true, _) => Scope::LocalOnly,
            (_, true) => Scope::RemoteOnly,
            _ => Scope::Both,
        };
        Ok(Self {
            cwd: config.cwd().to_path_buf(),
            patterns,
            remote,
            scope,
            transport,
            selection: Selection {
                keep: args.keep,
                older_than,
            },
            prune_local: args.prune_local,
            dry_run: args.dry_run,
            ignore_missing: args.ignore_missing,
            json: args.json,
            yes: args.yes,
            interactive: std::io::stdin().is_terminal(),
        })
    }
}

/// `--older-than`'s moment in Unix seconds: a date (midnight, local time), an RFC 3339
/// timestamp, or a duration back from `now` (jiff's friendly format: `90d`, `6 months`, `1y`).
fn cutoff(text: &str, now: jiff::ZonedDateTime) -> Result<i64, String> {
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        return date
            .to_zoned_datetime(now.time_zone().clone())
            .map(|z| z.timestamp().as_second())
            .map_err(|e| e.to_string());
    }
    if let Ok(moment) = text.parse::<jiff::Timestamp>() {
        return Ok(moment.as_second());
    }
    match text.parse::<jiff::Span>() {
        Ok(span) => now
            .checked_sub(span.abs())
            .map(|z| z.timestamp().as_second())
            .map_err(|e| e.to_string()),
        Err(_) => Err("expected a date (2025-06-30), an RFC 3339 time \
                       (2025-06-30T12:00:00Z) or a duration (90d, 6 months)"
            .into()),
    }
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    let result = untag(settings, printer);
    if settings.json
        && let Err(err) = &result
    {
        // `--json` is one document on stdout, whatever happened; the error also goes to stderr.
        let report = serde_json::json!({
            "remote": settings.scope.remote().then_some(settings.remote.value.as_str()),
            "dry_run": settings.dry_run,
            "error": format!("{err:#}"),
            "tags": [],
            "kept": [],
        });
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &report).context("writing the report")?;
        writeln!(out).context("writing the report")?;
    }
    result
}

fn untag(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    // FROM_ENV: GIT_DIR, GIT_WORK_TREE and GIT_CEILING_DIRECTORIES count, as they do for git.
    let no_ceiling: &[&std::ffi::OsStr] = &[];
    let repo = Repository::open_ext(&settings.cwd, RepositoryOpenFlags::FROM_ENV, no_ceiling)
        .map_err(|_| {
            DevkitError::usage(format!(
                "{} is not in a git repository",
                settings.cwd.display()
            ))
        })?;

    let local_tags = match settings.scope.local() {
        true => Some(local::tags(&repo)?),
        false => None,
    };
    let mut done: Option<Done> = None;
    let mut kind = None;
    if settings.scope.remote() {
        let spec = remote_spec(&repo, &settings.remote)?;
        let keys = Keys::from_env(settings.interactive && std::io::stderr().is_terminal());
        let dir = repo.workdir().unwrap_or_else(|| repo.path()).to_path_buf();
        connect(
            &repo,
            &dir,
            spec,
            &settings.transport,
            keys,
            printer,
            &mut |remote_tags, pusher| {
                kind = Some(pusher.kind());
                let decision = decide(settings, &repo, local_tags.as_ref(), Some(&remote_tags))?;
                let mut fallback = match (settings.transport.value, pusher.kind()) {
                    (TransportChoice::Auto, Kind::Libgit2) => Some(dir.as_path()),
                    _ => None,
                };
                done = Some(act_on_remote(
                    settings,
                    printer,
                    decision,
                    pusher,
                    &mut fallback,
                    &repo,
                    &mut kind,
                )?);
                Ok(())
            },
        )?;
    } else {
        let decision = decide(settings, &repo, local_tags.as_ref(), None)?;
        done = Some(Done {
            confirmed: confirm_if_needed(settings, &decision.actions, &mut false)?,
            actions: decision.actions,
            spared: decision.spared,
            verdicts: HashMap::new(),
        });
    }
    let Some(done) = done else {
        unreachable!("the session ran its work or failed");
    };
    if settings.dry_run {
        let reports = report_tags(&done.actions, settings.scope, None);
        return finish(settings, printer, kind, &reports, &done.spared);
    }
    if !done.confirmed {
        // An error, so that `--json` still prints its one document.
        return Err(DevkitError::failure("you answered no: nothing was deleted").into());
    }
    // Locally, only where the remote agreed (or never had the tag).
    let local_refs: Vec<RefName> = done
        .actions
        .iter()
        .filter(|a| a.local)
        .map(TagAction::ref_name)
        .filter(|r| {
            !matches!(
                done.verdicts.get(r),
                Some(Verdict::Rejected(_) | Verdict::Failed(_))
            )
        })
        .collect();
    let local_results = local::delete(&repo, &local_refs);
    let outcome = Outcome {
        verdicts: done.verdicts,
        local: local_refs.into_iter().zip(local_results).collect(),
    };
    let reports = report_tags(&done.actions, settings.scope, Some(&outcome));
    finish(settings, printer, kind, &reports, &done.spared)
}

/// The plan, and what the remote did with it.
struct Done {
    actions: Vec<TagAction>,
    spared: Vec<Spared>,
    /// False when the user said no: nothing was deleted.
    confirmed: bool,
    verdicts: HashMap<RefName, Verdict>,
}

/// What the selection chose to delete, and what it spared.
struct Decision {
    actions: Vec<TagAction>,
    spared: Vec<Spared>,
}

/// The whole plan, before anything is deleted: patterns × local × remote tags, then
/// `--keep`/`--older-than`, or `--prune-local`'s set.
fn decide(
    settings: &Settings,
    repo: &Repository,
    local: Option<&BTreeSet<String>>,
    remote: Option<&transport::RemoteTags>,
) -> Result<Decision> {
    let remote_names: Option<BTreeSet<String>> = remote.map(|r| r.keys().cloned().collect());
    if settings.prune_local {
        let (Some(local), Some(remote)) = (local, remote_names.as_ref()) else {
            unreachable!("--prune-local conflicts with --local-only and --remote-only");
        };
        return Ok(Decision {
            actions: select::prune_local(&settings.patterns, local, remote),
            spared: Vec::new(),
        });
    }
    let actions = plan::plan(
        &settings.patterns,
        local,
        remote_names.as_ref(),
        Options {
            ignore_missing: settings.ignore_missing,
        },
    )
    .map_err(|e| DevkitError::failure(e.to_string()))?;
    let names: Vec<&str> = actions
        .iter()
        .filter(|a| !a.is_missing())
        .map(|a| a.name.as_str())
        .collect();
    let dates = match settings.selection.needs_dates(&names) {
        true => local::dates(repo, &names, remote),
        false => HashMap::new(),
    };
    let (actions, spared) = select::apply(actions, settings.selection, &dates);
    Ok(Decision { actions, spared })
}

/// Ask when a glob matched several tags (or refuse without a terminal). False: the user said no.
fn confirm_if_needed(settings: &Settings, actions: &[TagAction], asked: &mut bool) -> Result<bool> {
    if settings.dry_run {
        return Ok(true);
    }
    let mut wide = plan::needing_confirmation(&settings.patterns, actions);
    let what = if !wide.is_empty() {
        "a glob matches"
    } else {
        // A selection or a prune can reach many tags without a glob.
        if !settings.selection.is_empty() || settings.prune_local {
            wide = actions
                .iter()
                .filter(|a| !a.is_missing())
                .map(|a| a.name.as_str())
                .collect();
            if wide.len() < 2 {
                wide.clear();
            }
        }
        "the selection reaches"
    };
    if wide.is_empty() || settings.yes {
        return Ok(true);
    }
    if !settings.interactive {
        return Err(DevkitError::usage(format!(
            "{what} {} tags ({}); nothing was deleted",
            wide.len(),
            abbreviate(&wide)
        ))
        .with_hint("pass --yes to delete them without asking, or --dry-run to see the plan")
        .into());
    }
    *asked = true;
    confirm(actions, settings.scope, &settings.remote.value)
}

/// Delete the planned remote tags through `pusher` (retried in batches or split when the server
/// asks for it). Under `auto`, a libgit2 push that cannot connect is done by the git executable.
#[allow(clippy::too_many_arguments)]
fn act_on_remote(
    settings: &Settings,
    printer: &Printer,
    decision: Decision,
    pusher: &mut dyn Pusher,
    fallback: &mut Option<&Path>,
    repo: &Repository,
    kind: &mut Option<Kind>,
) -> Result<Done> {
    let Decision { actions, spared } = decision;
    let mut asked = false;
    let confirmed = confirm_if_needed(settings, &actions, &mut asked)?;
    if asked {
        pusher.drop_connection();
    }
    let remote_refs: Vec<RefName> = actions
        .iter()
        .filter(|a| a.remote)
        .map(TagAction::ref_name)
        .collect();
    if settings.dry_run || !confirmed || remote_refs.is_empty() {
        return Ok(Done {
            actions,
            spared,
            confirmed,
            verdicts: HashMap::new(),
        });
    }
    let remote_name = settings.remote.value.as_str();
    printer.verbose(
        1,
        format!(
            "deleting {} tag(s) on {remote_name} in one push with {}",
            remote_refs.len(),
            pusher.kind().describe()
        ),
    );
    let mut cli: Option<transport::Cli> = None;
    let deletions = reply::delete_all(&remote_refs, |batch| {
        if let Some(cli) = cli.as_mut() {
            return cli.push(batch);
        }
        match pusher.push(batch) {
            Ok(reply) => Ok(reply),
            Err(err) => {
                let Some(dir) = fallback.take() else {
                    return Err(err);
                };
                let spec = remote_spec(repo, &settings.remote)?;
                let Ok(found) = transport::Cli::find(dir, spec) else {
                    return Err(err);
                };
                printer.verbose(
                    1,
                    format!(
                        "libgit2's push failed ({}): using the git executable",
                        err.root_cause()
                    ),
                );
                *kind = Some(Kind::Cli);
                cli.insert(found).push(batch).map_err(|second| {
                    let cause = transport::cause(&format!("{err:#} {second:#}"));
                    second.context(format!(
                        "{cause}: neither libgit2 nor the git executable could push to \
                         `{remote_name}`; libgit2 said: {}",
                        err.root_cause()
                    ))
                })
            }
        }
    })
    .with_context(|| format!("the push to `{remote_name}` failed; no local tag was deleted"))?;
    for note in &deletions.notes {
        printer.verbose(1, note);
    }
    if deletions.pushes > 1 {
        printer.verbose(1, format!("{} pushes in all", deletions.pushes));
    }
    Ok(Done {
        actions,
        spared,
        confirmed,
        verdicts: deletions.verdicts,
    })
}

fn abbreviate(names: &[&str]) -> String {
    const SHOWN: usize = 5;
    let mut text = names
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(", and {} more", names.len() - SHOWN));
    }
    text
}

/// Ask once on the terminal, listing every tag that would go.
fn confirm(actions: &[TagAction], scope: Scope, remote: &str) -> Result<bool> {
    let mut err = std::io::stderr().lock();
    let doomed: Vec<&TagAction> = actions.iter().filter(|a| !a.is_missing()).collect();
    writeln!(err, "These {} tags will be deleted:", doomed.len())?;
    for action in &doomed {
        writeln!(err, "  {} ({})", action.name, places(action, scope, remote))?;
    }
    write!(err, "Delete them? [y/N] ")?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}

fn places(action: &TagAction, scope: Scope, remote: &str) -> String {
    let mut places = Vec::new();
    if action.local && scope.local() {
        places.push("local");
    }
    if action.remote && scope.remote() {
        places.push(remote);
    }
    places.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(tags: &[&str]) -> UntagArgs {
        UntagArgs {
            tags: tags.iter().map(|t| t.to_string()).collect(),
            keep: None,
            older_than: None,
            prune_local: false,
            remote: None,
            local_only: false,
            remote_only: false,
            dry_run: false,
            ignore_missing: false,
            json: false,
            yes: false,
            transport: None,
        }
    }

    fn config(env: &[(&str, &str)]) -> Config {
        let options = crate::config::LoadOptions {
            cwd: std::env::temp_dir(),
            user_file: None,
            explicit_file: None,
            no_config: true,
        };
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::load(&options, |var| {
            env.iter().find(|(k, _)| k == var).map(|(_, v)| v.clone())
        })
        .unwrap()
    }

    #[test]
    fn flags_win_over_config_and_say_so() {
        let config = config(&[("DEVKIT_GIT_TRANSPORT", "cli"), ("DEVKIT_GIT_REMOTE", "up")]);
        let settings = Settings::resolve(&args(&["v1"]), &config).unwrap();
        assert_eq!(settings.transport.value, TransportChoice::Cli);
        assert_eq!(settings.remote.value, "up");
        assert_eq!(settings.remote.origin.to_string(), "env DEVKIT_GIT_REMOTE");

        let mut flags = args(&["v1"]);
        flags.transport = Some(TransportChoice::Libgit2);
        flags.remote = Some("mirror".into());
        flags.remote_only = true;
        let settings = Settings::resolve(&flags, &config).unwrap();
        assert_eq!(settings.transport.value, TransportChoice::Libgit2);
        assert_eq!(settings.transport.origin.to_string(), "flag --transport");
        assert_eq!(settings.remote.value, "mirror");
        assert_eq!(settings.scope, Scope::RemoteOnly);

        let settings = Settings::resolve(&args(&["v1"]), &self::config(&[])).unwrap();
        assert_eq!(settings.transport.value, TransportChoice::Auto);
        assert_eq!(settings.remote.value, "origin");
        assert_eq!(settings.scope, Scope::Both);
    }

    #[test]
    fn an_invalid_tag_name_is_a_usage_error() {
        let err = Settings::resolve(&args(&["ok", "bad name"]), &config(&[])).unwrap_err();
        assert_eq!(crate::error::status_of(&err), ExitStatus::Usage);
        assert!(
            err.to_string()
                .contains("`bad name` is not a valid tag name")
        );
    }

    #[test]
    fn older_than_takes_dates_times_and_durations() {
        let now: jiff::ZonedDateTime = "2026-12-01T12:00:00+00:00[UTC]".parse().unwrap();
        let at = |text: &str| cutoff(text, now.clone());
        let day = 86_400;
        let noon = now.timestamp().as_second();
        assert_eq!(at("90d"), Ok(noon - 90 * day));
        assert_eq!(at("1 week"), Ok(noon - 7 * day));
        assert_eq!(at("2026-11-30"), Ok(noon - day - day / 2));
        assert_eq!(at("2026-12-01T00:00:00Z"), Ok(noon - day / 2));
        let err = at("5x").unwrap_err();
        assert!(err.contains("expected a date"), "{err}");
        let err = Settings::resolve(
            &UntagArgs {
                older_than: Some("soon".into()),
                ..args(&[])
            },
            &config(&[]),
        )
        .unwrap_err();
        assert_eq!(crate::error::status_of(&err), ExitStatus::Usage);
        assert!(err.to_string().contains("--older-than `soon`"), "{err}");
    }

    #[test]
    fn a_selection_without_patterns_considers_every_tag() {
        let settings = Settings::resolve(
            &UntagArgs {
                keep: Some(3),
                ..args(&[])
            },
            &config(&[]),
        )
        .unwrap();
        assert_eq!(settings.patterns.len(), 1);
        assert!(settings.patterns[0].matches("anything/at-all"));
        let zero = UntagArgs {
            keep: Some(0),
            ..args(&["v*"])
        };
        assert!(Settings::resolve(&zero, &config(&[])).is_err());
    }

    #[test]
    fn long_lists_are_abbreviated() {
        let names = ["a", "b", "c", "d", "e", "f", "g"];
        assert_eq!(abbreviate(&names), "a, b, c, d, e, and 2 more");
    }
}
