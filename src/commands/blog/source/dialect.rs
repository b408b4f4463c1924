//! Other generators' front matter (Astro, Hugo, Jekyll, Zola, Eleventy) mapped onto devkit's
//! fields. Pure: post.rs parses the YAML or TOML into a [`Table`] with the line of every key and
//! list item; this module decides what each key means, which file line each field came from,
//! and what is wrong with it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::commands::blog::model::{Status, is_valid_slug, normalise_tag, slugify};

/// A front-matter value, from either parser, with the 1-based file line it is written on.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// As written (`12`, `1.5`).
    Number(String),
    Text(String),
    /// A TOML datetime, as TOML writes it (`2024-01-30T10:00:00+01:00`, `2024-01-30`).
    Datetime(String),
    List(Vec<Node>),
    Table(Table),
}

/// Keys in written order, each with its value (whose line is the key's line).
pub type Table = Vec<(String, Node)>;

impl Value {
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::Text(_) => "text",
            Value::Datetime(_) => "a datetime",
            Value::List(_) => "a list",
            Value::Table(_) => "a mapping",
        }
    }

    /// Text, numbers, booleans and datetimes as text (messages quote what was written).
    fn scalar(&self) -> Option<String> {
        match self {
            Value::Text(s) | Value::Number(s) | Value::Datetime(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// The keys that name a date, devkit's own first (Astro, AstroPaper, Hugo/Astro themes).
const DATE_KEYS: &[&str] = &["date", "pubDate", "pubDatetime", "publishDate"];
const UPDATED_KEYS: &[&str] = &["updated", "updatedDate", "lastmod", "modDatetime"];
const DESCRIPTION_KEYS: &[&str] = &["description", "summary", "excerpt"];
/// Every top-level key some field is read from; anything else is reported as unknown.
const READ_KEYS: &[&str] = &[
    "title",
    "date",
    "pubDate",
    "pubDatetime",
    "publishDate",
    "status",
    "draft",
    "published",
    "slug",
    "permalink",
    "description",
    "summary",
    "excerpt",
    "tags",
    "taxonomies",
    "updated",
    "updatedDate",
    "lastmod",
    "modDatetime",
];

/// How messages name what devkit reads.
pub const READ_LIST: &str = "title, date, status, slug, description, tags, updated, image and their other generators' names (docs/BLOG.md)";

/// A problem at a file line (every one is an error: warnings are the unknown keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// devkit's fields of one post.
#[derive(Debug, Clone, PartialEq)]
pub struct Fields {
    pub title: String,
    pub date: jiff::civil::Date,
    pub status: Status,
    /// No status, draft or published key: `status` is the configured default.
    pub status_defaulted: bool,
    pub slug: String,
    /// The whole file name (`2023-11-05-title`) when the slug is that name without its
    /// date: the slug devkit gave such a post before it followed Jekyll's rule.
    pub dated_slug: Option<String>,
    /// The cover image's URL as written (`source/cover.rs` says which keys name it).
    pub image: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub updated: Option<jiff::civil::Date>,
    pub field_lines: BTreeMap<&'static str, usize>,
}

/// What one front matter maps to.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    pub fields: Result<Fields, Vec<Problem>>,
    /// The slug the file claims even when it has errors (so a clash is reported at once).
    pub slug: Option<String>,
    /// Keys devkit does not read, with their lines (`taxonomies.categories` for nested ones).
    pub unknown: Vec<(String, usize)>,
}

/// Map `table` (the front matter of the post file at `path`) onto devkit's fields.
pub fn map(table: &Table, path: &Path, default_status: Status) -> Mapped {
    let get = |key: &str| table.iter().find(|(k, _)| k == key).map(|(_, n)| n);
    let mut problems = Vec::new();
    let mut lines: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut unknown = Vec::new();
    for (key, node) in table {
        if !READ_KEYS.contains(&key.as_str()) && !super::cover::KEYS.contains(&key.as_str()) {
            unknown.push((key.clone(), node.line));
        }
    }

    let title = title(get("title"), &mut lines, &mut problems);

    let name = FileName::of(path);
    let date = date(table, &name, &mut lines, &mut problems);

    let (status, status_defaulted) = status(table, default_status, &mut lines, &mut problems);

    let description = match agreeing(table, DESCRIPTION_KEYS, read_text, &mut problems) {
        Found::Value(text, line) => {
            lines.insert("description", line);
            text
        }
        _ => None,
    };

    let updated = match agreeing(table, UPDATED_KEYS, read_date, &mut problems) {
        Found::Value(date, line) => {
            lines.insert("updated", line);
            Some(date)
        }
        _ => None,
    };

    let tags = tags(table, &mut lines, &mut problems, &mut unknown);

    let image = super::cover::cover(table, &mut problems, &mut unknown).map(|(url, line)| {
        lines.insert("image", line);
        url
    });

    let slug = slug(table, &name, &mut lines, &mut problems);
    let dated_slug = (!lines.contains_key("slug") && slug.as_deref() == Some(name.rest.as_str()))
        .then(|| name.stem.clone())
        .filter(|stem| *stem != name.rest && is_valid_slug(stem));

    let fields = match (title, date, status, slug.clone()) {
        (Some(title), Some(date), Some(status), Some(slug)) if problems.is_empty() => Ok(Fields {
            title,
            date,
            status,
            status_defaulted,
            slug,
            dated_slug,
            image,
            description,
            tags,
            updated,
            field_lines: lines,
        }),
        _ => Err(problems),
    };
    Mapped {
        fields,
        slug,
        unknown,
    }
}

/// `title`: non-empty text.
fn title(
    node: Option<&Node>,
    lines: &mut BTreeMap<&'static str, usize>,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    match node {
        None => {
            problems.push(problem(1, "missing `title:` in the front matter"));
            None
        }
        Some(node) => {
            lines.insert("title", node.line);
            match &node.value {
                Value::Text(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Value::Text(_) | Value::Null => {
                    problems.push(problem(node.line, "the title is empty"));
                    None
                }
                other => {
                    problems.push(problem(
                        node.line,
                        format!(
                            "title: expected text, found {} (put it in quotes)",
                            other.kind()
                        ),
                    ));
                    None
                }
            }
        }
    }
}

/// The date: one of the date keys (agreeing when several), else the file name's prefix.
fn date(
    table: &Table,
    name: &FileName,
    lines: &mut BTreeMap<&'static str, usize>,
    problems: &mut Vec<Problem>,
) -> Option<jiff::civil::Date> {
    match agreeing(table, DATE_KEYS, read_date, problems) {
        Found::Value(date, line) => {
            lines.insert("date", line);
            Some(date)
        }
        Found::Bad => None,
        Found::Absent => match &name.date {
            Some(Ok(date)) => {
                lines.insert("date", 1);
                Some(*date)
            }
            Some(Err(why)) => {
                problems.push(problem(
                    1,
                    format!("the file name's date prefix is not a date: {why}"),
                ));
                None
            }
            None => {
                problems.push(problem(
                    1,
                    "missing `date:` in the front matter (YYYY-MM-DD; pubDate, pubDatetime, publishDate or a YYYY-MM-DD- file name prefix also work)",
                ));
                None
            }
        },
    }
}

/// The slug: `slug`, else the last segment of `permalink`, else the file name (without a
/// date prefix the date was taken from), else a bundle's folder.
fn slug(
    table: &Table,
    name: &FileName,
    lines: &mut BTreeMap<&'static str, usize>,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let get = |key: &str| table.iter().find(|(k, _)| k == key).map(|(_, n)| n);
    match get("slug") {
        Some(node) => {
            lines.insert("slug", node.line);
            match &node.value {
                Value::Text(s) if is_valid_slug(s) => Some(s.clone()),
                other => {
                    problems.push(problem(
                        node.line,
                        format!(
                            "slug: expected lowercase letters, digits and dashes ([a-z0-9][a-z0-9-]*), found {}",
                            other.scalar().map_or_else(|| other.kind().to_string(), |t| format!("`{t}`"))
                        ),
                    ));
                    None
                }
            }
        }
        None => match get("permalink").and_then(permalink_slug) {
            Some((slug, line)) => {
                lines.insert("slug", line);
                Some(slug)
            }
            None => {
                // Jekyll's rule, `date:` or not: the name's date prefix is no part of the
                // slug (a post published under the dated slug keeps it; `keep_published`).
                let stem = if matches!(name.date, Some(Ok(_))) {
                    name.rest.clone()
                } else {
                    name.stem.clone()
                };
                if is_valid_slug(&stem) {
                    Some(stem)
                } else {
                    problems.push(problem(
                        1,
                        format!(
                            "the file name `{stem}` is not a valid slug ([a-z0-9][a-z0-9-]*): rename the file or add `slug: {}`",
                            slugify(&stem)
                        ),
                    ));
                    None
                }
            }
        },
    }
}

fn problem(line: usize, message: impl Into<String>) -> Problem {
    Problem {
        line,
        message: message.into(),
    }
}

enum Found<T> {
    Absent,
    /// Present but unreadable, or disagreeing (already reported).
    Bad,
    Value(T, usize),
}

/// Read every key of `keys` that is present; two that disagree are an error naming both lines.
fn agreeing<T: PartialEq>(
    table: &Table,
    keys: &[&str],
    read: impl Fn(&str, &Value) -> Result<T, String>,
    problems: &mut Vec<Problem>,
) -> Found<T> {
    let mut first: Option<(&str, T, usize)> = None;
    let mut bad = false;
    for key in keys {
        let Some((_, node)) = table.iter().find(|(k, _)| k == key) else {
            continue;
        };
        match read(key, &node.value) {
            Err(message) => {
                problems.push(problem(node.line, message));
                bad = true;
            }
            Ok(value) => match &first {
                None => first = Some((key, value, node.line)),
                Some((other, seen, line)) if *seen != value => {
                    problems.push(problem(
                        node.line,
                        format!(
                            "`{key}` (line {}) and `{other}` (line {line}) mean the same and disagree: keep one",
                            node.line
                        ),
                    ));
                    bad = true;
                }
                Some(_) => {}
            },
        }
    }
    match first {
        _ if bad => Found::Bad,
        Some((_, value, line)) => Found::Value(value, line),
        None => Found::Absent,
    }
}

fn read_date(key: &str, value: &Value) -> Result<jiff::civil::Date, String> {
    match value.scalar() {
        Some(text) => parse_date(&text).map_err(|why| {
            format!("{key}: expected a date such as 2025-04-03, found `{text}` ({why})")
        }),
        None => Err(format!(
            "{key}: expected a date such as 2025-04-03, found {}",
            value.kind()
        )),
    }
}

fn read_text(key: &str, value: &Value) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Text(s) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        other => Err(format!("{key}: expected text, found {}", other.kind())),
    }
}

