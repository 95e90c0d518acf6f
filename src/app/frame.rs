//! Drawing frames: whole, or, for a key typed into the input box, the
//! input layer alone.
//!
//! A whole frame draws every panel into ratatui's buffer and compares all
//! of its cells (12,000 at 200x60) with the last frame's; a key typed into
//! the input box changes only the box (and the language hints above it).
//! While the rest of the frame stays as it was drawn ([`ui::Backdrop`]),
//! the painter keeps that frame, draws the layer over it, and sends the
//! terminal the cells of the layer that changed, as an editor sends only
//! the typed character. The first whole frame after such keys is compared
//! with what the terminal shows, so nothing it drew is lost.

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;

use crate::ui;

/// How a frame was drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    /// Every panel.
    Whole,
    /// The input layer alone, over the last frame.
    Layer,
}

/// Draws frames on a terminal, the input layer alone when that is enough.
#[derive(Default)]
pub struct Painter {
    /// The last whole frame, while the input box is open.
    shown: Option<Shown>,
    /// Where the input layer is drawn alone (kept for its memory).
    scratch: Buffer,
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
        if let (Some(now), Some(shown)) = (&backdrop, &mut self.shown)
            && !stale_time
            && *now == shown.backdrop
            && shown.frame.area == area
        {
            // The layer's rows are cleared and drawn whole, and are whole
            // rows, so no wide character straddles their edges: ratatui's
            // diff of the rows (which knows wide characters) is the diff
            // of the frame.
            self.scratch.resize(now.band());
            self.scratch.reset();
            ui::draw_layer(&mut self.scratch, now, view);
            let changed = shown.band.diff(&self.scratch);
            terminal.backend_mut().draw(changed.into_iter())?;
            terminal.hide_cursor()?;
            std::mem::swap(&mut shown.band, &mut self.scratch);
            shown.behind = true;
            return Ok(Drawn::Layer);
        }
        if let Some(shown) = &mut self.shown
            && shown.behind
            && shown.frame.area == area
        {
            // Make ratatui's last frame the one on the terminal.
            shown.frame.merge(&shown.band);
            terminal.current_buffer_mut().clone_from(&shown.frame);
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
                });
                shown.frame.clone_from(done.buffer);
                shown.band = region(done.buffer, backdrop.band());
                shown.backdrop = backdrop;
                shown.behind = false;
                Some(shown)
            }
            _ => None,
        };
        Ok(Drawn::Whole)
    }
}

/// The cells of `rect` in `buf`.
fn region(buf: &Buffer, rect: ratatui::layout::Rect) -> Buffer {
    let rect = rect.intersection(buf.area);
    let mut out = Buffer::empty(rect);
    for y in rect.top()..rect.bottom() {
        let from = buf.index_of(rect.x, y);
        let to = out.index_of(rect.x, y);
        let w = usize::from(rect.width);
        out.content[to..to + w].clone_from_slice(&buf.content[from..from + w]);
    }
    out
}
