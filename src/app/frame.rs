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
    /// The last frame, as the terminal shows it, and its backdrop, while
    /// the input box is open.
    shown: Option<(ui::Backdrop, Buffer)>,
    /// Frames were drawn past ratatui's own buffers: its last frame is not
    /// what the terminal shows.
    behind: bool,
    /// The time on screen is old: the next frame is drawn whole.
    stale_time: bool,
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
        self.behind = false;
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
        if let (Some(now), Some((then, buf))) = (&backdrop, &mut self.shown)
            && !stale_time
            && now == then
            && buf.area == area
        {
            self.draw_layer(terminal, now, view)?;
            return Ok(Drawn::Layer);
        }
        if std::mem::take(&mut self.behind)
            && let Some((_, shown)) = &self.shown
            && shown.area == terminal.get_frame().area()
        {
            // Make ratatui's last frame the one on the terminal.
            terminal.current_buffer_mut().clone_from(shown);
            terminal.swap_buffers();
        }
        let done = terminal.draw(|f| ui::draw(f, view))?;
        self.shown = match (backdrop, self.shown.take()) {
            (Some(backdrop), Some((_, mut buf))) if done.area == area => {
                buf.clone_from(done.buffer);
                Some((backdrop, buf))
            }
            (Some(backdrop), None) if done.area == area => Some((backdrop, done.buffer.clone())),
            _ => None,
        };
        Ok(Drawn::Whole)
    }

    fn draw_layer<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        backdrop: &ui::Backdrop,
        view: &ui::View,
    ) -> Result<(), B::Error> {
        let Some((_, buf)) = &mut self.shown else {
            return Ok(());
        };
        // The layer's rectangles are whole rows, so no wide character
        // straddles their edges, and ratatui's diff of each (which knows
        // wide characters) is the diff of the frame.
        let region = |buf: &Buffer, rect: ratatui::layout::Rect| Buffer {
            area: rect,
            content: rect.positions().map(|p| buf[p].clone()).collect(),
        };
        let before: Vec<Buffer> = backdrop.rects().map(|r| region(buf, r)).collect();
        ui::draw_layer(buf, backdrop, view);
        let after: Vec<Buffer> = backdrop.rects().map(|r| region(buf, r)).collect();
        self.behind = true;
        let changed = before.iter().zip(&after).flat_map(|(b, a)| b.diff(a));
        terminal.backend_mut().draw(changed)?;
        terminal.hide_cursor()?;
        Ok(())
    }
}
