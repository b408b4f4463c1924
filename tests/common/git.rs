//! git for tests, sealed from the host: the environment every git (and devkit) process runs
//! with, the one git runner, and the fixtures (a bare remote with an `update` hook, a client
//! repository with tags pushed to it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::Sandbox;

/// The environment every git (and devkit) process of a test runs with: no system or global
/// config from the host, a fixed identity, never a password prompt.
pub fn git_env(sandbox: &Sandbox) -> Vec<(&'static str, String)> {
    let global = sandbox.home().join(".gitconfig");
    if !global.exists() {
        std::fs::write(&global, "").unwrap();
    }
    vec![
        ("HOME", sandbox.home().display().to_string()),
        ("GIT_CONFIG_NOSYSTEM", "1".into()),
        ("GIT_CONFIG_GLOBAL", global.display().to_string()),
        ("GIT_AUTHOR_NAME", "Test".into()),
        ("GIT_AUTHOR_EMAIL", "test@example.com".into()),
        ("GIT_COMMITTER_NAME", "Test".into()),
        ("GIT_COMMITTER_EMAIL", "test@example.com".into()),
        ("GIT_TERMINAL_PROMPT", "0".into()),
    ]
}

/// A client repository and the bare remote it pushes to, in one sandbox: where every
/// `git untag` test runs. A test's own world (with its server) derefs to it.
pub struct Repos {
    pub sandbox: Sandbox,
    pub remote: PathBuf,
    pub client: PathBuf,
}

impl Repos {
    /// devkit in the client, as `devkit_in` runs it.
    pub fn devkit(&self) -> assert_cmd::Command {
        devkit_in(&self.sandbox, &self.client)
    }

    /// `devkit git untag ARGS` through `cmd`, which must exit with `code`; its output.
    pub fn untag_with(
        &self,
        cmd: &mut assert_cmd::Command,
        args: &[&str],
        code: i32,
    ) -> std::process::Output {
        let out = cmd.args(["git", "untag"]).args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "git untag {args:?}: {}",
            super::stderr_of(&out)
        );
        out
    }

    /// `devkit git untag ARGS`, which must exit with `code`; its output.
    pub fn untag(&self, args: &[&str], code: i32) -> std::process::Output {
        self.untag_with(&mut self.devkit(), args, code)
    }

    /// The tags left in the client and on the remote.
    pub fn assert_tags(&self, local: &[&str], remote: &[&str]) {
        assert_eq!(self.local_tags(), strings(local), "local tags");
        assert_eq!(self.remote_tags(), strings(remote), "remote tags");
    }

    pub fn local_tags(&self) -> Vec<String> {
        tags(&self.sandbox, &self.client)
    }

    pub fn remote_tags(&self) -> Vec<String> {
        tags(&self.sandbox, &self.remote)
    }

    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        git(&self.sandbox, dir, args)
    }
}

pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// devkit as a git test runs it: in `dir`, with `git_env`, no ssh settings or agent from the
/// host, and a minute to finish.
pub fn devkit_in(sandbox: &Sandbox, dir: &Path) -> assert_cmd::Command {
    let mut cmd = sandbox.devkit();
    cmd.envs(git_env(sandbox))
        .env_remove("GIT_SSH_COMMAND")
        .env_remove("GIT_SSH")
        .env_remove("SSH_AUTH_SOCK")
        .current_dir(dir)
        .timeout(Duration::from_secs(60));
    cmd
}

/// Run git in `dir` and return its stdout; panics (with stderr) when it fails.
pub fn git(sandbox: &Sandbox, dir: &Path, args: &[&str]) -> String {
    let output = Command::new(super::require("git"))
        .args(args)
        .current_dir(dir)
        .envs(git_env(sandbox))
        .env_remove("GIT_SSH_COMMAND")
        .env_remove("SSH_AUTH_SOCK")
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The tags of a repository (a path), sorted.
pub fn tags(sandbox: &Sandbox, repo: &Path) -> Vec<String> {
    git(sandbox, repo, &["tag", "--list"])
        .lines()
        .map(str::to_string)
        .collect()
}

/// A bare repository `name` under `base`, accepting pushes over HTTP, whose `update` hook
/// declines the deletion of `refs/tags/protected-*`.
pub fn bare_remote(sandbox: &Sandbox, base: &Path, name: &str) -> PathBuf {
    let path = base.join(name);
    std::fs::create_dir_all(&path).unwrap();
    git(sandbox, &path, &["init", "-q", "--bare"]);
    git(sandbox, &path, &["config", "http.receivepack", "true"]);
    let hook = path.join("hooks").join("update");
    std::fs::write(
        &hook,
        "#!/bin/sh\n\
         # $1 ref, $2 old, $3 new: refuse to delete protected tags.\n\
         case \"$1\" in refs/tags/protected-*)\n\
           if [ \"$3\" = 0000000000000000000000000000000000000000 ]; then\n\
             echo \"$1 is protected\" >&2; exit 1\n\
           fi;;\n\
         esac\n\
         exit 0\n",
    )
    .unwrap();
    make_executable(&hook);
    path
}

/// Write an executable hook `name` (a `sh` script body) into a bare repository.
pub fn write_hook(repo: &Path, name: &str, body: &str) {
    let hook = repo.join("hooks").join(name);
    std::fs::write(&hook, format!("#!/bin/sh\n{body}")).unwrap();
    make_executable(&hook);
}

pub fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A client repository in the sandbox's work directory with one commit, `origin` pointing at
/// `url`, and these tags (a name with `annotated:` in front makes an annotated tag), all pushed
/// to `bare` directly by path.
pub fn client(sandbox: &Sandbox, url: &str, bare: &Path, tag_names: &[&str]) -> PathBuf {
    let dir = sandbox.work();
    git(sandbox, &dir, &["init", "-q", "-b", "main"]);
    git(
        sandbox,
        &dir,
        &["commit", "-q", "--allow-empty", "-m", "first"],
    );
    git(sandbox, &dir, &["remote", "add", "origin", url]);
    for name in tag_names {
        match name.strip_prefix("annotated:") {
            Some(name) => git(sandbox, &dir, &["tag", "-a", name, "-m", "annotated"]),
            None => git(sandbox, &dir, &["tag", name]),
        };
    }
    let bare = bare.display().to_string();
    git(
        sandbox,
        &dir,
        &["push", "-q", &bare, "refs/heads/main", "--tags"],
    );
    dir
}
