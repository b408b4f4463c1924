//! The D1 target: devkit's tables in a D1 database, written through `wrangler d1 execute
//! --file` (one file is one batch and one transaction: a push is all or nothing) and read
//! with `--json` queries. The schema is in `schema.rs`, the literals in `sql.rs`.

mod read;
mod schema;
mod sql;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use super::kv::{WranglerBin, config_file, find_wrangler};
use super::wrangler;
use crate::commands::blog::assets::Limit;
use crate::commands::blog::model::{ASSETS, Entry};
use crate::commands::blog::plan::{AssetWrite, Phase, Remote, Value, Write};
use crate::commands::blog::store::{Assets, Consistency, Limits, Store};
use crate::error::DevkitError;
use crate::output::Printer;
use schema::State;

/// D1's limit on a string, BLOB or row: files devkit stores are held to it.
pub const MAX_VALUE_BYTES: usize = 2_000_000;

/// D1's limits. Pages and sources are cut into rows, so only a file's size is bounded here.
pub fn limits() -> Limits {
    Limits {
        consistency: Consistency::Strong,
        key_prefix: String::new(),
        max_key_bytes: None,
        max_value_bytes: None,
        max_metadata_bytes: None,
        max_row_bytes: None,
        nul_free_text: true,
        asset: Limit {
            bytes: MAX_VALUE_BYTES,
            what: "a D1 value (2 MB)",
        },
        batch_items: usize::MAX,
        batch_bytes: usize::MAX,
    }
}

/// How to reach the database, resolved from config and flags.
#[derive(Debug, Clone)]
pub struct D1Settings {
    pub wrangler: Option<WranglerBin>,
    /// `blog.d1.binding` or `blog.d1.database`: wrangler takes either.
    pub database: String,
    pub config: Option<PathBuf>,
    pub env: Option<String>,
    pub persist_to: Option<PathBuf>,
    pub remote: bool,
}

/// The D1 target: every call is one wrangler process.
pub struct D1 {
    program: PathBuf,
    settings: D1Settings,
    printer: Printer,
    invocations: usize,
    /// What the last listing found of devkit's schema; the first write brings it up to date.
    schema: State,
    /// The bodies of rows devkit did not write (adoption compares them).
    foreign: BTreeMap<String, Option<String>>,
    /// The Time Travel bookmark read before the first `--remote` write.
    pub bookmark: Option<String>,
}

impl D1 {
    pub fn locate(settings: &D1Settings, cwd: &Path, printer: &Printer) -> Result<Self> {
        let program = find_wrangler(settings.wrangler.as_ref(), settings.config.as_deref(), cwd)?;
        printer.verbose(1, format!("wrangler: {}", program.display()));
        Ok(Self {
            program,
            settings: settings.clone(),
            printer: printer.clone(),
            invocations: 0,
            schema: State::Missing,
            foreign: BTreeMap::new(),
            bookmark: None,
        })
    }

    /// `--config … --env … --local --persist-to …`, after the subcommand and database.
    fn target_args(&self, with_state: bool) -> Vec<OsString> {
        let s = &self.settings;
        let mut args: Vec<OsString> = Vec::new();
        if let Some(config) = &s.config {
            args.extend(["--config".into(), config_file(config).into()]);
        }
        if let Some(env) = &s.env {
            args.extend(["--env".into(), env.into()]);
        }
        if with_state {
            // Always explicit, as with KV: wrangler picks local state when neither is given.
            args.push(if s.remote { "--remote" } else { "--local" }.into());
            if let (false, Some(dir)) = (s.remote, &s.persist_to) {
                args.extend(["--persist-to".into(), dir.into()]);
            }
        }
        args
    }

