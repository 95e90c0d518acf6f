//! Terminal set-up and restore: raw mode, alternate screen, bracketed paste,
//! and a panic hook that puts the terminal back and says where the meeting is.

use std::io::{Write, stdout};
use std::sync::OnceLock;

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use ratatui::DefaultTerminal;

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
        eprintln!("hotwash stopped on a bug ({msg}{place}). {saved}");
    }));
    let terminal = ratatui::try_init()?;
    execute!(stdout(), EnableBracketedPaste)?;
    Ok(terminal)
}

/// Leaves the meeting screen; safe to call more than once.
pub fn restore() {
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::restore();
    let _ = stdout().flush();
}

/// Rings the terminal bell once.
pub fn bell() {
    let mut out = stdout();
    let _ = out.write_all(b"\x07");
    let _ = out.flush();
}
