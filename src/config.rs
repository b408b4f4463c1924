//! The one place where configuration layers merge: built-in defaults < user file < project file
//! (`devkit.yaml`, found walking up) < `DEVKIT_*` environment < flags. Every value keeps its
//! origin so that an error can say "`blog.settle` from devkit.yaml:7 is not a duration".

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;
use serde_yaml::Value as Yaml;

use crate::choice::{
    BackendChoice, HtmlChoice, KernelChoice, PostStatus, StoreKind, TransportChoice, names,
};
use crate::error::DevkitError;

/// The project file's name, looked for in the current directory and each parent.
pub const PROJECT_FILE: &str = "devkit.yaml";

/// What kind of value a key holds; this decides how file and env text is parsed.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Str,
    Bool,
    UInt,
    Duration,
    List,
    /// One of a value enum's names (`choice::names::<T>`), the same ones its flag takes.
    Choice(fn() -> Vec<String>),
}

impl Kind {
    fn expected(&self) -> String {
        match self {
            Kind::Str => "a string".into(),
            Kind::Bool => "true or false".into(),
            Kind::UInt => "a whole number (0 or more)".into(),
            Kind::Duration => "a duration such as 60s, 90s or 1m 30s".into(),
            Kind::List => "a list of strings".into(),
            Kind::Choice(choices) => format!("one of {}", choices().join(", ")),
        }
    }
}

/// One key of the schema.
#[derive(Debug)]
pub struct KeyDef {
    pub key: &'static str,
    pub kind: Kind,
    pub default: Option<&'static str>,
    pub doc: &'static str,
}

impl KeyDef {
    /// `git.remote` → `DEVKIT_GIT_REMOTE`.
    pub fn env_var(&self) -> String {
        format!("DEVKIT_{}", self.key.replace('.', "_").to_uppercase())
    }
}

