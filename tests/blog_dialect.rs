//! Other generators' posts read in place, and `devkit blog pull` (then adoption by `push`),
//! against real wrangler 4.86 local state and `wrangler dev` serving the reference Worker.

mod blog_support;
mod common;

use std::path::Path;
use std::process::Command;

use blog_support::{Blog, Dev, DoBlog, entry, worker_dir, wrangler};
use common::{Sandbox, stderr_of, stdout_of};

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// A Worker folder of its own (as "Try it locally" sets one up): its wrangler config, and
/// wrangler in its node_modules/.bin, not on PATH nor above the blog.
fn worker_folder(sandbox: &Sandbox) -> std::path::PathBuf {
    let folder = sandbox.work().join("worker");
    std::fs::create_dir_all(folder.join("node_modules/.bin")).unwrap();
    std::fs::copy(
        worker_dir().join("wrangler.jsonc"),
        folder.join("wrangler.jsonc"),
    )
    .unwrap();
    std::os::unix::fs::symlink(worker_dir().join("src"), folder.join("src")).unwrap();
    std::os::unix::fs::symlink(wrangler(), folder.join("node_modules/.bin/wrangler")).unwrap();
    folder
}

fn write_dialect_fixtures(sandbox: &Sandbox) {
    sandbox.write(
        "posts/astro-post.md",
        "---\ntitle: 'Astro post'\ndescription: 'Lorem ipsum dolor sit amet'\npubDate: 'Jul 01 2022'\nheroImage: '/blog-placeholder-3.jpg'\n---\n\nAstro body.\n",
    );
    sandbox.write(
        "posts/hugo-post.md",
        "+++\ntitle = \"Hugo post\"\ndate = 2023-04-05T10:00:00+02:00\ndraft = true\ntags = [\"Go\", \"Static Sites\"]\nlastmod = 2023-04-06\n+++\nIntro <!--more--> rest.\n",
    );
    sandbox.write(
        "posts/_posts/2024-01-30-jekyll-title.md",
        "---\nlayout: post\ntitle: Jekyll title\npublished: false\ntags: rust cli\n---\nJekyll body.\n",
    );
    sandbox.write(
        "posts/zola-bundle/index.md",
        "+++\ntitle = \"Zola bundle\"\ndate = 2024-05-01\n[taxonomies]\ntags = [\"Rust\"]\n+++\nIntro.\n\n<!-- more -->\n\n![a picture](pic.png)\n",
    );
    sandbox.write("posts/zola-bundle/pic.png", PNG);
    sandbox.write(
        "posts/2023-03-03-eleventy-post.markdown",
        "---\ntitle: Eleventy post\nlayout: layouts/post.njk\ntags: post\n---\nEleventy body.\n",
    );
}

#[test]
fn other_generators_posts_check_and_plan_with_their_fields() {
    let sandbox = Sandbox::new();
    let worker = worker_folder(&sandbox);
    sandbox.write(
        "devkit.yaml",
        "blog:\n  default_status: published\n  kv:\n    binding: POSTS\n  wrangler:\n    config: worker\n",
    );
    write_dialect_fixtures(&sandbox);

    let out = sandbox.devkit().args(["blog", "check"]).output().unwrap();
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("5 posts ok"), "{err}");
    for expected in [
        "unknown front-matter key `layout` in 2 files, first here",
        "3 posts without a status, draft or published key took blog.default_status (published)",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }

    // PATH has no wrangler: it is found in the Worker's folder named by blog.wrangler.config.
    let empty = sandbox.root().join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let out = sandbox
        .devkit()
        .args(["blog", "push", "--dry-run", "--json"])
        .env("PATH", format!("{}:/usr/bin:/bin", empty.display()))
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let state = worker.join(".wrangler/state");
    assert!(
        report["destination"]
            .as_str()
            .unwrap()
            .contains(&format!("state in {}", state.display())),
        "{report:#}"
    );
    for (slug, date, status, tags) in [
        ("astro-post", "2022-07-01", "published", vec![]),
        (
            "hugo-post",
            "2023-04-05",
            "draft",
            vec!["go", "static-sites"],
        ),
        ("jekyll-title", "2024-01-30", "draft", vec!["rust", "cli"]),
        ("zola-bundle", "2024-05-01", "published", vec!["rust"]),
        ("eleventy-post", "2023-03-03", "published", vec!["post"]),
    ] {
        let e = entry(&report, slug);
        assert_eq!(e["action"], "create", "{slug}: {e:#}");
        assert_eq!(e["date"], date, "{slug}");
        assert_eq!(e["to"], status, "{slug}");
        assert_eq!(e["tags"], serde_json::json!(tags), "{slug}");
    }
    assert_eq!(
        entry(&report, "zola-bundle")["path"],
        "posts/zola-bundle/index.md"
    );
}

