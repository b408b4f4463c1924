//! `devkit git untag` against real remotes on 127.0.0.1: `git daemon` (server hooks run there)
//! and smart HTTP with Basic auth. Each test builds its own client and bare remote.

mod common;

use std::path::Path;
use std::time::Duration;

use common::git::{Repos, bare_remote, client, git, git_env, strings, write_hook};
use common::servers::{Daemon, HttpServer};
use common::{
    Sandbox, assert_contains, assert_stderr_contains, snapshot_filters, stderr_of, stdout_of,
};

/// A client and a bare remote, served by `git daemon` or reached by path.
struct World {
    repos: Repos,
    _daemon: Option<Daemon>,
}

impl std::ops::Deref for World {
    type Target = Repos;
    fn deref(&self) -> &Repos {
        &self.repos
    }
}

impl World {
    fn daemon(tag_names: &[&str]) -> Self {
        let sandbox = Sandbox::new();
        let base = sandbox.root().join("srv");
        let remote = bare_remote(&sandbox, &base, "remote.git");
        let daemon = Daemon::start(&sandbox, &base);
        let client = client(&sandbox, &daemon.url("remote.git"), &remote, tag_names);
        World {
            repos: Repos {
                sandbox,
                remote,
                client,
            },
            _daemon: Some(daemon),
        }
    }

    /// A client whose `origin` is the bare remote's path: no server, git's local transport.
    fn local(tag_names: &[&str]) -> Self {
        let sandbox = Sandbox::new();
        let base = sandbox.root().join("srv");
        let remote = bare_remote(&sandbox, &base, "remote.git");
        let client = client(&sandbox, &remote.display().to_string(), &remote, tag_names);
        World {
            repos: Repos {
                sandbox,
                remote,
                client,
            },
            _daemon: None,
        }
    }

    /// `text` (what devkit printed here) matches the reviewed snapshot `name`, whole.
    fn snapshot(&self, name: &str, text: &str) {
        let _filters = snapshot_filters(&self.sandbox).bind_to_scope();
        insta::assert_snapshot!(name, text);
    }

    /// Point the client's `origin` at `url`.
    fn set_origin(&self, url: &str) {
        self.git(&self.client, &["remote", "set-url", "origin", url]);
    }
}

/// The report says, in the test hook's words, that each of `tags` was refused.
fn assert_refused_by_policy(out: &std::process::Output, tags: &[&str]) {
    for tag in tags {
        assert_stderr_contains(
            out,
            &format!("rejected the deletion of {tag}: tag {tag} is protected by release policy"),
        );
    }
}

fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout_of(output)))
}

#[test]
fn deletes_locally_and_on_the_remote() {
    let world = World::daemon(&["v1", "v2", "keep"]);
    let out = world.untag(&["v1", "v2"], 0);
    world.assert_tags(&["keep"], &["keep"]);
    world.snapshot("untag_deleted", &stderr_of(&out));
    assert!(stdout_of(&out).is_empty());
}

#[test]
fn remote_only_keeps_the_local_tag() {
    let world = World::daemon(&["v1", "v2"]);
    let out = world.untag(&["--remote-only", "v1"], 0);
    world.assert_tags(&["v1", "v2"], &["v2"]);
    assert_stderr_contains(&out, "deleted v1 (origin)");
}

#[test]
fn local_only_never_contacts_the_remote() {
    let world = World::daemon(&["v1", "v2"]);
    // Nothing listens on port 1: any attempt to reach the remote would fail.
    world.set_origin("git://127.0.0.1:1/remote.git");
    let out = world.untag(&["--local-only", "v1"], 0);
    world.assert_tags(&["v2"], &["v1", "v2"]);
    assert_stderr_contains(&out, "deleted v1 (local)");
}

#[test]
fn an_unreachable_remote_deletes_nothing() {
    let world = World::daemon(&["v1"]);
    world.set_origin("git://127.0.0.1:1/remote.git");
    for transport in ["libgit2", "cli", "auto"] {
        let out = world.untag(&["v1", "--transport", transport], 1);
        let err = stderr_of(&out);
        assert_contains(&err, "127.0.0.1:1");
        if transport == "auto" {
            // The last word names the cause, not only "could not reach".
            assert_contains(&err, "the network: the remote cannot be reached");
        }
        assert_eq!(world.local_tags(), strings(&["v1"]));
    }
}

/// devkit's libgit2 has no TLS: an https remote is a usage error for `--transport libgit2`,
/// and `auto` hands it to the git executable straight away (which finds nothing listening on
/// port 1 here). Nothing is deleted either way.
#[test]
fn an_https_remote_goes_through_the_git_executable() {
    let world = World::daemon(&["v1"]);
    world.set_origin("https://127.0.0.1:1/remote.git");
    let out = world.untag(&["v1", "--transport", "libgit2"], 2);
    let err = stderr_of(&out);
    assert_contains(&err, "https://127.0.0.1:1/remote.git");
    assert_contains(&err, "built without TLS");
    assert_contains(&err, "git.transport auto");
    assert_eq!(world.local_tags(), strings(&["v1"]));

    let out = world.untag(&["v1", "-v"], 1);
    let err = stderr_of(&out);
    assert_contains(
        &err,
        "needs TLS, which devkit's libgit2 is built without: using the git executable",
    );
    assert!(!err.contains("using libgit2"), "{err}");
    assert_contains(&err, "127.0.0.1");
    world.assert_tags(&["v1"], &["v1"]);
}