    /// `wrangler d1 <verb…> <database> …`, counted; a busy local state is waited for.
    fn run(
        &mut self,
        what: &str,
        verb: &[&str],
        with_state: bool,
        tail: &[OsString],
    ) -> Result<Vec<u8>> {
        let mut args: Vec<OsString> = std::iter::once("d1".into())
            .chain(verb.iter().map(OsString::from))
            .collect();
        args.push(self.settings.database.clone().into());
        args.extend(self.target_args(with_state));
        args.extend(tail.iter().cloned());
        let program = self.program.clone();
        let printer = self.printer.clone();
        let mut count = 0;
        let out = wrangler::run_waiting(&program, what, &printer, &mut || {
            count += 1;
            let mut cmd: Command = wrangler::command(&program);
            cmd.args(&args);
            Ok(cmd)
        });
        self.invocations += count;
        out
    }

    fn query(&mut self, what: &str, sql: &str) -> Result<Vec<u8>> {
        self.run(
            what,
            &["execute"],
            true,
            &["--json".into(), "--command".into(), sql.into()],
        )
    }

    /// Run `statements` as one file: one batch, one transaction.
    fn execute(&mut self, statements: &[String]) -> Result<()> {
        let dir = tempfile_dir()?;
        let file = dir.join("push.sql");
        std::fs::write(&file, statements.join("\n"))
            .with_context(|| format!("cannot write {}", file.display()))?;
        let result = self.run(
            "d1 execute --file",
            &["execute"],
            true,
            &["--json".into(), "--file".into(), file.clone().into()],
        );
        let _ = std::fs::remove_dir_all(&dir);
        result
            .map(|_| ())
            .map_err(|e| e.context("D1 ran the push as one transaction: nothing of it was written"))
    }

    /// Before a `--remote` write: the bookmark that undoes it, printed with the command.
    fn bookmark(&mut self) -> Result<()> {
        if !self.settings.remote || self.bookmark.is_some() {
            return Ok(());
        }
        let out = self.run(
            "d1 time-travel info",
            &["time-travel", "info"],
            false,
            &["--json".into()],
        )?;
        let bookmark = parse_bookmark(&out)?;
        self.printer.info(format!(
            "before this push, D1's Time Travel bookmark is {bookmark}; to undo the push: {}",
            restore_command(&self.settings, &bookmark)
        ));
        self.bookmark = Some(bookmark);
        Ok(())
    }

    /// The statements of one batch: the schema, files, then pages, then deletes.
    fn statements(
        &self,
        writes: &[Write],
        assets: &[AssetWrite],
        deletes: &[String],
    ) -> Result<Vec<String>> {
        let mut out = schema::upgrade(&self.schema).unwrap_or_default();
        let nul = |what: &str, at: usize| {
            DevkitError::failure(format!(
                "{what} holds a NUL byte at offset {at}, which a D1 text value cannot hold"
            ))
        };
        let mut chunks = Vec::new();
        let mut asset_rows = Vec::new();
        for a in assets {
            let key = sql::text(&a.key).map_err(|at| nul(&a.key, at))?;
            out.push(format!("DELETE FROM devkit_chunks WHERE key = {key};"));
            asset_rows.push(format!(
                "({}, {}, {})",
                sql::text(&a.name).map_err(|at| nul(&a.name, at))?,
                sql::text(&a.content_type).map_err(|at| nul(&a.content_type, at))?,
                a.bytes.len()
            ));
            for (n, piece) in a.bytes.chunks(sql::MAX_LITERAL_BYTES / 2 - 2).enumerate() {
                chunks.push(format!("({key}, 'file', {n}, {})", sql::blob(piece)));
            }
        }
        sql::inserts(
            "INSERT OR REPLACE INTO assets (name, content_type, bytes)",
            &asset_rows,
            &mut out,
        );
        let mut rows = Vec::new();
        for w in writes {
            let Value::Page { html, source, body } = &w.value else {
                anyhow::bail!("internal: a write of {} without its page", w.key);
            };
            let t = |s: &str| sql::text(s).map_err(|at| nul(&w.key, at));
            let key = t(&w.key)?;
            out.push(format!("DELETE FROM devkit_chunks WHERE key = {key};"));
            let r = &w.record;
            rows.push(format!(
                "({key}, {}, {}, {}, {}, '', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NULL, NULL, {}, {}, {})",
                t(&r.title)?,
                t(r.status.as_str())?,
                t(&r.date)?,
                t(&r.hash)?,
                t(&r.excerpt)?,
                t(&serde_json::to_string(&r.tags)?)?,
                r.updated.as_deref().map_or(Ok("NULL".to_string()), t)?,
            ));
            for (part, text) in [("html", html), ("source", source), ("body", body)] {
                for (n, piece) in sql::text_pieces(text, sql::MAX_LITERAL_BYTES)
                    .into_iter()
                    .enumerate()
                {
                    chunks.push(format!("({key}, '{part}', {n}, {})", t(piece)?));
                }
            }
        }
        sql::inserts(
            "INSERT OR REPLACE INTO posts (slug, title, status, date, hash, body, updated_at, html, source, excerpt, tags, updated)",
            &rows,
            &mut out,
        );
        sql::inserts(
            "INSERT INTO devkit_chunks (key, part, n, data)",
            &chunks,
            &mut out,
        );
        for key in deletes {
            let literal = sql::text(key).map_err(|at| nul(key, at))?;
            out.push(format!("DELETE FROM devkit_chunks WHERE key = {literal};"));
            out.push(match key.strip_prefix(ASSETS) {
                Some(name) => format!(
                    "DELETE FROM assets WHERE name = {};",
                    sql::text(name).map_err(|at| nul(key, at))?
                ),
                None => format!("DELETE FROM posts WHERE slug = {literal};"),
            });
        }
        Ok(out)
    }

