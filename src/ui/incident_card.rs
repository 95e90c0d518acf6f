//! The incident card (`i`): every field of the incident and everyone on the
//! roster, one row each; the selected row is edited in place, in a box at
//! the card's foot that says what it expects and why an entry was refused.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Widget};
use ratatui_textarea::TextArea;

use super::View;
use super::paint::{cells, clear, fill, put, put_cut, width};
use super::theme::Theme;
use crate::meeting::incident::{Status, format_duration_ms};
use crate::meeting::text::sanitize_line;
use crate::meeting::{Meeting, PersonId};

/// A row of the card: one of the incident's fields, or a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardRow {
    /// The incident's title.
    Title,
    /// When it began.
    Started,
    /// Its severity.
    Severity,
    /// The postmortem's owner.
    Owner,
    /// Where the document stands.
    Status,
    /// What happened.
    Summary,
    /// Who and what was affected.
    Impact,
    /// Its links, one a line.
    Links,
    /// A person on the roster.
    Person(PersonId),
}

impl CardRow {
    /// The incident's fields, in the card's order.
    pub const FIELDS: [CardRow; 8] = [
        CardRow::Title,
        CardRow::Started,
        CardRow::Severity,
        CardRow::Owner,
        CardRow::Status,
        CardRow::Summary,
        CardRow::Impact,
        CardRow::Links,
    ];

    /// Every row of the card for `meeting`: the fields, then the people.
    pub fn all(meeting: &Meeting) -> Vec<CardRow> {
        CardRow::FIELDS
            .into_iter()
            .chain((0..meeting.people().len()).map(CardRow::Person))
            .collect()
    }

    /// The row's name on the card.
    pub fn label(self) -> &'static str {
        match self {
            CardRow::Title => "Title",
            CardRow::Started => "Started",
            CardRow::Severity => "Severity",
            CardRow::Owner => "Owner",
            CardRow::Status => "Status",
            CardRow::Summary => "Summary",
            CardRow::Impact => "Impact",
            CardRow::Links => "Links",
            CardRow::Person(_) => "Name",
        }
    }
}

/// What is being typed on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardTarget {
    /// A field's value, or a person's name.
    Row(CardRow),
    /// A person's role.
    Role(PersonId),
}

impl CardTarget {
    /// Whether the value may span lines (Alt-Enter starts one).
    pub fn multi_line(self) -> bool {
        matches!(
            self,
            CardTarget::Row(CardRow::Summary | CardRow::Impact | CardRow::Links)
        )
    }

    /// What the edit box says is expected.
    fn expects(self) -> &'static str {
        match self {
            CardTarget::Row(CardRow::Title) => "the incident's title (one line, not empty)",
            CardTarget::Row(CardRow::Started) => {
                "YYYY-MM-DD HH:MM, e.g. 2026-11-22 23:30; empty: unknown"
            }
            CardTarget::Row(CardRow::Severity) => "free text, e.g. SEV1 or P2; empty clears it",
            CardTarget::Row(CardRow::Owner) => "who owns the postmortem; empty clears it",
            CardTarget::Row(CardRow::Status) => "draft, in-review, reviewed or closed",
            CardTarget::Row(CardRow::Summary) => "what happened, in a few sentences",
            CardTarget::Row(CardRow::Impact) => "who and what was affected, and how badly",
            CardTarget::Row(CardRow::Links) => "one a line: URL, then an optional label",
            CardTarget::Row(CardRow::Person(_)) => "the person's name (not empty)",
            CardTarget::Role(_) => "the person's role, e.g. IC; empty clears it",
        }
    }

    /// The edit box's title.
    fn title(self, m: &Meeting) -> String {
        let name = |p: PersonId| {
            m.people()
                .get(p)
                .map_or_else(String::new, |x| sanitize_line(&x.name))
        };
        match self {
            CardTarget::Row(CardRow::Person(p)) => format!("Name of {}", name(p)),
            CardTarget::Role(p) => format!("Role of {}", name(p)),
            CardTarget::Row(r) => r.label().to_string(),
        }
    }
}

