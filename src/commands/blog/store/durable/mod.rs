//! The Durable Object target: a SQLite-backed Durable Object written through the blog Worker's
//! admin API over HTTP (`GET {url}/posts`, `POST {url}/posts/batch`, bearer token). The
//! contract is in docs/BLOG.md; examples/blog-worker implements it.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde::{Deserialize, Serialize};

mod read;

use crate::commands::blog::assets::Limit;
use crate::commands::blog::model::{ASSETS, Entry, Record, Status};
use crate::commands::blog::plan::{AssetWrite, Phase, Remote, RemoteKey, Value, Write};
use crate::commands::blog::store::{Assets, Consistency, Limits, Store, batches, json_array};
use crate::config::Origin;
use crate::error::DevkitError;
use crate::output::Printer;

/// A SQLite Durable Object row holds at most 2 MB: every column of a post's row together
/// (the reference Worker checks the same sum).
pub const MAX_ROW_BYTES: usize = 2_000_000;
/// An asset's row also holds its name (≤ 70 bytes) and content type: the file gets the rest.
pub const MAX_ASSET_BYTES: usize = MAX_ROW_BYTES - 256;
/// One POST carries at most this much JSON: a Worker passes a batch to its Durable Object in
/// one RPC call, and an RPC message is limited to 32 MiB.
const BATCH_MAX_BYTES: usize = 24 * 1024 * 1024;
/// How many times a request is retried after a 429, a 5xx or a connection error.
const RETRIES: u32 = 3;
/// The first pause before a retry; each further one doubles it.
const BACKOFF: Duration = Duration::from_millis(250);
/// The longest `Retry-After` devkit honours.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);
/// The listing of a very large blog is still well under this.
const MAX_RESPONSE_BYTES: u64 = 512 * 1024 * 1024;

/// The Durable Object's limits.
pub fn limits() -> Limits {
    Limits {
        consistency: Consistency::Strong,
        key_prefix: String::new(),
        max_key_bytes: None,
        max_value_bytes: None,
        max_metadata_bytes: None,
        max_row_bytes: Some(MAX_ROW_BYTES),
        nul_free_text: false,
        asset: Limit {
            bytes: MAX_ASSET_BYTES,
            what: "a Durable Object row (2 MB, with its name and type)",
        },
        batch_items: usize::MAX,
        batch_bytes: BATCH_MAX_BYTES,
    }
}

/// The admin API token. Its `Debug` never shows it, so no settings dump or error can leak it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn new(secret: String) -> Self {
        Self(secret)
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Where the admin API is and how to authenticate, resolved from config and flags.
#[derive(Debug, Clone)]
pub struct DoSettings {
    /// `blog.do.url` without a trailing `/`.
    pub url: String,
    pub url_origin: Origin,
    /// The environment variable holding the token (`blog.do.token_env`).
    pub token_env: String,
}

/// Whether `url` may carry the token: https anywhere, http only to a loopback host unless
/// `allow_insecure_http`. Pure: nothing is resolved or connected. `Err` says why not.
pub fn check_url(url: &str, allow_insecure_http: bool) -> Result<(), String> {
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|e| format!("`{url}` is not a URL ({e})"))?;
    let host = uri.host().ok_or_else(|| format!("`{url}` names no host"))?;
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if allow_insecure_http || is_loopback(host) => Ok(()),
        Some("http") => Err(format!(
            "`{url}` is http:// to {host}, which is not this machine: the token would travel in clear"
        )),
        _ => Err(format!("`{url}`: expected an http:// or https:// URL")),
    }
}

/// `localhost`, 127.0.0.0/8 or ::1.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// How long to wait before retry number `attempt` (1-based), or `None` to stop retrying.
/// `retry_after` is the server's `Retry-After`, in seconds.
pub fn retry_delay(attempt: u32, retry_after: Option<u64>) -> Option<Duration> {
    if attempt > RETRIES {
        return None;
    }
    let backoff = BACKOFF * 2u32.pow(attempt - 1);
    Some(match retry_after {
        Some(secs) => Duration::from_secs(secs).min(MAX_RETRY_AFTER).max(backoff),
        None => backoff,
    })
}