/// The schema: every key devkit reads. Later commands add their keys here.
pub const KEYS: &[KeyDef] = &[
    KeyDef {
        key: "b64.wrap",
        kind: Kind::UInt,
        default: Some("76"),
        doc: "wrap encoded lines after this many columns; 0 disables wrapping",
    },
    KeyDef {
        key: "b64.kernel",
        kind: Kind::Choice(names::<KernelChoice>),
        default: Some("auto"),
        doc: "the SIMD kernel b64 runs on; auto takes the fastest the CPU has",
    },
    KeyDef {
        key: "git.remote",
        kind: Kind::Str,
        default: Some("origin"),
        doc: "the remote `git untag` deletes from",
    },
    KeyDef {
        key: "git.transport",
        kind: Kind::Choice(names::<TransportChoice>),
        default: Some("auto"),
        doc: "libgit2, the git executable, or libgit2 with a fallback to git",
    },
    KeyDef {
        key: "pyenv.python",
        kind: Kind::Str,
        default: None,
        doc: "interpreter: a version (3.12) or a path; else .python-version, else python3 on PATH",
    },
    KeyDef {
        key: "pyenv.dir",
        kind: Kind::Str,
        default: Some(".venv"),
        doc: "the venv directory",
    },
    KeyDef {
        key: "pyenv.requirements",
        kind: Kind::List,
        default: None,
        doc: "requirements files to install; default requirements.txt when present",
    },
    KeyDef {
        key: "pyenv.packages",
        kind: Kind::List,
        default: None,
        doc: "extra packages to install",
    },
    KeyDef {
        key: "pyenv.backend",
        kind: Kind::Choice(names::<BackendChoice>),
        default: Some("auto"),
        doc: "uv when on PATH (auto), or the standard library venv + pip",
    },
    KeyDef {
        key: "blog.content",
        kind: Kind::Str,
        default: Some("posts"),
        doc: "the directory holding the posts",
    },
    KeyDef {
        key: "blog.static",
        kind: Kind::Str,
        default: None,
        doc: "the folder a URL from the site root (/a.png) names files in; unset: a public/ or static/ folder beside blog.content",
    },
    KeyDef {
        key: "blog.default_status",
        kind: Kind::Choice(names::<PostStatus>),
        default: Some("draft"),
        doc: "the status of a post with no status, draft or published key in its front matter",
    },
    KeyDef {
        key: "blog.target",
        kind: Kind::Choice(names::<StoreKind>),
        default: Some("kv"),
        doc: "publish to Workers KV, a Durable Object or D1",
    },
    KeyDef {
        key: "blog.html",
        kind: Kind::Choice(names::<HtmlChoice>),
        default: Some("sanitize"),
        doc: "raw HTML in posts: sanitized (scripts, handlers, javascript: URLs dropped) or kept as written",
    },
    KeyDef {
        key: "blog.remote",
        kind: Kind::Bool,
        default: Some("false"),
        doc: "publish to Cloudflare instead of wrangler's local state",
    },
    KeyDef {
        key: "blog.settle",
        kind: Kind::Duration,
        default: Some("60s"),
        doc: "how long KV needs to settle between staged phases",
    },
    KeyDef {
        key: "blog.kv.binding",
        kind: Kind::Str,
        default: None,
        doc: "the KV binding name in the wrangler config (e.g. POSTS)",
    },
    KeyDef {
        key: "blog.kv.namespace_id",
        kind: Kind::Str,
        default: None,
        doc: "the KV namespace id (instead of a binding)",
    },
    KeyDef {
        key: "blog.kv.prefix",
        kind: Kind::Str,
        default: None,
        doc: "a prefix put before every post's key",
    },
    KeyDef {
        key: "blog.d1.binding",
        kind: Kind::Str,
        default: None,
        doc: "the D1 binding name in the wrangler config (e.g. DB)",
    },
    KeyDef {
        key: "blog.d1.database",
        kind: Kind::Str,
        default: None,
        doc: "the D1 database name (instead of a binding)",
    },
    KeyDef {
        key: "blog.wrangler.bin",
        kind: Kind::Str,
        default: None,
        doc: "the wrangler executable; else node_modules/.bin/wrangler, else PATH",
    },
    KeyDef {
        key: "blog.wrangler.config",
        kind: Kind::Str,
        default: None,
        doc: "the wrangler config file (--config)",
    },
    KeyDef {
        key: "blog.wrangler.env",
        kind: Kind::Str,
        default: None,
        doc: "the wrangler environment (--env)",
    },
    KeyDef {
        key: "blog.wrangler.persist_to",
        kind: Kind::Str,
        default: None,
        doc: "where wrangler keeps local state (--persist-to)",
    },
    KeyDef {
        key: "blog.do.url",
        kind: Kind::Str,
        default: None,
        doc: "the Worker's admin API, e.g. http://127.0.0.1:8787/admin/api",
    },
    KeyDef {
        key: "blog.do.token_env",
        kind: Kind::Str,
        default: Some("DEVKIT_BLOG_TOKEN"),
        doc: "the environment variable holding the admin API token",
    },
];

pub fn key_def(key: &str) -> Option<&'static KeyDef> {
    KEYS.iter().find(|def| def.key == key)
}

/// A flag's help naming its config key and the key's default, both read from `KEYS`:
/// `The venv directory [config: pyenv.dir, default .venv]`.
pub fn flag_help(text: &str, key: &str) -> String {
    let def = key_def(key).unwrap_or_else(|| panic!("{key} is not in KEYS"));
    match def.default {
        Some(default) => format!("{text} [config: {key}, default {default}]"),
        None => format!("{text} [config: {key}]"),
    }
}

/// A value of any kind, after parsing.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Bool(bool),
    UInt(u64),
    Duration(Duration),
    List(Vec<String>),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Bool(b) => write!(f, "{b}"),
            Value::UInt(n) => write!(f, "{n}"),
            Value::Duration(d) => f.write_str(&format_duration(*d)),
            Value::List(items) => f.write_str(&items.join(",")),
        }
    }
}

impl Value {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Str(s) => s.as_str().into(),
            Value::Bool(b) => (*b).into(),
            Value::UInt(n) => (*n).into(),
            Value::Duration(d) => format_duration(*d).into(),
            Value::List(items) => items.clone().into(),
        }
    }
}

