//! Which store, and how to reach it: `StoreKind` (the `--target` values) and
//! `StoreSettings::resolve`, the one place flags and config become a store, for push and pull.

use std::path::Path;

use anyhow::Result;

use super::d1::{self, D1, D1Settings};
use super::durable::{self, AdminApi, DoSettings};
use super::kv::{self, KvSettings, WranglerBin};
use super::{Limits, Store};
pub use crate::choice::StoreKind;
use crate::cli::BlogStoreArgs;
use crate::config::{Config, Origin};
use crate::error::DevkitError;
use crate::output::Printer;

impl StoreKind {
    /// `blog.target` (`--target` over it), for the commands that need only the kind:
    /// `check` (whose limits) and `doctor` (what to probe).
    pub fn configured(flag: Option<StoreKind>, config: &Config) -> StoreKind {
        config
            .choice("blog.target", flag, "--target")
            .map_or(StoreKind::Kv, |r| r.value)
    }
}

/// `blog.wrangler.bin`, resolved against where it was set.
pub fn wrangler_bin(config: &Config) -> Option<WranglerBin> {
    config.string("blog.wrangler.bin").map(|text| WranglerBin {
        path: config.base_dir(&text.origin).join(&text.value),
        text: text.value,
        origin: text.origin,
    })
}

/// Where the posts go, resolved from flags and config.
#[derive(Debug, Clone)]
pub enum StoreSettings {
    Kv(KvSettings),
    Durable {
        settings: DoSettings,
        /// Where `blog.target: do` (or `--target do`) came from, for errors about KV flags.
        chosen_by: Origin,
    },
    D1(D1Settings),
}

impl StoreSettings {
    /// `kv_only`: the caller's own flags that only Workers KV takes (given, name), refused
    /// with the Durable Object like `--remote`.
    pub fn resolve(
        args: &BlogStoreArgs,
        config: &Config,
        kv_only: &[(bool, &str)],
    ) -> Result<Self> {
        match config.choice("blog.target", args.target, "--target") {
            Some(t) if t.value == StoreKind::Durable => {
                let store_flags = [(args.remote, "--remote"), (args.local, "--local")];
                for &(given, flag) in store_flags.iter().chain(kv_only) {
                    if given {
                        return Err(kv_flag_refused(flag, &t.origin));
                    }
                }
                Ok(Self::Durable {
                    settings: resolve_durable(args, config)?,
                    chosen_by: t.origin,
                })
            }
            Some(t) if t.value == StoreKind::D1 => {
                for &(given, flag) in kv_only {
                    if given {
                        return Err(DevkitError::usage(format!(
                            "{flag} applies to Workers KV, not to D1 (blog.target `d1`, from {})",
                            t.origin
                        ))
                        .with_hint("D1 is strongly consistent: a push is one transaction, nothing to stage")
                        .into());
                    }
                }
                Ok(Self::D1(resolve_d1(args, config)?))
            }
            _ => Ok(Self::Kv(resolve_kv(args, config)?)),
        }
    }

    pub fn kind(&self) -> StoreKind {
        match self {
            Self::Kv(_) => StoreKind::Kv,
            Self::Durable { .. } => StoreKind::Durable,
            Self::D1(_) => StoreKind::D1,
        }
    }

    /// Put before each slug to make its key (KV only: the Durable Object's keys are slugs).
    pub fn prefix(&self) -> &str {
        match self {
            Self::Kv(kv) => &kv.prefix,
            Self::Durable { .. } | Self::D1(_) => "",
        }
    }

    /// What the store can hold, known without reaching it.
    pub fn limits(&self) -> Limits {
        match self {
            Self::Kv(kv) => kv::limits(&kv.prefix),
            Self::Durable { .. } => durable::limits(),
            Self::D1(_) => d1::limits(),
        }
    }

    /// The store, ready to use; refused here when wrangler or the token cannot be found.
    pub fn open<'p>(&self, cwd: &Path, printer: &'p Printer) -> Result<Box<dyn Store + 'p>> {
        Ok(match self {
            Self::Kv(settings) => Box::new(kv::Wrangler::locate(settings, cwd, printer)?),
            Self::Durable { settings, .. } => {
                let token =
                    durable::token_from_env(&settings.token_env, |name| std::env::var(name).ok())?;
                Box::new(AdminApi::new(settings.clone(), token, printer))
            }
            Self::D1(settings) => Box::new(D1::locate(settings, cwd, printer)?),
        })
    }
}

