//! The pure part of `blog pull`: what the store holds (as read in one listing and one bulk
//! read) and what is already on disk → the files to write, the entries skipped and why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::commands::blog::model::Entry;
use crate::commands::blog::source::dialect;
use crate::commands::blog::source::{self, Status};

/// What is on disk already.
#[derive(Debug, Default, Clone)]
pub struct Local {
    /// slug → the file (relative to `blog.content`) that claims it.
    pub slugs: BTreeMap<String, PathBuf>,
    /// Every file that exists, relative to `blog.content`, with its bytes' SHA-256 where the
    /// caller read it (only files a write would replace).
    pub files: BTreeMap<PathBuf, Option<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The file devkit pushed, byte for byte.
    Source,
    /// A foreign or format-1 entry written as a devkit post.
    Adopted,
    /// An image or file next to a post.
    Asset,
}

/// One file to write.
#[derive(Debug, Clone, PartialEq)]
pub struct FileWrite {
    pub slug: String,
    /// Relative to `blog.content`.
    pub path: PathBuf,
    pub kind: Kind,
    pub contents: Contents,
    /// An existing file this replaces (only with `--force`).
    pub replaces: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Contents {
    Text(String),
    /// An asset to fetch by its store name (the bytes are read only for files to write).
    Asset {
        name: String,
    },
}

/// Why an entry was not written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skip {
    pub slug: String,
    pub path: Option<PathBuf>,
    /// True when it needs the person's attention (exit 1): no usable metadata, an unsafe path,
    /// a local file in the way without `--force`.
    pub problem: bool,
    pub why: String,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct PullPlan {
    pub writes: Vec<FileWrite>,
    pub skips: Vec<Skip>,
}

impl PullPlan {
    pub fn problems(&self) -> usize {
        self.skips.iter().filter(|s| s.problem).count()
    }
}

/// The devkit-format file for a Markdown entry: `title`, `date`, `status`, then the value
/// exactly, so that the body devkit reads back equals what the key held (adoption compares
/// them). `Err` says which metadata is missing or wrong.
pub fn adopted_text(meta: &serde_json::Value, body: &str) -> Result<String, String> {
    let field = |name: &str| meta.get(name).and_then(serde_json::Value::as_str);
    let title = field("title")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or("metadata has no `title` text")?;
    let date_text = field("date").ok_or("metadata has no `date` text")?;
    let date = dialect::parse_date(date_text)
        .map_err(|why| format!("metadata `date` `{date_text}` is not a date ({why})"))?;
    let status = match field("status") {
        Some(text) => Status::parse(text).ok_or_else(|| {
            format!("metadata `status` `{text}` is not draft, unlisted or published")
        })?,
        None => return Err("metadata has no `status` text".into()),
    };
    // serde_yaml quotes a title when YAML needs it, as `blog new` does.
    let title = serde_yaml::to_string(title).unwrap_or_else(|_| format!("{title:?}"));
    Ok(format!(
        "---\ntitle: {}\ndate: {date}\nstatus: {status}\n---\n{body}",
        title.trim_end()
    ))
}

/// `a/b.md` relative and inside: no `..`, no root, no empty path.
pub fn safe_relative(path: &str) -> Option<PathBuf> {
    let path = Path::new(path);
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Where an asset the post writes as `url` lives, relative to `blog.content`: resolved against
/// the post's folder, without query or fragment, percent-decoded; `None` when it would leave
/// `blog.content`.
pub fn asset_path(post: &Path, url: &str) -> Option<PathBuf> {
    let url = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(url)?;
    let mut out: Vec<std::ffi::OsString> = post
        .parent()
        .map(|p| p.components().map(|c| c.as_os_str().to_owned()).collect())
        .unwrap_or_default();
    for c in Path::new(&decoded).components() {
        match c {
            Component::Normal(part) => out.push(part.to_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop()?;
            }
            _ => return None,
        }
    }
    let path: PathBuf = out.iter().collect();
    (!path.as_os_str().is_empty()).then_some(path)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Decide every file: `entries` from the store, `local` from disk.
pub fn plan(entries: &[Entry], local: &Local, force: bool) -> PullPlan {
    let mut out = PullPlan::default();
    // Paths this pull writes, so that two entries never write one file.
    let mut taken: BTreeSet<PathBuf> = BTreeSet::new();
    for entry in entries {
        let slug = entry.slug().to_string();
        let skip = |path: Option<PathBuf>, problem: bool, why: String| Skip {
            slug: slug.clone(),
            path,
            problem,
            why,
        };
        if !source::is_valid_slug(&slug) {
            out.skips.push(skip(
                None,
                true,
                "the key is not a slug devkit can publish ([a-z0-9][a-z0-9-]*)".into(),
            ));
            continue;
        }
        let claimed = local.slugs.get(&slug);
        if let (Some(file), false) = (claimed, force) {
            out.skips.push(skip(
                Some(file.clone()),
                false,
                "a local file has this slug already (--force replaces it)".into(),
            ));
            continue;
        }
        let file = match file_of(entry, &slug) {
            Ok(file) => file,
            Err(why) => {
                out.skips.push(skip(None, true, why));
                continue;
            }
        };
        // --force replaces the file that claims the slug, wherever it is.
        let path = claimed.cloned().unwrap_or_else(|| file.path.clone());
        match writes_for(&slug, path.clone(), file, local, &taken, force) {
            Ok(writes) => {
                taken.extend(writes.iter().map(|w| w.path.clone()));
                out.writes.extend(writes);
            }
            Err(why) => out.skips.push(skip(Some(path), true, why)),
        }
    }
    out
}

/// The file an entry becomes, before it meets the files on disk.
struct PostFile<'e> {
    path: PathBuf,
    text: String,
    kind: Kind,
    /// URL as written → asset name.
    assets: &'e BTreeMap<String, String>,
}

fn file_of<'e>(entry: &'e Entry, slug: &str) -> Result<PostFile<'e>, String> {
    static NONE: BTreeMap<String, String> = BTreeMap::new();
    match entry {
        Entry::Unusable { why, .. } => Err(why.clone()),
        Entry::Source { source, .. } => match safe_relative(&source.path) {
            Some(path) => Ok(PostFile {
                path,
                text: source.text.clone(),
                kind: Kind::Source,
                assets: &source.assets,
            }),
            None => Err(format!(
                "its source path `{}` leaves blog.content",
                source.path
            )),
        },
        Entry::Markdown { meta, body, .. } => Ok(PostFile {
            path: PathBuf::from(format!("{slug}.md")),
            text: adopted_text(meta, body)?,
            kind: Kind::Adopted,
            assets: &NONE,
        }),
    }
}