/// A row as `GET {url}/posts` returns it.
#[derive(Debug, Deserialize)]
pub struct Row {
    pub slug: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub hash: Option<String>,
    /// The storage format of a row with a hash: 2 when it holds rendered HTML, else 1.
    #[serde(default)]
    pub devkit: Option<u64>,
    #[serde(default)]
    pub excerpt: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub updated: Option<String>,
    #[allow(dead_code)]
    #[serde(default)]
    pub updated_at: Option<String>,
}

impl Row {
    /// devkit's record, or `Foreign` for a row the admin API did not write (no hash) or that
    /// devkit cannot read back.
    pub fn into_key(self) -> (String, RemoteKey) {
        let record = match (self.hash, self.title, self.status, self.date) {
            (Some(hash), Some(title), Some(status), Some(date)) if !hash.is_empty() => {
                Status::parse(&status).map(|status| Record {
                    format: self.devkit.unwrap_or(1),
                    hash,
                    title,
                    status,
                    date,
                    excerpt: self.excerpt.unwrap_or_default(),
                    tags: self.tags.unwrap_or_default(),
                    updated: self.updated,
                    image: None,
                    staged_at: None,
                })
            }
            _ => None,
        };
        (
            self.slug,
            record.map_or(RemoteKey::Foreign, RemoteKey::Devkit),
        )
    }
}

/// The `body` of each listed row without a hash (a foreign row), by slug.
fn foreign_bodies(listing: &[u8]) -> std::collections::BTreeMap<String, Option<String>> {
    #[derive(Deserialize)]
    struct Bodies {
        posts: Vec<BodyRow>,
    }
    #[derive(Deserialize)]
    struct BodyRow {
        slug: String,
        #[serde(default)]
        hash: Option<String>,
        #[serde(default)]
        body: Option<String>,
    }
    serde_json::from_slice::<Bodies>(listing)
        .map(|b| {
            b.posts
                .into_iter()
                .filter(|r| r.hash.as_deref().is_none_or(str::is_empty))
                .map(|r| (r.slug, r.body))
                .collect()
        })
        .unwrap_or_default()
}

/// `GET {url}/posts`: every row (without its page) and the name of every asset.
#[derive(Debug, Deserialize)]
struct Listing {
    posts: Vec<Row>,
    assets: Vec<ListedAsset>,
}

#[derive(Debug, Deserialize)]
struct ListedAsset {
    name: String,
}

/// Parse the listing; `Err` explains how it strays from the contract.
pub fn parse_rows(body: &[u8]) -> Result<Remote, String> {
    let listing: Listing = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut remote: Remote = listing.posts.into_iter().map(Row::into_key).collect();
    for asset in listing.assets {
        remote.insert(format!("{}{}", ASSETS, asset.name), RemoteKey::Asset);
    }
    Ok(remote)
}

#[derive(Serialize)]
struct Upsert<'a> {
    slug: &'a str,
    title: &'a str,
    status: &'a str,
    date: &'a str,
    hash: &'a str,
    /// The Markdown after the front matter, as in format 1, for readers of the table.
    body: &'a str,
    html: &'a str,
    source: &'a str,
    excerpt: &'a str,
    tags: &'a [String],
    updated: Option<&'a str>,
}

#[derive(Serialize)]
struct AssetUpsert<'a> {
    name: &'a str,
    content_type: &'a str,
    data: String,
}

#[derive(Debug, Deserialize)]
struct Applied {
    upserted: usize,
    deleted: usize,
}