/// The text a target holds now, for the edit box to start from.
pub fn value_text(m: &Meeting, target: CardTarget) -> String {
    let d = m.incident_details();
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    match target {
        // The placeholder is not a title anyone typed: the box opens empty.
        CardTarget::Row(CardRow::Title) if m.incident() == crate::meeting::UNTITLED_INCIDENT => {
            String::new()
        }
        CardTarget::Row(CardRow::Title) => m.incident().to_string(),
        CardTarget::Row(CardRow::Started) => d
            .started
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default(),
        CardTarget::Row(CardRow::Severity) => opt(&d.severity),
        CardTarget::Row(CardRow::Owner) => opt(&d.owner),
        CardTarget::Row(CardRow::Status) => d.status.to_string(),
        CardTarget::Row(CardRow::Summary) => opt(&d.summary),
        CardTarget::Row(CardRow::Impact) => opt(&d.impact),
        CardTarget::Row(CardRow::Links) => d
            .links
            .iter()
            .map(|l| match &l.label {
                Some(label) => format!("{} {label}", l.url),
                None => l.url.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        CardTarget::Row(CardRow::Person(p)) => m
            .people()
            .get(p)
            .map(|x| x.name.clone())
            .unwrap_or_default(),
        CardTarget::Role(p) => m
            .people()
            .get(p)
            .and_then(|x| x.role.clone())
            .unwrap_or_default(),
    }
}

/// What the app shows of the card.
pub struct CardView<'a> {
    /// The selected row, an index into [`CardRow::all`].
    pub row: usize,
    /// What is being typed, and the text area it is typed in.
    pub editing: Option<(CardTarget, &'a TextArea<'static>)>,
    /// Why the last entry was refused, shown above what was typed.
    pub error: Option<&'a str>,
}

/// Widest the card is drawn.
const CARD_MAX_W: u16 = 110;
/// Columns of the label column.
const LABEL_W: u16 = 10;
/// Rows the text being typed shows at least and at most.
const TEXT_MIN: u16 = 1;
const TEXT_MAX: u16 = 6;

/// One line of the card's list.
struct CardLine {
    /// The row it belongs to (None: a heading or a line for information).
    row: Option<usize>,
    /// The label, on a row's first line.
    label: String,
    /// The value's pieces.
    runs: Vec<(String, Style)>,
}

/// A value that is not set.
fn unset(theme: Theme, what: &str) -> Vec<(String, Style)> {
    vec![(what.to_string(), theme.quiet())]
}

/// Splits a multi-line value into one piece per line.
fn lines_of(text: &str, theme: Theme) -> Vec<Vec<(String, Style)>> {
    text.lines()
        .map(|l| vec![(sanitize_line(l), theme.text())])
        .collect()
}

/// The key moments and the figures between them, as one line.
fn moments_line(m: &Meeting, theme: Theme) -> Vec<(String, Style)> {
    let moments = m.moments();
    let d = moments.durations();
    let mut runs = Vec::new();
    let at = |t: Option<chrono::NaiveDateTime>| {
        t.map_or_else(|| "—".to_string(), |t| t.format("%H:%M").to_string())
    };
    let figure = |ms: Option<i64>| ms.map(|ms| format!(" (+{})", format_duration_ms(ms)));
    let parts = [
        ("began", moments.began, None),
        ("detected", moments.detected, figure(d.time_to_detect_ms)),
        (
            "mitigated",
            moments.mitigated,
            figure(d.time_to_mitigate_ms),
        ),
        ("resolved", moments.resolved, figure(d.time_to_resolve_ms)),
    ];
    for (i, (name, t, fig)) in parts.into_iter().enumerate() {
        if i > 0 {
            runs.push((" · ".to_string(), theme.quiet()));
        }
        runs.push((format!("{name} "), theme.quiet()));
        runs.push((at(t), theme.time()));
        if let Some(f) = fig {
            runs.push((f, theme.text()));
        }
    }
    runs
}

/// The lines of the list; multi-line values give all their lines when
/// `full`, else their first with how many more there are.
fn card_lines(m: &Meeting, theme: Theme, full: bool) -> Vec<CardLine> {
    let d = m.incident_details();
    let mut out = Vec::new();
    let mut push = |row: Option<usize>, label: &str, values: Vec<Vec<(String, Style)>>| {
        let n = values.len();
        for (i, mut runs) in values.into_iter().enumerate() {
            if !full && i == 1 {
                if let Some(last) = out.last_mut() {
                    let CardLine { runs: prev, .. } = last;
                    prev.push((format!("  (+{} more lines)", n - 1), theme.quiet()));
                }
                break;
            }
            if runs.is_empty() {
                runs = unset(theme, "");
            }
            out.push(CardLine {
                row,
                label: if i == 0 {
                    label.to_string()
                } else {
                    String::new()
                },
                runs,
            });
        }
    };
    let one = |v: &Option<String>, none: &str| match v {
        Some(s) => lines_of(s, theme),
        None => vec![unset(theme, none)],
    };
    for (i, row) in CardRow::FIELDS.into_iter().enumerate() {
        let values = match row {
            CardRow::Title => vec![vec![(sanitize_line(m.incident()), theme.strong())]],
            CardRow::Started => vec![match d.started {
                Some(t) => vec![(t.format("%Y-%m-%d %H:%M").to_string(), theme.time())],
                None => unset(theme, "not set: bare times go on the meeting's day"),
            }],
            CardRow::Severity => one(&d.severity, "not set"),
            CardRow::Owner => one(&d.owner, "not set"),
            CardRow::Status => vec![
                Status::ALL
                    .into_iter()
                    .flat_map(|s| {
                        let word = if s == d.status {
                            (format!("[{s}]"), theme.strong())
                        } else {
                            (format!(" {s} "), theme.quiet())
                        };
                        [word, (" ".to_string(), theme.text())]
                    })
                    .collect(),
            ],
            CardRow::Summary => one(&d.summary, "not written yet"),
            CardRow::Impact => one(&d.impact, "not written yet"),
            CardRow::Links if d.links.is_empty() => vec![unset(theme, "none")],
            CardRow::Links => d
                .links
                .iter()
                .map(|l| {
                    let mut runs = Vec::new();
                    if let Some(label) = &l.label {
                        runs.push((sanitize_line(label), theme.text()));
                        runs.push((" — ".to_string(), theme.quiet()));
                    }
                    runs.push((sanitize_line(&l.url), theme.link()));
                    runs
                })
                .collect(),
            CardRow::Person(_) => continue,
        };
        push(Some(i), row.label(), values);
        if row == CardRow::Started {
            push(None, "Moments", vec![moments_line(m, theme)]);
        }
    }
    push(
        None,
        "People",
        vec![unset(
            theme,
            if m.people().is_empty() {
                "no one on the roster yet"
            } else {
                "name (role) — r sets the role, l marks as left"
            },
        )],
    );
    for (p, person) in m.people().iter().enumerate() {
        let mut runs = vec![(sanitize_line(&person.name), theme.strong())];
        if let Some(role) = person.role.as_deref().map(sanitize_line)
            && !role.trim().is_empty()
        {
            runs.push((format!(" ({})", role.trim()), theme.text()));
        }
        if m.has_left(p) {
            runs.push(("  — left".to_string(), theme.quiet()));
        }
        push(
            Some(CardRow::FIELDS.len() + p),
            &format!("{:>2}", p + 1),
            vec![runs],
        );
    }
    out
}

/// The incident card, drawn over the meeting's panels.
pub struct IncidentCard<'a> {
    /// What the screen is drawn from.
    pub view: &'a View<'a>,
    /// The card's state.
    pub card: &'a CardView<'a>,
    /// The colours.
    pub theme: Theme,
}

