//! The postmortem document: GitHub-flavoured Markdown that renders the
//! scribe's words literally and passes markdownlint's default rules.
//!
//! User text is never trusted as Markdown:
//! - inline syntax is backslash-escaped (`\ ` `` ` `` `* _ [ ] < > & | ~ @`),
//!   so nothing becomes emphasis, code, a link, HTML or an entity, and a
//!   `|` never ends a table cell;
//! - a line's block syntax is escaped where the line starts (`#`, `-`, `+`,
//!   `=`, `1.`), and leading spaces go, so no line becomes a heading, a list,
//!   a quote, code or a setext underline;
//! - `://`, `www.` and `@` are broken with a backslash, so a URL or an e-mail
//!   address in the prose stays text (markdownlint refuses bare URLs); the
//!   one source URL of a timeline event becomes an `<autolink>`, its unsafe
//!   characters percent-encoded;
//! - inside a table cell, the lines of a multi-line item are joined with
//!   ` / `, the usual way to quote line breaks in running text; in a list
//!   item they stay separate lines (hard breaks), indented under the item;
//!   blank lines inside an item are dropped;
//! - headings lose trailing `.,;:!` (markdownlint's MD026), and every agenda
//!   section's heading is numbered, so duplicate titles still make unique
//!   headings (MD024).

use std::fmt::Write;

use super::{Options, clean, local, over_ms, span, spent_ms};
use crate::agenda::{Fills, SectionKind};
use crate::meeting::incident::format_duration_ms;
use crate::meeting::{Flag, Item, Meeting, OvertimeChoice, Parsed, secs_to_ms};

/// What an empty table cell shows: markdownlint's compact table style wants
/// content in every cell, and a dash reads as "none".
const NONE: &str = "—";
/// Marks a missing field that the room should fill in.
const FLAG: &str = "⚠";
/// Joins the lines of a multi-line text inside a table cell.
const CELL_LINE_JOIN: &str = " / ";
/// Trailing heading punctuation markdownlint refuses by default (MD026).
const HEADING_PUNCTUATION: &[char] = &['.', ',', ';', ':', '!', '。', '，', '；', '：', '！'];

/// Renders the minutes.
pub(super) fn render(m: &Meeting, opts: &Options) -> String {
    let mut doc = Doc::default();
    header(&mut doc, m);
    part(
        &mut doc,
        m,
        Fills::Summary,
        m.incident_details().summary.as_deref(),
    );
    part(
        &mut doc,
        m,
        Fills::Impact,
        m.incident_details().impact.as_deref(),
    );
    let mut parking_shown_in: Option<usize> = None;
    for (i, section) in m.agenda().sections.iter().enumerate() {
        let title = match section.fills {
            Some(f) => f.heading().to_string(),
            None => heading_text(&section.title),
        };
        doc.heading(2, &format!("{}. {title}", i + 1));
        if let Some(f @ (Fills::Summary | Fills::Impact)) = section.fills {
            doc.para(&format!("Captured under {} above.", f.heading()));
            continue;
        }
        let items = m.items_in(i);
        match section.kind {
            SectionKind::Notes => notes(&mut doc, &items),
            SectionKind::Timeline => timeline(&mut doc, m, &items),
            SectionKind::Factors => factors(&mut doc, m, &items),
            SectionKind::Actions => actions(&mut doc, m, &items),
            SectionKind::ParkingLot => match parking_shown_in {
                // Every parking-lot section sees every tangent; listing
                // them twice would read as twice as many.
                Some(first) => doc.para(&format!(
                    "The parking lot is reviewed in section {}.",
                    first + 1
                )),
                None => {
                    parking_shown_in = Some(i);
                    parking(&mut doc, m, &items);
                }
            },
        }
    }
    let parked = m.parked();
    if parking_shown_in.is_none() && !parked.is_empty() {
        // Tangents are data, not a template section: with no review in the
        // agenda they still belong in the minutes.
        doc.heading(2, "Parking lot");
        parking(&mut doc, m, &parked);
    }
    doc.heading(2, "Appendix: Meeting record");
    attendees(&mut doc, m);
    time_per_section(&mut doc, m);
    pulse(&mut doc, m);
    if opts.talk_times {
        talk_times(&mut doc, m);
    }
    doc.finish()
}

