//! Credentials for libgit2, the way cargo's `with_authentication` does it: ssh-agent, then the
//! default key files, then git's credential helpers, each offered once. libgit2 asks again after
//! every rejection (and libssh2 would ask forever), so running out ends the attempt.
//!
//! The ssh user is the URL's, else the current user's login name, as OpenSSH picks it (one
//! connection; libssh2 cannot switch users within one). Keys are read from `$HOME/.ssh`, where
//! libgit2 also finds `known_hosts`.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use base64::Engine;
use git2::{Cred, CredentialType};

use crate::error::DevkitError;

/// The key files devkit offers, and the passphrases asked for them: one `Keys` per run, so a
/// passphrase is asked at most once.
#[derive(Debug)]
pub struct Keys {
    files: Vec<PathBuf>,
    agent: bool,
    /// A passphrase can be asked on the terminal.
    interactive: bool,
    passphrases: RefCell<HashMap<PathBuf, Option<String>>>,
}

impl Keys {
    /// `$HOME/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa` (those that exist), and the agent when
    /// `SSH_AUTH_SOCK` is set.
    pub fn from_env(interactive: bool) -> Self {
        let mut files = Vec::new();
        if let Some(home) = home_dir() {
            for key in ["id_ed25519", "id_ecdsa", "id_rsa"] {
                let path = home.join(".ssh").join(key);
                if path.is_file() {
                    files.push(path);
                }
            }
        }
        Self {
            files,
            agent: std::env::var_os("SSH_AUTH_SOCK").is_some_and(|s| !s.is_empty()),
            interactive,
            passphrases: RefCell::new(HashMap::new()),
        }
    }

    /// The passphrase for an encrypted key: asked once on the terminal; `None` when it cannot
    /// be asked (or the user gave none).
    fn passphrase(&self, path: &Path) -> Option<String> {
        if !self.interactive {
            return None;
        }
        self.passphrases
            .borrow_mut()
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                ask_passphrase(&format!("Passphrase for {}: ", tilde(path).display())).ok()
            })
            .clone()
            .filter(|p| !p.is_empty())
    }
}

/// One way of authenticating, as the user would name it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Method {
    Agent,
    KeyFile(PathBuf),
}

/// The credential callback's state for one connection.
pub struct Credentials<'a> {
    config: &'a git2::Config,
    keys: &'a Keys,
    ssh_methods: VecDeque<Method>,
    helper_tried: bool,
    /// The callback was asked and had nothing left to offer.
    exhausted: bool,
    /// What was offered, in order ("ssh-agent as alice", "credential helper").
    tried: Vec<String>,
    /// Encrypted keys that could not be offered (no passphrase could be asked).
    locked: Vec<PathBuf>,
    user: Option<String>,
}

