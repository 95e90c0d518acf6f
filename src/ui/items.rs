//! The items of the current section, by kind, with the selection kept in
//! view. Only the items in the visible window are formatted or wrapped, so a
//! 500-item section costs no more to draw than a 20-item one.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use super::format;
use super::paint::{cells, fill, put, put_centred};
use super::theme::Theme;
use super::wrap::{Run, Wrapped, draw as draw_rows, wrap};
use crate::agenda::SectionKind;
use crate::meeting::quick::EventTime;
use crate::meeting::{Item, Meeting, Parsed};

/// Columns before each item: the selection marker and a space.
pub(super) const GUTTER: u16 = 2;
/// A non-breaking space, so a flag such as `[no time]` never splits over two rows.
const NBSP: &str = "\u{a0}";

/// What an item is drawn with, besides itself.
pub(super) struct Ctx<'a> {
    pub(super) meeting: &'a Meeting,
    pub(super) theme: Theme,
    pub(super) day: NaiveDate,
    /// The room's date now, for due dates past.
    pub(super) today: NaiveDate,
}

/// The panel's name for a section kind, and what its items are called.
fn names(kind: SectionKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        SectionKind::Notes => ("Notes", "note", "notes"),
        SectionKind::Timeline => ("Timeline", "event", "events"),
        SectionKind::Factors => ("Contributing factors", "factor", "factors"),
        SectionKind::Actions => ("Actions", "action", "actions"),
        SectionKind::ParkingLot => ("Parking lot review", "tangent", "tangents"),
    }
}

fn flag_runs<'a>(item: &Item, ctx: &Ctx, runs: &mut Vec<Run<'a>>) {
    for f in item.flags() {
        runs.push(Run::new("  ", ctx.theme.text()));
        runs.push(Run::new(
            format!("[{}]", f.label().replace(' ', NBSP)),
            ctx.theme.flag(),
        ));
    }
}

/// A timeline event's time as the screen shows it: on the date the
/// anchoring rule placed it, so an overnight event reads as the next day.
pub(super) fn event_time(item: &Item, ctx: &Ctx) -> String {
    let Parsed::Timeline(e) = &item.parsed else {
        return String::new();
    };
    let placed = ctx.meeting.placed(item).map(|p| p.date());
    e.when.as_ref().map_or_else(
        || "--:--".to_string(),
        |w| format::event_time(&EventTime { date: placed, ..*w }, ctx.day),
    )
}

