//! The blog's code keeps its shape: its rooms (model, source, render, page, plan, store,
//! push, pull, …) import each other without a cycle, and no function is longer than about
//! 100 lines. Read from the source files, so a change that breaks either fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const BLOG: &str = "src/commands/blog";
/// A function may run a little past 100 lines (a long `match` of messages); not much more.
const MAX_FN_LINES: usize = 110;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn blog_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(BLOG);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The room a file belongs to: its first path component (`store/kv/mod.rs` → `store`),
/// `blog` for the blog's own `mod.rs`.
fn room(rel: &str) -> String {
    match rel.split_once('/') {
        Some((dir, _)) => dir.to_string(),
        None if rel == "mod.rs" => "blog".to_string(),
        None => rel.trim_end_matches(".rs").to_string(),
    }
}

/// Every room a file names through `crate::commands::blog::ROOM` (in `use` lines or inline),
/// or through `super::ROOM` from a file directly in the blog folder.
fn imports(rel: &str, text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    for (i, _) in code.match_indices("crate::commands::blog::") {
        let rest = &code[i + "crate::commands::blog::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    if !rel.contains('/') {
        for (i, _) in code.match_indices("super::") {
            let name: String = code[i + "super::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn the_blog_rooms_import_each_other_without_a_cycle() {
    let files = blog_files();
    let rooms: BTreeSet<String> = files.iter().map(|(rel, _)| room(rel)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in &files {
        let from = room(rel);
        for to in imports(rel, text) {
            // A function of the blog's `mod.rs` (`content_dir`), or a room.
            let to = if rooms.contains(&to) {
                to
            } else {
                "blog".to_string()
            };
            if to != from {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    // Depth-first search for a back edge; the cycle is named when found.
    fn visit(
        room: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(at) = path.iter().position(|r| r == room) {
            panic!(
                "import cycle between the blog's rooms: {} → {room}\nedges: {edges:#?}",
                path[at..].join(" → ")
            );
        }
        if done.contains(room) {
            return;
        }
        path.push(room.to_string());
        for next in edges.get(room).into_iter().flatten() {
            visit(next, edges, path, done);
        }
        path.pop();
        done.insert(room.to_string());
    }
    let mut done = BTreeSet::new();
    for room in &rooms {
        visit(room, &edges, &mut Vec::new(), &mut done);
    }
}

#[test]
fn no_blog_function_is_much_longer_than_100_lines() {
    let mut long = Vec::new();
    for (rel, text) in blog_files() {
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let is_fn = ["fn ", "pub fn ", "pub(super) fn ", "pub(crate) fn "]
                .iter()
                .any(|p| trimmed.starts_with(p));
            if !is_fn || trimmed.ends_with(';') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            let closing = format!("{}}}", " ".repeat(indent));
            let end = lines[n..]
                .iter()
                .position(|l| *l == closing)
                .map_or(lines.len(), |e| n + e);
            let length = end - n + 1;
            if length > MAX_FN_LINES {
                long.push(format!("{rel}:{}: {length} lines", n + 1));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines:\n{}",
        long.join("\n")
    );
}
