//! Drawing frames: whole, or, for a key typed into the input box, the
//! input layer alone, or the rows of its text that changed.
//!
//! A whole frame draws every panel into ratatui's buffer and compares all
//! of its cells (12,000 at 200x60) with the last frame's; a key typed into
//! the input box changes only the box (and the language hints above it).
//! While the rest of the frame stays as it was drawn ([`ui::Backdrop`]),
//! the painter keeps that frame, draws the layer over it, and sends the
//! terminal the cells of the layer that changed. While the hints stay as
//! they were too, the box's border, title and keys are as drawn, and a
//! typed character changes one row of its text ([`ui::TextRows`]): the
//! text area is drawn alone and only the rows that changed are compared
//! and sent, as an editor sends the typed character. The first whole frame
//! after such keys is compared with what the terminal shows, so nothing
//! either drew is lost.

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::craft::language::LanguageHint;
use crate::ui;

/// How a frame was drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    /// Every panel.
    Whole,
    /// The input layer alone, over the last frame.
    Layer,
    /// The rows of the input box's text that changed, over the last frame.
    Rows,
    /// A character typed at the end of a line, echoed before the text area
    /// was drawn; the text area agreed with it.
    Echo,
    /// As [`Drawn::Echo`], but the text area drew those cells otherwise,
    /// and what it drew was sent after the echo (an echo that guessed wrong).
    EchoCorrected,
}

/// Draws frames on a terminal, the input layer alone when that is enough.
#[derive(Default)]
pub struct Painter {
    /// The last whole frame, while the input box is open.
    shown: Option<Shown>,
    /// Where the input layer, or the text area, is drawn alone (kept for
    /// its memory).
    scratch: Buffer,
    /// One row of the text area as drawn now (kept for its memory).
    row: Buffer,
    /// The time on screen is old: the next frame is drawn whole.
    stale_time: bool,
}

/// The last whole frame and the input layer as the terminal shows them.
struct Shown {
    /// What the frame shows outside the layer.
    backdrop: ui::Backdrop,
    /// The frame as drawn whole.
    frame: Buffer,
    /// The layer's rows as the terminal shows them now.
    band: Buffer,
    /// The layer was drawn since the whole frame: ratatui's last frame is
    /// not what the terminal shows.
    behind: bool,
    /// The language hints the layer shows.
    hints: Vec<LanguageHint>,
    /// The rows of the box's text the band shows; None when they are not
    /// drawn line by line.
    text: Option<ui::TextRows>,
    /// The rows of the text area as the terminal shows them, one buffer a
    /// row (compared with a row as drawn, without copying the band's);
    /// ahead of the band when `rows_ahead`.
    rows: Vec<Buffer>,
    /// Rows were drawn since the band was: the band's text area is old.
    rows_ahead: bool,
}

impl Shown {
    /// Reads the text rows from the band (after the band was drawn).
    fn rows_from_band(&mut self) {
        self.rows_ahead = false;
        let Some(text) = &self.text else {
            self.rows.clear();
            return;
        };
        let area = text.area();
        self.rows
            .resize_with(usize::from(area.height), || Buffer::empty(Rect::ZERO));
        for (y, row) in (area.top()..area.bottom()).zip(&mut self.rows) {
            copy_rect(row, &self.band, Rect::new(area.x, y, area.width, 1));
        }
    }

    /// Makes the band show the text rows drawn since it was drawn.
    fn rows_into_band(&mut self) {
        if std::mem::take(&mut self.rows_ahead) {
            for row in &self.rows {
                copy_cells(&mut self.band, row, row.area);
            }
        }
    }
}

impl Painter {
    /// A painter with no frame drawn yet.
    pub fn new() -> Painter {
        Painter::default()
    }

    /// Forgets the last frame: the next is drawn whole (after the terminal
    /// was cleared or resized).
    pub fn forget(&mut self) {
        self.shown = None;
    }

    /// The time moved on (a tick): the next frame is drawn whole, its
    /// timers with it.
    pub fn time_moved(&mut self) {
        self.stale_time = true;
    }

