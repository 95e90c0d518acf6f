//! The screen: drawn from the meeting and the app's view state, with no side effects.

mod big;
mod format;
mod paint;
mod theme;
mod wrap;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui_textarea::TextArea;

use crate::meeting::Meeting;

/// One row of the key map, as the footer and the help overlay show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHelp {
    /// The keys as written for people (`]` / `[`, `1`-`9`, `space`).
    pub keys: &'static str,
    /// What they do, for the help overlay.
    pub what: &'static str,
    /// A short label for the one-line footer; None keeps it out of the footer.
    pub footer: Option<&'static str>,
    /// The heading it sits under in the help overlay.
    pub group: &'static str,
}

/// Whether what the room sees as captured is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Everything committed is durable.
    Saved,
    /// Some committed events are on their way to disk.
    Saving,
    /// Writing failed; the meeting goes on in memory and saving is retried.
    Failed(String),
}

/// What the input box is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    /// A new item in the current section.
    Add,
    /// A new text for the selected item.
    Edit,
    /// A tangent for the parking lot (the safeword shows large).
    Park,
    /// A latecomer: `Name` or `Name:Role`.
    AddPerson,
}

/// The app's modes, as the screen needs them.
pub enum Mode<'a> {
    /// The meeting screen.
    Normal,
    /// Typing into the input box.
    Input {
        /// What the input is for.
        purpose: InputPurpose,
        /// The text area being typed in.
        textarea: &'a TextArea<'static>,
    },
    /// The full help overlay.
    Help,
    /// "Quit? y / n".
    ConfirmQuit,
}

/// Everything the screen is drawn from.
pub struct View<'a> {
    /// The meeting.
    pub meeting: &'a Meeting,
    /// The time to draw timers at.
    pub now: DateTime<Utc>,
    /// The mode.
    pub mode: Mode<'a>,
    /// Index of the selected item in `meeting.items_in(meeting.current)`.
    pub selected: Option<usize>,
    /// A one-line message for the status line (a refusal, the exported path).
    pub status: Option<&'a str>,
    /// Whether everything is saved.
    pub save: SaveState,
    /// The key map, for the footer and the help overlay.
    pub keys: &'a [KeyHelp],
    /// Colours on (false when `NO_COLOR` is set).
    pub color: bool,
}

/// Smallest terminal the meeting screen is drawn at.
pub const MIN_WIDTH: u16 = 80;
/// Smallest terminal the meeting screen is drawn at.
pub const MIN_HEIGHT: u16 = 24;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, view: &View) {
    let _ = (frame, view);
}
