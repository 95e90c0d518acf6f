//! The roster: who is here, the key that marks them speaking, their talk
//! time and share, who speaks now and who has not been heard in this section.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Widget};

use super::paint::{cells, fill, put, put_cut, put_middle, width};
use super::theme::Theme;
use super::wrap::{Run, draw as draw_rows, wrap};
use super::{View, format};

/// Roster keys: digits 1-9 mark the first nine people.
const KEYED: usize = 9;
/// Inner width from which each person fits on one row with their state.
const WIDE: u16 = 44;
/// Columns for the talk time and the share.
const TALK_W: u16 = 6;
const SHARE_W: u16 = 5;
/// Columns for the state words (`● speaking 12:34`).
const STATE_W: u16 = 17;
/// Rows the invite hint may take.
const HINT_ROWS: usize = 6;

/// Where a person stands in this section.
enum State {
    Speaking(i64),
    Unheard,
    Heard,
}

struct Entry {
    digit: String,
    name: String,
    talk: String,
    share: String,
    state: State,
}

/// How the roster is laid out in the room it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One row each, state words at the end.
    Wide,
    /// A second row for the speaker and the unheard.
    Narrow,
    /// One row each, a symbol for the state, a legend below.
    Compact,
}

fn entries(view: &View) -> Vec<Entry> {
    let m = view.meeting;
    m.people()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let talk = m.talk(i, view.now);
            let state = match m.speaker() {
                Some((s, since)) if s == i => {
                    State::Speaking((view.now - since).num_milliseconds())
                }
                _ if !m.has_spoken(m.current(), i) => State::Unheard,
                _ => State::Heard,
            };
            Entry {
                digit: if i < KEYED {
                    format!("{}", i + 1)
                } else {
                    String::new()
                },
                // A role that cleaned to nothing (or came so from a journal) is no role.
                name: {
                    let name = match p.role.as_deref().map(str::trim) {
                        Some(r) if !r.is_empty() => format!("{} ({r})", p.name),
                        _ => p.name.clone(),
                    };
                    if m.has_left(i) {
                        format!("{name} · left")
                    } else {
                        name
                    }
                },
                // Hidden unless the facilitator shows them: shares on the
                // projected screen work against the room's safety.
                talk: if view.show_talk {
                    format::spent(talk.talk_ms)
                } else {
                    String::new()
                },
                share: if view.show_talk {
                    format::percent(talk.share)
                } else {
                    String::new()
                },
                state,
            }
        })
        .collect()
}

fn state_words(state: &State) -> Option<String> {
    match state {
        State::Speaking(ms) => Some(format!("● speaking {}", format::spent(*ms))),
        State::Unheard => Some("○ not heard yet".into()),
        State::Heard => None,
    }
}

