//! The section panels: the questions put to the room and the ground rules,
//! in a box above the items or beside the roster, wherever they fit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Widget};

use super::View;
use super::paint::{cells, put_cut};
use super::theme::Theme;
use super::wrap::{Run, draw as draw_rows, wrap};

/// Columns a line's mark (`• `, `» `) takes; wrapped rows hang under it.
const MARK_W: u16 = 2;

/// What a section panel holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The agenda's ground rules.
    Rules,
    /// The current section's prompts.
    Prompts,
}

/// One line of a panel.
struct Line<'a> {
    mark: &'static str,
    text: &'a str,
    style: Style,
    prompt: bool,
}

impl Line<'_> {
    fn runs(&self) -> [Run<'_>; 2] {
        [
            Run::new(self.mark, self.style),
            Run::new(self.text, self.style),
        ]
    }

    fn rows(&self, width: u16) -> usize {
        wrap(&self.runs(), width, MARK_W, usize::MAX).rows.len()
    }
}

/// The parts that have something to show, of those asked for.
pub fn present(view: &View, parts: &[Part]) -> Vec<Part> {
    parts
        .iter()
        .copied()
        .filter(|p| match p {
            Part::Rules => !view.meeting.agenda().ground_rules.is_empty(),
            Part::Prompts => !view.meeting.section().prompts.is_empty(),
        })
        .collect()
}

fn lines<'a>(view: &'a View, parts: &[Part], theme: Theme) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for part in parts {
        match part {
            // Rules are read out at the opening, so they stand out there.
            Part::Rules => {
                let style = if view.meeting.current() == 0 {
                    theme.strong()
                } else {
                    theme.text()
                };
                out.extend(view.meeting.agenda().ground_rules.iter().map(|r| Line {
                    mark: "• ",
                    text: r,
                    style,
                    prompt: false,
                }));
            }
            Part::Prompts => {
                let prompts = &view.meeting.section().prompts;
                out.extend(prompts.iter().skip(first_prompt(view)).map(|p| Line {
                    mark: "» ",
                    text: p,
                    style: theme.text(),
                    prompt: true,
                }));
            }
        }
    }
    out
}

/// The first prompt shown: the one browsed to.
fn first_prompt(view: &View) -> usize {
    let n = view.meeting.section().prompts.len();
    if n == 0 { 0 } else { view.screen.prompt % n }
}

fn title(parts: &[Part]) -> &'static str {
    match parts {
        [Part::Rules, Part::Prompts] | [Part::Prompts, Part::Rules] => {
            " Ground rules · Ask the room "
        }
        [Part::Rules] => " Ground rules ",
        _ => " Ask the room ",
    }
}

/// Rows a box of `parts` wants at `width` columns, borders included (0:
/// nothing to show).
pub fn height(view: &View, parts: &[Part], width: u16) -> u16 {
    let lines = lines(view, parts, Theme::new(false));
    if lines.is_empty() {
        return 0;
    }
    let inner = width.saturating_sub(2);
    let n: usize = lines.iter().map(|l| l.rows(inner)).sum();
    cells(n)
        .saturating_add(bias_rows(view, parts))
        .saturating_add(2)
}

/// Rows the biases to watch take in a box of `parts`: one, under the
/// prompts, when the section names some.
pub fn bias_rows(view: &View, parts: &[Part]) -> u16 {
    let named = !view.meeting.section().biases.is_empty();
    u16::from(named && parts.contains(&Part::Prompts) && !present(view, parts).is_empty())
}

/// The row naming the section's biases, as long as fits in `width`
/// columns: the cards' titles, else their short names, then without the
/// key that shows the cards, then the names alone (cut with `…` by the
/// caller when even they do not fit).
fn bias_text(view: &View, width: u16) -> String {
    let biases = &view.meeting.section().biases;
    let titles: Vec<&str> = biases.iter().map(|b| b.title()).collect();
    let short: Vec<&str> = biases.iter().map(|b| b.short()).collect();
    let (titles, short) = (titles.join(", "), short.join(", "));
    let key = view
        .keys
        .bias_key
        .as_deref()
        .map(|k| format!(" · {k} cards"))
        .unwrap_or_default();
    [
        format!("watch for: {titles}{key}"),
        format!("watch for: {short}{key}"),
        format!("watch for: {short}"),
        format!("watch: {short}"),
    ]
    .into_iter()
    .find(|t| super::paint::width(t) <= usize::from(width))
    .unwrap_or(short)
}

