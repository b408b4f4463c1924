//! The harness for `devkit blog` tests: the reference Worker under real `wrangler dev`
//! (workerd, offline), and a blog project in a sandbox whose pushes share its local KV or
//! write its Durable Object through the admin API.
#![allow(dead_code)]

use std::cell::RefCell;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::common::Sandbox;
pub use crate::common::servers::free_port;

pub fn worker_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/blog-worker")
}

/// The pinned wrangler that `scripts/test` installs with `npm ci`.
pub fn wrangler() -> PathBuf {
    let bin = worker_dir().join("node_modules/.bin/wrangler");
    assert!(
        bin.is_file(),
        "{} is missing: run scripts/test (it runs `npm ci` in examples/blog-worker)",
        bin.display()
    );
    bin
}

/// `wrangler dev` serving the reference Worker on a free port; its whole process group is
/// killed on drop.
pub struct Dev {
    /// Replaced by a restart, which the scenarios holding `&Dev` may ask for.
    child: RefCell<Child>,
    pub port: u16,
    pub persist: TempDir,
    home: TempDir,
    log: PathBuf,
    /// `--var NAME:VALUE` arguments, kept for a restart.
    vars: Vec<String>,
}

/// An HTTP client for the Worker: statuses are answers, not errors; no proxy.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

impl Dev {
    pub fn start() -> Dev {
        Self::start_with(&[])
    }

    /// Start with these Worker variables (`NAME:VALUE`, as `wrangler dev --var` takes them).
    pub fn start_with(vars: &[&str]) -> Dev {
        let persist = tempfile::Builder::new()
            .prefix("devkit-kv-")
            .tempdir()
            .unwrap();
        let home = tempfile::Builder::new()
            .prefix("devkit-wrangler-home-")
            .tempdir()
            .unwrap();
        let port = free_port();
        let log = home.path().join("dev.log");
        let vars: Vec<String> = vars.iter().map(|v| v.to_string()).collect();
        let child = spawn_dev(port, persist.path(), home.path(), &log, &vars);
        let dev = Dev {
            child: RefCell::new(child),
            port,
            persist,
            home,
            log,
            vars,
        };
        dev.wait_until_serving();
        dev
    }

    /// Stop wrangler dev and start it again on the same port and `--persist-to`.
    pub fn restart(&self) {
        self.stop_for(|_| {});
    }

    /// Stop wrangler dev, run `f` on the stopped state (`--persist-to`), start it again.
    pub fn stop_for(&self, f: impl FnOnce(&Path)) {
        self.stop();
        f(self.persist.path());
        *self.child.borrow_mut() = spawn_dev(
            self.port,
            self.persist.path(),
            self.home.path(),
            &self.log,
            &self.vars,
        );
        self.wait_until_serving();
    }

    fn wait_until_serving(&self) {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok(Some(status)) = self.child.borrow_mut().try_wait() {
                panic!("wrangler dev exited ({status}):\n{}", self.log_text());
            }
            if self.try_get("/").is_some_and(|(status, _)| status == 200) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "wrangler dev did not serve within 90 s:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// A request to the admin API with this token (or none): the status and the body.
    pub fn admin(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> (u16, String) {
        let agent = agent();
        let url = self.url(&format!("/admin/api{path}"));
        let auth = token.map(|t| format!("Bearer {t}"));
        let result = match (method, body) {
            ("GET", None) => {
                let mut req = agent.get(&url);
                if let Some(auth) = &auth {
                    req = req.header("authorization", auth);
                }
                req.call()
            }
            ("POST", Some(body)) => {
                let mut req = agent.post(&url).header("content-type", "application/json");
                if let Some(auth) = &auth {
                    req = req.header("authorization", auth);
                }
                req.send(body)
            }
            other => panic!("unsupported request {other:?}"),
        };
        let mut response =
            result.unwrap_or_else(|e| panic!("{method} {url}: {e}\n{}", self.log_text()));
        let status = response.status().as_u16();
        (status, response.body_mut().read_to_string().unwrap())
    }

    /// How many requests the Worker logged whose line contains `needle`.
    pub fn logged(&self, needle: &str) -> usize {
        self.log_text()
            .lines()
            .filter(|l| l.contains("[wrangler:info]") && l.contains(needle))
            .count()
    }
}

fn spawn_dev(port: u16, persist: &Path, home: &Path, log: &Path, vars: &[String]) -> Child {
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let mut cmd = Command::new(wrangler());
    cmd.args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string()])
        .arg("--persist-to")
        .arg(persist)
        // Its own devtools port: two wrangler dev at once would both take 9229.
        .args(["--inspector-ip", "127.0.0.1", "--inspector-port"])
        .arg(free_port().to_string());
    for var in vars {
        cmd.args(["--var", var]);
    }
    cmd.current_dir(worker_dir())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("WRANGLER_SEND_METRICS", "false")
        .env("FORCE_COLOR", "0")
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .process_group(0)
        .spawn()
        .expect("start wrangler dev")
}

