//! The KV bindings a wrangler config declares (`wrangler.json`, `wrangler.jsonc` or
//! `wrangler.toml`), read without running wrangler: pure text in, names out.

use std::path::{Path, PathBuf};

/// The file names wrangler 4 looks for, in its order, in the directory it runs in and upward.
pub use crate::commands::blog::store::kv::CONFIG_FILE_NAMES as FILE_NAMES;

/// The nearest wrangler config from `start` upward, as wrangler finds it without `--config`.
pub fn find(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.is_file())
    })
}

/// The `kv_namespaces[].binding` names, for `env` when given (wrangler does not inherit
/// `kv_namespaces` into an environment). `Err` says why the file could not be read.
pub fn kv_bindings(path: &Path, text: &str, env: Option<&str>) -> Result<Vec<String>, String> {
    declared(path, text, env, "kv_namespaces", "binding")
}

/// `d1_databases[].field` (`binding` or `database_name`), as [`kv_bindings`] reads KV's.
pub fn d1_names(
    path: &Path,
    text: &str,
    env: Option<&str>,
    field: &str,
) -> Result<Vec<String>, String> {
    declared(path, text, env, "d1_databases", field)
}

/// `section[].field` of the config (of `env` when given).
fn declared(
    path: &Path,
    text: &str,
    env: Option<&str>,
    section: &str,
    field: &str,
) -> Result<Vec<String>, String> {
    let root: serde_json::Value = if path.extension().is_some_and(|e| e == "toml") {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map_or(1, |span| 1 + text[..span.start].matches('\n').count());
            format!("line {line}: {}", e.message())
        })?;
        serde_json::to_value(table).map_err(|e| e.to_string())?
    } else {
        let json = strip_jsonc(text);
        serde_json::from_str(&json).map_err(|e| format!("line {}: {e}", e.line()))?
    };
    let scope = match env {
        Some(name) => root
            .get("env")
            .and_then(|e| e.get(name))
            .ok_or_else(|| format!("it has no environment `{name}` (blog.wrangler.env)"))?,
        None => &root,
    };
    Ok(scope
        .get(section)
        .and_then(serde_json::Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|ns| ns.get(field)?.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// JSONC → JSON: `//` and `/* */` comments and trailing commas go, strings stay as they are.
/// Removed text becomes spaces (newlines kept), so a JSON error's line is the file's line.
pub fn strip_jsonc(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                out.extend_from_slice(&bytes[start..i]);
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out.push(b' ');
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                out.extend(
                    bytes[i..end]
                        .iter()
                        .map(|&b| if b == b'\n' { b'\n' } else { b' ' }),
                );
                i = end;
            }
            b',' => {
                // A comma followed (past blanks and comments) by `}` or `]` is a trailing one.
                let rest = strip_jsonc_tail(&text[i + 1..]);
                let next = rest.trim_start().bytes().next();
                out.push(if matches!(next, Some(b'}' | b']')) {
                    b' '
                } else {
                    b','
                });
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("only ASCII was replaced")
}

/// What follows a comma, with its leading comments blanked, far enough to see the next token.
fn strip_jsonc_tail(rest: &str) -> String {
    let mut s = rest;
    loop {
        let t = s.trim_start();
        if let Some(after) = t.strip_prefix("//") {
            s = after.find('\n').map_or("", |n| &after[n..]);
        } else if let Some(after) = t.strip_prefix("/*") {
            s = after.find("*/").map_or("", |n| &after[n + 2..]);
        } else {
            return t.chars().take(1).collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonc_comments_and_trailing_commas_are_stripped_but_strings_kept() {
        let text = "{\n  // a comment\n  \"url\": \"http://x//y\", /* a\nblock */\n  \"list\": [1, 2, // last\n  ],\n}\n";
        let json: serde_json::Value = serde_json::from_str(&strip_jsonc(text)).unwrap();
        assert_eq!(json["url"], "http://x//y");
        assert_eq!(json["list"], serde_json::json!([1, 2]));
        assert_eq!(strip_jsonc(text).lines().count(), text.lines().count());
        let quoted = r#"{"a": "say \"/* not a comment */\""}"#;
        let json: serde_json::Value = serde_json::from_str(&strip_jsonc(quoted)).unwrap();
        assert_eq!(json["a"], "say \"/* not a comment */\"");
    }

    #[test]
    fn d1_databases_by_binding_or_name() {
        let jsonc = "{\"d1_databases\": [{\"binding\": \"DB\", \"database_name\": \"blog\"}]}";
        let path = Path::new("wrangler.jsonc");
        assert_eq!(d1_names(path, jsonc, None, "binding").unwrap(), ["DB"]);
        assert_eq!(
            d1_names(path, jsonc, None, "database_name").unwrap(),
            ["blog"]
        );
        assert!(d1_names(path, "{}", None, "binding").unwrap().is_empty());
    }

    #[test]
    fn bindings_from_jsonc_toml_and_an_environment() {
        let jsonc = "{\n // c\n \"kv_namespaces\": [{\"binding\": \"POSTS\", \"id\": \"x\"},],\n \"env\": {\"staging\": {\"kv_namespaces\": [{\"binding\": \"STAGE\"}]}}\n}";
        let path = Path::new("wrangler.jsonc");
        assert_eq!(kv_bindings(path, jsonc, None).unwrap(), ["POSTS"]);
        assert_eq!(
            kv_bindings(path, jsonc, Some("staging")).unwrap(),
            ["STAGE"]
        );
        assert!(
            kv_bindings(path, jsonc, Some("prod"))
                .unwrap_err()
                .contains("prod")
        );
        let toml = "name = \"w\"\n[[kv_namespaces]]\nbinding = \"A\"\nid = \"1\"\n[[kv_namespaces]]\nbinding = \"B\"\n";
        assert_eq!(
            kv_bindings(Path::new("wrangler.toml"), toml, None).unwrap(),
            ["A", "B"]
        );
        let err = kv_bindings(path, "{\n\"a\": 1\n\"b\": 2}", None).unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
        let err = kv_bindings(Path::new("wrangler.toml"), "a = 1\nb = \n", None).unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }
}
