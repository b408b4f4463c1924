//! The probes: each looks at one outside thing (a program's `--version`, a file, the admin
//! API) and says what it found as a `Check`. Programs are found the way the commands find
//! them (PATH, `kv::find_wrangler`, the interpreter discovery), so the report cannot promise
//! what a command would not do.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{Check, Settings, wrangler_config};
use crate::commands::blog::store::kv;
use crate::config::Resolved;
use crate::output::Printer;
use crate::python::pick;

const GIT: &str = "git untag";
const PYENV: &str = "pyenv";
const BLOG: &str = "blog push";

/// How long `blog.do.url` gets to answer: enough for a local `wrangler dev` or a nearby
/// Worker, short enough that a wrong address does not stall the report.
const DO_TIMEOUT: Duration = Duration::from_secs(3);

/// `program --version`'s first line, or why it did not run.
fn version_of(program: &Path) -> Result<String, String> {
    let out = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    match (out.status.success(), line) {
        (true, Some(line)) => Ok(line.to_string()),
        _ => Err(format!(
            "`{} --version` failed ({})",
            program.display(),
            out.status
        )),
    }
}

/// `name` found on PATH with its `--version`, or `None` when PATH has no such program.
fn on_path(command: &'static str, name: &str, required: bool, reinstall: &str) -> Option<Check> {
    let path = which::which(name).ok()?;
    Some(match version_of(&path) {
        Ok(version) => Check::ok(command, name, format!("{version} ({})", path.display())),
        Err(why) => Check::lacking(command, name, required, why, reinstall),
    })
}

pub fn git(settings: &Settings) -> Vec<Check> {
    let mut checks = Vec::new();
    // devkit's transports fall back to the git executable, and every repository
    // workflow assumes it: always required.
    checks.push(
        on_path(GIT, "git", true, "reinstall git").unwrap_or_else(|| {
            Check::lacking(
                GIT,
                "git",
                true,
                "not found on PATH",
                "install git (Debian/Ubuntu: apt-get install git; macOS: xcode-select --install)",
            )
        }),
    );
    let remote = &settings.git.remote;
    let need = format!("remote {}", remote.value);
    let Ok(repo) = git2::Repository::discover(&settings.cwd) else {
        checks.push(Check::skipped(GIT, need, "not in a git repository"));
        return checks;
    };
    if remote.value.contains(':') || remote.value.contains('/') {
        checks.push(Check::ok(
            GIT,
            need,
            format!("a URL (git.remote, from {})", remote.origin),
        ));
        return checks;
    }
    match repo.find_remote(&remote.value) {
        Ok(found) => checks.push(Check::ok(
            GIT,
            need,
            format!(
                "{} (git.remote, from {})",
                found.url().unwrap_or("(no URL)"),
                remote.origin
            ),
        )),
        Err(_) => {
            let names: Vec<String> = repo
                .remotes()
                .map(|r| r.iter().flatten().flatten().map(str::to_string).collect())
                .unwrap_or_default();
            let have = if names.is_empty() {
                "the repository has no remotes".to_string()
            } else {
                format!("the repository has {}", names.join(", "))
            };
            checks.push(Check::lacking(
                GIT,
                need,
                settings.git.configured,
                format!(
                    "no such remote (git.remote, from {}); {have}",
                    remote.origin
                ),
                format!(
                    "`git remote add {} URL`, or set git.remote to one of the remotes",
                    remote.value
                ),
            ));
        }
    }
    checks
}