/// The raised hands (in order), the "invite others" hint and who has not
/// been heard all meeting.
fn hint(view: &View) -> Option<String> {
    let lines: Vec<String> = [
        super::room::hands_line(view),
        invite(view),
        super::craft::unheard_in_meeting(view),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The "invite others" hint in words, when the meeting offers one.
fn invite(view: &View) -> Option<String> {
    let m = view.meeting;
    let h = m.invite_hint(view.now)?;
    let name = |p: usize| m.people().get(p).map_or("?", |p| p.name.as_str());
    let invite = if h.unheard.is_empty() {
        "others".to_string()
    } else {
        h.unheard
            .iter()
            .map(|&p| name(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let held = if view.show_talk {
        format::percent(h.share)
    } else {
        "most".to_string()
    };
    Some(format!(
        "» {} has held {held} of this section — invite {invite}",
        name(h.dominant),
    ))
}

fn hint_rows(hint: &Option<String>, width: u16) -> usize {
    hint.as_deref().map_or(0, |h| {
        let runs = [Run::new(h, Style::new())];
        wrap(&runs, width, 2, HINT_ROWS).rows.len() + 1
    })
}

fn shape(entries: &[Entry], width: u16, rows: usize, hint: usize) -> Shape {
    if width >= WIDE {
        return Shape::Wide;
    }
    let marked = entries
        .iter()
        .filter(|e| !matches!(e.state, State::Heard))
        .count();
    if entries.len() + marked + hint <= rows {
        Shape::Narrow
    } else {
        Shape::Compact
    }
}

fn rows_for(entries: &[Entry], shape: Shape) -> usize {
    let marked = entries
        .iter()
        .filter(|e| !matches!(e.state, State::Heard))
        .count();
    match shape {
        Shape::Wide => entries.len(),
        Shape::Narrow => entries.len() + marked,
        Shape::Compact => entries.len() + usize::from(marked > 0),
    }
}

/// Rows the roster wants at `width` columns, borders included, at most `max`.
pub fn height(view: &View, width: u16, max: u16) -> u16 {
    let inner_w = width.saturating_sub(2);
    let inner_max = usize::from(max.saturating_sub(2));
    let entries = entries(view);
    let hint = hint_rows(&hint(view), inner_w);
    let shape = shape(&entries, inner_w, inner_max, hint);
    let want = rows_for(&entries, shape).max(1) + hint;
    cells(want).saturating_add(2).min(max)
}

/// The roster: who speaks, who has not been heard, talk time.
pub struct Roster<'a>(pub super::Panel<'a>);

impl Widget for Roster<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let super::Panel { view, theme } = self.0;
        let block = Block::bordered()
            .border_style(theme.border())
            .title(Span::styled(" Roster · who speaks ", theme.panel_title()));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.is_empty() {
            return;
        }
        let entries = entries(view);
        if entries.is_empty() {
            put_cut(
                buf,
                inner,
                inner.x,
                inner.y,
                "no one on the roster yet",
                inner.width,
                theme.quiet(),
            );
            if let Some(key) = &view.keys.person_key {
                let hint = format!("press {key} to add a person");
                let y = inner.y.saturating_add(1);
                put_cut(buf, inner, inner.x, y, &hint, inner.width, theme.hint());
            }
            return;
        }
        let hint = hint(view);
        let hint_h = hint_rows(&hint, inner.width);
        let rows = usize::from(inner.height);
        let shape = shape(&entries, inner.width, rows, hint_h);
        // The people come first; the hint gets what is left.
        let people_rows = rows_for(&entries, shape).min(rows);
        let mut y = inner.y;
        let end = inner.y.saturating_add(cells(people_rows));
        for (i, e) in entries.iter().enumerate() {
            if y >= end {
                break;
            }
            let last_row = y.saturating_add(1) >= end;
            if last_row && i + 1 < entries.len() {
                let more = format!("… and {} more", entries.len() - i);
                put_cut(buf, inner, inner.x, y, &more, inner.width, theme.quiet());
                y = y.saturating_add(1);
                break;
            }
            y = draw_entry(buf, inner, y, e, shape, theme);
        }
        if shape == Shape::Compact
            && entries.iter().any(|e| !matches!(e.state, State::Heard))
            && y < end
        {
            let legend = "● speaking  ○ not heard yet";
            put_cut(buf, inner, inner.x, y, legend, inner.width, theme.quiet());
            y = y.saturating_add(1);
        }
        if let Some(h) = hint {
            let y = y.saturating_add(1);
            let left = usize::from(inner.bottom().saturating_sub(y));
            let runs = [Run::new(h.as_str(), theme.hint())];
            let wrapped = wrap(&runs, inner.width, 2, left.min(HINT_ROWS));
            draw_rows(buf, inner, inner.x, y, &wrapped, inner.width, None);
        }
    }
}

/// Draws one person from row `y`; returns the row after them.
fn draw_entry(buf: &mut Buffer, inner: Rect, y: u16, e: &Entry, shape: Shape, theme: Theme) -> u16 {
    let speaking = matches!(e.state, State::Speaking(_));
    let rows: u16 = if shape == Shape::Narrow && !matches!(e.state, State::Heard) {
        2
    } else {
        1
    };
    let base = if speaking {
        theme.speaker()
    } else {
        theme.text()
    };
    if speaking {
        fill(
            buf,
            Rect::new(inner.x, y, inner.width, rows).intersection(inner),
            base,
        );
    }
    let x = inner.x;
    let w = inner.width;
    put(buf, inner, x, y, &e.digit, 1, base.patch(theme.strong()));
    let mut name_x = x.saturating_add(2);
    let mut fixed = 2 + TALK_W + SHARE_W;
    if shape == Shape::Compact {
        let sym = match e.state {
            State::Speaking(_) => "●",
            State::Unheard => "○",
            State::Heard => " ",
        };
        let style = if matches!(e.state, State::Unheard) {
            theme.unheard()
        } else {
            base
        };
        put(buf, inner, name_x, y, sym, 1, style);
        name_x = name_x.saturating_add(2);
        fixed += 2;
    }
    if shape == Shape::Wide {
        fixed += 2 + STATE_W;
    }
    let name_w = w.saturating_sub(fixed);
    // Shortened in the middle, so that the role in brackets stays.
    put_middle(
        buf,
        inner,
        name_x,
        y,
        &e.name,
        name_w,
        base.patch(theme.strong()),
    );
    let talk_end = name_x.saturating_add(name_w).saturating_add(TALK_W);
    right(buf, inner, talk_end, y, &e.talk, base);
    right(
        buf,
        inner,
        talk_end.saturating_add(SHARE_W),
        y,
        &e.share,
        base,
    );
    let Some(words) = state_words(&e.state) else {
        return y.saturating_add(1);
    };
    let style = if speaking { base } else { theme.unheard() };
    match shape {
        Shape::Wide => {
            let sx = talk_end.saturating_add(SHARE_W + 2);
            put_cut(buf, inner, sx, y, &words, STATE_W, style);
        }
        Shape::Narrow => {
            let sx = x.saturating_add(2);
            put_cut(
                buf,
                inner,
                sx,
                y.saturating_add(1),
                &words,
                w.saturating_sub(2),
                style,
            );
        }
        Shape::Compact => {}
    }
    y.saturating_add(rows)
}

/// Writes `text` so that it ends at column `end`.
fn right(buf: &mut Buffer, clip: Rect, end: u16, y: u16, text: &str, style: Style) {
    let w = cells(width(text));
    put(buf, clip, end.saturating_sub(w), y, text, w, style);
}
