//! The room as a terminal shows it: the raised hands (in the facilitator's
//! roster) and the facilitator's room card (`r`): who is joined, how to
//! join, and the keys asking to.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::View;
use super::paint::{boxed, cells, clear, put_cut, width};
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
    /// A voter's own dots and pulse answers, on their terminal only (the
    /// meeting knows only counts); none on the facilitator's.
    pub mine: Option<Mine>,
}

/// What one joined terminal cast, as the host keeps it for that terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mine {
    /// Its dots, by factor.
    pub dots: Vec<(crate::meeting::ItemId, u32)>,
    /// Its answers to the pulse.
    pub answers: Vec<(crate::meeting::PulseQuestion, u8)>,
}

impl Mine {
    /// Dots cast on the live factors of `section` (a deleted factor's
    /// dots are the voter's to give again).
    pub fn used(&self, m: &crate::meeting::Meeting, section: usize) -> u32 {
        dots_used(m, section, self.dots.iter().copied())
    }
}

/// Of `dots`, those on the live factors of `section`, summed.
pub fn dots_used(
    m: &crate::meeting::Meeting,
    section: usize,
    dots: impl IntoIterator<Item = (crate::meeting::ItemId, u32)>,
) -> u32 {
    dots.into_iter()
        .filter(|(id, _)| {
            m.item(*id)
                .is_some_and(|i| !i.deleted && i.section == section)
        })
        .fold(0u32, |a, (_, n)| a.saturating_add(n))
}

/// A voter's own dots (while voting) or answers (in the pulse), on the
/// last row of `area`: what they cast is theirs to see, not the room's.
pub fn draw_mine(buf: &mut Buffer, area: Rect, view: &View, pulse: bool, theme: Theme) {
    let Some(mine) = &view.room.mine else {
        return;
    };
    let m = view.meeting;
    let text = if pulse {
        let answers: Vec<String> = crate::meeting::PulseQuestion::ALL
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let a = mine.answers.iter().find(|(aq, _)| aq == q);
                match a {
                    Some((_, s)) => format!("{}. {s}", i + 1),
                    None => format!("{}. not yet", i + 1),
                }
            })
            .collect();
        format!(
            " Your answers: {} (only counts are kept) ",
            answers.join(" · ")
        )
    } else {
        let section = m.current();
        let mut parts = Vec::new();
        for (id, n) in &mine.dots {
            if *n == 0 || dots_used(m, section, [(*id, *n)]) == 0 {
                continue;
            }
            let name = m
                .factor_number(*id)
                .map_or_else(|| "a factor".to_string(), |f| format!("F{f}"));
            let shown = usize::try_from((*n).min(9)).unwrap_or(9);
            parts.push(format!("{name} {}", "●".repeat(shown)));
        }
        let used = mine.used(m, section);
        let each = m.vote(section).map_or(0, |v| v.votes_each);
        let cast = if parts.is_empty() {
            "none yet".to_string()
        } else {
            parts.join(", ")
        };
        format!(
            " Your dots: {cast} — {} of {each} left (only counts are kept) ",
            each.saturating_sub(used)
        )
    };
    let y = area.bottom().saturating_sub(1);
    if area.height == 0 || y < area.y {
        return;
    }
    let row = Rect::new(area.x, y, area.width, 1);
    clear(buf, row);
    put_cut(buf, row, area.x, y, &text, area.width, theme.field());
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
    let inner = boxed(
        buf,
        area,
        cells(want),
        cells(lines.len() + 2),
        "The room",
        theme,
    );
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
