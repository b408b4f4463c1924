//! The publishing rule (docs/BLOG.md), seen by a reader of the reference Worker that lags the
//! way Workers KV does. Local KV is strongly consistent, so the lag is simulated: a poller
//! records when the index lists a post, which page version is served and whether each file is
//! servable; a reader with lag L (a key listed at once, `get` answering 404 for L after a
//! write, a cached page served for L after an update) meets a dead link or a broken image
//! exactly when something links X within L of a moment X was not servable.

mod blog_support;
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use blog_support::{Blog, Dev, asset_name, magenta_png, wait_for_line};

/// The settle time the staged pushes use, and the reader's lag: below it by more than the
/// reader's sampling error, and above what one wrangler process takes on a busy machine (7 s
/// seen), since with `--no-stage` a page and the file it drops are one process apart.
const SETTLE: &str = "15s";
const LAG: Duration = Duration::from_secs(11);

/// One look at the blog.
struct Sample {
    at: Instant,
    /// Slugs the index lists.
    listed: BTreeSet<String>,
    /// Per watched slug: the files its page links, `None` when the page is 404.
    pages: BTreeMap<String, Option<BTreeSet<String>>>,
    /// Per watched file: servable or not.
    files: BTreeMap<String, bool>,
}

/// A poller of the reference Worker, from `start` to `stop`.
struct Reader {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Vec<Sample>>,
}

impl Reader {
    fn start(dev: &Dev, slugs: &[&str], files: &[&str]) -> Reader {
        let base = dev.url("");
        let slugs: Vec<String> = slugs.iter().map(|s| s.to_string()).collect();
        let files: Vec<String> = files.iter().map(|s| s.to_string()).collect();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let handle = std::thread::spawn(move || {
            let agent = blog_support::agent();
            let get = |path: &str| -> (u16, String) {
                let mut r = agent.get(&format!("{base}{path}")).call().unwrap();
                let status = r.status().as_u16();
                (status, r.body_mut().read_to_string().unwrap_or_default())
            };
            let mut samples = Vec::new();
            while !stopping.load(Ordering::Relaxed) {
                let at = Instant::now();
                let (_, index) = get("/");
                let listed = slugs
                    .iter()
                    .filter(|s| index.contains(&format!("href=\"/posts/{s}\"")))
                    .cloned()
                    .collect();
                let pages = slugs
                    .iter()
                    .map(|s| {
                        let (status, html) = get(&format!("/posts/{s}"));
                        (s.clone(), (status == 200).then(|| linked_files(&html)))
                    })
                    .collect();
                let files = files
                    .iter()
                    .map(|f| (f.clone(), get(&format!("/assets/{f}")).0 == 200))
                    .collect();
                samples.push(Sample {
                    at,
                    listed,
                    pages,
                    files,
                });
                std::thread::sleep(Duration::from_millis(50));
            }
            samples
        });
        Reader { stop, handle }
    }

    fn stop(self) -> Vec<Sample> {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().unwrap()
    }
}

