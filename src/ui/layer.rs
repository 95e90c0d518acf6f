//! The input layer: the input box, the language hints just above it and,
//! for a tangent, the safeword banner. Typing into the box changes nothing
//! else on the screen, so a keystroke may redraw this layer alone over the
//! last frame, as an editor redraws only what was typed: [`Backdrop`] says
//! when the rest of the frame is the same, [`draw_layer`] draws the layer.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::widgets::{Block, Widget};
use ratatui_textarea::TextArea;

use super::theme::Theme;
use super::{Areas, InputPurpose, Mode, RoomView, SaveState, Screen, View};
use super::{craft, input, overlay};

/// Where the input layer's parts go in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layer {
    /// The safeword banner, over the top of the screen (a tangent only).
    banner: Option<Rect>,
    /// The input box, just above the status line.
    input: Rect,
    /// The language hints, just above the box (no rows when there are none).
    hints: Rect,
}

impl Layer {
    /// The layer for typing for `purpose` on a screen of `area`.
    pub(super) fn of(
        area: Rect,
        areas: &Areas,
        view: &View,
        purpose: InputPurpose,
        textarea: &TextArea<'static>,
    ) -> Layer {
        let kind = view.meeting.section().kind;
        let want = input::height(purpose, kind, textarea);
        let (banner, input) = if purpose == InputPurpose::Park {
            let banner_h =
                overlay::safeword_height(view, area).min(areas.status.y.saturating_sub(area.y));
            let banner = Rect::new(area.x, area.y, area.width, banner_h);
            let room = areas.status.y.saturating_sub(banner.bottom());
            (
                Some(banner),
                Rect::new(area.x, banner.bottom(), area.width, want.min(room)),
            )
        } else {
            let h = want.min(areas.body.height);
            (
                None,
                Rect::new(area.x, areas.status.y.saturating_sub(h), area.width, h),
            )
        };
        let hints_h =
            craft::hints_height(view, area.width).min(input.y.saturating_sub(areas.body.y));
        let hints = Rect::new(area.x, input.y.saturating_sub(hints_h), area.width, hints_h);
        Layer {
            banner,
            input,
            hints,
        }
    }

    /// Draws the layer; each part clears its rectangle first, so what was
    /// under it does not matter.
    pub(super) fn draw(
        self,
        buf: &mut Buffer,
        view: &View,
        purpose: InputPurpose,
        textarea: &TextArea<'static>,
        theme: Theme,
    ) {
        if let Some(banner) = self.banner {
            overlay::draw_safeword(buf, banner, view, theme);
        }
        input::InputBox {
            view,
            purpose,
            textarea,
            theme,
        }
        .render(self.input, buf);
        craft::draw_hints(buf, self.hints, view, theme);
    }

    /// The top row of what the layer covers above the status line (the
    /// box and its hints); None for a tangent, whose box sits under the
    /// banner at the top.
    pub(super) fn top(self) -> Option<u16> {
        if self.banner.is_some() {
            return None;
        }
        Some(if self.hints.is_empty() {
            self.input.y
        } else {
            self.hints.y
        })
    }
}

/// Everything a frame shows outside the input layer, as far as it can
/// change while the box is open: two frames with equal backdrops differ
/// only in the layer. The time is not in it: the timers on screen move
/// with the once-a-second tick, which draws the whole frame
/// (`Painter::time_moved`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backdrop {
    area: Rect,
    layer: Layer,
    purpose: InputPurpose,
    events: u64,
    selected: Option<usize>,
    status: Option<String>,
    save: SaveState,
    room: RoomView,
    show_talk: bool,
    screen: Screen,
    color: bool,
}