/// `status`, else `draft: true` / `published: false` → draft, else the default.
fn status(
    table: &Table,
    default: Status,
    lines: &mut BTreeMap<&'static str, usize>,
    problems: &mut Vec<Problem>,
) -> (Option<Status>, bool) {
    let get = |key: &str| table.iter().find(|(k, _)| k == key).map(|(_, n)| n);
    let mut flag = |key: &str| -> Option<(bool, usize)> {
        let node = get(key)?;
        match node.value {
            Value::Bool(b) => Some((b, node.line)),
            Value::Null => None,
            ref other => {
                problems.push(problem(
                    node.line,
                    format!("{key}: expected true or false, found {}", other.kind()),
                ));
                None
            }
        }
    };
    let draft = flag("draft");
    let published = flag("published");
    // The line that says "draft", if any.
    let says_draft = match (draft, published) {
        (Some((true, line)), _) | (_, Some((false, line))) => Some(line),
        _ => None,
    };
    if let (Some((true, d)), Some((true, p))) = (draft, published) {
        problems.push(problem(
            d,
            format!("`draft: true` (line {d}) and `published: true` (line {p}) disagree: keep one"),
        ));
        return (None, false);
    }
    match get("status") {
        Some(node) if node.value != Value::Null => {
            lines.insert("status", node.line);
            match node.value.scalar().as_deref().and_then(Status::parse) {
                Some(status) => {
                    if let (Some(line), false) = (says_draft, status == Status::Draft) {
                        problems.push(problem(
                            node.line,
                            format!(
                                "`status: {status}` (line {}) and the draft flag on line {line} disagree: keep one",
                                node.line
                            ),
                        ));
                        return (None, false);
                    }
                    (Some(status), false)
                }
                None => {
                    problems.push(problem(
                        node.line,
                        format!(
                            "status: expected draft, unlisted or published, found {}",
                            node.value.scalar().map_or_else(
                                || node.value.kind().to_string(),
                                |t| format!("`{t}`")
                            )
                        ),
                    ));
                    (None, false)
                }
            }
        }
        // devkit has always read a `status:` with nothing after it as a draft.
        Some(node) => {
            lines.insert("status", node.line);
            (Some(Status::Draft), false)
        }
        None => match says_draft {
            Some(line) => {
                lines.insert("status", line);
                (Some(Status::Draft), false)
            }
            None => (Some(default), true),
        },
    }
}