#[test]
fn a_misspelt_config_section_gets_a_did_you_mean() {
    let sandbox = Sandbox::new();
    sandbox.write("devkit.yaml", "blog:\n  wrangle:\n    bin: x\n");
    let out = sandbox.devkit().args(["blog", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("unknown key `blog.wrangle` (did you mean `blog.wrangler`?)"),
        "{}",
        stderr_of(&out)
    );
}

/// `wrangler kv key put --local KEY VALUE [--metadata JSON]` into `dev`'s local KV, as the
/// seed's `addPost` leaves posts.
fn legacy_put(blog: &Blog, key: &str, value: &str, metadata: Option<&str>) {
    let mut args = vec!["key", "put", key, value];
    if let Some(m) = metadata {
        args.extend(["--metadata", m]);
    }
    let out = blog.wrangler_kv(args);
    assert!(out.status.success(), "{}", stderr_of(&out));
}

fn pull(blog: &Blog, args: &[&str]) -> std::process::Output {
    blog.devkit()
        .args(["blog", "pull"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn legacy_kv_keys_are_pulled_then_adopted_by_the_next_push() {
    wrangler();
    let dev = Dev::start();
    let blog = Blog::new(&dev, "ad-");
    let seed_meta = r#"{"title":"Seed: the first","status":"published","date":"2024-02-03"}"#;
    legacy_put(
        &blog,
        "ad-seed-post",
        "# Seed\n\nWritten by addPost.\n",
        Some(seed_meta),
    );
    legacy_put(
        &blog,
        "ad-edited",
        "Before.\n",
        Some(r#"{"title":"Edited","status":"published","date":"2024-02-04"}"#),
    );
    legacy_put(&blog, "ad-nometa", "no metadata at all", None);

    // Dry run: nothing written.
    let out = pull(&blog, &["--dry-run", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(!blog.sandbox.work().join("posts").exists());

    let out = pull(&blog, &["--json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the key without metadata fails the pull"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["adopted"], 2, "{report:#}");
    assert_eq!(report["skipped"][0]["slug"], "nometa", "{report:#}");
    assert!(
        stderr_of(&out).contains("skipped `nometa`: the key has no metadata"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(
        report["requests"], 2,
        "one listing and one bulk get: {report:#}"
    );
    let seed = std::fs::read_to_string(blog.sandbox.work().join("posts/seed-post.md")).unwrap();
    assert_eq!(
        seed,
        "---\ntitle: 'Seed: the first'\ndate: 2024-02-03\nstatus: published\n---\n# Seed\n\nWritten by addPost.\n"
    );

    // A pull never overwrites: the files are there now.
    let out = pull(&blog, &["--json"]);
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["summary"]["adopted"], 0, "{again:#}");
    assert_eq!(again["summary"]["kept"], 2, "{again:#}");

    // Someone changes one key on the store after the pull: that one is a conflict again.
    legacy_put(
        &blog,
        "ad-edited",
        "Changed on the store.\n",
        Some(r#"{"title":"Edited","status":"published","date":"2024-02-04"}"#),
    );
    let out = blog.push(&["--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let seed_entry = entry(&report, "ad-seed-post");
    assert_eq!(seed_entry["action"], "update", "{report:#}");
    assert_eq!(seed_entry["outcome"], "done");
    assert!(seed_entry["note"].as_str().unwrap().contains("adopting"));
    assert_eq!(entry(&report, "ad-edited")["action"], "conflict");
    let (status, page) = blog.page("seed-post");
    assert_eq!(status, 200);
    assert!(page.contains("Written by addPost."), "{page}");

    // Adopted once: the next push finds it devkit's and unchanged.
    std::fs::remove_file(blog.sandbox.work().join("posts/edited.md")).unwrap();
    let report = blog_support::json_report(blog.push(&["--json"]), &[]);
    assert_eq!(entry(&report, "ad-seed-post")["action"], "unchanged");

    // Now in format 2: pulled back byte for byte from the source devkit kept.
    std::fs::remove_dir_all(blog.sandbox.work().join("posts")).unwrap();
    let out = pull(&blog, &[]);
    assert_eq!(out.status.code(), Some(1), "nometa is still skipped");
    assert!(
        stdout_of(&out).contains("posts/seed-post.md"),
        "{}",
        stdout_of(&out)
    );
    assert_eq!(
        std::fs::read_to_string(blog.sandbox.work().join("posts/seed-post.md")).unwrap(),
        seed
    );
}

#[test]
fn a_pull_past_local_listings_cap_reads_every_post() {
    wrangler();
    let dev = Dev::start();
    let blog = Blog::new(&dev, "cap-");
    // `kv key list --local` stops at 1000 keys: here at `cap-z-1`, with `cap-z-2` after it.
    let meta = serde_json::json!({"title": "Capped", "status": "published", "date": "2024-02-03"});
    let mut pairs: Vec<serde_json::Value> = (0..999)
        .map(|i| format!("cap-a-{i:03}"))
        .chain(["cap-z-1".to_string(), "cap-z-2".to_string()])
        .map(|key| serde_json::json!({"key": key, "value": format!("Body of {key}.\n"), "metadata": meta}))
        .collect();
    pairs.reverse();
    let file = blog.sandbox.root().join("pairs.json");
    std::fs::write(&file, serde_json::to_vec(&pairs).unwrap()).unwrap();
    let out = blog.wrangler_kv([
        std::ffi::OsStr::new("bulk"),
        "put".as_ref(),
        file.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));

    let out = pull(&blog, &["--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["adopted"], 1001, "{}", stderr_of(&out));
    assert_eq!(
        report["requests"], 2,
        "a capped listing, then one process that reads all of local state: {report:#}"
    );
    let posts = blog.sandbox.work().join("posts");
    for slug in ["a-000", "a-998", "z-1", "z-2"] {
        let text = std::fs::read_to_string(posts.join(format!("{slug}.md"))).unwrap();
        assert!(text.ends_with(&format!("Body of cap-{slug}.\n")), "{text}");
    }
    assert_eq!(std::fs::read_dir(&posts).unwrap().count(), 1001);
}

const TOKEN: &str = "pull-test-token";

/// Copy `posts` aside (for the comparison after a pull) and remove it.
fn move_aside(sandbox: &Sandbox, posts: &Path) -> std::path::PathBuf {
    let saved = sandbox.root().join("saved");
    let copied = Command::new("cp")
        .arg("-a")
        .arg(posts)
        .arg(&saved)
        .status()
        .unwrap();
    assert!(copied.success());
    std::fs::remove_dir_all(posts).unwrap();
    saved
}

/// `diff -r` finds no difference.
fn assert_same_tree(saved: &Path, posts: &Path) {
    let diff = Command::new("diff")
        .arg("-r")
        .arg(saved)
        .arg(posts)
        .output()
        .unwrap();
    assert!(
        diff.status.success(),
        "diff -r:\n{}",
        String::from_utf8_lossy(&diff.stdout)
    );
}

#[test]
fn a_durable_object_blog_pulled_back_is_the_same_tree() {
    wrangler();
    let token_var = format!("ADMIN_TOKEN:{TOKEN}");
    let dev = Dev::start_with(&[&token_var, "POSTS_SOURCE:do"]);
    let blog = DoBlog::new(&dev, TOKEN);
    blog.post(
        "hello",
        "Hello",
        "published",
        "Hello body\n\n![a](pics/a.png)",
    );
    blog.sandbox.write("posts/pics/a.png", PNG);
    write_dialect_fixtures(&blog.sandbox);
    let report = blog.push_json(&[]);
    assert_eq!(report["summary"]["create"], 6, "{report:#}");

    let posts = blog.sandbox.work().join("posts");
    let saved = move_aside(&blog.sandbox, &posts);

    let out = blog
        .sandbox
        .devkit()
        .env("DEVKIT_BLOG_TOKEN", TOKEN)
        .args(["blog", "pull", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["source"], 6, "{report:#}");
    assert_eq!(report["summary"]["assets"], 2, "{report:#}");
    assert_eq!(report["requests"], 1, "one GET /export: {report:#}");
    assert_same_tree(&saved, &posts);
    assert!(Path::new(&posts.join("zola-bundle/pic.png")).is_file());
}

#[test]
fn a_kv_blog_with_images_pulled_back_is_the_same_tree() {
    // Local KV keeps an image as base64 text (wrangler's local bulk put cannot carry binary);
    // a pull must give back the file, not that text.
    wrangler();
    let dev = Dev::start();
    let blog = Blog::new(&dev, "rt-");
    blog.post(
        "hello",
        "Hello",
        "published",
        "Hello body\n\n![a](pics/a.png) ![b](pics/b.png)",
    );
    blog.sandbox.write("posts/pics/a.png", PNG);
    blog.sandbox
        .write("posts/pics/b.png", [PNG, b"\xff\xfe not UTF-8"].concat());
    let report = blog.push_json(&[]);
    assert_eq!(report["summary"]["create"], 1, "{report:#}");

    let posts = blog.sandbox.work().join("posts");
    let saved = move_aside(&blog.sandbox, &posts);

    let out = pull(&blog, &["--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["assets"], 2, "{report:#}");
    // The listing, one bulk get of the sources, one of the images: not one call per file.
    assert_eq!(report["requests"], 3, "{report:#}");
    assert_same_tree(&saved, &posts);
}
