//! Big block letters (the countdown, the safeword) from the 8x8 font of
//! `font8x8`, in the largest size that fits.
//!
//! Drawn here rather than with `tui-big-text` (which fits ratatui 0.30 too)
//! because that crate lays every glyph on a fixed 8-column grid: trimming
//! the blank columns of `:` and `+` is what lets `+02:13` show at double
//! width on an 80-column screen, and it keeps a proc-macro stack and a
//! second `itertools` out of the build.

use super::paint::cells;
use font8x8::UnicodeFonts;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// Pixels per glyph side.
const PX: usize = 8;
/// Pixel columns a space takes.
const SPACE_PX: usize = 4;

/// How many font pixels one terminal cell shows, across and down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Size {
    across: usize,
    down: usize,
}

/// Sizes from largest to smallest. Quadrant blocks are the smallest kept:
/// sextants and octants are missing from many fonts a projector laptop has.
const SIZES: [Size; 4] = [
    Size { across: 1, down: 1 },
    Size { across: 1, down: 2 },
    Size { across: 2, down: 1 },
    Size { across: 2, down: 2 },
];

/// A line of text as columns of pixels: bit `r` of a column is row `r`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap(Vec<u8>);

fn glyph(c: char) -> Option<[u8; 8]> {
    font8x8::BASIC_FONTS
        .get(c)
        .or_else(|| font8x8::LATIN_FONTS.get(c))
}

impl Bitmap {
    /// `text` in pixels, or None when the font lacks one of its letters (so
    /// nothing turns into a silent gap). Digits keep a fixed width, so a
    /// running clock never shifts; other glyphs lose their blank columns.
    pub fn of(text: &str) -> Option<Bitmap> {
        let mut cols = Vec::with_capacity(text.len() * PX);
        for c in text.chars() {
            if c == ' ' {
                cols.extend([0u8; SPACE_PX]);
                continue;
            }
            let g = glyph(c)?;
            let column = |x: usize| {
                (0..PX).fold(0u8, |acc, row| {
                    acc | ((u8::from(g[row] & (1 << x) != 0)) << row)
                })
            };
            let used: Vec<usize> = (0..PX).filter(|&x| column(x) != 0).collect();
            let (lo, hi) = match (used.first(), used.last()) {
                _ if c.is_ascii_digit() => (0, PX - 2),
                (Some(&lo), Some(&hi)) => (lo, hi),
                _ => (0, SPACE_PX - 2),
            };
            cols.extend((lo..=hi).map(column));
            cols.push(0);
        }
        cols.pop();
        (!cols.is_empty()).then_some(Bitmap(cols))
    }

    fn cells(&self, size: Size) -> (u16, u16) {
        let w = self.0.len().div_ceil(size.across);
        let h = PX / size.down;
        (cells(w), h as u16)
    }

    fn fit(&self, area: Rect) -> Option<(Size, u16, u16)> {
        SIZES.iter().find_map(|&s| {
            let (w, h) = self.cells(s);
            (w <= area.width && h <= area.height).then_some((s, w, h))
        })
    }

    fn pixel(&self, x: usize, y: usize) -> bool {
        self.0.get(x).is_some_and(|col| col & (1 << y) != 0)
    }

    fn symbol(&self, size: Size, cx: usize, cy: usize) -> &'static str {
        let (x, y) = (cx * size.across, cy * size.down);
        let p = |dx, dy| self.pixel(x + dx, y + dy);
        match (size.across, size.down) {
            (1, 1) => ["", "█"][usize::from(p(0, 0))],
            (1, _) => ["", "▀", "▄", "█"][usize::from(p(0, 0)) | usize::from(p(0, 1)) << 1],
            (_, 1) => ["", "▌", "▐", "█"][usize::from(p(0, 0)) | usize::from(p(1, 0)) << 1],
            _ => {
                const QUAD: [&str; 16] = [
                    "", "▘", "▝", "▀", "▖", "▌", "▞", "▛", "▗", "▚", "▐", "▜", "▄", "▙", "▟", "█",
                ];
                QUAD[usize::from(p(0, 0))
                    | usize::from(p(1, 0)) << 1
                    | usize::from(p(0, 1)) << 2
                    | usize::from(p(1, 1)) << 3]
            }
        }
    }
}

/// The size in cells of `text` at the largest size that fits `area`.
pub fn fit(text: &str, area: Rect) -> Option<(u16, u16)> {
    Bitmap::of(text)?.fit(area).map(|(_, w, h)| (w, h))
}

/// Draws `text` in big letters at the top of `area`, centred across it if
/// `centre`, else from its left; false when it fits at no size.
pub fn draw(buf: &mut Buffer, area: Rect, text: &str, style: Style, centre: bool) -> bool {
    let area = area.intersection(buf.area);
    let Some(bitmap) = Bitmap::of(text) else {
        return false;
    };
    let Some((size, w, h)) = bitmap.fit(area) else {
        return false;
    };
    let left = if centre {
        area.x + (area.width - w) / 2
    } else {
        area.x
    };
    for cy in 0..h {
        for cx in 0..w {
            let symbol = bitmap.symbol(size, usize::from(cx), usize::from(cy));
            if symbol.is_empty() {
                continue;
            }
            if let Some(cell) = buf.cell_mut((left + cx, area.y + cy)) {
                cell.set_symbol(symbol).set_style(style);
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, w: u16, h: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        assert!(draw(
            &mut buf,
            Rect::new(0, 0, w, h),
            text,
            Style::new(),
            false
        ));
        buf
    }

    #[test]
    fn picks_the_largest_size_that_fits() {
        let at = |w, h| fit("12:34", Rect::new(0, 0, w, h));
        // Four digits of 7 columns, a 2-column colon, one column between: 34.
        assert_eq!(at(40, 8), Some((34, 8)));
        assert_eq!(at(34, 4), Some((34, 4)));
        assert_eq!(at(33, 8), Some((17, 8)));
        assert_eq!(at(17, 4), Some((17, 4)));
        assert_eq!(at(16, 4), None);
        assert_eq!(at(0, 0), None);
        assert_eq!(fit("+02:13", Rect::new(0, 0, 99, 4)), Some((41, 4)));
        assert_eq!(fit("出口", Rect::new(0, 0, 99, 9)), None);
        assert_eq!(fit("", Rect::new(0, 0, 99, 9)), None);
    }

    #[test]
    fn draws_block_letters() {
        let buf = render("1:", 10, 4);
        assert_eq!(
            buf,
            Buffer::with_lines([" ▄██    ▄▄", "  ██    ▀▀", "  ██    ▄▄", "▀▀▀▀▀▀  ▀▀",])
        );
    }

    #[test]
    fn never_writes_outside_the_buffer() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 2, 2));
        assert!(!draw(
            &mut buf,
            Rect::new(0, 0, 50, 50),
            "12",
            Style::new(),
            true
        ));
        let mut buf = Buffer::empty(Rect::new(5, 5, 40, 8));
        assert!(draw(
            &mut buf,
            Rect::new(0, 0, 80, 80),
            "OK",
            Style::new(),
            true
        ));
    }
}