pub fn pyenv(settings: &Settings) -> Vec<Check> {
    let needs = &settings.pyenv;
    let mut checks = Vec::new();
    // The same choice `pyenv init` makes (no venv to reuse, no project's requires-python).
    match pick::choose(&needs.python, &needs.reason, None, Path::new("")) {
        Ok(chosen) => {
            let others: Vec<String> = crate::commands::complete::interpreters()
                .iter()
                .map(|c| c.get_value().to_string_lossy().into_owned())
                // The `python3.N` commands on PATH, which `--python 3.N` picks.
                .filter(|v| !v.contains('/') && v.matches('.').count() == 1)
                .collect();
            let mut detail = format!(
                "Python {} ({}; {})",
                chosen.interp.version,
                chosen.interp.executable.display(),
                chosen.why
            );
            if !others.is_empty() {
                detail.push_str(&format!("; on PATH: {}", others.join(", ")));
            }
            checks.push(Check::ok(PYENV, "python", detail));
        }
        Err(err) => checks.push(Check::lacking(
            PYENV,
            "python",
            needs.configured,
            format!("{err:#}").replace('\n', "; "),
            "install Python 3.8 or newer, or point pyenv.python (or --python) at one",
        )),
    }
    checks.push(
        match on_path(PYENV, "uv", needs.uv_required, "reinstall uv") {
            Some(check) => check,
            None if needs.uv_required => Check::lacking(
                PYENV,
                "uv",
                true,
                "not found on PATH, and pyenv.backend is uv",
                "install uv (https://docs.astral.sh/uv/), or set pyenv.backend to auto",
            ),
            None => Check::ok(
                PYENV,
                "uv",
                "not on PATH: venv and pip are used instead (optional)",
            ),
        },
    );
    checks
}

pub fn blog(settings: &Settings, printer: &Printer) -> Vec<Check> {
    let needs = &settings.blog;
    let mut checks = Vec::new();
    if needs.durable {
        checks.extend(durable(settings, printer));
        return checks;
    }
    // The KV target runs wrangler, a Node program.
    let required = needs.configured;
    checks.push(
        on_path(BLOG, "node", required, "reinstall Node.js").unwrap_or_else(|| {
            Check::lacking(
                BLOG,
                "node",
                required,
                "not found on PATH (wrangler runs on Node.js)",
                "install Node.js 20 or newer (https://nodejs.org)",
            )
        }),
    );
    match kv::find_wrangler(
        needs.wrangler.as_ref(),
        needs.wrangler_config.as_ref().map(|c| c.value.as_path()),
        &settings.cwd,
    ) {
        Ok(path) => {
            let version = wrangler_version(&path).map_or_else(
                || "version unknown".to_string(),
                |v| format!("wrangler {v}"),
            );
            checks.push(Check::ok(
                BLOG,
                "wrangler",
                format!("{version} ({})", path.display()),
            ));
        }
        Err(err) => {
            let fix = err
                .chain()
                .find_map(|cause| cause.downcast_ref::<crate::error::DevkitError>())
                .and_then(|e| e.hint.clone())
                .unwrap_or_else(|| {
                    "npm install --save-dev wrangler, or set blog.wrangler.bin".into()
                });
            checks.push(Check::lacking(
                BLOG,
                "wrangler",
                required,
                format!("{err:#}"),
                fix,
            ));
        }
    }
    checks.extend(wrangler_binding(settings, required));
    if needs.do_url.is_some() {
        checks.extend(durable(settings, printer));
    }
    checks
}

