//! Styled text wrapped to a width by display columns, so wide characters
//! (CJK, emoji) never spill past a panel's edge.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;

use super::paint::{ELLIPSIS, cells, grapheme_width, put};

/// A stretch of text in one style.
#[derive(Debug, Clone)]
pub struct Run<'a> {
    /// The text; `\n` breaks the line.
    pub text: Cow<'a, str>,
    /// Its style.
    pub style: Style,
}

impl<'a> Run<'a> {
    /// A run of `text` in `style`.
    pub fn new(text: impl Into<Cow<'a, str>>, style: Style) -> Self {
        Run {
            text: text.into(),
            style,
        }
    }
}

/// Part of a run that lands on one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The text.
    pub text: &'a str,
    /// Its style.
    pub style: Style,
}

/// One screen row of wrapped text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row<'a> {
    /// Columns left blank before the text (the hanging indent).
    pub indent: u16,
    /// The text, in order.
    pub pieces: Vec<Piece<'a>>,
    /// Columns the text takes, indent excluded.
    pub width: u16,
    /// Made by wrapping (not by a newline): leading spaces are dropped.
    soft: bool,
}

/// Wrapped text: its rows, and whether some text did not fit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wrapped<'a> {
    /// The rows, at most the number asked for.
    pub rows: Vec<Row<'a>>,
    /// Text was left out: the last row should end in `…`.
    pub truncated: bool,
}

struct Wrapper<'a> {
    /// The text of the run being wrapped.
    run: &'a str,
    width: u16,
    hang: u16,
    max_rows: usize,
    out: Wrapped<'a>,
    row: Row<'a>,
    full: bool,
}

impl<'a> Wrapper<'a> {
    fn room(&self) -> u16 {
        self.width
            .saturating_sub(self.row.indent)
            .saturating_sub(self.row.width)
    }

    fn capacity(&self) -> u16 {
        self.width.saturating_sub(self.hang)
    }

    /// Starts a new row; false (and truncated) when no more rows are allowed.
    fn new_row(&mut self, soft: bool) -> bool {
        if self.out.rows.len() + 1 >= self.max_rows {
            self.out.truncated = true;
            self.full = true;
            return false;
        }
        let next = Row {
            indent: self.hang,
            soft,
            ..Row::default()
        };
        self.out.rows.push(std::mem::replace(&mut self.row, next));
        true
    }

    fn push(&mut self, text: &'a str, style: Style, w: u16) {
        self.row.width = self.row.width.saturating_add(w);
        // Words and spaces of one run that land together become one piece,
        // so drawing a row costs a write per run, not one per word.
        if let Some(last) = self.row.pieces.last_mut()
            && last.style == style
            && let Some(joined) = join(self.run, last.text, text)
        {
            last.text = joined;
            return;
        }
        self.row.pieces.push(Piece { text, style });
    }

    fn word(&mut self, text: &'a str, style: Style, w: u16) {
        if self.full || text.is_empty() {
            return;
        }
        if w <= self.room() {
            self.push(text, style, w);
            return;
        }
        if w <= self.capacity() && self.row.width > 0 {
            if self.new_row(true) {
                self.push(text, style, w);
            }
            return;
        }
        // Longer than a row: break it between graphemes.
        for (i, g) in text.grapheme_indices(true) {
            let gw = grapheme_width(g);
            if gw > self.room() {
                if self.row.width == 0 && gw > self.capacity() {
                    continue; // wider than the whole row: it cannot be drawn at all
                }
                if !self.new_row(true) {
                    return;
                }
                if gw > self.room() {
                    continue;
                }
            }
            self.push(&text[i..i + g.len()], style, gw);
        }
    }

    fn space(&mut self, text: &'a str, style: Style) {
        if self.full || (self.row.soft && self.row.width == 0) {
            return;
        }
        if self.room() >= 1 {
            self.push(text, style, 1);
        } else {
            self.new_row(true);
        }
    }
}

/// `a` and `b` as one slice of `full`, when both lie in it, `b` right after `a`.
fn join<'a>(full: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let base = full.as_ptr() as usize;
    let a0 = (a.as_ptr() as usize).checked_sub(base)?;
    let b0 = (b.as_ptr() as usize).checked_sub(base)?;
    if a0 + a.len() != b0 {
        return None;
    }
    full.get(a0..b0 + b.len())
}

/// What a grapheme is to the wrapper.
enum Tok {
    Space,
    Newline,
    /// Part of a word, this many columns wide.
    Mark(u16),
}

/// The word being read in a run: where it starts and how wide it is so far.
#[derive(Default)]
struct Scan {
    start: usize,
    word_w: u16,
}

impl Scan {
    fn step<'a>(
        &mut self,
        w: &mut Wrapper<'a>,
        (text, style): (&'a str, Style),
        at: usize,
        len: usize,
        tok: Tok,
    ) {
        match tok {
            Tok::Mark(gw) => self.word_w = self.word_w.saturating_add(gw),
            Tok::Space | Tok::Newline => {
                w.word(&text[self.start..at], style, self.word_w);
                if matches!(tok, Tok::Newline) {
                    w.new_row(false);
                } else {
                    w.space(&text[at..at + len], style);
                }
                self.start = at + len;
                self.word_w = 0;
            }
        }
    }
}

