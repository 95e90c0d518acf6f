//! Writing into the buffer without ever leaving the frame: every write is
//! clipped, so a tiny or odd-sized terminal cannot make drawing panic.

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Widget};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

use super::theme::Theme;

/// The ellipsis that marks text cut short.
pub const ELLIPSIS: &str = "…";

/// The display width of one grapheme, as the buffer will count it (0 for
/// the controls the buffer drops, so wrapping and drawing agree).
pub fn grapheme_width(g: &str) -> u16 {
    if g.contains(char::is_control) {
        0
    } else {
        g.cell_width()
    }
}

/// The display width of `text`, as the buffer will count it.
pub fn width(text: &str) -> usize {
    text.graphemes(true)
        .map(|g| usize::from(grapheme_width(g)))
        .sum()
}

/// Writes `text` at (`x`, `y`) within `clip` and at most `max` columns;
/// returns the column after the last one written.
pub fn put(
    buf: &mut Buffer,
    clip: Rect,
    x: u16,
    y: u16,
    text: &str,
    max: u16,
    style: Style,
) -> u16 {
    let clip = clip.intersection(buf.area);
    if y < clip.top() || y >= clip.bottom() || x < clip.left() || x >= clip.right() {
        return x;
    }
    let room = (clip.right() - x).min(max);
    buf.set_stringn(x, y, text, usize::from(room), style).0
}

/// Writes `text` like [`put`], ending it with `…` when it does not fit in `max`.
pub fn put_cut(
    buf: &mut Buffer,
    clip: Rect,
    x: u16,
    y: u16,
    text: &str,
    max: u16,
    style: Style,
) -> u16 {
    let clip_room = room_from(buf, clip, x, max);
    if width(text) <= usize::from(clip_room) {
        return put(buf, clip, x, y, text, clip_room, style);
    }
    let end = put(buf, clip, x, y, text, clip_room.saturating_sub(1), style);
    put(buf, clip, end, y, ELLIPSIS, 1, style)
}

/// Writes `text` like [`put`], shortened in its middle when it does not fit
/// in `max`, so that its end (a ticket number, a role) stays.
pub fn put_middle(
    buf: &mut Buffer,
    clip: Rect,
    x: u16,
    y: u16,
    text: &str,
    max: u16,
    style: Style,
) -> u16 {
    let room = room_from(buf, clip, x, max);
    let shown = crate::app::shorten_middle(text, usize::from(room));
    put(buf, clip, x, y, &shown, room, style)
}

/// Columns from `x` to the right edge of `clip` (within the buffer), at
/// most `max`.
fn room_from(buf: &Buffer, clip: Rect, x: u16, max: u16) -> u16 {
    clip.intersection(buf.area)
        .right()
        .saturating_sub(x)
        .min(max)
}

/// A count of cells (a width, a number of rows, an index) as a terminal
/// coordinate: anything past what a terminal can address is as good as all
/// of it, so it saturates.
pub fn cells(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Writes `text` centred in the row `y` of `area`, cut with `…` if too wide.
pub fn put_centred(buf: &mut Buffer, area: Rect, y: u16, text: &str, style: Style) {
    let w = cells(width(text));
    let x = area.x.saturating_add(area.width.saturating_sub(w) / 2);
    put_cut(buf, area, x, y, text, area.width, style);
}

/// Sets `style` on every cell of `area` that lies in the buffer.
pub fn fill(buf: &mut Buffer, area: Rect, style: Style) {
    buf.set_style(area.intersection(buf.area), style);
}

/// Blanks `area` (clipped), as ratatui's `Clear` does, for overlays.
pub fn clear(buf: &mut Buffer, area: Rect) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                cell.reset();
            }
        }
    }
}

/// Columns a terminal that draws one character at a time (no joined emoji,
/// as xterm, VTE and most others) gives `symbol`: each character its own width.
fn width_char_by_char(symbol: &str) -> u16 {
    symbol.chars().map(|c| cells(c.width().unwrap_or(0))).sum()
}

