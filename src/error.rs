//! How devkit ends: named exit statuses, the error kinds that choose one, and the single place
//! where an error chain is printed.

use std::io;

/// What a finished command tells the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: everything asked for was done.
    Success,
    /// 1: the operation failed (a tag rejected, an invalid post, a write error).
    Failure,
    /// 2: the command line or the configuration is wrong; nothing was attempted.
    Usage,
    /// A child program's own exit code, passed through.
    External(u8),
}

impl ExitStatus {
    /// The number the process exits with.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Usage => 2,
            ExitStatus::External(code) => code,
        }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        status.code().into()
    }
}

/// An error that knows its exit status and, where it helps, a hint for the user.
///
/// Anything else in an error chain exits with 1; put a `DevkitError` at the root of a chain
/// (with `anyhow::Error::from` or `.into()`) to choose 2, or to attach a hint.
#[derive(Debug)]
pub struct DevkitError {
    pub status: ExitStatus,
    pub message: String,
    pub hint: Option<String>,
}

impl DevkitError {
    /// A usage or configuration error: exit 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            status: ExitStatus::Usage,
            message: message.into(),
            hint: None,
        }
    }

    /// The operation failed: exit 1.
    pub fn failure(message: impl Into<String>) -> Self {
        Self {
            status: ExitStatus::Failure,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl std::fmt::Display for DevkitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DevkitError {}

/// True when the error comes from writing into a closed pipe (`devkit … | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The exit status an error chain asks for: the first `DevkitError` in it decides, else 1.
pub fn status_of(err: &anyhow::Error) -> ExitStatus {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<DevkitError>())
        .map_or(ExitStatus::Failure, |e| e.status)
}

/// Render an error chain the one way devkit prints errors:
/// `error: …`, then `caused by: …` per cause, then `hint: …` when one was given.
pub fn render(err: &anyhow::Error, paint: &crate::output::Paint) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mut causes = err.chain();
    if let Some(top) = causes.next() {
        let _ = writeln!(out, "{} {top}", paint.error("error:"));
    }
    for cause in causes {
        let _ = writeln!(out, "{} {cause}", paint.dim("caused by:"));
    }
    if let Some(hint) = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<DevkitError>())
        .and_then(|e| e.hint.as_deref())
    {
        let _ = writeln!(out, "{} {hint}", paint.hint("hint:"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn usage_error_anywhere_in_the_chain_exits_2() {
        let err = anyhow::Error::from(DevkitError::usage("bad key")).context("loading config");
        assert_eq!(status_of(&err), ExitStatus::Usage);
    }

    #[test]
    fn plain_errors_exit_1() {
        let err = anyhow::anyhow!("boom");
        assert_eq!(status_of(&err), ExitStatus::Failure);
    }

    #[test]
    fn broken_pipe_is_recognised_through_context() {
        let err = Err::<(), _>(io::Error::from(io::ErrorKind::BrokenPipe))
            .context("writing stdout")
            .unwrap_err();
        assert!(is_broken_pipe(&err));
        assert!(!is_broken_pipe(&anyhow::anyhow!("other")));
    }

    #[test]
    fn render_prints_chain_once_with_hint() {
        let err = anyhow::Error::from(DevkitError::failure("inner").with_hint("try this"))
            .context("outer");
        let text = render(&err, &crate::output::Paint::plain());
        assert_eq!(text, "error: outer\ncaused by: inner\nhint: try this\n");
    }
}