/// The summary or impact: the incident's own field, then the notes of every
/// section that fills it; a flag when there is neither.
fn part(doc: &mut Doc, m: &Meeting, fills: Fills, field: Option<&str>) {
    doc.heading(2, fills.heading());
    let mut any = false;
    if let Some(text) = field {
        any = true;
        doc.para(&or_none(list_text(text)));
    }
    for (i, s) in m.agenda().sections.iter().enumerate() {
        if s.fills == Some(fills) {
            let items = m.items_in(i);
            if !items.is_empty() {
                any = true;
                notes(doc, &items);
            }
        }
    }
    if !any {
        doc.para(&format!("{FLAG} Not written yet."));
    }
}

/// The incident's metadata: what the published templates put at the top.
fn metadata(m: &Meeting) -> Vec<String> {
    let d = m.incident_details();
    let unset = || format!("{FLAG} not set");
    let figure = |ms: Option<i64>, needs: &str| match ms {
        Some(ms) => format_duration_ms(ms),
        None => format!("not known (needs {needs})"),
    };
    let f = m.moments().durations();
    let links = if d.links.is_empty() {
        NONE.to_string()
    } else {
        let l: Vec<String> = d
            .links
            .iter()
            .map(|l| match &l.label {
                Some(label) => format!("{} {}", inline(label), source_cell(&l.url)),
                None => source_cell(&l.url),
            })
            .collect();
        l.join(", ")
    };
    vec![
        format!("Status: {}", d.status),
        format!(
            "Severity: {}",
            d.severity.as_deref().map_or_else(unset, inline)
        ),
        format!(
            "Incident start: {}",
            d.started.map_or_else(unset, |t| format!(
                "{} {}",
                t.format("%Y-%m-%d %H:%M"),
                utc_offset(m)
            ))
        ),
        format!(
            "Incident duration: {}",
            figure(f.duration_ms, "!resolved and a start or !began")
        ),
        format!(
            "Time to detect: {}",
            figure(f.time_to_detect_ms, "!detected and a start or !began")
        ),
        format!(
            "Time to mitigate: {}",
            figure(f.time_to_mitigate_ms, "!mitigated and a start or !began")
        ),
        format!(
            "Time to resolve: {}",
            figure(f.time_to_resolve_ms, "!resolved and a start or !began")
        ),
        format!("Owner: {}", d.owner.as_deref().map_or_else(unset, inline)),
        format!("Links: {links}"),
    ]
}

/// Blocks separated by exactly one blank line, ending in one newline
/// (markdownlint's MD012, MD022, MD032, MD047, MD058).
#[derive(Default)]
struct Doc {
    out: String,
}

