//! Talking to the remote: list its tags, and delete many in one push. One trait, two ways:
//! libgit2 in-process, or the `git` executable (which honours ~/.ssh/config, core.sshCommand,
//! GIT_SSH_COMMAND and askpass). Both answer with a verdict per reference.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, anyhow};
use git2::{Direction, PushOptions, RemoteCallbacks, Repository};
use globset::Glob;

use super::auth::{ConnectError, with_authentication};
use super::plan::{RefName, TAG_PREFIX};
use crate::output::Printer;

/// What the remote said about one reference it was asked to delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefVerdict {
    pub name: RefName,
    /// `None`: deleted. `Some(reason)`: the remote refused.
    pub rejection: Option<String>,
}

/// How devkit reached the remote, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Libgit2,
    Cli,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Libgit2 => "libgit2",
            Kind::Cli => "the git executable",
        }
    }
}

pub trait Transport {
    fn kind(&self) -> Kind;

    /// The remote's tags (short names), read from one connection.
    fn list(&mut self) -> Result<BTreeSet<String>>;

    /// Delete these references in one push of `:refs/tags/NAME` refspecs; one verdict per
    /// reference, in the order given. An empty list pushes nothing.
    fn push_deletions(&mut self, refs: &[RefName]) -> Result<Vec<RefVerdict>>;
}

/// The remote as the user named it, with the URL pushes go to.
#[derive(Debug, Clone)]
pub struct RemoteSpec {
    /// A configured remote's name, or a URL given with `--remote`.
    pub name: String,
    pub push_url: String,
    /// `remote.NAME.pushurl` is set (the git CLI lists from the fetch URL unless told otherwise).
    pub has_push_url: bool,
}

/// One verdict per requested reference; a reference the remote said nothing about is refused.
fn verdicts_in_order(
    refs: &[RefName],
    mut said: HashMap<String, Option<String>>,
) -> Vec<RefVerdict> {
    refs.iter()
        .map(|name| RefVerdict {
            rejection: said
                .remove(name.as_str())
                .unwrap_or_else(|| Some("the remote sent no status for it".into())),
            name: name.clone(),
        })
        .collect()
}

fn tag_names<'a>(refs: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    refs.filter_map(|r| r.strip_prefix(TAG_PREFIX))
        .filter(|name| !name.ends_with("^{}"))
        .map(str::to_string)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// libgit2

pub struct Libgit2<'repo> {
    repo: &'repo Repository,
    remote: RemoteSpec,
    printer: Printer,
}

impl<'repo> Libgit2<'repo> {
    pub fn new(repo: &'repo Repository, remote: RemoteSpec, printer: Printer) -> Self {
        Self {
            repo,
            remote,
            printer,
        }
    }

    fn open_remote(&self) -> Result<git2::Remote<'repo>> {
        match self.repo.find_remote(&self.remote.name) {
            Ok(remote) => Ok(remote),
            Err(_) => self
                .repo
                .remote_anonymous(&self.remote.name)
                .with_context(|| format!("cannot use remote `{}`", self.remote.name)),
        }
    }

    fn connect_error(&self, err: ConnectError) -> anyhow::Error {
        match err {
            ConnectError::Auth(failure) => failure.into_error(),
            ConnectError::Other(err) => anyhow!("libgit2: {}", err.message()).context(format!(
                "cannot reach remote `{}` ({})",
                self.remote.name, self.remote.push_url
            )),
        }
    }
}

impl Transport for Libgit2<'_> {
    fn kind(&self) -> Kind {
        Kind::Libgit2
    }

    fn list(&mut self) -> Result<BTreeSet<String>> {
        let mut remote = self.open_remote()?;
        let config = self.repo.config()?;
        // The push direction: we list what receive-pack advertises, where the push will go.
        with_authentication(&self.remote.push_url, &config, |creds| {
            let mut callbacks = RemoteCallbacks::new();
            callbacks.credentials(|url, user, allowed| creds.callback(url, user, allowed));
            let connection = remote.connect_auth(Direction::Push, Some(callbacks), None)?;
            let heads = connection.list()?;
            Ok(tag_names(heads.iter().map(|head| head.name())))
        })
        .map_err(|err| self.connect_error(err))
    }

    fn push_deletions(&mut self, refs: &[RefName]) -> Result<Vec<RefVerdict>> {
        if refs.is_empty() {
            // `push(&[])` would push the remote's configured refspecs.
            return Ok(Vec::new());
        }
        let refspecs: Vec<String> = refs.iter().map(|r| format!(":{r}")).collect();
        let mut remote = self.open_remote()?;
        let config = self.repo.config()?;
        let said: RefCell<HashMap<String, Option<String>>> = RefCell::new(HashMap::new());
        let printer = &self.printer;
        with_authentication(&self.remote.push_url, &config, |creds| {
            let mut callbacks = RemoteCallbacks::new();
            callbacks.credentials(|url, user, allowed| creds.callback(url, user, allowed));
            // A refusal does not fail `push`: each reference's verdict arrives here.
            callbacks.push_update_reference(|name, status| {
                said.borrow_mut()
                    .insert(name.to_string(), status.map(str::to_string));
                Ok(())
            });
            callbacks.sideband_progress(|data| {
                for line in String::from_utf8_lossy(data).lines() {
                    if !line.trim().is_empty() {
                        printer.verbose(1, format!("remote: {}", line.trim_end()));
                    }
                }
                true
            });
            let mut options = PushOptions::new();
            options.remote_callbacks(callbacks);
            remote.push(&refspecs, Some(&mut options))
        })
        .map_err(|err| self.connect_error(err))?;
        Ok(verdicts_in_order(refs, said.into_inner()))
    }
}

