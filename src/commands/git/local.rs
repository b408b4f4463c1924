//! The local repository's tags: read them, delete some. Only `refs/tags/` is ever touched, so a
//! branch that shares a tag's name stays.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use git2::{ErrorCode, Oid, Repository};

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

/// The date of each named tag that can be dated: an annotated tag's tagger date, else its
/// commit's date. A tag is looked up locally first, then by the object the remote advertised
/// (which this repository may lack: then it has no date).
pub fn dates(
    repo: &Repository,
    names: &[&str],
    remote: Option<&BTreeMap<String, Oid>>,
) -> HashMap<String, i64> {
    names
        .iter()
        .filter_map(|name| {
            let oid = repo
                .refname_to_id(RefName::tag(name).as_str())
                .ok()
                .or_else(|| remote.and_then(|r| r.get(*name).copied()))?;
            let object = repo.find_object(oid, None).ok()?;
            let seconds = match object.as_tag() {
                Some(tag) => match tag.tagger() {
                    Some(tagger) => tagger.when().seconds(),
                    None => object.peel_to_commit().ok()?.time().seconds(),
                },
                None => object.peel_to_commit().ok()?.time().seconds(),
            };
            Some((name.to_string(), seconds))
        })
        .collect()
}

/// Delete each tag reference; one result per name, in order (an error says why it stayed).
///
/// libgit2 rewrites `packed-refs` once per deleted reference, which grows with the square of
/// the count (5000 packed tags: seconds). So the packed entries go first, in one rewrite under
/// git's lock, and libgit2 then deletes the loose files that remain.
pub fn delete(repo: &Repository, refs: &[RefName]) -> Vec<Result<(), String>> {
    let unpacked = match drop_packed(repo.commondir(), refs) {
        Ok(unpacked) => unpacked,
        Err(err) => {
            let reason = format!("cannot update packed-refs: {err}");
            return refs.iter().map(|_| Err(reason.clone())).collect();
        }
    };
    refs.iter()
        .map(|name| match repo.find_reference(name.as_str()) {
            Ok(mut reference) => reference.delete().map_err(|e| e.message().to_string()),
            Err(e) if e.code() == ErrorCode::NotFound && unpacked.contains(name.as_str()) => {
                // Only packed: gone already. Its reflog, if tags had one, goes with it.
                let log = repo.commondir().join("logs").join(name.as_str());
                match fs::remove_file(&log) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => {
                        Err(format!("cannot remove {}: {e}", log.display()))
                    }
                    _ => Ok(()),
                }
            }
            Err(e) => Err(e.message().to_string()),
        })
        .collect()
}

/// `packed-refs.lock`, removed again unless the new file was moved into place.
struct Lock {
    path: PathBuf,
    done: bool,
}

impl Drop for Lock {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Remove `refs` from `packed-refs` in one rewrite (git's protocol: create `packed-refs.lock`
/// exclusively, write, rename over). Returns the references it removed.
fn drop_packed(common_dir: &Path, refs: &[RefName]) -> io::Result<HashSet<String>> {
    let path = common_dir.join("packed-refs");
    let wanted: HashSet<&str> = refs.iter().map(RefName::as_str).collect();
    match fs::read(&path) {
        Ok(text) if !remove_entries(&text, &wanted).1.is_empty() => {}
        Ok(_) => return Ok(HashSet::new()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(HashSet::new()),
        Err(e) => return Err(e),
    }
    let lock_path = common_dir.join("packed-refs.lock");
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&lock_path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => io::Error::new(
                e.kind(),
                format!(
                    "{} exists: another git process is updating references",
                    lock_path.display()
                ),
            ),
            _ => e,
        })?;
    // Ours from here on (and only from here: someone else's lock is never removed).
    let mut lock = Lock {
        path: lock_path,
        done: false,
    };
    // Read again under the lock: what counts is the file nobody else can now change.
    let (kept, removed) = remove_entries(&fs::read(&path)?, &wanted);
    file.write_all(&kept)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&lock.path, &path)?;
    lock.done = true;
    Ok(removed)
}

/// The `packed-refs` text without the entries for `wanted` (and their `^peeled` lines), and the
/// names removed. The header and the order of the rest are kept, so `sorted` stays true.
fn remove_entries(text: &[u8], wanted: &HashSet<&str>) -> (Vec<u8>, HashSet<String>) {
    let mut kept = Vec::with_capacity(text.len());
    let mut removed = HashSet::new();
    let mut skipping = false;
    for line in text.split_inclusive(|b| *b == b'\n') {
        if line.starts_with(b"^") {
            if !skipping {
                kept.extend_from_slice(line);
            }
            continue;
        }
        skipping = false;
        if !line.starts_with(b"#")
            && let Some(space) = line.iter().position(|b| *b == b' ')
        {
            let name = line[space + 1..].trim_ascii_end();
            if let Ok(name) = std::str::from_utf8(name)
                && wanted.contains(name)
            {
                removed.insert(name.to_string());
                skipping = true;
                continue;
            }
        }
        kept.extend_from_slice(line);
    }
    (kept, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKED: &str = "# pack-refs with: peeled fully-peeled sorted \n\
        1111111111111111111111111111111111111111 refs/heads/same\n\
        2222222222222222222222222222222222222222 refs/tags/heavy\n\
        ^1111111111111111111111111111111111111111\n\
        1111111111111111111111111111111111111111 refs/tags/light\n\
        1111111111111111111111111111111111111111 refs/tags/same\n";

    #[test]
    fn removes_entries_with_their_peeled_lines_and_keeps_the_rest() {
        let wanted = HashSet::from(["refs/tags/heavy", "refs/tags/same", "refs/tags/absent"]);
        let (kept, removed) = remove_entries(PACKED.as_bytes(), &wanted);
        assert_eq!(
            String::from_utf8(kept).unwrap(),
            "# pack-refs with: peeled fully-peeled sorted \n\
             1111111111111111111111111111111111111111 refs/heads/same\n\
             1111111111111111111111111111111111111111 refs/tags/light\n"
        );
        assert_eq!(
            removed,
            HashSet::from(["refs/tags/heavy".to_string(), "refs/tags/same".to_string()])
        );
    }

    #[test]
    fn a_held_lock_is_reported_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("packed-refs"), PACKED).unwrap();
        fs::write(dir.path().join("packed-refs.lock"), "").unwrap();
        let err = drop_packed(dir.path(), &[RefName::tag("light")]).unwrap_err();
        assert!(err.to_string().contains("another git process"), "{err}");
        assert!(dir.path().join("packed-refs.lock").exists());
        assert_eq!(
            fs::read_to_string(dir.path().join("packed-refs")).unwrap(),
            PACKED
        );
    }

    #[test]
    fn nothing_to_remove_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            drop_packed(dir.path(), &[RefName::tag("x")])
                .unwrap()
                .is_empty()
        );
        fs::write(dir.path().join("packed-refs"), PACKED).unwrap();
        assert!(
            drop_packed(dir.path(), &[RefName::tag("x")])
                .unwrap()
                .is_empty()
        );
        assert!(!dir.path().join("packed-refs.lock").exists());
    }
}
