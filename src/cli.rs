//! The command line, as clap types and nothing else: one definition drives parsing, `--help`,
//! the man pages and the shell completions. Commands never see these types; each command's
//! `Settings::resolve` turns them (plus the config) into what it needs.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};
use clap_complete::ArgValueCandidates;

pub use crate::choice::StoreKind;
use crate::choice::{BackendChoice, TransportChoice};
use crate::commands::complete;
use crate::commands::pyenv::shell::Shell;
use crate::config::flag_help;
use crate::output::ColorChoice;

#[derive(Debug, Parser)]
#[command(
    name = "devkit",
    version,
    about = "A developer's everyday snippets as solid, fast commands",
    long_about = "devkit turns everyday shell snippets into solid, fast, well-behaved commands: \
                  GNU-compatible base64, deleting git tags locally and remotely in one step, \
                  bootstrapping a Python venv, and publishing a Markdown blog to Cloudflare.",
    after_help = "Examples:\n  \
        echo abcdef | devkit b64\n  \
        devkit git untag v1.2.3\n  \
        devkit pyenv init --with requests\n  \
        devkit blog push --dry-run\n  \
        devkit config show",
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Read this config file instead of the project's devkit.yaml
    #[arg(long, global = true, value_name = "PATH", env = "DEVKIT_CONFIG")]
    pub config: Option<PathBuf>,

    /// Ignore every config file (the user's and the project's); env vars and flags still apply
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,

    /// Print only errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Say more (repeat for even more)
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,

    /// When to use colors on stderr
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Base64 encode or decode, byte-identical to GNU base64
    #[command(after_help = "Examples:\n  \
            echo abcdef | devkit b64            # YWJjZGVmCg==\n  \
            echo YWJjZGVmCg== | devkit b64 -d   # abcdef\n  \
            devkit b64 -w 0 image.png > image.b64\n  \
            devkit b64 --url -d token.txt\n\n\
            Kernel: devkit picks the fastest SIMD kernel the CPU has (avx512, avx2, portable).\n\
            DEVKIT_B64_KERNEL=auto|portable|avx2|avx512 (config key b64.kernel) forces one;\n\
            a kernel the CPU lacks, or an unknown name, is an error (exit 2).")]
    B64(B64Args),

    /// Git helpers
    #[command(subcommand)]
    Git(GitCommand),

    /// Python virtual environments for a project
    #[command(subcommand)]
    Pyenv(PyenvCommand),

    /// Validate and publish a Markdown blog to Cloudflare Workers KV or a Durable Object
    #[command(subcommand)]
    Blog(BlogCommand),

    /// Inspect devkit's layered configuration
    #[command(subcommand)]
    Config(ConfigCommand),

    /// Check that what each command needs is there (git, Python, uv, Node, wrangler, …)
    #[command(after_help = "Examples:\n  \
            devkit doctor\n  \
            devkit doctor --json | jq '.checks[] | select(.status != \"ok\")'")]
    Doctor(DoctorArgs),

    /// Print a shell completion script
    #[command(after_help = "Examples:\n  \
            devkit completions bash > ~/.local/share/bash-completion/completions/devkit\n  \
            devkit completions zsh > ~/.zfunc/_devkit\n  \
            devkit completions fish > ~/.config/fish/completions/devkit.fish")]
    Completions(CompletionsArgs),

    /// Write the man pages and completion scripts into a directory (for packagers)
    #[command(hide = true)]
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct B64Args {
    /// Decode data
    #[arg(short, long)]
    pub decode: bool,

    // Kept as text: GNU reports a bad size as "invalid wrap size" with exit 1, not as a usage error.
    #[arg(short, long, value_name = "COLS", allow_hyphen_values = true,
          help = flag_help("Wrap encoded lines after COLS characters; 0 disables wrapping", "b64.wrap"))]
    pub wrap: Option<String>,

    /// When decoding, ignore bytes outside the alphabet
    #[arg(short, long)]
    pub ignore_garbage: bool,

    /// Use the URL- and file-safe alphabet (RFC 4648 §5), like `basenc --base64url`
    #[arg(long)]
    pub url: bool,

    /// The file to read; `-` or nothing reads standard input
    // More than one is GNU's "extra operand" error (exit 1), so collect them all and check.
    #[arg(value_name = "FILE")]
    pub files: Vec<OsString>,
}