/// `90s` → `1m 30s`, `0s` → `0s`.
pub fn format_duration(d: Duration) -> String {
    let signed = jiff::SignedDuration::try_from(d).unwrap_or(jiff::SignedDuration::MAX);
    format!("{signed:#}")
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File { path: PathBuf, line: usize },
    Env { var: String },
    Flag { name: String },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File { path, line } => write!(f, "{}:{line}", path.display()),
            Origin::Env { var } => write!(f, "env {var}"),
            Origin::Flag { name } => write!(f, "flag {name}"),
        }
    }
}

impl Origin {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Origin::Default => serde_json::json!({"kind": "default"}),
            Origin::File { path, line } => {
                serde_json::json!({"kind": "file", "path": path, "line": line})
            }
            Origin::Env { var } => serde_json::json!({"kind": "env", "var": var}),
            Origin::Flag { name } => serde_json::json!({"kind": "flag", "name": name}),
        }
    }
}

/// A value together with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Resolved<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Resolved<U> {
        Resolved {
            value: f(self.value),
            origin: self.origin,
        }
    }
}

/// A flag given on the command line wins over whatever the config resolved.
pub fn flag_or<T>(flag: Option<T>, name: &str, config: Option<Resolved<T>>) -> Option<Resolved<T>> {
    match flag {
        Some(value) => Some(Resolved {
            value,
            origin: Origin::Flag { name: name.into() },
        }),
        None => config,
    }
}

/// A config file devkit looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStatus {
    pub role: &'static str,
    pub path: PathBuf,
    pub found: bool,
}

/// What to load: worked out by the caller from the global flags and the machine.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub cwd: PathBuf,
    /// `~/.config/devkit/config.yaml`, when a home directory is known.
    pub user_file: Option<PathBuf>,
    /// `--config PATH` / `DEVKIT_CONFIG`: used instead of the discovered project file.
    pub explicit_file: Option<PathBuf>,
    /// `--no-config`: read no file at all.
    pub no_config: bool,
}

/// The merged configuration.
#[derive(Debug, Clone)]
pub struct Config {
    entries: BTreeMap<&'static str, Resolved<Value>>,
    files: Vec<FileStatus>,
    cwd: PathBuf,
    project_root: Option<PathBuf>,
}

impl Config {
    /// Merge every layer. `env` reads an environment variable (the real one outside tests).
    pub fn load(opts: &LoadOptions, env: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let mut config = Config {
            entries: BTreeMap::new(),
            files: Vec::new(),
            cwd: opts.cwd.clone(),
            project_root: None,
        };
        for def in KEYS {
            if let Some(text) = def.default {
                let value = parse_text(def, text).expect("built-in defaults parse");
                config.entries.insert(
                    def.key,
                    Resolved {
                        value,
                        origin: Origin::Default,
                    },
                );
            }
        }

        if !opts.no_config {
            if let Some(user) = &opts.user_file {
                let found = user.is_file();
                config.files.push(FileStatus {
                    role: "user",
                    path: user.clone(),
                    found,
                });
                if found {
                    config.merge_file(user)?;
                }
            }
            match &opts.explicit_file {
                Some(path) => {
                    let path = opts.cwd.join(path);
                    let found = path.is_file();
                    config.files.push(FileStatus {
                        role: "--config",
                        path: path.clone(),
                        found,
                    });
                    if !found {
                        return Err(DevkitError::usage(format!(
                            "config file {} does not exist (given with --config or DEVKIT_CONFIG)",
                            path.display()
                        ))
                        .into());
                    }
                    config.project_root = path.parent().map(Path::to_path_buf);
                    config.merge_file(&path)?;
                }
                None => {
                    let found = find_project_file(&opts.cwd);
                    match found {
                        Some(path) => {
                            config.files.push(FileStatus {
                                role: "project",
                                path: path.clone(),
                                found: true,
                            });
                            config.project_root = path.parent().map(Path::to_path_buf);
                            config.merge_file(&path)?;
                        }
                        None => config.files.push(FileStatus {
                            role: "project",
                            path: opts.cwd.join(PROJECT_FILE),
                            found: false,
                        }),
                    }
                }
            }
        }

        for def in KEYS {
            let var = def.env_var();
            if let Some(text) = env(&var) {
                let value = parse_env(def, &text).map_err(|expected| {
                    DevkitError::usage(format!(
                        "environment variable {var}: {}: expected {expected}, found {text:?}",
                        def.key
                    ))
                })?;
                config.entries.insert(
                    def.key,
                    Resolved {
                        value,
                        origin: Origin::Env { var },
                    },
                );
            }
        }
        Ok(config)
    }

