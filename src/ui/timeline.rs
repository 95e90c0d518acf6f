//! The timeline, dense: one row per event (its time, its text cut with `…`,
//! its link as the host alone), and the selected event in full in a detail
//! line at the foot of the panel, so that the room sees as much of the
//! timeline it is agreeing as the screen holds.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::items::{Ctx, GUTTER, event_time, runs};
use super::paint::{cells, fill, put, put_cut, width};
use super::wrap::{Run, draw as draw_rows, wrap};
use crate::meeting::{Item, Parsed};

/// Columns the text of an event keeps before its marks give way.
const TEXT_MIN: usize = 16;
/// The mark before an event imported from a prepared timeline.
pub const PREPARED_MARK: &str = "◇";

/// Rows at the foot of a panel with `rows` inner rows for the detail of the
/// selected event (its separator included), or 0 when there is no room.
fn detail_rows(rows: usize) -> usize {
    match rows {
        0..=5 => 0,
        6..=9 => 3,
        10..=19 => 4,
        _ => 5,
    }
}

/// The selected event's text, link, marks and flags, its time left out
/// (the rule above them says it).
fn detail_runs<'a>(item: &'a Item, ctx: &Ctx) -> Vec<Run<'a>> {
    let (mut runs, _) = runs(item, ctx);
    runs.drain(..2.min(runs.len()));
    runs
}

/// Rows the detail of `item` takes at the foot of `inner`, its rule
/// included: what it needs, at most what the panel spares.
pub fn detail_height(item: &Item, ctx: &Ctx, inner: Rect) -> usize {
    let max = detail_rows(usize::from(inner.height));
    if max == 0 {
        return 0;
    }
    let runs = detail_runs(item, ctx);
    let width = inner.width.saturating_sub(GUTTER);
    wrap(&runs, width, 0, max - 1).rows.len().max(1) + 1
}

/// Which events show: the first shown and how many rows they have, so that
/// the selection is in view with, where possible, the event after it.
pub fn window(rows: usize, len: usize, sel: Option<usize>, detail: usize) -> (usize, usize) {
    let n = rows.saturating_sub(detail);
    if n == 0 {
        return (0, 0);
    }
    let start = sel.map_or(0, |sel| {
        (sel + 2)
            .saturating_sub(n)
            .min(sel)
            .min(len.saturating_sub(n))
    });
    (start, n.min(len.saturating_sub(start)))
}

/// The host of a link (`grafana.example`): what the room needs to know of
/// where an event comes from, in a few columns.
pub fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host.is_empty() { url } else { host }
}

