//! Talking to the remote: list its tags, and delete many in one push. One trait, two ways:
//! libgit2 in-process, or the `git` executable (which honours ~/.ssh/config, core.sshCommand,
//! GIT_SSH_COMMAND and askpass). Both answer with a verdict per reference.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, anyhow};
use git2::{Direction, Oid, PushOptions, RemoteCallbacks, Repository};
use globset::Glob;

use super::auth::{Credentials, Keys};
use super::plan::{RefName, TAG_PREFIX};
use super::reply::PushReply;
use crate::output::Printer;

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

/// Pushes of `:refs/tags/NAME` refspecs, as many as the work needs.
pub trait Pusher {
    fn kind(&self) -> Kind;

    /// Delete these references in one push; the server's status for each and its side-band
    /// lines. Never called with an empty list.
    fn push(&mut self, refs: &[RefName]) -> Result<PushReply>;

    /// Do not reuse the listing's connection (it sat idle while the user was asked).
    fn drop_connection(&mut self) {}
}

/// The remote's tags: short name → the object it points at (as advertised).
pub type RemoteTags = BTreeMap<String, Oid>;

/// What a session's work gets: the remote's tags and a way to push.
pub type Work<'w> = dyn FnMut(RemoteTags, &mut dyn Pusher) -> Result<()> + 'w;

pub trait Transport {
    /// List the remote's tags and hand them to `work`, which may push through the pusher it is
    /// given. With libgit2 the first push goes over the listing's connection (its ref
    /// advertisement is the listing). `work` is not called when the listing fails.
    fn session(&mut self, work: &mut Work<'_>) -> Result<()>;
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

fn tag_names<'a>(refs: impl Iterator<Item = (&'a str, Oid)>) -> RemoteTags {
    refs.filter_map(|(r, oid)| Some((r.strip_prefix(TAG_PREFIX)?, oid)))
        .filter(|(name, _)| !name.ends_with("^{}"))
        .map(|(name, oid)| (name.to_string(), oid))
        .collect()
}

/// Side-band text arrives in packets that need not end at a line: keep the unfinished tail.
#[derive(Default)]
struct SideBand {
    lines: Vec<String>,
    partial: String,
}

impl SideBand {
    fn feed(&mut self, data: &[u8], printer: &Printer) {
        self.partial.push_str(&String::from_utf8_lossy(data));
        while let Some(end) = self.partial.find(['\n', '\r']) {
            let line: String = self.partial.drain(..=end).collect();
            self.keep(line.trim_end(), printer);
        }
    }

    fn keep(&mut self, line: &str, printer: &Printer) {
        if !line.trim().is_empty() {
            printer.verbose(1, format!("remote: {}", line.trim_end()));
            self.lines.push(line.trim().to_string());
        }
    }

    fn finish(mut self, printer: &Printer) -> Vec<String> {
        let rest = std::mem::take(&mut self.partial);
        self.keep(&rest, printer);
        self.lines
    }
}

// ---------------------------------------------------------------------------------------------
// libgit2

pub struct Libgit2<'repo> {
    repo: &'repo Repository,
    remote: RemoteSpec,
    printer: Printer,
    keys: Keys,
}

impl<'repo> Libgit2<'repo> {
    pub fn new(repo: &'repo Repository, remote: RemoteSpec, printer: Printer, keys: Keys) -> Self {
        Self {
            repo,
            remote,
            printer,
            keys,
        }
    }

    fn open_remote(&self) -> Result<git2::Remote<'repo>> {
        open_remote(self.repo, &self.remote)
    }
}

fn open_remote<'r>(repo: &'r Repository, spec: &RemoteSpec) -> Result<git2::Remote<'r>> {
    match repo.find_remote(&spec.name) {
        Ok(remote) => Ok(remote),
        Err(_) => repo
            .remote_anonymous(&spec.name)
            .with_context(|| format!("cannot use remote `{}`", spec.name)),
    }
}

fn connect_error(spec: &RemoteSpec, creds: &Credentials<'_>, err: git2::Error) -> anyhow::Error {
    match creds.failure(&spec.push_url, &err) {
        Some(failure) => failure.into_error(),
        None => anyhow!("libgit2: {}", err.message()).context(format!(
            "cannot reach remote `{}` ({})",
            spec.name, spec.push_url
        )),
    }
}