/// The styled text of one item, and its hanging indent.
pub(super) fn runs<'a>(item: &'a Item, ctx: &Ctx) -> (Vec<Run<'a>>, u16) {
    let t = ctx.theme;
    let mut runs = Vec::with_capacity(8);
    let mut hang = 0;
    if let Some(parking) = &item.parking {
        runs.push(Run::new(item.text.as_str(), t.text()));
        let from = ctx
            .meeting
            .agenda()
            .sections
            .get(item.section)
            .map_or("?", |s| s.title.as_str());
        let mut meta = format!(
            "\nfrom {from} · {}",
            format::clock(item.created, ctx.meeting.offset())
        );
        if let Some(p) = parking.raised_by.and_then(|p| ctx.meeting.people().get(p)) {
            meta.push_str(" · raised by ");
            meta.push_str(&p.name);
        }
        runs.push(Run::new(meta, t.quiet()));
        runs.push(Run::new("  ", t.text()));
        match parking.outcome {
            Some(o) => runs.push(Run::new(format!("→ {}", o.label()), t.field())),
            None => runs.push(Run::new(format!("[no{NBSP}outcome{NBSP}yet]"), t.flag())),
        }
        return (runs, 2);
    }
    match &item.parsed {
        Parsed::Note | Parsed::Tangent => runs.push(Run::new(item.text.as_str(), t.text())),
        Parsed::Timeline(e) => {
            let time = event_time(item, ctx);
            hang = cells(super::paint::width(&time) + 2);
            runs.push(Run::new(time, t.time()));
            runs.push(Run::new("  ", t.text()));
            runs.push(Run::new(e.text.as_str(), t.text()));
            if let Some(src) = &e.source {
                runs.push(Run::new("  ", t.text()));
                runs.push(Run::new(format!("↗{NBSP}{src}"), t.link()));
            }
            if let Some(m) = e.moment {
                runs.push(Run::new("  ", t.text()));
                runs.push(Run::new(format!("[{m}]"), t.field()));
            }
            if item.prepared {
                runs.push(Run::new("  ", t.text()));
                runs.push(Run::new("[prepared]", t.quiet()));
            }
            flag_runs(item, ctx, &mut runs);
        }
        Parsed::Factor(f) => {
            super::craft::factor_prefix(item, ctx.meeting, t, &mut runs);
            runs.push(Run::new(f.text.as_str(), t.text()));
            for tag in &f.tags {
                runs.push(Run::new("  ", t.text()));
                runs.push(Run::new(format!("[{tag}]"), t.tag()));
            }
        }
        Parsed::Action(a) => {
            runs.push(Run::new(a.description.as_str(), t.text()));
            let mut field = |s: String| {
                runs.push(Run::new("  ", t.text()));
                runs.push(Run::new(s, t.field()));
            };
            if let Some(o) = &a.owner {
                field(format!("@{o}"));
            }
            if let Some(p) = a.priority {
                field(format!("{p:?}"));
            }
            if let Some(d) = a.due {
                field(format!("due{NBSP}{}", format::due(d)).replace(' ', NBSP));
            }
            if let Some(k) = &a.ticket {
                field(format!("#{k}"));
            }
            super::craft::action_runs(item, a, ctx.meeting, ctx.today, t, &mut runs);
        }
    }
    (runs, hang)
}

/// Rows items take when wrapped, remembered for the few items looked at,
/// so each visible item is wrapped once to measure and once to draw.
struct Heights<'m, 'c> {
    items: &'c [&'m Item],
    ctx: &'c Ctx<'m>,
    width: u16,
    rows: usize,
    seen: Vec<(usize, usize)>,
}

impl Heights<'_, '_> {
    /// Rows item `i` takes uncut (at most the whole panel).
    fn natural(&mut self, i: usize) -> usize {
        if let Some(&(_, h)) = self.seen.iter().find(|(j, _)| *j == i) {
            return h;
        }
        let (runs, hang) = runs(self.items[i], self.ctx);
        let h = wrap(&runs, self.width, hang, self.rows).rows.len().max(1);
        self.seen.push((i, h));
        h
    }

    /// Rows item `i` takes as shown: one not selected is cut at `cap_rows`.
    fn shown(&mut self, i: usize, selected: bool) -> usize {
        let h = self.natural(i);
        if selected {
            h
        } else {
            h.min(cap_rows(self.rows))
        }
    }
}

/// The first item to show, so that the selection (or, with `selected`
/// false, the item the window holds to) is in view with, where possible,
/// the item after it too.
fn window(heights: &mut Heights, sel: Option<usize>, selected: bool) -> usize {
    let Some(sel) = sel else { return 0 };
    let rows = heights.rows;
    let mut used = heights.shown(sel, selected);
    // Keep the next item in sight, so the room sees what comes after.
    if sel + 1 < heights.items.len() {
        used += heights.shown(sel + 1, false).min(rows / 3);
    }
    let mut start = sel;
    while start > 0 {
        let above = heights.shown(start - 1, false);
        if used + above > rows {
            break;
        }
        used += above;
        start -= 1;
    }
    start
}

/// Rows an item that is not selected may take before it is cut with `…`.
fn cap_rows(rows: usize) -> usize {
    (rows / 3).max(2)
}

/// The current section's items, with the selection.
pub struct Items<'a>(pub super::Panel<'a>);