impl Dev {
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn try_get(&self, path: &str) -> Option<(u16, String)> {
        let agent = agent();
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let mut response = agent.get(&url).call().ok()?;
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().ok()?;
        Some((status, body))
    }

    /// GET `path`: the status and the body.
    pub fn get(&self, path: &str) -> (u16, String) {
        self.try_get(path)
            .unwrap_or_else(|| panic!("GET {path} failed:\n{}", self.log_text()))
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Dev {
    fn stop(&self) {
        let mut child = self.child.borrow_mut();
        let group = format!("-{}", child.id());
        let _ = Command::new("kill")
            .args(["-TERM", "--", &group])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // workerd children may outlive wrangler: end the whole group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = child.wait();
    }
}

/// A blog project in a sandbox, publishing under its own key prefix into `dev`'s local KV.
pub struct Blog<'a> {
    pub dev: &'a Dev,
    pub sandbox: Sandbox,
    pub prefix: String,
}

impl<'a> Blog<'a> {
    /// `wrangler kv ARGS` on the local state `wrangler dev` serves (binding POSTS), as another
    /// tool would write or read it: outside devkit.
    pub fn wrangler_kv<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        Command::new(wrangler())
            .arg("kv")
            .args(args)
            .args(["--binding", "POSTS", "--local", "--config"])
            .arg(worker_dir().join("wrangler.jsonc"))
            .arg("--persist-to")
            .arg(self.dev.persist.path())
            .env("HOME", self.sandbox.home())
            .env("WRANGLER_SEND_METRICS", "false")
            .output()
            .unwrap()
    }

    pub fn new(dev: &'a Dev, prefix: &str) -> Self {
        let sandbox = Sandbox::new();
        let worker = worker_dir();
        sandbox.write(
            "devkit.yaml",
            format!(
                "blog:\n  kv:\n    binding: POSTS\n{}  wrangler:\n    bin: {}\n    config: {}\n    persist_to: {}\n",
                // An empty prefix is no prefix (the config refuses an empty string).
                if prefix.is_empty() { String::new() } else { format!("    prefix: {prefix}\n") },
                wrangler().display(),
                worker.join("wrangler.jsonc").display(),
                dev.persist.path().display()
            ),
        );
        Blog {
            dev,
            sandbox,
            prefix: prefix.to_string(),
        }
    }

    pub fn post(&self, file: &str, title: &str, status: &str, body: &str) {
        write_post(&self.sandbox, file, title, status, body);
    }

    pub fn devkit(&self) -> assert_cmd::Command {
        let mut cmd = self.sandbox.devkit();
        cmd.env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("WRANGLER_SEND_METRICS", "false");
        cmd
    }

    pub fn push(&self, args: &[&str]) -> Output {
        self.devkit()
            .args(["blog", "push"])
            .args(args)
            .output()
            .unwrap()
    }

    /// `devkit blog push --json ARGS`, which must succeed; its report.
    pub fn push_json(&self, args: &[&str]) -> serde_json::Value {
        json_report(self.push(&[&["--json"], args].concat()), args)
    }

