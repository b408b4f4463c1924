//! The closed sets of values that a flag and a config key share. Each is one enum: clap parses
//! it, the key table in config.rs lists its names, and the command matches on it.

use clap::ValueEnum;

/// `b64.kernel`: the SIMD kernel b64 runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KernelChoice {
    Auto,
    Portable,
    Avx2,
    Avx512,
}

/// `git.transport` and `git untag --transport`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TransportChoice {
    Auto,
    Libgit2,
    Cli,
}

/// `pyenv.backend` and `pyenv init --backend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendChoice {
    Auto,
    Uv,
    Venv,
}

/// `blog.target` and `blog push/pull --target`: the stores in `commands/blog/store/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreKind {
    Kv,
    #[value(name = "do")]
    Durable,
    D1,
}

/// `blog.default_status`: the status of a post whose front matter gives none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PostStatus {
    Draft,
    Unlisted,
    Published,
}

/// `blog.html`: raw HTML in posts, sanitized or kept as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HtmlChoice {
    Sanitize,
    Trusted,
}

/// The names a value enum's variants go by on the command line and in config files.
pub fn names<T: ValueEnum>() -> Vec<String> {
    T::value_variants()
        .iter()
        .filter_map(|v| v.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect()
}