/// The asset names a page links (`/assets/<name>`).
fn linked_files(html: &str) -> BTreeSet<String> {
    html.match_indices("/assets/")
        .map(|(i, _)| {
            html[i + "/assets/".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
                .collect()
        })
        .collect()
}

/// What a reader lagging by `lag` would have met: every pair of a link (the index to a page,
/// a page to a file) seen within `lag` of its target being 404.
fn broken_links(samples: &[Sample], lag: Duration) -> Vec<String> {
    let mut links: Vec<(Instant, String, String)> = Vec::new(); // (when, from, to)
    let mut missing: Vec<(Instant, String)> = Vec::new();
    for s in samples {
        for slug in &s.listed {
            links.push((s.at, "the index".into(), format!("page {slug}")));
        }
        for (slug, page) in &s.pages {
            match page {
                // A reader reaches a page through the index: a staged post's unlisted page
                // links files nobody can follow yet.
                Some(files) if s.listed.contains(slug) => {
                    for f in files {
                        links.push((s.at, format!("page {slug}"), format!("file {f}")));
                    }
                }
                Some(_) => {}
                None => missing.push((s.at, format!("page {slug}"))),
            }
        }
        for (f, servable) in &s.files {
            if !servable {
                missing.push((s.at, format!("file {f}")));
            }
        }
    }
    let start = samples.first().map(|s| s.at);
    let mut found = BTreeSet::new();
    for (at, from, to) in &links {
        for (gone, what) in &missing {
            let gap = if gone > at { *gone - *at } else { *at - *gone };
            if what == to && gap < lag {
                let since = |t: &Instant| t.duration_since(start.unwrap()).as_millis();
                if found.len() > 3 {
                    break;
                }
                found.insert(format!(
                    "{from} links {to} at {} ms, and {to} was 404 at {} ms",
                    since(at),
                    since(gone)
                ));
                break;
            }
        }
    }
    found.into_iter().collect()
}

/// A blog with a published post `a` (linking `old.png` when `with_old`). Each blog has a
/// Worker of its own: the Worker serves the files of one prefix, the empty one.
fn published(dev: &Dev, with_old: bool) -> Blog<'_> {
    let blog = Blog::new(dev, "");
    blog.sandbox.write("posts/old.png", magenta_png(2, 1));
    blog.post(
        "a",
        "A",
        "published",
        if with_old { "A ![old](old.png)" } else { "A" },
    );
    assert_ok(blog.push(&["--no-stage"]));
    blog
}

