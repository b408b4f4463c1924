//! What devkit reads from D1, each in one `wrangler d1 execute --json` call: the listing a
//! push plans against (slugs, hashes and index fields, asset names, the schema's state), and
//! for `blog pull` the sources, foreign bodies and files, reassembled from their chunks.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde_json::Value as Json;

use super::schema::{self, State};
use crate::commands::blog::model::{ASSETS, Entry, FORMAT};
use crate::commands::blog::plan::{Remote, RemoteKey};
use crate::commands::blog::store::durable::Row;

/// The listing: the tables, the version row, the posts without their pages, the files.
pub const LIST: &str = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name; \
SELECT value FROM devkit_meta WHERE key = 'schema_version'; \
SELECT slug, title, status, date, hash, excerpt, tags, updated, \
CASE WHEN hash IS NULL OR hash = '' THEN body END AS body FROM posts ORDER BY slug; \
SELECT name FROM assets ORDER BY name";

/// When devkit's tables are not all there, the listing fails: the tables alone say why.
pub const TABLES: &str = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";

/// Every post's source (devkit's rows) or body (foreign rows), for `blog pull`.
pub const ENTRIES: &str = "SELECT slug, title, status, date, hash, body FROM posts ORDER BY slug; \
SELECT key, data FROM devkit_chunks WHERE part = 'source' ORDER BY key, n";

/// Every file's bytes, in order (`--json` shows a BLOB as text: its hex survives).
pub const FILES: &str =
    "SELECT key, hex(data) AS data FROM devkit_chunks WHERE part = 'file' ORDER BY key, n";

/// The result rows of each statement `wrangler d1 execute --json` ran.
pub fn results(stdout: &[u8]) -> Result<Vec<Vec<serde_json::Map<String, Json>>>> {
    let text = String::from_utf8_lossy(stdout);
    let start = text
        .find('[')
        .context("wrangler d1 execute printed no JSON")?;
    #[derive(serde::Deserialize)]
    struct Statement {
        #[serde(default)]
        results: Vec<serde_json::Map<String, Json>>,
    }
    let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter();
    let parsed: Vec<Statement> = stream
        .next()
        .context("wrangler d1 execute printed no JSON")?
        .context("wrangler d1 execute printed unexpected JSON")?;
    Ok(parsed.into_iter().map(|s| s.results).collect())
}

fn text(row: &serde_json::Map<String, Json>, column: &str) -> Option<String> {
    match row.get(column)? {
        Json::String(s) => Some(s.clone()),
        Json::Null => None,
        other => Some(other.to_string()),
    }
}

/// The names in a `SELECT name FROM sqlite_master` result.
pub fn tables(rows: &[serde_json::Map<String, Json>]) -> Vec<String> {
    rows.iter().filter_map(|r| text(r, "name")).collect()
}

/// The listing as the plan sees it, the schema's state, and the foreign rows' bodies.
pub fn listing(stdout: &[u8]) -> Result<(Remote, State, BTreeMap<String, Option<String>>)> {
    let results = results(stdout)?;
    let [tables_rows, version, posts, assets] = &results[..] else {
        anyhow::bail!(
            "wrangler d1 execute answered {} results for 4 statements",
            results.len()
        );
    };
    let version = version.first().and_then(|r| text(r, "value"));
    let state = schema::state(&tables(tables_rows), version.as_deref());
    let mut remote = Remote::new();
    let mut foreign = BTreeMap::new();
    for row in posts {
        let hash = text(row, "hash").filter(|h| !h.is_empty());
        let slug = text(row, "slug").unwrap_or_default();
        if hash.is_none() {
            foreign.insert(slug.clone(), text(row, "body"));
        }
        let tags = text(row, "tags").and_then(|t| serde_json::from_str(&t).ok());
        let (key, found) = Row {
            slug,
            title: text(row, "title"),
            status: text(row, "status"),
            date: text(row, "date"),
            devkit: hash.as_ref().map(|_| FORMAT),
            hash,
            excerpt: text(row, "excerpt"),
            tags,
            updated: text(row, "updated"),
            updated_at: None,
        }
        .into_key();
        remote.insert(key, found);
    }
    for row in assets {
        if let Some(name) = text(row, "name") {
            remote.insert(format!("{ASSETS}{name}"), RemoteKey::Asset);
        }
    }
    Ok((remote, state, foreign))
}

