//! A real OpenSSH server on 127.0.0.1 for `git untag` tests: Debian's `sshd` on a free port with
//! throwaway host keys and its own `authorized_keys`, logging to a file, stopped by its pid on
//! drop. The client side never reads the real home: libgit2 gets keys and `known_hosts` from
//! the sandbox's `$HOME/.ssh`, and OpenSSH gets them as options in `GIT_SSH_COMMAND`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::require;
use super::servers::Running;

pub const SSHD: &str = "/usr/sbin/sshd";

/// Make an ed25519 key pair at `path` (and `path.pub`), encrypted when `passphrase` is not empty.
pub fn keygen(path: &Path, passphrase: &str) {
    let status = Command::new(require("ssh-keygen"))
        .args([
            "-q",
            "-t",
            "ed25519",
            "-C",
            "devkit-test",
            "-N",
            passphrase,
            "-f",
        ])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .expect("run ssh-keygen");
    assert!(status.success(), "ssh-keygen failed");
}

pub fn public_key(path: &Path) -> String {
    std::fs::read_to_string(path.with_extension("pub")).unwrap()
}

pub struct Sshd {
    _child: Running,
    pub port: u16,
    dir: PathBuf,
}

impl Sshd {
    /// Start sshd accepting the public keys of `keys` (private key paths) for the current
    /// user (root is allowed with keys only).
    pub fn start(dir: &Path, keys: &[&Path]) -> Self {
        std::fs::create_dir_all(dir).unwrap();
        // As root, sshd needs its privilege separation directory.
        std::fs::create_dir_all("/run/sshd").unwrap();
        let host_key = dir.join("host_key");
        if !host_key.exists() {
            keygen(&host_key, "");
        }
        let authorized: String = keys.iter().map(|k| public_key(k)).collect();
        std::fs::write(dir.join("authorized_keys"), authorized).unwrap();
        for _ in 0..5 {
            let port = super::servers::free_port();
            let config = dir.join("sshd_config");
            std::fs::write(
                &config,
                format!(
                    "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\n\
                     AuthorizedKeysFile {dir}/authorized_keys\nStrictModes no\nUsePAM no\n\
                     PermitRootLogin prohibit-password\nPasswordAuthentication no\n\
                     KbdInteractiveAuthentication no\nPidFile {dir}/sshd.pid\nLogLevel VERBOSE\n\
                     MaxAuthTries 6\n",
                    host = host_key.display(),
                    dir = dir.display(),
                ),
            )
            .unwrap();
            let log = std::fs::File::create(dir.join("sshd.log")).unwrap();
            let mut child = Command::new(require(SSHD))
                .args(["-D", "-e", "-f"])
                .arg(&config)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .expect("start sshd");
            if super::servers::wait_for_port(port, &mut child) {
                return Sshd {
                    _child: Running(child),
                    port,
                    dir: dir.to_path_buf(),
                };
            }
        }
        panic!("sshd did not start: {}", self::log_of(dir));
    }

    /// `ssh://127.0.0.1:PORT/PATH`, with no user: the client picks one.
    pub fn url(&self, repo: &Path) -> String {
        format!("ssh://127.0.0.1:{}{}", self.port, repo.display())
    }

    /// A `known_hosts` line for this server.
    pub fn known_hosts_line(&self) -> String {
        let key = public_key(&self.dir.join("host_key"));
        let mut fields = key.split_whitespace();
        let (kind, body) = (fields.next().unwrap(), fields.next().unwrap());
        format!("[127.0.0.1]:{} {kind} {body}\n", self.port)
    }

    pub fn log(&self) -> String {
        log_of(&self.dir)
    }

    /// How many ssh connections clients made so far (not counting the probe that waited
    /// for the port, which closes before the key exchange).
    pub fn connections(&self) -> usize {
        let log = self.log();
        log.matches("Connection from 127.0.0.1").count()
            - log.matches("kex_exchange_identification").count()
    }
}

fn log_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("sshd.log")).unwrap_or_default()
}

/// `ssh-agent -D -a SOCK` holding the given keys, killed on drop.
pub struct Agent {
    _child: Running,
    pub socket: PathBuf,
}

impl Agent {
    pub fn start(dir: &Path, keys: &[&Path]) -> Self {
        let socket = dir.join("agent.sock");
        let child = Command::new(require("ssh-agent"))
            .args(["-D", "-a"])
            .arg(&socket)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ssh-agent");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() {
            assert!(Instant::now() < deadline, "ssh-agent did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        for key in keys {
            let status = Command::new(require("ssh-add"))
                .arg("-q")
                .arg(key)
                .env("SSH_AUTH_SOCK", &socket)
                .stdin(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success(), "ssh-add {}", key.display());
        }
        Agent {
            _child: Running(child),
            socket,
        }
    }
}