impl Widget for Items<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let super::Panel { view, theme } = self.0;
        let m = view.meeting;
        let kind = m.section().kind;
        let items = m.items_in(m.current());
        let (label, one, many) = names(kind);
        let noun = if items.len() == 1 { one } else { many };
        let ctx = Ctx {
            meeting: m,
            theme,
            day: m.local_date(m.created()),
            today: m.local_date(view.now),
        };

        let inner = Block::bordered().inner(area);
        let content_w = inner.width.saturating_sub(GUTTER);
        let rows = usize::from(inner.height);
        let sel = view
            .selected
            .filter(|_| !items.is_empty())
            .map(|s| s.min(items.len() - 1));
        // While an item is added, the newest stay in sight: the new one
        // goes after them.
        let adding = matches!(
            view.mode,
            super::Mode::Input {
                purpose: super::InputPurpose::Add,
                ..
            }
        );
        let anchor = sel.or_else(|| items.len().checked_sub(1).filter(|_| adding));
        let mut heights = Heights {
            items: &items,
            ctx: &ctx,
            width: content_w,
            rows,
            seen: Vec::new(),
        };
        // The timeline is dense: one row per event.
        let dense = (kind == SectionKind::Timeline && content_w > 0).then(|| {
            let detail = sel.map_or(0, |s| super::timeline::detail_height(items[s], &ctx, inner));
            super::timeline::window(rows, items.len(), anchor, detail)
        });
        let start = if content_w == 0 || rows == 0 {
            0
        } else if let Some((start, _)) = dense {
            start
        } else {
            window(&mut heights, anchor, sel.is_some())
        };

        // Lay out the window first, so the border can say what is hidden.
        let mut y = inner.y;
        let mut shown = start;
        let bottom = inner.bottom();
        let mut drawn: Vec<(u16, usize)> = Vec::new();
        if let Some((start, n)) = dense {
            shown = start + n;
        }
        while dense.is_none() && shown < items.len() && y < bottom && content_w > 0 {
            let left = usize::from(bottom - y);
            let h = heights.shown(shown, Some(shown) == sel).min(left);
            drawn.push((y, h));
            y = y.saturating_add(cells(h));
            shown += 1;
        }
        let prepared = if dense.is_some() && items.iter().any(|i| i.prepared) {
            format!("· {} prepared ", super::timeline::PREPARED_MARK)
        } else {
            String::new()
        };

        let mut block = Block::bordered()
            .border_style(theme.border())
            .title(Span::styled(
                format!(" {label} · {} {noun} {prepared}", items.len()),
                theme.panel_title(),
            ));
        if start > 0 {
            block = block.title_top(
                Line::from(Span::styled(format!(" ↑ {start} more "), theme.strong()))
                    .right_aligned(),
            );
        }
        let below = items.len().saturating_sub(shown);
        if below > 0 {
            block = block.title_bottom(
                Line::from(Span::styled(format!(" ↓ {below} more "), theme.strong()))
                    .right_aligned(),
            );
        }
        block.render(area, buf);

        if items.is_empty() {
            let hint = if kind == SectionKind::ParkingLot {
                "nothing parked — press p to park a tangent"
            } else {
                "nothing yet — press a to add"
            };
            let y = inner.y.saturating_add(inner.height / 3);
            put_centred(buf, inner, y, hint, theme.quiet());
            return;
        }

        if let Some(window) = dense {
            super::timeline::draw(buf, inner, &items, window, sel, &ctx);
            return;
        }
        let x = inner.x.saturating_add(GUTTER);
        for (offset, (y, max)) in drawn.into_iter().enumerate() {
            let i = start + offset;
            let (runs, hang) = runs(items[i], &ctx);
            let wrapped: Wrapped = wrap(&runs, content_w, hang, max);
            let over = (Some(i) == sel).then(|| theme.selected());
            if let Some(style) = over {
                let h = cells(wrapped.rows.len().max(1));
                fill(
                    buf,
                    Rect::new(inner.x, y, inner.width, h).intersection(inner),
                    style,
                );
                put(buf, inner, inner.x, y, "▶", 1, style);
            }
            draw_rows(buf, inner, x, y, &wrapped, content_w, over);
        }
    }
}
