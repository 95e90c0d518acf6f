//! What is drawn over the meeting screen: the safeword, the quit question,
//! the "time is up" offer, and the too-small message that replaces it all.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Widget};

use super::paint::{boxed, cells, clear, put, put_centred, width};
use super::theme::Theme;
use super::wrap::{Run, wrap};
use super::{MIN_HEIGHT, MIN_WIDTH, SaveState, View, big};

/// Rows of the solid bar the safeword is written on when no big letters fit.
const FALLBACK_ROWS: u16 = 3;

/// Rows the safeword banner wants in a frame of `area`, borders included.
pub fn safeword_height(view: &View, area: Rect) -> u16 {
    let word = view.meeting.agenda().safeword.to_uppercase();
    let inner_w = area.width.saturating_sub(2);
    let tall = area.height >= 40;
    let glyph_rows = [8u16, 4]
        .into_iter()
        .filter(|&h| tall || h <= 4)
        .find(|&h| big::fit(&word, Rect::new(0, 0, inner_w, h)).is_some_and(|f| f.1 == h));
    // Big letters, a line under them, borders; or a three-row bar when none fit.
    glyph_rows.unwrap_or(FALLBACK_ROWS) + 1 + 2
}

/// Who raised the tangent and where, for the banner.
fn raised(view: &View) -> String {
    let m = view.meeting;
    let who = m
        .speaker()
        .and_then(|(p, _)| m.people().get(p))
        .map_or("no one marked as speaking", |p| p.name.as_str());
    format!("parked from {}, raised by {who}", m.section().title)
}

/// Draws the safeword across `area`, as large as it fits.
pub fn draw_safeword(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    clear(buf, area);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.safeword())
        .title(Span::styled(
            " SAFEWORD · tangent parked ",
            theme.safeword(),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let word = view.meeting.agenda().safeword.to_uppercase();
    let big_area = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(1),
    );
    if !big::draw(buf, big_area, &word, theme.safeword(), true) {
        // No big letters fit (or the font lacks them): spaced capitals on a
        // solid bar three rows tall, still the loudest thing on screen.
        let spaced: String = word
            .chars()
            .flat_map(|c| [c, ' '])
            .collect::<String>()
            .trim_end()
            .to_string();
        let text = if width(&spaced) + 2 <= usize::from(inner.width) {
            spaced
        } else {
            word
        };
        let rows = FALLBACK_ROWS.min(big_area.height);
        let top = big_area
            .y
            .saturating_add(big_area.height.saturating_sub(rows) / 2);
        let w = cells(width(&text) + 4).min(big_area.width);
        let bar = Rect::new(big_area.x + (big_area.width - w) / 2, top, w, rows);
        super::paint::fill(buf, bar, theme.alarm());
        put_centred(buf, bar, top.saturating_add(rows / 2), &text, theme.alarm());
    }
    let y = inner.bottom().saturating_sub(1);
    put_centred(buf, inner, y, &raised(view), theme.strong());
}

/// Draws the quit question in a box centred in `area`.
pub fn draw_confirm_quit(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    let (saved, style) = match &view.save {
        SaveState::Saved => ("Everything is saved.".to_string(), theme.strong()),
        SaveState::Saving => (
            "The last changes are still being saved.".to_string(),
            theme.warning(),
        ),
        SaveState::Failed(why) => (format!("✗ NOT SAVED: {why}"), theme.alarm()),
    };
    let (title, ask) = if view.keys.leaves {
        (
            "Leave the meeting",
            "Leave? It goes on without this terminal.",
        )
    } else {
        ("Quit hotwash", "Quit?")
    };
    let lines = [
        (format!("{ask} {saved}"), style),
        (super::footer::line(&view.keys.quit), theme.text()),
    ];
    let want = lines.iter().map(|(l, _)| width(l)).max().unwrap_or(0) + 6;
    let inner = boxed(buf, area, cells(want), 6, title, theme);
    for (i, (text, style)) in lines.iter().enumerate() {
        let y = inner.y.saturating_add(1 + cells(i));
        if y < inner.bottom() {
            put_centred(buf, inner, y, text, *style);
        }
    }
}

/// Rows the "time is up" panel takes, borders included.
pub const OFFER_HEIGHT: u16 = 4;

/// Draws the "time is up" offer across the top of `area`.
pub fn draw_offer(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    let rect = Rect::new(area.x, area.y, area.width, OFFER_HEIGHT.min(area.height));
    clear(buf, rect);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.overtime())
        .title(Span::styled(" TIME IS UP ", theme.alarm()));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let x = inner.x.saturating_add(1);
    let w = inner.width.saturating_sub(1);
    let title = format!("Time is up for {}.", view.meeting.section().title);
    super::paint::put_cut(buf, inner, x, inner.y, &title, w, theme.overtime());
    let y = inner.y.saturating_add(1);
    let mut cx = x;
    for (
        i,
        super::Hint {
            keys: key,
            label: what,
        },
    ) in view.keys.offer.iter().enumerate()
    {
        if i > 0 {
            cx = put(buf, inner, cx, y, " · ", 3, theme.text());
        }
        cx = put(buf, inner, cx, y, &format!(" {key} "), 8, theme.key());
        cx = put(buf, inner, cx, y, " ", 1, theme.text());
        cx = put(buf, inner, cx, y, what, inner.width, theme.strong());
    }
}

/// Draws only the "make the window larger" message, centred and wrapped to
/// whatever fits (at 1x1 that is one letter; at 0x0 nothing).
pub fn draw_too_small(buf: &mut Buffer, area: Rect, theme: Theme) {
    let text = format!(
        "hotwash needs at least {MIN_WIDTH}x{MIN_HEIGHT} — this window is {}x{}. Make the window larger.",
        area.width, area.height
    );
    let runs = [Run::new(text.as_str(), theme.strong())];
    let wrapped = wrap(&runs, area.width, 0, usize::from(area.height));
    let h = cells(wrapped.rows.len());
    let top = area.y.saturating_add(area.height.saturating_sub(h) / 2);
    for (i, row) in wrapped.rows.iter().enumerate() {
        let line: String = row.pieces.iter().map(|p| p.text).collect();
        let line = line.trim();
        let y = top.saturating_add(cells(i));
        let w = cells(width(line));
        let x = area.x.saturating_add(area.width.saturating_sub(w) / 2);
        put(buf, area, x, y, line, area.width, theme.strong());
    }
}
