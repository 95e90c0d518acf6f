//! The guides' panels: language hints above the input box (this terminal
//! only), the speaker picker, the bias cards, the learning pulse, and the
//! pieces the items and roster panels borrow (factor numbers and dots,
//! action flags, who has not been heard all meeting).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Widget};

use super::View;
use super::footer::line;
use super::paint::{boxed, cells, clear, put_cut};
use super::theme::Theme;
use super::wrap::{Run, draw as draw_rows, wrap};
use crate::craft::bias::Bias;
use crate::meeting::{PULSE_MIN_ANSWERS, PulseQuestion};

/// Most hints shown at once.
const MAX_HINTS: usize = 3;

/// Who has not spoken at all in the meeting yet, in words.
pub(super) fn unheard_in_meeting(view: &View) -> Option<String> {
    let m = view.meeting;
    let names: Vec<&str> = (0..m.people().len())
        .filter(|&p| !m.heard_at_all(p) && !m.has_left(p))
        .map(|p| m.people()[p].name.as_str())
        .collect();
    // Before anyone has spoken, "not heard yet" beside each says it all.
    if names.is_empty() || names.len() == m.people().len() {
        return None;
    }
    Some(format!("○ not heard all meeting: {}", names.join(", ")))
}

/// Rows the hints panel wants (borders included), 0 with no hints.
pub(super) fn hints_height(view: &View, width: u16) -> u16 {
    if view.hints.is_empty() {
        return 0;
    }
    let inner = width.saturating_sub(2);
    let rows: usize = view
        .hints
        .iter()
        .take(MAX_HINTS)
        .map(|h| {
            wrap(&hint_runs(h, Theme::new(false)), inner, 2, 3)
                .rows
                .len()
        })
        .sum();
    cells(rows).saturating_add(2)
}

fn hint_runs<'a>(h: &'a crate::craft::language::LanguageHint, theme: Theme) -> Vec<Run<'a>> {
    vec![
        Run::new(
            format!("⚑ “{}” — ", h.found.replace('\n', " ")),
            theme.flag(),
        ),
        Run::new(h.ask.as_str(), theme.text()),
    ]
}

