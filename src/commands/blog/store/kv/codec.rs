//! KV's side of the storage format: the metadata of devkit's `~source/` and `~assets/` keys,
//! the items of a bulk put, and what wrangler prints for a listing and a bulk get.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::{Listed, Values};
use crate::commands::blog::model::{ASSETS, FORMAT, MARKER, Metadata, SOURCE, STAGED, Staged};
use crate::commands::blog::plan::{Remote, RemoteKey};

/// The metadata of a `~source/` or `~assets/` key.
#[derive(Debug, Serialize, Deserialize)]
pub struct SideMetadata {
    pub devkit: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<usize>,
    /// `base64` when the value is the file in base64 text (local state; see `put`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

#[derive(Serialize)]
pub struct BulkItem<'a> {
    pub key: &'a str,
    pub value: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub base64: bool,
    pub metadata: serde_json::Value,
}

/// What `wrangler kv bulk get` printed, as text per key.
pub fn parse_bulk_get_output(stdout: &[u8]) -> Result<Values> {
    let json = first_json(&String::from_utf8_lossy(stdout))
        .context("wrangler kv bulk get printed no JSON")?;
    parse_bulk_get(json)
}

/// `wrangler kv bulk get` output as text per key (`None` where a key is gone). Local state
/// answers `{"key": {"value": …}}`, Cloudflare's API `{"key": …}`.
pub fn parse_bulk_get(json: serde_json::Value) -> Result<Values> {
    let map: BTreeMap<String, serde_json::Value> =
        serde_json::from_value(json).context("wrangler kv bulk get printed unexpected JSON")?;
    Ok(map
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                serde_json::Value::Object(mut o) => o.remove("value"),
                other => Some(other),
            };
            let text = match value {
                Some(serde_json::Value::String(s)) => Some(s),
                Some(serde_json::Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            };
            (k, text)
        })
        .collect())
}

/// `wrangler kv key list` output with each key's metadata as it is.
pub fn parse_raw_list(stdout: &str) -> Result<Vec<Listed>> {
    #[derive(Deserialize)]
    struct Entry {
        name: String,
        #[serde(default)]
        metadata: Option<serde_json::Value>,
    }
    let json = first_json(stdout).context("wrangler kv key list printed no JSON")?;
    let listed: Vec<Entry> =
        serde_json::from_value(json).context("wrangler kv key list printed unexpected JSON")?;
    Ok(listed.into_iter().map(|l| (l.name, l.metadata)).collect())
}

/// Listed keys under `prefix` as the plan sees them.
pub fn classify(prefix: &str, keys: Vec<Listed>) -> Remote {
    keys.into_iter()
        .map(|(name, metadata)| {
            let key = remote_key(prefix, &name, metadata.as_ref());
            (name, key)
        })
        .collect()
}

/// What a listed key is to the plan: devkit's asset or source record, a post devkit wrote
/// (its metadata), or a foreign key.
pub fn remote_key(prefix: &str, name: &str, metadata: Option<&serde_json::Value>) -> RemoteKey {
    let rest = name.strip_prefix(prefix).unwrap_or(name);
    let ours = metadata
        .and_then(|m| m.get(MARKER))
        .and_then(serde_json::Value::as_u64)
        == Some(FORMAT);
    if rest.starts_with(ASSETS) && ours {
        RemoteKey::Asset
    } else if rest.starts_with(SOURCE) && ours {
        RemoteKey::Source
    } else if rest == STAGED && ours {
        // Its value says what it holds: the listing reads it (`Wrangler::list`).
        RemoteKey::Staged(Staged::default())
    } else {
        metadata
            .and_then(Metadata::parse)
            .map_or(RemoteKey::Foreign, RemoteKey::Devkit)
    }
}

/// The first JSON value in wrangler's stdout (it may print a banner before, or `Success!` after).
pub fn first_json(stdout: &str) -> Option<serde_json::Value> {
    let start = stdout
        .match_indices(['[', '{'])
        .map(|(i, _)| i)
        .find(|i| *i == 0 || stdout[..*i].ends_with('\n'))?;
    let mut values = serde_json::Deserializer::from_str(&stdout[start..]).into_iter();
    values.next()?.ok()
}

/// The bulk item of the `~staged` key: its record as the value, devkit's marker as metadata.
pub fn staged_item(key: &str, staged: &Staged) -> Result<Vec<u8>> {
    let value = serde_json::to_string(staged)?;
    Ok(serde_json::to_vec(&BulkItem {
        key,
        value: &value,
        base64: false,
        metadata: serde_json::json!({ MARKER: FORMAT }),
    })?)
}
