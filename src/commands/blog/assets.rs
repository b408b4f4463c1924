//! Files posts link: a relative URL is resolved against the post's own file, a URL from the
//! site root (`/a.png`) against the static folder (`blog.static`); each file is read, hashed
//! (SHA-256), typed and published content-addressed under `~assets/<sha256>.<ext>`.
//! Resolving is pure over a `read` function, so tests need no disk.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::commands::blog::render::LocalRef;
use crate::commands::blog::source::{Diagnostic, Post, Severity};

/// One file a post links, as it is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// `<64 hex digits of SHA-256>.<ext>`: what the store keys it by and `/assets/` serves.
    pub name: String,
    /// The file, as resolved (lexically normalised).
    pub path: PathBuf,
    pub content_type: String,
    pub bytes: Arc<[u8]>,
}

/// Every asset of the posts, by name.
pub type Files = BTreeMap<String, Asset>;

/// What one post links: the URL as written → the asset's name.
pub type Links = BTreeMap<String, String>;

/// The largest file the store holds; for the error, how to say which limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bytes: usize,
    pub what: &'static str,
}

/// Where and how the files a post names are found.
pub struct Lookup<'a> {
    pub limit: Limit,
    /// The folder a URL from the site root names a file in; `None`: there is none.
    pub static_dir: Option<&'a Path>,
    pub read: &'a dyn Fn(&Path) -> std::io::Result<Vec<u8>>,
}

/// Resolve, read and hash the files `refs` name for `post`. Files already in `files` (from
/// another post) are not read again. Missing files and files over the limit are errors at
/// the line the URL is on; a URL from the site root with no static folder, a warning.
pub fn resolve(
    post: &Post,
    refs: &[LocalRef],
    lookup: &Lookup,
    files: &mut Files,
    by_path: &mut BTreeMap<PathBuf, String>,
    out: &mut Vec<Diagnostic>,
) -> Links {
    let dir = post.path.parent().unwrap_or(Path::new(""));
    let limit = lookup.limit;
    let mut links = Links::new();
    for r in refs {
        if links.contains_key(&r.url) {
            continue;
        }
        let Some(relative) = file_part(&r.url) else {
            continue;
        };
        let diagnostic = |severity: Severity, message: String| Diagnostic {
            path: post.path.clone(),
            line: r.line,
            severity,
            message,
            others: Vec::new(),
        };
        let error = |message: String| diagnostic(Severity::Error, message);
        let rooted = relative.strip_prefix('/');
        let path = match (rooted, lookup.static_dir) {
            (None, _) => normalize(&dir.join(&relative)),
            (Some(inside), Some(root)) => normalize(&root.join(inside)),
            (Some(_), None) => {
                out.push(diagnostic(
                    Severity::Warning,
                    format!(
                        "`{}` names a file from the site root, and there is no static folder (blog.static, or a public/ or static/ folder beside blog.content): left as written",
                        r.url
                    ),
                ));
                continue;
            }
        };
        if let Some(name) = by_path.get(&path) {
            links.insert(r.url.clone(), name.clone());
            continue;
        }
        let bytes = match (lookup.read)(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                let why = if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file".to_string()
                } else {
                    e.to_string()
                };
                let against = match (rooted, lookup.static_dir) {
                    (Some(_), Some(root)) => format!(
                        "a URL from the site root is resolved against the static folder {}",
                        root.display()
                    ),
                    _ => "a relative URL is resolved against the post's folder".into(),
                };
                out.push(error(format!(
                    "`{}` links {}: {why} ({against})",
                    r.url,
                    path.display()
                )));
                continue;
            }
        };
        if bytes.len() > limit.bytes {
            out.push(error(format!(
                "`{}` ({}) is {} bytes; {} holds at most {} bytes",
                r.url,
                path.display(),
                bytes.len(),
                limit.what,
                limit.bytes
            )));
            continue;
        }
        let name = name_of(&bytes, &path);
        let content_type = content_type(&path).to_string();
        by_path.insert(path.clone(), name.clone());
        files.entry(name.clone()).or_insert_with(|| Asset {
            name: name.clone(),
            path,
            content_type,
            bytes: bytes.into(),
        });
        links.insert(r.url.clone(), name);
    }
    links
}