fn assert_ok(out: Output) {
    assert!(
        out.status.success(),
        "push failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn staged(extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--stage".to_string(), "--settle".into(), SETTLE.into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// Push with `args` while a reader watches; what a lagging reader met.
fn watched(blog: &Blog, slugs: &[&str], files: &[&str], args: &[String]) -> Vec<String> {
    let reader = Reader::start(blog.dev, slugs, files);
    std::thread::sleep(Duration::from_millis(300));
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    args.push("-v");
    let t0 = Instant::now();
    let mut child = blog.spawn_push(&args);
    let stderr = child.stderr.take().unwrap();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
        eprintln!("{:>6} ms {}", t0.elapsed().as_millis(), line.unwrap());
    }
    assert!(child.wait().unwrap().success());
    std::thread::sleep(LAG);
    let samples = reader.stop();
    let r0 = samples[0].at;
    let mut last = String::new();
    for s in &samples {
        let now = format!("{:?} {:?} {:?}", s.listed, s.pages, s.files);
        if now != last {
            eprintln!("{:>6} ms {now}", s.at.duration_since(r0).as_millis());
            last = now;
        }
    }
    broken_links(&samples, LAG)
}

#[test]
fn a_new_post_with_a_new_image_is_listed_only_once_both_are_servable() {
    for (prefix, args, holds) in [
        ("s-", staged(&[]), true),
        ("n-", vec!["--no-stage".into()], false),
    ] {
        let dev = Dev::start();
        let blog = published(&dev, false);
        let png = magenta_png(3, 1);
        let new = asset_name(&png, "png");
        blog.sandbox.write("posts/new.png", &png);
        blog.post("b", "B", "published", "B ![new](new.png)");
        let broken = watched(&blog, &["b"], &[&new], &args);
        assert_eq!(broken.is_empty(), holds, "{prefix}: {broken:#?}");
    }
}

#[test]
fn a_published_post_gaining_an_image_goes_out_after_the_image_settles() {
    for (prefix, args, holds) in [
        ("s-", staged(&[]), true),
        ("n-", vec!["--no-stage".into()], false),
    ] {
        let dev = Dev::start();
        let blog = published(&dev, false);
        let png = magenta_png(4, 1);
        let new = asset_name(&png, "png");
        blog.sandbox.write("posts/new.png", &png);
        blog.post("a", "A", "published", "A, now with ![new](new.png)");
        let broken = watched(&blog, &["a"], &[&new], &args);
        assert_eq!(broken.is_empty(), holds, "{prefix}: {broken:#?}");
        assert!(blog.page("a").1.contains(&new));
    }
}

#[test]
fn a_published_post_dropping_an_image_deletes_it_only_after_the_page_settles() {
    let old = asset_name(&magenta_png(2, 1), "png");
    for (prefix, args, holds) in [
        ("s-", staged(&["--prune"]), true),
        ("n-", vec!["--no-stage".into(), "--prune".into()], false),
    ] {
        let dev = Dev::start();
        let blog = published(&dev, true);
        blog.post("a", "A", "published", "A, without its image");
        let broken = watched(&blog, &["a"], &[&old], &args);
        assert_eq!(broken.is_empty(), holds, "{prefix}: {broken:#?}");
        assert_eq!(dev.get(&format!("/assets/{old}")).0, 404, "{prefix}");
    }
}

/// Every process `pid` started, and theirs.
fn descendants(pid: u32) -> Vec<u32> {
    let mut parents: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`: comm may hold spaces, so read after its last `)`.
        let Some(ppid) = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        parents.entry(ppid).or_default().push(child);
    }
    let mut out = Vec::new();
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        for c in parents.get(&p).into_iter().flatten() {
            out.push(*c);
            todo.push(*c);
        }
    }
    out
}

/// Whether `pid` is still a live process (not gone, not a zombie).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z")
    })
}

/// SIGKILL `child` once its stderr shows `line`; every process it had started must end too.
fn kill_at(mut child: Child, line: &str) {
    wait_for_line(&mut child, line);
    let started = descendants(child.id());
    child.kill().unwrap();
    child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left: Vec<u32> = started.iter().copied().filter(|p| alive(*p)).collect();
        if left.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after devkit was killed at {line:?}: {left:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_push_killed_in_any_phase_is_finished_by_the_next_one_under_the_rule() {
    let old = asset_name(&magenta_png(2, 1), "png");
    let png = magenta_png(5, 1);
    let new = asset_name(&png, "png");
    // One edit that takes every phase: a file for a published page, a new post, a post
    // pruned with its file.
    let phases = [
        "phase 1 of 6 (write)",
        "phase 2 of 6 (settle)",
        "phase 3 of 6 (publish)",
        "phase 4 of 6 (delete)",
        "phase 5 of 6 (settle)",
        "phase 6 of 6 (delete)",
    ];
    for phase in phases {
        let dev = Dev::start();
        let blog = Blog::new(&dev, "");
        blog.sandbox.write("posts/old.png", magenta_png(2, 1));
        blog.post("a", "A", "published", "A");
        blog.post("gone", "Gone", "published", "Gone ![old](old.png)");
        assert_ok(blog.push(&["--no-stage"]));
        blog.sandbox.write("posts/new.png", &png);
        blog.post("a", "A", "published", "A ![new](new.png)");
        blog.post("b", "B", "published", "B");
        std::fs::remove_file(blog.sandbox.work().join("posts/gone.md")).unwrap();

        let reader = Reader::start(&dev, &["a", "b", "gone"], &[&new, &old]);
        let args = staged(&["--prune", "-v"]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        kill_at(blog.spawn_push(&args), phase);
        assert_ok(blog.push(&args));
        std::thread::sleep(LAG);
        let broken = broken_links(&reader.stop(), LAG);
        assert!(broken.is_empty(), "killed at {phase}: {broken:#?}");
        assert!(
            blog.listed("b") && !blog.listed("gone"),
            "killed at {phase}"
        );
        assert!(blog.page("a").1.contains(&new), "killed at {phase}");
        assert_eq!(
            dev.get(&format!("/assets/{old}")).0,
            404,
            "killed at {phase}"
        );
        // Nothing is left to finish.
        let again = blog.push(&args);
        assert_ok(again.clone());
        assert!(
            String::from_utf8_lossy(&again.stderr).contains("nothing to do"),
            "killed at {phase}: {}",
            String::from_utf8_lossy(&again.stderr)
        );
    }
}