#[derive(Debug, Subcommand)]
pub enum GitCommand {
    /// Delete tags locally and on a remote, in one push
    #[command(after_help = "Examples:\n  \
            devkit git untag v1.2.3                 # local and origin\n  \
            devkit git untag 'rc-*' --yes           # every tag matching the glob\n  \
            devkit git untag v1.0 --remote upstream --dry-run\n  \
            devkit git untag old --local-only\n  \
            devkit git untag v2.0 --transport cli   # use ssh aliases, core.sshCommand")]
    Untag(UntagArgs),
}

#[derive(Debug, Args)]
pub struct UntagArgs {
    /// Tag names or globs (`v1.*`, `rc-*`); globs match local and remote tags. A name that
    /// starts with `-` goes after `--`
    #[arg(
        required_unless_present_any = ["prune_local", "keep", "older_than"],
        value_name = "TAG|GLOB",
        add = ArgValueCandidates::new(complete::tags)
    )]
    pub tags: Vec<String>,

    /// Keep the newest N of the matching tags (by version when every match is one, `v`
    /// prefix allowed; else by tagger/commit date) and delete the rest
    #[arg(long, value_name = "N")]
    pub keep: Option<usize>,

    /// Delete only matching tags dated before DATE (2025-06-30, an RFC 3339 time) or older
    /// than DURATION (90d, 6 months)
    #[arg(long, value_name = "DATE|DURATION")]
    pub older_than: Option<String>,

    /// Delete the local tags the remote does not have (all of them, or those matching the
    /// patterns); nothing is pushed
    #[arg(long, conflicts_with_all = ["local_only", "remote_only", "keep", "older_than"])]
    pub prune_local: bool,

    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(complete::remotes),
          help = flag_help("The remote to delete from: a name or a URL", "git.remote"))]
    pub remote: Option<String>,

    /// Only delete the local tags
    #[arg(long, conflicts_with = "remote_only")]
    pub local_only: bool,

    /// Only delete the tags on the remote
    #[arg(long)]
    pub remote_only: bool,

    /// Print the plan and change nothing
    #[arg(short = 'n', long)]
    pub dry_run: bool,

    /// A named tag that exists nowhere is not an error
    #[arg(long)]
    pub ignore_missing: bool,

    /// Print a JSON report per tag on stdout
    #[arg(long)]
    pub json: bool,

    /// Do not ask before deleting several tags matched by a glob (required when stdin is not a
    /// terminal)
    #[arg(short, long)]
    pub yes: bool,

    #[arg(long, value_name = "HOW", help = flag_help(
        "How to reach the remote: libgit2, the git executable, or libgit2 falling back to git",
        "git.transport",
    ))]
    pub transport: Option<TransportChoice>,
}

#[derive(Debug, Subcommand)]
pub enum PyenvCommand {
    /// Create or update the project's virtual environment and install its packages
    #[command(after_help = "Examples:\n  \
            devkit pyenv init                       # .venv + pyproject.toml / uv.lock / requirements.txt\n  \
            devkit pyenv init --group docs --extra socks\n  \
            devkit pyenv init --with requests --upgrade\n  \
            devkit pyenv init --python 3.12 --clear\n  \
            devkit pyenv init -r requirements.txt -r dev-requirements.txt")]
    Init(PyenvInitArgs),

    /// Print the line that activates the venv in your shell (use with eval)
    #[command(after_help = "Examples:\n  \
            eval \"$(devkit pyenv activate)\"\n  \
            devkit pyenv activate --shell fish | source")]
    Activate(PyenvActivateArgs),

    /// Run a command inside the venv; its exit code passes through
    #[command(after_help = "Examples:\n  \
            devkit pyenv run -- python -c 'import sys; print(sys.prefix)'\n  \
            devkit pyenv run -- pytest -q")]
    Run(PyenvRunArgs),

    /// Print (or write) the venv's pinned package list
    #[command(after_help = "Examples:\n  \
            devkit pyenv freeze\n  \
            devkit pyenv freeze -o requirements.lock")]
    Freeze(PyenvFreezeArgs),
}