/// Wraps `runs` to `width` columns, later rows indented by `hang`, into at
/// most `max_rows` rows.
pub fn wrap<'a>(runs: &'a [Run<'_>], width: u16, hang: u16, max_rows: usize) -> Wrapped<'a> {
    let mut w = Wrapper {
        run: "",
        width,
        hang: if hang < width { hang } else { 0 },
        max_rows,
        out: Wrapped::default(),
        row: Row::default(),
        full: false,
    };
    if width == 0 || max_rows == 0 {
        w.out.truncated = runs.iter().any(|r| !r.text.is_empty());
        return w.out;
    }
    for run in runs {
        let text: &'a str = &run.text;
        w.run = text;
        let mut scan = Scan::default();
        // Most text is ASCII, where every byte is a grapheme one column wide:
        // skipping grapheme segmentation there keeps drawing cheap.
        if text.is_ascii() {
            for (at, b) in text.bytes().enumerate() {
                if w.full {
                    break;
                }
                let tok = match b {
                    b' ' => Tok::Space,
                    b'\n' => Tok::Newline,
                    b => Tok::Mark(u16::from(!b.is_ascii_control())),
                };
                scan.step(&mut w, (text, run.style), at, 1, tok);
            }
        } else {
            for (at, g) in text.grapheme_indices(true) {
                if w.full {
                    break;
                }
                let tok = if g == " " {
                    Tok::Space
                } else if g.contains('\n') {
                    Tok::Newline
                } else {
                    Tok::Mark(grapheme_width(g))
                };
                scan.step(&mut w, (text, run.style), at, g.len(), tok);
            }
        }
        w.word(&text[scan.start..], run.style, scan.word_w);
    }
    if w.out.rows.len() < max_rows {
        let row = std::mem::take(&mut w.row);
        w.out.rows.push(row);
    }
    w.out
}

/// Draws wrapped rows from (`x`, `y`) within `clip`; `over` replaces every
/// colour (for the selected item's solid bar); the last row of truncated
/// text ends in `…`.
pub fn draw(
    buf: &mut Buffer,
    clip: Rect,
    x: u16,
    y: u16,
    wrapped: &Wrapped<'_>,
    width: u16,
    over: Option<Style>,
) {
    let last = wrapped.rows.len().saturating_sub(1);
    for (i, row) in wrapped.rows.iter().enumerate() {
        let Some(ry) = y.checked_add(cells(i)) else {
            return;
        };
        let cut = wrapped.truncated && i == last;
        let mut limit = width.saturating_sub(row.indent);
        if cut {
            limit = limit.saturating_sub(1);
        }
        let mut cx = x.saturating_add(row.indent);
        let mut style = Style::new();
        let n = row.pieces.len();
        for (j, p) in row.pieces.iter().enumerate() {
            style = restyle(p.style, over);
            let used = cx.saturating_sub(x.saturating_add(row.indent));
            let room = limit.saturating_sub(used);
            if room == 0 {
                break;
            }
            // The `…` follows the last word, not the space after it.
            let text = if cut && j + 1 == n {
                p.text.trim_end()
            } else {
                p.text
            };
            cx = put(buf, clip, cx, ry, text, room, style);
        }
        if cut {
            put(buf, clip, cx, ry, ELLIPSIS, 1, style);
        }
    }
}

/// A piece's style under the selection bar: its modifiers stay, its colours go.
fn restyle(style: Style, over: Option<Style>) -> Style {
    match over {
        Some(o) => Style {
            fg: None,
            bg: None,
            ..style
        }
        .patch(o),
        None => style,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(w: &Wrapped<'_>) -> Vec<String> {
        w.rows
            .iter()
            .map(|r| {
                let mut s = " ".repeat(usize::from(r.indent));
                for p in &r.pieces {
                    s.push_str(p.text);
                }
                s
            })
            .collect()
    }

    fn plain(s: &str) -> Vec<Run<'_>> {
        vec![Run::new(s, Style::new())]
    }

    #[test]
    fn wraps_at_spaces_with_a_hanging_indent() {
        let runs = plain("the quick brown fox jumps");
        let w = wrap(&runs, 10, 2, 10);
        assert_eq!(texts(&w), ["the quick ", "  brown ", "  fox ", "  jumps"]);
        assert!(!w.truncated);
    }

    #[test]
    fn newlines_break_and_long_words_split() {
        let runs = plain("ab\ncdefghij");
        let w = wrap(&runs, 4, 0, 10);
        assert_eq!(texts(&w), ["ab", "cdef", "ghij"]);
    }

    #[test]
    fn wide_characters_never_cross_the_edge() {
        let runs = plain("出口出口出");
        let w = wrap(&runs, 5, 0, 10);
        assert_eq!(texts(&w), ["出口", "出口", "出"]);
        assert!(w.rows.iter().all(|r| r.width <= 5));
        let runs = plain("👩‍👩‍👧👩‍👩‍👧");
        let w = wrap(&runs, 3, 0, 10);
        assert_eq!(w.rows.len(), 2);
        let w = wrap(&runs, 1, 0, 10);
        assert!(
            w.rows.iter().all(|r| r.width <= 1),
            "too wide to draw: left out"
        );
    }

    #[test]
    fn too_many_rows_truncate() {
        let runs = plain("a b c d e f");
        let w = wrap(&runs, 2, 0, 2);
        assert_eq!(w.rows.len(), 2);
        assert!(w.truncated);
        let w = wrap(&runs, 0, 0, 2);
        assert!(w.rows.is_empty() && w.truncated);
    }

    #[test]
    fn drawing_ends_truncated_text_with_an_ellipsis() {
        let runs = plain("one two three four");
        let w = wrap(&runs, 8, 0, 2);
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 2));
        draw(&mut buf, Rect::new(0, 0, 8, 2), 0, 0, &w, 8, None);
        assert_eq!(buf, Buffer::with_lines(["one two ", "three…  "]));
    }
}