/// The bodies of `POST {url}/posts/batch`: as few as `max_bytes` allows. Every asset and
/// upsert is a serialized item; assets go before the posts (a part is a transaction of its
/// own, so a page never lands before its files), deletes ride in the last part.
pub fn batch_bodies(
    assets: &[Vec<u8>],
    upserts: &[Vec<u8>],
    deletes: &[String],
    asset_deletes: &[String],
    max_bytes: usize,
) -> Vec<Vec<u8>> {
    let delete_json = serde_json::to_vec(deletes).expect("strings serialize");
    let asset_delete_json = serde_json::to_vec(asset_deletes).expect("strings serialize");
    let items: Vec<(bool, &Vec<u8>)> = assets
        .iter()
        .map(|a| (true, a))
        .chain(upserts.iter().map(|u| (false, u)))
        .collect();
    let runs = batches(&items, usize::MAX, max_bytes, |(_, u)| u.len() + 1);
    let count = runs.len().max(1);
    let mut bodies = Vec::with_capacity(count);
    for i in 0..count {
        let run: &[(bool, &Vec<u8>)] = runs.get(i).copied().unwrap_or(&[]);
        let pick = |asset: bool| -> Vec<Vec<u8>> {
            run.iter()
                .filter(|(a, _)| *a == asset)
                .map(|(_, j)| (*j).clone())
                .collect()
        };
        let last = i + 1 == count;
        let mut body = b"{\"assets\":".to_vec();
        body.extend_from_slice(&json_array(&pick(true)));
        body.extend_from_slice(b",\"upsert\":");
        body.extend_from_slice(&json_array(&pick(false)));
        body.extend_from_slice(b",\"delete\":");
        body.extend_from_slice(if last { &delete_json } else { b"[]" });
        body.extend_from_slice(b",\"delete_assets\":");
        body.extend_from_slice(if last { &asset_delete_json } else { b"[]" });
        body.push(b'}');
        bodies.push(body);
    }
    bodies
}

/// The Durable Object target: one agent, the token, and a count of the requests sent.
pub struct AdminApi<'p> {
    agent: ureq::Agent,
    settings: DoSettings,
    token: Token,
    printer: &'p Printer,
    /// HTTP requests sent, retries included (the report and the benchmark count them).
    pub requests: usize,
    /// The bodies the last listing gave for rows devkit did not write (adoption compares them).
    foreign_bodies: std::collections::BTreeMap<String, Option<String>>,
    /// The files `GET /export` gave (`blog pull` asks for them after the posts).
    exported: Assets,
}