// ---------------------------------------------------------------------------------------------
// The git executable

pub struct Cli {
    git: PathBuf,
    dir: PathBuf,
    remote: RemoteSpec,
}

impl Cli {
    /// `git` found on PATH.
    pub fn find(dir: &Path, remote: RemoteSpec) -> Result<Self> {
        let git = which::which("git").map_err(|_| {
            crate::error::DevkitError::failure("the git executable was not found on PATH")
                .with_hint("install git, or set `git.transport: libgit2`")
        })?;
        Ok(Self {
            git,
            dir: dir.to_path_buf(),
            remote,
        })
    }

    fn git(&self) -> Command {
        let mut cmd = Command::new(&self.git);
        cmd.current_dir(&self.dir).stdin(Stdio::null());
        cmd
    }
}

impl Transport for Cli {
    fn kind(&self) -> Kind {
        Kind::Cli
    }

    fn list(&mut self) -> Result<BTreeSet<String>> {
        let target = if self.remote.has_push_url {
            &self.remote.push_url
        } else {
            &self.remote.name
        };
        let output = self
            .git()
            .args(["ls-remote", "--refs", "--tags", target])
            .output()
            .with_context(|| format!("cannot run {}", self.git.display()))?;
        if !output.status.success() {
            return Err(anyhow!(
                "git ls-remote: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )
            .context(format!(
                "cannot list the tags of `{}` ({})",
                self.remote.name, self.remote.push_url
            )));
        }
        let text = String::from_utf8_lossy(&output.stdout);
        Ok(tag_names(
            text.lines()
                .filter_map(|line| line.split_once('\t'))
                .map(|(_, r)| r),
        ))
    }

    fn push_deletions(&mut self, refs: &[RefName]) -> Result<Vec<RefVerdict>> {
        if refs.is_empty() {
            return Ok(Vec::new());
        }
        let output = self
            .git()
            .args(["push", "--porcelain", &self.remote.name])
            .args(refs.iter().map(|r| format!(":{r}")))
            .output()
            .with_context(|| format!("cannot run {}", self.git.display()))?;
        let said = parse_porcelain(&String::from_utf8_lossy(&output.stdout));
        if said.is_empty() && !output.status.success() {
            return Err(anyhow!(
                "git push: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(verdicts_in_order(refs, said))
    }
}

/// `git push --porcelain` lines: `<flag>\t<from>:<to>\t<summary> (<reason>)`; `!` is a refusal.
pub fn parse_porcelain(stdout: &str) -> HashMap<String, Option<String>> {
    let mut said = HashMap::new();
    for line in stdout.lines() {
        let mut fields = line.splitn(3, '\t');
        let (Some(flag), Some(refs), Some(summary)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        if flag.len() != 1 {
            continue;
        }
        let Some((_, to)) = refs.split_once(':') else {
            continue;
        };
        let rejection = (flag == "!").then(|| {
            match (summary.find('('), summary.rfind(')')) {
                (Some(open), Some(close)) if open < close => &summary[open + 1..close],
                _ => summary.trim_matches(['[', ']']),
            }
            .to_string()
        });
        said.insert(to.to_string(), rejection);
    }
    said
}

// ---------------------------------------------------------------------------------------------
// Choosing

/// Why `auto` should use the git executable for this URL straight away: the remote needs
/// something libssh2 lacks. `ssh_config` is the text of ~/.ssh/config, if any.
pub fn needs_cli(
    url: &str,
    env: impl Fn(&str) -> Option<String>,
    core_ssh_command: Option<&str>,
    ssh_config: Option<&str>,
) -> Option<String> {
    let host = ssh_host(url)?;
    for var in ["GIT_SSH_COMMAND", "GIT_SSH"] {
        if env(var).is_some_and(|v| !v.is_empty()) {
            return Some(format!("{var} is set"));
        }
    }
    if core_ssh_command.is_some_and(|v| !v.is_empty()) {
        return Some("core.sshCommand is set".into());
    }
    if let Some(text) = ssh_config
        && ssh_config_names(text, &host)
    {
        return Some(format!("~/.ssh/config has a Host entry for `{host}`"));
    }
    None
}

/// The host of an ssh URL (`ssh://user@host:22/path`, `git+ssh://…`, `user@host:path`).
pub fn ssh_host(url: &str) -> Option<String> {
    let authority = if let Some((scheme, rest)) = url.split_once("://") {
        if !matches!(scheme, "ssh" | "git+ssh" | "ssh+git") {
            return None;
        }
        rest.split('/').next()?
    } else {
        // scp-like: a colon before any slash; not a local path.
        let colon = url.find(':')?;
        if url[..colon].contains('/') || colon == 0 {
            return None;
        }
        &url[..colon]
    };
    let host_port = authority.rsplit('@').next()?;
    let host = if let Some(rest) = host_port.strip_prefix('[') {
        rest.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_string())
}

/// True when a `Host` line of an ssh config names `host` by a pattern other than a bare `*`
/// (negated patterns are ignored): ssh would apply settings libssh2 never reads.
fn ssh_config_names(text: &str, host: &str) -> bool {
    for line in text.lines() {
        let line = line.trim();
        let (keyword, rest) = match line.split_once(|c: char| c.is_whitespace() || c == '=') {
            Some(pair) => pair,
            None => continue,
        };
        if !keyword.eq_ignore_ascii_case("host") {
            continue;
        }
        for pattern in rest.trim_start_matches([' ', '\t', '=']).split_whitespace() {
            if pattern == "*" || pattern.starts_with('!') {
                continue;
            }
            if Glob::new(pattern).is_ok_and(|g| g.compile_matcher().is_match(host)) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porcelain_deletions_and_refusals() {
        let out = "To git://127.0.0.1:9418/r.git\n\
                   -\t:refs/tags/v1\t[deleted]\n\
                   !\t:refs/tags/protected-1\t[remote rejected] (hook declined)\n\
                   !\t:refs/tags/odd\t[rejected]\n\
                   Done\n";
        let said = parse_porcelain(out);
        assert_eq!(said["refs/tags/v1"], None);
        assert_eq!(
            said["refs/tags/protected-1"].as_deref(),
            Some("hook declined")
        );
        assert_eq!(said["refs/tags/odd"].as_deref(), Some("rejected"));
        assert_eq!(said.len(), 3);
    }

    #[test]
    fn unreported_refs_are_refused() {
        let refs = [RefName::tag("a"), RefName::tag("b")];
        let said = HashMap::from([("refs/tags/a".to_string(), None)]);
        let verdicts = verdicts_in_order(&refs, said);
        assert_eq!(verdicts[0].rejection, None);
        assert!(verdicts[1].rejection.is_some());
    }

    #[test]
    fn advertised_tags_skip_peeled_entries_and_branches() {
        let tags = tag_names(
            [
                "refs/heads/main",
                "refs/tags/v1",
                "refs/tags/v1^{}",
                "refs/tags/a/b",
            ]
            .into_iter(),
        );
        assert_eq!(tags, BTreeSet::from(["a/b".to_string(), "v1".to_string()]));
    }

    #[test]
    fn ssh_hosts_are_found_in_every_url_form() {
        assert_eq!(
            ssh_host("ssh://git@example.com:22/r.git").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            ssh_host("git+ssh://example.com/r").as_deref(),
            Some("example.com")
        );
        assert_eq!(ssh_host("git@gh:me/r.git").as_deref(), Some("gh"));
        assert_eq!(ssh_host("ssh://[::1]:22/r").as_deref(), Some("::1"));
        assert_eq!(ssh_host("https://example.com/r.git"), None);
        assert_eq!(ssh_host("git://127.0.0.1/r.git"), None);
        assert_eq!(ssh_host("/srv/git/r.git"), None);
        assert_eq!(ssh_host("./a:b"), None);
    }

    #[test]
    fn auto_wants_the_cli_only_for_ssh_needs() {
        let none = |_: &str| None;
        let with_cmd = |k: &str| (k == "GIT_SSH_COMMAND").then(|| "ssh -F x".to_string());
        assert_eq!(needs_cli("https://h/r", with_cmd, None, None), None);
        assert_eq!(
            needs_cli("git@h:r", with_cmd, None, None).as_deref(),
            Some("GIT_SSH_COMMAND is set")
        );
        assert_eq!(
            needs_cli("git@h:r", none, Some("ssh -i k"), None).as_deref(),
            Some("core.sshCommand is set")
        );
        let config = "Host *\n  ServerAliveInterval 30\nHost gh github-*\n  HostName github.com\n";
        assert!(needs_cli("git@gh:me/r", none, None, Some(config)).is_some());
        assert!(needs_cli("ssh://github-work/me/r", none, None, Some(config)).is_some());
        assert_eq!(needs_cli("git@other:me/r", none, None, Some(config)), None);
        assert_eq!(needs_cli("git@h:r", none, None, None), None);
    }
}