    fn merge_file(&mut self, path: &Path) -> Result<()> {
        let bytes = std::fs::read(path).map_err(|e| {
            DevkitError::usage(format!("cannot read config file {}: {e}", path.display()))
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = line_of_offset(e.as_bytes(), e.utf8_error().valid_up_to());
            DevkitError::usage(format!(
                "{}:{line}: config file is not valid UTF-8",
                path.display()
            ))
        })?;
        for (key, value, line) in parse_file(&text).map_err(|e| e.at(path))? {
            self.entries.insert(
                key,
                Resolved {
                    value,
                    origin: Origin::File {
                        path: path.to_path_buf(),
                        line,
                    },
                },
            );
        }
        Ok(())
    }

    /// The files considered, in merge order.
    pub fn files(&self) -> &[FileStatus] {
        &self.files
    }

    /// The directory holding the project file, when one was used.
    pub fn project_root(&self) -> Option<&Path> {
        self.project_root.as_deref()
    }

    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// Every key of the schema with its resolved value, if any.
    pub fn entries(&self) -> impl Iterator<Item = (&'static KeyDef, Option<&Resolved<Value>>)> {
        KEYS.iter().map(|def| (def, self.entries.get(def.key)))
    }

    pub fn get(&self, key: &str) -> Option<&Resolved<Value>> {
        self.entries.get(key)
    }

    fn typed<T>(&self, key: &str, pick: impl FnOnce(&Value) -> Option<T>) -> Option<Resolved<T>> {
        debug_assert!(key_def(key).is_some(), "unknown config key {key}");
        let entry = self.entries.get(key)?;
        let value = pick(&entry.value).unwrap_or_else(|| panic!("{key} has the wrong kind"));
        Some(Resolved {
            value,
            origin: entry.origin.clone(),
        })
    }

    pub fn string(&self, key: &str) -> Option<Resolved<String>> {
        self.typed(key, |v| match v {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        })
    }

    pub fn uint(&self, key: &str) -> Option<Resolved<u64>> {
        self.typed(key, |v| match v {
            Value::UInt(n) => Some(*n),
            _ => None,
        })
    }

    pub fn bool(&self, key: &str) -> Option<Resolved<bool>> {
        self.typed(key, |v| match v {
            Value::Bool(b) => Some(*b),
            _ => None,
        })
    }

    pub fn duration(&self, key: &str) -> Option<Resolved<Duration>> {
        self.typed(key, |v| match v {
            Value::Duration(d) => Some(*d),
            _ => None,
        })
    }

    pub fn list(&self, key: &str) -> Option<Resolved<Vec<String>>> {
        self.typed(key, |v| match v {
            Value::List(items) => Some(items.clone()),
            _ => None,
        })
    }

    /// A choice key resolved together with its flag, as the flag's clap value enum (whose value
    /// names are the key's choices, checked by a test): the flag wins, else the config's text.
    pub fn choice<T: clap::ValueEnum>(
        &self,
        key: &str,
        flag: Option<T>,
        flag_name: &str,
    ) -> Option<Resolved<T>> {
        let from_config = self.string(key).map(|r| {
            r.map(|text| {
                T::from_str(&text, false).unwrap_or_else(|_| {
                    panic!("{key}: `{text}` passed the schema but not {flag_name}")
                })
            })
        });
        flag_or(flag, flag_name, from_config)
    }

    /// A path-valued key, made absolute: a path from a file is relative to that file's
    /// directory; a default is relative to the project root (or the current directory);
    /// env vars and flags are relative to the current directory.
    pub fn path(&self, key: &str) -> Option<Resolved<PathBuf>> {
        let resolved = self.string(key)?;
        let base = self.base_dir(&resolved.origin);
        Some(resolved.map(|s| base.join(s)))
    }