impl Backdrop {
    /// The backdrop of `view` drawn on a screen of `area`, while text is
    /// typed into the input box; None in every other mode (each of their
    /// frames is drawn whole).
    pub fn of(area: Rect, view: &View) -> Option<Backdrop> {
        let Mode::Input { purpose, textarea } = view.mode else {
            return None;
        };
        if area.width < super::MIN_WIDTH || area.height < super::MIN_HEIGHT {
            return None;
        }
        let areas = Areas::of(area, view);
        let layer = Layer::of(area, &areas, view, purpose, textarea);
        // A tangent's box sits apart from its banner: drawn whole.
        if layer.banner.is_some() {
            return None;
        }
        Some(Backdrop {
            area,
            layer,
            purpose,
            events: view.meeting.events(),
            selected: view.selected,
            status: view.status.map(str::to_string),
            save: view.save.clone(),
            room: view.room.clone(),
            show_talk: view.show_talk,
            screen: view.screen,
            color: view.color,
        })
    }

    /// The rows [`draw_layer`] draws, whole rows of the screen: all that
    /// can differ from the last frame of the same backdrop.
    pub fn band(&self) -> Rect {
        self.layer.input.union(self.layer.hints)
    }

    /// Where the box's text area is drawn: inside its borders, under the
    /// syntax line.
    fn text_area(&self, view: &View) -> Rect {
        let inner = Block::bordered().inner(self.layer.input);
        input::text_area(inner, self.purpose, view.meeting.section().kind)
    }
}

/// The rows of the input box's text as last drawn, each with what it
/// shows: a piece of a line of the text (lines wrap), the cursor in it,
/// a selection. Two draws of the same backdrop and hints whose rows are
/// equal drew the same cells there, so a key that changed one row (a typed
/// character) needs that row alone drawn and sent, as an editor sends the
/// one cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextRows {
    /// The text area on screen.
    area: Rect,
    /// The row (of wrapped lines) and column of the text at the area's
    /// top-left corner: where it scrolled to.
    scroll: (u16, u16),
    /// What each row of the area shows, top down.
    rows: Vec<TextRow>,
}

/// What one row of the text area shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct TextRow {
    /// The line of the text a piece of which is drawn there (lines wrap):
    /// its number, its text, and the column the piece starts at; None
    /// below the text.
    line: Option<(usize, String, usize)>,
    /// The cursor's column on this row, when it is on it.
    cursor: Option<usize>,
    /// The selection, when it touches this row's line.
    selected: Option<((usize, usize), (usize, usize))>,
}

impl TextRows {
    /// The text rows of `view`'s input box, drawn over `backdrop`, as the
    /// last draw of the text area left them (the text area remembers where
    /// it scrolled to when it is drawn, so this is read after drawing).
    /// None where a row may show something else than a piece of a line: a
    /// masked, numbered or aligned text, or none (the text area may show a
    /// placeholder).
    pub fn of(backdrop: &Backdrop, view: &View) -> Option<TextRows> {
        let Mode::Input { textarea, .. } = view.mode else {
            return None;
        };
        let plain = textarea.mask_char().is_none()
            && textarea.line_number_style().is_none()
            && textarea.alignment() == Alignment::Left
            && !textarea.is_empty();
        if !plain {
            return None;
        }
        let area = backdrop.text_area(view);
        let scroll = textarea.scroll_offset();
        let cursor = textarea.screen_cursor();
        let selection = textarea.selection_range();
        let lines = textarea.lines();
        let top = usize::from(scroll.0);
        let height = usize::from(area.height);
        // Where each row starts in the text; rows past the last clamp to
        // the last row's start.
        let starts: Vec<(usize, usize)> = (top..top + height)
            .map(|row| {
                let at = textarea.screen_to_data(row, 0);
                (at.0, at.1)
            })
            .collect();
        // The area's top row is a row of the text; a row that starts where
        // the one above it does is past the text's end.
        let past_end = |i: usize| i > 0 && starts[i] == starts[i - 1];
        let rows = (0..height)
            .map(|i| {
                if past_end(i) {
                    return TextRow::default();
                }
                let (line, from) = starts[i];
                TextRow {
                    line: lines.get(line).map(|l| (line, l.clone(), from)),
                    cursor: (cursor.row == top + i).then_some(cursor.col),
                    selected: selection.filter(|((r0, _), (r1, _))| (*r0..=*r1).contains(&line)),
                }
            })
            .collect();
        Some(TextRows { area, scroll, rows })
    }