// --- local remotes: the git executable, which runs the remote's hooks ------------------------

/// An update hook on the remote that refuses to delete `keep-*` tags, in its own words.
fn protect_keep_tags(world: &World) {
    write_hook(
        &world.remote,
        "update",
        "case \"$1\" in refs/tags/keep-*)\n\
           echo \"tag ${1#refs/tags/} is protected by release policy\" >&2; exit 1;;\n\
         esac\n",
    );
}

/// The ways to name a remote on the local file system, as `origin`'s URL.
fn local_urls(world: &World) -> [String; 3] {
    [
        world.remote.display().to_string(),
        format!("file://{}", world.remote.display()),
        // Relative to the client's top directory, as git reads it.
        "../srv/remote.git".to_string(),
    ]
}

/// libgit2's local transport writes the remote's refs itself, hooks unrun: `auto` pushes to a
/// local remote with the git executable, so the remote's hooks decide, as for `git push`.
#[test]
fn auto_pushes_to_a_local_remote_through_its_hooks() {
    for form in 0..3 {
        let world = World::local(&["keep-1", "v1", "v2"]);
        protect_keep_tags(&world);
        let url = &local_urls(&world)[form];
        world.set_origin(url);
        let args = ["-v", "--json", "keep-1", "v1"];
        let out = world.untag(&args, 1);
        let err = stderr_of(&out);
        assert!(
            err.contains(
                "libgit2 writes a local remote's refs itself, skipping the remote's hooks \
                 and its receive.* config: using the git executable"
            ),
            "{url}: {err}"
        );
        assert!(!err.contains("using libgit2"), "{url}: {err}");
        let json = json_of(&out);
        assert_eq!(json["transport"], "cli", "{url}");
        assert_eq!(json["tags"][0]["tag"], "keep-1");
        assert_eq!(json["tags"][0]["local"], "kept", "{url}");
        assert_eq!(
            json["tags"][0]["reason"], "tag keep-1 is protected by release policy (hook declined)",
            "{url}"
        );
        assert_eq!(json["tags"][1]["remote"], "deleted", "{url}");
        assert_eq!(world.local_tags(), strings(&["keep-1", "v2"]), "{url}");
        assert_eq!(world.remote_tags(), strings(&["keep-1", "v2"]), "{url}");
    }
}

/// `--transport libgit2` with a local remote would delete what the remote's hooks protect: a
/// usage error before anything is deleted, naming the remote and the way out. The same when the
/// remote is a URL that `url.*.insteadOf` turns into a path.
#[test]
fn libgit2_with_a_local_remote_is_a_usage_error() {
    let world = World::local(&["keep-1", "v1"]);
    protect_keep_tags(&world);
    let base = world.remote.parent().unwrap().display().to_string();
    world.git(
        &world.client,
        &["config", &format!("url.{base}/.insteadOf"), "local-srv:"],
    );
    let mut remotes: Vec<(String, String)> = local_urls(&world)
        .into_iter()
        .map(|url| ("origin".to_string(), url))
        .collect();
    remotes.push((
        "local-srv:remote.git".to_string(),
        world.remote.display().to_string(),
    ));
    for (name, url) in &remotes {
        if name == "origin" {
            world.set_origin(url);
        }
        let out = world.untag(
            &["keep-1", "v1", "--remote", name, "--transport", "libgit2"],
            2,
        );
        let err = stderr_of(&out);
        assert_contains(
            &err,
            &format!(
                "git.transport libgit2 (from flag --transport) cannot push to `{name}` ({url}), \
                 a local remote: libgit2 writes a local remote's refs itself"
            ),
        );
        assert_contains(&err, "git.transport auto");
        assert_eq!(world.local_tags(), strings(&["keep-1", "v1"]), "{url}");
        assert_eq!(world.remote_tags(), strings(&["keep-1", "v1"]), "{url}");
    }
    // `auto` sees through the alias too.
    let out = world.untag(&["-v", "keep-1", "--remote", "local-srv:remote.git"], 1);
    let err = stderr_of(&out);
    assert_contains(&err, "using the git executable");
    assert_contains(&err, "protected by release policy");
    assert_eq!(world.remote_tags(), strings(&["keep-1", "v1"]));
}

