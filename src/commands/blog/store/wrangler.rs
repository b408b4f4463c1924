//! Running wrangler: its environment (no metrics, no colour), a child that ends with devkit
//! (Linux: a parent-death signal), and a wait, with a message, while another wrangler still
//! holds the local state.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::error::DevkitError;
use crate::output::Printer;

/// How long a push waits for a busy local state before it gives up.
const BUSY_WAIT: Duration = Duration::from_secs(60);
/// The pause between two tries while the local state is busy.
const BUSY_PAUSE: Duration = Duration::from_millis(500);

/// `program` with wrangler's offline environment and piped output; on Linux it is killed when
/// the thread that spawned it ends (devkit killed included), so no wrangler outlives devkit.
/// Spawn it from a thread that waits for it (`output()`): the signal follows the thread.
pub fn command(program: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (var, value) in [
        ("WRANGLER_SEND_METRICS", "false"),
        ("CLOUDFLARE_CF_FETCH_ENABLED", "false"),
        ("FORCE_COLOR", "0"),
    ] {
        if std::env::var_os(var).is_none() {
            cmd.env(var, value);
        }
    }
    end_with_parent(&mut cmd);
    cmd
}

#[cfg(target_os = "linux")]
fn end_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt as _;
    // SAFETY: between fork and exec only async-signal-safe calls: prctl and getppid.
    unsafe {
        cmd.pre_exec(|| {
            let parent = libc::getppid();
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The parent may have died before the signal was armed.
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn end_with_parent(_cmd: &mut Command) {}

/// Whether a failed wrangler met local state another process still holds: the local KV
/// answers 500 to any verb while a killed wrangler's runtime lets go of it, SQLite says it is
/// locked. Every write devkit retries is idempotent (a put of the same value, a delete).
pub fn is_busy(output: &Output) -> bool {
    let text = String::from_utf8_lossy(&output.stderr) + String::from_utf8_lossy(&output.stdout);
    !output.status.success()
        && [
            "KV GET failed: 500",
            "KV PUT failed: 500",
            "KV DELETE failed: 500",
            "database is locked",
            "SQLITE_BUSY",
        ]
        .iter()
        .any(|sign| text.contains(sign))
}

/// Run what `make` builds until it does not meet a busy local state (for up to a minute,
/// saying so once); its stdout, or the error naming `what` failed.
pub fn run_waiting(
    program: &Path,
    what: &str,
    printer: &Printer,
    make: &mut dyn FnMut() -> Result<Command>,
) -> Result<Vec<u8>> {
    let start = Instant::now();
    let mut told = false;
    loop {
        let output = make()?.output();
        match &output {
            Ok(out) if is_busy(out) && start.elapsed() < BUSY_WAIT => {
                if !told {
                    printer.info(format!(
                        "wrangler's local state is busy (another wrangler, perhaps from a stopped push, still holds it); waiting up to {}s",
                        BUSY_WAIT.as_secs()
                    ));
                    told = true;
                }
                std::thread::sleep(BUSY_PAUSE);
            }
            _ => return checked(program, what, output),
        }
    }
}

/// A finished wrangler's stdout, or the error that says what failed and the tail of what it
/// printed.
pub fn checked(
    program: &Path,
    what: &str,
    output: std::io::Result<std::process::Output>,
) -> Result<Vec<u8>> {
    let output = output.with_context(|| format!("cannot run {}", program.display()))?;
    if !output.status.success() {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail = tail(
            if stderr.trim().is_empty() {
                &stdout
            } else {
                &stderr
            },
            12,
        );
        let code = output
            .status
            .code()
            .map_or_else(|| "a signal".to_string(), |c| format!("exit code {c}"));
        return Err(
            DevkitError::failure(format!("wrangler {what} failed ({code}):\n{tail}")).into(),
        );
    }
    Ok(output.stdout)
}

/// The last `n` non-empty lines, without terminal escapes.
fn tail(text: &str, n: usize) -> String {
    let clean = strip_ansi(text);
    let lines: Vec<&str> = clean.lines().filter(|l| !l.trim().is_empty()).collect();
    let start = lines.len().saturating_sub(n);
    lines[start..]
        .iter()
        .map(|l| format!("  {}", l.trim_end()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_drop_escapes_and_blank_lines() {
        let text = "one\n\n\u{1b}[31mtwo\u{1b}[0m\nthree\n";
        assert_eq!(tail(text, 2), "  two\n  three");
    }

    #[test]
    fn a_500_from_local_state_is_busy_and_other_errors_are_not() {
        use std::os::unix::process::ExitStatusExt as _;
        let failed = |stderr: &str| Output {
            status: std::process::ExitStatus::from_raw(256),
            stdout: Vec::new(),
            stderr: stderr.as_bytes().to_vec(),
        };
        for verb in ["GET", "PUT", "DELETE"] {
            assert!(is_busy(&failed(&format!(
                "✘ [ERROR] KV {verb} failed: 500 Internal Server Error"
            ))));
        }
        assert!(is_busy(&failed("SqliteError: database is locked")));
        assert!(!is_busy(&failed(
            "✘ [ERROR] KV PUT failed: 413 Payload Too Large"
        )));
        let ok = Output {
            status: std::process::ExitStatus::from_raw(0),
            ..failed("database is locked")
        };
        assert!(!is_busy(&ok));
    }
}