/// The post's file at `path` and the assets it needs that are not there yet; `Err` says
/// why none of them may be written.
fn writes_for(
    slug: &str,
    path: PathBuf,
    file: PostFile,
    local: &Local,
    taken: &BTreeSet<PathBuf>,
    force: bool,
) -> Result<Vec<FileWrite>, String> {
    let exists = local.files.contains_key(&path);
    let mut blocked = None;
    if exists && !force {
        blocked = Some(format!(
            "{} exists (with another slug); --force replaces it",
            path.display()
        ));
    }
    if taken.contains(&path) {
        blocked = Some(format!(
            "another pulled post is written to {}",
            path.display()
        ));
    }
    let mut writes = vec![FileWrite {
        slug: slug.to_string(),
        path: path.clone(),
        kind: file.kind,
        contents: Contents::Text(file.text),
        replaces: exists,
    }];
    for (url, name) in file.assets {
        // A file from the site root came from the static folder (blog.static), which a
        // pull does not write into: the post is pulled, the file stays where it is.
        if crate::commands::blog::render::is_rooted_file(url) {
            continue;
        }
        let Some(asset) = asset_path(&path, url) else {
            return Err(format!(
                "its asset `{url}` would be written outside blog.content"
            ));
        };
        // Content-addressed: a file with the asset's hash is the asset already.
        let hash = name.split('.').next().unwrap_or("");
        let present = local.files.get(&asset);
        if present.is_some_and(|h| h.as_deref() == Some(hash)) || taken.contains(&asset) {
            continue;
        }
        if present.is_some() && !force {
            return Err(format!(
                "its asset {} exists with other contents; --force replaces it",
                asset.display()
            ));
        }
        writes.push(FileWrite {
            slug: slug.to_string(),
            path: asset,
            kind: Kind::Asset,
            contents: Contents::Asset { name: name.clone() },
            replaces: present.is_some(),
        });
    }
    match blocked {
        Some(why) => Err(why),
        None => Ok(writes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::blog::model::Source;
    use serde_json::json;

    fn source(slug: &str, path: &str, assets: &[(&str, &str)]) -> Entry {
        Entry::Source {
            slug: slug.into(),
            source: Source {
                path: path.into(),
                text: format!("---\ntitle: {slug}\ndate: 2025-01-01\n---\nBody\n"),
                assets: assets
                    .iter()
                    .map(|(u, n)| (u.to_string(), n.to_string()))
                    .collect(),
            },
        }
    }

    fn foreign(slug: &str, meta: serde_json::Value, body: &str) -> Entry {
        Entry::Markdown {
            slug: slug.into(),
            meta,
            body: body.into(),
            devkit: false,
        }
    }

    #[test]
    fn an_adopted_post_parses_back_to_the_same_body_and_metadata() {
        let body = "# Hi\n\nText with --- inside\n";
        let text = adopted_text(
            &json!({"title": "Yes: a title", "status": "published", "date": "2024-03-05"}),
            body,
        )
        .unwrap();
        let posts = source::parse(
            &[source::SourceFile {
                path: "posts/hi.md".into(),
                bytes: text.clone().into_bytes(),
            }],
            |_| Vec::new(),
        )
        .unwrap();
        let p = &posts.posts[0];
        assert_eq!(p.body, body);
        assert_eq!(p.title, "Yes: a title");
        assert_eq!(p.status, Status::Published);
        assert_eq!(p.date.to_string(), "2024-03-05");
    }

    #[test]
    fn metadata_that_cannot_make_a_post_says_what_is_missing() {
        for (meta, why) in [
            (
                json!({"status": "draft", "date": "2024-01-01"}),
                "metadata has no `title` text",
            ),
            (
                json!({"title": "T", "status": "draft"}),
                "metadata has no `date` text",
            ),
            (
                json!({"title": "T", "status": "live", "date": "2024-01-01"}),
                "metadata `status` `live` is not draft, unlisted or published",
            ),
            (
                json!({"title": "T", "status": "draft", "date": "2024-13-01"}),
                "metadata `date` `2024-13-01` is not a date (month 13)",
            ),
        ] {
            assert_eq!(adopted_text(&meta, "b"), Err(why.to_string()), "{meta}");
        }
    }

    #[test]
    fn plans_sources_adoptions_assets_and_skips() {
        let name = format!("{}.png", "a".repeat(64));
        let entries = vec![
            source("zola", "blog/zola/index.md", &[("./pic.png", &name)]),
            foreign(
                "seed",
                json!({"title": "Seed", "status": "published", "date": "2024-01-01"}),
                "Seed body\n",
            ),
            foreign("nometa", json!(null), "x"),
            source("mine", "mine.md", &[]),
            source("evil", "../outside.md", &[]),
            source("evil-asset", "e.md", &[("../../x.png", &name)]),
            Entry::Unusable {
                slug: "odd".into(),
                why: "no metadata".into(),
            },
        ];
        let mut local = Local::default();
        local.slugs.insert("mine".into(), "mine.md".into());
        local.files.insert("mine.md".into(), None);
        let plan = plan(&entries, &local, false);
        let written: Vec<(String, &str, Kind)> = plan
            .writes
            .iter()
            .map(|w| (w.path.display().to_string(), w.slug.as_str(), w.kind))
            .collect();
        assert_eq!(
            written,
            vec![
                ("blog/zola/index.md".to_string(), "zola", Kind::Source),
                ("blog/zola/pic.png".to_string(), "zola", Kind::Asset),
                ("seed.md".to_string(), "seed", Kind::Adopted),
            ]
        );
        let skipped: Vec<(&str, bool)> = plan
            .skips
            .iter()
            .map(|s| (s.slug.as_str(), s.problem))
            .collect();
        assert_eq!(
            skipped,
            vec![
                ("nometa", true),
                ("mine", false),
                ("evil", true),
                ("evil-asset", true),
                ("odd", true),
            ]
        );
        assert_eq!(plan.problems(), 4);
    }

    #[test]
    fn force_replaces_the_file_that_claims_the_slug_and_names_it() {
        let entries = vec![source("mine", "old/mine.md", &[])];
        let mut local = Local::default();
        local.slugs.insert("mine".into(), "renamed.md".into());
        local.files.insert("renamed.md".into(), None);
        let plan = plan(&entries, &local, true);
        assert_eq!(plan.writes.len(), 1);
        assert_eq!(plan.writes[0].path, PathBuf::from("renamed.md"));
        assert!(plan.writes[0].replaces);
    }

    #[test]
    fn an_asset_already_there_is_not_fetched_and_a_different_one_blocks() {
        let hash = "b".repeat(64);
        let name = format!("{hash}.png");
        let entries = vec![
            source("a", "a.md", &[("img/x.png", &name)]),
            source("b", "b.md", &[("img/y.png", &name)]),
        ];
        let mut local = Local::default();
        local.files.insert("img/x.png".into(), Some(hash.clone()));
        local.files.insert("img/y.png".into(), Some("c".repeat(64)));
        let plan = plan(&entries, &local, false);
        assert_eq!(plan.writes.len(), 1, "{plan:?}");
        assert_eq!(plan.writes[0].path, PathBuf::from("a.md"));
        assert_eq!(plan.skips[0].slug, "b");
        assert!(
            plan.skips[0]
                .why
                .contains("img/y.png exists with other contents")
        );
    }

    #[test]
    fn asset_paths_stay_inside() {
        let post = Path::new("blog/p/index.md");
        assert_eq!(
            asset_path(post, "./a%20b.png?v=1#x"),
            Some(PathBuf::from("blog/p/a b.png"))
        );
        assert_eq!(
            asset_path(post, "../shared/x.png"),
            Some(PathBuf::from("blog/shared/x.png"))
        );
        assert_eq!(asset_path(post, "../../../x.png"), None);
        assert_eq!(asset_path(post, "/etc/passwd"), None);
        assert_eq!(safe_relative("a/./b.md"), Some(PathBuf::from("a/b.md")));
        assert_eq!(safe_relative("/a.md"), None);
        assert_eq!(safe_relative("a/../../b.md"), None);
    }
}