    /// Draws `view`: the input layer alone when the rest of the frame is as
    /// last drawn, else the whole frame. Ends the frame by hiding the
    /// cursor, as ratatui's `draw` does, in the same write.
    pub fn draw<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        view: &ui::View,
    ) -> Result<Drawn, B::Error> {
        let area = terminal.get_frame().area();
        let backdrop = ui::Backdrop::of(area, view);
        let stale_time = std::mem::take(&mut self.stale_time);
        let same = matches!(
            (&backdrop, &self.shown),
            (Some(now), Some(shown)) if !stale_time && *now == shown.backdrop && shown.frame.area == area
        );
        if let (true, Some(now)) = (same, &backdrop) {
            if let Some(drawn) = self.draw_rows(terminal, now, view)? {
                return Ok(drawn);
            }
            if let Some(shown) = &mut self.shown {
                return draw_layer(shown, &mut self.scratch, terminal, now, view);
            }
        }
        if let Some(shown) = &mut self.shown
            && shown.behind
            && shown.frame.area == area
        {
            // Make ratatui's last frame the one on the terminal.
            shown.rows_into_band();
            copy_cells(&mut shown.frame, &shown.band, shown.band.area);
            copy(terminal.current_buffer_mut(), &shown.frame);
            terminal.swap_buffers();
        }
        let done = terminal.draw(|f| ui::draw(f, view))?;
        self.shown = match backdrop {
            Some(backdrop) if done.area == area => {
                let mut shown = self.shown.take().unwrap_or_else(|| Shown {
                    backdrop: backdrop.clone(),
                    frame: Buffer::empty(area),
                    band: Buffer::empty(backdrop.band()),
                    behind: false,
                    hints: Vec::new(),
                    text: None,
                    rows: Vec::new(),
                    rows_ahead: false,
                });
                // Copied into the buffers kept (a new 12,000-cell buffer a
                // frame was a fresh allocation, and its pages faulted in).
                copy(&mut shown.frame, done.buffer);
                copy_rect(&mut shown.band, done.buffer, backdrop.band());
                shown.text = ui::TextRows::of(&backdrop, view);
                shown.rows_from_band();
                shown.hints.clear();
                shown.hints.extend_from_slice(view.hints);
                shown.backdrop = backdrop;
                shown.behind = false;
                Some(shown)
            }
            _ => None,
        };
        Ok(Drawn::Whole)
    }
}