#[derive(Debug, Args)]
pub struct PyenvDirArg {
    #[arg(long, value_name = "DIR", help = flag_help("The venv directory", "pyenv.dir"))]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PyenvInitArgs {
    #[arg(long, value_name = "VERSION|PATH", add = ArgValueCandidates::new(complete::interpreters),
          help = flag_help("The interpreter: a version (3.12) or a path", "pyenv.python"))]
    pub python: Option<String>,

    #[command(flatten)]
    pub dir: PyenvDirArg,

    #[arg(short = 'r', long = "requirement", value_name = "FILE",
          help = flag_help("A requirements file to install (repeatable)", "pyenv.requirements"))]
    pub requirements: Vec<PathBuf>,

    #[arg(long = "with", value_name = "PKG",
          help = flag_help("A package to install as well (repeatable)", "pyenv.packages"))]
    pub with: Vec<String>,

    /// Upgrade the packages to their newest allowed versions
    #[arg(long)]
    pub upgrade: bool,

    /// Remove an existing venv first (also allows switching Python versions)
    #[arg(long)]
    pub clear: bool,

    #[arg(long, value_name = "BACKEND",
          help = flag_help("How to create the venv and install", "pyenv.backend"))]
    pub backend: Option<BackendChoice>,

    /// Also install this extra of [project.optional-dependencies] (repeatable)
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(complete::pyproject_extras))]
    pub extra: Vec<String>,

    /// Install every extra of [project.optional-dependencies]
    #[arg(long, conflicts_with = "extra")]
    pub all_extras: bool,

    /// Also install this group of [dependency-groups] (repeatable; `dev` is installed by default)
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(complete::pyproject_groups))]
    pub group: Vec<String>,

    /// Leave out the `dev` dependency group
    #[arg(long)]
    pub no_dev: bool,

    /// Install only this dependency group (repeatable): not the project or its dependencies
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with_all = ["extra", "all_extras", "group", "no_dev"],
        add = ArgValueCandidates::new(complete::pyproject_groups)
    )]
    pub only_group: Vec<String>,

    /// Do not install the project itself (its dependencies still are)
    #[arg(long)]
    pub no_project: bool,

    /// Print a JSON summary of what was decided and done on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PyenvActivateArgs {
    /// The shell to print for (detected from the environment when not given)
    #[arg(long, value_name = "SHELL")]
    pub shell: Option<Shell>,

    #[command(flatten)]
    pub dir: PyenvDirArg,
}

#[derive(Debug, Args)]
pub struct PyenvRunArgs {
    #[command(flatten)]
    pub dir: PyenvDirArg,

    /// The command and its arguments
    #[arg(required = true, last = true, value_name = "CMD")]
    pub command: Vec<OsString>,
}

#[derive(Debug, Args)]
pub struct PyenvFreezeArgs {
    #[command(flatten)]
    pub dir: PyenvDirArg,

    /// Write the list to FILE (atomically) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum BlogCommand {
    /// Validate every post and print all problems at once
    #[command(after_help = "Examples:\n  \
            devkit blog check\n  \
            devkit blog check --content site/posts")]
    Check(BlogCheckArgs),

    /// Start a new post (status: draft)
    #[command(after_help = "Examples:\n  \
            devkit blog new \"Using Durable Objects\"\n  \
            devkit blog new \"Hello, world\" --slug hello")]
    New(BlogNewArgs),

    /// Publish the posts to Workers KV (through wrangler) or a Durable Object
    #[command(after_help = "Examples:\n  \
            devkit blog push --dry-run              # show the plan\n  \
            devkit blog push                        # local KV (wrangler dev)\n  \
            devkit blog push --remote               # Cloudflare, staged publishing\n  \
            devkit blog push --prune --json\n  \
            devkit blog push --target do")]
    Push(BlogPushArgs),

    /// Write the remote posts that have no local file into the posts directory
    #[command(after_help = "Examples:\n  \
            devkit blog pull --dry-run              # list what would be written\n  \
            devkit blog pull                        # from local KV (wrangler dev)\n  \
            devkit blog pull --target do --json\n  \
            devkit blog pull --force                # replace local files too")]
    Pull(BlogPullArgs),
}