    /// The character typed at the end of a line if that is all that
    /// changed in `view`'s text since these rows were drawn, with where it
    /// goes on screen (column, row). Only a plain case counts: a line of
    /// ASCII shown whole on one row, not scrolled sideways, with room after
    /// it for the cursor, no selection, the cursor at its end, a visible
    /// ASCII character added.
    /// The text area then draws the character where the cursor was, in the
    /// style of the character before it, and the cursor one cell on.
    pub fn typed_at_end(&self, view: &View) -> Option<(u16, u16, char)> {
        let Mode::Input { textarea, .. } = view.mode else {
            return None;
        };
        if textarea.selection_range().is_some() || self.scroll.1 != 0 {
            return None;
        }
        let (i, row) = self
            .rows
            .iter()
            .enumerate()
            .find(|(_, r)| r.cursor.is_some())?;
        let (index, before, from) = row.line.as_ref()?;
        let col = row.cursor?;
        let whole = *from == 0
            && self
                .rows
                .get(i + 1)
                .is_none_or(|next| next.line.as_ref().is_none_or(|(n, _, _)| n != index));
        let now = textarea.lines().get(*index)?;
        let typed = now.strip_prefix(before.as_str())?;
        let mut chars = typed.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return None;
        };
        let at_end = col == before.len()
            && textarea.cursor() == ratatui_textarea::DataCursor(*index, col + 1);
        let room = col + 2 < usize::from(self.area.width);
        let plain = before.is_ascii() && c.is_ascii_graphic() && col > 0 && !self.selected_any();
        if !(whole
            && at_end
            && room
            && plain
            && textarea.screen_cursor().row == usize::from(self.scroll.0) + i)
        {
            return None;
        }
        let x = self.area.x.checked_add(u16::try_from(col).ok()?)?;
        let y = self.area.y.checked_add(u16::try_from(i).ok()?)?;
        Some((x, y, c))
    }

    /// Whether any row showed a selection.
    fn selected_any(&self) -> bool {
        self.rows.iter().any(|r| r.selected.is_some())
    }

    /// The text area on screen.
    pub fn area(&self) -> Rect {
        self.area
    }

    /// The rows of the screen (`y`) that may differ between a frame drawn
    /// with `self` and one drawn with `next`: every row when the text
    /// area moved or scrolled.
    pub fn changed<'a>(&'a self, next: &'a TextRows) -> impl Iterator<Item = u16> + 'a {
        let all = self.area != next.area || self.scroll != next.scroll;
        let rows = self.area.top()..self.area.bottom();
        rows.zip(self.rows.iter().zip(&next.rows))
            .filter(move |(_, (a, b))| all || a != b)
            .map(|(y, _)| y)
    }
}

/// Draws the text being typed alone into `buf`, whose area is the text
/// area of [`TextRows::area`], as the input box draws it there.
pub fn draw_text(buf: &mut Buffer, view: &View) {
    if let Mode::Input { textarea, .. } = view.mode {
        textarea.render(buf.area, buf);
    }
}

/// Draws the input layer of `view` alone into `buf`, whose area is the
/// backdrop's [`Backdrop::band`] (every cell of it is drawn): the rows of
/// the frame [`super::draw`] would draw.
pub fn draw_layer(buf: &mut Buffer, backdrop: &Backdrop, view: &View) {
    let Mode::Input { purpose, textarea } = view.mode else {
        return;
    };
    backdrop
        .layer
        .draw(buf, view, purpose, textarea, Theme::new(view.color));
    super::paint::narrow_clusters(buf);
}
