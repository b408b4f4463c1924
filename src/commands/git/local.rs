//! The local repository's tags: read them, delete some. Only `refs/tags/` is ever touched, so a
//! branch that shares a tag's name stays.

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use git2::Repository;

use super::plan::RefName;

pub fn tags(repo: &Repository) -> Result<BTreeSet<String>> {
    let names = repo.tag_names(None).context("cannot list the local tags")?;
    let mut tags = BTreeSet::new();
    for name in names.iter() {
        // A name that is not UTF-8 cannot be typed on devkit's command line: leave it be.
        if let Some(name) = name.context("cannot read a local tag name")? {
            tags.insert(name.to_string());
        }
    }
    Ok(tags)
}

/// Delete each tag reference; one result per name, in order (an error says why it stayed).
pub fn delete(repo: &Repository, refs: &[RefName]) -> Vec<Result<(), String>> {
    refs.iter()
        .map(|name| {
            repo.find_reference(name.as_str())
                .and_then(|mut reference| reference.delete())
                .map_err(|e| e.message().to_string())
        })
        .collect()
}