#[derive(Debug, Args)]
pub struct BlogContentArg {
    #[arg(long, value_name = "DIR", help = flag_help("The posts directory", "blog.content"))]
    pub content: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BlogCheckArgs {
    #[command(flatten)]
    pub content: BlogContentArg,

    /// Print the problems as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BlogNewArgs {
    /// The post's title
    pub title: String,

    /// The post's slug (default: made from the title)
    #[arg(long)]
    pub slug: Option<String>,

    #[command(flatten)]
    pub content: BlogContentArg,
}

#[derive(Debug, Args)]
pub struct BlogPushArgs {
    #[command(flatten)]
    pub content: BlogContentArg,

    #[command(flatten)]
    pub store: BlogStoreArgs,

    /// Print the plan and change nothing
    #[arg(short = 'n', long)]
    pub dry_run: bool,

    /// Remove posts that devkit published and that no longer exist locally
    #[arg(long)]
    pub prune: bool,

    /// Overwrite keys devkit did not write; allow pruning every post
    #[arg(long)]
    pub force: bool,

    /// Publish new posts as unlisted first, then flip them after the settle time
    #[arg(long, overrides_with = "no_stage")]
    pub stage: bool,

    /// Publish in one step (the default for --local)
    #[arg(long, overrides_with = "stage")]
    pub no_stage: bool,

    #[arg(long, value_name = "DURATION",
          help = flag_help("How long KV takes to settle between the phases", "blog.settle"))]
    pub settle: Option<String>,

    /// Print the plan and the outcome per post as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BlogPullArgs {
    #[command(flatten)]
    pub content: BlogContentArg,

    #[command(flatten)]
    pub store: BlogStoreArgs,

    /// Print what would be written and write nothing
    #[arg(short = 'n', long)]
    pub dry_run: bool,

    /// Replace local files that hold a pulled post's slug or path (each one is named)
    #[arg(long)]
    pub force: bool,

    /// Print what was written and skipped as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

/// The store push and pull use, and how to reach it.
#[derive(Debug, Args)]
pub struct BlogStoreArgs {
    #[arg(long, value_name = "TARGET",
          help = flag_help("The store to publish to or pull from", "blog.target"))]
    pub target: Option<StoreKind>,

    /// Use wrangler's local state (the default) [config: blog.remote]
    #[arg(long, conflicts_with = "remote")]
    pub local: bool,

    /// Use Cloudflare's Workers KV
    #[arg(long)]
    pub remote: bool,

    /// Allow http:// to a host that is not loopback (the token travels in clear)
    #[arg(long)]
    pub allow_insecure_http: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the merged configuration and where each value came from
    #[command(after_help = "Examples:\n  \
            devkit config show\n  \
            devkit config show --json | jq '.\"git.remote\"'")]
    Show(ConfigShowArgs),

    /// Print one value (exit 1 when it is not set)
    #[command(after_help = "Examples:\n  \
            devkit config get git.remote\n  \
            DEVKIT_B64_WRAP=0 devkit config get b64.wrap")]
    Get(ConfigGetArgs),

    /// List the config files devkit considers, and whether each exists
    #[command(after_help = "Examples:\n  devkit config path")]
    Path,

    /// Print a JSON Schema of devkit.yaml, for editors (YAML language server)
    #[command(after_help = "Examples:\n  \
            devkit config schema > devkit.schema.json\n  \
            # then, as the first line of devkit.yaml:\n  \
            # yaml-language-server: $schema=devkit.schema.json")]
    Schema,
}

#[derive(Debug, Args)]
pub struct ConfigShowArgs {
    /// Print JSON on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConfigGetArgs {
    /// The key, such as `git.remote` or `blog.do.url`
    #[arg(add = ArgValueCandidates::new(complete::config_keys))]
    pub key: String,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print the checks as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The directory to write `completions/` and `man/` into
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}