/// `tags` (a list, or one space-separated string) and Zola's `[taxonomies] tags`.
fn tags(
    table: &Table,
    lines: &mut BTreeMap<&'static str, usize>,
    problems: &mut Vec<Problem>,
    unknown: &mut Vec<(String, usize)>,
) -> Vec<String> {
    let mut sources: Vec<(&str, &Node)> = Vec::new();
    if let Some((_, node)) = table.iter().find(|(k, _)| k == "tags") {
        sources.push(("tags", node));
    }
    if let Some((_, node)) = table.iter().find(|(k, _)| k == "taxonomies") {
        match &node.value {
            Value::Table(inner) => {
                for (key, inner_node) in inner {
                    if key == "tags" {
                        sources.push(("taxonomies.tags", inner_node));
                    } else {
                        unknown.push((format!("taxonomies.{key}"), inner_node.line));
                    }
                }
            }
            Value::Null => {}
            other => problems.push(problem(
                node.line,
                format!(
                    "taxonomies: expected a mapping of keys, found {}",
                    other.kind()
                ),
            )),
        }
    }
    let mut first: Option<(&str, Vec<String>, usize)> = None;
    for (key, node) in sources {
        let Some(tags) = read_tags(key, node, problems) else {
            continue;
        };
        match &first {
            None => first = Some((key, tags, node.line)),
            Some((other, seen, line)) if *seen != tags => problems.push(problem(
                node.line,
                format!(
                    "`{key}` (line {}) and `{other}` (line {line}) mean the same and disagree: keep one",
                    node.line
                ),
            )),
            Some(_) => {}
        }
    }
    match first {
        Some((_, tags, line)) => {
            lines.insert("tags", line);
            tags
        }
        None => Vec::new(),
    }
}