impl<'p> AdminApi<'p> {
    pub fn new(settings: DoSettings, token: Token, printer: &'p Printer) -> Self {
        let loopback = settings
            .url
            .parse::<ureq::http::Uri>()
            .ok()
            .and_then(|u| u.host().map(is_loopback))
            .unwrap_or(false);
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // The token goes to blog.do.url and nowhere else.
            .max_redirects(0)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(300)))
            .user_agent(format!("devkit/{}", env!("CARGO_PKG_VERSION")));
        let config = if loopback { config.proxy(None) } else { config };
        Self {
            agent: config.build().into(),
            settings,
            token,
            printer,
            requests: 0,
            foreign_bodies: Default::default(),
            exported: Assets::new(),
        }
    }

    /// Send one request (retried on 429, 5xx and connection errors): the final status and body.
    fn send(&mut self, method: &str, path: &str, body: Option<&[u8]>) -> Result<(u16, Vec<u8>)> {
        let url = format!("{}{path}", self.settings.url);
        let auth = format!("Bearer {}", self.token.0);
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.requests += 1;
            let started = Instant::now();
            let size = body.map_or(String::new(), |b| format!(" ({} bytes)", b.len()));
            self.printer
                .verbose(2, format!("http: {method} {url}{size}, try {attempt}"));
            let result = match body {
                Some(bytes) => self
                    .agent
                    .post(&url)
                    .header("authorization", &auth)
                    .header("content-type", "application/json")
                    .send(bytes),
                None => self.agent.get(&url).header("authorization", &auth).call(),
            };
            let (retry_after, failure) = match result {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    let read = response
                        .body_mut()
                        .with_config()
                        .limit(MAX_RESPONSE_BYTES)
                        .read_to_vec();
                    self.printer.verbose(
                        2,
                        format!(
                            "http: {method} {url} → {status} in {:.0?}",
                            started.elapsed()
                        ),
                    );
                    match read {
                        Ok(bytes) if status == 429 || status >= 500 => {
                            (retry_after, format!("{status} {}", snippet(&bytes)))
                        }
                        Ok(bytes) => return Ok((status, bytes)),
                        Err(e) => (None, format!("reading the answer failed: {e}")),
                    }
                }
                Err(e) => (None, transport_error(&e)),
            };
            match retry_delay(attempt, retry_after) {
                Some(pause) => {
                    self.printer.verbose(
                        1,
                        format!("{method} {url}: {failure}; retrying in {:.2?}", pause),
                    );
                    std::thread::sleep(pause);
                }
                None => {
                    return Err(DevkitError::failure(format!(
                        "cannot reach the blog Worker's admin API: {method} {url} failed {attempt} times; last: {failure}"
                    ))
                    .with_hint(format!(
                        "is the Worker running (`wrangler dev`)? blog.do.url (from {}) must be its admin API, such as http://127.0.0.1:8787/admin/api",
                        self.settings.url_origin
                    ))
                    .into());
                }
            }
        }
    }

    /// `GET {url}{path}`: the body of a 200 answer (`blog pull`'s one `GET /export`).
    pub fn get_ok(&mut self, path: &str) -> Result<Vec<u8>> {
        let (status, body) = self.send("GET", path, None)?;
        if status != 200 {
            return Err(self.refused("GET", path, status, &body));
        }
        Ok(body)
    }

    /// A clear error for an answer other than 200 (after retries).
    fn refused(&self, method: &str, path: &str, status: u16, body: &[u8]) -> anyhow::Error {
        let url = format!("{}{path}", self.settings.url);
        let said = server_message(body);
        match status {
            401 | 403 => DevkitError::failure(format!(
                "the admin API refused the token from ${} ({status} {}): {method} {url}{said}",
                self.settings.token_env,
                if status == 401 { "Unauthorized" } else { "Forbidden" }
            ))
            .with_hint(
                "the token must equal the Worker's ADMIN_TOKEN (.dev.vars for wrangler dev, `wrangler secret put ADMIN_TOKEN` on Cloudflare)",
            )
            .into(),
            404 | 405 => DevkitError::failure(format!(
                "no admin API at {url} ({status}){said}"
            ))
            .with_hint(format!(
                "check blog.do.url (from {}): it is the admin API's base, such as http://127.0.0.1:8787/admin/api",
                self.settings.url_origin
            ))
            .into(),
            300..=399 => DevkitError::failure(format!(
                "the admin API answered {method} {url} with a redirect ({status}); devkit sends the token to blog.do.url only"
            ))
            .with_hint("set blog.do.url to the address the Worker answers at (https:// if it redirects there)")
            .into(),
            _ => DevkitError::failure(format!(
                "the admin API answered {method} {url} with {status}{said}"
            ))
            .into(),
        }
    }

    fn not_contract(
        &self,
        method: &str,
        path: &str,
        expected: &str,
        why: &str,
        body: &[u8],
    ) -> anyhow::Error {
        DevkitError::failure(format!(
            "{method} {}{path} answered 200 with something that is not the admin API's JSON (expected {expected}): {why}; it began: {}",
            self.settings.url,
            snippet(body)
        ))
        .with_hint(format!(
            "blog.do.url (from {}) must point at the admin API of a Worker that implements docs/BLOG.md's contract",
            self.settings.url_origin
        ))
        .into()
    }

    /// Files, upserts and deletes, as few POSTs as the size limit allows; each one
    /// transaction.
    fn batch(&mut self, writes: &[Write], assets: &[AssetWrite], deletes: &[String]) -> Result<()> {
        let mut upserts = Vec::with_capacity(writes.len());
        for w in writes {
            let Value::Page { html, source, body } = &w.value else {
                // Only staging keeps a value unread, and the Durable Object never stages.
                anyhow::bail!("internal: a write of {} without its page", w.key);
            };
            let item = Upsert {
                slug: &w.key,
                title: &w.record.title,
                status: w.record.status.as_str(),
                date: &w.record.date,
                hash: &w.record.hash,
                body,
                html,
                source,
                excerpt: &w.record.excerpt,
                tags: &w.record.tags,
                updated: w.record.updated.as_deref(),
            };
            upserts.push(serde_json::to_vec(&item)?);
        }
        let mut files = Vec::with_capacity(assets.len());
        for a in assets {
            files.push(serde_json::to_vec(&AssetUpsert {
                name: &a.name,
                content_type: &a.content_type,
                data: base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &a.bytes),
            })?);
        }
        let (asset_keys, post_keys): (Vec<&String>, Vec<&String>) =
            deletes.iter().partition(|k| k.starts_with(ASSETS));
        let post_keys: Vec<String> = post_keys.into_iter().cloned().collect();
        let asset_names: Vec<String> = asset_keys
            .into_iter()
            .map(|k| k[ASSETS.len()..].to_string())
            .collect();
        let bodies = batch_bodies(&files, &upserts, &post_keys, &asset_names, BATCH_MAX_BYTES);
        let total = bodies.len();
        for (i, body) in bodies.iter().enumerate() {
            let applied = self.post_batch(body).map_err(|e| match i {
                _ if total == 1 => e,
                0 => e.context(format!("batch 1 of {total} failed; none was applied")),
                _ => e.context(format!(
                    "batch {} of {total} failed; batches 1–{i} were applied",
                    i + 1
                )),
            })?;
            self.printer.verbose(
                2,
                format!(
                    "batch {} of {total}: {} upserted, {} deleted",
                    i + 1,
                    applied.upserted,
                    applied.deleted
                ),
            );
        }
        Ok(())
    }

    /// One `POST {url}/posts/batch`, checked against the contract.
    fn post_batch(&mut self, body: &[u8]) -> Result<Applied> {
        let path = "/posts/batch";
        let (status, answer) = self.send("POST", path, Some(body))?;
        if (400..500).contains(&status) && ![401, 403, 404, 405].contains(&status) {
            return Err(DevkitError::failure(format!(
                "the Worker rejected the batch ({status}){}",
                server_message(&answer),
            ))
            .with_hint("the Worker applies a batch in one transaction: nothing of it was written")
            .into());
        }
        if status != 200 {
            return Err(self.refused("POST", path, status, &answer));
        }
        let contract = "{\"upserted\": n, \"deleted\": m}";
        let applied: Applied = serde_json::from_slice(&answer)
            .map_err(|e| self.not_contract("POST", path, contract, &e.to_string(), &answer))?;
        let expected = upsert_count(body);
        if applied.upserted != expected {
            let why = format!("{} upserted of {expected} sent", applied.upserted);
            return Err(self.not_contract("POST", path, contract, &why, &answer));
        }
        Ok(applied)
    }
}

