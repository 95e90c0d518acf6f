//! The status line and the one-line key hints, fed by the same key tables
//! as the help overlay so the two never disagree.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::paint::{put, put_cut, width};
use super::theme::Theme;
use super::{Hint, View};

/// Draws the status line: the app's message, if any.
pub fn draw_status(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    if let Some(status) = view.status {
        let style = if view.screen.error {
            theme.warning()
        } else {
            theme.status()
        };
        let x = area.x.saturating_add(1);
        put_cut(
            buf,
            area,
            x,
            area.y,
            status,
            area.width.saturating_sub(1),
            style,
        );
    }
}

/// Draws `hints` as `key label` pairs, as many as fit, then `end` at the right.
pub fn draw_hints<'h>(
    buf: &mut Buffer,
    area: Rect,
    hints: impl IntoIterator<Item = &'h Hint>,
    end: Option<&Hint>,
    theme: Theme,
) {
    let cost = |h: &Hint| width(&h.keys) + width(h.label) + 3;
    let end_w = end.map_or(0, cost);
    let room = usize::from(area.width).saturating_sub(end_w);
    let mut x = area.x;
    let mut used = 0;
    for h in hints {
        let w = cost(h);
        if used + w > room {
            break;
        }
        x = hint(buf, area, x, &h.keys, h.label, theme);
        used += w;
    }
    if let Some(h) = end {
        let w = u16::try_from(end_w).unwrap_or(u16::MAX);
        let x = area.right().saturating_sub(w).max(x);
        hint(buf, area, x, &h.keys, h.label, theme);
    }
}

fn hint(buf: &mut Buffer, area: Rect, x: u16, key: &str, label: &str, theme: Theme) -> u16 {
    let x = put(buf, area, x, area.y, " ", 1, theme.text());
    let x = put(buf, area, x, area.y, key, area.width, theme.key());
    let x = put(buf, area, x, area.y, " ", 1, theme.text());
    let x = put(buf, area, x, area.y, label, area.width, theme.text());
    put(buf, area, x, area.y, " ", 1, theme.text())
}

/// Draws the meeting screen's footer: the keys that work here and now,
/// most useful first, ending with `? help`.
pub fn draw_keys(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    let keys = view.keys;
    let here = keys
        .footer_where
        .iter()
        .filter(|(when, _)| when.holds(view))
        .map(|(_, h)| h);
    draw_hints(buf, area, here, keys.footer_end.as_ref(), theme);
}

/// `hints` as one line: `Enter add · Esc cancel`.
pub fn line(hints: &[Hint]) -> String {
    hints
        .iter()
        .map(|h| format!("{} {}", h.keys, h.label))
        .collect::<Vec<_>>()
        .join(" · ")
}