/// Which hooks run is the remote's own config (core.hooksPath), read only by its receive-pack.
/// (receive.denyDeletes would not do here: git applies it to branches only.)
#[test]
fn a_local_remotes_hooks_path_is_honoured() {
    let world = World::local(&["keep-1", "v1"]);
    let hooks = world.sandbox.root().join("shared-hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::rename(world.remote.join("hooks/update"), hooks.join("update")).unwrap();
    let hooks_path = hooks.display().to_string();
    world.git(&world.remote, &["config", "core.hooksPath", &hooks_path]);
    // bare_remote's update hook, now only in core.hooksPath, protects protected-*.
    world.git(&world.client, &["tag", "protected-1"]);
    world.git(&world.client, &["push", "-q", "origin", "protected-1"]);
    let out = world.untag(&["protected-1", "v1"], 1);
    let err = stderr_of(&out);
    assert_contains(
        &err,
        "origin rejected the deletion of protected-1: refs/tags/protected-1 is protected \
             (hook declined); the local tag is kept",
    );
    world.assert_tags(&["keep-1", "protected-1"], &["keep-1", "protected-1"]);
}

#[test]
fn globs_match_local_and_remote_tags_and_need_yes_without_a_terminal() {
    let world = World::daemon(&["rc-1", "rc-2", "v1"]);
    world.git(&world.client, &["tag", "rc-local"]);
    world.git(&world.client, &["push", "-q", "origin", "--delete", "rc-1"]);
    world.git(&world.client, &["tag", "-d", "rc-2"]);

    let out = world.untag_with(world.devkit().write_stdin(""), &["rc-*"], 2);
    world.snapshot("untag_glob_needs_yes", &stderr_of(&out));
    world.assert_tags(&["rc-1", "rc-local", "v1"], &["rc-2", "v1"]);

    let out = world.untag(&["rc-*", "--yes"], 0);
    world.assert_tags(&["v1"], &["v1"]);
    world.snapshot("untag_glob_deleted", &stderr_of(&out));
}

/// On a terminal, devkit asks once, listing the tags. `script` (util-linux) gives it one.
#[test]
fn on_a_terminal_a_wide_glob_asks_once() {
    let world = World::daemon(&["rc-1", "rc-2", "v1"]);
    let ask = |answer: &str| {
        let line = format!("'{}' git untag 'rc-*'", env!("CARGO_BIN_EXE_devkit"));
        let mut cmd = assert_cmd::Command::new("script");
        cmd.args(["-q", "-e", "-c", &line, "/dev/null"])
            .envs(git_env(&world.sandbox))
            .env("XDG_CONFIG_HOME", world.sandbox.xdg_config_home())
            .env("NO_COLOR", "1")
            .current_dir(&world.client)
            .write_stdin(answer)
            .timeout(Duration::from_secs(60));
        cmd.output().unwrap()
    };
    let out = ask("n\n");
    let text = stdout_of(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_contains(&text, "These 2 tags will be deleted");
    assert_contains(&text, "rc-1 (local, origin)");
    assert_contains(&text, "nothing was deleted");
    assert_eq!(world.local_tags(), strings(&["rc-1", "rc-2", "v1"]));

    let out = ask("y\n");
    let text = stdout_of(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text.matches("Delete them?").count(), 1, "{text}");
    world.assert_tags(&["v1"], &["v1"]);
}

#[test]
fn a_glob_matching_one_tag_needs_no_confirmation() {
    let world = World::daemon(&["rc-1", "v1"]);
    world.untag(&["rc-*"], 0);
    assert_eq!(world.local_tags(), strings(&["v1"]));
}

#[test]
fn a_dry_run_changes_nothing() {
    let world = World::daemon(&["v1", "v2", "rc-1"]);
    let out = world.untag(&["--dry-run", "v*", "rc-1"], 0);
    world.snapshot("untag_dry_run", &stderr_of(&out));
    world.assert_tags(&["rc-1", "v1", "v2"], &["rc-1", "v1", "v2"]);
}

#[test]
fn a_missing_tag_stops_everything_unless_ignored() {
    let world = World::daemon(&["v1"]);
    let out = world.untag(&["v1", "nope", "gone-*"], 1);
    world.snapshot("untag_missing_tags", &stderr_of(&out));
    world.assert_tags(&["v1"], &["v1"]);

    let out = world.untag(&["v1", "nope", "--ignore-missing"], 0);
    world.snapshot("untag_ignore_missing", &stderr_of(&out));
    assert!(world.local_tags().is_empty());
    assert!(world.remote_tags().is_empty());
}

#[test]
fn a_declining_hook_keeps_the_protected_tag_on_both_sides() {
    for transport in ["libgit2", "cli"] {
        let world = World::daemon(&["protected-1", "v1", "v2"]);
        let out = world.untag(&["protected-1", "v1", "--transport", transport], 1);
        // Both transports tell it in the same words.
        world.snapshot("untag_hook_declined", &stderr_of(&out));
        world.assert_tags(&["protected-1", "v2"], &["protected-1", "v2"]);
    }
}

#[test]
fn both_transports_give_the_same_json_report() {
    let mut reports = Vec::new();
    for transport in ["libgit2", "cli"] {
        let world = World::daemon(&["protected-1", "v1", "remote-only"]);
        world.git(&world.client, &["tag", "-d", "remote-only"]);
        world.git(&world.client, &["tag", "local-only"]);
        let out = world.untag(
            &[
                "--json",
                "--transport",
                transport,
                "protected-1",
                "v1",
                "remote-only",
                "local-only",
            ],
            1,
        );
        let mut json = json_of(&out);
        assert_eq!(json["transport"], transport);
        json["transport"] = serde_json::Value::Null;
        reports.push(json);
    }
    assert_eq!(reports[0], reports[1]);
    assert_eq!(
        reports[0],
        serde_json::json!({
            "remote": "origin",
            "transport": null,
            "dry_run": false,
            "kept": [],
            "tags": [
                {"tag": "local-only", "local": "deleted", "remote": "not_found", "reason": null},
                {"tag": "protected-1", "local": "kept", "remote": "rejected",
                 "reason": "refs/tags/protected-1 is protected (hook declined)"},
                {"tag": "remote-only", "local": "not_found", "remote": "deleted", "reason": null},
                {"tag": "v1", "local": "deleted", "remote": "deleted", "reason": null},
            ]
        })
    );
}

#[test]
fn json_for_a_dry_run_and_missing_tags() {
    let world = World::daemon(&["v1"]);
    let out = world.untag(&["--json", "-n", "--ignore-missing", "v1", "nope"], 0);
    let json = json_of(&out);
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["transport"], "libgit2");
    assert_eq!(json["tags"][0]["tag"], "nope");
    assert_eq!(json["tags"][0]["local"], "not_found");
    assert_eq!(json["tags"][1]["local"], "would_delete");
    assert_eq!(json["tags"][1]["remote"], "would_delete");
    assert_eq!(world.local_tags(), strings(&["v1"]));
}

#[test]
fn every_kind_of_tag_and_packed_refs() {
    let world = World::daemon(&["light", "annotated:heavy", "a/b/c", "same", "other"]);
    world.git(&world.client, &["branch", "same"]);
    world.git(&world.client, &["push", "-q", "origin", "refs/heads/same"]);
    world.git(&world.client, &["pack-refs", "--all"]);
    world.git(&world.remote, &["pack-refs", "--all"]);
    assert!(world.client.join(".git/packed-refs").is_file());
    // `light` is now both packed and loose (moved to a new commit); both must go.
    world.git(
        &world.client,
        &["commit", "-q", "--allow-empty", "-m", "second"],
    );
    world.git(&world.client, &["tag", "-f", "light"]);
    assert!(world.client.join(".git/refs/tags/light").is_file());

    world.untag(&["light", "heavy", "a/b/c", "same"], 0);
    world.assert_tags(&["other"], &["other"]);
    // The branch that shares the tag's name is untouched on both sides.
    let branches = |dir: &Path| world.git(dir, &["branch", "--list", "same"]);
    assert!(branches(&world.client).contains("same"));
    assert!(branches(&world.remote).contains("same"));
    // No empty directory is left behind for the nested tag.
    assert!(!world.client.join(".git/refs/tags/a").exists());
    let packed = std::fs::read_to_string(world.client.join(".git/packed-refs")).unwrap();
    assert!(packed.contains("refs/tags/other") && packed.contains("refs/heads/same"));
    assert!(!packed.contains("refs/tags/heavy") && !packed.contains("refs/tags/light"));
    world.git(&world.client, &["fsck", "--no-dangling"]);
}

#[test]
fn a_held_packed_refs_lock_fails_the_local_deletion_and_is_left_alone() {
    let world = World::daemon(&["v1"]);
    world.git(&world.client, &["pack-refs", "--all"]);
    let lock = world.client.join(".git/packed-refs.lock");
    std::fs::write(&lock, "").unwrap();
    let out = world.untag(&["--local-only", "v1"], 1);
    let err = stderr_of(&out);
    assert_contains(&err, "could not delete the local tag v1");
    assert_contains(&err, "another git process");
    assert!(lock.exists());
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(world.local_tags(), strings(&["v1"]));
}

#[test]
fn bad_input_is_refused_before_anything() {
    let world = World::daemon(&["v1"]);
    let out = world.untag(&["v1", "bad..name"], 2);
    world.snapshot("untag_bad_tag_name", &stderr_of(&out));
    let out = world.untag(&["v1", "--remote", "upstream"], 2);
    world.snapshot("untag_no_such_remote", &stderr_of(&out));
    assert_eq!(world.local_tags(), strings(&["v1"]));

    let elsewhere = world.sandbox.root().join("not-a-repo");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let mut cmd = world.devkit();
    cmd.current_dir(&elsewhere)
        .env("GIT_CEILING_DIRECTORIES", world.sandbox.root());
    let out = world.untag_with(&mut cmd, &["v1"], 2);
    world.snapshot("untag_not_a_repository", &stderr_of(&out));
}

/// The git executable runs the client's pre-push hook; when it refuses, nothing was pushed and
/// no local tag may go.
#[test]
fn a_failed_push_deletes_no_local_tag() {
    let world = World::daemon(&["v1", "v2"]);
    let hook = world.client.join(".git/hooks/pre-push");
    std::fs::write(&hook, "#!/bin/sh\necho 'not today' >&2\nexit 1\n").unwrap();
    common::git::make_executable(&hook);
    let out = world.untag(&["v1", "v2", "--transport", "cli"], 1);
    let err = stderr_of(&out);
    assert_contains(
        &err,
        "the push to `origin` failed; no local tag was deleted",
    );
    assert_contains(&err, "not today");
    world.assert_tags(&["v1", "v2"], &["v1", "v2"]);
}

#[test]
fn the_remote_can_be_a_url() {
    let world = World::daemon(&["v1", "v2"]);
    let url = world.git(&world.client, &["remote", "get-url", "origin"]);
    world.git(&world.client, &["remote", "remove", "origin"]);
    for (transport, tag) in [("libgit2", "v1"), ("cli", "v2")] {
        world.untag(&[tag, "--remote", url.trim(), "--transport", transport], 0);
    }
    assert!(world.local_tags().is_empty());
    assert!(world.remote_tags().is_empty());
}

#[test]
fn the_remote_comes_from_config() {
    let world = World::daemon(&["v1"]);
    world.git(&world.client, &["remote", "rename", "origin", "upstream"]);
    world
        .sandbox
        .write("devkit.yaml", "git:\n  remote: upstream\n");
    // The project file lives in the work directory, which is the client itself.
    let out = world.untag(&["v1"], 0);
    assert_stderr_contains(&out, "deleted v1 (local, upstream)");
    assert!(world.remote_tags().is_empty());
}

// --- ssh needs: the git executable -------------------------------------------------------------

/// `auto` hands an ssh remote to the git executable when GIT_SSH_COMMAND is set (libssh2 would
/// ignore it). There is no ssh server here, so GIT_SSH_COMMAND names a stand-in that runs the
/// remote command locally, as git's own test suite does; libgit2, which cannot use it, fails.
#[test]
fn auto_uses_the_git_executable_when_git_ssh_command_is_set() {
    let world = World::daemon(&["v1", "v2"]);
    let fake_ssh = world.sandbox.root().join("fake-ssh");
    std::fs::write(
        &fake_ssh,
        "#!/bin/sh\n\
         # Stand-in for ssh: skip options and the host, run the command locally.\n\
         while [ $# -gt 0 ]; do\n\
           case \"$1\" in -p|-o|-i|-l|-F) shift 2;; -*) shift;; *) shift; break;; esac\n\
         done\n\
         exec sh -c \"$*\"\n",
    )
    .unwrap();
    common::git::make_executable(&fake_ssh);
    let url = format!("ssh://devkit-test-host{}", world.remote.display());
    world.set_origin(&url);

    let mut cmd = world.devkit();
    cmd.env("GIT_SSH_COMMAND", &fake_ssh).arg("-v");
    world.untag_with(&mut cmd, &["v1", "--transport", "libgit2"], 1);
    assert_eq!(world.local_tags(), strings(&["v1", "v2"]));

    let mut cmd = world.devkit();
    cmd.env("GIT_SSH_COMMAND", &fake_ssh).arg("-v");
    let out = world.untag_with(&mut cmd, &["v1"], 0);
    let err = stderr_of(&out);
    assert_contains(&err, "GIT_SSH_COMMAND is set");
    assert_contains(&err, "using the git executable");
    world.assert_tags(&["v2"], &["v2"]);

    // The same through the repository's core.sshCommand.
    let command = fake_ssh.display().to_string();
    world.git(&world.client, &["config", "core.sshCommand", &command]);
    let out = world.untag_with(world.devkit().arg("-v"), &["v2"], 0);
    assert_stderr_contains(&out, "core.sshCommand is set");
    assert!(world.local_tags().is_empty());
    assert!(world.remote_tags().is_empty());
}

// --- smart HTTP with Basic auth -------------------------------------------------------------

struct HttpWorld {
    world: World,
    server: HttpServer,
}

/// A client whose `origin` is the bare remote over HTTP; `helper_password` is what the
/// credential helper configured in the client repository answers (`None`: no helper).
fn http_world(tag_names: &[&str], helper_password: Option<&str>) -> HttpWorld {
    let sandbox = Sandbox::new();
    let base = sandbox.root().join("srv");
    let remote = bare_remote(&sandbox, &base, "remote.git");
    let server = HttpServer::start(&sandbox, &base, "alice", "s3cret");
    let client = client(&sandbox, &server.url("remote.git"), &remote, tag_names);
    if let Some(password) = helper_password {
        let helper = format!(
            "!f() {{ test \"$1\" = get && echo username=alice && echo password={password}; }}; f"
        );
        git(&sandbox, &client, &["config", "credential.helper", &helper]);
    }
    HttpWorld {
        world: World {
            repos: Repos {
                sandbox,
                remote,
                client,
            },
            _daemon: None,
        },
        server,
    }
}

#[test]
fn http_with_a_credential_helper() {
    for transport in ["libgit2", "cli"] {
        let http = http_world(&["v1", "v2", "protected-1"], Some("s3cret"));
        let out = http
            .world
            .devkit()
            .args([
                "git",
                "untag",
                "v1",
                "protected-1",
                "--transport",
                transport,
            ])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{transport}: {}",
            stderr_of(&out)
        );
        assert_stderr_contains(&out, "hook declined");
        assert_eq!(http.world.local_tags(), strings(&["protected-1", "v2"]));
        assert_eq!(http.world.remote_tags(), strings(&["protected-1", "v2"]));
    }
}

