//! `devkit blog push/pull --target d1` through a real `wrangler d1 execute --local` (wrangler
//! 4.86, offline): the schema, the plan's rules, one transaction per push, long pages and
//! binary files byte for byte.

mod blog_support;
mod common;

use std::process::Output;

use blog_support::{Dev, worker_dir, wrangler, write_post};
use common::{Sandbox, snapshot_filters, stderr_of};

/// A blog project whose D1 database (binding DB of the reference Worker) lives in the sandbox.
struct D1Blog {
    sandbox: Sandbox,
    state: std::path::PathBuf,
}

impl D1Blog {
    fn new() -> Self {
        let sandbox = Sandbox::new();
        let state = sandbox.root().join("state");
        Self::with_state(sandbox, &state)
    }

    /// A project writing the local state at `state` (that of a `wrangler dev`).
    fn with_state(sandbox: Sandbox, state: &std::path::Path) -> Self {
        sandbox.write(
            "devkit.yaml",
            format!(
                "blog:\n  target: d1\n  d1:\n    binding: DB\n  wrangler:\n    bin: {}\n    config: {}\n    persist_to: {}\n",
                wrangler().display(),
                worker_dir().join("wrangler.jsonc").display(),
                state.display()
            ),
        );
        D1Blog {
            sandbox,
            state: state.to_path_buf(),
        }
    }

    fn devkit(&self, args: &[&str]) -> Output {
        self.sandbox
            .devkit()
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("WRANGLER_SEND_METRICS", "false")
            .args(["blog"])
            .args(args)
            .output()
            .unwrap()
    }