    /// devkit blog push in the background, its stderr piped (to wait for a phase).
    pub fn spawn_push(&self, args: &[&str]) -> Child {
        self.sandbox
            .command()
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("WRANGLER_SEND_METRICS", "false")
            .args(["blog", "push"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// GET /posts/<prefix><slug>.
    pub fn page(&self, slug: &str) -> (u16, String) {
        self.dev.get(&format!("/posts/{}{slug}", self.prefix))
    }

    /// Whether GET / lists the post.
    pub fn listed(&self, slug: &str) -> bool {
        let (status, body) = self.dev.get("/");
        assert_eq!(status, 200);
        body.contains(&format!("href=\"/posts/{}{slug}\"", self.prefix))
    }
}

/// A post file under posts/ with the front matter the tests use.
pub fn write_post(sandbox: &Sandbox, file: &str, title: &str, status: &str, body: &str) {
    sandbox.write(
        format!("posts/{file}.md"),
        format!("---\ntitle: {title}\ndate: 2025-04-03\nstatus: {status}\n---\n{body}\n"),
    );
}

/// The report of a `push --json ARGS` that must have succeeded.
pub fn json_report(out: Output, args: &[&str]) -> serde_json::Value {
    assert!(
        out.status.success(),
        "push {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("push --json prints JSON")
}

/// Read `child`'s stderr until a line contains `needle`; the lines read.
pub fn wait_for_line(child: &mut Child, needle: &str) -> String {
    let stderr = child.stderr.as_mut().expect("piped stderr");
    let mut reader = BufReader::new(stderr);
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).unwrap();
        seen.push_str(&line);
        if line.contains(needle) {
            return seen;
        }
        if n == 0 {
            let status = child.wait().unwrap();
            panic!("devkit ended ({status}) before printing {needle:?}:\n{seen}");
        }
    }
}

/// The `posts` entry of a push report for `key`.
pub fn entry<'v>(report: &'v serde_json::Value, key: &str) -> &'v serde_json::Value {
    report["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == key)
        .unwrap_or_else(|| panic!("no entry for {key} in {report:#}"))
}

/// A blog project in a sandbox, publishing into `dev`'s Durable Object through the admin API.
pub struct DoBlog<'a> {
    /// The Worker whose pages the test reads; `None` against a stand-in admin API.
    pub dev: Option<&'a Dev>,
    pub sandbox: Sandbox,
    /// What DEVKIT_BLOG_TOKEN holds for this project's pushes.
    pub token: String,
}

impl<'a> DoBlog<'a> {
    pub fn new(dev: &'a Dev, token: &str) -> Self {
        let sandbox = Sandbox::new();
        sandbox.write(
            "devkit.yaml",
            format!(
                "blog:\n  target: do\n  do:\n    url: {}\n",
                dev.url("/admin/api")
            ),
        );
        DoBlog {
            dev: Some(dev),
            sandbox,
            token: token.to_string(),
        }
    }

    /// A project whose devkit.yaml the caller wrote, with no Worker to read pages from.
    pub fn detached(sandbox: Sandbox, token: &str) -> DoBlog<'static> {
        DoBlog {
            dev: None,
            sandbox,
            token: token.to_string(),
        }
    }

    fn dev(&self) -> &Dev {
        self.dev.expect("a DoBlog with a wrangler dev")
    }

    pub fn post(&self, file: &str, title: &str, status: &str, body: &str) {
        write_post(&self.sandbox, file, title, status, body);
    }

    pub fn push(&self, args: &[&str]) -> Output {
        self.push_with_token(&self.token, args)
    }

    /// `devkit blog push ARGS` with DEVKIT_BLOG_TOKEN set to `token`.
    pub fn push_with_token(&self, token: &str, args: &[&str]) -> Output {
        self.sandbox
            .devkit()
            .env("DEVKIT_BLOG_TOKEN", token)
            .args(["blog", "push"])
            .args(args)
            .output()
            .unwrap()
    }

    /// `devkit blog push --json ARGS`, which must succeed; its report.
    pub fn push_json(&self, args: &[&str]) -> serde_json::Value {
        json_report(self.push(&[&["--json"], args].concat()), args)
    }

    /// The admin API's listing of posts, as JSON, sorted by slug.
    pub fn rows(&self, token: &str) -> serde_json::Value {
        self.listing(token)["posts"].take()
    }

    /// The admin API's whole listing: `{"posts": [...], "assets": [...]}`.
    pub fn listing(&self, token: &str) -> serde_json::Value {
        let (status, body) = self.dev().admin("GET", "/posts", Some(token), None);
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    pub fn page(&self, slug: &str) -> (u16, String) {
        self.dev().get(&format!("/posts/{slug}"))
    }

    pub fn listed(&self, slug: &str) -> bool {
        let (status, body) = self.dev().get("/");
        assert_eq!(status, 200);
        body.contains(&format!("href=\"/posts/{slug}\""))
    }
}