impl Widget for IncidentCard<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let IncidentCard { view, card, theme } = self;
        let m = view.meeting;
        // As wide as reads well and as tall as it needs, centred at the
        // top: on a wide screen the meeting stays in sight around it.
        let want = cells(card_lines(m, theme, true).len())
            .saturating_add(2)
            .saturating_add(if card.editing.is_some() {
                TEXT_MAX + 4
            } else {
                0
            });
        let w = area.width.min(CARD_MAX_W);
        let area = Rect::new(
            area.x + (area.width - w) / 2,
            area.y,
            w,
            area.height.min(want),
        );
        clear(buf, area);
        let block = Block::bordered()
            .border_type(BorderType::Thick)
            .border_style(theme.strong())
            .title(Span::styled(" Incident card ", theme.panel_title()));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.is_empty() {
            return;
        }

        // The edit box takes the card's foot; the list keeps the rest, and
        // at least its selected row.
        let edit_h = card.editing.map_or(0, |(_, textarea)| {
            let text = cells(textarea.lines().len()).clamp(TEXT_MIN, TEXT_MAX);
            let error = u16::from(card.error.is_some());
            (text + 1 + error + 2).min(inner.height.saturating_sub(1))
        });
        let list = Rect::new(
            inner.x,
            inner.y,
            inner.width,
            inner.height.saturating_sub(edit_h),
        );
        draw_list(buf, list, m, card.row, theme);
        if let Some((target, textarea)) = card.editing {
            let rect = Rect::new(inner.x, list.bottom(), inner.width, edit_h);
            draw_edit(buf, rect, m, target, textarea, card.error, theme);
        }
    }
}

