//! A blog moved from another generator keeps its addresses and pictures: Jekyll's slugs (a
//! dated file name loses its date, a post published under the dated slug keeps it), a
//! starter's cover and files from the site root (`public/`), pushed to real local Workers KV,
//! served by the reference Worker and looked at in headless Chromium.

mod blog_support;
mod common;

use std::path::Path;

use blog_support::{Blog, Dev, chromium, magenta_pixels, magenta_png, png_pixels, wrangler};
use common::{snapshot_filters, stderr_of};

#[test]
fn jekyll_slugs_drop_the_date_but_a_published_dated_slug_stays() {
    wrangler();
    let dev = Dev::start();
    let blog = Blog::new(&dev, "");
    // devkit once gave a dated file with `date:` its whole name as slug; written that way.
    let old = "---\ntitle: Jekyll live\ndate: 2023-11-05\nstatus: published\n---\nLive.\n";
    blog.sandbox.write(
        "posts/2023-11-05-jekyll-live.md",
        old.replace("status:", "slug: 2023-11-05-jekyll-live\nstatus:"),
    );
    let first = blog.push(&[]);
    assert!(first.status.success(), "{}", stderr_of(&first));

    blog.sandbox.write("posts/2023-11-05-jekyll-live.md", old);
    blog.sandbox.write(
        "posts/2024-01-02-new-post.md",
        "---\ntitle: New post\ndate: 2024-01-02\nstatus: published\n---\nNew.\n",
    );
    blog.sandbox.write(
        "posts/2024-02-03-no-date.md",
        "---\ntitle: No date\nstatus: published\n---\nUndated.\n",
    );
    let out = blog.push(&[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    {
        let mut filters = snapshot_filters(&blog.sandbox);
        filters.add_filter(r"/tmp/devkit-kv-\w+", "[PERSIST]");
        // wrangler dev holds the same local state: a write may wait for it, and say so.
        filters.add_filter(r"wrangler's local state is busy[^\n]*\n", "");
        let _filters = filters.bind_to_scope();
        insta::assert_snapshot!("moved_jekyll_push", stderr_of(&out));
    }
    assert_eq!(blog.page("2023-11-05-jekyll-live").0, 200);
    assert_eq!(blog.page("jekyll-live").0, 404);
    assert_eq!(blog.page("new-post").0, 200);
    assert_eq!(blog.page("no-date").0, 200);
    assert_eq!(blog.page("2024-01-02-new-post").0, 404);
}

/// A post as Astro's starter writes it: no status, a cover from the site root
/// (`heroImage`), a root-absolute image in the body, code.
const STARTER_POST: &str = "---\ntitle: 'First post'\ndescription: 'Lorem ipsum dolor sit amet'\npubDate: 'Jul 08 2022'\nheroImage: '/blog-placeholder-3.png'\n---\n\nLorem ipsum dolor sit amet.\n\n![blog placeholder](/blog-placeholder-about.png)\n\n```js\nconst greeting = \"hello\";\nconsole.log(greeting);\n```\n\n[About](/about/) is a page of the site, not a file.\n";

/// The cover is wide and short, the body's image square: the page shows both only when its
/// magenta pixels pass what either alone could draw.
const COVER: (u32, u32) = (800, 40);
const BODY_IMAGE: (u32, u32) = (300, 300);

fn starter_blog(blog: &Blog) {
    let config = blog.sandbox.work().join("devkit.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("  content: src/content/blog\n  default_status: published\n");
    std::fs::write(&config, text).unwrap();
    blog.sandbox
        .write("src/content/blog/first-post.md", STARTER_POST);
    blog.sandbox.write(
        "public/blog-placeholder-3.png",
        magenta_png(COVER.0, COVER.1),
    );
    blog.sandbox.write(
        "public/blog-placeholder-about.png",
        magenta_png(BODY_IMAGE.0, BODY_IMAGE.1),
    );
}

fn screenshot(url: &str, shot: &Path, extra: &[&str]) -> usize {
    let mut args = vec![
        format!("--screenshot={}", shot.display()),
        "--window-size=1000,1400".to_string(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    chromium(url, &args);
    magenta_pixels(shot)
}

/// The RGB of one pixel of a PNG file.
fn pixel(png_file: &Path, x: usize, y: usize) -> [u8; 3] {
    let (width, channels, buf) = png_pixels(png_file);
    let at = (y * width + x) * channels;
    [buf[at], buf[at + 1], buf[at + 2]]
}

/// `devkit blog check`'s whole output, as a snapshot; its output.
fn check_snapshot(blog: &Blog, name: &str) -> std::process::Output {
    let out = blog.devkit().args(["blog", "check"]).output().unwrap();
    let _filters = snapshot_filters(&blog.sandbox).bind_to_scope();
    insta::assert_snapshot!(name, stderr_of(&out));
    out
}

#[test]
fn a_starter_blog_keeps_its_pictures_in_a_real_browser() {
    wrangler();
    let dev = Dev::start();
    let blog = Blog::new(&dev, "");
    starter_blog(&blog);

    let out = check_snapshot(&blog, "moved_starter_check");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = blog.push(&[]);
    assert!(out.status.success(), "{}", stderr_of(&out));

    // The cover's URL is in the metadata: the index shows it without reading the post.
    let (_, index) = dev.get("/");
    assert!(
        index.contains("<img class=\"thumb\" src=\"/assets/"),
        "{index}"
    );
    let (_, feed) = dev.get("/feed.xml");
    assert!(feed.contains("<media:content url=\"http"), "{feed}");
    assert_eq!(blog_support::parse_feed(feed.as_bytes())["ns_ok"], true);

    let shots = blog.sandbox.root().join("shots");
    std::fs::create_dir_all(&shots).unwrap();
    let page = dev.url("/posts/first-post");
    let area = |(w, h): (u32, u32)| (w * h) as usize;
    // The cover fills the article's width (46rem at 17px: 782px), so it is drawn larger.
    let cover_drawn = 782 * 782 * COVER.1 as usize / COVER.0 as usize;
    let seen = screenshot(&page, &shots.join("page.png"), &[]);
    assert!(
        seen >= (cover_drawn + area(BODY_IMAGE)) * 9 / 10,
        "cover and image on the page: {seen} magenta pixels"
    );
    let seen = screenshot(&dev.url("/"), &shots.join("index.png"), &[]);
    assert!(seen >= 100, "the cover on the index: {seen} magenta pixels");

    // The code block, in both colour schemes: a box of its own on each page background.
    let keep = std::env::var_os("DEVKIT_MOVED_SHOTS").map(std::path::PathBuf::from);
    for (scheme, flag, page_background) in [
        (
            "light",
            "--blink-settings=preferredColorScheme=1",
            [255, 255, 255],
        ),
        (
            "dark",
            "--blink-settings=preferredColorScheme=0",
            [13, 17, 23],
        ),
    ] {
        let shot = shots.join(format!("code-{scheme}.png"));
        screenshot(&page, &shot, &[flag]);
        assert_eq!(
            pixel(&shot, 5, 5),
            page_background,
            "{scheme}: {}",
            shot.display()
        );
        if let Some(dir) = &keep {
            std::fs::copy(&shot, dir.join(format!("code-{scheme}.png"))).unwrap();
        }
    }
}

#[test]
fn a_root_absolute_link_to_a_missing_file_fails_check_at_its_line_and_writes_nothing() {
    wrangler();
    let dev = Dev::start();
    let blog = Blog::new(&dev, "");
    starter_blog(&blog);
    blog.sandbox.write(
        "src/content/blog/broken.md",
        "---\ntitle: Broken\npubDate: 'Jul 09 2022'\n---\n\nText.\n\n![gone](/images/missing.png)\n",
    );
    let out = check_snapshot(&blog, "moved_missing_check");
    assert_eq!(out.status.code(), Some(1));
    let out = blog.push(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(blog.page("first-post").0, 404, "nothing was written");
    let listed = blog.wrangler_kv(["key", "list"]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).trim(), "[]");
}
