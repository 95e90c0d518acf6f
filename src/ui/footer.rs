//! The status line and the one-line key hints, fed by the same key map as
//! the help overlay so the two never disagree.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::paint::{put, put_cut, width};
use super::theme::Theme;
use super::{KeyHelp, View};

/// The help key, which the footer always ends with.
const HELP_KEY: &str = "?";

/// Draws the status line: the app's message, if any.
pub fn draw_status(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    if let Some(status) = view.status {
        let x = area.x.saturating_add(1);
        put_cut(
            buf,
            area,
            x,
            area.y,
            status,
            area.width.saturating_sub(1),
            theme.status(),
        );
    }
}

/// Draws `hints` as `key label` pairs, as many as fit, then `end` at the right.
pub fn draw_hints(
    buf: &mut Buffer,
    area: Rect,
    hints: &[(&str, &str)],
    end: Option<(&str, &str)>,
    theme: Theme,
) {
    let cost = |(k, l): (&str, &str)| width(k) + width(l) + 3;
    let end_w = end.map_or(0, cost);
    let room = usize::from(area.width).saturating_sub(end_w);
    let mut x = area.x;
    let mut used = 0;
    for &(k, l) in hints {
        let w = cost((k, l));
        if used + w > room {
            break;
        }
        x = hint(buf, area, x, k, l, theme);
        used += w;
    }
    if let Some((k, l)) = end {
        let w = u16::try_from(end_w).unwrap_or(u16::MAX);
        let x = area.right().saturating_sub(w).max(x);
        hint(buf, area, x, k, l, theme);
    }
}

fn hint(buf: &mut Buffer, area: Rect, x: u16, key: &str, label: &str, theme: Theme) -> u16 {
    let x = put(buf, area, x, area.y, " ", 1, theme.text());
    let x = put(buf, area, x, area.y, key, area.width, theme.key());
    let x = put(buf, area, x, area.y, " ", 1, theme.text());
    let x = put(buf, area, x, area.y, label, area.width, theme.text());
    put(buf, area, x, area.y, " ", 1, theme.text())
}

/// The footer rows of the key map, and the help row to end with.
fn split(keys: &[KeyHelp]) -> (Vec<(&str, &str)>, (&str, &str)) {
    let mut help = (HELP_KEY, "help");
    let mut hints = Vec::new();
    for k in keys {
        match k.footer {
            Some(label) if k.keys == HELP_KEY => help = (k.keys, label),
            Some(label) => hints.push((k.keys, label)),
            None => {}
        }
    }
    (hints, help)
}

/// Draws the meeting screen's footer: key hints, ending with `? help`.
pub fn draw_keys(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    let (hints, help) = split(view.keys);
    draw_hints(buf, area, &hints, Some(help), theme);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_row_is_taken_out_to_end_the_line() {
        let keys = [
            KeyHelp {
                keys: "?",
                what: "help",
                footer: Some("help!"),
                group: "g",
            },
            KeyHelp {
                keys: "a",
                what: "add",
                footer: Some("add"),
                group: "g",
            },
            KeyHelp {
                keys: "u",
                what: "undo",
                footer: None,
                group: "g",
            },
        ];
        let (hints, help) = split(&keys);
        assert_eq!(hints, [("a", "add")]);
        assert_eq!(help, ("?", "help!"));
    }
}