/// Draws the rows, scrolled so that the selected one shows.
fn draw_list(buf: &mut Buffer, area: Rect, m: &Meeting, selected: usize, theme: Theme) {
    if area.is_empty() {
        return;
    }
    let rows = usize::from(area.height);
    let mut lines = card_lines(m, theme, true);
    if lines.len() > rows {
        lines = card_lines(m, theme, false);
    }
    let first = lines.iter().position(|l| l.row == Some(selected));
    let last = lines.iter().rposition(|l| l.row == Some(selected));
    let top = match (first, last) {
        (Some(f), Some(l)) => l.saturating_add(1).saturating_sub(rows).min(f),
        _ => 0,
    };
    let label_w = LABEL_W.min(area.width / 3);
    for (i, line) in lines.iter().skip(top).take(rows).enumerate() {
        let y = area.y.saturating_add(cells(i));
        let chosen = line.row == Some(selected);
        let row_rect = Rect::new(area.x, y, area.width, 1);
        if chosen {
            fill(buf, row_rect, theme.selected());
        }
        let mark = if chosen && !line.label.is_empty() {
            "▶"
        } else {
            " "
        };
        let style = |s: Style| if chosen { s.patch(theme.selected()) } else { s };
        let x = put(buf, row_rect, area.x, y, mark, 1, style(theme.strong()));
        put_cut(
            buf,
            row_rect,
            x,
            y,
            &line.label,
            label_w.saturating_sub(1),
            style(theme.field()),
        );
        let mut x = area.x.saturating_add(label_w).saturating_add(1);
        for (text, s) in &line.runs {
            let room = area.right().saturating_sub(x);
            if room == 0 {
                break;
            }
            x = put_cut(buf, row_rect, x, y, text, room, style(*s));
        }
    }
    // Say when rows are out of sight.
    let hidden_above = top > 0;
    let hidden_below = lines.len() > top + rows;
    let marker = match (hidden_above, hidden_below) {
        (true, true) => Some("↑↓ more"),
        (true, false) => Some("↑ more"),
        (false, true) => Some("↓ more"),
        (false, false) => None,
    };
    if let Some(mk) = marker {
        let w = cells(width(mk));
        let y = area.bottom().saturating_sub(1);
        put(
            buf,
            area,
            area.right().saturating_sub(w),
            y,
            mk,
            w,
            theme.quiet(),
        );
    }
}

/// Draws the edit box: what is expected, why the entry was refused, and
/// the text being typed.
fn draw_edit(
    buf: &mut Buffer,
    area: Rect,
    m: &Meeting,
    target: CardTarget,
    textarea: &TextArea<'static>,
    error: Option<&str>,
    theme: Theme,
) {
    if area.is_empty() {
        return;
    }
    clear(buf, area);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.strong())
        .title(Span::styled(
            format!(" {} ", target.title(m)),
            theme.panel_title(),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let mut y = inner.y;
    put_cut(
        buf,
        inner,
        inner.x,
        y,
        target.expects(),
        inner.width,
        theme.quiet(),
    );
    y = y.saturating_add(1);
    if let Some(why) = error {
        put_cut(
            buf,
            inner,
            inner.x,
            y,
            &format!("✗ {why}"),
            inner.width,
            theme.alarm(),
        );
        y = y.saturating_add(1);
    }
    let text = Rect::new(inner.x, y, inner.width, inner.bottom().saturating_sub(y));
    if !text.is_empty() {
        textarea.render(text, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_a_row_before_the_people() {
        let agenda = crate::agenda::default_agenda();
        let people = [crate::meeting::Participant {
            name: "Ana".into(),
            role: None,
        }];
        let first = crate::meeting::Stamped {
            at: chrono::Utc::now(),
            event: Meeting::start_event("x", &agenda, &people, 0),
        };
        let m = Meeting::begin(&first).unwrap();
        let rows = CardRow::all(&m);
        assert_eq!(rows.len(), 9);
        assert_eq!(rows[8], CardRow::Person(0));
        assert!(CardTarget::Row(CardRow::Links).multi_line());
        assert!(!CardTarget::Role(0).multi_line());
    }
}