/// The language hints of what is typed here, in `area` (never blocking:
/// the input keeps every key).
pub(super) fn draw_hints(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    if view.hints.is_empty() || area.height < 3 {
        return;
    }
    clear(buf, area);
    let more = view.hints.len().saturating_sub(MAX_HINTS);
    let mut block = Block::bordered()
        .border_style(theme.hint())
        .title(Span::styled(
            " Language hint · this screen only, not saved ",
            theme.panel_title(),
        ));
    if more > 0 {
        block = block.title_bottom(Span::styled(format!(" +{more} more "), theme.quiet()));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    let mut y = inner.y;
    for h in view.hints.iter().take(MAX_HINTS) {
        let left = usize::from(inner.bottom().saturating_sub(y));
        if left == 0 {
            break;
        }
        let runs = hint_runs(h, theme);
        let wrapped = wrap(&runs, inner.width, 2, left.min(3));
        draw_rows(buf, inner, inner.x, y, &wrapped, inner.width, None);
        y = y.saturating_add(cells(wrapped.rows.len()));
    }
}

/// The keys of the guides' mode `name` on the last row of `inner`.
fn keys_at_foot(buf: &mut Buffer, inner: Rect, view: &View, name: &str, theme: Theme) {
    let keys = line(view.keys.mode(name));
    let y = inner.bottom().saturating_sub(1);
    put_cut(buf, inner, inner.x, y, &keys, inner.width, theme.quiet());
}

/// The speaker picker: what is typed and who it names.
pub(super) fn draw_picker(
    buf: &mut Buffer,
    area: Rect,
    view: &View,
    typed: &str,
    matches: &[usize],
    theme: Theme,
) {
    let m = view.meeting;
    let n = m.people().len();
    let inner = boxed(buf, area, 56, 14, "Who speaks?", theme);
    let w = inner.width;
    let mut y = inner.y;
    let prompt = format!("› {typed}▏");
    put_cut(buf, inner, inner.x, y, &prompt, w, theme.strong());
    y = y.saturating_add(1);
    let say = if typed.trim().is_empty() {
        format!("type a number 1-{n} or the start of a name")
    } else if matches.is_empty() {
        "nobody by that number or name".to_string()
    } else if matches.len() == 1 {
        "Enter: this person speaks".to_string()
    } else {
        format!("{} match — type more of the name", matches.len())
    };
    put_cut(buf, inner, inner.x, y, &say, w, theme.quiet());
    y = y.saturating_add(2);
    for &p in matches {
        if y >= inner.bottom().saturating_sub(1) {
            break;
        }
        let Some(person) = m.people().get(p) else {
            continue;
        };
        let heard = if m.has_spoken(m.current(), p) {
            ""
        } else {
            "  ○ not heard yet"
        };
        let text = format!("{:>2}  {}{heard}", p + 1, person.name);
        put_cut(buf, inner, inner.x, y, &text, w, theme.text());
        y = y.saturating_add(1);
    }
    keys_at_foot(buf, inner, view, "picker", theme);
}

/// The bias cards, over the whole screen; the current section's biases first.
pub(super) fn draw_biases(buf: &mut Buffer, area: Rect, view: &View, theme: Theme) {
    clear(buf, area);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.strong())
        .title(Span::styled(
            " Bias cards · PagerDuty's table, with countermeasures ",
            theme.panel_title(),
        ))
        .title_bottom(Span::styled(
            format!(" {} ", line(view.keys.mode("biases"))),
            theme.quiet(),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let named = &view.meeting.section().biases;
    let mut order: Vec<Bias> = named.clone();
    order.extend(Bias::ALL.into_iter().filter(|b| !named.contains(b)));
    let mut y = inner.y;
    for b in order {
        let left = usize::from(inner.bottom().saturating_sub(y));
        if left == 0 {
            break;
        }
        let mark = if named.contains(&b) {
            " (this section)"
        } else {
            ""
        };
        let runs = [
            Run::new(format!("{}{mark}: ", b.title()), theme.strong()),
            Run::new(b.what(), theme.text()),
            Run::new(" → ", theme.quiet()),
            Run::new(b.counter(), theme.field()),
        ];
        let wrapped = wrap(&runs, inner.width.saturating_sub(1), 2, left.min(4));
        draw_rows(
            buf,
            inner,
            inner.x.saturating_add(1),
            y,
            &wrapped,
            inner.width.saturating_sub(1),
            None,
        );
        y = y.saturating_add(cells(wrapped.rows.len() + 1));
    }
}

/// The learning pulse being taken: both questions and their counts.
pub(super) fn draw_pulse(
    buf: &mut Buffer,
    area: Rect,
    view: &View,
    shown: PulseQuestion,
    theme: Theme,
) {
    let pulse = view.meeting.pulse();
    let inner = boxed(buf, area, 64, 12, "Learning pulse · counts only", theme);
    let w = inner.width;
    let mut y = inner.y;
    for (i, q) in PulseQuestion::ALL.into_iter().enumerate() {
        let here = q == shown;
        let style = if here { theme.strong() } else { theme.text() };
        let mark = if here { "▶" } else { " " };
        put_cut(
            buf,
            inner,
            inner.x,
            y,
            &format!("{mark} {}. {} (1-5)", i + 1, q.text()),
            w,
            style,
        );
        y = y.saturating_add(1);
        let c = pulse.counts(q);
        let counts = format!(
            "    1: {}   2: {}   3: {}   4: {}   5: {}   — {} answers",
            c[0],
            c[1],
            c[2],
            c[3],
            c[4],
            pulse.answers(q)
        );
        put_cut(buf, inner, inner.x, y, &counts, w, theme.text());
        y = y.saturating_add(2);
    }
    let note = format!("fewer than {PULSE_MIN_ANSWERS} answers to a question are not exported");
    put_cut(buf, inner, inner.x, y, &note, w, theme.quiet());
    keys_at_foot(buf, inner, view, "pulse", theme);
}

/// Before a factor: its number (what `factor:N` names) and, once a vote
/// was opened, its dots.
pub(super) fn factor_prefix(
    item: &crate::meeting::Item,
    m: &crate::meeting::Meeting,
    t: Theme,
    runs: &mut Vec<Run<'_>>,
) {
    if let Some(n) = m.factor_number(item.id) {
        runs.push(Run::new(format!("F{n}\u{a0}"), t.strong()));
    }
    if m.vote(item.section).is_some() {
        let n = m.votes_for(item.id);
        let dots = if n == 0 {
            "·0".to_string()
        } else {
            format!("{}{n}", "●".repeat(n.min(5) as usize))
        };
        runs.push(Run::new(format!("[{dots}]\u{a0}"), t.field()));
    }
}

/// After an action's fields: its type, the factor it answers, the tangent
/// it came from, and its quality flags.
pub(super) fn action_runs(
    item: &crate::meeting::Item,
    a: &crate::meeting::quick::ActionEntry,
    m: &crate::meeting::Meeting,
    today: chrono::NaiveDate,
    t: Theme,
    runs: &mut Vec<Run<'_>>,
) {
    let mut push = |s: String, style| {
        runs.push(Run::new("  ", t.text()));
        runs.push(Run::new(s.replace(' ', "\u{a0}"), style));
    };
    if let Some(k) = a.kind {
        push(format!("[{k}]"), t.tag());
    }
    if let Some(f) = a.factor {
        push(format!("→ F{f}"), t.field());
    }
    if item.from_tangent.is_some() {
        push("[from parking lot]".into(), t.quiet());
    }
    for f in crate::craft::actions::flags(a, today, m.factors().len()) {
        push(format!("[{}]", f.label()), t.flag());
    }
}
