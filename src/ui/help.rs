//! The full help overlay: every row of the key map, grouped, in as many
//! columns as the screen needs and holds; on pages, turned with a key, when
//! they do not fit on one (80x24).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use ratatui::style::Style;

use super::footer::line;
use super::paint::{clear, fill, put, put_cut, width};
use super::theme::Theme;
use super::wrap::{Run, draw as draw_rows, wrap};
use super::{HelpLine, View};

/// Columns between two columns of help.
const GAP: u16 = 3;
/// The short label of the key that turns the help's pages: the title bar
/// shows it only when there are pages to turn.
pub const HELP_PAGES: &str = "more keys";
/// Narrowest a description column may get before another column is refused.
const WHAT_MIN: u16 = 18;

enum Entry<'a> {
    Group(&'a str),
    Key(&'a HelpLine),
    Blank,
}

/// The key map as lines, groups in the order they first appear; rows with
/// nothing to say (a key that only shares another row's line) are left out.
fn entries<'a>(keys: &'a [HelpLine]) -> Vec<Entry<'a>> {
    let keys: Vec<&HelpLine> = keys.iter().filter(|k| !k.what.is_empty()).collect();
    let mut groups: Vec<&str> = Vec::new();
    for k in &keys {
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
        out.extend(keys.iter().filter(|k| k.group == *g).map(|k| Entry::Key(k)));
    }
    out
}

/// Where the lines go: for each shown entry, (column, row, rows it takes).
struct Placement {
    at: Vec<(usize, usize, usize, usize)>,
    overflow: bool,
}

/// How tightly the help is packed.
#[derive(Debug, Clone, Copy)]
struct Packing {
    /// Blank lines between groups.
    blanks: bool,
}

/// On pages, every description is whole and the groups keep their blank
/// lines: there is room to turn to.
const PAGED: Packing = Packing { blanks: true };

/// From roomiest to tightest: blank lines go first; a description is
/// never cut (pages hold what one screen does not).
const PACKINGS: [Packing; 2] = [Packing { blanks: true }, Packing { blanks: false }];

/// Flows the entries down `cols` columns of `rows` rows; a key's
/// description wraps in `what_w` columns.
fn place(lines: &[Entry], cols: usize, rows: usize, what_w: u16, pack: Packing) -> Placement {
    let blanks = pack.blanks;
    let height = |line: &Entry| match line {
        Entry::Blank | Entry::Group(_) => 1,
        Entry::Key(k) => {
            let runs = [Run::new(k.what, Style::new())];
            wrap(&runs, what_w, 0, rows).rows.len().max(1)
        }
    };
    let mut at = Vec::with_capacity(lines.len());
    let (mut col, mut row) = (0usize, 0usize);
    for (i, line) in lines.iter().enumerate() {
        if matches!(line, Entry::Blank) && (!blanks || row == 0) {
            continue;
        }
        let h = height(line);
        // A heading never sits alone at the foot of a column.
        let need = if matches!(line, Entry::Group(_)) {
            h + lines.get(i + 1).map_or(0, height)
        } else {
            h
        };
        if row + need.min(rows) > rows {
            if matches!(line, Entry::Blank) {
                continue;
            }
            col += 1;
            row = 0;
        }
        if col >= cols {
            return Placement { at, overflow: true };
        }
        at.push((i, col, row, h.min(rows)));
        row += h;
    }
    Placement {
        at,
        overflow: false,
    }
}