#[test]
fn a_wrong_password_fails_fast_without_looping() {
    for transport in ["libgit2", "auto"] {
        let http = http_world(&["v1"], Some("wrong"));
        // The timeout kills a looping devkit; a signal leaves no exit code.
        let out = http
            .world
            .devkit()
            .args(["git", "untag", "v1", "--transport", transport])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{transport}: devkit did not end by itself: {}",
            stderr_of(&out)
        );
        let err = stderr_of(&out);
        if transport == "auto" {
            assert_contains(&err, "error: authentication failed: neither");
        }
        if transport == "libgit2" {
            assert_contains(&err, "could not authenticate");
            assert_contains(&err, "git's credential helpers");
            assert_contains(&err, "git.transport: cli");
        }
        // libgit2 asks the helper once; the git executable once more under `auto`.
        assert!(
            http.server.unauthorized_requests() <= 6,
            "{} refused requests",
            http.server.unauthorized_requests()
        );
        assert_eq!(http.world.local_tags(), strings(&["v1"]));
        assert_eq!(http.world.remote_tags(), strings(&["v1"]));
    }
}

/// libgit2 ignores `http.extraHeader`; the git executable sends it. With the credentials only
/// there, libgit2 cannot authenticate before anything is sent, and `auto` switches.
#[test]
fn auto_falls_back_when_libgit2_cannot_authenticate() {
    let http = http_world(&["v1", "v2"], None);
    let header = "Authorization: Basic YWxpY2U6czNjcmV0"; // alice:s3cret
    http.world
        .git(&http.world.client, &["config", "http.extraHeader", header]);

    let out = http.world.untag(&["v1", "--transport", "libgit2"], 1);
    assert_stderr_contains(&out, "git.transport: cli");
    assert_eq!(http.world.local_tags(), strings(&["v1", "v2"]));

    let out = http
        .world
        .untag_with(http.world.devkit().arg("-v"), &["v1", "--json"], 0);
    let err = stderr_of(&out);
    assert_contains(&err, "libgit2 could not connect");
    assert_contains(&err, "using the git executable");
    assert_eq!(json_of(&out)["transport"], "cli");
    assert_eq!(http.world.local_tags(), strings(&["v2"]));
    assert_eq!(http.world.remote_tags(), strings(&["v2"]));
}