/// How many upserts a batch body holds (counted back from the JSON devkit built).
fn upsert_count(body: &[u8]) -> usize {
    #[derive(Deserialize)]
    struct Count {
        upsert: Vec<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Count>(body).map_or(0, |c| c.upsert.len())
}

/// `: <the server's "error">`, when its answer is JSON with one.
fn server_message(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
        .or_else(|| {
            let text = snippet(body);
            (!text.is_empty()).then_some(text)
        })
        .map_or_else(String::new, |m| format!(": {m}"))
}

/// The start of an answer, on one line.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if body.len() > 200 {
        format!("{line}…")
    } else {
        line
    }
}

fn transport_error(e: &ureq::Error) -> String {
    match e {
        ureq::Error::ConnectionFailed => "the connection failed".into(),
        ureq::Error::HostNotFound => "the host was not found".into(),
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        other => other.to_string(),
    }
}

impl Store for AdminApi<'_> {
    fn foreign_values(
        &mut self,
        keys: &[String],
    ) -> Result<std::collections::BTreeMap<String, Option<String>>> {
        Ok(keys
            .iter()
            .map(|k| (k.clone(), self.foreign_bodies.get(k).cloned().flatten()))
            .collect())
    }

    fn describe(&self) -> String {
        format!("the Durable Object behind {}", self.settings.url)
    }

    fn list(&mut self, _wanted: &[String], _every_key: bool) -> Result<Remote> {
        let path = "/posts";
        let (status, body) = self.send("GET", path, None)?;
        if status != 200 {
            return Err(self.refused("GET", path, status, &body));
        }
        self.foreign_bodies = foreign_bodies(&body);
        parse_rows(&body).map_err(|why| {
            self.not_contract(
                "GET",
                path,
                "{posts: [{slug, title, status, date, hash, …}], assets: [{name, …}]}",
                &why,
                &body,
            )
        })
    }

    fn limits(&self) -> Limits {
        limits()
    }

    fn apply(&mut self, phase: &Phase) -> Result<()> {
        match phase.parts() {
            Some((writes, assets, deletes)) => self.batch(writes, assets, deletes),
            None => Ok(()),
        }
    }

    fn entries(&mut self, skip: &dyn Fn(&str) -> bool) -> Result<Vec<Entry>> {
        let body = self.get_ok("/export")?;
        let (entries, assets) = read::parse_export(&body).map_err(|why| {
            DevkitError::failure(format!(
                "GET {}/export answered outside the admin API's contract: {why}",
                self.settings.url
            ))
        })?;
        self.exported = assets;
        Ok(entries.into_iter().filter(|e| !skip(e.slug())).collect())
    }

    fn assets(&mut self, names: &[String]) -> Result<Assets> {
        names
            .iter()
            .map(|name| {
                let data = self.exported.remove(name).ok_or_else(|| {
                    DevkitError::failure(format!("the export holds no asset {name}"))
                })?;
                Ok((name.clone(), data))
            })
            .collect()
    }

    fn requests(&self) -> usize {
        self.requests
    }

    fn requests_phrase(&self) -> String {
        let n = self.requests;
        format!(
            "{n} HTTP request{} to the admin API",
            if n == 1 { "" } else { "s" }
        )
    }
}

