//! Credentials for libgit2, the way cargo's `with_authentication` does it: ssh-agent, then the
//! default key files, then git's credential helpers, each tried once per username. libgit2 asks
//! again after every rejection (and libssh2 would ask forever), so running out ends the attempt.

use std::collections::VecDeque;
use std::path::PathBuf;

use git2::{Cred, CredentialType};

use crate::error::DevkitError;

/// One way of authenticating, as the user would name it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Method {
    Agent,
    KeyFile(PathBuf),
}

/// The credential callback's state for one connection attempt.
pub struct Credentials<'a> {
    config: &'a git2::Config,
    /// The ssh username used when the URL names none (one per connection: libssh2 cannot switch).
    ssh_user: String,
    ssh_methods: VecDeque<Method>,
    /// libgit2 asked for a username, so another connection may try another one.
    chose_username: bool,
    helper_tried: bool,
    /// The callback was asked and had nothing left to offer.
    exhausted: bool,
    /// What was offered, in order ("ssh-agent as git", "credential helper as alice").
    tried: Vec<String>,
}

impl<'a> Credentials<'a> {
    fn new(config: &'a git2::Config, ssh_user: String, home: Option<&PathBuf>) -> Self {
        let mut methods = Vec::new();
        if std::env::var_os("SSH_AUTH_SOCK").is_some() {
            methods.push(Method::Agent);
        }
        if let Some(home) = home {
            for key in ["id_ed25519", "id_rsa"] {
                let path = home.join(".ssh").join(key);
                if path.is_file() {
                    methods.push(Method::KeyFile(path));
                }
            }
        }
        Self {
            config,
            ssh_user,
            ssh_methods: methods.into(),
            chose_username: false,
            helper_tried: false,
            exhausted: false,
            tried: Vec::new(),
        }
    }

    /// The callback libgit2 calls; it never offers the same thing twice.
    pub fn callback(
        &mut self,
        url: &str,
        username_from_url: Option<&str>,
        allowed: CredentialType,
    ) -> Result<Cred, git2::Error> {
        if allowed.contains(CredentialType::USERNAME) {
            self.chose_username = true;
            return Cred::username(&self.ssh_user);
        }
        if allowed.contains(CredentialType::SSH_KEY) {
            let user = username_from_url.unwrap_or(&self.ssh_user).to_string();
            while let Some(method) = self.ssh_methods.pop_front() {
                let attempt = match &method {
                    Method::Agent => {
                        self.tried.push(format!("ssh-agent as {user}"));
                        Cred::ssh_key_from_agent(&user)
                    }
                    Method::KeyFile(path) => {
                        self.tried
                            .push(format!("key {} as {user}", tilde(path).display()));
                        Cred::ssh_key(&user, None, path, None)
                    }
                };
                if let Ok(cred) = attempt {
                    return Ok(cred);
                }
            }
        }
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) && !self.helper_tried {
            self.helper_tried = true;
            match Cred::credential_helper(self.config, url, username_from_url) {
                Ok(cred) => {
                    self.tried.push("git's credential helpers".into());
                    return Ok(cred);
                }
                Err(_) => self
                    .tried
                    .push("git's credential helpers (none gave a password)".into()),
            }
        }
        self.exhausted = true;
        Err(git2::Error::from_str(
            "no more credentials to try (devkit offers each one once)",
        ))
    }
}

fn tilde(path: &std::path::Path) -> PathBuf {
    match home_dir() {
        Some(home) => match path.strip_prefix(&home) {
            Ok(rest) => PathBuf::from("~").join(rest),
            Err(_) => path.to_path_buf(),
        },
        None => path.to_path_buf(),
    }
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// The usernames to try for ssh when the URL names none: `$USER`, then `git` (what hosting
/// services expect).
fn ssh_usernames() -> Vec<String> {
    let mut names = Vec::new();
    for var in ["USER", "USERNAME"] {
        if let Ok(name) = std::env::var(var)
            && !name.is_empty()
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    if !names.iter().any(|n| n == "git") {
        names.insert(0, "git".to_string());
    }
    names
}

/// Why authentication ended: what was tried, so the user can tell which key or helper failed.
#[derive(Debug)]
pub struct AuthFailure {
    pub url: String,
    pub tried: Vec<String>,
    pub last_error: git2::Error,
}

impl AuthFailure {
    pub fn into_error(self) -> anyhow::Error {
        let tried = if self.tried.is_empty() {
            "nothing (no ssh-agent, no default key file, no credential helper answered)".into()
        } else {
            self.tried.join(", ")
        };
        // The last libgit2 message is only worth showing when it is not our own "no more".
        let detail = if self.last_error.class() == git2::ErrorClass::Callback
            || self.last_error.message().starts_with("no more credentials")
        {
            String::new()
        } else {
            format!(" (libgit2: {})", self.last_error.message())
        };
        DevkitError::failure(format!(
            "could not authenticate to {} with libgit2; tried: {tried}{detail}",
            self.url
        ))
        .with_hint(
            "set `git.transport: cli` (or pass --transport cli) to let the git executable \
             authenticate: it reads ~/.ssh/config, core.sshCommand and askpass",
        )
        .into()
    }
}

/// An error from one connection attempt.
#[derive(Debug)]
pub enum ConnectError {
    /// The credentials ran out.
    Auth(AuthFailure),
    /// Anything else (unreachable host, unsupported URL, protocol error).
    Other(git2::Error),
}

/// Run `connect` (which opens one connection using the callback it is given) until it succeeds,
/// trying each ssh username in its own connection, since a libssh2 session keeps its first.
pub fn with_authentication<T>(
    url: &str,
    config: &git2::Config,
    mut connect: impl FnMut(&mut Credentials<'_>) -> Result<T, git2::Error>,
) -> Result<T, ConnectError> {
    let home = home_dir();
    let users = ssh_usernames();
    let mut tried = Vec::new();
    let mut last = None;
    for user in &users {
        let mut creds = Credentials::new(config, user.clone(), home.as_ref());
        match connect(&mut creds) {
            Ok(value) => return Ok(value),
            Err(err) => {
                let offered_any = !creds.tried.is_empty();
                tried.append(&mut creds.tried);
                if !creds.exhausted {
                    return Err(ConnectError::Other(err));
                }
                last = Some(err);
                // Only an ssh attempt with a username we chose is worth another connection.
                if !creds.chose_username || !offered_any {
                    break;
                }
            }
        }
    }
    Err(ConnectError::Auth(AuthFailure {
        url: url.to_string(),
        tried,
        last_error: last.unwrap_or_else(|| git2::Error::from_str("authentication failed")),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_is_always_a_candidate_and_comes_first() {
        let users = ssh_usernames();
        assert_eq!(users[0], "git");
        assert_eq!(users.iter().filter(|u| *u == "git").count(), 1);
    }

    #[test]
    fn the_helper_is_offered_once_then_the_callback_gives_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            "[credential]\n\thelper = \"!f() { echo username=alice; echo password=pw; }; f\"\n",
        )
        .unwrap();
        let config = git2::Config::open(&path).unwrap();
        let mut creds = Credentials::new(&config, "git".into(), None);
        let url = "http://127.0.0.1:1/repo.git";
        let first = creds.callback(url, None, CredentialType::USER_PASS_PLAINTEXT);
        assert!(first.is_ok());
        let second = creds.callback(url, None, CredentialType::USER_PASS_PLAINTEXT);
        assert!(second.is_err());
        assert!(creds.exhausted);
        assert_eq!(creds.tried, ["git's credential helpers"]);
    }
}