/// wrangler's version from its package.json beside the executable (no Node start, which
/// costs wrangler a second or more); `None` when it is not an npm install.
fn wrangler_version(path: &Path) -> Option<String> {
    let real = std::fs::canonicalize(path).ok()?;
    // node_modules/wrangler/bin/wrangler.js → node_modules/wrangler/package.json
    let package = real.parent()?.parent()?.join("package.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(package).ok()?).ok()?;
    (json.get("name")?.as_str()? == "wrangler").then_some(())?;
    Some(json.get("version")?.as_str()?.to_string())
}

/// The wrangler config devkit's wrangler would read, and the binding devkit.yaml names in it.
fn wrangler_binding(settings: &Settings, required: bool) -> Vec<Check> {
    let needs = &settings.blog;
    let (path, origin) = match &needs.wrangler_config {
        // A folder means the config inside it, as push and pull read it.
        Some(r) => (
            Some(kv::config_file(&r.value)),
            format!("blog.wrangler.config, from {}", r.origin),
        ),
        None => (
            wrangler_config::find(&settings.cwd),
            "found from here upward".to_string(),
        ),
    };
    let Some(path) = path else {
        return vec![Check::lacking(
            BLOG,
            "wrangler config",
            required,
            format!(
                "none of {} here or in a parent directory",
                wrangler_config::FILE_NAMES.join(", ")
            ),
            "create wrangler.jsonc with your Worker and its kv_namespaces, or set blog.wrangler.config",
        )];
    };
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            return vec![Check::lacking(
                BLOG,
                "wrangler config",
                required,
                format!("cannot read {shown} ({origin}): {e}"),
                "point blog.wrangler.config at your wrangler.jsonc or wrangler.toml",
            )];
        }
    };
    if let Some(d1) = &needs.d1 {
        let env = needs.wrangler_env.as_deref();
        let read = Check::ok(BLOG, "wrangler config", format!("{shown} ({origin})"));
        return vec![read, d1_database(d1.as_ref(), &path, &text, env)];
    }
    let mut checks = Vec::new();
    let bindings = match wrangler_config::kv_bindings(&path, &text, needs.wrangler_env.as_deref()) {
        Ok(bindings) => {
            checks.push(Check::ok(
                BLOG,
                "wrangler config",
                format!("{shown} ({origin})"),
            ));
            bindings
        }
        Err(why) => {
            checks.push(Check::lacking(
                BLOG,
                "wrangler config",
                required,
                format!("{shown}: {why}"),
                "fix the file; `npx wrangler check` (or `wrangler deploy --dry-run`) says more",
            ));
            return checks;
        }
    };
    let Some(binding) = &needs.binding else {
        if let Some(id) = &needs.namespace_id {
            checks.push(Check::ok(
                BLOG,
                "KV namespace",
                format!("id {id} (blog.kv.namespace_id)"),
            ));
        } else {
            checks.push(Check::lacking(
                BLOG,
                "KV binding",
                required,
                "neither blog.kv.binding nor blog.kv.namespace_id is set",
                match bindings.first() {
                    Some(first) => format!("in devkit.yaml: `blog: {{kv: {{binding: {first}}}}}`"),
                    None => "add a kv_namespaces entry to the wrangler config and name its binding in blog.kv.binding".into(),
                },
            ));
        }
        return checks;
    };
    let need = format!("KV binding {}", binding.value);
    if bindings.contains(&binding.value) {
        checks.push(Check::ok(
            BLOG,
            need,
            format!("in {shown} (blog.kv.binding, from {})", binding.origin),
        ));
    } else {
        let has = if bindings.is_empty() {
            "it declares no kv_namespaces".to_string()
        } else {
            format!("it declares {}", bindings.join(", "))
        };
        let scope = needs
            .wrangler_env
            .as_ref()
            .map_or_else(String::new, |e| format!(" (environment {e})"));
        checks.push(Check::lacking(
            BLOG,
            need,
            true,
            format!(
                "not in {shown}{scope} (blog.kv.binding, from {}): {has}",
                binding.origin
            ),
            match bindings.first() {
                Some(first) => format!(
                    "set blog.kv.binding to {first}, or add {{\"binding\": \"{}\", \"id\": …}} to kv_namespaces",
                    binding.value
                ),
                None => format!("add {{\"binding\": \"{}\", \"id\": …}} to kv_namespaces", binding.value),
            },
        ));
    }
    checks
}

