//! The screen as of the last frame hotwash finished drawing.
//!
//! `Tui::screen` shows the terminal as the bytes have arrived so far, which
//! may be half a frame: the new header row with the old status line. A test
//! that decides "the screen said saved" from such a mix could believe a
//! frame that never existed. ratatui ends every frame by hiding the cursor
//! (`ESC[?25l`), so these helpers feed a second emulator only the output up
//! to the last such mark, and read whole frames only.
#![allow(dead_code)]

use std::cell::RefCell;
use std::num::NonZeroU16;

use super::{Tui, poll};

/// What ratatui writes at the end of every frame.
pub const FRAME_END: &[u8] = b"\x1b[?25l";

/// Finds the last `needle` in `haystack`.
pub fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Finds the first `needle` in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn dim(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN)
}

/// A terminal emulator fed whole frames only.
pub struct Frames {
    parser: vt100::Parser,
    seen: usize,
}

impl Frames {
    /// An emulator of `cols` x `rows`, as the pseudo-terminal is.
    pub fn new(cols: u16, rows: u16) -> Frames {
        Frames {
            parser: vt100::Parser::new(dim(rows), dim(cols), 0),
            seen: 0,
        }
    }

    /// Follows a resize of the pseudo-terminal.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.set_size(dim(rows), dim(cols));
    }

    /// Reads every frame finished since the last call; true if there was one.
    pub fn update(&mut self, tui: &Tui) -> bool {
        let new = tui.output_from(self.seen);
        let Some(at) = rfind(&new, FRAME_END) else {
            return false;
        };
        let end = at + FRAME_END.len();
        self.parser.process(&new[..end]);
        self.seen += end;
        true
    }

    /// The screen of the last whole frame.
    pub fn screen(&self) -> &vt100::Screen {
        self.parser.screen()
    }

    /// The last whole frame as text, one line per row.
    pub fn text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits until a whole frame satisfies `pred`; fails the test otherwise.
    pub fn wait_until(&mut self, tui: &Tui, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_screen(tui, what, |_, text| pred(text))
    }

    /// Waits until a whole frame, its screen and its text, satisfies `pred`
    /// (for checks of cells, not only words); fails the test otherwise.
    pub fn wait_screen(
        &mut self,
        tui: &Tui,
        what: &str,
        pred: impl Fn(&vt100::Screen, &str) -> bool,
    ) -> String {
        let last = RefCell::new(None::<String>);
        poll(
            || {
                if self.update(tui) || last.borrow().is_none() {
                    *last.borrow_mut() = Some(self.text());
                }
                // Asked again even without a new frame: `pred` may look at
                // more than the screen (the journal, say).
                let last = last.borrow();
                let text = last.as_deref().unwrap_or_default();
                pred(self.screen(), text).then(|| text.to_string())
            },
            || {
                format!(
                    "{what}; the last whole frame was:\n{}\nand the terminal shows:\n{}",
                    last.borrow().clone().unwrap_or_default(),
                    tui.screen()
                )
            },
        )
    }

    /// Waits until a whole frame shows `needle`.
    pub fn wait_for(&mut self, tui: &Tui, needle: &str) -> String {
        self.wait_until(tui, &format!("{needle:?}"), |s| s.contains(needle))
    }
}

/// The text of one cell ("" past the screen's edge).
pub fn cell(screen: &vt100::Screen, row: u16, col: u16) -> String {
    screen
        .cell(row, col)
        .map(|c| c.contents().to_string())
        .unwrap_or_default()
}

/// Whether a cell holds one box-drawing character.
pub fn is_box(s: &str) -> bool {
    let mut cs = s.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if ('\u{2500}'..='\u{257f}').contains(&c))
}

/// Where the meeting screen's panels are.
#[derive(Debug, Clone, Copy)]
pub struct Panels {
    /// The first row of the panels (the roster's top border).
    pub top: u16,
    /// The last row of the panels.
    pub bottom: u16,
    /// The roster's left border column.
    pub split: u16,
}

/// The panels' frame on the meeting screen, if whole: the four border
/// columns (the left edge, the items panel's right edge, the roster's left
/// and right edges) hold box-drawing characters on every row of the body.
/// Otherwise what is wrong, with the screen.
pub fn panels(screen: &vt100::Screen) -> Result<Panels, String> {
    let (rows, cols) = screen.size();
    let (rows, cols) = (rows.get(), cols.get());
    let text = screen.contents();
    let top = text
        .lines()
        .position(|l| l.contains("Roster · who speaks"))
        .and_then(|y| u16::try_from(y).ok())
        .ok_or_else(|| format!("no roster on the screen:\n{text}"))?;
    let split = (1..cols)
        .find(|&x| cell(screen, top, x - 1) == "┐" && cell(screen, top, x) == "┌")
        .ok_or_else(|| format!("no panel corners on row {top}:\n{text}"))?;
    let bottom = (top..rows)
        .rev()
        .find(|&y| cell(screen, y, cols - 1) == "┘")
        .ok_or_else(|| format!("the panels have no bottom:\n{text}"))?;
    for y in top..=bottom {
        for x in [0, split - 1, split, cols - 1] {
            let c = cell(screen, y, x);
            if !is_box(&c) {
                return Err(format!(
                    "row {y} column {x} holds {c:?}, not the panel's border:\n{text}"
                ));
            }
        }
    }
    Ok(Panels { top, bottom, split })
}

/// Checks the panels' frame on the meeting screen (see [`panels`]).
#[track_caller]
pub fn assert_panels_intact(screen: &vt100::Screen, what: &str) -> Panels {
    panels(screen).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Whether the process is alive (not gone, not a zombie).
pub fn alive(tui: &Tui) -> bool {
    std::fs::read_to_string(format!("/proc/{}/stat", tui.pid()))
        .ok()
        .and_then(|s| s.rsplit_once(") ").map(|(_, rest)| !rest.starts_with('Z')))
        .unwrap_or(false)
}
