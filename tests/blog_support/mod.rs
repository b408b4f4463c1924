//! The harness for `devkit blog` tests: the reference Worker under real `wrangler dev`
//! (workerd, offline), and a blog project in a sandbox whose pushes share its local KV.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::common::Sandbox;

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
    child: Child,
    pub port: u16,
    pub persist: TempDir,
    home: TempDir,
    log: PathBuf,
}

impl Dev {
    pub fn start() -> Dev {
        let persist = tempfile::Builder::new()
            .prefix("devkit-kv-")
            .tempdir()
            .unwrap();
        let home = tempfile::Builder::new()
            .prefix("devkit-wrangler-home-")
            .tempdir()
            .unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = home.path().join("dev.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(wrangler())
            .args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string()])
            .arg("--persist-to")
            .arg(persist.path())
            .current_dir(worker_dir())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("WRANGLER_SEND_METRICS", "false")
            .env("FORCE_COLOR", "0")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .process_group(0)
            .spawn()
            .expect("start wrangler dev");
        let mut dev = Dev {
            child,
            port,
            persist,
            home,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok(Some(status)) = dev.child.try_wait() {
                panic!("wrangler dev exited ({status}):\n{}", dev.log_text());
            }
            if dev.try_get("/").is_some_and(|(status, _)| status == 200) {
                return dev;
            }
            assert!(
                Instant::now() < deadline,
                "wrangler dev did not serve within 90 s:\n{}",
                dev.log_text()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn try_get(&self, path: &str) -> Option<(u16, String)> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
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
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // workerd children may outlive wrangler: end the whole group.
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// A blog project in a sandbox, publishing under its own key prefix into `dev`'s local KV.
pub struct Blog<'a> {
    pub dev: &'a Dev,
    pub sandbox: Sandbox,
    pub prefix: String,
}

impl<'a> Blog<'a> {
    pub fn new(dev: &'a Dev, prefix: &str) -> Self {
        let sandbox = Sandbox::new();
        let worker = worker_dir();
        sandbox.write(
            "devkit.yaml",
            format!(
                "blog:\n  kv:\n    binding: POSTS\n    prefix: {prefix}\n  wrangler:\n    bin: {}\n    config: {}\n    persist_to: {}\n",
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
        self.sandbox.write(
            format!("posts/{file}.md"),
            format!("---\ntitle: {title}\ndate: 2025-04-03\nstatus: {status}\n---\n{body}\n"),
        );
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
        let out = self.push(&[&["--json"], args].concat());
        assert!(
            out.status.success(),
            "push {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("push --json prints JSON")
    }

    /// devkit blog push in the background, its stderr piped (to wait for a phase).
    pub fn spawn_push(&self, args: &[&str]) -> Child {
        // The same sealed environment as Sandbox::devkit, as a std Command that can be killed.
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_devkit"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("DEVKIT_") {
                cmd.env_remove(&key);
            }
        }
        cmd.current_dir(self.sandbox.work())
            .env("HOME", self.sandbox.home())
            .env("XDG_CONFIG_HOME", self.sandbox.xdg_config_home())
            .env("NO_COLOR", "1")
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