/// Makes every cell safe for terminals that draw one character at a time.
///
/// The layout gives a grapheme cluster the width Unicode says: two columns
/// for a family emoji joined with ZWJ (👩‍👩‍👧) or a thumb with a skin
/// tone (👍🏽). Most terminals draw each of its characters instead, six or
/// four columns, over the cells to its right; whatever the next frame
/// leaves unchanged there (a panel's border, the roster) stays overwritten.
/// Such a cluster is drawn as its first character alone (👩, 👍), which
/// every terminal draws in the columns the layout gave it. Only the screen
/// changes: the journal and the minutes keep the text as typed.
pub fn narrow_clusters(buf: &mut Buffer) {
    for cell in &mut buf.content {
        let symbol = cell.symbol();
        if symbol.chars().nth(1).is_none() {
            continue;
        }
        let room = symbol.cell_width();
        if width_char_by_char(symbol) <= room {
            continue;
        }
        let mut used = 0;
        let kept: String = symbol
            .chars()
            .take_while(|&c| {
                used += cells(c.width().unwrap_or(0));
                used <= room
            })
            .collect();
        // A joiner left at the end could join whatever follows it.
        let kept = kept.trim_end_matches('\u{200d}');
        cell.set_symbol(if kept.is_empty() { " " } else { kept });
    }
}

/// A centred, double-bordered box of `w` by `h` in `area`, cleared; its inside.
pub fn boxed(buf: &mut Buffer, area: Rect, w: u16, h: u16, title: &str, theme: Theme) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let rect = Rect::new(
        area.x + area.width.saturating_sub(w) / 2,
        area.y + area.height.saturating_sub(h) / 2,
        w,
        h,
    );
    clear(buf, rect);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.strong())
        .title(Span::styled(format!(" {title} "), theme.panel_title()));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_counts_saturate_at_what_a_terminal_can_address() {
        assert_eq!(cells(0), 0);
        assert_eq!(cells(80), 80);
        assert_eq!(cells(usize::from(u16::MAX)), u16::MAX);
        assert_eq!(cells(100_000), u16::MAX);
    }

    #[test]
    fn writes_outside_the_buffer_are_dropped() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 3, 1));
        let area = Rect::new(0, 0, 10, 10);
        assert_eq!(put(&mut buf, area, 0, 5, "x", 9, Style::new()), 0);
        assert_eq!(put(&mut buf, area, 7, 0, "x", 9, Style::new()), 7);
        assert_eq!(put(&mut buf, area, 1, 0, "abcdef", 9, Style::new()), 3);
        assert_eq!(buf, Buffer::with_lines([" ab"]));
    }

    #[test]
    fn cut_text_ends_in_an_ellipsis() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        put_cut(
            &mut buf,
            Rect::new(0, 0, 6, 1),
            0,
            0,
            "abcdefgh",
            6,
            Style::new(),
        );
        assert_eq!(buf, Buffer::with_lines(["abcde…"]));
        assert_eq!(width("出口👩‍👩‍👧a"), 7);
    }

    #[test]
    fn joined_emoji_are_drawn_in_the_columns_the_layout_gave_them() {
        let text = "a👩\u{200d}👩\u{200d}👧b👍🏽c❤\u{fe0f}\u{200d}🔥de\u{301}出🇺🇸";
        let mut buf = Buffer::empty(Rect::new(0, 0, 16, 1));
        buf.set_string(0, 0, text, Style::new());
        let before: Vec<u16> = buf
            .content
            .iter()
            .map(|c| c.symbol().cell_width())
            .collect();
        narrow_clusters(&mut buf);
        let symbols: Vec<&str> = buf.content.iter().map(|c| c.symbol()).collect();
        assert_eq!(
            symbols,
            [
                "a",
                "👩",
                " ",
                "b",
                "👍",
                " ",
                "c",
                "❤\u{fe0f}",
                " ",
                "d",
                "e\u{301}",
                "出",
                " ",
                "🇺🇸",
                " ",
                " "
            ]
        );
        for (cell, width) in buf.content.iter().zip(before) {
            // The layout is unchanged, and no terminal draws past it.
            assert_eq!(cell.symbol().cell_width(), width, "{:?}", cell.symbol());
            assert!(
                width_char_by_char(cell.symbol()) <= width,
                "{:?}",
                cell.symbol()
            );
        }
    }
}