/// A stand-in for the admin API, for the faults the reference Worker cannot produce on demand
/// (a 503, a 429, an answer that is not the contract's JSON). It answers each connection with
/// the next canned response and records each request as `METHOD PATH | authorization`.
pub struct Canned {
    pub port: u16,
    handle: std::thread::JoinHandle<Vec<String>>,
}

impl Canned {
    /// `(status, extra header lines, body)` for each request, in order.
    pub fn start(responses: Vec<(u16, &'static str, &'static str)>) -> Canned {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let handle = std::thread::spawn(move || {
            use std::io::{Read, Write};
            let mut seen = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(30);
            for (status, headers, body) in responses {
                let mut stream = loop {
                    match listener.accept() {
                        Ok((stream, _)) => break stream,
                        Err(_) if Instant::now() < deadline => {
                            std::thread::sleep(Duration::from_millis(10))
                        }
                        Err(_) => return seen,
                    }
                };
                stream.set_nonblocking(false).unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                reader.read_line(&mut request_line).unwrap();
                let (mut length, mut auth) = (0usize, String::new());
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    let (name, value) = line.split_once(':').unwrap_or((line, ""));
                    match name.to_ascii_lowercase().as_str() {
                        "content-length" => length = value.trim().parse().unwrap(),
                        "authorization" => auth = value.trim().to_string(),
                        _ => {}
                    }
                }
                let mut body_in = vec![0; length];
                reader.read_exact(&mut body_in).unwrap();
                let mut parts = request_line.split_whitespace();
                let method = parts.next().unwrap_or_default();
                let path = parts.next().unwrap_or_default();
                seen.push(format!("{method} {path} | {auth}"));
                let reason = if status == 200 { "OK" } else { "Oops" };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} {reason}\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n{body}",
                    body.len()
                );
            }
            seen
        });
        Canned { port, handle }
    }

    /// The requests seen, once every canned response was sent (or 30 s passed).
    pub fn requests(self) -> Vec<String> {
        self.handle.join().unwrap()
    }
}

// --- what a reader gets: full responses, the feed, a real browser -------------------------------

/// A full GET: status, headers (lowercase names) and the body's bytes.
pub fn fetch(url: &str) -> (u16, std::collections::BTreeMap<String, String>, Vec<u8>) {
    let mut response = agent()
        .get(url)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                v.to_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .unwrap();
    (status, headers, body)
}

/// A solid magenta PNG of `w` × `h` pixels: a colour no page element has, so the pixels of it
/// in a screenshot are the image's (a 404 image shows none).
pub fn magenta_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let pixels: Vec<u8> = (0..w * h).flat_map(|_| [255u8, 0, 255]).collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

/// How many pixels of a PNG file are (nearly) magenta.
pub fn magenta_pixels(png_file: &Path) -> usize {
    let (_, channels, buf) = png_pixels(png_file);
    buf.chunks(channels)
        .filter(|p| p[0] > 240 && p[1] < 16 && p[2] > 240)
        .count()
}

/// A PNG file's pixels: its width, the samples per pixel, and the samples row by row.
pub fn png_pixels(png_file: &Path) -> (usize, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_file).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width as usize, info.color_type.samples(), buf)
}