/// The D1 database devkit.yaml names (`blog.d1.binding`, or `blog.d1.database` with `true`),
/// declared in the wrangler config's `d1_databases`.
fn d1_database(
    named: Option<&(Resolved<String>, bool)>,
    path: &Path,
    text: &str,
    env: Option<&str>,
) -> Check {
    let shown = path.display();
    let Some((name, is_database)) = named else {
        return Check::lacking(
            BLOG,
            "D1 database",
            true,
            "neither blog.d1.binding nor blog.d1.database is set",
            "in devkit.yaml: `blog: {d1: {binding: DB}}` (a d1_databases binding of the wrangler config)",
        );
    };
    let (field, key) = if *is_database {
        ("database_name", "blog.d1.database")
    } else {
        ("binding", "blog.d1.binding")
    };
    let need = format!("D1 {field} {}", name.value);
    match wrangler_config::d1_names(path, text, env, field) {
        Ok(names) if names.contains(&name.value) => Check::ok(
            BLOG,
            need,
            format!("in {shown} ({key}, from {})", name.origin),
        ),
        Ok(names) => Check::lacking(
            BLOG,
            need,
            true,
            format!(
                "not in {shown}'s d1_databases ({key}, from {}): it declares {}",
                name.origin,
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ),
            format!(
                "add {{{}, \"database_id\": …}} to d1_databases, or set {key} to one it declares",
                if *is_database {
                    format!("\"binding\": …, \"database_name\": \"{}\"", name.value)
                } else {
                    format!("\"binding\": \"{}\", \"database_name\": …", name.value)
                }
            ),
        ),
        Err(why) => Check::lacking(
            BLOG,
            "wrangler config",
            true,
            format!("{shown}: {why}"),
            "fix the file; `npx wrangler check` (or `wrangler deploy --dry-run`) says more",
        ),
    }
}

/// `blog.do.url` answering, and the token variable set (its value is never shown).
fn durable(settings: &Settings, printer: &Printer) -> Vec<Check> {
    let needs = &settings.blog;
    let required = needs.durable;
    let mut checks = Vec::new();
    let token = std::env::var(&needs.token_env)
        .ok()
        .filter(|t| !t.is_empty());
    checks.push(match &token {
        Some(_) => Check::ok(BLOG, "admin token", format!("{} is set", needs.token_env)),
        None => Check::lacking(
            BLOG,
            "admin token",
            required,
            format!("{} is not set (blog.do.token_env)", needs.token_env),
            format!("export {}=… (the Worker's ADMIN_TOKEN)", needs.token_env),
        ),
    });
    let Some(url) = &needs.do_url else {
        checks.push(Check::lacking(
            BLOG,
            "blog.do.url",
            required,
            "not set, and blog.target is do",
            "set blog.do.url to the Worker's admin API, e.g. http://127.0.0.1:8787/admin/api",
        ));
        return checks;
    };
    let list = format!("{}/posts", url.value.trim_end_matches('/'));
    printer.verbose(1, format!("GET {list} (timeout {}s)", DO_TIMEOUT.as_secs()));
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(DO_TIMEOUT))
        .http_status_as_error(false)
        // The token goes to blog.do.url and nowhere else, as in a push.
        .max_redirects(0);
    // A local Worker is reached directly, never through an HTTP proxy from the environment.
    let loopback = ["://127.", "://localhost", "://[::1]"]
        .iter()
        .any(|host| url.value.contains(host));
    let config = if loopback { config.proxy(None) } else { config };
    let agent: ureq::Agent = config.build().into();
    let mut request = agent.get(&list);
    if let Some(token) = &token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    let need = format!("admin API {}", url.value);
    let fix_url = "is the Worker running (`wrangler dev`)? blog.do.url must be its admin API, such as http://127.0.0.1:8787/admin/api";
    checks.push(match request.call() {
        Ok(answer) => match answer.status().as_u16() {
            200 => Check::ok(
                BLOG,
                need,
                format!("answers GET /posts (blog.do.url, from {})", url.origin),
            ),
            401 | 403 => Check::lacking(
                BLOG,
                need,
                true,
                format!(
                    "answers, but refuses the token in {} ({})",
                    needs.token_env,
                    answer.status()
                ),
                format!("set {} to the Worker's ADMIN_TOKEN", needs.token_env),
            ),
            _ => Check::lacking(
                BLOG,
                need,
                true,
                format!("GET /posts answered {}", answer.status()),
                fix_url,
            ),
        },
        Err(err) => Check::lacking(
            BLOG,
            need,
            true,
            format!("does not answer within {}s: {err}", DO_TIMEOUT.as_secs()),
            fix_url,
        ),
    });
    checks
}
