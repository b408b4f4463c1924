//! Which remote `git untag` talks to, and how: the remote's push URL from `git.remote`, and the
//! transport `git.transport` picks (libgit2, the git executable, or libgit2 falling back to git).

use std::path::Path;

use anyhow::Result;
use git2::Repository;

use super::auth::Keys;
use super::transport::{self, Pusher, RemoteSpec, Transport};
use crate::choice::TransportChoice;
use crate::config::Resolved;
use crate::error::DevkitError;
use crate::output::Printer;

/// The remote named by `git.remote`/`--remote` (a configured remote, or a URL).
pub(super) fn remote_spec(repo: &Repository, remote: &Resolved<String>) -> Result<RemoteSpec> {
    let name = &remote.value;
    match repo.find_remote(name) {
        Ok(found) => {
            let url = found.url().unwrap_or_default().to_string();
            let push_url = found.pushurl().ok().flatten().map(str::to_string);
            Ok(RemoteSpec {
                name: name.clone(),
                has_push_url: push_url.is_some(),
                push_url: push_url.unwrap_or(url),
            })
        }
        Err(_) if name.contains(['/', ':']) => {
            // Where the push really goes: url.*.insteadOf and pushInsteadOf apply to a URL given
            // on the command line as to a configured one (a short alias can name a local path).
            let push_url = repo
                .remote_anonymous(name)
                .ok()
                .and_then(|r| {
                    let push = r.pushurl().ok().flatten().or(r.url().ok());
                    push.map(str::to_string)
                })
                .unwrap_or_else(|| name.clone());
            Ok(RemoteSpec {
                name: name.clone(),
                push_url,
                has_push_url: false,
            })
        }
        Err(_) => Err(DevkitError::usage(format!(
            "this repository has no remote `{name}` (git.remote from {})",
            remote.origin
        ))
        .with_hint("see `git remote -v`; pass --remote NAME, or --local-only")
        .into()),
    }
}

/// Open the transport `git.transport` asks for and run `work` in its session. `auto` uses
/// libgit2 unless the remote needs what devkit's libgit2 lacks (TLS, a local remote's hooks, or
/// what libssh2 does not read), or libgit2 cannot connect.
pub(super) fn connect(
    repo: &Repository,
    dir: &Path,
    spec: RemoteSpec,
    choice: &Resolved<TransportChoice>,
    keys: Keys,
    printer: &Printer,
    work: &mut transport::Work<'_>,
) -> Result<()> {
    printer.verbose(1, format!("remote `{}`: {}", spec.name, spec.push_url));
    match choice.value {
        TransportChoice::Libgit2 if transport::libgit2_lacks_tls(&spec.push_url) => {
            Err(DevkitError::usage(format!(
                "git.transport libgit2 (from {}) cannot reach `{}` ({}): devkit's libgit2 is \
                 built without TLS",
                choice.origin, spec.name, spec.push_url
            ))
            .with_hint(
                "use git.transport auto (the default) or cli: the git executable speaks https",
            )
            .into())
        }
        TransportChoice::Libgit2 if transport::is_local(&spec.push_url) => {
            Err(DevkitError::usage(format!(
                "git.transport libgit2 (from {}) cannot push to `{}` ({}), a local remote: {}",
                choice.origin,
                spec.name,
                spec.push_url,
                transport::LOCAL_SKIPS_HOOKS
            ))
            .with_hint(
                "use git.transport auto (the default) or cli: the git executable pushes \
                 through the remote's receive-pack, which runs its hooks",
            )
            .into())
        }
        TransportChoice::Libgit2 => {
            transport::Libgit2::new(repo, spec, printer.clone(), keys).session(work)
        }
        TransportChoice::Cli => transport::Cli::find(dir, spec)?.session(work),
        TransportChoice::Auto => {
            let config = repo.config()?;
            let ssh_command = config.get_string("core.sshCommand").ok();
            let ssh_config = std::env::var_os("HOME").and_then(|home| {
                std::fs::read_to_string(Path::new(&home).join(".ssh/config")).ok()
            });
            if let Some(reason) = transport::needs_cli(
                &spec.push_url,
                |var| std::env::var(var).ok(),
                ssh_command.as_deref(),
                ssh_config.as_deref(),
            ) {
                printer.verbose(1, format!("{reason}: using the git executable"));
                return transport::Cli::find(dir, spec)?.session(work);
            }
            let mut worked = false;
            let first = {
                let mut libgit2 =
                    transport::Libgit2::new(repo, spec.clone(), printer.clone(), keys);
                let mut tracked = |tags: transport::RemoteTags, pusher: &mut dyn Pusher| {
                    worked = true;
                    printer.verbose(1, "using libgit2");
                    work(tags, pusher)
                };
                libgit2.session(&mut tracked)
            };
            let first = match first {
                Ok(()) => return Ok(()),
                Err(err) if worked => return Err(err),
                Err(err) => err,
            };
            let remote_name = spec.name.clone();
            let Ok(mut cli) = transport::Cli::find(dir, spec) else {
                return Err(first);
            };
            printer.verbose(
                1,
                format!(
                    "libgit2 could not connect ({}): using the git executable",
                    first.root_cause()
                ),
            );
            let tags = cli.list().map_err(|second| {
                let cause = transport::cause(&format!("{first:#} {second:#}"));
                second.context(format!(
                    "{cause}: neither libgit2 nor the git executable could reach `{remote_name}`; \
                     libgit2 said: {}",
                    first.root_cause()
                ))
            })?;
            work(tags, &mut cli)
        }
    }
}
