//! Servers on 127.0.0.1 for tests, stopped on drop: `git daemon` with receive-pack enabled
//! (server hooks run there), and smart HTTP (`git http-backend` as CGI behind a tiny server that
//! requires Basic auth); and the free ports they listen on.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use base64::Engine;

use super::Sandbox;
use super::git::{git, git_env};

/// A port nothing listens on now (a server may still lose it to another process: see
/// `wait_for_port`).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Wait until something listens on `port`; false when the server exited first (say, because
/// another process took the port in the meantime).
pub fn wait_for_port(port: u16, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    panic!("nothing listens on port {port}");
}

/// A server process, killed and reaped when dropped.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `git daemon --enable=receive-pack` serving every repository under `base`.
pub struct Daemon {
    _child: Running,
    port: u16,
}

impl Daemon {
    pub fn start(sandbox: &Sandbox, base: &Path) -> Self {
        // `git daemon` would run git-daemon as its own child, which killing `git` leaves
        // running: start git-daemon itself, so that the child killed on drop is the server.
        let exec_path = git(sandbox, base, &["--exec-path"]);
        let program = Path::new(exec_path.trim()).join("git-daemon");
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new(&program)
                .arg("--enable=receive-pack")
                .arg(format!("--base-path={}", base.display()))
                .arg(format!("--port={port}"))
                .arg("--listen=127.0.0.1")
                .arg("--export-all")
                .arg("--reuseaddr")
                .arg(base)
                .envs(git_env(sandbox))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start git daemon");
            if wait_for_port(port, &mut child) {
                return Daemon {
                    _child: Running(child),
                    port,
                };
            }
        }
        panic!("git daemon did not start");
    }

    pub fn url(&self, repo: &str) -> String {
        format!("git://127.0.0.1:{}/{repo}", self.port)
    }
}

/// Smart HTTP for every repository under a root, behind Basic auth for one user.
pub struct HttpServer {
    port: u16,
    stop: Arc<AtomicBool>,
    unauthorized: Arc<AtomicUsize>,
    libgit2_budget: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

struct Site {
    root: PathBuf,
    expected_auth: String,
    user: String,
    env: Vec<(&'static str, String)>,
    unauthorized: Arc<AtomicUsize>,
    /// Authorized requests from libgit2 still answered; then 503 (a flaky proxy in front of a
    /// real server: a fault git's own server cannot be made to produce for one client).
    libgit2_budget: Arc<AtomicUsize>,
}

impl HttpServer {
    pub fn start(sandbox: &Sandbox, root: &Path, user: &str, password: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let unauthorized = Arc::new(AtomicUsize::new(0));
        let libgit2_budget = Arc::new(AtomicUsize::new(usize::MAX));
        let site = Arc::new(Site {
            root: root.to_path_buf(),
            expected_auth: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            ),
            user: user.to_string(),
            env: git_env(sandbox),
            unauthorized: unauthorized.clone(),
            libgit2_budget: libgit2_budget.clone(),
        });
        let stop_flag = stop.clone();
        let thread = std::thread::spawn(move || {
            while !stop_flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let site = site.clone();
                        std::thread::spawn(move || {
                            let _ = serve(&site, stream);
                        });
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    Err(_) => break,
                }
            }
        });
        HttpServer {
            port,
            stop,
            unauthorized,
            libgit2_budget,
            thread: Some(thread),
        }
    }

    pub fn url(&self, repo: &str) -> String {
        format!("http://127.0.0.1:{}/{repo}", self.port)
    }

    /// Answer libgit2 (by its User-Agent) only `requests` more times, then 503.
    pub fn fail_libgit2_after(&self, requests: usize) {
        self.libgit2_budget.store(requests, Ordering::SeqCst);
    }

    /// How many requests were turned away for want of the right credentials.
    pub fn unauthorized_requests(&self) -> usize {
        self.unauthorized.load(Ordering::SeqCst)
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One request per connection (answered with `Connection: close`).
fn serve(site: &Site, stream: TcpStream) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(());
    };
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    if headers.get("authorization") != Some(&site.expected_auth) {
        site.unauthorized.fetch_add(1, Ordering::SeqCst);
        out.write_all(
            b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\n\
              Content-Length: 0\r\nConnection: close\r\n\r\n",
        )?;
        return Ok(());
    }
    let from_libgit2 = headers
        .get("user-agent")
        .is_some_and(|agent| agent.contains("libgit2"));
    if from_libgit2
        && site
            .libgit2_budget
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_err()
    {
        out.write_all(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )?;
        return Ok(());
    }
    let body = read_body(&mut reader, &headers)?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut cgi = Command::new("git");
    cgi.arg("http-backend")
        .envs(site.env.iter().cloned())
        .env("GIT_PROJECT_ROOT", &site.root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REMOTE_USER", &site.user)
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("REQUEST_METHOD", method)
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env(
            "CONTENT_TYPE",
            headers.get("content-type").cloned().unwrap_or_default(),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(encoding) = headers.get("content-encoding") {
        cgi.env("HTTP_CONTENT_ENCODING", encoding);
    }
    if let Some(protocol) = headers.get("git-protocol") {
        cgi.env("HTTP_GIT_PROTOCOL", protocol);
    }
    let mut child = cgi.spawn()?;
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let output = child.wait_with_output()?;
    let _ = writer.join();

    // CGI output: headers (maybe a `Status:`), a blank line, the body.
    let raw = output.stdout;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| {
            raw.windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, i + 2))
        });
    let Some((head_end, body_start)) = split else {
        out.write_all(
            b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )?;
        return Ok(());
    };
    let mut status = "200 OK".to_string();
    let mut response_headers = String::new();
    for line in String::from_utf8_lossy(&raw[..head_end]).lines() {
        match line.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("status") => {
                status = value.trim().to_string()
            }
            Some(_) => {
                response_headers.push_str(line.trim_end());
                response_headers.push_str("\r\n");
            }
            None => {}
        }
    }
    let payload = &raw[body_start..];
    write!(
        out,
        "HTTP/1.1 {status}\r\n{response_headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        payload.len()
    )?;
    out.write_all(payload)?;
    out.flush()
}

fn read_body(
    reader: &mut BufReader<TcpStream>,
    headers: &HashMap<String, String>,
) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    if headers
        .get("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        loop {
            let mut size_line = String::new();
            reader.read_line(&mut size_line)?;
            let size_text = size_line.trim().split(';').next().unwrap_or("0");
            let size = usize::from_str_radix(size_text, 16).unwrap_or(0);
            if size == 0 {
                // Trailers until an empty line.
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                        break;
                    }
                }
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..])?;
            let mut crlf = [0u8; 2];
            reader.read_exact(&mut crlf)?;
        }
    } else if let Some(length) = headers.get("content-length") {
        let length: usize = length.parse().unwrap_or(0);
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    }
    Ok(body)
}
