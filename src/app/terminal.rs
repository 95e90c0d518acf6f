//! Terminal set-up and restore: raw mode, alternate screen, bracketed paste,
//! and a panic hook that puts the terminal back and says where the meeting is.
//!
//! Nothing here may panic when the terminal has gone away (a closed window):
//! writes to it fail then, and `eprintln!` would turn that into a panic.

use std::io::{Write, stderr, stdout};
use std::sync::OnceLock;

use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;
use ratatui::backend::CrosstermBackend;

static WHERE_SAVED: OnceLock<String> = OnceLock::new();

/// Remembers the sentence that says where the session is saved and how to
/// resume it, for the panic hook.
pub fn set_where_saved(sentence: String) {
    let _ = WHERE_SAVED.set(sentence);
}

/// Enters the meeting screen. The panic hook restores the terminal first,
/// then prints one sentence instead of a stack trace.
pub fn init() -> std::io::Result<DefaultTerminal> {
    std::panic::set_hook(Box::new(|info| {
        restore();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".into());
        let saved = WHERE_SAVED
            .get()
            .map(String::as_str)
            .unwrap_or("Nothing was saved.");
        say(&format!("hotwash stopped on a bug ({msg}{place}). {saved}"));
    }));
    // Not `ratatui::try_init`: its panic hook prints with `eprintln!`, which
    // panics again (and aborts) when the terminal is gone.
    let entered = enable_raw_mode()
        .and_then(|()| execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste))
        .and_then(|()| ratatui::Terminal::new(CrosstermBackend::new(stdout())));
    if entered.is_err() {
        restore();
    }
    entered
}

/// Leaves the meeting screen; safe to call more than once, and on a
/// terminal that is gone.
pub fn restore() {
    let mut out = stdout();
    let _ = execute!(out, DisableBracketedPaste);
    let _ = disable_raw_mode();
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = out.flush();
}

/// Prints a line on stderr, quietly doing nothing if stderr is gone.
pub fn say(line: &str) {
    let _ = writeln!(stderr(), "{line}");
}

/// Rings the terminal bell once.
pub fn bell() {
    let mut out = stdout();
    let _ = out.write_all(b"\x07");
    let _ = out.flush();
}
