//! What `blog pull` reads from the Durable Object: `GET /export`, every post and file at once.

use std::collections::BTreeMap;

use base64::Engine as _;

use crate::commands::blog::model::Entry;
use crate::commands::blog::store::Assets;

/// `GET /export`: `{"posts": [{slug, title, status, date, source?, body?}], "assets":
/// [{name, data (base64)}]}` (docs/BLOG.md).
pub fn parse_export(body: &[u8]) -> Result<(Vec<Entry>, Assets), String> {
    #[derive(serde::Deserialize)]
    struct Export {
        posts: Vec<serde_json::Map<String, serde_json::Value>>,
        #[serde(default)]
        assets: Vec<Asset>,
    }
    #[derive(serde::Deserialize)]
    struct Asset {
        name: String,
        data: String,
    }
    let export: Export = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut entries = Vec::new();
    for mut row in export.posts {
        let Some(slug) = row.get("slug").and_then(|s| s.as_str()).map(str::to_string) else {
            return Err("a post row has no slug".into());
        };
        let source = match row.remove("source") {
            Some(serde_json::Value::String(s)) => Some(s),
            // The row may carry the source as JSON rather than as its text.
            Some(v @ serde_json::Value::Object(_)) => Some(v.to_string()),
            _ => None,
        };
        let entry = match source {
            Some(text) => Entry::from_value(slug, serde_json::Value::Null, Some(text), true),
            None => {
                let body = row
                    .remove("body")
                    .and_then(|b| b.as_str().map(str::to_string));
                let meta = serde_json::Value::Object(row);
                Entry::from_value(slug, meta, body, false)
            }
        };
        entries.push(entry);
    }
    let mut assets = BTreeMap::new();
    for a in export.assets {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(a.data.as_bytes())
            .map_err(|e| format!("asset {}: {e}", a.name))?;
        assets.insert(a.name, bytes);
    }
    Ok((entries, assets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_gives_sources_foreign_rows_and_assets() {
        let source = serde_json::json!({"path": "a.md", "text": "---\ntitle: A\ndate: 2025-01-01\n---\nA\n", "assets": {}});
        let body = serde_json::json!({
            "posts": [
                {"slug": "a", "title": "A", "status": "published", "date": "2025-01-01", "hash": "h", "source": source.to_string()},
                {"slug": "seed", "title": "Seed", "status": "draft", "date": "2024-02-02", "body": "Hi\n"},
                {"slug": "gone", "title": "G", "status": "draft", "date": "2024-02-02"},
            ],
            "assets": [{"name": "x.png", "content_type": "image/png", "data": "iVBORw=="}],
        });
        let (entries, assets) = parse_export(body.to_string().as_bytes()).unwrap();
        assert!(matches!(&entries[0], Entry::Source { source, .. } if source.path == "a.md"));
        assert!(
            matches!(&entries[1], Entry::Markdown { body, devkit: false, .. } if body == "Hi\n")
        );
        assert!(matches!(&entries[2], Entry::Unusable { .. }));
        assert_eq!(assets["x.png"], vec![0x89, b'P', b'N', b'G']);
        assert!(parse_export(b"{\"rows\": []}").is_err());
    }
}