// --- what real hosts do, reproduced by hooks -------------------------------------------------

/// The number of refs in each push the remote received, as its pre-receive hook logged them.
fn pushes_logged(world: &World) -> Vec<usize> {
    std::fs::read_to_string(world.remote.join("pushes.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect()
}

/// A pre-receive hook that logs each push's size, then runs `check` (sh, with `$n` the count
/// and the refs in the file `$refs`).
fn pre_receive(world: &World, check: &str) {
    write_hook(
        &world.remote,
        "pre-receive",
        &format!(
            "refs=$(mktemp); cat > \"$refs\"; n=$(wc -l < \"$refs\" | tr -d ' ')\n\
             echo \"$n\" >> \"$GIT_DIR/pushes.log\"\n{check}\nrm -f \"$refs\"\nexit 0\n"
        ),
    );
}

#[test]
fn a_hooks_own_words_are_the_reason_on_both_transports() {
    for transport in ["libgit2", "cli"] {
        let world = World::daemon(&["keep-1", "v1", "v10"]);
        protect_keep_tags(&world);
        let out = world.untag(&["--json", "--transport", transport, "keep-1", "v1"], 1);
        let json = json_of(&out);
        assert_eq!(json["tags"][0]["tag"], "keep-1");
        assert_eq!(
            json["tags"][0]["reason"], "tag keep-1 is protected by release policy (hook declined)",
            "{transport}"
        );
        assert_eq!(json["tags"][1]["remote"], "deleted");
        assert_refused_by_policy(&out, &["keep-1"]);
        world.assert_tags(&["keep-1", "v10"], &["keep-1", "v10"]);
    }
}

/// GitHub refuses every ref of a push that carries more than N, naming N.
#[test]
fn a_push_over_the_hosts_limit_is_retried_in_batches_of_the_limit() {
    for transport in ["libgit2", "cli"] {
        let names: Vec<String> = (1..=8).map(|i| format!("t{i}")).collect();
        let mut all: Vec<&str> = names.iter().map(String::as_str).collect();
        all.push("protected-1");
        let world = World::daemon(&all);
        pre_receive(
            &world,
            "if [ \"$n\" -gt 3 ]; then\n\
               echo 'error: GH013: Pushes can not update more than 3 branches or tags.' >&2\n\
               exit 1\n\
             fi",
        );
        let out = world.untag(&["--json", "--yes", "--transport", transport, "*"], 1);
        // 9 refused at once, then batches of at most 3.
        let pushes = pushes_logged(&world);
        assert_eq!(pushes[0], 9, "{transport}");
        assert!(
            pushes[1..].iter().all(|n| *n <= 3),
            "{transport}: {pushes:?}"
        );
        assert_eq!(pushes[1..].iter().sum::<usize>(), 9, "{pushes:?}");
        // As if one push: only the protected tag is refused, with the update hook's words.
        let json = json_of(&out);
        let rejected: Vec<&serde_json::Value> = json["tags"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["remote"] != "deleted")
            .collect();
        assert_eq!(rejected.len(), 1, "{json}");
        assert_eq!(rejected[0]["tag"], "protected-1");
        world.assert_tags(&["protected-1"], &["protected-1"]);
    }
}

/// GitLab's pre-receive refuses a whole push at the first protected tag.
#[test]
fn a_whole_push_refusal_is_split_to_find_the_protected_tags() {
    for transport in ["libgit2", "cli"] {
        let world = World::daemon(&["v1", "v2", "v3", "v4", "v5", "v6", "release-1"]);
        pre_receive(
            &world,
            "if grep -q ' refs/tags/release-' \"$refs\"; then\n\
               echo 'GitLab: You are not allowed to delete protected tags from this project.' >&2\n\
               exit 1\n\
             fi",
        );
        let out = world.untag(&["-v", "--yes", "--transport", transport, "*"], 1);
        let err = stderr_of(&out);
        assert!(
            err.contains(
                "rejected the deletion of release-1: GitLab: You are not allowed to delete \
                 protected tags from this project. (pre-receive hook declined)"
            ),
            "{transport}: {err}"
        );
        assert_contains(&err, "splitting it");
        world.assert_tags(&["release-1"], &["release-1"]);
        // Far fewer pushes than one per tag plus one.
        assert!(
            pushes_logged(&world).len() <= 7,
            "{:?}",
            pushes_logged(&world)
        );
    }
}

/// A pre-receive hook that stops at the first protected tag names only that one, yet git marks
/// every ref of the push `pre-receive hook declined`: the push is split, and only the protected
/// tags stay.
#[test]
fn a_pre_receive_that_stops_at_the_first_protected_tag_is_split() {
    for transport in ["libgit2", "cli"] {
        let world = World::daemon(&["keep-1", "keep-2", "v1", "v2", "v3"]);
        pre_receive(
            &world,
            "while read old new ref; do\n\
               case \"$ref\" in refs/tags/keep-*)\n\
                 echo \"tag ${ref#refs/tags/} is protected by release policy\" >&2\n\
                 rm -f \"$refs\"; exit 1;;\n\
               esac\n\
             done < \"$refs\"",
        );
        let out = world.untag(
            &["-v", "--json", "--transport", transport, "keep-1", "v1"],
            1,
        );
        let json = json_of(&out);
        assert_eq!(json["tags"][0]["tag"], "keep-1");
        assert_eq!(json["tags"][0]["remote"], "rejected", "{transport}");
        assert_eq!(json["tags"][0]["local"], "kept", "{transport}");
        assert_eq!(
            json["tags"][0]["reason"],
            "tag keep-1 is protected by release policy (pre-receive hook declined)",
            "{transport}"
        );
        assert_eq!(json["tags"][1]["tag"], "v1");
        assert_eq!(json["tags"][1]["remote"], "deleted", "{transport}");
        assert_eq!(json["tags"][1]["local"], "deleted", "{transport}");
        let err = stderr_of(&out);
        assert!(
            err.contains(
                "the remote refused a whole push of 2 tags (pre-receive hook declined): \
                 splitting it to find the tags it protects"
            ),
            "{transport}: {err}"
        );
        assert_eq!(pushes_logged(&world), [2, 1, 1], "{transport}");
        let rest = strings(&["keep-1", "keep-2", "v2", "v3"]);
        assert_eq!(world.local_tags(), rest, "{transport}");
        assert_eq!(world.remote_tags(), rest, "{transport}");

        // More tags, two protected: each protected tag refused in the hook's words, the rest go.
        let out = world.untag(&["--yes", "--transport", transport, "*"], 1);
        assert_refused_by_policy(&out, &["keep-1", "keep-2"]);
        world.assert_tags(&["keep-1", "keep-2"], &["keep-1", "keep-2"]);
    }
}

#[test]
fn tags_named_like_options_or_branches_on_both_transports() {
    for transport in ["libgit2", "cli"] {
        let world = World::daemon(&["main", "v1"]);
        // `git tag` refuses `-x`; update-ref and hosts do not.
        world.git(&world.client, &["update-ref", "refs/tags/-x", "HEAD"]);
        world.git(&world.client, &["push", "-q", "origin", "refs/tags/-x"]);
        world.untag(&["--transport", transport, "--", "-x", "main"], 0);
        assert_eq!(world.local_tags(), strings(&["v1"]), "{transport}");
        assert_eq!(world.remote_tags(), strings(&["v1"]), "{transport}");
        // The branches called `main` stay on both sides.
        for dir in [&world.client, &world.remote] {
            world.git(dir, &["rev-parse", "--verify", "refs/heads/main"]);
        }
    }
}

#[test]
fn json_is_one_document_also_on_failure() {
    let world = World::daemon(&["v1"]);
    world.set_origin("git://127.0.0.1:1/remote.git");
    for transport in ["libgit2", "cli", "auto"] {
        let out = world.untag(&["--json", "--transport", transport, "v1"], 1);
        let json = json_of(&out);
        assert!(
            json["error"].as_str().unwrap().contains("127.0.0.1:1"),
            "{json}"
        );
        assert_eq!(json["tags"], serde_json::json!([]));
    }
    let out = world.untag(&["--json", "--local-only", "nope"], 1);
    assert!(json_of(&out)["error"].as_str().unwrap().contains("`nope`"));
}

// --- selection ---------------------------------------------------------------------------------

#[test]
fn keep_the_newest_by_version_planned_first() {
    let world = World::daemon(&[
        "v1.0.0",
        "v1.1.0-rc.1",
        "v1.1.0",
        "v1.2.0",
        "v2.0.0-beta",
        "other",
    ]);
    let out = world.untag(&["v*", "--keep", "2", "-n"], 0);
    world.snapshot("untag_keep_plan", &stderr_of(&out));
    assert_eq!(world.remote_tags().len(), 6);

    // Three tags without a glob-confirmation still need --yes.
    let out = world.untag(&["v*", "--keep", "2"], 2);
    assert_stderr_contains(&out, "--yes");
    let out = world.untag(&["v*", "--keep", "2", "--yes", "--json"], 0);
    let json = json_of(&out);
    assert_eq!(json["kept"][0]["tag"], "v1.2.0");
    let keep = strings(&["other", "v1.2.0", "v2.0.0-beta"]);
    assert_eq!(world.local_tags(), keep);
    assert_eq!(world.remote_tags(), keep);
}

/// An annotated tag made at `date` (its tagger date).
fn dated_tag(world: &World, name: &str, date: &str) {
    let out = std::process::Command::new("git")
        .args(["tag", "-a", name, "-m", name])
        .current_dir(&world.client)
        .envs(git_env(&world.sandbox))
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn older_than_goes_by_tagger_or_commit_date() {
    let world = World::daemon(&[]);
    dated_tag(&world, "nightly-2020", "2020-01-01T00:00:00Z");
    dated_tag(&world, "nightly-2021", "2021-06-01T00:00:00Z");
    // A lightweight tag: its commit's date (now).
    world.git(&world.client, &["tag", "nightly-now"]);
    world.git(&world.client, &["push", "-q", "origin", "--tags"]);

    let out = world.untag(&["nightly-*", "--older-than", "2022-01-01", "--yes"], 0);
    let err = stderr_of(&out);
    assert_contains(&err, "deleted nightly-2020 (local, origin)");
    assert_contains(&err, "keeping nightly-now: not older than");
    world.assert_tags(&["nightly-now"], &["nightly-now"]);
    // A duration back from now: the tag made a moment ago stays.
    let out = world.untag(&["nightly-*", "--older-than", "1 day"], 0);
    assert_stderr_contains(&out, "keeping nightly-now");
    assert_eq!(world.remote_tags(), strings(&["nightly-now"]));

    let out = world.untag(&["nightly-*", "--older-than", "last tuesday"], 2);
    assert_stderr_contains(&out, "expected a date");
}

#[test]
fn prune_local_removes_local_tags_the_remote_lacks() {
    let world = World::daemon(&["a", "b", "rc-1", "rc-2"]);
    world.git(
        &world.client,
        &["push", "-q", "origin", "--delete", "b", "rc-1", "rc-2"],
    );
    let out = world.untag(&["--prune-local", "-n"], 0);
    world.snapshot("untag_prune_local_plan", &stderr_of(&out));

    // With a pattern, only the matches; one tag needs no --yes.
    world.untag(&["--prune-local", "b"], 0);
    assert_eq!(world.local_tags(), strings(&["a", "rc-1", "rc-2"]));
    let out = world.untag(&["--prune-local", "rc-*"], 2);
    assert_stderr_contains(&out, "--yes");
    for transport in ["cli", "libgit2"] {
        world.untag(&["--prune-local", "--yes", "--transport", transport], 0);
    }
    world.assert_tags(&["a"], &["a"]);
}

/// `auto` falls back to the git executable when a libgit2 *push* cannot connect, not only its
/// listing: the host's push limit of 1 makes devkit reconnect, and that connection fails.
#[test]
fn auto_falls_back_when_a_libgit2_push_cannot_connect() {
    let http = http_world(&["t1", "t2", "t3"], Some("s3cret"));
    write_hook(
        &http.world.remote,
        "pre-receive",
        "n=$(wc -l | tr -d ' ')\n\
         if [ \"$n\" -gt 1 ]; then echo 'Pushes can not update more than 1 branches or tags.' >&2; exit 1; fi\n",
    );
    // The listing (GET) and the first push (POST) on libgit2's connection, then no more.
    http.server.fail_libgit2_after(2);
    let out = http
        .world
        .devkit()
        .args(["-v", "git", "untag", "--json", "t1", "t2", "t3"])
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_contains(&err, "libgit2's push failed");
    assert_contains(&err, "using the git executable");
    assert_eq!(json_of(&out)["transport"], "cli");
    assert!(http.world.local_tags().is_empty());
    assert!(http.world.remote_tags().is_empty());
}