    fn batch(&mut self, writes: &[Write], assets: &[AssetWrite], deletes: &[String]) -> Result<()> {
        if let Some(refusal) = self.refusal() {
            return Err(refusal);
        }
        let statements = self.statements(writes, assets, deletes)?;
        self.bookmark()?;
        self.execute(&statements)?;
        self.schema = State::Current;
        Ok(())
    }

    /// The error for a database devkit must not write to.
    fn refusal(&self) -> Option<anyhow::Error> {
        let db = &self.settings.database;
        match &self.schema {
            State::Foreign(tables) => Some(
                DevkitError::failure(format!(
                    "the D1 database {db} has {} devkit did not create (no devkit_meta version row): devkit never alters it",
                    tables.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
                ))
                .with_hint("give the blog a database of its own (blog.d1.binding or blog.d1.database), or rename those tables")
                .into(),
            ),
            State::Newer(v) => Some(
                DevkitError::failure(format!(
                    "the D1 database {db} holds devkit's schema version {v}; this devkit knows up to {}",
                    schema::VERSION
                ))
                .with_hint("update devkit")
                .into(),
            ),
            _ => None,
        }
    }
}

fn tempfile_dir() -> Result<PathBuf> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "devkit-d1-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(&dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// `wrangler d1 time-travel info --json`: `{"bookmark": "…"}`.
pub fn parse_bookmark(stdout: &[u8]) -> Result<String> {
    let text = String::from_utf8_lossy(stdout);
    let start = text
        .find('{')
        .context("wrangler d1 time-travel info printed no JSON")?;
    let mut stream =
        serde_json::Deserializer::from_str(&text[start..]).into_iter::<serde_json::Value>();
    stream
        .next()
        .and_then(|v| v.ok())
        .and_then(|v| {
            v.get("bookmark")
                .and_then(|b| b.as_str())
                .map(str::to_string)
        })
        .context("wrangler d1 time-travel info printed no bookmark")
}

/// The command that puts the database back where `bookmark` was.
pub fn restore_command(settings: &D1Settings, bookmark: &str) -> String {
    let mut command = format!(
        "wrangler d1 time-travel restore {} --bookmark={bookmark}",
        settings.database
    );
    if let Some(config) = &settings.config {
        command.push_str(&format!(" --config {}", config_file(config).display()));
    }
    if let Some(env) = &settings.env {
        command.push_str(&format!(" --env {env}"));
    }
    command
}

