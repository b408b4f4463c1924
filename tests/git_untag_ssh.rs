//! `devkit git untag` over a real OpenSSH server on 127.0.0.1 (Debian's sshd, throwaway keys):
//! a key file, an agent, an encrypted key, a wrong key, an unknown host key; libgit2 and the git
//! executable. libgit2 reads keys and known_hosts from `$HOME/.ssh` (the sandbox's home here);
//! OpenSSH gets its files as options in `GIT_SSH_COMMAND`, never from the real home.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::git::{Repos, bare_remote, client, git, git_env, write_hook};
use common::sshd::{Agent, Sshd, keygen};
use common::{Sandbox, assert_contains, stderr_of};

struct World {
    repos: Repos,
    sshd: Sshd,
    /// The key sshd accepts, outside `$HOME/.ssh`.
    key: PathBuf,
}

impl std::ops::Deref for World {
    type Target = Repos;
    fn deref(&self) -> &Repos {
        &self.repos
    }
}

impl World {
    /// A bare remote reached over ssh; `home_key`: what `$HOME/.ssh/id_ed25519` is (`None`: no
    /// key there), `known`: whether `$HOME/.ssh/known_hosts` knows the server.
    fn new(tag_names: &[&str], home_key: HomeKey, known: bool) -> Self {
        let sandbox = Sandbox::new();
        let keys = sandbox.root().join("keys");
        std::fs::create_dir_all(&keys).unwrap();
        let key = keys.join("good");
        keygen(&key, "");
        let locked = keys.join("locked");
        keygen(&locked, "pass phrase");
        let wrong = keys.join("wrong");
        keygen(&wrong, "");
        let sshd = Sshd::start(&sandbox.root().join("sshd"), &[&key, &locked]);
        let base = sandbox.root().join("srv");
        let remote = bare_remote(&sandbox, &base, "remote.git");
        let client = client(&sandbox, &sshd.url(&remote), &remote, tag_names);
        let ssh_dir = sandbox.home().join(".ssh");
        std::fs::create_dir_all(&ssh_dir).unwrap();
        let source = match home_key {
            HomeKey::None => None,
            HomeKey::Good => Some(&key),
            HomeKey::Locked => Some(&locked),
            HomeKey::Wrong => Some(&wrong),
        };
        if let Some(source) = source {
            std::fs::copy(source, ssh_dir.join("id_ed25519")).unwrap();
        }
        let known_hosts = if known {
            sshd.known_hosts_line()
        } else {
            String::new()
        };
        std::fs::write(ssh_dir.join("known_hosts"), known_hosts).unwrap();
        World {
            repos: Repos {
                sandbox,
                remote,
                client,
            },
            sshd,
            key,
        }
    }

    /// `devkit git untag ARGS` through `cmd`, which must exit with `code`; its stderr.
    fn untag_err(&self, cmd: &mut assert_cmd::Command, args: &[&str], code: i32) -> String {
        stderr_of(&self.untag_with(cmd, args, code))
    }

    /// OpenSSH with only the files given here: no config, the server's key, one identity.
    fn ssh_command(&self, key: &Path) -> String {
        let known = self.sandbox.root().join("cli_known_hosts");
        std::fs::write(&known, self.sshd.known_hosts_line()).unwrap();
        format!(
            "ssh -F /dev/null -i {} -o IdentitiesOnly=yes -o BatchMode=yes \
             -o UserKnownHostsFile={} -o GlobalKnownHostsFile=/dev/null",
            key.display(),
            known.display()
        )
    }
}

enum HomeKey {
    None,
    Good,
    Locked,
    Wrong,
}

#[test]
fn a_key_file_lists_and_pushes_over_one_connection_as_the_login_user() {
    let world = World::new(&["v1", "v2", "keep"], HomeKey::Good, true);
    let err = world.untag_err(
        &mut world.devkit(),
        &["v1", "v2", "--transport", "libgit2"],
        0,
    );
    assert_contains(&err, "deleted v1 (local, origin)");
    world.assert_tags(&["keep"], &["keep"]);
    let log = world.sshd.log();
    // The URL names no user: OpenSSH's choice (the login name), never `git` first.
    assert!(!log.contains("Invalid user"), "{log}");
    assert_eq!(world.sshd.connections(), 1, "{log}");
}

#[test]
fn an_agent_is_used() {
    let world = World::new(&["v1", "v2"], HomeKey::None, true);
    let agent = Agent::start(world.sandbox.root(), &[&world.key]);
    let mut cmd = world.devkit();
    cmd.env("SSH_AUTH_SOCK", &agent.socket);
    world.untag_err(&mut cmd, &["v1", "--transport", "libgit2"], 0);
    world.assert_tags(&["v2"], &["v2"]);
}