    /// The directory a relative path from `origin` is relative to.
    pub fn base_dir(&self, origin: &Origin) -> PathBuf {
        match origin {
            Origin::File { path, .. } => path
                .parent()
                .map_or_else(|| self.cwd.clone(), Path::to_path_buf),
            Origin::Default => self
                .project_root
                .clone()
                .unwrap_or_else(|| self.cwd.clone()),
            Origin::Env { .. } | Origin::Flag { .. } => self.cwd.clone(),
        }
    }

    /// Parse a flag's text as `key`'s kind (so `--settle 90s` and `blog.settle: 90s` agree);
    /// a bad value is a usage error naming the flag.
    pub fn parse_flag(&self, key: &str, flag: &str, text: &str) -> Result<Resolved<Value>> {
        let def = key_def(key).expect("flag maps to a known key");
        let value = parse_text(def, text).map_err(|expected| {
            DevkitError::usage(format!(
                "{flag}: expected {expected}, found {text:?} (the flag sets {key})"
            ))
        })?;
        Ok(Resolved {
            value,
            origin: Origin::Flag { name: flag.into() },
        })
    }
}

/// Walk up from `start` to the first directory holding `devkit.yaml`.
pub fn find_project_file(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(PROJECT_FILE))
        .find(|candidate| candidate.is_file())
}

/// A problem in a config file, before we know the file's name.
#[derive(Debug, PartialEq)]
pub struct FileError {
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
}

impl FileError {
    fn at(self, path: &Path) -> DevkitError {
        let place = match self.column {
            Some(col) => format!("{}:{}:{col}", path.display(), self.line),
            None => format!("{}:{}", path.display(), self.line),
        };
        DevkitError::usage(format!("{place}: {}", self.message))
    }
}

/// Parse a config file's text into `(key, value, line)` triples, checking every key and type.
pub fn parse_file(text: &str) -> Result<Vec<(&'static str, Value, usize)>, FileError> {
    let doc: Yaml = serde_yaml::from_str(text).map_err(|e| {
        let loc = e.location();
        FileError {
            line: loc.as_ref().map_or(1, |l| l.line()),
            column: loc.as_ref().map(|l| l.column()),
            message: format!("malformed YAML: {e}"),
        }
    })?;
    let mut out = Vec::new();
    match doc {
        Yaml::Null => {}
        Yaml::Mapping(map) => walk(text, &map, &mut Vec::new(), &mut out)?,
        _ => {
            return Err(FileError {
                line: 1,
                column: None,
                message: "expected a mapping of keys (such as `git:` or `blog:`) at the top level"
                    .into(),
            });
        }
    }
    Ok(out)
}

fn walk(
    text: &str,
    map: &serde_yaml::Mapping,
    path: &mut Vec<String>,
    out: &mut Vec<(&'static str, Value, usize)>,
) -> Result<(), FileError> {
    for (k, v) in map {
        let Some(name) = k.as_str() else {
            return Err(FileError {
                line: line_of_key(text, path).unwrap_or(1),
                column: None,
                message: format!("expected a key name, found {}", yaml_kind(k)),
            });
        };
        path.push(name.to_string());
        let dotted = path.join(".");
        let line = line_of_key(text, path).unwrap_or(1);
        if let Some(def) = key_def(&dotted) {
            let value = parse_yaml(def, v).map_err(|expected| FileError {
                line,
                column: None,
                message: format!("{dotted}: expected {expected}, found {}", describe(v)),
            })?;
            out.push((def.key, value, line));
        } else if is_section(&dotted) {
            match v {
                Yaml::Mapping(inner) => walk(text, inner, path, out)?,
                Yaml::Null => {}
                other => {
                    return Err(FileError {
                        line,
                        column: None,
                        message: format!(
                            "{dotted}: expected a mapping of keys, found {}",
                            describe(other)
                        ),
                    });
                }
            }
        } else {
            let mut message = format!("unknown key `{dotted}`");
            if let Some(near) = nearest_key(&dotted, matches!(v, Yaml::Mapping(_))) {
                message.push_str(&format!(" (did you mean `{near}`?)"));
            }
            return Err(FileError {
                line,
                column: None,
                message,
            });
        }
        path.pop();
    }
    Ok(())
}

fn is_section(dotted: &str) -> bool {
    let prefix = format!("{dotted}.");
    KEYS.iter().any(|def| def.key.starts_with(&prefix))
}

/// The known name closest to a misspelt one: a section (`blog.wrangler`, `blog`) when what was
/// written holds a mapping of keys, else a key.
fn nearest_key(dotted: &str, section: bool) -> Option<&'static str> {
    let sections = KEYS
        .iter()
        .flat_map(|def| def.key.match_indices('.').map(|(at, _)| &def.key[..at]));
    let candidates: Vec<&'static str> = if section {
        sections.collect()
    } else {
        KEYS.iter().map(|def| def.key).collect()
    };
    candidates
        .into_iter()
        .map(|name| (edit_distance(dotted, name), name))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, name)| name)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn yaml_kind(v: &Yaml) -> &'static str {
    match v {
        Yaml::Null => "nothing",
        Yaml::Bool(_) => "a boolean",
        Yaml::Number(_) => "a number",
        Yaml::String(_) => "a string",
        Yaml::Sequence(_) => "a list",
        Yaml::Mapping(_) => "a mapping",
        Yaml::Tagged(_) => "a tagged value",
    }
}

