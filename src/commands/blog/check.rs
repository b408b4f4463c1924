//! `devkit blog check`: validate every post and print all problems at once.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::cli::BlogCheckArgs;
use crate::commands::blog::page;
use crate::commands::blog::render::HtmlPolicy;
use crate::commands::blog::source::{self, Severity};
use crate::commands::blog::store::{Limits, StoreKind, d1, durable, kv};
use crate::config::Config;
use crate::error::ExitStatus;
use crate::output::Printer;

/// What `devkit blog check` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {
    pub cwd: PathBuf,
    pub content: PathBuf,
    pub static_dir: Option<super::StaticDir>,
    /// The limits a post must fit: those of `blog.target`.
    pub limits: Limits,
    /// `blog.html`.
    pub html: HtmlPolicy,
    pub options: source::Options,
    pub json: bool,
}

impl Settings {
    pub fn resolve(args: &BlogCheckArgs, config: &Config) -> Result<Self> {
        let content = super::content_dir(&args.content, config);
        Ok(Self {
            cwd: config.cwd().to_path_buf(),
            static_dir: super::StaticDir::resolve(&content, config),
            content,
            limits: match StoreKind::configured(None, config) {
                StoreKind::Durable => durable::limits(),
                StoreKind::D1 => d1::limits(),
                StoreKind::Kv => kv::limits(
                    &config
                        .string("blog.kv.prefix")
                        .map_or_else(String::new, |r| r.value),
                ),
            },
            html: super::html_policy(config),
            options: super::parse_options(config),
            json: args.json,
        })
    }
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    let files = super::read_posts_dir(&settings.content)?;
    let result = source::parse_with(&files, &settings.options, |p| {
        settings.limits.post_problems(p)
    });
    let (count, diagnostics, defaulted) = match result {
        Ok(posts) => {
            // Every post is rendered: its notes and excerpt are what check reports.
            let mut diagnostics = posts.warnings;
            let (prepared, _files, problems) = page::prepare(
                &posts.posts,
                &settings.content,
                &settings.limits,
                settings.html,
                settings.static_dir.as_ref().map(|s| s.path.as_path()),
                &|path| std::fs::read(path),
            );
            diagnostics.extend(problems);
            let pages = page::render_all(
                &posts.posts,
                &prepared,
                &vec![true; posts.posts.len()],
                &settings.limits,
                settings.html,
                page::Colour::WhereSizeMatters,
            );
            for (_, mut found) in pages {
                diagnostics.append(&mut found);
            }
            diagnostics.sort();
            (posts.posts.len(), diagnostics, posts.defaulted)
        }
        Err(diagnostics) => (files.len(), diagnostics, 0),
    };
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;

    if settings.json {
        let items: Vec<serde_json::Value> = diagnostics
            .iter()
            .map(|d| {
                serde_json::json!({
                    "file": d.path.strip_prefix(&settings.cwd).unwrap_or(&d.path),
                    "line": d.line,
                    "severity": d.severity,
                    "message": d.message(&settings.cwd),
                })
            })
            .collect();
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &items).context("writing the report")?;
        writeln!(out).context("writing the report")?;
    } else {
        for d in &diagnostics {
            match d.severity {
                Severity::Error => printer.error(d.render(&settings.cwd)),
                Severity::Warning => printer.warn(d.render(&settings.cwd)),
            }
        }
    }
    let files_word = if files.len() == 1 { "file" } else { "files" };
    if errors > 0 {
        printer.info(format!(
            "{} {files_word} checked: {errors} error{}, {warnings} warning{}",
            files.len(),
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        ));
        return Ok(ExitStatus::Failure);
    }
    if let Some(found) = &settings.static_dir {
        printer.info(found.describe(&settings.cwd));
    }
    if let Some(note) = super::defaulted_note(defaulted, &settings.options) {
        printer.info(note);
    }
    printer.info(format!(
        "{count} post{} ok{}",
        if count == 1 { "" } else { "s" },
        if warnings > 0 {
            format!(
                ", {warnings} warning{}",
                if warnings == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        }
    ));
    Ok(ExitStatus::Success)
}