impl<'a> Credentials<'a> {
    pub fn new(config: &'a git2::Config, keys: &'a Keys) -> Self {
        let mut methods = Vec::new();
        if keys.agent {
            methods.push(Method::Agent);
        }
        methods.extend(keys.files.iter().cloned().map(Method::KeyFile));
        Self {
            config,
            keys,
            ssh_methods: methods.into(),
            helper_tried: false,
            exhausted: false,
            tried: Vec::new(),
            locked: Vec::new(),
            user: None,
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
            // OpenSSH's choice when the URL names no user: the login name, never `git`.
            let user = current_user().unwrap_or_else(|| "git".into());
            self.user = Some(user.clone());
            return Cred::username(&user);
        }
        if allowed.contains(CredentialType::SSH_KEY) {
            let user = username_from_url
                .map(str::to_string)
                .or_else(|| self.user.clone())
                .or_else(current_user)
                .unwrap_or_else(|| "git".into());
            self.user = Some(user.clone());
            while let Some(method) = self.ssh_methods.pop_front() {
                let attempt = match &method {
                    Method::Agent => {
                        self.tried.push(format!("ssh-agent as {user}"));
                        Cred::ssh_key_from_agent(&user)
                    }
                    Method::KeyFile(path) => {
                        let encrypted =
                            std::fs::read_to_string(path).is_ok_and(|text| key_is_encrypted(&text));
                        let passphrase = match encrypted {
                            true => match self.keys.passphrase(path) {
                                Some(p) => Some(p),
                                None => {
                                    self.locked.push(path.clone());
                                    continue;
                                }
                            },
                            false => None,
                        };
                        self.tried
                            .push(format!("key {} as {user}", tilde(path).display()));
                        Cred::ssh_key(&user, None, path, passphrase.as_deref())
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

    /// Why a connection failed, when it was authentication: the credentials ran out, or
    /// libssh2 refused what was offered.
    pub fn failure(&self, url: &str, err: &git2::Error) -> Option<AuthFailure> {
        let ssh_auth = err.class() == git2::ErrorClass::Ssh
            && (err.code() == git2::ErrorCode::Auth
                || err.message().contains("authentication")
                || err.message().contains("private key"));
        (self.exhausted || ssh_auth || !self.locked.is_empty()).then(|| AuthFailure {
            url: url.to_string(),
            user: self.user.clone(),
            tried: self.tried.clone(),
            locked: self.locked.clone(),
            last_error: err.message().to_string(),
            ours: self.exhausted,
        })
    }
}

/// The login name of the real user (`getpwuid(getuid())`, as OpenSSH does), else `$USER`.
pub fn current_user() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to a live local of the size passed; `pw_name` points into `buf`
    // and is read before `buf` goes.
    let found = unsafe {
        libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        ) == 0
            && !result.is_null()
    };
    if found {
        // SAFETY: getpwuid_r succeeded, so `pw_name` is a NUL-terminated string in `buf`.
        let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
        if let Ok(name) = name.to_str()
            && !name.is_empty()
        {
            return Some(name.to_string());
        }
    }
    std::env::var("USER").ok().filter(|u| !u.is_empty())
}

/// True when a private key file needs a passphrase: PEM's `ENCRYPTED` headers, or an OpenSSH
/// key whose cipher is not `none`.
pub fn key_is_encrypted(text: &str) -> bool {
    if text.contains("BEGIN ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED") {
        return true;
    }
    let Some(body) = text
        .split("-----BEGIN OPENSSH PRIVATE KEY-----")
        .nth(1)
        .and_then(|rest| rest.split("-----END").next())
    else {
        return false;
    };
    let body: String = body.split_whitespace().collect();
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(body) else {
        return false;
    };
    // "openssh-key-v1\0", then the cipher name as a u32 length and bytes.
    let Some(rest) = bytes.strip_prefix(b"openssh-key-v1\0") else {
        return false;
    };
    let Some(len) = rest
        .get(..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    else {
        return false;
    };
    rest.get(4..4 + len as usize)
        .is_some_and(|cipher| cipher != b"none")
}

/// Read a line from the terminal with echo off.
fn ask_passphrase(prompt: &str) -> std::io::Result<String> {
    use std::os::fd::AsRawFd;
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")?;
    let fd = tty.as_raw_fd();
    let mut old: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: `fd` is open for the whole block; `old`/`quiet` are plain structs.
    let echo_off = unsafe { libc::tcgetattr(fd, &mut old) } == 0 && {
        let mut quiet = old;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) == 0 }
    };
    let mut writer = &tty;
    let _ = writer.write_all(prompt.as_bytes());
    let _ = writer.flush();
    let mut line = String::new();
    let read = std::io::BufReader::new(&tty).read_line(&mut line);
    if echo_off {
        // SAFETY: restores the settings read above on the same open descriptor.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &old) };
    }
    read?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

fn tilde(path: &Path) -> PathBuf {
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

/// Why authentication ended: what was tried, so the user can tell which key or helper failed.
#[derive(Debug)]
pub struct AuthFailure {
    pub url: String,
    pub user: Option<String>,
    pub tried: Vec<String>,
    pub locked: Vec<PathBuf>,
    pub last_error: String,
    /// The callback gave up (its own message says nothing more).
    pub ours: bool,
}

impl AuthFailure {
    pub fn into_error(self) -> anyhow::Error {
        let tried = if self.tried.is_empty() {
            "nothing (no ssh-agent, no usable key file, no credential helper answered)".into()
        } else {
            self.tried.join(", ")
        };
        let detail = match self.ours {
            true => String::new(),
            false => format!(" (libgit2: {})", self.last_error),
        };
        let locked = self
            .locked
            .iter()
            .map(|p| tilde(p).display().to_string())
            .collect::<Vec<_>>();
        let user = self.user.map(|u| format!(" as {u}")).unwrap_or_default();
        let mut message = format!(
            "authentication failed: could not authenticate to {}{user} with libgit2; \
             tried: {tried}{detail}",
            self.url
        );
        let hint = if locked.is_empty() {
            "set `git.transport: cli` (or pass --transport cli) to let the git executable \
             authenticate: it reads ~/.ssh/config, core.sshCommand and askpass"
                .to_string()
        } else {
            message.push_str(&format!(
                "; {} is passphrase-protected and no ssh-agent offered it",
                locked.join(", ")
            ));
            format!(
                "add it to your agent (`ssh-add {}`), run devkit on a terminal to be asked \
                 the passphrase, or set `git.transport: cli` (ssh asks it itself)",
                locked[0]
            )
        };
        DevkitError::failure(message).with_hint(hint).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(files: Vec<PathBuf>) -> Keys {
        Keys {
            files,
            agent: false,
            interactive: false,
            passphrases: RefCell::new(HashMap::new()),
        }
    }

    #[test]
    fn the_current_user_is_a_login_name() {
        // What OpenSSH would log in as: `id -un`, not `$USER` and not `git`.
        let id = std::process::Command::new("id")
            .arg("-un")
            .output()
            .unwrap();
        let expected = String::from_utf8(id.stdout).unwrap();
        assert_eq!(current_user().as_deref(), Some(expected.trim()));
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
        let keys = keys(Vec::new());
        let mut creds = Credentials::new(&config, &keys);
        let url = "http://127.0.0.1:1/repo.git";
        let first = creds.callback(url, None, CredentialType::USER_PASS_PLAINTEXT);
        assert!(first.is_ok());
        let second = creds.callback(url, None, CredentialType::USER_PASS_PLAINTEXT);
        assert!(second.is_err());
        assert!(creds.exhausted);
        assert_eq!(creds.tried, ["git's credential helpers"]);
    }

    fn openssh_key(cipher: &str) -> String {
        let mut bytes = b"openssh-key-v1\0".to_vec();
        bytes.extend((cipher.len() as u32).to_be_bytes());
        bytes.extend(cipher.as_bytes());
        bytes.extend([0, 0, 0, 0]);
        let body = base64::engine::general_purpose::STANDARD.encode(bytes);
        format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----\n")
    }

    #[test]
    fn encrypted_keys_are_recognised() {
        assert!(key_is_encrypted(&openssh_key("aes256-ctr")));
        assert!(!key_is_encrypted(&openssh_key("none")));
        assert!(key_is_encrypted(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n"
        ));
        assert!(key_is_encrypted(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMII\n"
        ));
        assert!(!key_is_encrypted("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n"));
        assert!(!key_is_encrypted("not a key"));
    }

    #[test]
    fn a_locked_key_is_skipped_and_named_with_the_way_out() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("id_ed25519");
        std::fs::write(&key, openssh_key("aes256-ctr")).unwrap();
        let config = git2::Config::new().unwrap();
        let keys = keys(vec![key.clone()]);
        let mut creds = Credentials::new(&config, &keys);
        let Err(err) = creds.callback("ssh://h/r", Some("alice"), CredentialType::SSH_KEY) else {
            panic!("a locked key must not be offered");
        };
        assert!(creds.tried.is_empty());
        let failure = creds.failure("ssh://h/r", &err).unwrap();
        let text = format!("{:#}", failure.into_error());
        assert!(text.contains("passphrase-protected"), "{text}");
        let err = failure_error(&creds);
        let hint = err
            .downcast_ref::<DevkitError>()
            .unwrap()
            .hint
            .clone()
            .unwrap();
        assert!(hint.contains("ssh-add"), "{hint}");
        assert!(hint.contains("git.transport: cli"), "{hint}");
    }

    fn failure_error(creds: &Credentials<'_>) -> anyhow::Error {
        creds
            .failure("ssh://h/r", &git2::Error::from_str("x"))
            .unwrap()
            .into_error()
    }
}