/// A box of the section's `parts` (prompts, ground rules).
pub struct SectionPanel<'a> {
    /// What the screen is drawn from.
    pub view: &'a View<'a>,
    /// The parts it shows.
    pub parts: &'a [Part],
    /// The colours.
    pub theme: Theme,
}

impl Widget for SectionPanel<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let SectionPanel { view, parts, theme } = self;
        let block = Block::bordered()
            .border_style(theme.border())
            .title(Span::styled(title(parts), theme.panel_title()));
        let mut inner = block.inner(area);
        block.render(area, buf);
        // The biases to watch keep the bottom row when a prompt row is left
        // above them; the prompts are browsed in the rows that remain.
        if bias_rows(view, parts) > 0 && inner.height >= 2 {
            inner.height -= 1;
            let text = bias_text(view, inner.width);
            put_cut(
                buf,
                area,
                inner.x,
                inner.bottom(),
                &text,
                inner.width,
                theme.hint(),
            );
        }
        let prompts = if parts.contains(&Part::Prompts) {
            view.meeting.section().prompts.len()
        } else {
            0
        };
        let browse = Browse {
            first: first_prompt(view),
            total: prompts,
            key: view.keys.prompt_key.as_deref(),
        };
        // Which prompts show, and the key to the others, on the bottom border.
        if let Some(which) = draw_lines(buf, inner, &lines(view, parts, theme), theme, browse) {
            let w = cells(super::paint::width(&which));
            let x = area
                .right()
                .saturating_sub(w.saturating_add(2))
                .max(area.x.saturating_add(1));
            let y = area.bottom().saturating_sub(1);
            put_cut(
                buf,
                area,
                x,
                y,
                &which,
                area.width.saturating_sub(2),
                theme.strong(),
            );
        }
    }
}

/// Where the prompts shown are among the section's.
struct Browse<'a> {
    /// Prompts before the first shown.
    first: usize,
    /// The section's prompts.
    total: usize,
    /// The key that shows the next ones.
    key: Option<&'a str>,
}

/// Draws the lines wrapped; when they do not all fit, the last one that
/// starts is cut with `…` and the last row says how many were left out;
/// returns, when some prompts do not show, which do and the key that shows
/// the others.
fn draw_lines(
    buf: &mut Buffer,
    inner: Rect,
    lines: &[Line],
    theme: Theme,
    browse: Browse,
) -> Option<String> {
    let rows = usize::from(inner.height);
    let heights: Vec<usize> = lines.iter().map(|l| l.rows(inner.width)).collect();
    let whole = heights.iter().sum::<usize>() <= rows;
    // Rules left out are counted on a row of their own; prompts are browsed.
    let rules_cut = !whole && lines.last().is_some_and(|l| !l.prompt);
    let overflow = rules_cut;
    let room = if overflow {
        rows.saturating_sub(1)
    } else {
        rows
    };
    let mut y = inner.y;
    let mut used = 0;
    let mut shown = 0;
    for (line, &h) in lines.iter().zip(&heights) {
        let h = h.min(room - used);
        if h == 0 {
            break;
        }
        let runs = line.runs();
        let wrapped = wrap(&runs, inner.width, MARK_W, h);
        draw_rows(buf, inner, inner.x, y, &wrapped, inner.width, None);
        y = y.saturating_add(cells(h));
        used += h;
        shown += 1;
    }
    if overflow && rows > 0 && shown < lines.len() {
        let more = format!("… and {} more", lines.len() - shown);
        put_cut(buf, inner, inner.x, y, &more, inner.width, theme.quiet());
    }
    let prompts_shown = lines[..shown].iter().filter(|l| l.prompt).count();
    if browse.total <= prompts_shown {
        return None;
    }
    let (a, b, n) = (browse.first + 1, browse.first + prompts_shown, browse.total);
    let which = match prompts_shown {
        0 => format!("{n} prompts"),
        1 => format!("prompt {a} of {n}"),
        _ => format!("prompts {a}-{b} of {n}"),
    };
    Some(match browse.key {
        Some(k) => format!(" {which} · {k} next "),
        None => format!(" {which} "),
    })
}
