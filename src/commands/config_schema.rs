//! `devkit config schema`: a JSON Schema (draft 2020-12) of devkit.yaml, built from `KEYS`,
//! the table the loader checks files against, so the two cannot drift. Each key's schema
//! accepts what `config::parse_file` accepts (a test holds them to it); editors with the YAML
//! language server then flag an unknown or misspelt key, as devkit itself would.

use std::io::Write;

use anyhow::Result;
use serde_json::{Map, Value as Json, json};

use crate::config::{KEYS, KeyDef, Kind};
use crate::error::ExitStatus;

pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The whole schema: sections are objects (or empty), keys are leaves, and every level
/// refuses properties it does not know.
pub fn schema() -> Json {
    let mut root = section(
        "devkit's configuration: the project's devkit.yaml or the user's \
         ~/.config/devkit/config.yaml (every key is optional)",
    );
    for def in KEYS {
        let parts: Vec<&str> = def.key.split('.').collect();
        let (leaf, sections) = parts.split_last().expect("a key has a name");
        let mut node = &mut root;
        for (depth, name) in sections.iter().enumerate() {
            let title = parts[..=depth].join(".");
            node = properties(node)
                .entry(name.to_string())
                .or_insert_with(|| section(&format!("the `{title}` keys")));
        }
        properties(node).insert(leaf.to_string(), key_schema(def));
    }
    if let Json::Object(map) = &mut root {
        map.insert("$schema".into(), DRAFT.into());
        map.insert("title".into(), "devkit.yaml".into());
    }
    root
}

fn section(description: &str) -> Json {
    json!({
        "description": description,
        // `blog:` with nothing under it is an empty section, which the loader accepts.
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": {},
    })
}

fn properties(node: &mut Json) -> &mut Map<String, Json> {
    node.get_mut("properties")
        .and_then(Json::as_object_mut)
        .expect("a section has properties")
}

/// One key: what the loader accepts for its kind, its doc, and its default as a JSON value.
fn key_schema(def: &KeyDef) -> Json {
    // A string key also takes an integer or a boolean, which the loader reads as their text
    // (`remote: 1` is the remote "1"); an empty string is refused.
    let scalar = json!({"type": ["string", "integer", "boolean"], "minLength": 1});
    let mut out = match def.kind {
        Kind::Str => scalar,
        Kind::Bool => json!({"type": "boolean"}),
        Kind::UInt => json!({"type": "integer", "minimum": 0}),
        // Seconds as a number, or text that jiff reads as a positive duration: `60s`,
        // `1m 30s`, `PT1M` (the pattern only rules out what can never parse, like `soon`).
        Kind::Duration => json!({
            "type": ["integer", "string"],
            "minimum": 0,
            "pattern": r"^\s*\+?\s*([0-9]|[Pp])",
        }),
        // A list item may be empty (the loader keeps it); a lone string is a one-item list.
        Kind::List => json!({
            "type": ["array", "string"],
            "items": {"type": ["string", "integer", "boolean"]},
        }),
        Kind::Choice(choices) => json!({"enum": choices()}),
    };
    let map = out.as_object_mut().expect("an object");
    map.insert("description".into(), def.doc.into());
    if let Some(default) = def.default {
        map.insert("default".into(), default_json(def.kind, default));
    }
    out
}

/// A default as the user would write it in the file: `76`, `false`, `60s`, `auto`.
fn default_json(kind: Kind, text: &str) -> Json {
    match kind {
        Kind::UInt => text.parse::<u64>().map_or_else(|_| text.into(), Json::from),
        Kind::Bool => text
            .parse::<bool>()
            .map_or_else(|_| text.into(), Json::from),
        Kind::List => Json::from(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>(),
        ),
        Kind::Str | Kind::Duration | Kind::Choice(_) => text.into(),
    }
}

pub fn run() -> Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &schema())?;
    writeln!(out)?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_a_leaf_under_its_sections() {
        let schema = schema();
        for def in KEYS {
            let mut node = &schema;
            for part in def.key.split('.') {
                assert_eq!(node["additionalProperties"], false, "{}", def.key);
                node = &node["properties"][part];
            }
            assert_eq!(node["description"], def.doc, "{}", def.key);
            assert_eq!(node.get("default").is_some(), def.default.is_some());
        }
        assert_eq!(schema["$schema"], DRAFT);
        assert_eq!(
            schema["properties"]["b64"]["properties"]["wrap"]["default"],
            76
        );
        assert_eq!(
            schema["properties"]["blog"]["properties"]["target"]["enum"],
            json!(["kv", "do", "d1"])
        );
    }
}