/// The content type a file is served with, by its extension (any case): the formats a post
/// links (images, audio, video, fonts, documents, text and source files), else
/// `application/octet-stream`. Text is marked UTF-8 so a browser shows it as written.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "png" => "image/png",
        "apng" => "image/apng",
        "jpg" | "jpeg" | "jpe" | "jfif" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "jxl" => "image/jxl",
        "heic" => "image/heic",
        "heif" => "image/heif",
        "svg" | "svgz" => "image/svg+xml",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogv" => "video/ogg",
        "mov" => "video/quicktime",
        "mkv" => "video/x-matroska",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "oga" | "ogg" | "opus" => "audio/ogg",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "aac" => "audio/aac",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "epub" => "application/epub+zip",
        "zip" => "application/zip",
        "gz" | "tgz" => "application/gzip",
        "tar" => "application/x-tar",
        "wasm" => "application/wasm",
        "json" | "ipynb" | "geojson" => "application/json",
        "xml" => "application/xml",
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "md" | "markdown" => "text/markdown; charset=utf-8",
        "vtt" => "text/vtt; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "text" | "log" | "diff" | "patch" | "yaml" | "yml" | "toml" | "ini" | "cfg"
        | "conf" | "sh" | "bash" | "zsh" | "fish" | "ps1" | "py" | "rb" | "pl" | "lua" | "r"
        | "rs" | "go" | "c" | "h" | "cc" | "cpp" | "hpp" | "cs" | "java" | "kt" | "swift"
        | "scala" | "hs" | "ml" | "ex" | "exs" | "erl" | "clj" | "ts" | "tsx" | "jsx" | "sql"
        | "tex" | "bib" | "srt" | "asc" | "pem" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The file path in a relative URL: without `?query` or `#fragment`, percent-decoded.
/// `None` when nothing is left (`?x`, `#top`) or it does not decode to UTF-8.
pub fn file_part(url: &str) -> Option<String> {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let raw = &url[..end];
    if raw.is_empty() {
        return None;
    }
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// `a/./b/../c` → `a/c`, without touching the disk (a symlink is followed by `read`).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// `<sha256 hex>.<ext lowercased>`, or the bare hash for a file without an extension.
pub fn name_of(bytes: &[u8], path: &Path) -> String {
    let hash = Sha256::digest(bytes);
    let mut name = String::with_capacity(70);
    for b in hash {
        name.push_str(&format!("{b:02x}"));
    }
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        name.push('.');
        name.push_str(&ext.to_ascii_lowercase());
    }
    name
}

