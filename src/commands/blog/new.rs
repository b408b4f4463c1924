//! `devkit blog new`: start a new post (`status: draft`, today's date).

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::cli::BlogNewArgs;
use crate::commands::blog::source;
#[cfg(test)]
use crate::commands::blog::source::SourceFile;
use crate::config::Config;
use crate::error::{DevkitError, ExitStatus};
use crate::output::Printer;

/// What `devkit blog new` needs, resolved from flags and config.
#[derive(Debug)]
pub struct Settings {
    pub cwd: PathBuf,
    pub content: PathBuf,
    pub title: String,
    pub slug: String,
}

impl Settings {
    pub fn resolve(args: &BlogNewArgs, config: &Config) -> Result<Self> {
        let title = args.title.trim().to_string();
        if title.is_empty() {
            return Err(DevkitError::usage("the title is empty").into());
        }
        let slug = match &args.slug {
            Some(slug) if source::is_valid_slug(slug) => slug.clone(),
            Some(slug) => {
                return Err(DevkitError::usage(format!(
                    "--slug: expected lowercase letters, digits and dashes ([a-z0-9][a-z0-9-]*), found {slug:?}"
                ))
                .into());
            }
            None => {
                let slug = source::slugify(&title);
                if slug.is_empty() {
                    return Err(DevkitError::usage(format!(
                        "cannot make a slug from the title {title:?} (no ASCII letters or digits)"
                    ))
                    .with_hint("give one with --slug")
                    .into());
                }
                slug
            }
        };
        let content = super::content_dir(&args.content, config);
        Ok(Self {
            cwd: config.cwd().to_path_buf(),
            content,
            title,
            slug,
        })
    }
}

/// The new file's text.
pub fn render(title: &str, date: jiff::civil::Date) -> String {
    // serde_yaml quotes the title when YAML needs it (`Hello: world`, `123`, `yes`).
    let title = serde_yaml::to_string(title).unwrap_or_else(|_| format!("{title:?}"));
    format!(
        "---\ntitle: {}\ndate: {date}\nstatus: draft\n---\n\n",
        title.trim_end()
    )
}

pub fn run(settings: &Settings, printer: &Printer) -> Result<ExitStatus> {
    let path = settings.content.join(format!("{}.md", settings.slug));
    let shown = |p: &std::path::Path| {
        p.strip_prefix(&settings.cwd)
            .unwrap_or(p)
            .display()
            .to_string()
    };
    if path.exists() {
        return Err(
            DevkitError::failure(format!("{} already exists", shown(&path)))
                .with_hint("choose another --slug")
                .into(),
        );
    }
    if settings.content.is_dir() {
        let files = source::read_dir(&settings.content)
            .with_context(|| format!("cannot read {}", settings.content.display()))?;
        if let Some(other) = files
            .iter()
            .find(|f| source::declared_slug(f).as_deref() == Some(settings.slug.as_str()))
        {
            return Err(DevkitError::failure(format!(
                "the slug `{}` is already used by {}",
                settings.slug,
                shown(&other.path)
            ))
            .with_hint("choose another --slug")
            .into());
        }
    }
    std::fs::create_dir_all(&settings.content)
        .with_context(|| format!("cannot create {}", settings.content.display()))?;
    let today = jiff::ZonedDateTime::now().date();
    let text = render(&settings.title, today);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    printer.info(format!("created {} (status: draft)", shown(&path)));
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", shown(&path)).context("writing stdout")?;
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_posts_parse_back() {
        let date: jiff::civil::Date = "2026-11-26".parse().unwrap();
        for title in ["Hello", "Hello: world", "123", "yes", "It's \"quoted\""] {
            let text = render(title, date);
            let file = SourceFile {
                path: "posts/x.md".into(),
                bytes: text.into_bytes(),
            };
            let posts = source::parse(&[file], |_| Vec::new()).unwrap();
            assert_eq!(posts.posts[0].title, title);
            assert_eq!(posts.posts[0].date, date);
            assert_eq!(posts.posts[0].status, source::Status::Draft);
        }
    }
}