/// Debian's headless Chromium on `url` with `args` (`--dump-dom`, `--screenshot=…`), offline
/// and with a throwaway profile. Its stdout.
pub fn chromium(url: &str, args: &[String]) -> String {
    let profile = tempfile::Builder::new()
        .prefix("devkit-chromium-")
        .tempdir()
        .unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .env("HOME", profile.path())
        .stdin(Stdio::null())
        .output()
        .expect("chromium (apt-get install chromium; scripts/test does)");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text a reader sees in `<main>` of a DOM dump: tags dropped, entities of `<>&` decoded.
pub fn visible_text(dom: &str) -> String {
    let main = dom
        .split_once("<main>")
        .and_then(|(_, rest)| rest.split_once("</main>"))
        .map_or(dom, |(m, _)| m);
    let mut text = String::new();
    let mut in_tag = false;
    for c in main.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// An Atom feed parsed by Python's XML parser (a real one: malformed XML fails the test):
/// `{"ns_ok": bool, "title", "entries": [{"title", "link", "id", "updated", "summary"}]}`.
pub fn parse_feed(xml: &[u8]) -> serde_json::Value {
    let script = r#"
import json, sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
root = ET.fromstring(sys.stdin.buffer.read())
entries = []
for e in root.findall(A + "entry"):
    entries.append({
        "title": e.findtext(A + "title"),
        "link": e.find(A + "link").get("href"),
        "id": e.findtext(A + "id"),
        "updated": e.findtext(A + "updated"),
        "summary": e.findtext(A + "summary"),
        "categories": [c.get("term") for c in e.findall(A + "category")],
    })
print(json.dumps({"ns_ok": root.tag == A + "feed", "title": root.findtext(A + "title"),
                  "updated": root.findtext(A + "updated"), "entries": entries}))
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 parses the feed");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), xml).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the feed is not XML: {}",
        String::from_utf8_lossy(xml)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The posts of the reader tests: a full tour (image, files, code, table, more-marker), a
/// described post, an unlisted and a draft one, all tagged.
pub fn write_readable_blog(sandbox: &Sandbox) -> Vec<u8> {
    let png = magenta_png(160, 90);
    sandbox.write("posts/img/square.png", png.clone());
    sandbox.write("posts/files/talk.pdf", b"%PDF-1.4 not really\n");
    sandbox.write("posts/files/hello.py", b"print(\"hello\")\n");
    sandbox.write(
        "posts/tour.md",
        "---\ntitle: A tour of devkit\ndate: 2025-05-01\nupdated: 2025-05-03\nstatus: published\ntags: [Rust, CLI]\n---\n\
Intro paragraph with **bold** text.\n\n<!-- more -->\n\n## Code\n\n```rust\nfn main() {\n    println!(\"hello\");\n}\n```\n\n\
## Table\n\n| tool | language |\n|------|----------|\n| devkit | Rust |\n\n![magenta square](./img/square.png)\n\n[slides](files/talk.pdf) and [the example](files/hello.py)\n",
    );
    sandbox.write(
        "posts/second.md",
        "---\ntitle: Second post\ndate: 2025-04-01\nstatus: published\ndescription: A described post\ntags: [rust]\n---\nSome text.\n",
    );
    sandbox.write(
        "posts/hidden.md",
        "---\ntitle: Hidden post\ndate: 2025-06-01\nstatus: unlisted\ntags: [rust]\n---\nBy link only.\n",
    );
    sandbox.write(
        "posts/wip.md",
        "---\ntitle: Work in progress\ndate: 2025-06-02\nstatus: draft\ntags: [rust]\n---\nNot yet.\n",
    );
    png
}

/// The asset name devkit gives `bytes` from a file with extension `ext`.
pub fn asset_name(bytes: &[u8], ext: &str) -> String {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.{ext}")
}

/// The pages every reader test expects of `write_readable_blog`'s posts, from any store.
pub fn assert_readable(dev: &Dev, png: &[u8]) {
    let image = asset_name(png, "png");
    // The index: published posts, newest first, with excerpt and tag links.
    let (status, index) = dev.get("/");
    assert_eq!(status, 200);
    let tour = index.find("A tour of devkit").expect(&index);
    let second = index.find("Second post").expect(&index);
    assert!(tour < second, "newest first:\n{index}");
    assert!(index.contains("Intro paragraph with bold text."), "{index}");
    assert!(
        index.contains("A described post"),
        "the description is the excerpt"
    );
    assert!(index.contains("href=\"/tags/rust\"") && index.contains("href=\"/tags/cli\""));
    assert!(!index.contains("Hidden post") && !index.contains("Work in progress"));
    assert!(index.contains(r#"<link rel="alternate" type="application/atom+xml""#));

    // Tag pages list the published posts with the tag only.
    let (status, rust) = dev.get("/tags/rust");
    assert_eq!(status, 200);
    assert!(rust.contains("A tour of devkit") && rust.contains("Second post"));
    assert!(!rust.contains("Hidden post") && !rust.contains("Work in progress"));
    let (_, cli) = dev.get("/tags/cli");
    assert!(cli.contains("A tour of devkit") && !cli.contains("Second post"));
    assert_eq!(dev.get("/tags/nothing").0, 404);

    // The post page: rendered, highlighted, the image rewritten to its asset, no marker.
    let (status, page) = dev.get("/posts/tour");
    assert_eq!(status, 200);
    for expected in [
        "<article>",
        "<h2",
        "<table>",
        "<strong>bold</strong>",
        "style=\"color:#",
        &format!("src=\"/assets/{image}\""),
        "id=\"more\"",
        r#"<link rel="alternate" type="application/atom+xml" title="Posts" href="/feed.xml">"#,
        "2025-05-03",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in:\n{page}");
    }
    assert!(
        !page.contains("<!-- more -->") && !page.contains("```"),
        "{page}"
    );

    // Assets: the bytes, their type, cached for good.
    let (status, headers, body) = fetch(&dev.url(&format!("/assets/{image}")));
    assert_eq!(status, 200);
    assert_eq!(body, png);
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let pdf = asset_name(b"%PDF-1.4 not really\n", "pdf");
    assert!(page.contains(&format!("href=\"/assets/{pdf}\"")), "{page}");
    let (_, headers, _) = fetch(&dev.url(&format!("/assets/{pdf}")));
    assert_eq!(headers["content-type"], "application/pdf");
    // Source files are text a browser shows, in UTF-8, not a download.
    let py = asset_name(b"print(\"hello\")\n", "py");
    assert!(page.contains(&format!("href=\"/assets/{py}\"")), "{page}");
    let (_, headers, body) = fetch(&dev.url(&format!("/assets/{py}")));
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    assert_eq!(body, b"print(\"hello\")\n");
    assert_eq!(dev.get(&format!("/assets/{}", "0".repeat(64))).0, 404);

    // Unlisted: by link only. Draft: nowhere.
    assert_eq!(dev.get("/posts/hidden").0, 200);
    assert_eq!(dev.get("/posts/wip").0, 404);

    // The feed, parsed: published posts only, with link, updated and summary.
    let (status, headers, xml) = fetch(&dev.url("/feed.xml"));
    assert_eq!(status, 200);
    assert!(headers["content-type"].starts_with("application/atom+xml"));
    let feed = parse_feed(&xml);
    assert_eq!(feed["ns_ok"], true, "{feed}");
    let entries = feed["entries"].as_array().unwrap();
    let titles: Vec<&str> = entries
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["A tour of devkit", "Second post"], "{feed}");
    assert_eq!(entries[0]["link"], dev.url("/posts/tour"));
    assert_eq!(entries[0]["updated"], "2025-05-03T00:00:00Z");
    assert_eq!(entries[0]["summary"], "Intro paragraph with bold text.");
    assert_eq!(entries[1]["summary"], "A described post");
    assert_eq!(feed["updated"], "2025-05-03T00:00:00Z");
}

/// What a reader sees of the tour in Debian's headless Chromium: the DOM after load, and a
/// screenshot whose magenta pixels prove the image was fetched and drawn.
pub fn assert_seen_in_chromium(dev: &Dev, shots: &std::path::Path) {
    let url = dev.url("/posts/tour");
    let dom = chromium(&url, &["--dump-dom".to_string()]);
    assert!(dom.contains("<h2") && dom.contains("<table>"), "{dom}");
    assert!(
        dom.contains("<span style=\"color:#"),
        "highlighted code: {dom}"
    );
    assert!(!dom.contains("more -->"), "{dom}");
    let text = visible_text(&dom);
    for syntax in ["##", "```", "**", "|---"] {
        assert!(
            !text.contains(syntax),
            "visible Markdown {syntax:?}:\n{text}"
        );
    }
    assert!(text.contains("println!"), "{text}");
    let shot = shots.join("tour.png");
    chromium(
        &url,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1000,1400".to_string(),
        ],
    );
    let magenta = magenta_pixels(&shot);
    assert!(
        magenta >= 160 * 90 * 9 / 10,
        "the 160×90 magenta image should be on screen: {magenta} pixels ({})",
        shot.display()
    );
}
