//! The printer: owns quiet/verbose, color, and where progress draws. Data goes to stdout
//! (commands write it themselves); everything meant for a person goes through here to stderr.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// `--color`: when stderr gets colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Color decisions for stderr, made once.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    enabled: bool,
}

impl Paint {
    pub fn plain() -> Self {
        Self { enabled: false }
    }

    /// `--color` wins; with `auto`, `NO_COLOR` (non-empty) turns color off, `CLICOLOR_FORCE`
    /// (non-empty, not `0`) turns it on, and otherwise stderr must be a terminal.
    pub fn decide(choice: ColorChoice, env: impl Fn(&str) -> Option<String>, tty: bool) -> Self {
        let enabled = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                    false
                } else if env("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                    true
                } else {
                    tty && env("TERM").as_deref() != Some("dumb")
                }
            }
        };
        Self { enabled }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.enabled {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    pub fn error(&self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default().bold(), text)
    }
    pub fn warn(&self, text: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default().bold(), text)
    }
    pub fn hint(&self, text: &str) -> String {
        self.paint(AnsiColor::Cyan.on_default().bold(), text)
    }
    pub fn good(&self, text: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), text)
    }
    pub fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }
    pub fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }
}

/// How much to say, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose(u8),
}

/// Everything a command says to a person goes through the printer.
#[derive(Debug, Clone)]
pub struct Printer {
    verbosity: Verbosity,
    paint: Paint,
    stderr_is_tty: bool,
}

impl Printer {
    pub fn new(verbosity: Verbosity, paint: Paint, stderr_is_tty: bool) -> Self {
        Self {
            verbosity,
            paint,
            stderr_is_tty,
        }
    }

    /// From the global flags and the real environment.
    pub fn from_flags(quiet: bool, verbose: u8, color: ColorChoice) -> Self {
        let verbosity = if quiet {
            Verbosity::Quiet
        } else if verbose > 0 {
            Verbosity::Verbose(verbose)
        } else {
            Verbosity::Normal
        };
        let tty = std::io::stderr().is_terminal();
        let paint = Paint::decide(color, |k| std::env::var(k).ok(), tty);
        Self::new(verbosity, paint, tty)
    }

    /// A printer that says nothing but errors (for tests of command logic).
    pub fn quiet() -> Self {
        Self::new(Verbosity::Quiet, Paint::plain(), false)
    }

    pub fn paint(&self) -> &Paint {
        &self.paint
    }

    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    pub fn is_quiet(&self) -> bool {
        self.verbosity == Verbosity::Quiet
    }

    /// `-v` given at least `level` times.
    pub fn is_verbose(&self, level: u8) -> bool {
        matches!(self.verbosity, Verbosity::Verbose(n) if n >= level)
    }

    fn line(&self, text: &str) {
        // stderr going away is not worth failing a command over.
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }

    /// Progress and results for a person (hidden by --quiet).
    pub fn info(&self, text: impl AsRef<str>) {
        if !self.is_quiet() {
            self.line(text.as_ref());
        }
    }

    /// Detail shown with -v (or -vv for `level` 2).
    pub fn verbose(&self, level: u8, text: impl AsRef<str>) {
        if self.is_verbose(level) {
            self.line(&self.paint.dim(text.as_ref()));
        }
    }

    /// A warning: shown unless --quiet.
    pub fn warn(&self, text: impl AsRef<str>) {
        if !self.is_quiet() {
            self.line(&format!(
                "{} {}",
                self.paint.warn("warning:"),
                text.as_ref()
            ));
        }
    }

    /// An error line that is not the command's final error (shown even with --quiet).
    pub fn error(&self, text: impl AsRef<str>) {
        self.line(&format!("{} {}", self.paint.error("error:"), text.as_ref()));
    }

    /// Progress bars draw on stderr only when it is a terminal and we are not quiet.
    fn draw_target(&self) -> ProgressDrawTarget {
        if self.stderr_is_tty && !self.is_quiet() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        }
    }

    /// A bar for `len` steps of known count.
    pub fn progress(&self, len: u64, message: impl Into<String>) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(Some(len), self.draw_target());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})")
                .expect("static template")
                .progress_chars("=> "),
        );
        bar.set_message(message.into());
        bar
    }

    /// A spinner for work of unknown length.
    pub fn spinner(&self, message: impl Into<String>) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(None, self.draw_target());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("static template"),
        );
        bar.set_message(message.into());
        bar.enable_steady_tick(Duration::from_millis(100));
        bar
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::fake_env as env;

    #[test]
    fn auto_color_follows_tty() {
        assert!(Paint::decide(ColorChoice::Auto, env(&[]), true).enabled());
        assert!(!Paint::decide(ColorChoice::Auto, env(&[]), false).enabled());
    }

    #[test]
    fn no_color_beats_tty_and_force_beats_no_tty() {
        assert!(!Paint::decide(ColorChoice::Auto, env(&[("NO_COLOR", "1")]), true).enabled());
        assert!(Paint::decide(ColorChoice::Auto, env(&[("CLICOLOR_FORCE", "1")]), false).enabled());
        assert!(
            !Paint::decide(ColorChoice::Auto, env(&[("CLICOLOR_FORCE", "0")]), false).enabled()
        );
    }

    #[test]
    fn explicit_choice_wins_over_env() {
        assert!(Paint::decide(ColorChoice::Always, env(&[("NO_COLOR", "1")]), false).enabled());
        assert!(
            !Paint::decide(ColorChoice::Never, env(&[("CLICOLOR_FORCE", "1")]), true).enabled()
        );
    }

    #[test]
    fn painted_text_is_wrapped_in_escapes_only_when_enabled() {
        assert_eq!(Paint::plain().error("x"), "x");
        let on = Paint::decide(ColorChoice::Always, env(&[]), false);
        assert!(on.error("x").starts_with("\u{1b}["));
    }
}
