//! The section panel: the questions put to the room and, at the opening,
//! the ground rules; elsewhere the ground rules where space permits.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Widget};

use super::View;
use super::paint::put_cut;
use super::theme::Theme;
use super::wrap::{Run, draw as draw_rows, wrap};

/// Columns a line's mark (`• `, `» `) takes; wrapped rows hang under it.
const MARK_W: u16 = 2;

/// One line of a panel.
struct Line<'a> {
    mark: &'static str,
    text: &'a str,
    style: Style,
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

/// Whether the current section opens the meeting, where the rules are read out.
fn opening(view: &View) -> bool {
    view.meeting.current == 0
}

fn rules<'a>(view: &'a View, style: Style) -> impl Iterator<Item = Line<'a>> {
    view.meeting.agenda.ground_rules.iter().map(move |r| Line {
        mark: "• ",
        text: r,
        style,
    })
}

fn lines<'a>(view: &'a View, theme: Theme) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    if opening(view) {
        out.extend(rules(view, theme.strong()));
    }
    out.extend(view.meeting.section().prompts.iter().map(|p| Line {
        mark: "» ",
        text: p,
        style: theme.text(),
    }));
    out
}

fn title(view: &View) -> &'static str {
    let has_prompts = !view.meeting.section().prompts.is_empty();
    let rules = opening(view) && !view.meeting.agenda.ground_rules.is_empty();
    match (rules, has_prompts) {
        (true, true) => " Ground rules · Ask the room ",
        (true, false) => " Ground rules ",
        _ => " Ask the room ",
    }
}

fn boxed_height(lines: &[Line], width: u16) -> u16 {
    let inner = width.saturating_sub(2);
    let n: usize = lines.iter().map(|l| l.rows(inner)).sum();
    u16::try_from(n).unwrap_or(u16::MAX).saturating_add(2)
}

/// Rows the panel wants at `width` columns, borders included (0: nothing
/// to show), at most `max`.
pub fn height(view: &View, width: u16, max: u16) -> u16 {
    let lines = lines(view, Theme::new(false));
    if lines.is_empty() || max < 3 {
        return 0;
    }
    boxed_height(&lines, width).min(max)
}

/// Draws the panel into `area`.
pub fn draw(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    let block = Block::bordered()
        .border_style(theme.border())
        .title(Span::styled(title(view), theme.panel_title()));
    let inner = block.inner(area);
    block.render(area, buf);
    draw_lines(buf, inner, &lines(view, theme), theme);
}

/// Rows the ground-rules box wants beside the roster, borders included
/// (0 at the opening, where the section panel shows them).
pub fn rules_height(view: &View, width: u16) -> u16 {
    if opening(view) || view.meeting.agenda.ground_rules.is_empty() {
        return 0;
    }
    let lines: Vec<Line> = rules(view, Style::new()).collect();
    boxed_height(&lines, width)
}

/// Draws the ground rules in their own box (outside the opening).
pub fn draw_rules(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    let block = Block::bordered()
        .border_style(theme.border())
        .title(Span::styled(" Ground rules ", theme.panel_title()));
    let inner = block.inner(area);
    block.render(area, buf);
    let lines: Vec<Line> = rules(view, theme.text()).collect();
    draw_lines(buf, inner, &lines, theme);
}

/// Draws the lines wrapped; when they do not all fit, the last row says
/// how many were left out.
fn draw_lines(buf: &mut Buffer, inner: Rect, lines: &[Line], theme: Theme) {
    let rows = usize::from(inner.height);
    let heights: Vec<usize> = lines.iter().map(|l| l.rows(inner.width)).collect();
    let overflow = heights.iter().sum::<usize>() > rows;
    let room = if overflow {
        rows.saturating_sub(1)
    } else {
        rows
    };
    let mut y = inner.y;
    let mut used = 0;
    let mut shown = 0;
    for (line, h) in lines.iter().zip(&heights) {
        if used + h > room {
            break;
        }
        let runs = line.runs();
        let wrapped = wrap(&runs, inner.width, MARK_W, *h);
        draw_rows(buf, inner, inner.x, y, &wrapped, inner.width, None);
        y = y.saturating_add(u16::try_from(*h).unwrap_or(u16::MAX));
        used += h;
        shown += 1;
    }
    if overflow && rows > 0 {
        let more = format!("… and {} more", lines.len() - shown);
        put_cut(buf, inner, inner.x, y, &more, inner.width, theme.quiet());
    }
}
