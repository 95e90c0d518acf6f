//! The full help overlay: every row of the key map, grouped, in as many
//! columns as the screen needs and holds.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Widget};

use super::paint::{ELLIPSIS, clear, put, put_cut, width};
use super::theme::Theme;
use super::{KeyHelp, View};

/// Columns between two columns of help.
const GAP: u16 = 3;

enum Entry<'a> {
    Group(&'a str),
    Key(&'a KeyHelp),
    Blank,
}

/// The key map as lines, groups in the order they first appear.
fn entries<'a>(keys: &'a [KeyHelp]) -> Vec<Entry<'a>> {
    let mut groups: Vec<&str> = Vec::new();
    for k in keys {
        if !groups.contains(&k.group) {
            groups.push(k.group);
        }
    }
    let mut out = Vec::with_capacity(keys.len() + 2 * groups.len());
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            out.push(Entry::Blank);
        }
        out.push(Entry::Group(g));
        out.extend(keys.iter().filter(|k| k.group == *g).map(Entry::Key));
    }
    out
}

/// Draws the help overlay over the whole of `area`.
pub fn draw(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    clear(buf, area);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.border())
        .title(Span::styled(" Help · every key ", theme.panel_title()))
        .title_bottom(
            Line::from(Span::styled(" any key closes help ", theme.strong())).right_aligned(),
        );
    let inner = block.inner(area);
    block.render(area, buf);
    let inner = Rect::new(
        inner.x.saturating_add(1),
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    if inner.is_empty() {
        return;
    }

    let lines = entries(view.keys);
    if lines.is_empty() {
        put_cut(
            buf,
            inner,
            inner.x,
            inner.y,
            "no keys",
            inner.width,
            theme.quiet(),
        );
        return;
    }
    let key_w = view.keys.iter().map(|k| width(k.keys)).max().unwrap_or(0) + 2;
    let what_w = view.keys.iter().map(|k| width(k.what)).max().unwrap_or(0);
    let key_w = u16::try_from(key_w).unwrap_or(u16::MAX);
    let col_min = key_w
        .saturating_add(1)
        .saturating_add(u16::try_from(what_w.min(40)).unwrap_or(40))
        .saturating_add(GAP);
    let rows = usize::from(inner.height);
    let needed = lines.len().div_ceil(rows).max(1);
    let fit = usize::from((inner.width.saturating_add(GAP) / col_min.max(1)).max(1));
    let cols = needed.min(fit);
    let cols_u16 = u16::try_from(cols).unwrap_or(u16::MAX).max(1);
    let col_w = (inner.width.saturating_add(GAP) / cols_u16).saturating_sub(GAP);

    // Place every line first, so an overflow can be marked where it starts.
    let mut placed: Vec<(usize, usize, &Entry)> = Vec::with_capacity(lines.len());
    let (mut col, mut row) = (0usize, 0usize);
    for line in &lines {
        let blank = matches!(line, Entry::Blank);
        if blank && row == 0 {
            continue;
        }
        // A group heading never sits alone at the foot of a column.
        let heading_at_foot = matches!(line, Entry::Group(_)) && row + 1 >= rows;
        if row >= rows || heading_at_foot {
            col += 1;
            row = 0;
            if blank {
                continue;
            }
        }
        placed.push((col, row, line));
        row += 1;
    }
    let overflow = placed.iter().position(|(c, _, _)| *c >= cols);
    if let Some(at) = overflow {
        placed.truncate(at);
    }
    let last = placed.len().saturating_sub(1);
    for (i, &(col, row, line)) in placed.iter().enumerate() {
        let x = inner.x.saturating_add(
            u16::try_from(col)
                .unwrap_or(u16::MAX)
                .saturating_mul(col_w.saturating_add(GAP)),
        );
        let y = inner
            .y
            .saturating_add(u16::try_from(row).unwrap_or(u16::MAX));
        if overflow.is_some() && i == last {
            put(buf, inner, x, y, ELLIPSIS, 1, theme.strong());
            break;
        }
        match line {
            Entry::Group(g) => {
                put_cut(buf, inner, x, y, g, col_w, theme.panel_title().underlined());
            }
            Entry::Key(k) => {
                let end = put(buf, inner, x, y, " ", 1, theme.key());
                let end = put(buf, inner, end, y, k.keys, key_w, theme.key());
                put(buf, inner, end, y, " ", 1, theme.key());
                let wx = x.saturating_add(key_w).saturating_add(1);
                put_cut(
                    buf,
                    inner,
                    wx,
                    y,
                    k.what,
                    col_w.saturating_sub(key_w.saturating_add(1)),
                    theme.text(),
                );
            }
            Entry::Blank => {}
        }
    }
}