impl Painter {
    /// Draws the rows of the box's text that changed, when nothing else
    /// in the layer did (the backdrop is as shown); None when more did.
    fn draw_rows<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        now: &ui::Backdrop,
        view: &ui::View,
    ) -> Result<Option<Drawn>, B::Error> {
        let Some(shown) = &mut self.shown else {
            return Ok(None);
        };
        if shown.hints.as_slice() != view.hints {
            return Ok(None);
        }
        // Taken: whatever is drawn next says what the rows show.
        let Some(text) = shown.text.take() else {
            return Ok(None);
        };
        // A character typed at the end of a line is sent first, as an editor
        // echoes it; the text area drawn next checks it, cell by cell.
        let echoed = match text.typed_at_end(view) {
            Some((x, y, c)) => self.echo(terminal, x, y, c)?,
            None => false,
        };
        // The text area scrolls as it is drawn: drawn first, then its rows read.
        self.scratch.resize(text.area());
        self.scratch.reset();
        ui::draw_text(&mut self.scratch, view);
        let next = match ui::TextRows::of(now, view) {
            Some(next) if next.area() == text.area() => next,
            _ => return Ok(None),
        };
        let mut sent = false;
        for y in text.changed(&next) {
            sent |= self.send_row(terminal, y)?;
        }
        // Nothing more to send after an echo the text area agrees with.
        if sent || !echoed {
            terminal.hide_cursor()?;
        }
        if let Some(shown) = &mut self.shown {
            shown.text = Some(next);
            shown.behind = true;
        }
        Ok(Some(match (echoed, sent) {
            (false, _) => Drawn::Rows,
            (true, false) => Drawn::Echo,
            (true, true) => Drawn::EchoCorrected,
        }))
    }

    /// Sends the row `y` of the text area just drawn (in `scratch`) where
    /// it differs from the row the terminal shows, and keeps it as shown;
    /// whether any cell was sent. The text area lies inside the box's
    /// borders, so no wide character straddles the row's ends: ratatui's
    /// diff of the row is the diff of the frame there.
    fn send_row<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        y: u16,
    ) -> Result<bool, B::Error> {
        let Some(shown) = &mut self.shown else {
            return Ok(false);
        };
        let area = self.scratch.area;
        let Some(on_screen) = y
            .checked_sub(area.y)
            .and_then(|i| shown.rows.get_mut(usize::from(i)))
        else {
            return Ok(false);
        };
        copy_rect(
            &mut self.row,
            &self.scratch,
            Rect::new(area.x, y, area.width, 1),
        );
        ui::narrow_clusters(&mut self.row);
        let changed = on_screen.diff(&self.row);
        let sent = !changed.is_empty();
        terminal.backend_mut().draw(changed.into_iter())?;
        std::mem::swap(on_screen, &mut self.row);
        shown.rows_ahead = true;
        Ok(sent)
    }

    /// Sends `c` typed at (`x`, `y`), where the cursor was, in the style of
    /// the cell before it, and the cursor one cell on (see
    /// [`ui::TextRows::typed_at_end`]), and keeps them as shown; whether it
    /// did (the row is where it should be).
    fn echo<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        x: u16,
        y: u16,
        c: char,
    ) -> Result<bool, B::Error> {
        let Some(shown) = &mut self.shown else {
            return Ok(false);
        };
        let Some(row) = shown.rows.iter_mut().find(|r| r.area.y == y) else {
            return Ok(false);
        };
        let at = usize::from(x.saturating_sub(row.area.x));
        if at == 0 || at + 1 >= row.content.len() {
            return Ok(false);
        }
        let mut typed = row.content[at - 1].clone();
        typed.set_char(c);
        let cursor = row.content[at].clone();
        terminal
            .backend_mut()
            .draw([(x, y, &typed), (x.saturating_add(1), y, &cursor)].into_iter())?;
        terminal.hide_cursor()?;
        row.content[at] = typed;
        row.content[at + 1] = cursor;
        shown.rows_ahead = true;
        Ok(true)
    }
}

/// Draws the input layer alone over the last frame (`shown`, whose
/// backdrop is the frame's), in `scratch`, and sends the cells that changed.
fn draw_layer<B: Backend>(
    shown: &mut Shown,
    scratch: &mut Buffer,
    terminal: &mut Terminal<B>,
    now: &ui::Backdrop,
    view: &ui::View,
) -> Result<Drawn, B::Error> {
    // The layer's rows are cleared and drawn whole, and are whole rows, so
    // no wide character straddles their edges: ratatui's diff of the rows
    // (which knows wide characters) is the diff of the frame.
    shown.rows_into_band();
    scratch.resize(now.band());
    scratch.reset();
    ui::draw_layer(scratch, now, view);
    let changed = shown.band.diff(scratch);
    terminal.backend_mut().draw(changed.into_iter())?;
    terminal.hide_cursor()?;
    std::mem::swap(&mut shown.band, scratch);
    shown.behind = true;
    shown.hints.clear();
    shown.hints.extend_from_slice(view.hints);
    shown.text = ui::TextRows::of(now, view);
    shown.rows_from_band();
    Ok(Drawn::Layer)
}

/// Makes `into` the cells of `rect` in `from` (where it lies in `from`).
fn copy_rect(into: &mut Buffer, from: &Buffer, rect: Rect) {
    into.resize(rect.intersection(from.area));
    copy_cells(into, from, rect);
}

/// Makes `into` a copy of `from`, in the memory it has.
fn copy(into: &mut Buffer, from: &Buffer) {
    into.area = from.area;
    into.content.clone_from(&from.content);
}

/// Sets the cells of `rect` in `into` to `from`'s (where it lies in both).
fn copy_cells(into: &mut Buffer, from: &Buffer, rect: Rect) {
    let rect = rect.intersection(from.area).intersection(into.area);
    let w = usize::from(rect.width);
    for y in rect.top()..rect.bottom() {
        let at = from.index_of(rect.x, y);
        let to = into.index_of(rect.x, y);
        into.content[to..to + w].clone_from_slice(&from.content[at..at + w]);
    }
}