/// The token from the environment variable `name`; a usage error naming it when unset.
pub fn token_from_env(name: &str, env: impl Fn(&str) -> Option<String>) -> Result<Token> {
    match env(name) {
        Some(token) if !token.trim().is_empty() => Ok(Token(token.trim().to_string())),
        _ => Err(DevkitError::usage(format!(
            "no admin API token: the environment variable {name} is not set (blog.do.token_env)"
        ))
        .with_hint(format!(
            "export {name}=… with the Worker's ADMIN_TOKEN; devkit reads the token only from the environment"
        ))
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::blog::model::Page;
    use crate::commands::blog::source::Post;

    #[test]
    fn http_only_to_loopback_unless_allowed() {
        for ok in [
            "http://127.0.0.1:8787/admin/api",
            "http://localhost:8787/admin/api",
            "http://[::1]:8787/admin/api",
            "http://127.5.0.1/admin/api",
            "https://blog.example.com/admin/api",
        ] {
            assert_eq!(check_url(ok, false), Ok(()), "{ok}");
        }
        let err = check_url("http://192.0.2.1:8787/admin/api", false).unwrap_err();
        assert!(err.contains("not this machine"), "{err}");
        assert_eq!(check_url("http://192.0.2.1:8787/admin/api", true), Ok(()));
        assert!(check_url("http://localhost.example.com/", false).is_err());
        assert!(check_url("ftp://127.0.0.1/", false).is_err());
        assert!(check_url("127.0.0.1:8787", false).is_err());
        assert!(check_url("not a url", true).is_err());
    }

    #[test]
    fn retries_back_off_and_stop() {
        assert_eq!(retry_delay(1, None), Some(Duration::from_millis(250)));
        assert_eq!(retry_delay(3, None), Some(Duration::from_secs(1)));
        assert_eq!(retry_delay(1, Some(2)), Some(Duration::from_secs(2)));
        assert_eq!(retry_delay(2, Some(3600)), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_delay(RETRIES + 1, None), None);
    }

    #[test]
    fn rows_without_a_hash_are_foreign() {
        let remote = parse_rows(
            br##"{"posts": [
              {"slug":"a","title":"A","status":"published","date":"2025-01-01","hash":"ab","updated_at":"x","devkit":2,"tags":["t"]},
              {"slug":"b","title":"B","status":"published","date":"2025-01-01","hash":null,"updated_at":"x","body":"# B"},
              {"slug":"c","title":"C","status":"published","date":"2025-01-01","hash":""},
              {"slug":"d","title":"D","status":"live","date":"2025-01-01","hash":"ab"},
              {"slug":"e","title":"E","status":"draft","date":"2025-01-01","hash":"ab"}
            ], "assets": [{"name": "ab.png", "content_type": "image/png", "bytes": 3}]}"##,
        )
        .unwrap();
        assert!(
            matches!(&remote["a"], RemoteKey::Devkit(r) if r.status == Status::Published && r.hash == "ab" && r.format == 2 && r.tags == ["t"])
        );
        assert!(matches!(&remote["e"], RemoteKey::Devkit(r) if r.format == 1));
        assert_eq!(remote["~assets/ab.png"], RemoteKey::Asset);
        for foreign in ["b", "c", "d"] {
            assert_eq!(remote[foreign], RemoteKey::Foreign, "{foreign}");
        }
        assert!(parse_rows(b"[]").is_err(), "a format-1 Worker's listing");
        assert!(parse_rows(b"<html>").is_err());
    }

    #[test]
    fn batches_split_by_size_with_files_first_and_deletes_last() {
        let items: Vec<Vec<u8>> = (0..5)
            .map(|i| format!("{{\"n\":{i}}}").into_bytes())
            .collect();
        let files = vec![b"{\"f\":1}".to_vec()];
        let gone = ["gone".to_string()];
        let old = ["old.png".to_string()];
        let one = batch_bodies(&files, &items, &gone, &old, 1000);
        assert_eq!(one.len(), 1);
        let json: serde_json::Value = serde_json::from_slice(&one[0]).unwrap();
        assert_eq!(json["upsert"].as_array().unwrap().len(), 5);
        assert_eq!(json["assets"].as_array().unwrap().len(), 1);
        assert_eq!(json["delete"], serde_json::json!(["gone"]));
        assert_eq!(json["delete_assets"], serde_json::json!(["old.png"]));

        let split = batch_bodies(&files, &items, &gone, &old, 16);
        assert!(split.len() > 1);
        let parsed: Vec<serde_json::Value> = split
            .iter()
            .map(|b| serde_json::from_slice(b).unwrap())
            .collect();
        let upserts: usize = parsed
            .iter()
            .map(|p| p["upsert"].as_array().unwrap().len())
            .sum();
        assert_eq!(upserts, 5);
        assert_eq!(
            parsed[0]["assets"].as_array().unwrap().len(),
            1,
            "files first"
        );
        assert_eq!(
            parsed.last().unwrap()["delete"],
            serde_json::json!(["gone"])
        );
        assert_eq!(parsed[0]["delete"], serde_json::json!([]));

        let only_deletes = batch_bodies(&[], &[], &["a".into()], &[], 16);
        assert_eq!(only_deletes.len(), 1);
        assert_eq!(upsert_count(&only_deletes[0]), 0);
    }

    #[test]
    fn a_row_over_2_mb_is_named() {
        let post = Post {
            body: "x".repeat(1_000),
            ..Post::test_defaults()
        };
        let record = Record {
            format: 2,
            hash: "h".repeat(64),
            title: "A".into(),
            status: Status::Draft,
            date: "2025-01-01".into(),
            excerpt: String::new(),
            tags: Vec::new(),
            updated: None,
            image: None,
            staged_at: None,
        };
        let mut page = Page {
            html: "x".repeat(1_000),
            source: "x".repeat(1_100),
            excerpt: String::new(),
            tags: Vec::new(),
            updated: None,
            image: None,
        };
        assert!(limits().page_problems(&post, &record, &page).is_empty());
        page.html = "x".repeat(MAX_ROW_BYTES);
        let problems = limits().page_problems(&post, &record, &page);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("at most 2000000 bytes (2 MB)"),
            "{problems:?}"
        );
    }

    #[test]
    fn the_token_is_read_from_the_environment_and_never_shown() {
        let token = token_from_env("T", |k| (k == "T").then(|| "s3cret\n".into())).unwrap();
        assert_eq!(token.0, "s3cret");
        assert!(!format!("{token:?}").contains("s3cret"));
        let err = token_from_env("T", |_| None).unwrap_err();
        assert_eq!(
            crate::error::status_of(&err),
            crate::error::ExitStatus::Usage
        );
        assert!(err.to_string().contains("T is not set"));
        assert!(token_from_env("T", |_| Some("  ".into())).is_err());
    }
}