    fn push_json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.devkit(&[&["push", "--json"], args].concat());
        assert!(out.status.success(), "{}", stderr_of(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// `wrangler d1 execute DB --local --command SQL --json` as another tool would run it: the
    /// rows of its last statement.
    fn sql(&self, sql: &str) -> Vec<serde_json::Value> {
        let out = std::process::Command::new(wrangler())
            .args(["d1", "execute", "DB", "--local", "--json", "--config"])
            .arg(worker_dir().join("wrangler.jsonc"))
            .arg("--persist-to")
            .arg(&self.state)
            .args(["--command", sql])
            .env("HOME", self.sandbox.home())
            .env("WRANGLER_SEND_METRICS", "false")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        all.last().unwrap()["results"].as_array().unwrap().clone()
    }

    fn slugs(&self) -> Vec<String> {
        self.sql("SELECT slug FROM posts ORDER BY slug")
            .iter()
            .map(|r| r["slug"].as_str().unwrap().to_string())
            .collect()
    }
}

fn actions(report: &serde_json::Value) -> Vec<String> {
    report["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["action"].as_str().unwrap(),
                p["slug"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn push_edit_noop_prune_and_a_foreign_row_through_real_d1() {
    let blog = D1Blog::new();
    write_post(
        &blog.sandbox,
        "first",
        "It's the first",
        "published",
        "Hello 'world' 🦀",
    );
    write_post(&blog.sandbox, "second", "Second", "draft", "Two");

    let plan = blog.devkit(&["push", "-n"]);
    assert!(plan.status.success(), "{}", stderr_of(&plan));
    {
        let _filters = snapshot_filters(&blog.sandbox).bind_to_scope();
        insta::assert_snapshot!("blog_d1_dry_run", stderr_of(&plan));
    }
    assert!(
        blog.sql("SELECT name FROM sqlite_master WHERE name IN ('posts', 'devkit_meta')")
            .is_empty(),
        "a dry run creates nothing"
    );

    let first = blog.devkit(&["push"]);
    assert!(first.status.success(), "{}", stderr_of(&first));
    {
        let _filters = snapshot_filters(&blog.sandbox).bind_to_scope();
        insta::assert_snapshot!("blog_d1_first_push", stderr_of(&first));
    }
    assert_eq!(blog.slugs(), ["first", "second"]);
    assert_eq!(blog.sql("SELECT value FROM devkit_meta")[0]["value"], "1");

    write_post(
        &blog.sandbox,
        "second",
        "Second, edited",
        "published",
        "Two, again",
    );
    let edit = blog.push_json(&[]);
    assert_eq!(actions(&edit), ["unchanged first", "update second"]);
    let title = blog.sql("SELECT title FROM posts WHERE slug = 'second'");
    assert_eq!(title[0]["title"], "Second, edited");

    let noop = blog.push_json(&[]);
    assert_eq!(
        noop["wrangler_invocations"], 1,
        "a no-op push is one SELECT"
    );
    assert_eq!(actions(&noop), ["unchanged first", "unchanged second"]);

    // A row someone else wrote (no hash): kept by a push, a prune, and a conflict.
    blog.sql(
        "INSERT INTO posts (slug, title, status, date, hash, body, updated_at) \
         VALUES ('theirs', 'Theirs', 'published', '2024-01-01', NULL, 'they wrote this', '2024-01-01T00:00:00.000Z')",
    );
    std::fs::remove_file(blog.sandbox.work().join("posts/first.md")).unwrap();
    let pruned = blog.push_json(&["--prune"]);
    assert_eq!(
        actions(&pruned),
        ["unchanged second", "delete first", "remote-only theirs"]
    );
    assert_eq!(blog.slugs(), ["second", "theirs"]);
    let left = blog.sql("SELECT count(*) AS n FROM devkit_chunks WHERE key = 'first'");
    assert_eq!(left[0]["n"], 0, "a pruned post's chunks go with it");

    write_post(&blog.sandbox, "theirs", "Mine now", "published", "mine");
    let conflict = blog.devkit(&["push"]);
    assert_eq!(conflict.status.code(), Some(1), "{}", stderr_of(&conflict));
    let body = blog.sql("SELECT body FROM posts WHERE slug = 'theirs'");
    assert_eq!(body[0]["body"], "they wrote this");
    let forced = blog.push_json(&["--force"]);
    assert_eq!(actions(&forced), ["unchanged second", "update theirs"]);
}

#[test]
fn a_long_page_and_a_binary_file_round_trip_through_push_and_pull() {
    let blog = D1Blog::new();
    let line = "Ünïcødé 'quotes' and \"doubles\" 🦀 — a long paragraph of text.\n\n";
    let body = line.repeat(1_900_000 / line.len());
    assert!(body.len() > 1_850_000);
    blog.sandbox.write(
        "posts/long.md",
        format!("---\ntitle: Long\ndate: 2025-04-03\nstatus: published\n---\n{body}![every byte](bytes.png)\n"),
    );
    // Every byte value but NUL, as a file: a PNG header so it passes as an image.
    let mut file = b"\x89PNG\r\n\x1a\n".to_vec();
    file.extend((1..=255u8).cycle().take(300_000));
    blog.sandbox.write("posts/bytes.png", &file);
    let pushed = blog.push_json(&[]);
    assert_eq!(actions(&pushed), ["create long"]);

    let html = blog.sql("SELECT sum(length(CAST(data AS BLOB))) AS n FROM devkit_chunks WHERE key = 'long' AND part = 'html'");
    assert!(html[0]["n"].as_u64().unwrap() > 1_900_000, "{html:?}");

    let into = D1Blog::new();
    std::fs::copy(
        blog.sandbox.work().join("devkit.yaml"),
        into.sandbox.work().join("devkit.yaml"),
    )
    .unwrap();
    let out = into.devkit(&["pull"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let pulled = std::fs::read(into.sandbox.work().join("posts/long.md")).unwrap();
    assert!(pulled == std::fs::read(blog.sandbox.work().join("posts/long.md")).unwrap());
    let assets: Vec<_> = walk(&into.sandbox.work().join("posts"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    assert_eq!(assets.len(), 1, "{assets:?}");
    assert!(
        std::fs::read(&assets[0]).unwrap() == file,
        "the file comes back byte for byte"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_foreign_table_is_refused_and_a_failing_statement_writes_nothing() {
    let blog = D1Blog::new();
    write_post(&blog.sandbox, "a", "A", "published", "A");
    blog.sql("CREATE TABLE posts (slug TEXT PRIMARY KEY, body TEXT)");
    let refused = blog.devkit(&["push"]);
    assert_eq!(refused.status.code(), Some(1));
    {
        let _filters = snapshot_filters(&blog.sandbox).bind_to_scope();
        insta::assert_snapshot!("blog_d1_foreign_table", stderr_of(&refused));
    }
    let columns = blog.sql("SELECT name FROM pragma_table_info('posts')");
    assert_eq!(columns.len(), 2, "the table is never altered");

    // A database of devkit's whose trigger refuses one row: the whole push is one transaction.
    let blog = D1Blog::new();
    write_post(&blog.sandbox, "a", "A", "published", "A");
    blog.push_json(&[]);
    blog.sql(
        "CREATE TRIGGER refuse BEFORE INSERT ON posts WHEN NEW.slug = 'z' \
         BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END",
    );
    write_post(&blog.sandbox, "a", "A, edited", "published", "A2");
    write_post(&blog.sandbox, "b", "B", "published", "B");
    write_post(&blog.sandbox, "z", "Z", "published", "Z");
    let failed = blog.devkit(&["push"]);
    assert!(!failed.status.success());
    common::assert_stderr_contains(&failed, "refused by a trigger");
    common::assert_stderr_contains(&failed, "nothing of it was written");
    assert_eq!(blog.slugs(), ["a"]);
    assert_eq!(blog.sql("SELECT title FROM posts")[0]["title"], "A");
    let chunks = blog.sql("SELECT DISTINCT key FROM devkit_chunks");
    assert_eq!(chunks.len(), 1, "{chunks:?}");
}

#[test]
fn a_readable_blog_from_d1_in_a_real_browser() {
    wrangler();
    let dev = Dev::start_with(&["POSTS_SOURCE:d1"]);
    let blog = D1Blog::with_state(Sandbox::new(), dev.persist.path());
    let png = blog_support::write_readable_blog(&blog.sandbox);
    // A 1.9 MB page, by link only, served whole from its chunks.
    let line = "A long 'page' of Ünïcødé 🦀 text.\n\n";
    let body = line.repeat(1_900_000 / line.len());
    blog.sandbox.write(
        "posts/long.md",
        format!("---\ntitle: Long\ndate: 2025-04-03\nstatus: unlisted\n---\n{body}The end.\n"),
    );
    // A row someone else wrote, Markdown in its body: shown as text.
    blog.push_json(&[]);
    blog.sql(
        "INSERT INTO posts (slug, title, status, date, hash, body, updated_at) \
         VALUES ('theirs', 'Theirs', 'unlisted', '2024-01-01', NULL, '# Theirs', '2024-01-01T00:00:00.000Z')",
    );
    assert!(dev.get("/posts/theirs").1.contains("<pre># Theirs</pre>"));
    let (status, long) = dev.get("/posts/long");
    assert_eq!(status, 200);
    assert!(long.len() > 1_900_000 && long.contains("<p>The end.</p>"));
    assert_eq!(
        long.matches("A long 'page' of Ünïcødé 🦀 text.").count(),
        1_900_000 / line.len()
    );
    blog_support::assert_readable(&dev, &png);

    // DEVKIT_BLOG_SHOTS=dir keeps the screenshot for a person to look at.
    let shots = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("DEVKIT_BLOG_SHOTS").map(std::path::PathBuf::from);
    blog_support::assert_seen_in_chromium(&dev, keep.as_deref().unwrap_or(shots.path()));
}

#[test]
fn check_refuses_a_nul_byte_when_the_target_is_d1() {
    let blog = D1Blog::new();
    blog.sandbox.write(
        "posts/nul.md",
        "---\ntitle: Nul\ndate: 2025-04-03\n---\nbefore\0after\n",
    );
    let out = blog.devkit(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let _filters = snapshot_filters(&blog.sandbox).bind_to_scope();
    insta::assert_snapshot!("blog_d1_check_nul", stderr_of(&out));
}
