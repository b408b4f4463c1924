//! `devkit blog check/new/push`: validation, new posts, and pushes to real local Workers KV
//! (wrangler 4.86 + workerd, offline) served by the reference Worker in examples/blog-worker.

mod blog_support;
mod common;

use blog_support::{Blog, Canned, Dev, DoBlog, entry, wait_for_line, wrangler};
use common::{Sandbox, stderr_of, stdout_of};

// --- check and new -----------------------------------------------------------------------------

#[test]
fn check_prints_every_problem_at_its_line_and_exits_1() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "posts/ok.md",
        "---\ntitle: Fine\ndate: 2025-01-01\n---\nBody\n",
    );
    sandbox.write(
        "posts/bad.md",
        "---\ntitle: \"\"\ndate: 2025-02-30\nstatus: live\ncolor: red\n---\n",
    );
    sandbox.write(
        "posts/broken.md",
        "---\ntitle: [oops\ndate: 2025-01-01\n---\n",
    );
    sandbox.write("posts/open.md", "---\ntitle: Never closed\n");
    sandbox.write(
        "posts/dup.md",
        "---\ntitle: D\ndate: 2025-01-01\nslug: ok\n---\n",
    );
    sandbox.write("posts/latin1.md", b"---\ntitle: caf\xe9\n---\n");
    let out = sandbox.devkit().args(["blog", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    for expected in [
        "posts/bad.md:2: the title is empty",
        "posts/bad.md:3: date: expected a date such as 2025-04-03, found `2025-02-30`",
        "posts/bad.md:4: status: expected draft, unlisted or published, found `live`",
        "warning: posts/bad.md:5: unknown front-matter key `color`",
        "posts/broken.md:3: malformed YAML in the front matter: did not find expected ',' or ']' at line 3",
        "posts/open.md:1: the front matter opened here is not closed",
        "posts/dup.md:1: slug `ok` is also used by posts/ok.md",
        "posts/ok.md:1: slug `ok` is also used by posts/dup.md",
        "posts/latin1.md:2: the file is not valid UTF-8",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(stdout_of(&out).is_empty(), "problems go to stderr");

    let out = sandbox
        .devkit()
        .args(["blog", "check", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &json[0];
    assert_eq!(first["file"], "posts/bad.md");
    assert_eq!(first["line"], 2);
    assert_eq!(first["severity"], "error");
}

#[test]
fn check_passes_with_warnings_only() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "site/posts/a.mdx",
        "---\ntitle: A\ndate: 2025-01-01\nlayout: post\n---\n",
    );
    let out = sandbox
        .devkit()
        .args(["blog", "check", "--content", "site/posts"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("warning: site/posts/a.mdx:4: unknown front-matter key `layout`")
    );
}

#[test]
fn check_applies_the_limits_of_the_configured_target() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "posts/big.md",
        format!(
            "---\ntitle: Big\ndate: 2025-01-01\n---\n{}",
            "x".repeat(2_100_000)
        ),
    );
    let kv = sandbox.devkit().args(["blog", "check"]).output().unwrap();
    assert!(
        kv.status.success(),
        "a KV value holds 25 MiB: {}",
        stderr_of(&kv)
    );
    sandbox.write("devkit.yaml", "blog:\n  target: do\n");
    let out = sandbox.devkit().args(["blog", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("posts/big.md:1: the post would be a Durable Object row of more than"),
        "{err}"
    );
    assert!(err.contains("at most 2000000 bytes (2 MB)"), "{err}");
}

#[test]
fn check_names_a_missing_posts_directory() {
    let sandbox = Sandbox::new();
    let out = sandbox.devkit().args(["blog", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("cannot read the posts directory"));
    assert!(stderr_of(&out).contains("devkit blog new"));
}

#[test]
fn new_writes_a_draft_and_refuses_to_overwrite() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .devkit()
        .args(["blog", "new", "Using Durable Objects: a tour"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out), "posts/using-durable-objects-a-tour.md\n");
    let text =
        std::fs::read_to_string(sandbox.work().join("posts/using-durable-objects-a-tour.md"))
            .unwrap();
    assert!(text.starts_with("---\ntitle: 'Using Durable Objects: a tour'\ndate: "));
    assert!(text.contains("\nstatus: draft\n---\n"));
    let check = sandbox.devkit().args(["blog", "check"]).output().unwrap();
    assert!(
        check.status.success(),
        "a new post is valid: {}",
        stderr_of(&check)
    );

    let again = sandbox
        .devkit()
        .args(["blog", "new", "Using Durable Objects: a tour"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr_of(&again).contains("already exists"));

    sandbox.write(
        "posts/other.md",
        "---\ntitle: O\ndate: 2025-01-01\nslug: taken\n---\n",
    );
    let taken = sandbox
        .devkit()
        .args(["blog", "new", "Something", "--slug", "taken"])
        .output()
        .unwrap();
    assert_eq!(taken.status.code(), Some(1));
    assert!(stderr_of(&taken).contains("the slug `taken` is already used by posts/other.md"));
    assert_eq!(
        text,
        std::fs::read_to_string(sandbox.work().join("posts/using-durable-objects-a-tour.md"))
            .unwrap()
    );

    let bad = sandbox
        .devkit()
        .args(["blog", "new", "X", "--slug", "Not_A_Slug"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

// --- push without a server -----------------------------------------------------------------------

fn kv_project(sandbox: &Sandbox, extra: &str) {
    sandbox.write(
        "devkit.yaml",
        format!("blog:\n  kv:\n    binding: POSTS\n{extra}"),
    );
    sandbox.write(
        "posts/hello.md",
        "---\ntitle: Hello\ndate: 2025-01-01\nstatus: published\n---\nHi\n",
    );
}

#[test]
fn push_without_wrangler_says_how_to_install_it() {
    let sandbox = Sandbox::new();
    kv_project(&sandbox, "");
    let empty = sandbox.root().join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let out = sandbox
        .devkit()
        .args(["blog", "push"])
        .env("PATH", &empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("wrangler not found"), "{err}");
    assert!(err.contains("npm install --save-dev wrangler"), "{err}");

    let missing = sandbox.root().join("nowhere/wrangler");
    kv_project(
        &sandbox,
        &format!("  wrangler:\n    bin: {}\n", missing.display()),
    );
    let out = sandbox.devkit().args(["blog", "push"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("blog.wrangler.bin, from"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_failing_wrangler_stops_the_push_with_its_message() {
    // A stand-in for wrangler: real wrangler cannot be made to fail a bulk put on demand, so
    // this script answers the listing like wrangler (an empty namespace) and fails the write
    // the way wrangler reports a KV error (not a 500, which is a busy local state, waited out). It also records its arguments and environment.
    let sandbox = Sandbox::new();
    let log = sandbox.root().join("argv.log");
    let script = sandbox.write(
        "fake-wrangler",
        format!(
            "#!/bin/sh\necho \"$* metrics=$WRANGLER_SEND_METRICS cf=$CLOUDFLARE_CF_FETCH_ENABLED\" >> '{}'\n\
             case \"$*\" in\n  *'kv key list'*) echo '[]'; exit 0 ;;\nesac\n\
             echo 'X [ERROR] KV PUT failed: 413 Payload Too Large' >&2\nexit 1\n",
            log.display()
        ),
    );
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    kv_project(
        &sandbox,
        "    prefix: p-\n  wrangler:\n    bin: fake-wrangler\n    env: staging\n    persist_to: state\n",
    );
    let out = sandbox
        .devkit()
        .args(["blog", "push"])
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", sandbox.work().display()),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("phase 1 of 1 (write) failed; nothing was changed"),
        "{err}"
    );
    assert!(
        err.contains("wrangler kv bulk put failed (exit code 1)"),
        "{err}"
    );
    assert!(
        err.contains("KV PUT failed: 413 Payload Too Large"),
        "{err}"
    );

    let calls = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = calls.lines().collect();
    assert_eq!(lines.len(), 2, "one list, one bulk put: {calls}");
    let state = sandbox.work().join("state");
    assert!(
        lines[0].starts_with(
            "kv key list --prefix p- --binding POSTS --env staging --local --persist-to"
        ),
        "{calls}"
    );
    assert!(lines[0].contains(&state.display().to_string()), "{calls}");
    assert!(lines[1].starts_with("kv bulk put "), "{calls}");
    assert!(calls.contains("metrics=false cf=false"), "{calls}");
}

#[test]
fn the_durable_object_target_needs_its_url_and_token() {
    let sandbox = Sandbox::new();
    kv_project(&sandbox, "");
    let out = sandbox
        .devkit()
        .args(["blog", "push", "--target", "do"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("set blog.do.url"),
        "{}",
        stderr_of(&out)
    );

    sandbox.write(
        "devkit.yaml",
        "blog:\n  target: do\n  do:\n    url: http://127.0.0.1:9/admin/api\n    token_env: MY_BLOG_TOKEN\n",
    );
    let out = sandbox.devkit().args(["blog", "push"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("the environment variable MY_BLOG_TOKEN is not set"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn push_needs_a_namespace() {
    let sandbox = Sandbox::new();
    sandbox.write("posts/a.md", "---\ntitle: A\ndate: 2025-01-01\n---\n");
    let out = sandbox.devkit().args(["blog", "push"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("blog.kv.binding"));

    sandbox.write(
        "devkit.yaml",
        "blog:\n  kv:\n    binding: POSTS\n    namespace_id: abc\n",
    );
    let out = sandbox.devkit().args(["blog", "push"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("devkit.yaml:3) or blog.kv.namespace_id"),
        "{}",
        stderr_of(&out)
    );
}

// --- push against wrangler dev ---------------------------------------------------------------------

type Scenario = fn(&Dev);

/// One `wrangler dev` for every scenario: each publishes under its own key prefix. They run
/// one after another because local KV rejects concurrent writers (wrangler answers 500).
#[test]
fn pushes_to_local_kv_served_by_the_reference_worker() {
    wrangler();
    let dev = Dev::start();
    let scenarios: &[(&str, Scenario)] = &[
        (
            "first push, edit, dry run, invalid posts, rename, prune",
            publish_edit_rename_prune,
        ),
        ("staged publish, interrupted and resumed", staged_publish),
        (
            "conflict with a foreign key, then --force",
            conflict_then_force,
        ),
        (
            "more keys than one local listing returns",
            beyond_the_listing_cap,
        ),
    ];
    let mut failed = Vec::new();
    for (name, scenario) in scenarios {
        let started = std::time::Instant::now();
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| scenario(&dev))).is_err() {
            failed.push(*name);
        }
        eprintln!("scenario {name:?}: {:.1?}", started.elapsed());
    }
    assert!(
        failed.is_empty(),
        "failed scenarios: {failed:?}\nwrangler dev log:\n{}",
        dev.log_text()
    );
}

fn publish_edit_rename_prune(dev: &Dev) {
    let blog = Blog::new(dev, "a-");
    blog.post("hello", "Hello", "published", "Hello body");
    blog.post("secret", "Secret", "unlisted", "Secret body");
    blog.post("draft", "Draft", "draft", "Draft body");

    // First push: published is listed, unlisted reachable but not listed, draft 404.
    let report = blog.push_json(&[]);
    assert_eq!(report["location"], "local");
    assert_eq!(report["summary"]["create"], 3, "{report:#}");
    assert_eq!(report["wrangler_invocations"], 2, "one list, one bulk put");
    assert_eq!(entry(&report, "a-hello")["outcome"], "done");
    let (status, body) = blog.page("hello");
    assert_eq!(status, 200);
    assert!(body.contains("Hello body"), "{body}");
    assert!(blog.listed("hello"));
    assert_eq!(blog.page("secret").0, 200);
    assert!(!blog.listed("secret"));
    assert_eq!(blog.page("draft").0, 404);
    assert!(!blog.listed("draft"));

    // Nothing changed: one listing, no write.
    let report = blog.push_json(&[]);
    assert_eq!(report["summary"]["unchanged"], 3);
    assert_eq!(report["wrangler_invocations"], 1);
    assert_eq!(report["phases"], serde_json::json!([]));

    // --dry-run shows the edit and writes nothing.
    blog.post("hello", "Hello", "published", "Hello body, edited");
    let report = blog.push_json(&["--dry-run"]);
    assert_eq!(entry(&report, "a-hello")["action"], "update");
    assert_eq!(entry(&report, "a-hello")["outcome"], "planned");
    assert!(blog.page("hello").1.contains("<p>Hello body</p>"));

    // Invalid posts: nothing is pushed, not even the valid edit.
    blog.sandbox
        .write("posts/bad.md", "---\ntitle: Bad\ndate: someday\n---\n");
    let out = blog.push(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("posts/bad.md:3: date: expected a date"),
        "{err}"
    );
    assert!(err.contains("nothing was pushed"), "{err}");
    assert!(blog.page("hello").1.contains("<p>Hello body</p>"));
    std::fs::remove_file(blog.sandbox.work().join("posts/bad.md")).unwrap();

    // Edit one post: only it is rewritten.
    let report = blog.push_json(&[]);
    assert_eq!(report["summary"]["update"], 1, "{report:#}");
    assert_eq!(report["summary"]["unchanged"], 2);
    let phases = report["phases"].as_array().unwrap();
    assert_eq!(phases.len(), 1);
    assert_eq!(phases[0]["keys"], serde_json::json!(["a-hello"]));
    assert!(blog.page("hello").1.contains("Hello body, edited"));

    // Rename a slug: the old key is remote-only (kept) until --prune.
    let work = blog.sandbox.work();
    std::fs::rename(
        work.join("posts/hello.md"),
        work.join("posts/hello-again.md"),
    )
    .unwrap();
    let report = blog.push_json(&[]);
    assert_eq!(entry(&report, "a-hello-again")["action"], "create");
    assert_eq!(entry(&report, "a-hello")["action"], "remote-only");
    assert_eq!(blog.page("hello").0, 200);
    assert!(blog.listed("hello-again"));

    let report = blog.push_json(&["--prune"]);
    assert_eq!(entry(&report, "a-hello")["action"], "delete");
    assert_eq!(entry(&report, "a-hello")["outcome"], "done");
    assert_eq!(blog.page("hello").0, 404);
    assert!(!blog.listed("hello"));
    assert_eq!(blog.page("hello-again").0, 200);
}

fn staged_publish(dev: &Dev) {
    let blog = Blog::new(dev, "st-");

    // Interrupted: killed while waiting between the phases.
    blog.post("later", "Later", "published", "Later body");
    let mut child = blog.spawn_push(&["--stage", "--settle", "1h"]);
    let seen = wait_for_line(&mut child, "waiting");
    assert!(seen.contains("staged"), "{seen}");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(blog.page("later").0, 200, "written as unlisted");
    assert!(!blog.listed("later"), "not in the index before it settles");

    // The next push sees staged_at and only flips (the 1 s settle has passed by now).
    let report = blog.push_json(&["--stage", "--settle", "1s"]);
    let item = entry(&report, "st-later");
    assert_eq!(item["note"], "finishing a staged publish", "{report:#}");
    let names: Vec<&str> = report["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"write"),
        "no rewrite when resuming: {names:?}"
    );
    assert_eq!(names.last(), Some(&"publish"));
    assert!(blog.listed("later"));

    // A full staged publish: unlisted between the phases, published after.
    blog.post("fresh", "Fresh", "published", "Fresh body");
    let mut child = blog.spawn_push(&["--stage", "--settle", "8s"]);
    wait_for_line(&mut child, "waiting");
    let (status, body) = blog.page("fresh");
    assert_eq!(status, 200);
    assert!(body.contains("Fresh body"));
    assert!(!blog.listed("fresh"), "unlisted while KV settles");
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(blog.listed("fresh"));

    // A staged prune: out of the index first (value kept), deleted after the settle time.
    std::fs::remove_file(blog.sandbox.work().join("posts/fresh.md")).unwrap();
    let mut child = blog.spawn_push(&["--prune", "--stage", "--settle", "8s"]);
    wait_for_line(&mut child, "waiting");
    let (status, body) = blog.page("fresh");
    assert_eq!(status, 200, "still reachable while it leaves the index");
    assert!(body.contains("Fresh body"), "its value is kept: {body}");
    assert!(!blog.listed("fresh"));
    assert!(child.wait().unwrap().success());
    assert_eq!(blog.page("fresh").0, 404);
    assert!(blog.listed("later"));
}

fn conflict_then_force(dev: &Dev) {
    let blog = Blog::new(dev, "cf-");
    // A key someone else wrote, with raw wrangler.
    let out = blog.wrangler_kv(["key", "put", "cf-taken", "foreign value"]);
    assert!(out.status.success(), "{}", stderr_of(&out));

    blog.post("taken", "Taken", "published", "Mine");
    blog.post("free", "Free", "published", "Free body");
    let out = blog.push(&["--json"]);
    assert_eq!(out.status.code(), Some(1), "a conflict fails the push");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(entry(&report, "cf-taken")["action"], "conflict");
    assert_eq!(entry(&report, "cf-taken")["outcome"], "skipped");
    assert_eq!(entry(&report, "cf-free")["outcome"], "done");
    assert!(stderr_of(&out).contains("--force"));
    assert_eq!(blog.page("taken").0, 404, "the foreign value is left alone");
    assert_eq!(blog.page("free").0, 200);

    let report = blog.push_json(&["--force"]);
    assert_eq!(entry(&report, "cf-taken")["action"], "update");
    assert_eq!(entry(&report, "cf-taken")["foreign"], true);
    let (status, body) = blog.page("taken");
    assert_eq!(status, 200);
    assert!(body.contains("Mine"));
}

fn beyond_the_listing_cap(dev: &Dev) {
    // `wrangler kv key list --local` stops at 1000 keys; the last post sorts after them.
    let blog = Blog::new(dev, "cap-");
    for i in 0..1000 {
        blog.sandbox.write(
            format!("posts/a{i:04}.md"),
            format!("---\ntitle: Post {i}\ndate: 2025-01-01\n---\nbody {i}\n"),
        );
    }
    blog.post("zz-last", "Last", "published", "The last one");
    let report = blog.push_json(&[]);
    assert_eq!(report["summary"]["create"], 1001);

    let report = blog.push_json(&[]);
    assert_eq!(
        report["summary"]["unchanged"], 1001,
        "every key seen: {}",
        report["summary"]
    );
    assert_eq!(report["phases"], serde_json::json!([]));
    assert_eq!(
        report["wrangler_invocations"], 2,
        "the full listing, then one prefix"
    );
    assert!(blog.listed("zz-last"));
}

// --- push to the Durable Object ----------------------------------------------------------------

/// Distinctive, so that any leak into devkit's output is found.
const TOKEN: &str = "tok-5e1f0c9a-never-printed";

/// Every stream devkit wrote in `out`, for the token-leak check.
fn all_output(out: &std::process::Output) -> String {
    format!("{}{}", stdout_of(out), stderr_of(out))
}

/// One `wrangler dev` serving pages from its Durable Object (POSTS_SOURCE=do), the admin API
/// guarded by TOKEN. The steps share one Durable Object, so they run in order, as one story.
#[test]
fn pushes_to_a_durable_object_served_by_the_reference_worker() {
    wrangler();
    let token_var = format!("ADMIN_TOKEN:{TOKEN}");
    let dev = Dev::start_with(&[&token_var, "POSTS_SOURCE:do"]);
    let mut seen = String::new(); // every byte devkit printed, for the token-leak check
    let blog = DoBlog::new(&dev, TOKEN);
    blog.post("hello", "Hello", "published", "Hello body");
    blog.post("secret", "Secret", "unlisted", "Secret body");
    blog.post("draft", "Draft", "draft", "Draft body");

    // First push: one GET, one POST; pages reflect it at once (no staging, no settle time).
    let out = blog.push(&["--json", "-vv"]);
    seen += &all_output(&out);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["target"], "do");
    assert_eq!(report["summary"]["create"], 3);
    assert_eq!(report["http_requests"], 2, "{report:#}");
    assert_eq!(report["phases"].as_array().unwrap().len(), 1);
    assert_eq!(report["phases"][0]["name"], "batch");
    assert!(blog.listed("hello"));
    assert!(!blog.listed("secret") && !blog.listed("draft"));
    let (status, body) = blog.page("hello");
    assert_eq!(status, 200);
    assert!(body.contains("Hello body"));
    assert_eq!(blog.page("secret").0, 200, "unlisted is reachable by link");
    assert_eq!(blog.page("draft").0, 404);
    let rows = blog.rows(TOKEN);
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert_eq!(rows[0]["slug"], "draft");
    assert_eq!(rows[0]["hash"].as_str().unwrap().len(), 64);

    // A no-op push is one GET, counted by the Worker too: so far the first push's GET and
    // POST, and the listing above.
    let report = blog.push_json(&[]);
    assert_eq!(report["http_requests"], 1);
    assert_eq!(report["summary"]["unchanged"], 3);
    assert!(report["phases"].as_array().unwrap().is_empty());
    wait_for(|| dev.logged("GET /admin/api/posts ") == 3, &dev);
    assert_eq!(dev.logged("POST /admin/api/posts/batch"), 1);

    // Edit one post, publish the draft: both in one batch, visible at once.
    blog.post("hello", "Hello", "published", "Hello body, edited");
    blog.post("draft", "Draft", "published", "Draft body");
    let report = blog.push_json(&[]);
    assert_eq!(report["summary"]["update"], 2, "{report:#}");
    assert_eq!(entry(&report, "draft")["from"], "draft");
    assert_eq!(entry(&report, "draft")["staged"], false);
    assert!(blog.page("hello").1.contains("Hello body, edited"));
    assert!(blog.listed("draft"));

    // A removed post stays without --prune; --dry-run changes nothing; --prune deletes it.
    std::fs::remove_file(blog.sandbox.work().join("posts/secret.md")).unwrap();
    let report = blog.push_json(&[]);
    assert_eq!(entry(&report, "secret")["action"], "remote-only");
    let report = blog.push_json(&["--prune", "--dry-run"]);
    assert_eq!(entry(&report, "secret")["outcome"], "planned");
    assert_eq!(blog.page("secret").0, 200);
    let report = blog.push_json(&["--prune"]);
    assert_eq!(entry(&report, "secret")["outcome"], "done");
    assert_eq!(report["http_requests"], 2);
    assert_eq!(blog.page("secret").0, 404);

    // A wrong token: exit 1, nothing written.
    blog.post("new", "New", "published", "New body");
    let before = blog.rows(TOKEN);
    let out = blog.push_with_token("not-the-token", &["-vv"]);
    seen += &all_output(&out);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("401 Unauthorized"), "{err}");
    assert!(err.contains("ADMIN_TOKEN"), "{err}");
    assert!(!err.contains("not-the-token"), "{err}");
    assert_eq!(blog.rows(TOKEN), before);
    assert_eq!(blog.page("new").0, 404);
    let (status, _) = dev.admin("GET", "/posts", None, None);
    assert_eq!(status, 401, "no token, no listing");

    // A post over a Durable Object row's 2 MB: refused before any request, naming the file.
    blog.sandbox.write(
        "posts/huge.md",
        format!(
            "---\ntitle: Huge\ndate: 2025-01-01\n---\n{}",
            "x".repeat(2_000_001)
        ),
    );
    let out = blog.push(&["-vv"]);
    seen += &all_output(&out);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("posts/huge.md:1: the post would be a"),
        "{err}"
    );
    assert!(!err.contains("http: GET"), "validation comes first: {err}");
    std::fs::remove_file(blog.sandbox.work().join("posts/huge.md")).unwrap();

    // Transaction: a batch whose last item is invalid (the Worker rejects it) leaves every row
    // as it was. devkit validates items itself and never sends such a batch, so the test
    // sends it directly.
    let rows = blog.rows(TOKEN);
    let hash = "0".repeat(64);
    let batch = serde_json::json!({
        "upsert": [
            {"slug": "tx-new", "title": "T", "status": "published", "date": "2025-01-01", "hash": hash, "body": "t"},
            {"slug": "hello", "title": "Overwritten", "status": "published", "date": "2025-01-01", "hash": hash, "body": "o"},
            {"slug": "tx-bad", "title": "", "status": "published", "date": "2025-01-01", "hash": hash, "body": "b"},
        ],
        "delete": ["draft"],
    });
    let (status, answer) = dev.admin(
        "POST",
        "/posts/batch",
        Some(TOKEN),
        Some(&batch.to_string()),
    );
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("upsert[2]: title"), "{answer}");
    assert_eq!(blog.rows(TOKEN), rows, "nothing of the batch was applied");
    assert!(blog.page("hello").1.contains("Hello body, edited"));
    assert_eq!(blog.page("tx-new").0, 404);

    // Nothing listens: exit 1 after the retries, saying so.
    let port = blog_support::free_port();
    let unreachable = DoBlog::new(&dev, TOKEN);
    unreachable.sandbox.write(
        "devkit.yaml",
        format!("blog:\n  target: do\n  do:\n    url: http://127.0.0.1:{port}/admin/api\n"),
    );
    unreachable.post("a", "A", "published", "A");
    let out = unreachable.push(&["-vv"]);
    seen += &all_output(&out);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("cannot reach the blog Worker's admin API"),
        "{err}"
    );
    assert!(err.contains("failed 4 times"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");

    // The Worker, but not its admin API: a 404 that names the URL key.
    unreachable.sandbox.write(
        "devkit.yaml",
        format!(
            "blog:\n  target: do\n  do:\n    url: {}\n",
            dev.url("/admin")
        ),
    );
    let out = unreachable.push(&[]);
    seen += &all_output(&out);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("no admin API at"), "{err}");
    assert!(err.contains("check blog.do.url (from"), "{err}");

    // http:// to a host that is not this machine (TEST-NET-1, never contacted): refused before
    // any connection, as a usage error.
    unreachable.sandbox.write(
        "devkit.yaml",
        "blog:\n  target: do\n  do:\n    url: http://192.0.2.1:8787/admin/api\n",
    );
    let out = unreachable.push(&["-vv", "--json"]);
    seen += &all_output(&out);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("not this machine"), "{err}");
    assert!(err.contains("--allow-insecure-http"), "{err}");
    assert!(!err.contains("http: GET"), "{err}");
    assert!(stdout_of(&out).is_empty());

    // A foreign row (no hash: written by the site's own code, here straight into SQLite while
    // wrangler dev is stopped) is a conflict, then --force overwrites it. The data survives
    // the restart.
    let rows = blog.rows(TOKEN);
    dev.stop_for(|persist| insert_foreign_row(persist, "new", "Theirs"));
    assert_eq!(
        blog.rows(TOKEN).as_array().unwrap().len(),
        rows.as_array().unwrap().len() + 1
    );
    assert!(
        blog.page("hello").1.contains("Hello body, edited"),
        "served after a restart"
    );
    assert!(blog.listed("new"), "the foreign row is served as it is");
    let out = blog.push(&["--json"]);
    seen += &all_output(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(entry(&report, "new")["action"], "conflict");
    assert!(stderr_of(&out).contains("devkit did not write it"));
    assert!(blog.page("new").1.contains("Theirs"));
    let out = blog.push(&["--force", "--json", "-vv"]);
    seen += &all_output(&out);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(blog.page("new").1.contains("New body"));

    dev.restart();
    assert_eq!(
        blog.rows(TOKEN).as_array().unwrap().len(),
        3,
        "hello, draft and new survive a restart"
    );
    let report = blog.push_json(&[]);
    assert_eq!(report["summary"]["unchanged"], 3, "{report:#}");

    assert!(!seen.contains(TOKEN), "the token leaked:\n{seen}");
    assert!(seen.contains("http: POST"), "-vv showed the requests");
}

/// Wait (bounded) until `ready` holds: the Worker writes its log line after answering.
fn wait_for(ready: impl Fn() -> bool, dev: &Dev) {
    for _ in 0..100 {
        if ready() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        ready(),
        "the condition did not hold within 5 s; wrangler dev log:\n{}",
        dev.log_text()
    );
}

/// Insert a row the admin API did not write (no hash) into the Durable Object's SQLite file.
fn insert_foreign_row(persist: &std::path::Path, slug: &str, title: &str) {
    let dir = persist.join("v3/do/devkit-blog-worker-BlogPosts");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "sqlite")
                && p.file_name().is_some_and(|n| n != "metadata.sqlite")
        })
        .unwrap_or_else(|| panic!("no Durable Object database in {}", dir.display()));
    let sql = format!(
        "INSERT INTO posts (slug, title, status, date, hash, body, updated_at) \
         VALUES ('{slug}', '{title}', 'published', '2024-01-01', NULL, '{title} wrote this', '2024-01-01T00:00:00.000Z');"
    );
    let status = std::process::Command::new("sqlite3")
        .arg(&file)
        .arg(sql)
        .status()
        .expect("sqlite3 (apt install sqlite3) writes the foreign row");
    assert!(status.success());
}

/// devkit against a stand-in admin API: the faults wrangler dev cannot be made to produce.
fn canned_project(port: u16) -> DoBlog<'static> {
    // No Worker behind it: these tests read no pages.
    let sandbox = Sandbox::new();
    sandbox.write(
        "devkit.yaml",
        format!("blog:\n  target: do\n  do:\n    url: http://127.0.0.1:{port}/admin/api/\n"),
    );
    sandbox.write(
        "posts/a.md",
        "---\ntitle: A\ndate: 2025-01-01\nstatus: published\n---\nA\n",
    );
    DoBlog::detached(sandbox, TOKEN)
}

#[test]
fn retries_on_503_and_429_then_succeeds() {
    let server = Canned::start(vec![
        (503, "", "warming up"),
        (
            200,
            "content-type: application/json\r\n",
            r#"{"posts":[],"assets":[]}"#,
        ),
        (429, "retry-after: 1\r\n", "slow down"),
        (
            200,
            "content-type: application/json\r\n",
            r#"{"upserted":1,"deleted":0}"#,
        ),
    ]);
    let blog = canned_project(server.port);
    let out = blog.push(&["--json", "-vv"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["http_requests"], 4);
    assert!(!all_output(&out).contains(TOKEN));
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(
        server.requests(),
        vec![
            format!("GET /admin/api/posts | {bearer}"),
            format!("GET /admin/api/posts | {bearer}"),
            format!("POST /admin/api/posts/batch | {bearer}"),
            format!("POST /admin/api/posts/batch | {bearer}"),
        ]
    );
}

#[test]
fn an_answer_outside_the_contract_is_named() {
    let server = Canned::start(vec![(
        200,
        "content-type: text/html\r\n",
        "<html>hi</html>",
    )]);
    let blog = canned_project(server.port);
    let out = blog.push(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("answered 200 with something that is not the admin API's JSON"),
        "{err}"
    );
    assert!(err.contains("it began: <html>hi</html>"), "{err}");
    assert_eq!(server.requests().len(), 1, "no write after a bad listing");

    let server = Canned::start(vec![
        (200, "", r#"{"posts":[],"assets":[]}"#),
        (200, "", r#"{"upserted":0,"deleted":0}"#),
    ]);
    let blog = canned_project(server.port);
    let out = blog.push(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("0 upserted of 1 sent"),
        "{}",
        stderr_of(&out)
    );
}

// --- a blog people can read: rendered pages, assets, tags, the feed, a real browser -----------

#[test]
fn a_readable_blog_from_kv_in_a_real_browser() {
    wrangler();
    let dev = Dev::start();
    let blog = Blog::new(&dev, "");
    let png = blog_support::write_readable_blog(&blog.sandbox);

    // A missing file is an error at its line; push stops before any wrangler call.
    blog.sandbox.write(
        "posts/broken.md",
        "---\ntitle: Broken\ndate: 2025-01-01\nstatus: published\n---\n\n![gone](pics/gone.png)\n",
    );
    let out = blog.devkit().args(["blog", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("posts/broken.md:7: `pics/gone.png` links") && err.contains("no such file"),
        "{err}"
    );
    let out = blog.push(&["-v"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("posts/broken.md:7:") && err.contains("nothing was pushed"),
        "{err}"
    );
    assert!(!err.contains("wrangler ran"), "no wrangler call: {err}");
    assert_eq!(dev.get("/posts/tour").0, 404, "nothing was written");
    std::fs::remove_file(blog.sandbox.work().join("posts/broken.md")).unwrap();

    let out = blog.devkit().args(["blog", "check"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));

    // First push: 4 posts rendered, the three files in the same bulk put.
    let report = blog.push_json(&[]);
    assert_eq!(report["summary"]["create"], 4, "{report:#}");
    assert_eq!(report["rendered"], 4);
    assert_eq!(report["wrangler_invocations"], 2);
    assert_eq!(report["phases"][0]["assets"].as_array().unwrap().len(), 3);
    blog_support::assert_readable(&dev, &png);

    // The source key gives the file back byte for byte.
    let out = blog.wrangler_kv(["key", "get", "~source/tour"]);
    let source: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout_of(&out)));
    assert_eq!(
        source["text"].as_str().unwrap(),
        std::fs::read_to_string(blog.sandbox.work().join("posts/tour.md")).unwrap()
    );
    assert_eq!(source["path"], "tour.md");
    assert_eq!(
        source["assets"]["./img/square.png"],
        blog_support::asset_name(&png, "png")
    );

    // A no-op push: one listing, nothing rendered.
    let report = blog.push_json(&[]);
    assert_eq!(report["wrangler_invocations"], 1, "{report:#}");
    assert_eq!(report["rendered"], 0);
    assert_eq!(report["summary"]["unchanged"], 4);

    // What devkit last pushed here (a hint in its cache) only decides what is rendered while
    // the listing runs. With the posts deleted behind devkit's back, the hint still vouches
    // for them, so nothing is rendered ahead, and the listing has the next push write them all.
    let keys: Vec<&str> = report["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    blog.sandbox
        .write("gone.json", serde_json::to_string(&keys).unwrap());
    let out = blog.wrangler_kv([
        std::ffi::OsStr::new("bulk"),
        "delete".as_ref(),
        blog.sandbox.work().join("gone.json").as_os_str(),
        "--force".as_ref(),
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = blog.push(&["--json", "-v"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["summary"]["create"], 4, "{again:#}");
    assert_eq!(again["rendered"], 4);
    assert!(
        stderr_of(&out).contains("rendered 4 posts (0 while listing"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(dev.get("/posts/tour").0, 200);

    // DEVKIT_BLOG_SHOTS=dir keeps the screenshot for a person to look at.
    let shots = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("DEVKIT_BLOG_SHOTS").map(std::path::PathBuf::from);
    blog_support::assert_seen_in_chromium(&dev, keep.as_deref().unwrap_or(shots.path()));

    // A key in format 1 (Markdown value) is shown as text, then rewritten once.
    blog.sandbox.write(
        "old.json",
        serde_json::json!([{"key": "old", "value": "# Old\n\nOld **markdown**\n",
            "metadata": {"devkit": 1, "hash": "0".repeat(64), "title": "Old", "status": "published", "date": "2024-01-01"}}])
        .to_string(),
    );
    let out = blog.wrangler_kv([
        std::ffi::OsStr::new("bulk"),
        "put".as_ref(),
        blog.sandbox.work().join("old.json").as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(dev.get("/posts/old").1.contains("<pre># Old"));
    blog.sandbox.write(
        "posts/old.md",
        "---\ntitle: Old\ndate: 2024-01-01\nstatus: published\n---\n# Old\n\nOld **markdown**\n",
    );
    let report = blog.push_json(&[]);
    let old = entry(&report, "old");
    assert_eq!(old["action"], "update", "{report:#}");
    assert!(old["note"].as_str().unwrap().contains("format 1"), "{old}");
    assert_eq!(report["rendered"], 1);
    let (_, page) = dev.get("/posts/old");
    assert!(page.contains("<strong>markdown</strong>"), "{page}");
    assert_eq!(blog.push_json(&[])["rendered"], 0, "rewritten once");

    // --prune: the tour goes, then the files only it linked.
    std::fs::remove_file(blog.sandbox.work().join("posts/tour.md")).unwrap();
    let report = blog.push_json(&["--prune"]);
    assert_eq!(entry(&report, "tour")["action"], "delete");
    let image = blog_support::asset_name(&png, "png");
    assert_eq!(dev.get("/posts/tour").0, 404);
    assert_eq!(dev.get(&format!("/assets/{image}")).0, 404, "{report:#}");
    let deleted: Vec<String> = report["phases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["keys"].as_array().cloned().unwrap_or_default())
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert!(deleted.contains(&"~source/tour".to_string()), "{deleted:?}");
    assert_eq!(dev.get("/posts/second").0, 200);
}

#[test]
fn a_readable_blog_from_the_durable_object() {
    wrangler();
    let token_var = format!("ADMIN_TOKEN:{TOKEN}");
    let dev = Dev::start_with(&[&token_var, "POSTS_SOURCE:do"]);
    let blog = DoBlog::new(&dev, TOKEN);

    // A row in format 1 (Markdown body, no HTML), as an older devkit wrote it: shown as text.
    let old = serde_json::json!({"upsert": [{"slug": "old", "title": "Old", "status": "unlisted",
        "date": "2024-01-01", "hash": "0".repeat(64), "body": "# Old\n\nOld **markdown**\n"}]});
    let (status, answer) = dev.admin("POST", "/posts/batch", Some(TOKEN), Some(&old.to_string()));
    assert_eq!(status, 200, "{answer}");
    assert!(blog.page("old").1.contains("<pre># Old"));
    assert_eq!(blog.rows(TOKEN)[0]["devkit"], 1);

    let png = blog_support::write_readable_blog(&blog.sandbox);
    blog.sandbox.write(
        "posts/old.md",
        "---\ntitle: Old\ndate: 2024-01-01\nstatus: unlisted\n---\n# Old\n\nOld **markdown**\n",
    );
    let report = blog.push_json(&[]);
    assert_eq!(report["summary"]["create"], 4, "{report:#}");
    assert_eq!(report["rendered"], 5);
    assert_eq!(report["http_requests"], 2, "one listing, one batch");
    assert_eq!(report["phases"][0]["assets"].as_array().unwrap().len(), 3);
    let old = entry(&report, "old");
    assert!(old["note"].as_str().unwrap().contains("format 1"), "{old}");
    assert!(blog.page("old").1.contains("<strong>markdown</strong>"));
    blog_support::assert_readable(&dev, &png);

    let listing = blog.listing(TOKEN);
    assert_eq!(
        listing["assets"].as_array().unwrap().len(),
        3,
        "{listing:#}"
    );
    assert!(
        listing["posts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["devkit"] == 2)
    );

    // A no-op push is the one listing and renders nothing.
    let report = blog.push_json(&[]);
    assert_eq!(report["http_requests"], 1);
    assert_eq!(report["rendered"], 0);
    assert_eq!(report["summary"]["unchanged"], 5);

    // /export: every source, byte for byte, and every file.
    let (status, body) = dev.admin("GET", "/export", Some(TOKEN), None);
    assert_eq!(status, 200);
    let export: serde_json::Value = serde_json::from_str(&body).unwrap();
    let tour = export["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "tour")
        .unwrap();
    assert_eq!(
        tour["source"]["text"].as_str().unwrap(),
        std::fs::read_to_string(blog.sandbox.work().join("posts/tour.md")).unwrap()
    );
    let image = blog_support::asset_name(&png, "png");
    let file = export["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == image.as_str())
        .unwrap();
    assert_eq!(
        base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            file["data"].as_str().unwrap()
        )
        .unwrap(),
        png
    );
    assert_eq!(dev.admin("GET", "/export", None, None).0, 401);

    // --prune: the tour and then its files, in one transaction.
    std::fs::remove_file(blog.sandbox.work().join("posts/tour.md")).unwrap();
    let report = blog.push_json(&["--prune"]);
    assert_eq!(entry(&report, "tour")["action"], "delete");
    assert_eq!(dev.get(&format!("/assets/{image}")).0, 404);
    assert!(blog.listing(TOKEN)["assets"].as_array().unwrap().is_empty());
    assert_eq!(blog.page("second").0, 200);
}
