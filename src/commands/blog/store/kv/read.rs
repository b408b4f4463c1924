//! What `blog pull` reads from KV: every post key with its metadata, the `~source/` values
//! (or a format-1 key's Markdown) in bulk gets, and the files' bytes.

use std::collections::BTreeMap;

use anyhow::Result;
use base64::Engine as _;

use super::{Listed, Wrangler};
use crate::commands::blog::model::{ASSETS, Entry, FORMAT, MARKER, SOURCE, sha256_hex};
use crate::commands::blog::store::Assets;
use crate::error::DevkitError;

pub fn entries(wrangler: &mut Wrangler, skip: &dyn Fn(&str) -> bool) -> Result<Vec<Entry>> {
    let prefix = wrangler.settings.prefix.clone();
    // Decided once per key (`skip` counts what it keeps), when its listing comes in.
    let mut decided = BTreeMap::new();
    let mut keys_of = |listed: &[Listed]| -> Vec<String> {
        let mut keys = Vec::new();
        for (key, meta) in listed {
            let read = to_read(&prefix, key, meta.as_ref(), skip);
            if let Read::Value { key, .. } = &read {
                keys.push(key.clone());
            }
            decided.insert(key.clone(), read);
        }
        keys
    };
    let (listed, mut values) = wrangler.list_posts_and_get(&mut keys_of)?;
    let mut entries = Vec::new();
    for (key, meta) in listed {
        let slug = key[prefix.len()..].to_string();
        let read = decided
            .remove(&key)
            .expect("list_posts_and_get hands every listed key to keys_of");
        match read {
            Read::Skip => {}
            Read::Unusable(why) => entries.push(Entry::Unusable { slug, why }),
            Read::Value { key, is_source } => {
                let value = values.remove(&key).flatten();
                let meta = meta.unwrap_or(serde_json::Value::Null);
                entries.push(Entry::from_value(slug, meta, value, is_source));
            }
        }
    }
    Ok(entries)
}

pub fn assets(wrangler: &mut Wrangler, names: &[String]) -> Result<Assets> {
    let keys: Vec<String> = names
        .iter()
        .map(|name| format!("{}{}{name}", wrangler.settings.prefix, ASSETS))
        .collect();
    let missing =
        |key: &str| DevkitError::failure(format!("the asset key {key} is missing from the store"));
    let mut out = BTreeMap::new();
    if wrangler.settings.remote {
        // Cloudflare's bulk get answers text, which binary files do not survive: one
        // byte-exact `kv key get` each.
        for (name, key) in names.iter().zip(&keys) {
            let stored = wrangler.get_bytes(key)?.ok_or_else(|| missing(key))?;
            out.insert(name.clone(), file_of_asset(name, stored));
        }
    } else {
        // Local state keeps each file as base64 text, which one bulk get carries intact.
        let mut values = wrangler.get_values(&keys)?;
        for (name, key) in names.iter().zip(&keys) {
            let stored = values.remove(key).flatten().ok_or_else(|| missing(key))?;
            out.insert(name.clone(), file_of_asset(name, stored.into_bytes()));
        }
    }
    Ok(out)
}

/// What pulling a listed key takes.
enum Read {
    /// A local file has its slug.
    Skip,
    /// The value of `key`: the post's `~source/` record, or (`is_source: false`) the Markdown
    /// itself, as format 1 and the seed's model keep it.
    Value {
        key: String,
        is_source: bool,
    },
    Unusable(String),
}

fn to_read(
    prefix: &str,
    key: &str,
    meta: Option<&serde_json::Value>,
    skip: &dyn Fn(&str) -> bool,
) -> Read {
    let slug = &key[prefix.len()..];
    if skip(slug) {
        return Read::Skip;
    }
    let is_object = meta.is_some_and(serde_json::Value::is_object);
    match meta
        .and_then(|m| m.get(MARKER))
        .and_then(serde_json::Value::as_u64)
    {
        Some(FORMAT) => Read::Value {
            key: format!("{prefix}{}{slug}", SOURCE),
            is_source: true,
        },
        Some(1) | None if is_object => Read::Value {
            key: key.to_string(),
            is_source: false,
        },
        Some(n) => Read::Unusable(format!(
            "stored in devkit's format {n}, which this devkit does not know"
        )),
        None => Read::Unusable("the key has no metadata (title, status, date)".into()),
    }
}

/// The file an asset key holds: its bytes, or (in wrangler's local state, whose bulk put
/// cannot carry binary; see `kv::Wrangler::put`) their base64 text. The name is the file's
/// SHA-256, so whichever of the two matches it is the file; neither is left for the caller's
/// check to refuse.
fn file_of_asset(name: &str, stored: Vec<u8>) -> Vec<u8> {
    let hash = name.split('.').next().unwrap_or("");
    if sha256_hex(&stored) == hash {
        return stored;
    }
    match base64::engine::general_purpose::STANDARD.decode(stored.trim_ascii()) {
        Ok(decoded) if sha256_hex(&decoded) == hash => decoded,
        _ => stored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kv_entries_from_metadata_and_values() {
        let meta = serde_json::json!({"title": "T", "status": "draft", "date": "2024-01-01"});
        assert!(matches!(
            Entry::from_value("t".into(), meta.clone(), Some("Body".into()), false),
            Entry::Markdown { devkit: false, .. }
        ));
        assert!(matches!(
            Entry::from_value("t".into(), meta, None, true),
            Entry::Unusable { why, .. } if why.contains("source key is missing")
        ));
        assert!(matches!(
            Entry::from_value("t".into(), serde_json::Value::Null, Some("not json".into()), true),
            Entry::Unusable { why, .. } if why.contains("not devkit's source JSON")
        ));
    }

    #[test]
    fn an_asset_is_its_bytes_or_their_base64_text_whichever_matches_its_name() {
        let file = b"\x89PNG\r\n\x1a\n not text".to_vec();
        let name = format!("{}.png", sha256_hex(&file));
        assert_eq!(file_of_asset(&name, file.clone()), file);
        let text = base64::engine::general_purpose::STANDARD.encode(&file);
        assert_eq!(file_of_asset(&name, text.into_bytes()), file);
        // Neither matches: handed back as stored, for the caller to refuse.
        assert_eq!(file_of_asset(&name, b"other".to_vec()), b"other");
    }
}
