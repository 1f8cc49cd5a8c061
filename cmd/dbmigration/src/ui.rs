//! How the CLI talks to a person, decided once from `--color`, `--quiet` and the environment:
//! whether reports are coloured, whether status lines and progress bars are shown.
//!
//! - Colour: `--color always|never` wins; with `auto` (the default), `FORCE_COLOR` (set, and
//!   not `0` or `false`) turns it on, then `NO_COLOR` (set and not empty, no-color.org) or
//!   `TERM=dumb` turn it off, else it is on when the stream is a terminal. That is the order
//!   miette's own detection uses (supports-color `src/lib.rs`, `supports_color`).
//! - `--quiet`: no status lines ("wrote …", "PostgreSQL 16 (…)", notes) and no progress. Reports,
//!   warnings and errors are still printed: they are the result (ruff's `--quiet` keeps its
//!   diagnostics too).
//! - Progress ([`phase`], the apply bars): on stderr, only when it is a terminal, never with
//!   `--quiet`.

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::sync::OnceLock;

use ::lint::report::Style;
use clap::ValueEnum;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` or `TERM=dumb`; always with `FORCE_COLOR`.
    #[default]
    Auto,
    /// Always colour, even into a pipe or a file.
    Always,
    /// Never colour.
    Never,
}

/// What the command line chose.
#[derive(Debug, Clone, Copy, Default)]
struct Settings {
    quiet: bool,
    color: ColorChoice,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Records `--quiet` and `--color`; the first call wins (tests may call it more than once).
pub fn init(quiet: bool, color: ColorChoice) {
    let _ = SETTINGS.set(Settings { quiet, color });
}

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or_default()
}

/// Is `--quiet` on?
pub fn quiet() -> bool {
    settings().quiet
}

/// The standard stream a report is written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

impl Stream {
    fn is_terminal(self) -> bool {
        match self {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        }
    }
}

/// Whether output to `stream` is coloured.
pub fn color(stream: Stream) -> bool {
    decide(
        settings().color,
        std::env::var_os("FORCE_COLOR").as_deref(),
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
        stream.is_terminal(),
    )
}

/// The style of a human report written to `stream`.
pub fn style(stream: Stream) -> Style {
    if color(stream) {
        Style::Graphical
    } else {
        Style::Plain
    }
}

/// Whether progress bars are drawn (on stderr).
pub fn progress() -> bool {
    !quiet() && Stream::Stderr.is_terminal()
}

/// One phase of a long command (`building release and main`), shown as a spinner on stderr
/// while it runs and as a `✓ … (1.2s)` line when done; nothing at all unless [`progress`].
#[derive(Debug)]
pub struct Phase {
    bar: Option<indicatif::ProgressBar>,
    label: String,
    started: std::time::Instant,
}

/// Starts a [`Phase`]. `label` is ours, never text from input.
pub fn phase(label: impl Into<String>) -> Phase {
    // A ref name may come from a pull request: no control character reaches the terminal.
    let label = ::lint::report::escape::terminal_line(&label.into()).into_owned();
    let bar = progress().then(|| {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(label.clone());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    Phase {
        bar,
        label,
        started: std::time::Instant::now(),
    }
}

impl Phase {
    /// Ends the phase: the spinner becomes a line saying how long it took.
    pub fn done(mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            let secs = self.started.elapsed().as_secs_f64();
            eprintln!("\u{2713} {} ({secs:.1}s)", self.label);
        }
    }
}

impl Drop for Phase {
    /// A phase left by an error: the spinner goes, the error says the rest.
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// The colour decision from its inputs (see the module docs).
fn decide(
    choice: ColorChoice,
    force_color: Option<&OsStr>,
    no_color: Option<&OsStr>,
    term: Option<&OsStr>,
    tty: bool,
) -> bool {
    match choice {
        ColorChoice::Always => return true,
        ColorChoice::Never => return false,
        ColorChoice::Auto => {}
    }
    if force_color.is_some_and(|v| v != "0" && v != "false") {
        return true;
    }
    if no_color.is_some_and(|v| !v.is_empty()) || term.is_some_and(|t| t == "dumb") {
        return false;
    }
    tty
}

/// A status line on stderr ("wrote …", notes), left out with `--quiet`.
#[macro_export]
macro_rules! status {
    ($($arg:tt)*) => {
        if !$crate::ui::quiet() {
            eprintln!($($arg)*);
        }
    };
}

#[cfg(test)]
mod tests {
    use super::{ColorChoice, decide};
    use std::ffi::OsStr;

    fn os(s: &str) -> Option<&OsStr> {
        Some(OsStr::new(s))
    }

    #[test]
    fn flags_win_over_the_environment() {
        assert!(decide(
            ColorChoice::Always,
            None,
            os("1"),
            os("dumb"),
            false
        ));
        assert!(!decide(ColorChoice::Never, os("1"), None, None, true));
    }

    #[test]
    fn auto_follows_force_color_then_no_color_then_the_terminal() {
        let auto = ColorChoice::Auto;
        assert!(decide(auto, None, None, None, true));
        assert!(!decide(auto, None, None, None, false));
        assert!(decide(auto, os("1"), None, None, false));
        assert!(decide(auto, os(""), None, None, false));
        assert!(decide(auto, os("1"), os("1"), None, false));
        assert!(!decide(auto, os("0"), None, None, false));
        assert!(!decide(auto, os("false"), None, None, false));
        assert!(!decide(auto, None, os("1"), None, true));
        // An empty NO_COLOR is not set (no-color.org).
        assert!(decide(auto, None, os(""), None, true));
        assert!(!decide(auto, None, None, os("dumb"), true));
    }
}