fn describe(v: &Yaml) -> String {
    match v {
        Yaml::Bool(b) => format!("{} `{b}`", yaml_kind(v)),
        Yaml::Number(n) => format!("{} `{n}`", yaml_kind(v)),
        Yaml::String(s) => format!("{} `{s}`", yaml_kind(v)),
        _ => yaml_kind(v).to_string(),
    }
}

fn parse_yaml(def: &KeyDef, v: &Yaml) -> Result<Value, String> {
    let expected = || def.kind.expected();
    match (def.kind, v) {
        (Kind::List, Yaml::Sequence(items)) => items
            .iter()
            .map(|item| scalar_string(item).ok_or_else(expected))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::List),
        (Kind::List, Yaml::String(s)) => Ok(Value::List(vec![s.clone()])),
        (Kind::Bool, Yaml::Bool(b)) => Ok(Value::Bool(*b)),
        (Kind::UInt, Yaml::Number(n)) => n.as_u64().map(Value::UInt).ok_or_else(expected),
        (Kind::Duration, Yaml::Number(n)) => n
            .as_u64()
            .map(|secs| Value::Duration(Duration::from_secs(secs)))
            .ok_or_else(expected),
        (Kind::Str, Yaml::Number(n)) if n.is_f64() => Err(format!(
            "a string (YAML reads `{n}` as a number: write it in quotes, e.g. \"3.10\")"
        )),
        (Kind::Str | Kind::Duration | Kind::Choice(_), _) => {
            let text = scalar_string(v).ok_or_else(expected)?;
            parse_text(def, &text)
        }
        _ => Err(expected()),
    }
}

fn scalar_string(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) if !n.is_f64() => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parse text (a default, or a flag's text) as the key's kind. `Err` says what was expected.
fn parse_text(def: &KeyDef, text: &str) -> Result<Value, String> {
    let expected = || def.kind.expected();
    match def.kind {
        Kind::Str => {
            if text.is_empty() {
                Err("a non-empty string".into())
            } else {
                Ok(Value::Str(text.to_string()))
            }
        }
        Kind::Choice(choices) => choices()
            .into_iter()
            .find(|c| c == text)
            .map(Value::Str)
            .ok_or_else(expected),
        Kind::Bool => match text {
            "true" | "1" | "yes" | "on" => Ok(Value::Bool(true)),
            "false" | "0" | "no" | "off" => Ok(Value::Bool(false)),
            _ => Err(expected()),
        },
        Kind::UInt => text.parse().map(Value::UInt).map_err(|_| expected()),
        Kind::Duration => parse_duration(text)
            .map(Value::Duration)
            .ok_or_else(expected),
        Kind::List => Ok(Value::List(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
        )),
    }
}

fn parse_env(def: &KeyDef, text: &str) -> Result<Value, String> {
    parse_text(def, text)
}

/// `60s`, `1m 30s`, `2m`, `PT1M`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let signed: jiff::SignedDuration = text.parse().ok()?;
    Duration::try_from(signed).ok()
}