/// The text of an event on one row: its lines joined.
fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Draws `items[start..start + n]` one row each in `inner`, and the
/// selected one in full below them.
pub fn draw(
    buf: &mut Buffer,
    inner: Rect,
    items: &[&Item],
    (start, n): (usize, usize),
    sel: Option<usize>,
    ctx: &Ctx,
) {
    let t = ctx.theme;
    let shown = &items[start..start + n];
    let times: Vec<String> = shown.iter().map(|i| event_time(i, ctx)).collect();
    let time_w = times.iter().map(|s| width(s)).max().unwrap_or(0);
    let content_w = usize::from(inner.width.saturating_sub(GUTTER));
    let x0 = inner.x.saturating_add(GUTTER);
    for (offset, (item, time)) in shown.iter().zip(&times).enumerate() {
        let i = start + offset;
        let y = inner.y.saturating_add(cells(offset));
        let selected = Some(i) == sel;
        let over = selected.then(|| t.selected());
        if let Some(style) = over {
            fill(buf, Rect::new(inner.x, y, inner.width, 1), style);
            put(buf, inner, inner.x, y, "▶", 1, style);
        }
        let style = |s| over.unwrap_or(s);
        let mark = if item.prepared { PREPARED_MARK } else { " " };
        put(
            buf,
            inner,
            inner.x.saturating_add(1),
            y,
            mark,
            1,
            style(t.quiet()),
        );
        let x = put(buf, inner, x0, y, time, cells(time_w), style(t.time()));
        let x = x0
            .max(x)
            .saturating_add(cells(time_w.saturating_sub(width(time))));
        let x = x.saturating_add(2);

        // The marks after the text, most telling first, as many as leave
        // the text its room.
        let Parsed::Timeline(e) = &item.parsed else {
            continue;
        };
        let mut marks: Vec<(String, ratatui::style::Style)> = Vec::new();
        for f in item.flags() {
            marks.push((format!("[{}]", f.label()), t.flag()));
        }
        if let Some(m) = e.moment {
            marks.push((format!("[{m}]"), t.field()));
        }
        if let Some(src) = &e.source {
            marks.push((format!("↗ {}", host(src)), t.link()));
        }
        let room = content_w.saturating_sub(time_w + 2);
        let mut marks_w = 0;
        let mut kept = 0;
        for (m, _) in &marks {
            let w = width(m) + 2;
            if room.saturating_sub(marks_w + w) < TEXT_MIN {
                break;
            }
            marks_w += w;
            kept += 1;
        }
        let text = one_line(&e.text);
        let text_room = cells(room.saturating_sub(marks_w));
        let mut mx = put_cut(buf, inner, x, y, &text, text_room, style(t.text()));
        for (m, s) in &marks[..kept] {
            mx = mx.saturating_add(2);
            mx = put(
                buf,
                inner,
                mx,
                y,
                m,
                inner.right().saturating_sub(mx),
                style(*s),
            );
        }
    }

    // The selected event in full, under a rule.
    let Some(sel) = sel.filter(|s| *s < items.len()) else {
        return;
    };
    let rows = usize::from(inner.height);
    let detail = detail_height(items[sel], ctx, inner);
    if detail == 0 {
        return;
    }
    // The rule says which event; the detail holds the rest of it.
    // Right under the events, which may not fill the panel.
    let rule_y = inner
        .y
        .saturating_add(cells(n.min(rows.saturating_sub(detail))));
    let rule: String = "╌".repeat(usize::from(inner.width));
    put(buf, inner, inner.x, rule_y, &rule, inner.width, t.border());
    let label = format!(" {} in full ", event_time(items[sel], ctx));
    put(buf, inner, x0, rule_y, &label, inner.width, t.time());
    let runs = detail_runs(items[sel], ctx);
    let wrapped = wrap(&runs, cells(content_w), 0, detail - 1);
    draw_rows(
        buf,
        inner,
        x0,
        rule_y.saturating_add(1),
        &wrapped,
        cells(content_w),
        None,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_shows_as_its_host() {
        assert_eq!(
            host("https://grafana.example/d/checkout?x=1"),
            "grafana.example"
        );
        assert_eq!(
            host("http://user:pw@ci.example:8080/runs/4127"),
            "ci.example:8080"
        );
        assert_eq!(host("https://status.example"), "status.example");
        assert_eq!(host("https://"), "https://");
    }

    #[test]
    fn the_window_keeps_the_selection_and_the_next_event_in_view() {
        // 12 rows: 4 for the detail, 8 for events.
        assert_eq!(window(12, 20, None, 0), (0, 12));
        assert_eq!(window(12, 20, Some(0), 4), (0, 8));
        assert_eq!(window(12, 20, Some(8), 4), (2, 8));
        assert_eq!(window(12, 20, Some(19), 4), (12, 8));
        assert_eq!(window(12, 3, Some(2), 4), (0, 3));
        assert_eq!(window(0, 3, Some(2), 0), (0, 0));
    }

    #[test]
    fn an_event_of_several_lines_reads_as_one() {
        assert_eq!(
            one_line("rollback finished\n\n error rate normal "),
            "rollback finished · error rate normal"
        );
    }
}