/// The SHA-256 part of an asset's name.
pub fn hash_of(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::blog::render::RefKind;

    fn local(url: &str, line: usize) -> LocalRef {
        LocalRef {
            url: url.into(),
            line,
            kind: RefKind::Image,
        }
    }

    #[test]
    fn urls_lose_query_and_fragment_and_are_decoded() {
        assert_eq!(file_part("a%20b.png?v=1#x").as_deref(), Some("a b.png"));
        assert_eq!(file_part("#top"), None);
        assert_eq!(file_part("?x"), None);
        assert_eq!(
            normalize(Path::new("posts/./img/../pic.png")),
            PathBuf::from("posts/pic.png")
        );
        assert_eq!(
            normalize(Path::new("posts/../../shared/x.png")),
            PathBuf::from("../shared/x.png")
        );
    }

    #[test]
    fn names_are_content_addressed_with_the_extension_lowercased() {
        let name = name_of(b"abc", Path::new("x/Pic.PNG"));
        assert_eq!(
            name,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.png"
        );
        assert_eq!(hash_of(&name).len(), 64);
        assert_eq!(name_of(b"abc", Path::new("LICENSE")).len(), 64);
    }

    #[test]
    fn content_types_come_from_the_extension_in_any_case() {
        let of = |p: &str| content_type(Path::new(p));
        assert_eq!(of("img/a.PNG"), "image/png");
        assert_eq!(of("a.jpeg"), "image/jpeg");
        assert_eq!(of("a.svg"), "image/svg+xml");
        assert_eq!(of("clip.webm"), "video/webm");
        assert_eq!(of("talk.pdf"), "application/pdf");
        assert_eq!(of("f.woff2"), "font/woff2");
        assert_eq!(of("example.py"), "text/plain; charset=utf-8");
        assert_eq!(of("data.csv"), "text/csv; charset=utf-8");
        assert_eq!(of("archive.7z"), "application/octet-stream");
        assert_eq!(of("Makefile"), "application/octet-stream");
        assert_eq!(of("dir.png/file"), "application/octet-stream");
    }

    fn post_at(path: &str) -> Post {
        let text = "---\ntitle: T\ndate: 2025-01-01\n---\nbody\n";
        let files = [crate::commands::blog::source::SourceFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }];
        crate::commands::blog::source::parse(&files, |_| Vec::new())
            .unwrap()
            .posts
            .remove(0)
    }

    #[test]
    fn files_resolve_against_the_post_and_errors_name_the_line() {
        let post = post_at("posts/2025/a.md");
        let read = |p: &Path| match p.to_str() {
            Some("posts/2025/img/pic.png") => Ok(b"png!".to_vec()),
            Some("posts/big.pdf") => Ok(vec![0; 11]),
            _ => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
        };
        let limit = Limit {
            bytes: 10,
            what: "a test store",
        };
        let (mut files, mut by_path, mut out) = (Files::new(), BTreeMap::new(), Vec::new());
        let links = resolve(
            &post,
            &[
                local("./img/pic.png", 7),
                local("img/pic.png?x", 8),
                local("missing.png", 9),
                local("../big.pdf", 10),
            ],
            &Lookup {
                limit,
                static_dir: None,
                read: &read,
            },
            &mut files,
            &mut by_path,
            &mut out,
        );
        assert_eq!(links.len(), 2);
        assert_eq!(links["./img/pic.png"], links["img/pic.png?x"]);
        let asset = &files[&links["./img/pic.png"]];
        assert_eq!(asset.content_type, "image/png");
        assert_eq!(&*asset.bytes, b"png!");
        let messages: Vec<String> = out.iter().map(|d| d.render(Path::new(""))).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].starts_with(
                "posts/2025/a.md:9: `missing.png` links posts/2025/missing.png: no such file"
            ),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("posts/2025/a.md:10: `../big.pdf` (posts/big.pdf) is 11 bytes; a test store holds at most 10"),
            "{messages:?}"
        );
    }

    #[test]
    fn a_url_from_the_site_root_names_a_file_of_the_static_folder() {
        let post = post_at("posts/a.md");
        let read = |p: &Path| match p.to_str() {
            Some("site/public/img/hero.png") => Ok(b"png!".to_vec()),
            _ => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
        };
        let limit = Limit {
            bytes: 10,
            what: "a test store",
        };
        let refs = [local("/img/hero.png", 3), local("/gone.png", 4)];
        let run = |static_dir: Option<&Path>| {
            let (mut files, mut by_path, mut out) = (Files::new(), BTreeMap::new(), Vec::new());
            let lookup = Lookup {
                limit,
                static_dir,
                read: &read,
            };
            let links = resolve(&post, &refs, &lookup, &mut files, &mut by_path, &mut out);
            let messages: Vec<String> = out.iter().map(|d| d.render(Path::new(""))).collect();
            let warnings = out.iter().all(|d| d.severity == Severity::Warning);
            (links, messages, warnings)
        };
        let (links, messages, _) = run(Some(Path::new("site/public")));
        assert_eq!(links.len(), 1);
        assert!(links["/img/hero.png"].ends_with(".png"));
        assert_eq!(
            messages,
            vec![
                "posts/a.md:4: `/gone.png` links site/public/gone.png: no such file (a URL from the site root is resolved against the static folder site/public)"
            ]
        );
        let (links, messages, warnings) = run(None);
        assert!(links.is_empty());
        assert_eq!(messages.len(), 2);
        assert!(
            messages[0].starts_with("posts/a.md:3: `/img/hero.png` names a file from the site root, and there is no static folder"),
            "{messages:?}"
        );
        assert!(warnings, "no static folder: warnings, not errors");
    }
}
