//! Listing KV past `wrangler kv key list --local`'s cap of 1000 keys (it has no cursor): a
//! capped listing is continued by prefix, from the character where it stopped.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::process::Command;

use anyhow::Result;

use super::codec::{parse_bulk_get_output, parse_raw_list};
use super::{LOCAL_LIST_CAP, Listed, SLUG_CHARS, TempFile, Values, Wrangler};
use crate::commands::blog::store::wrangler::checked;

/// What `blog pull` reads: every key with its metadata, values in one bulk get, and an
/// asset's bytes (`kv bulk get` decodes values as text, which would corrupt an image).
impl Wrangler {
    /// Every key under the blog's prefix that sorts before devkit's `~` keys, with its metadata
    /// (past local listing's cap), and the values of the keys `keys_of` names for them.
    ///
    /// When the first listing is capped, local state is read in one more process
    /// (`read_local_in_one`); else the bulk get of what it names runs at the same time as the
    /// listings of the rest (one more wrangler process beside it, not after it); keys found
    /// there get one more bulk get.
    pub fn list_posts_and_get(
        &mut self,
        keys_of: &mut dyn FnMut(&[Listed]) -> Vec<String>,
    ) -> Result<(Vec<Listed>, Values)> {
        let prefix = self.settings.prefix.clone();
        let is_post = |key: &str| !key[prefix.len()..].starts_with('~');
        let (mut listed, capped) = self.list_raw(&prefix)?;
        let last = listed.last().map(|(k, _)| k.clone());
        if capped && let Some(read) = self.read_local_in_one(&prefix, &is_post, keys_of)? {
            return Ok(read);
        }
        listed.retain(|(k, _)| is_post(k));
        let keys = keys_of(&listed);
        let (true, Some(last)) = (capped, last) else {
            let values = self.get_values(&keys)?;
            return Ok((listed, values));
        };
        let (mut values, rest) = if keys.is_empty() {
            (
                BTreeMap::new(),
                self.list_after(&prefix, &last, SLUG_CHARS, &|_, _| true)?,
            )
        } else {
            let (mut get, _file) = self.bulk_get_command(&keys)?;
            let program = self.program.clone();
            let (got, rest) = std::thread::scope(|scope| {
                let getting = scope.spawn(move || get.output());
                let rest = self.list_after(&prefix, &last, SLUG_CHARS, &|_, _| true);
                (getting.join(), rest)
            });
            let got = got.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let stdout = checked(&program, "kv bulk get", got)?;
            (parse_bulk_get_output(&stdout)?, rest?)
        };
        let rest: Vec<Listed> = rest.into_iter().filter(|(k, _)| is_post(k)).collect();
        values.extend(self.get_values(&keys_of(&rest))?);
        listed.extend(rest);
        Ok((listed, values))
    }

    /// One `kv key list` under `prefix`, and whether it stopped at local listing's cap.
    pub(super) fn list_raw(&mut self, prefix: &str) -> Result<(Vec<Listed>, bool)> {
        let mut args: Vec<OsString> = vec!["kv".into(), "key".into(), "list".into()];
        if !prefix.is_empty() {
            args.extend(["--prefix".into(), prefix.into()]);
        }
        let stdout = self.run("kv key list", &args)?;
        let keys = parse_raw_list(&stdout)?;
        let capped = keys.len() == LOCAL_LIST_CAP;
        Ok((keys, capped))
    }

    /// The keys under `prefix`, and whether its own listing came back capped; past the cap,
    /// the sub-prefixes `needed(sub, last)` asks for. `chars` are the characters a key may have
    /// after `prefix`, in key order.
    pub(super) fn list_covering(
        &mut self,
        prefix: &str,
        chars: &str,
        needed: &dyn Fn(&str, &str) -> bool,
    ) -> Result<(Vec<Listed>, bool)> {
        let (mut keys, capped) = self.list_raw(prefix)?;
        if let (true, Some(last)) = (capped, keys.last().map(|(k, _)| k.clone())) {
            keys.extend(self.list_after(prefix, &last, chars, needed)?);
        }
        Ok((keys, capped))
    }

    /// The keys under `prefix` past `last`, where a capped listing stopped. The listing is
    /// sorted and complete up to `last`, so only the characters from `last`'s own on are
    /// listed, each where `needed` says a key may hide.
    fn list_after(
        &mut self,
        prefix: &str,
        last: &str,
        chars: &str,
        needed: &dyn Fn(&str, &str) -> bool,
    ) -> Result<Vec<Listed>> {
        let next = last[prefix.len()..].chars().next();
        let mut out = Vec::new();
        for c in chars.chars() {
            let sub = format!("{prefix}{c}");
            if next.is_some_and(|n| c < n) || !needed(&sub, last) {
                continue;
            }
            // The sub-listing repeats the keys up to `last`: keep only those past it.
            let (keys, _) = self.list_covering(&sub, chars, needed)?;
            out.extend(keys.into_iter().filter(|(k, _)| k.as_str() > last));
        }
        Ok(out)
    }

    /// The `kv bulk get` of `keys`, and the file it reads them from (keep it until it ran).
    fn bulk_get_command(&mut self, keys: &[String]) -> Result<(Command, TempFile)> {
        let file = self.json_file(&serde_json::to_vec(keys)?)?;
        let args: Vec<OsString> = vec![
            "kv".into(),
            "bulk".into(),
            "get".into(),
            file.0.clone().into(),
        ];
        Ok((self.command(&args), file))
    }
}