fn read_tags(key: &str, node: &Node, problems: &mut Vec<Problem>) -> Option<Vec<String>> {
    let mut tags = Vec::new();
    let mut add = |text: &str, line: usize, problems: &mut Vec<Problem>| match normalise_tag(text) {
        Some(tag) => {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        None => problems.push(problem(
            line,
            format!("{key}: `{text}` has no letters or digits to make a tag of"),
        )),
    };
    let before = problems.len();
    match &node.value {
        Value::Null => {}
        // Jekyll and Eleventy: one string of space-separated tags.
        Value::Text(text) => {
            for word in text.split_whitespace() {
                add(word, node.line, problems);
            }
        }
        Value::List(items) => {
            for item in items {
                match &item.value {
                    Value::Text(text) => add(text, item.line, problems),
                    other => problems.push(problem(
                        item.line,
                        format!(
                            "{key}: expected each tag to be text, found {} (put it in quotes)",
                            other.kind()
                        ),
                    )),
                }
            }
        }
        other => problems.push(problem(
            node.line,
            format!("{key}: expected a list of text, found {}", other.kind()),
        )),
    }
    (problems.len() == before).then_some(tags)
}

/// `/blog/my-post/` or `/my-post.html` → `my-post`; `None` for a pattern (`/:year/:title/`).
fn permalink_slug(node: &Node) -> Option<(String, usize)> {
    let Value::Text(text) = &node.value else {
        return None;
    };
    let last = text.split('/').rfind(|s| !s.is_empty())?;
    let last = last.strip_suffix(".html").unwrap_or(last);
    is_valid_slug(last).then(|| (last.to_string(), node.line))
}

/// The parts of a post's file name the rules use.
struct FileName {
    /// The name without its extension (for a bundle's `index.md`: the folder's name).
    stem: String,
    /// `stem` without a `YYYY-MM-DD-` prefix.
    rest: String,
    /// The prefix's date, when `stem` has one.
    date: Option<Result<jiff::civil::Date, String>>,
}

impl FileName {
    fn of(path: &Path) -> Self {
        let mut stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Hugo and Zola bundles: `my-post/index.md` (Hugo's section pages are `_index.md`).
        if (stem == "index" || stem == "_index")
            && let Some(folder) = path.parent().and_then(Path::file_name)
        {
            stem = folder.to_string_lossy().into_owned();
        }
        let prefixed = stem.len() > 11
            && stem.as_bytes()[10] == b'-'
            && stem[..10].bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if prefixed {
            Self {
                rest: stem[11..].to_string(),
                date: Some(parse_date(&stem[..10])),
                stem,
            }
        } else {
            Self {
                rest: stem.clone(),
                date: None,
                stem,
            }
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A date as generators write them: `2025-04-03`, RFC 3339 with or without a zone
/// (`2025-04-03T10:00:00Z`), `2025-04-03 10:00:00 +0100` (Jekyll), TOML datetimes, and month
/// names (`Jul 01 2022`, `04 July 2023`, `July 4, 2023`). The date is the one written (the
/// author's local date), never shifted into another zone. `Err` says why it is no date.
pub fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if bytes.len() >= 5 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-' {
        if bytes.len() < 10 || !text.is_char_boundary(10) {
            return Err("expected YYYY-MM-DD".into());
        }
        let (date, rest) = text.split_at(10);
        let mut parts = date.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("expected YYYY-MM-DD".into());
        };
        let number = |s: &str| -> Result<i64, String> {
            if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
                Ok(s.parse().unwrap_or(0))
            } else {
                Err("expected YYYY-MM-DD".into())
            }
        };
        let (year, month, day) = (y.parse::<i64>().unwrap_or(0), number(m)?, number(d)?);
        if !rest.is_empty() {
            check_time(rest)?;
        }
        return civil(year, month, day);
    }
    // Month names: `Jul 01 2022`, `04 July 2023`, `July 4, 2023`.
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() == 3 {
        let month_of = |w: &str| -> Option<i64> {
            let w = w.trim_end_matches('.').to_ascii_lowercase();
            (w.len() >= 3)
                .then(|| MONTHS.iter().position(|m| m.starts_with(&w)))
                .flatten()
                .map(|i| i as i64 + 1)
        };
        let num = |w: &str| -> Option<i64> {
            let w = w.trim_end_matches(|c: char| c.is_ascii_alphabetic()); // 1st, 4th
            (!w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
                .then(|| w.parse().ok())
                .flatten()
        };
        let (month, day) = match (month_of(words[0]), month_of(words[1])) {
            (Some(m), _) => (Some(m), num(words[1])),
            (None, Some(m)) => (Some(m), num(words[0])),
            (None, None) => (None, None),
        };
        let year = num(words[2]).filter(|_| words[2].len() == 4);
        match (month, day, year) {
            (Some(month), Some(day), Some(year)) => return civil(year, month, day),
            (None, _, _)
                if words
                    .iter()
                    .any(|w| w.bytes().all(|b| b.is_ascii_alphabetic())) =>
            {
                let word = words
                    .iter()
                    .find(|w| w.bytes().all(|b| b.is_ascii_alphabetic()))
                    .unwrap_or(&words[0]);
                return Err(format!("`{word}` is not a month name"));
            }
            _ => {}
        }
    }
    Err("not YYYY-MM-DD, RFC 3339 or a month-name date such as `Jul 01 2022`".into())
}

/// After the date: `THH:MM[:SS[.frac]]` or ` HH:MM:SS`, then nothing, `Z`, `±HH:MM` or ` ±HHMM`.
fn check_time(rest: &str) -> Result<(), String> {
    let rest = rest
        .strip_prefix(['T', 't', ' '])
        .ok_or("expected a time after the date (`T10:00:00`)")?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (clock, zone) = match rest.find(['Z', 'z', '+', '-', ' ']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let (clock, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    let parts: Vec<&str> = clock.split(':').collect();
    let ok_clock = (parts.len() == 2 || parts.len() == 3)
        && parts.iter().all(|p| p.len() == 2 && digits(p))
        && digits(fraction);
    if !ok_clock {
        return Err(format!("`{clock}` is not a time (HH:MM:SS)"));
    }
    let hour: u32 = parts[0].parse().unwrap_or(99);
    let minute: u32 = parts[1].parse().unwrap_or(99);
    let second: u32 = parts.get(2).map_or(0, |s| s.parse().unwrap_or(99));
    if hour > 23 {
        return Err(format!("hour {hour}"));
    }
    if minute > 59 {
        return Err(format!("minute {minute}"));
    }
    if second > 60 {
        return Err(format!("second {second}"));
    }
    let zone = zone.trim_start();
    let offset = zone.strip_prefix(['+', '-']).map(|o| o.replace(':', ""));
    let ok_zone = zone.is_empty()
        || zone.eq_ignore_ascii_case("z")
        || offset.is_some_and(|o| o.len() == 4 && digits(&o));
    if !ok_zone {
        return Err(format!(
            "`{zone}` is not a zone offset (Z, +01:00 or +0100)"
        ));
    }
    Ok(())
}

fn civil(year: i64, month: i64, day: i64) -> Result<jiff::civil::Date, String> {
    if !(1..=9999).contains(&year) {
        return Err(format!("year {year}"));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("month {month}"));
    }
    let first = jiff::civil::date(year as i16, month as i8, 1);
    let days = i64::from(first.days_in_month());
    if !(1..=days).contains(&day) {
        let name = MONTHS[(month - 1) as usize];
        let name = format!("{}{}", name[..1].to_ascii_uppercase(), &name[1..]);
        return Err(format!("day {day}: {name} {year} has {days} days"));
    }
    Ok(jiff::civil::date(year as i16, month as i8, day as i8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn node(value: Value, line: usize) -> Node {
        Node { value, line }
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn table(entries: &[(&str, Value)]) -> Table {
        entries
            .iter()
            .enumerate()
            .map(|(i, (k, v))| (k.to_string(), node(v.clone(), i + 2)))
            .collect()
    }

    fn fields(entries: &[(&str, Value)], path: &str) -> Fields {
        map(&table(entries), Path::new(path), Status::Draft)
            .fields
            .unwrap()
    }

    fn errors(entries: &[(&str, Value)], path: &str) -> Vec<String> {
        map(&table(entries), Path::new(path), Status::Draft)
            .fields
            .unwrap_err()
            .into_iter()
            .map(|p| format!("{}: {}", p.line, p.message))
            .collect()
    }

    #[test]
    fn dates_in_every_written_form() {
        for (written, expected) in [
            ("2025-04-03", date(2025, 4, 3)),
            ("2023-07-04T10:00:00Z", date(2023, 7, 4)),
            ("2023-07-04T23:30:00-08:00", date(2023, 7, 4)),
            ("2023-07-04T10:00:00", date(2023, 7, 4)),
            ("2023-07-04T10:00:00.123+01:00", date(2023, 7, 4)),
            ("2024-01-30 10:00:00 +0100", date(2024, 1, 30)),
            ("2024-01-30 10:00:00", date(2024, 1, 30)),
            ("Jul 01 2022", date(2022, 7, 1)),
            ("04 July 2023", date(2023, 7, 4)),
            ("July 4, 2023", date(2023, 7, 4)),
            ("Sept 9 2021", date(2021, 9, 9)),
        ] {
            assert_eq!(parse_date(written), Ok(expected), "{written}");
        }
    }

    #[test]
    fn a_date_that_cannot_be_says_why() {
        for (written, why) in [
            ("2025-13-01", "month 13"),
            ("2025-02-30", "day 30: February 2025 has 28 days"),
            ("2024-01-30T25:00:00Z", "hour 25"),
            (
                "2024-01-30T10:00:00 CET",
                "`CET` is not a zone offset (Z, +01:00 or +0100)",
            ),
            ("Jly 01 2022", "`Jly` is not a month name"),
            ("2025-4-3", "expected YYYY-MM-DD"),
            (
                "soon",
                "not YYYY-MM-DD, RFC 3339 or a month-name date such as `Jul 01 2022`",
            ),
        ] {
            assert_eq!(parse_date(written), Err(why.to_string()), "{written}");
        }
    }

    #[test]
    fn astro_fields() {
        let f = fields(
            &[
                ("title", text("Hello")),
                ("pubDate", text("Jul 01 2022")),
                ("description", text("About it")),
                ("updatedDate", text("Jul 08 2022")),
                ("heroImage", text("/x.jpg")),
            ],
            "src/content/blog/first-post.md",
        );
        assert_eq!(f.slug, "first-post");
        assert_eq!(f.date, date(2022, 7, 1));
        assert_eq!(f.updated, Some(date(2022, 7, 8)));
        assert_eq!(f.description.as_deref(), Some("About it"));
        assert_eq!((f.status, f.status_defaulted), (Status::Draft, true));
        assert_eq!(f.field_lines["date"], 3);
        assert_eq!(f.field_lines["updated"], 5);
        assert_eq!(
            (f.image.as_deref(), f.field_lines["image"]),
            (Some("/x.jpg"), 6)
        );
        let mapped = map(
            &table(&[("title", text("x")), ("layout", text("post"))]),
            Path::new("a.md"),
            Status::Draft,
        );
        assert_eq!(mapped.unknown, vec![("layout".to_string(), 3)]);
    }

    #[test]
    fn a_cover_from_every_generators_key() {
        let cover = |entries: &[(&str, Value)]| {
            let mut all = vec![("title", text("T")), ("date", text("2025-01-01"))];
            all.extend_from_slice(entries);
            let mapped = map(&table(&all), Path::new("a.md"), Status::Draft);
            let f = mapped.fields.unwrap();
            (
                f.image.zip(f.field_lines.get("image").copied()),
                mapped.unknown,
            )
        };
        let list = Value::List(vec![node(text("a.png"), 5), node(text("b.png"), 6)]);
        assert_eq!(cover(&[("images", list)]).0, Some(("a.png".into(), 5)));
        let papermod = Value::Table(table(&[("image", text("c.png")), ("alt", text("C"))]));
        assert_eq!(cover(&[("cover", papermod)]).0, Some(("c.png".into(), 2)));
        assert_eq!(
            cover(&[("featured_image", text("f.jpg")), ("image", text("i.jpg"))]).0,
            Some(("i.jpg".into(), 5)),
            "devkit's own key first"
        );
        let extra = Value::Table(table(&[
            ("math", Value::Bool(true)),
            ("image", text("z.png")),
        ]));
        let (found, unknown) = cover(&[("extra", extra)]);
        assert_eq!(found.map(|f| f.0).as_deref(), Some("z.png"));
        assert_eq!(unknown, vec![("extra.math".to_string(), 2)]);
        let errors = errors(
            &[
                ("title", text("T")),
                ("date", text("2025-01-01")),
                ("heroImage", Value::Number("3".into())),
            ],
            "a.md",
        );
        assert_eq!(
            errors,
            vec!["4: heroImage: expected an image's URL or path as text, found a number"]
        );
    }

    #[test]
    fn jekyll_file_name_dates_and_string_tags() {
        let f = fields(
            &[
                ("title", text("T")),
                ("published", Value::Bool(false)),
                ("tags", text("rust  CLI")),
            ],
            "_posts/2024-01-30-my-title.md",
        );
        assert_eq!(f.slug, "my-title");
        assert_eq!(f.date, date(2024, 1, 30));
        assert_eq!((f.status, f.status_defaulted), (Status::Draft, false));
        assert_eq!(f.tags, vec!["rust", "cli"]);
        assert_eq!(f.field_lines["status"], 3);
        assert_eq!(
            errors(&[("title", text("T"))], "_posts/2024-13-30-x.md"),
            vec!["1: the file name's date prefix is not a date: month 13"]
        );
    }

    #[test]
    fn a_dated_file_name_loses_its_date_with_or_without_date_key() {
        let f = fields(
            &[("title", text("T")), ("date", text("2024-02-01"))],
            "posts/2024-01-30-notes.md",
        );
        assert_eq!(f.slug, "notes");
        assert_eq!(f.dated_slug.as_deref(), Some("2024-01-30-notes"));
        assert_eq!(f.date, date(2024, 2, 1));
        let f = fields(&[("title", text("T"))], "_posts/2024-01-30-notes.md");
        assert_eq!((f.slug.as_str(), f.date), ("notes", date(2024, 1, 30)));
        let f = fields(
            &[
                ("title", text("T")),
                ("date", text("2024-02-01")),
                ("slug", text("mine")),
            ],
            "posts/2024-01-30-notes.md",
        );
        assert_eq!((f.slug.as_str(), f.dated_slug), ("mine", None));
        let f = fields(
            &[("title", text("T")), ("date", text("2024-02-01"))],
            "plain.md",
        );
        assert_eq!(f.dated_slug, None);
    }

    #[test]
    fn status_rules_and_the_default() {
        let with = |entries: &[(&str, Value)], default: Status| {
            let f = map(&table(entries), Path::new("a.md"), default)
                .fields
                .unwrap();
            (f.status, f.status_defaulted)
        };
        let base = [("title", text("T")), ("date", text("2025-01-01"))];
        fn plus<'a>(base: &[(&'a str, Value)], extra: (&'a str, Value)) -> Vec<(&'a str, Value)> {
            let mut v = base.to_vec();
            v.push(extra);
            v
        }
        assert_eq!(with(&base, Status::Published), (Status::Published, true));
        assert_eq!(
            with(
                &plus(&base, ("draft", Value::Bool(true))),
                Status::Published
            ),
            (Status::Draft, false)
        );
        assert_eq!(
            with(
                &plus(&base, ("draft", Value::Bool(false))),
                Status::Unlisted
            ),
            (Status::Unlisted, true)
        );
        assert_eq!(
            with(&plus(&base, ("status", text("published"))), Status::Draft),
            (Status::Published, false)
        );
        assert_eq!(
            with(&plus(&base, ("status", Value::Null)), Status::Published),
            (Status::Draft, false)
        );
        let mut both = plus(&base, ("status", text("published")));
        both.push(("draft", Value::Bool(true)));
        assert_eq!(
            errors(&both, "a.md"),
            vec!["4: `status: published` (line 4) and the draft flag on line 5 disagree: keep one"]
        );
        assert_eq!(
            errors(&plus(&base, ("draft", text("yes"))), "a.md"),
            vec!["4: draft: expected true or false, found text"]
        );
    }

    #[test]
    fn two_names_for_one_field_must_agree() {
        assert_eq!(
            errors(
                &[
                    ("title", text("T")),
                    ("date", text("2025-01-01")),
                    ("pubDate", text("Jan 02 2025")),
                ],
                "a.md"
            ),
            vec!["4: `pubDate` (line 4) and `date` (line 3) mean the same and disagree: keep one"]
        );
        // Agreeing is fine, in any written form.
        let f = fields(
            &[
                ("title", text("T")),
                ("date", text("2025-01-02")),
                ("pubDate", text("Jan 02 2025")),
                ("summary", text("S")),
                ("description", text("S")),
            ],
            "a.md",
        );
        assert_eq!(f.field_lines["date"], 3);
        assert_eq!(f.field_lines["description"], 6);
        assert_eq!(
            errors(
                &[
                    ("title", text("T")),
                    ("date", text("2025-01-01")),
                    ("description", text("A")),
                    ("excerpt", text("B")),
                ],
                "a.md"
            ),
            vec![
                "5: `excerpt` (line 5) and `description` (line 4) mean the same and disagree: keep one"
            ]
        );
    }

    #[test]
    fn zola_bundles_and_taxonomies() {
        let taxonomies = Value::Table(vec![
            (
                "tags".into(),
                node(
                    Value::List(vec![node(text("Rust"), 6), node(text("web dev"), 6)]),
                    6,
                ),
            ),
            ("categories".into(), node(Value::List(vec![]), 7)),
        ]);
        let mapped = map(
            &table(&[
                ("title", text("T")),
                ("date", Value::Datetime("2024-05-01T10:00:00+02:00".into())),
                ("draft", Value::Bool(false)),
                ("taxonomies", taxonomies),
            ]),
            Path::new("content/blog/my-post/index.md"),
            Status::Published,
        );
        let f = mapped.fields.unwrap();
        assert_eq!(f.slug, "my-post");
        assert_eq!(f.date, date(2024, 5, 1));
        assert_eq!(f.tags, vec!["rust", "web-dev"]);
        assert_eq!(f.field_lines["tags"], 6);
        assert_eq!(f.status, Status::Published);
        assert_eq!(
            mapped.unknown,
            vec![("taxonomies.categories".to_string(), 7)]
        );
    }

    #[test]
    fn slug_from_permalink_then_file_name() {
        let f = fields(
            &[
                ("title", text("T")),
                ("date", text("2025-01-01")),
                ("permalink", text("/blog/Other/my-post/")),
            ],
            "a.md",
        );
        assert_eq!((f.slug.as_str(), f.field_lines["slug"]), ("my-post", 4));
        let f = fields(
            &[
                ("title", text("T")),
                ("date", text("2025-01-01")),
                ("permalink", text("/:year/:title/")),
            ],
            "b.md",
        );
        assert_eq!(f.slug, "b");
    }

    #[test]
    fn tags_that_are_not_text_are_errors_at_their_lines() {
        let list = Value::List(vec![
            node(text("ok"), 5),
            node(Value::Number("12".into()), 6),
        ]);
        assert_eq!(
            errors(
                &[
                    ("title", text("T")),
                    ("date", text("2025-01-01")),
                    ("tags", list)
                ],
                "a.md"
            ),
            vec!["6: tags: expected each tag to be text, found a number (put it in quotes)"]
        );
        assert_eq!(
            errors(
                &[
                    ("title", text("T")),
                    ("date", text("2025-01-01")),
                    ("tags", Value::Bool(true))
                ],
                "a.md"
            ),
            vec!["4: tags: expected a list of text, found a boolean"]
        );
    }
}