impl Store for D1 {
    fn describe(&self) -> String {
        let s = &self.settings;
        if s.remote {
            format!("Cloudflare D1 ({}, --remote)", s.database)
        } else {
            match &s.persist_to {
                Some(p) => format!(
                    "local D1 ({}, --local, persisted in {})",
                    s.database,
                    p.display()
                ),
                None => format!("local D1 ({}, --local)", s.database),
            }
        }
    }

    fn limits(&self) -> Limits {
        limits()
    }

    fn list(&mut self, _wanted: &[String], _every_key: bool) -> Result<Remote> {
        let (remote, state, foreign) = match self.query("d1 execute (list)", read::LIST) {
            Ok(out) => read::listing(&out)?,
            Err(e) if format!("{e:#}").contains("no such table") => {
                let out = self.query("d1 execute (list tables)", read::TABLES)?;
                let tables = read::tables(read::results(&out)?.first().map_or(&[][..], |r| &r[..]));
                (Remote::new(), schema::state(&tables, None), BTreeMap::new())
            }
            Err(e) => return Err(e),
        };
        self.schema = state;
        self.foreign = foreign;
        match self.refusal() {
            Some(refusal) => Err(refusal),
            None => Ok(remote),
        }
    }

    fn foreign_values(&mut self, keys: &[String]) -> Result<BTreeMap<String, Option<String>>> {
        Ok(keys
            .iter()
            .map(|k| (k.clone(), self.foreign.get(k).cloned().flatten()))
            .collect())
    }

    fn apply(&mut self, phase: &Phase) -> Result<()> {
        match phase.parts() {
            Some((writes, assets, deletes)) => self.batch(writes, assets, deletes),
            None => Ok(()),
        }
    }

    fn entries(&mut self, skip: &dyn Fn(&str) -> bool) -> Result<Vec<Entry>> {
        let out = self.query("d1 execute (pull)", read::ENTRIES)?;
        Ok(read::entries(&out)?
            .into_iter()
            .filter(|e| !skip(e.slug()))
            .collect())
    }

    fn assets(&mut self, names: &[String]) -> Result<Assets> {
        let out = self.query("d1 execute (pull files)", read::FILES)?;
        let mut files = read::files(&out)?;
        names
            .iter()
            .map(|name| {
                let bytes = files.remove(name).ok_or_else(|| {
                    DevkitError::failure(format!("the D1 database holds no file {name}"))
                })?;
                Ok((name.clone(), bytes))
            })
            .collect()
    }

    fn requests(&self) -> usize {
        self.invocations
    }

    fn requests_phrase(&self) -> String {
        let n = self.invocations;
        format!("wrangler ran {n} time{}", if n == 1 { "" } else { "s" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::blog::source::Post;

    #[test]
    fn a_nul_byte_is_named_with_its_offset() {
        let post = Post {
            source: "---\ntitle: A\n---\nab\0".into(),
            ..Post::test_defaults()
        };
        let problems = limits().post_problems(&post);
        assert_eq!(
            problems,
            [
                "the file holds a NUL byte at offset 19: D1 stores text as SQL literals, which cannot hold one"
            ]
        );
        let kv = super::super::kv::limits("");
        assert!(kv.post_problems(&post).is_empty());
    }

    /// A recorded answer of `wrangler d1 time-travel info --json` (Time Travel is remote
    /// only, so no test here can ask a real database).
    #[test]
    fn the_bookmark_and_its_restore_command_from_a_recorded_answer() {
        let answer = b"{\n  \"bookmark\": \"00000085-0000024c-00004c6d-8e61117bf38d7adb71b934ebbf891683\"\n}\n";
        let bookmark = parse_bookmark(answer).unwrap();
        let settings = D1Settings {
            wrangler: None,
            database: "blog".into(),
            config: None,
            env: Some("production".into()),
            persist_to: None,
            remote: true,
        };
        assert_eq!(
            restore_command(&settings, &bookmark),
            "wrangler d1 time-travel restore blog --bookmark=00000085-0000024c-00004c6d-8e61117bf38d7adb71b934ebbf891683 --env production"
        );
        assert!(parse_bookmark(b"{\"error\": 1}").is_err());
    }
}