/// `git untag v1` over libgit2, in a world with only v1, fails and keeps v1 on both sides;
/// the world and devkit's stderr.
fn refused(key: HomeKey, known: bool) -> (World, String) {
    let world = World::new(&["v1"], key, known);
    let err = world.untag_err(&mut world.devkit(), &["v1", "--transport", "libgit2"], 1);
    world.assert_tags(&["v1"], &["v1"]);
    (world, err)
}

#[test]
fn an_encrypted_key_without_an_agent_says_what_to_do() {
    let (_world, err) = refused(HomeKey::Locked, true);
    assert_contains(&err, "authentication failed");
    assert_contains(&err, "~/.ssh/id_ed25519 is passphrase-protected");
    assert_contains(&err, "ssh-add");
    assert_contains(&err, "git.transport: cli");
    assert!(!err.contains("Unsupported private key format"), "{err}");
}

/// On a terminal (`script` gives devkit one) the passphrase is asked once, though the server's
/// push limit of 1 makes devkit open a connection per tag.
#[test]
fn on_a_terminal_the_passphrase_is_asked_once_per_run() {
    let world = World::new(&["v1", "v2", "v3"], HomeKey::Locked, true);
    write_hook(
        &world.remote,
        "pre-receive",
        "n=$(wc -l | tr -d ' ')\n\
         if [ \"$n\" -gt 1 ]; then echo 'Pushes can not update more than 1 branches or tags.' >&2; exit 1; fi\n",
    );
    let line = format!(
        "'{}' git untag v1 v2 v3 --transport libgit2",
        env!("CARGO_BIN_EXE_devkit")
    );
    let mut cmd = assert_cmd::Command::new("script");
    cmd.args(["-q", "-e", "-c", &line, "/dev/null"])
        .envs(git_env(&world.sandbox))
        .env_remove("SSH_AUTH_SOCK")
        .env("XDG_CONFIG_HOME", world.sandbox.xdg_config_home())
        .env("NO_COLOR", "1")
        .current_dir(&world.client)
        .write_stdin("pass phrase\n")
        .timeout(Duration::from_secs(60));
    let out = cmd.output().unwrap();
    let text = common::stdout_of(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text.matches("Passphrase for").count(), 1, "{text}");
    assert!(world.local_tags().is_empty(), "{text}");
    assert!(world.remote_tags().is_empty(), "{text}");
    // One connection refused for its size, then one per tag.
    assert_eq!(world.sshd.connections(), 4, "{}", world.sshd.log());
}

#[test]
fn a_wrong_key_fails_fast() {
    let (world, err) = refused(HomeKey::Wrong, true);
    assert_contains(&err, "authentication failed");
    assert_contains(&err, "key ~/.ssh/id_ed25519 as");
    assert_eq!(world.sshd.connections(), 1, "{}", world.sshd.log());
}

#[test]
fn an_unknown_host_key_is_refused() {
    let (world, err) = refused(HomeKey::Good, false);
    assert!(err.to_lowercase().contains("host"), "{err}");
    assert!(
        !world.sshd.log().contains("Accepted publickey"),
        "{}",
        world.sshd.log()
    );
}

/// GIT_SSH_COMMAND makes `auto` use the git executable (libssh2 would ignore it); a refusal
/// arrives in the server's words over ssh too.
#[test]
fn the_git_executable_over_ssh_reports_the_servers_words() {
    let world = World::new(&["v1", "protected-1"], HomeKey::None, true);
    let mut cmd = world.devkit();
    cmd.env("GIT_SSH_COMMAND", world.ssh_command(&world.key));
    let err = world.untag_err(&mut cmd, &["-v", "v1", "protected-1"], 1);
    assert_contains(&err, "using the git executable");
    assert_contains(
        &err,
        "rejected the deletion of protected-1: refs/tags/protected-1 is protected",
    );
    world.assert_tags(&["protected-1"], &["protected-1"]);
}

/// The git executable with a key the server does not accept fails with OpenSSH's words.
#[test]
fn the_git_executable_with_a_wrong_key_says_permission_denied() {
    let world = World::new(&["v1"], HomeKey::Wrong, true);
    let wrong = world.sandbox.home().join(".ssh/id_ed25519");
    git(
        &world.sandbox,
        &world.client,
        &["config", "core.sshCommand", &world.ssh_command(&wrong)],
    );
    let err = world.untag_err(&mut world.devkit(), &["v1", "--transport", "cli"], 1);
    assert_contains(&err, "Permission denied (publickey)");
    world.assert_tags(&["v1"], &["v1"]);
}