fn kv_flag_refused(flag: &str, target_origin: &Origin) -> anyhow::Error {
    DevkitError::usage(format!(
        "{flag} applies to Workers KV, not to the Durable Object target (blog.target `do`, from {target_origin})"
    ))
    .with_hint("the Durable Object is strongly consistent and blog.do.url says where it is: nothing to stage, no local or remote state to choose")
    .into()
}

/// `--remote` or `--local` over `blog.remote`.
fn remote(args: &BlogStoreArgs, config: &Config) -> bool {
    if args.remote {
        true
    } else if args.local {
        false
    } else {
        config.bool("blog.remote").is_some_and(|r| r.value)
    }
}

fn resolve_d1(args: &BlogStoreArgs, config: &Config) -> Result<D1Settings> {
    let database = match (
        config.string("blog.d1.binding"),
        config.string("blog.d1.database"),
    ) {
        (Some(b), Some(d)) => {
            return Err(DevkitError::usage(format!(
                "set blog.d1.binding (from {}) or blog.d1.database (from {}), not both",
                b.origin, d.origin
            ))
            .into());
        }
        (Some(one), None) | (None, Some(one)) => one.value,
        (None, None) => {
            return Err(DevkitError::usage(
                "no D1 database configured: set blog.d1.binding or blog.d1.database",
            )
            .with_hint(
                "in devkit.yaml: `blog: {d1: {binding: DB}}` (the binding in your wrangler config)",
            )
            .into());
        }
    };
    Ok(D1Settings {
        wrangler: wrangler_bin(config),
        database,
        config: config.path("blog.wrangler.config").map(|r| r.value),
        env: config.string("blog.wrangler.env").map(|r| r.value),
        persist_to: config.path("blog.wrangler.persist_to").map(|r| r.value),
        remote: remote(args, config),
    })
}

fn resolve_kv(args: &BlogStoreArgs, config: &Config) -> Result<KvSettings> {
    let remote = remote(args, config);
    let binding = config.string("blog.kv.binding");
    let namespace_id = config.string("blog.kv.namespace_id");
    if let (Some(b), Some(n)) = (&binding, &namespace_id) {
        return Err(DevkitError::usage(format!(
            "set blog.kv.binding (from {}) or blog.kv.namespace_id (from {}), not both",
            b.origin, n.origin
        ))
        .into());
    }
    let binding = binding.map(|r| r.value);
    let namespace_id = namespace_id.map(|r| r.value);
    if binding.is_none() && namespace_id.is_none() {
        return Err(DevkitError::usage(
            "no KV namespace configured: set blog.kv.binding or blog.kv.namespace_id",
        )
        .with_hint(
            "in devkit.yaml: `blog: {kv: {binding: POSTS}}` (the binding in your wrangler config)",
        )
        .into());
    }
    Ok(KvSettings {
        wrangler: wrangler_bin(config),
        binding,
        namespace_id,
        config: config.path("blog.wrangler.config").map(|r| r.value),
        env: config.string("blog.wrangler.env").map(|r| r.value),
        persist_to: config.path("blog.wrangler.persist_to").map(|r| r.value),
        remote,
        prefix: config
            .string("blog.kv.prefix")
            .map_or_else(String::new, |r| r.value),
    })
}

/// The admin API's URL (refused when http:// would carry the token off this machine) and the
/// name of the variable holding the token.
fn resolve_durable(args: &BlogStoreArgs, config: &Config) -> Result<DoSettings> {
    let Some(url) = config.string("blog.do.url") else {
        return Err(DevkitError::usage(
            "no admin API configured for the Durable Object target: set blog.do.url",
        )
        .with_hint("in devkit.yaml: `blog: {do: {url: http://127.0.0.1:8787/admin/api}}`, or DEVKIT_BLOG_DO_URL")
        .into());
    };
    let trimmed = url.value.trim().trim_end_matches('/').to_string();
    if let Err(why) = durable::check_url(&trimmed, args.allow_insecure_http) {
        let err = DevkitError::usage(format!("blog.do.url (from {}): {why}", url.origin));
        let err = if why.contains("in clear") {
            err.with_hint(
                "use https://, or pass --allow-insecure-http if the network between is trusted",
            )
        } else {
            err.with_hint("such as http://127.0.0.1:8787/admin/api")
        };
        return Err(err.into());
    }
    let token_env = config
        .string("blog.do.token_env")
        .map_or_else(|| "DEVKIT_BLOG_TOKEN".to_string(), |r| r.value);
    Ok(DoSettings {
        url: trimmed,
        url_origin: url.origin,
        token_env,
    })
}