/// `blog pull`'s entries: devkit's rows from their source, foreign rows from their body.
pub fn entries(stdout: &[u8]) -> Result<Vec<Entry>> {
    let results = results(stdout)?;
    let [posts, chunks] = &results[..] else {
        anyhow::bail!(
            "wrangler d1 execute answered {} results for 2 statements",
            results.len()
        );
    };
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    for row in chunks {
        if let (Some(key), Some(data)) = (text(row, "key"), text(row, "data")) {
            sources.entry(key).or_default().push_str(&data);
        }
    }
    Ok(posts
        .iter()
        .map(|row| {
            let slug = text(row, "slug").unwrap_or_default();
            if text(row, "hash").is_some_and(|h| !h.is_empty()) {
                let source = sources.remove(&slug);
                Entry::from_value(slug, Json::Null, source, true)
            } else {
                let mut meta = row.clone();
                let body = text(row, "body");
                meta.remove("body");
                meta.remove("hash");
                Entry::from_value(slug, Json::Object(meta), body, false)
            }
        })
        .collect())
}

/// Every file's bytes by name.
pub fn files(stdout: &[u8]) -> Result<BTreeMap<String, Vec<u8>>> {
    let results = results(stdout)?;
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for row in results.first().into_iter().flatten() {
        let (Some(key), Some(hex)) = (text(row, "key"), text(row, "data")) else {
            continue;
        };
        let name = key.strip_prefix(ASSETS).unwrap_or(&key).to_string();
        let bytes = files.entry(name).or_default();
        for pair in hex.as_bytes().chunks(2) {
            let digits = std::str::from_utf8(pair).unwrap_or("");
            bytes.push(u8::from_str_radix(digits, 16).context("hex(data) is not hex")?);
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_gives_devkits_rows_foreign_rows_files_and_the_schema() {
        let out = br##"[
 {"results": [{"name": "assets"}, {"name": "devkit_chunks"}, {"name": "devkit_meta"}, {"name": "posts"}], "success": true, "meta": {}},
 {"results": [{"value": "1"}], "success": true, "meta": {}},
 {"results": [
   {"slug": "a", "title": "A", "status": "published", "date": "2025-01-01", "hash": "ab", "excerpt": "", "tags": "[\"t\"]", "updated": null, "body": null},
   {"slug": "b", "title": "B", "status": "draft", "date": "2025-01-01", "hash": null, "excerpt": null, "tags": null, "updated": null, "body": "# B"}
 ], "success": true, "meta": {}},
 {"results": [{"name": "ab.png"}], "success": true, "meta": {}}
]"##;
        let (remote, state, foreign) = listing(out).unwrap();
        assert_eq!(state, State::Current);
        assert!(
            matches!(&remote["a"], RemoteKey::Devkit(r) if r.hash == "ab" && r.tags == ["t"] && r.format == FORMAT)
        );
        assert_eq!(remote["b"], RemoteKey::Foreign);
        assert_eq!(remote["~assets/ab.png"], RemoteKey::Asset);
        assert_eq!(foreign["b"].as_deref(), Some("# B"));
    }

    #[test]
    fn files_come_back_from_their_hex_chunks_in_order() {
        let out = br#"[{"results": [
          {"key": "~assets/x.bin", "data": "00FF"}, {"key": "~assets/x.bin", "data": "10"},
          {"key": "~assets/y.png", "data": ""}]}]"#;
        let files = files(out).unwrap();
        assert_eq!(files["x.bin"], vec![0, 255, 16]);
        assert_eq!(files["y.png"], Vec::<u8>::new());
    }
}