/// Draws the help overlay over the whole of `area`.
pub fn draw(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    clear(buf, area);
    let inner = Rect::new(
        area.x.saturating_add(1),
        area.y.saturating_add(1),
        area.width.saturating_sub(2),
        area.height.saturating_sub(1),
    );
    if inner.is_empty() {
        title_bar(buf, area, view, (0, 1), theme);
        return;
    }
    let lines = entries(&view.keys.help);
    if lines.is_empty() {
        title_bar(buf, area, view, (0, 1), theme);
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

    let key_w = view
        .keys
        .help
        .iter()
        .map(|k| width(&k.keys))
        .max()
        .unwrap_or(0)
        + 2;
    let key_w = u16::try_from(key_w).unwrap_or(u16::MAX);
    let rows = usize::from(inner.height);
    let col_w = |cols: usize| {
        let cols = u16::try_from(cols).unwrap_or(u16::MAX).max(1);
        (inner.width.saturating_add(GAP) / cols).saturating_sub(GAP)
    };
    let what_w = |cols| col_w(cols).saturating_sub(key_w.saturating_add(1));
    let max_cols = (1..=lines.len())
        .take_while(|&c| c == 1 || what_w(c) >= WHAT_MIN)
        .last()
        .unwrap_or(1);
    // The roomiest packing in the fewest columns that holds everything;
    // else pages of `max_cols` columns, every description whole.
    let (cols, placed, pages) = PACKINGS
        .iter()
        .find_map(|&pack| {
            (1..=max_cols)
                .map(|c| (c, place(&lines, c, rows, what_w(c), pack), 1))
                .find(|(_, p, _)| !p.overflow)
        })
        .unwrap_or_else(|| {
            let p = place(&lines, lines.len(), rows, what_w(max_cols), PAGED);
            let used =
                p.at.iter()
                    .map(|&(_, col, _, _)| col + 1)
                    .max()
                    .unwrap_or(1);
            (max_cols, p, used.div_ceil(max_cols))
        });
    let page = view.screen.help_page % pages.max(1);
    title_bar(buf, area, view, (page, pages), theme);
    // Columns as wide as their longest line, centred: on a wide screen the
    // help sits in the middle of the room's view, not along its left edge.
    let longest = view
        .keys
        .help
        .iter()
        .map(|k| width(k.what))
        .max()
        .unwrap_or(0);
    let what_w = what_w(cols).min(u16::try_from(longest).unwrap_or(u16::MAX));
    let col_w = key_w.saturating_add(1).saturating_add(what_w);
    let cols_u16 = u16::try_from(cols).unwrap_or(u16::MAX);
    let total = cols_u16
        .saturating_mul(col_w)
        .saturating_add(cols_u16.saturating_sub(1).saturating_mul(GAP));
    let left = inner.x + inner.width.saturating_sub(total) / 2;
    for &(i, col, row, h) in &placed.at {
        if col / cols != page {
            continue;
        }
        let col = col % cols;
        let x = left.saturating_add(
            u16::try_from(col)
                .unwrap_or(u16::MAX)
                .saturating_mul(col_w.saturating_add(GAP)),
        );
        let y = inner
            .y
            .saturating_add(u16::try_from(row).unwrap_or(u16::MAX));
        match &lines[i] {
            Entry::Group(g) => {
                put_cut(buf, inner, x, y, g, col_w, theme.panel_title().underlined());
            }
            Entry::Key(k) => {
                let end = put(buf, inner, x, y, " ", 1, theme.key());
                let end = put(buf, inner, end, y, &k.keys, key_w, theme.key());
                put(buf, inner, end, y, " ", 1, theme.key());
                let wx = x.saturating_add(key_w).saturating_add(1);
                let runs = [Run::new(k.what, theme.text())];
                let wrapped = wrap(&runs, what_w, 0, h);
                draw_rows(buf, inner, wx, y, &wrapped, what_w, None);
            }
            Entry::Blank => {}
        }
    }
}

/// The title bar, instead of a frame (at 80x24 the two rows a frame costs
/// are a page's worth of keys): which page of how many, and the keys that
/// turn the pages (only when there are several) and close the help.
fn title_bar(
    buf: &mut Buffer,
    area: Rect,
    view: &View,
    (page, pages): (usize, usize),
    theme: Theme,
) {
    let bar = Rect::new(area.x, area.y, area.width, area.height.min(1));
    fill(buf, bar, theme.key());
    let title = if pages > 1 {
        format!("Help · every key · page {} of {pages}", page + 1)
    } else {
        "Help · every key".to_string()
    };
    put_cut(
        buf,
        bar,
        bar.x.saturating_add(1),
        bar.y,
        &title,
        bar.width.saturating_sub(1),
        theme.key(),
    );
    let hints: Vec<_> = view
        .keys
        .help_close
        .iter()
        .filter(|h| pages > 1 || h.label != HELP_PAGES)
        .cloned()
        .collect();
    let close = format!("{} ", line(&hints));
    let close_w = u16::try_from(width(&close)).unwrap_or(u16::MAX);
    let title_w = u16::try_from(width(&title)).unwrap_or(u16::MAX);
    if close_w.saturating_add(title_w).saturating_add(4) <= bar.width {
        put(
            buf,
            bar,
            bar.right() - close_w,
            bar.y,
            &close,
            close_w,
            theme.key(),
        );
    }
}
