//! The room as a terminal shows it: the raised hands (in the facilitator's
//! roster) and the facilitator's room card (`r`): who is joined, how to
//! join, and the keys asking to.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Widget};

use super::View;
use super::paint::{cells, clear, put_cut, width};
use super::theme::Theme;

/// The room, as the host tells a terminal about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoomView {
    /// Raised hands, in the order they went up (the facilitator's roster).
    pub hands: Vec<String>,
    /// The room card's lines, already free of control characters.
    pub card: Vec<String>,
    /// The key asking to join, as the card names it (fingerprint and role).
    pub asking: Option<String>,
}

/// The raised hands as one line for the roster, if any are up.
pub fn hands_line(view: &View) -> Option<String> {
    let hands = &view.room.hands;
    (!hands.is_empty()).then(|| {
        let list: Vec<String> = hands
            .iter()
            .enumerate()
            .map(|(i, h)| format!("{}. {h}", i + 1))
            .collect();
        format!("hands up, in order: {}", list.join(", "))
    })
}

/// Draws the room card in a box centred in `area`.
pub fn draw_card(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    let mut lines: Vec<(String, ratatui::style::Style)> = view
        .room
        .card
        .iter()
        .map(|l| (l.clone(), theme.text()))
        .collect();
    if let Some(asking) = &view.room.asking {
        lines.push((String::new(), theme.text()));
        lines.push((format!("Asking to join: {asking}"), theme.warning()));
    }
    lines.push((String::new(), theme.text()));
    // y / n only while a key asks; closing always.
    let hints = if view.room.asking.is_some() {
        &view.keys.room[..]
    } else {
        view.keys
            .room
            .get(view.keys.room.len().saturating_sub(1)..)
            .unwrap_or(&[])
    };
    lines.push((super::footer::line(hints), theme.key()));
    let want = lines.iter().map(|(l, _)| width(l)).max().unwrap_or(0) + 4;
    let w = cells(want).min(area.width);
    let h = cells(lines.len() + 2).min(area.height);
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
        .title(Span::styled(" The room ", theme.panel_title()));
    let inner = block.inner(rect);
    block.render(rect, buf);
    for (i, (text, style)) in lines.iter().enumerate() {
        let y = inner.y.saturating_add(cells(i));
        let x = inner.x.saturating_add(1);
        put_cut(
            buf,
            inner,
            x,
            y,
            text,
            inner.width.saturating_sub(1),
            *style,
        );
    }
}
