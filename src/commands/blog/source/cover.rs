//! The cover image: the front-matter keys other generators name it by (docs/BLOG.md's
//! dialect table). The first key found wins: themes often give the same picture twice.

use super::dialect::{Node, Problem, Table, Value};

/// Top-level keys, devkit's own first: Astro's starter `heroImage`, Hugo's `images` list and
/// PaperMod's `cover` (text, or a mapping with `image`), WordPress exports' `featured_image`.
pub const KEYS: &[&str] = &["image", "heroImage", "cover", "featured_image", "images"];
/// Mappings whose keys of the same names also name it: Zola's `[extra]`, Hugo's `[params]`.
const TABLES: &[&str] = &["extra", "params"];

/// The cover's URL as written, with its file line. A table of `TABLES` that names a cover is
/// read: it leaves `unknown`, and its other keys enter it (`extra.math`).
pub fn cover(
    table: &Table,
    problems: &mut Vec<Problem>,
    unknown: &mut Vec<(String, usize)>,
) -> Option<(String, usize)> {
    let mut found = first_in(table, "", problems);
    for name in TABLES {
        let Some((
            _,
            Node {
                value: Value::Table(inner),
                line,
            },
        )) = table.iter().find(|(k, _)| k == name)
        else {
            continue;
        };
        if !inner.iter().any(|(k, _)| KEYS.contains(&k.as_str())) {
            continue;
        }
        let inner_found = first_in(inner, &format!("{name}."), problems);
        found = found.or(inner_found);
        unknown.retain(|(k, l)| !(k == name && l == line));
        unknown.extend(
            inner
                .iter()
                .filter(|(k, _)| !KEYS.contains(&k.as_str()))
                .map(|(k, n)| (format!("{name}.{k}"), n.line)),
        );
    }
    found
}

fn first_in(table: &Table, path: &str, problems: &mut Vec<Problem>) -> Option<(String, usize)> {
    let mut found = None;
    for key in KEYS {
        let Some((_, node)) = table.iter().find(|(k, _)| k == key) else {
            continue;
        };
        match read(node) {
            Ok(Some(url)) => {
                found = found.or(Some(url));
            }
            Ok(None) => {}
            Err(kind) => problems.push(Problem {
                line: node.line,
                message: format!(
                    "{path}{key}: expected an image's URL or path as text, found {kind}"
                ),
            }),
        }
    }
    found
}

/// Text; a list's first item (Hugo's `images`); a mapping's `image` or `src` (themes' `cover`).
fn read(node: &Node) -> Result<Option<(String, usize)>, &'static str> {
    match &node.value {
        Value::Null => Ok(None),
        Value::Text(s) => Ok(Some(s.trim())
            .filter(|s| !s.is_empty())
            .map(|s| (s.to_string(), node.line))),
        Value::List(items) => items.first().map_or(Ok(None), read),
        Value::Table(inner) => inner
            .iter()
            .find(|(k, _)| k == "image" || k == "src")
            .map_or(Ok(None), |(_, n)| read(n)),
        other => Err(other.kind()),
    }
}