impl Transport for Libgit2<'_> {
    fn session(&mut self, work: &mut Work<'_>) -> Result<()> {
        let mut remote = self.open_remote()?;
        let config = self.repo.config()?;
        let creds = RefCell::new(Credentials::new(&config, &self.keys));
        let mut callbacks = RemoteCallbacks::new();
        callbacks.credentials(|url, user, allowed| creds.borrow_mut().callback(url, user, allowed));
        // The push direction: receive-pack's advertisement lists the tags, and the push can
        // follow on the same connection.
        let connection = match remote.connect_auth(Direction::Push, Some(callbacks), None) {
            Ok(connection) => connection,
            Err(err) => return Err(connect_error(&self.remote, &creds.borrow(), err)),
        };
        let tags = tag_names(
            connection
                .list()?
                .iter()
                .map(|head| (head.name(), head.oid())),
        );
        let mut pusher = Libgit2Pusher {
            repo: self.repo,
            spec: &self.remote,
            config: &config,
            keys: &self.keys,
            printer: &self.printer,
            connection: Some(connection),
        };
        work(tags, &mut pusher)
    }
}

struct Libgit2Pusher<'a, 'repo, 'c, 'cb> {
    repo: &'repo Repository,
    spec: &'a RemoteSpec,
    config: &'a git2::Config,
    keys: &'a Keys,
    printer: &'a Printer,
    /// The listing's connection, until the first push has used it.
    connection: Option<git2::RemoteConnection<'repo, 'c, 'cb>>,
}

impl Pusher for Libgit2Pusher<'_, '_, '_, '_> {
    fn kind(&self) -> Kind {
        Kind::Libgit2
    }

    fn drop_connection(&mut self) {
        self.connection = None;
    }

    fn push(&mut self, refs: &[RefName]) -> Result<PushReply> {
        // `push(&[])` would push the remote's configured refspecs.
        assert!(!refs.is_empty(), "an empty push");
        let refspecs: Vec<String> = refs.iter().map(|r| format!(":{r}")).collect();
        let said: RefCell<HashMap<String, Option<String>>> = RefCell::new(HashMap::new());
        let band = RefCell::new(SideBand::default());
        let creds = RefCell::new(Credentials::new(self.config, self.keys));
        let printer = self.printer;
        let result = {
            let mut callbacks = RemoteCallbacks::new();
            // Asked only when this push opens its own connection.
            callbacks
                .credentials(|url, user, allowed| creds.borrow_mut().callback(url, user, allowed));
            // A refusal does not fail `push`: each reference's verdict arrives here.
            callbacks.push_update_reference(|name, status| {
                said.borrow_mut()
                    .insert(name.to_string(), status.map(str::to_string));
                Ok(())
            });
            callbacks.sideband_progress(|data| {
                band.borrow_mut().feed(data, printer);
                true
            });
            let mut options = PushOptions::new();
            options.remote_callbacks(callbacks);
            match self.connection.take() {
                Some(mut connection) => connection.remote().push(&refspecs, Some(&mut options)),
                None => open_remote(self.repo, self.spec)?.push(&refspecs, Some(&mut options)),
            }
        };
        result.map_err(|err| connect_error(self.spec, &creds.borrow(), err))?;
        Ok(PushReply {
            statuses: said.into_inner(),
            lines: band.into_inner().finish(printer),
        })
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

    pub fn list(&self) -> Result<RemoteTags> {
        let target = if self.remote.has_push_url {
            &self.remote.push_url
        } else {
            &self.remote.name
        };
        // `--` ends the options: a remote (or URL) that starts with `-` is not one.
        let output = self
            .git()
            .args(["ls-remote", "--refs", "--tags", "--", target])
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
        Ok(tag_names(text.lines().filter_map(|line| {
            let (oid, name) = line.split_once('\t')?;
            Some((name, Oid::from_str(oid).ok()?))
        })))
    }
}

impl Transport for Cli {
    fn session(&mut self, work: &mut Work<'_>) -> Result<()> {
        let tags = self.list()?;
        work(tags, self)
    }
}

impl Pusher for Cli {
    fn kind(&self) -> Kind {
        Kind::Cli
    }