/// The 1-based line of the key at `path` in block-style YAML; for a key inside a flow
/// mapping (`blog: {settle: 60s}`), the line of the deepest block key found.
pub fn line_of_key(text: &str, path: &[String]) -> Option<usize> {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut best: Option<(usize, usize)> = None; // (depth matched, line)
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("- ") {
            continue;
        }
        let indent = raw.len() - trimmed.len();
        let Some(key) = block_key(trimmed) else {
            continue;
        };
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        stack.push((indent, key));
        let depth = stack.len();
        if depth <= path.len() && stack.iter().zip(path).all(|((_, k), p)| k == p) {
            if depth == path.len() {
                return Some(index + 1);
            }
            if best.is_none_or(|(d, _)| depth > d) {
                best = Some((depth, index + 1));
            }
        }
    }
    best.map(|(_, line)| line)
}

fn block_key(line: &str) -> Option<String> {
    let (key, rest) = if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = line[1..].find(quote)? + 1;
        (&line[1..end], &line[end + 1..])
    } else {
        let colon = line.find(':')?;
        (line[..colon].trim_end(), &line[colon..])
    };
    let rest = rest.trim_start();
    let after = rest.strip_prefix(':')?;
    if after.is_empty() || after.starts_with(' ') || after.starts_with('\t') {
        Some(key.to_string())
    } else {
        None
    }
}

fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &bytes[..offset]).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn env_var_names_follow_the_key_path() {
        assert_eq!(
            key_def("git.remote").unwrap().env_var(),
            "DEVKIT_GIT_REMOTE"
        );
        assert_eq!(
            key_def("blog.do.url").unwrap().env_var(),
            "DEVKIT_BLOG_DO_URL"
        );
        assert_eq!(
            key_def("blog.kv.namespace_id").unwrap().env_var(),
            "DEVKIT_BLOG_KV_NAMESPACE_ID"
        );
    }

    #[test]
    fn parses_nested_keys_with_their_lines() {
        let text =
            "# devkit\nb64:\n  wrap: 0\nblog:\n  settle: 1m 30s\n  kv:\n    binding: POSTS\n";
        let parsed = parse_file(text).unwrap();
        assert_eq!(
            parsed,
            vec![
                ("b64.wrap", Value::UInt(0), 3),
                ("blog.settle", Value::Duration(Duration::from_secs(90)), 5),
                ("blog.kv.binding", Value::Str("POSTS".into()), 7),
            ]
        );
    }

    #[test]
    fn unknown_key_names_its_line_and_suggests() {
        let err = parse_file("blog:\n  kv:\n    bindng: POSTS\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("unknown key `blog.kv.bindng`"));
        assert!(err.message.contains("did you mean `blog.kv.binding`"));
    }

    #[test]
    fn a_misspelt_section_gets_a_did_you_mean() {
        for (text, near) in [
            ("blog:\n  wrangle:\n    bin: x\n", "blog.wrangler"),
            ("blgo:\n  content: posts\n", "blog"),
            ("blog:\n  kb:\n    binding: POSTS\n", "blog.kv"),
        ] {
            let err = parse_file(text).unwrap_err();
            assert!(
                err.message.contains(&format!("(did you mean `{near}`?)")),
                "{text:?}: {}",
                err.message
            );
        }
    }

    #[test]
    fn wrong_types_say_what_was_expected() {
        let err = parse_file("blog:\n  settle: soon\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(
            err.message.contains("blog.settle: expected a duration"),
            "{}",
            err.message
        );
        let err = parse_file("b64:\n  wrap: -3\n").unwrap_err();
        assert!(err.message.contains("b64.wrap: expected a whole number"));
        let err = parse_file("blog:\n  remote: maybe\n").unwrap_err();
        assert!(err.message.contains("expected true or false"));
        let err = parse_file("git:\n  transport: ftp\n").unwrap_err();
        assert!(err.message.contains("one of auto, libgit2, cli"));
        let err = parse_file("pyenv:\n  python: 3.10\n").unwrap_err();
        assert!(err.message.contains("in quotes"));
    }

    #[test]
    fn malformed_yaml_reports_its_location() {
        let err = parse_file("b64:\n  wrap: [1,\n").unwrap_err();
        assert!(err.message.starts_with("malformed YAML"));
        assert!(err.line >= 2);
    }

    #[test]
    fn a_section_must_be_a_mapping() {
        let err = parse_file("git: origin\n").unwrap_err();
        assert!(err.message.contains("git: expected a mapping"));
        assert!(parse_file("").unwrap().is_empty());
        assert!(parse_file("git:\n").unwrap().is_empty());
    }

    #[test]
    fn lists_accept_a_single_string() {
        let parsed =
            parse_file("pyenv:\n  packages: requests\n  requirements:\n    - a.txt\n    - b.txt\n")
                .unwrap();
        assert_eq!(parsed[0].1, Value::List(vec!["requests".into()]));
        assert_eq!(
            parsed[1].1,
            Value::List(vec!["a.txt".into(), "b.txt".into()])
        );
    }

    #[test]
    fn line_finder_handles_flow_mappings_and_quotes() {
        let text = "blog: {settle: 60s}\n\"git\":\n  'remote': up\n";
        assert_eq!(line_of_key(text, &path(&["blog", "settle"])), Some(1));
        assert_eq!(line_of_key(text, &path(&["git", "remote"])), Some(3));
    }

    #[test]
    fn durations_accept_friendly_and_plain_seconds() {
        assert_eq!(parse_duration("60s"), Some(Duration::from_secs(60)));
        assert_eq!(parse_duration("1m 30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("45"), Some(Duration::from_secs(45)));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(format_duration(Duration::from_secs(90)), "1m 30s");
    }

    #[test]
    fn env_values_are_parsed_by_kind() {
        let wrap = key_def("b64.wrap").unwrap();
        assert_eq!(parse_env(wrap, "0"), Ok(Value::UInt(0)));
        assert!(parse_env(wrap, "x").is_err());
        let list = key_def("pyenv.packages").unwrap();
        assert_eq!(
            parse_env(list, "a, b"),
            Ok(Value::List(vec!["a".into(), "b".into()]))
        );
        assert!(parse_env(key_def("git.remote").unwrap(), "").is_err());
    }

    #[test]
    fn a_flag_wins_and_says_so() {
        let from_file = Some(Resolved {
            value: 4u64,
            origin: Origin::File {
                path: "devkit.yaml".into(),
                line: 2,
            },
        });
        let picked = flag_or(Some(0), "--wrap", from_file.clone()).unwrap();
        assert_eq!(picked.value, 0);
        assert_eq!(picked.origin.to_string(), "flag --wrap");
        assert_eq!(flag_or(None, "--wrap", from_file.clone()), from_file);
    }

    #[test]
    fn flag_text_is_parsed_like_the_key() {
        let opts = LoadOptions {
            cwd: std::env::temp_dir(),
            user_file: None,
            explicit_file: None,
            no_config: true,
        };
        let config = Config::load(&opts, |_| None).unwrap();
        let settle = config.parse_flag("blog.settle", "--settle", "90s").unwrap();
        assert_eq!(settle.value, Value::Duration(Duration::from_secs(90)));
        let err = config
            .parse_flag("blog.settle", "--settle", "soon")
            .unwrap_err();
        assert!(err.to_string().contains("--settle: expected a duration"));
    }

    #[test]
    fn paths_are_relative_to_where_they_were_set() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join(PROJECT_FILE), "pyenv:\n  dir: env\n").unwrap();
        let opts = LoadOptions {
            cwd: dir.path().join("sub"),
            user_file: None,
            explicit_file: None,
            no_config: false,
        };
        let config = Config::load(&opts, |_| None).unwrap();
        assert_eq!(
            config.path("pyenv.dir").unwrap().value,
            dir.path().join("env")
        );
        assert_eq!(
            config.path("blog.content").unwrap().value,
            dir.path().join("posts")
        );
        let config =
            Config::load(&opts, |k| (k == "DEVKIT_PYENV_DIR").then(|| "e".into())).unwrap();
        assert_eq!(
            config.path("pyenv.dir").unwrap().value,
            dir.path().join("sub/e")
        );
    }

    #[test]
    fn every_default_parses() {
        for def in KEYS {
            if let Some(text) = def.default {
                parse_text(def, text).unwrap();
            }
        }
    }
}