impl Doc {
    fn block(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn heading(&mut self, level: usize, text: &str) {
        self.block();
        for _ in 0..level {
            self.out.push('#');
        }
        self.out.push(' ');
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn para(&mut self, text: &str) {
        self.block();
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// A bullet list; each entry is already Markdown (continuation lines
    /// indented by the caller).
    fn list(&mut self, entries: impl IntoIterator<Item = String>) {
        self.block();
        for e in entries {
            self.out.push_str("- ");
            self.out.push_str(&e);
            self.out.push('\n');
        }
    }

    /// A table; every cell is already escaped, one line and non-empty.
    fn table<const N: usize>(&mut self, header: [&str; N], rows: &[[String; N]]) {
        self.block();
        row(&mut self.out, header.iter().copied());
        row(&mut self.out, header.iter().map(|_| "---"));
        for r in rows {
            row(&mut self.out, r.iter().map(String::as_str));
        }
    }

    fn finish(self) -> String {
        self.out
    }
}

/// One table row in markdownlint's compact style: `| a | b |`.
fn row<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(c);
        out.push_str(" |");
    }
    out.push('\n');
}

fn header(doc: &mut Doc, m: &Meeting) {
    let incident = if clean(m.incident()).trim().is_empty() {
        crate::meeting::UNTITLED_INCIDENT.to_string()
    } else {
        heading_text(m.incident())
    };
    doc.heading(1, &format!("Postmortem: {incident}"));
    let (start, end) = span(m);
    let (ls, le) = (local(m, start), local(m, end));
    let date = if ls.date_naive() == le.date_naive() {
        ls.format("%Y-%m-%d (%A)").to_string()
    } else {
        format!("{} to {}", ls.format("%Y-%m-%d"), le.format("%Y-%m-%d"))
    };
    let time = format!(
        "{} to {} {} ({})",
        ls.format("%H:%M"),
        le.format("%H:%M"),
        utc_offset(m),
        duration_words((end - start).num_milliseconds())
    );
    let mut meta = metadata(m);
    meta.extend([
        format!("Meeting date: {date}"),
        format!("Meeting time: {time}"),
        format!("Agenda: {}", or_none(inline(&m.agenda().name))),
    ]);
    doc.list(meta);
}

fn attendees(doc: &mut Doc, m: &Meeting) {
    doc.heading(3, "Attendees");
    if m.people().is_empty() {
        doc.para("No attendees recorded.");
        return;
    }
    doc.list(m.people().iter().enumerate().map(|(n, p)| {
        let name = or_none(inline(&p.name));
        let name = match p.role.as_deref().map(inline).filter(|r| !r.is_empty()) {
            Some(role) => format!("{name}, {role}"),
            None => name,
        };
        if m.has_left(n) {
            format!("{name} (left early)")
        } else {
            name
        }
    }));
}

fn nothing(doc: &mut Doc) {
    doc.para("Nothing captured.");
}

fn notes(doc: &mut Doc, items: &[&Item]) {
    if items.is_empty() {
        return nothing(doc);
    }
    doc.list(items.iter().map(|i| or_none(list_text(&i.text))));
}

fn timeline(doc: &mut Doc, m: &Meeting, items: &[&Item]) {
    if items.is_empty() {
        return nothing(doc);
    }
    let mut untimed = 0;
    let times = m.timeline_times(items);
    let rows: Vec<[String; 3]> = items
        .iter()
        .zip(times)
        .map(|(i, time)| match &i.parsed {
            Parsed::Timeline(t) => {
                let time = time.unwrap_or_else(|| {
                    untimed += 1;
                    flag(Flag::NoTime)
                });
                let source = t
                    .source
                    .as_deref()
                    .map_or_else(|| NONE.to_string(), source_cell);
                // The moment as the scribe typed it, so the table reads
                // back (an import) with it.
                let event = match t.moment {
                    Some(moment) if t.text.is_empty() => format!("!{moment}"),
                    Some(moment) => format!("{} !{moment}", cell(&t.text)),
                    None => cell(&t.text),
                };
                [time, event, source]
            }
            // An item whose section changed kind (a replayed journal on an
            // edited agenda) still shows, as typed.
            _ => [NONE.to_string(), cell(&i.text), NONE.to_string()],
        })
        .collect();
    doc.table(["Time", "Event", "Source"], &rows);
    if untimed > 0 {
        doc.para(&format!(
            "{FLAG} {} without a time, listed last.",
            count(untimed, "event", "events")
        ));
    }
}

/// A table cell for something missing: `⚠ no owner`.
fn flag(f: Flag) -> String {
    format!("{FLAG} {f}")
}

fn factors(doc: &mut Doc, m: &Meeting, items: &[&Item]) {
    if items.is_empty() {
        return nothing(doc);
    }
    // Numbers only where an action names a factor by one; dots once voted.
    let linked = m
        .all_items()
        .any(|i| !i.deleted && matches!(&i.parsed, Parsed::Action(a) if a.factor.is_some()));
    let numbers = if linked {
        m.factor_numbers()
    } else {
        Default::default()
    };
    let voted = items.first().and_then(|i| m.vote(i.section)).is_some();
    if voted {
        doc.para("In the order of the room's dot-vote, most votes first.");
    }
    doc.list(items.iter().map(|i| {
        let mut line = String::new();
        if let Some(n) = numbers.get(&i.id) {
            line.push_str(&format!("F{n}: "));
        }
        line.push_str(&match &i.parsed {
            Parsed::Factor(f) if !f.tags.is_empty() => {
                let tags: Vec<String> = f.tags.iter().map(|t| inline(t)).collect();
                format!(
                    "{} (tags: {})",
                    or_none(list_text(&f.text)),
                    tags.join(", ")
                )
            }
            Parsed::Factor(f) => or_none(list_text(&f.text)),
            _ => or_none(list_text(&i.text)),
        });
        if voted {
            let n = m.votes_for(i.id);
            line.push_str(&format!(" ({})", count(n as usize, "vote", "votes")));
        }
        line
    }));
}

/// The learning pulse, each question with enough answers; fewer are not
/// shown, so that nobody's answer can be told from the counts.
fn pulse(doc: &mut Doc, m: &Meeting) {
    use crate::meeting::{PULSE_MIN_ANSWERS, PulseQuestion};
    if !m.pulse().opened {
        return;
    }
    doc.heading(3, "Learning pulse");
    let rows: Vec<[String; 7]> = PulseQuestion::ALL
        .into_iter()
        .filter(|q| m.pulse().answers(*q) >= PULSE_MIN_ANSWERS)
        .map(|q| {
            let c = m.pulse().counts(q);
            [
                q.text().to_string(),
                c[0].to_string(),
                c[1].to_string(),
                c[2].to_string(),
                c[3].to_string(),
                c[4].to_string(),
                m.pulse().answers(q).to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        doc.para(&format!(
            "Fewer than {PULSE_MIN_ANSWERS} answers to each question: not shown."
        ));
        return;
    }
    doc.table(
        [
            "Question (1 not at all, 5 fully)",
            "1",
            "2",
            "3",
            "4",
            "5",
            "Answers",
        ],
        &rows,
    );
}

/// What an action's cell says besides its description: its type, the
/// factor it answers, the tangent it came from.
fn action_links(m: &Meeting, i: &Item, a: &crate::meeting::quick::ActionEntry) -> String {
    let mut out = String::new();
    if let Some(k) = a.kind {
        out.push_str(&format!(" (type: {k})"));
    }
    if let Some(n) = a.factor {
        let what = m
            .factors()
            .get((n as usize).saturating_sub(1))
            .and_then(|f| match &f.parsed {
                Parsed::Factor(f) => Some(f.text.clone()),
                _ => None,
            });
        match what {
            Some(t) => out.push_str(&format!(" (answers F{n}: {})", cell(&t))),
            None => out.push_str(&format!(" (answers F{n})")),
        }
    }
    if i.from_tangent.is_some() {
        out.push_str(" (from the parking lot)");
    }
    out
}

fn actions(doc: &mut Doc, m: &Meeting, items: &[&Item]) {
    if items.is_empty() {
        return nothing(doc);
    }
    let mut flagged = 0;
    let rows: Vec<[String; 5]> = items
        .iter()
        .map(|i| match &i.parsed {
            Parsed::Action(a) => {
                if !i.flags().is_empty() {
                    flagged += 1;
                }
                [
                    format!("{}{}", cell(&a.description), action_links(m, i, a)),
                    a.owner.as_deref().map_or_else(|| flag(Flag::NoOwner), cell),
                    a.priority
                        .map_or_else(|| NONE.to_string(), |p| p.as_str().to_string()),
                    a.due.map_or_else(
                        || flag(Flag::NoDueDate),
                        |d| d.format("%Y-%m-%d").to_string(),
                    ),
                    a.ticket.as_deref().map_or_else(|| NONE.to_string(), cell),
                ]
            }
            _ => [
                cell(&i.text),
                NONE.to_string(),
                NONE.to_string(),
                NONE.to_string(),
                NONE.to_string(),
            ],
        })
        .collect();
    doc.table(["Action", "Owner", "Priority", "Due", "Ticket"], &rows);
    if flagged > 0 {
        doc.para(&format!(
            "{FLAG} {} without an owner or a due date.",
            count(flagged, "action", "actions")
        ));
    }
}

fn parking(doc: &mut Doc, m: &Meeting, items: &[&Item]) {
    if items.is_empty() {
        return doc.para("No tangents were parked.");
    }
    let mut open = 0;
    let rows: Vec<[String; 4]> = items
        .iter()
        .map(|i| {
            let parking = i.parking.as_ref();
            let raised_in = m.agenda().sections.get(i.section).map_or_else(
                || NONE.to_string(),
                |s| format!("{}. {}", i.section + 1, cell(&s.title)),
            );
            let raised_by = parking
                .and_then(|p| p.raised_by)
                .and_then(|p| m.people().get(p))
                .map_or_else(|| NONE.to_string(), |p| cell(&p.name));
            let outcome = match parking.and_then(|p| p.outcome) {
                Some(o) => o.label().to_string(),
                None => {
                    open += 1;
                    format!("{FLAG} no outcome")
                }
            };
            [cell(&i.text), raised_in, raised_by, outcome]
        })
        .collect();
    doc.table(["Tangent", "Raised in", "Raised by", "Outcome"], &rows);
    if open > 0 {
        doc.para(&format!(
            "{FLAG} {} without an outcome.",
            count(open, "tangent", "tangents")
        ));
    }
}

fn time_per_section(doc: &mut Doc, m: &Meeting) {
    doc.heading(3, "Time per section");
    let mut rows: Vec<[String; 5]> = Vec::with_capacity(m.sections().len() + 1);
    let (mut planned_total, mut spent_total) = (0u64, 0i64);
    for (i, (section, state)) in m.agenda().sections.iter().zip(m.sections()).enumerate() {
        let spent = spent_ms(m, i);
        planned_total = planned_total.saturating_add(section.timebox_secs);
        spent_total = spent_total.saturating_add(spent);
        let timebox = if state.timebox_secs == section.timebox_secs {
            clock(secs_to_ms(section.timebox_secs))
        } else {
            format!(
                "{} → {}",
                clock(secs_to_ms(section.timebox_secs)),
                clock(secs_to_ms(state.timebox_secs))
            )
        };
        let spent_cell = if state.first_entered.is_none() && spent == 0 {
            "not reached".to_string()
        } else {
            clock(spent)
        };
        let over = match over_ms(m, i) {
            0 => NONE.to_string(),
            ms => format!("+{}", clock(ms)),
        };
        let decisions: Vec<String> = state
            .decisions
            .iter()
            .map(|d| {
                let at = clock(d.elapsed_ms);
                match d.choice {
                    OvertimeChoice::KeepGoing { extra_secs: 0 } => {
                        format!("kept going in overtime at {at}")
                    }
                    OvertimeChoice::KeepGoing { extra_secs } => {
                        format!("kept going {} more at {at}", clock(secs_to_ms(extra_secs)))
                    }
                    OvertimeChoice::MoveOn => format!("moved on at {at}"),
                }
            })
            .collect();
        rows.push([
            format!("{}. {}", i + 1, cell(&section.title)),
            timebox,
            spent_cell,
            over,
            if decisions.is_empty() {
                NONE.to_string()
            } else {
                decisions.join("; ")
            },
        ]);
    }
    rows.push([
        "Total".to_string(),
        clock(secs_to_ms(planned_total)),
        clock(spent_total),
        match spent_total.saturating_sub(secs_to_ms(planned_total)) {
            ms if ms > 0 => format!("+{}", clock(ms)),
            _ => NONE.to_string(),
        },
        NONE.to_string(),
    ]);
    doc.table(
        ["Section", "Timebox", "Spent", "Over", "Overtime decisions"],
        &rows,
    );
}

fn talk_times(doc: &mut Doc, m: &Meeting) {
    doc.heading(3, "Talk time");
    if m.people().is_empty() {
        doc.para("No attendees recorded.");
        return;
    }
    let rows: Vec<[String; 4]> = m
        .people()
        .iter()
        .enumerate()
        .map(|(p, person)| {
            let t = m.talk(p, m.last_event());
            [
                or_none(cell(&person.name)),
                clock(t.talk_ms),
                t.turns.to_string(),
                format!("{:.0}%", t.share * 100.0),
            ]
        })
        .collect();
    doc.table(["Person", "Talk time", "Turns", "Share"], &rows);
}

// ---- text ----

/// `n` and the noun, singular or plural.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A duration on a clock face: `04:05`, or `1:02:03` from an hour up.
fn clock(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// A duration in words, to the minute: `1 h 5 min`, `45 min`, `under a minute`.
fn duration_words(ms: i64) -> String {
    let mins = ms.max(0) / 60_000;
    match (mins / 60, mins % 60) {
        (0, 0) => "under a minute".to_string(),
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// `UTC`, `UTC+01:00`, `UTC-05:30`.
fn utc_offset(m: &Meeting) -> String {
    let secs = m.offset().local_minus_utc();
    if secs == 0 {
        return "UTC".to_string();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let mins = secs.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", mins / 60, mins % 60)
}

fn or_none(s: String) -> String {
    if s.is_empty() { NONE.to_string() } else { s }
}

/// The non-blank lines of user text, each trimmed: leading spaces would
/// start indented code, trailing ones a hard break.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// Escapes for templates: `md` (one line of text), `md_cell` (a table
/// cell), `md_block` (lines kept as hard breaks), `md_link` (an autolink),
/// `md_heading` (heading text).
pub(super) fn escape_for(kind: &str, text: &str) -> String {
    match kind {
        "md_cell" => cell(text),
        "md_block" => list_text(text),
        "md_link" => source_cell(text),
        "md_heading" => heading_text(text),
        _ => inline(text),
    }
}

/// User text for a table cell: one line, escaped, never empty.
fn cell(text: &str) -> String {
    let text = clean(text);
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in lines(&text).enumerate() {
        if n > 0 {
            out.push_str(CELL_LINE_JOIN);
        }
        escape_line(line, &mut out, false);
    }
    or_none(out)
}

/// User text for a list item: its lines kept as hard breaks (a trailing
/// backslash), continuation lines indented under the `- ` marker.
fn list_text(text: &str) -> String {
    let text = clean(text);
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in lines(&text).enumerate() {
        if n > 0 {
            out.push_str("\\\n  ");
        }
        escape_line(line, &mut out, false);
    }
    out
}

/// One-line user text outside tables (a name, the agenda's name).
fn inline(text: &str) -> String {
    let text = clean(text);
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in lines(&text).enumerate() {
        if n > 0 {
            out.push(' ');
        }
        escape_line(line, &mut out, false);
    }
    out
}

/// User text for a heading: escaped, with `#` escaped everywhere (a trailing
/// run would close the heading) and without trailing MD026 punctuation.
fn heading_text(text: &str) -> String {
    let text = clean(text);
    let joined: Vec<&str> = lines(&text).collect();
    let joined = joined.join(" ");
    let trimmed =
        joined.trim_end_matches(|c: char| HEADING_PUNCTUATION.contains(&c) || c.is_whitespace());
    let mut out = String::with_capacity(trimmed.len() + 8);
    escape_line(trimmed, &mut out, true);
    or_none(out)
}

/// Characters that start inline Markdown (or end a table cell) anywhere in
/// a line.
fn is_inline_special(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '@'
    )
}

/// Appends one trimmed line of user text, escaped so it renders literally;
/// `hash_anywhere` escapes every `#`, not only a leading one.
fn escape_line(line: &str, out: &mut String, hash_anywhere: bool) {
    let mut rest = line;
    // Block syntax is only syntax at the start of a line.
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) && matches!(rest.as_bytes().get(digits), Some(b'.' | b')')) {
        out.push_str(&rest[..digits]);
        out.push('\\');
        out.push_str(&rest[digits..=digits]);
        rest = &rest[digits + 1..];
    } else if let Some(c @ ('#' | '-' | '+' | '=')) = rest.chars().next() {
        out.push('\\');
        out.push(c);
        rest = &rest[1..];
    }
    let bytes = rest.as_bytes();
    for (i, c) in rest.char_indices() {
        let escape = is_inline_special(c)
            || (hash_anywhere && c == '#')
            // `https://` would become a link (markdownlint's MD034).
            || (c == ':' && bytes[i + 1..].starts_with(b"//"))
            // `www.example.com` too (GFM's extended autolinks).
            || (c == '.' && i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"www")
                // The three bytes are ASCII, so `i - 3` is a char boundary.
                && !rest[..i - 3].chars().next_back().is_some_and(char::is_alphanumeric));
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A timeline source: an autolink for an http(s) URL, with every character
/// that could end it or the table cell percent-encoded; anything else as text.
fn source_cell(url: &str) -> String {
    let url = clean(url);
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return cell(url);
    }
    let mut out = String::with_capacity(url.len() + 2);
    out.push('<');
    for c in url.chars() {
        if c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '|' | '\\' | '`' | '"') {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out.push('>');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> String {
        let mut out = String::new();
        escape_line(s, &mut out, false);
        out
    }

    #[test]
    fn inline_syntax_is_escaped() {
        assert_eq!(esc("a|b"), "a\\|b");
        assert_eq!(esc("`code` *em* _em_"), "\\`code\\` \\*em\\* \\_em\\_");
        assert_eq!(esc("<b>&amp;</b>"), "\\<b\\>\\&amp;\\</b\\>");
        assert_eq!(esc("[x](y) ~~s~~ a\\"), "\\[x\\](y) \\~\\~s\\~\\~ a\\\\");
    }

    #[test]
    fn block_syntax_is_escaped_at_line_start_only() {
        assert_eq!(esc("# not a heading"), "\\# not a heading");
        assert_eq!(esc("- not a list"), "\\- not a list");
        assert_eq!(esc("+ no"), "\\+ no");
        assert_eq!(esc("==="), "\\===");
        assert_eq!(esc("12. no"), "12\\. no");
        assert_eq!(esc("3) no"), "3\\) no");
        assert_eq!(esc("see #12 - 3. ok"), "see #12 - 3. ok");
    }

    #[test]
    fn links_and_addresses_stay_text() {
        assert_eq!(esc("https://x.io"), "https\\://x.io");
        assert_eq!(esc("at www.x.io"), "at www\\.x.io");
        assert_eq!(esc("awww.x"), "awww.x");
        assert_eq!(esc("ana@x.io"), "ana\\@x.io");
    }

    #[test]
    fn cells_join_lines_and_are_never_empty() {
        assert_eq!(cell("one\n\n  two  \nthree"), "one / two / three");
        assert_eq!(cell("  \n "), NONE);
        assert_eq!(list_text("one\n- two"), "one\\\n  \\- two");
    }

    #[test]
    fn headings_drop_trailing_punctuation_and_escape_hashes() {
        assert_eq!(heading_text("Outage!!"), "Outage");
        assert_eq!(heading_text("C# build #3 ##"), "C\\# build \\#3 \\#\\#");
        assert_eq!(heading_text("..."), NONE);
    }

    #[test]
    fn sources_are_autolinks_with_unsafe_characters_encoded() {
        assert_eq!(source_cell("https://g.io/d?a=1"), "<https://g.io/d?a=1>");
        assert_eq!(
            source_cell("https://g.io/a|b<c>"),
            "<https://g.io/a%7Cb%3Cc%3E>"
        );
        assert_eq!(source_cell("javascript:alert(1)"), "javascript:alert(1)");
    }

    #[test]
    fn clocks_and_durations() {
        assert_eq!(clock(65_000), "01:05");
        assert_eq!(clock(3_723_000), "1:02:03");
        assert_eq!(clock(-5), "00:00");
        assert_eq!(duration_words(65 * 60_000), "1 h 5 min");
        assert_eq!(duration_words(59_999), "under a minute");
    }
}