    fn push(&mut self, refs: &[RefName]) -> Result<PushReply> {
        assert!(!refs.is_empty(), "an empty push");
        // Full `:refs/tags/NAME` refspecs after `--`: a tag named `-x` is no option, and a
        // branch of the same name is never touched.
        let output = self
            .git()
            // No `-q`: with it, git prints no porcelain line when every ref succeeds.
            .args(["push", "--porcelain", "--", &self.remote.name])
            .args(refs.iter().map(|r| format!(":{r}")))
            .output()
            .with_context(|| format!("cannot run {}", self.git.display()))?;
        let statuses = parse_porcelain(&String::from_utf8_lossy(&output.stdout));
        let stderr = String::from_utf8_lossy(&output.stderr);
        if statuses.is_empty() && !output.status.success() {
            return Err(anyhow!("git push: {}", stderr.trim()));
        }
        Ok(PushReply {
            statuses,
            lines: remote_lines(&stderr),
        })
    }
}

/// The server's side-band lines in git's stderr (`remote: …`, padded with spaces).
fn remote_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix("remote:"))
        .map(|line| line.trim().to_string())
        .filter(|line| !line.is_empty())
        .collect()
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

/// The cause of a failed connection in the user's words, read from what libgit2 and git said.
pub fn cause(text: &str) -> &'static str {
    let text = text.to_ascii_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    if any(&[
        "host key verification failed",
        "hostkey",
        "host key",
        "known_hosts",
        "certificate",
    ]) {
        "the remote's host key is unknown or does not match"
    } else if any(&[
        "authentication failed",
        "could not authenticate",
        "permission denied",
        "publickey",
        "passphrase",
        "401",
        "403",
    ]) {
        "authentication failed"
    } else if any(&[
        "connection refused",
        "could not resolve",
        "unable to connect",
        "failed to connect",
        "no route to host",
        "network is unreachable",
        "timed out",
        "connection reset",
        "connection closed",
    ]) {
        "the network: the remote cannot be reached"
    } else {
        "the remote could not be reached"
    }
}

/// devkit's libgit2 is built without TLS (its only TLS on Linux is OpenSSL's libssl): `https://`
/// remotes go through the git executable, which is what `git push` uses for them anyway.
pub fn libgit2_lacks_tls(url: &str) -> bool {
    url_scheme(url).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https"))
}

/// Why libgit2 must not push to a local remote: its local transport writes the remote's refs
/// itself, where `git push` runs the remote's receive-pack, which runs its hooks (found through
/// its own core.hooksPath) and reads its receive.* config. A tag a hook protects would go.
pub const LOCAL_SKIPS_HOOKS: &str = "libgit2 writes a local remote's refs itself, skipping \
                                     the remote's hooks and its receive.* config";

/// The scheme of a URL in git's sense (`scheme://…`, the scheme a letter then letters, digits,
/// `+`, `-` or `.`); `None` for a path or an scp-like `host:path`.
fn url_scheme(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (valid && rest.starts_with("//")).then_some(scheme)
}

/// True when git reaches this remote on the local file system: a `file://` URL, or a path
/// (absolute, relative, or a bare directory name). By git's own rule a colon before any slash
/// makes `host:path` an ssh remote, and `scheme://` anything else is a URL. libgit2's local
/// transport takes `file://` URLs and existing directories without a colon: all local here too.
pub fn is_local(url: &str) -> bool {
    if let Some(scheme) = url_scheme(url) {
        // libgit2 matches its `file://` case-insensitively.
        return scheme.eq_ignore_ascii_case("file");
    }
    match url.find(':') {
        None => true,
        Some(colon) => url[..colon].contains('/'),
    }
}

/// Why `auto` should use the git executable for this URL straight away: the remote needs
/// something devkit's libgit2 lacks (TLS, the remote's own hooks for a local remote, or what
/// libssh2 does not read). `ssh_config` is the text of ~/.ssh/config, if any.
pub fn needs_cli(
    url: &str,
    env: impl Fn(&str) -> Option<String>,
    core_ssh_command: Option<&str>,
    ssh_config: Option<&str>,
) -> Option<String> {
    if libgit2_lacks_tls(url) {
        return Some(
            "an https:// remote needs TLS, which devkit's libgit2 is built without".into(),
        );
    }
    if is_local(url) {
        return Some(LOCAL_SKIPS_HOOKS.into());
    }
    let host = ssh_host(url)?;
    for var in ["GIT_SSH_COMMAND", "GIT_SSH"] {
        if env(var).is_some_and(|v| !v.is_empty()) {
            return Some(format!("{var} is set, which libssh2 ignores"));
        }
    }
    if core_ssh_command.is_some_and(|v| !v.is_empty()) {
        return Some("core.sshCommand is set, which libssh2 ignores".into());
    }
    if let Some(text) = ssh_config
        && ssh_config_names(text, &host)
    {
        return Some(format!(
            "~/.ssh/config has a Host entry for `{host}`, which libssh2 ignores"
        ));
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
    fn remote_lines_are_the_servers_words() {
        let stderr = "remote: tag keep-1 is protected        \n\
                      remote: \n\
                      To git://127.0.0.1/r.git\n\
                      error: failed to push some refs\n";
        assert_eq!(remote_lines(stderr), ["tag keep-1 is protected"]);
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
            .into_iter()
            .map(|name| (name, Oid::ZERO_SHA1)),
        );
        assert_eq!(tags.keys().collect::<Vec<_>>(), ["a/b", "v1"]);
    }

    #[test]
    fn causes_are_named() {
        assert_eq!(
            cause("git@127.0.0.1: Permission denied (publickey)."),
            "authentication failed"
        );
        assert_eq!(
            cause("Host key verification failed."),
            "the remote's host key is unknown or does not match"
        );
        assert!(
            cause("ssh: connect to host 127.0.0.1 port 1: Connection refused").contains("network")
        );
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
    fn local_remotes_are_paths_and_file_urls() {
        for url in [
            "/srv/repo.git",
            "../x.git",
            "./x.git",
            "x.git",
            "sub/dir",
            "file:///srv/repo.git",
            "file://localhost/srv/repo.git",
            "FILE:///srv/repo.git",
            // A colon after a slash is part of a path, for git (libgit2 would try ssh).
            "/srv/a:b/repo.git",
            "./host:path",
            "/srv/https://r",
        ] {
            assert!(is_local(url), "{url} is local");
        }
        for url in [
            "git@host:me/r.git",
            "host:r.git",
            "host:/srv/r.git",
            "[::1]:r.git",
            "ssh://host/srv/r.git",
            "git+ssh://host/r",
            "git://127.0.0.1:9418/r.git",
            "http://h/r",
            "https://h/r",
            "ext::ssh -p 22 host %S r",
        ] {
            assert!(!is_local(url), "{url} is not local");
        }
    }

    #[test]
    fn auto_wants_the_cli_for_a_local_remote() {
        let none = |_: &str| None;
        for url in ["/srv/repo.git", "../x.git", "file:///srv/repo.git"] {
            assert_eq!(
                needs_cli(url, none, None, None).as_deref(),
                Some(LOCAL_SKIPS_HOOKS),
                "{url}"
            );
        }
        assert_eq!(needs_cli("git://h/srv/repo.git", none, None, None), None);
        assert_eq!(needs_cli("h:/srv/repo.git", none, None, None), None);
    }

    #[test]
    fn auto_wants_the_cli_for_ssh_needs_and_for_tls() {
        let none = |_: &str| None;
        let with_cmd = |k: &str| (k == "GIT_SSH_COMMAND").then(|| "ssh -F x".to_string());
        assert_eq!(needs_cli("http://h/r", with_cmd, None, None), None);
        assert_eq!(needs_cli("git://h/r", with_cmd, None, None), None);
        for url in ["https://h/r", "HTTPS://h/r"] {
            let reason = needs_cli(url, none, None, None).unwrap();
            assert!(reason.contains("TLS"), "{reason}");
        }
        assert!(!libgit2_lacks_tls("/srv/https://r"));
        assert_eq!(
            needs_cli("git@h:r", with_cmd, None, None).as_deref(),
            Some("GIT_SSH_COMMAND is set, which libssh2 ignores")
        );
        assert_eq!(
            needs_cli("git@h:r", none, Some("ssh -i k"), None).as_deref(),
            Some("core.sshCommand is set, which libssh2 ignores")
        );
        let config = "Host *\n  ServerAliveInterval 30\nHost gh github-*\n  HostName github.com\n";
        assert!(needs_cli("git@gh:me/r", none, None, Some(config)).is_some());
        assert!(needs_cli("ssh://github-work/me/r", none, None, Some(config)).is_some());
        assert_eq!(needs_cli("git@other:me/r", none, None, Some(config)), None);
        assert_eq!(needs_cli("git@h:r", none, None, None), None);
    }
}
