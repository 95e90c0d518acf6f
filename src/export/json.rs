//! The meeting as data for tools, following `docs/export-schema.json`:
//! everything the minutes hold, plus ids and timestamps.
//!
//! Instants are RFC 3339 (ISO 8601) in the room's UTC offset, to the
//! millisecond, so they are both exact and readable as local times;
//! durations are whole milliseconds (`*_ms`) or seconds (`*_secs`).

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::{Options, clean, local, over_ms, span, spent_ms};
use crate::meeting::{Flag, Item, ItemId, Meeting, Outcome, OvertimeChoice, Parsed};

/// The schema's `$id`, which every document names in its `$schema` field.
pub const SCHEMA_ID: &str = "urn:hotwash:export:3";
/// The document shape's version: bumped on any change to the shape, so a
/// reader can refuse what it does not know.
pub const SCHEMA_VERSION: u32 = 3;

/// The export model every rendering works from: the JSON document as a
/// value (for templates).
pub(super) fn model(m: &Meeting, opts: &Options) -> minijinja::Value {
    // Straight from the document's own types: going through
    // `serde_json::Value` first built every object twice.
    minijinja::Value::from_serialize(document(m, opts))
}

/// Renders the JSON document, pretty-printed, ending in a newline.
pub(super) fn render(m: &Meeting, opts: &Options) -> String {
    let doc = document(m, opts);
    match serde_json::to_string_pretty(&doc) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Unreachable: these types hold only strings, numbers and
        // string-keyed structs. Still an answer rather than a panic.
        Err(e) => format!(
            "{{\"error\": {}}}\n",
            serde_json::Value::String(e.to_string())
        ),
    }
}

#[derive(Serialize)]
struct Document {
    #[serde(rename = "$schema")]
    schema: &'static str,
    schema_version: u32,
    incident: String,
    agenda: String,
    utc_offset: String,
    date: String,
    created: String,
    started: Option<String>,
    ended: String,
    duration_ms: i64,
    people: Vec<Person>,
    sections: Vec<Section>,
    parking_lot: Vec<Tangent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    talk_times: Option<Vec<TalkTime>>,
    /// Version 2: the incident's fields, key moments and figures.
    incident_details: IncidentOut,
    /// Version 3: the learning pulse, each question with three answers or more.
    pulse: Vec<PulseOut>,
}

/// One question of the learning pulse (schema version 3): counts only.
#[derive(Serialize)]
struct PulseOut {
    question: crate::meeting::PulseQuestion,
    text: &'static str,
    /// How many answered 1, 2, 3, 4 and 5.
    counts: [u32; 5],
    answers: u32,
}

fn pulse(m: &Meeting) -> Vec<PulseOut> {
    crate::meeting::PulseQuestion::ALL
        .into_iter()
        .filter(|q| m.pulse().answers(*q) >= crate::meeting::PULSE_MIN_ANSWERS)
        .map(|q| PulseOut {
            question: q,
            text: q.text(),
            counts: m.pulse().counts(q),
            answers: m.pulse().answers(q),
        })
        .collect()
}

/// The incident (schema version 2).
#[derive(Serialize)]
struct IncidentOut {
    title: String,
    /// Local date and time, `YYYY-MM-DDTHH:MM:SS`, in `utc_offset`.
    started: Option<String>,
    severity: Option<String>,
    owner: Option<String>,
    status: crate::meeting::Status,
    summary: Option<String>,
    impact: Option<String>,
    links: Vec<LinkOut>,
    moments: MomentsOut,
    duration_ms: Option<i64>,
    time_to_detect_ms: Option<i64>,
    time_to_mitigate_ms: Option<i64>,
    time_to_resolve_ms: Option<i64>,
}

#[derive(Serialize)]
struct LinkOut {
    url: String,
    label: Option<String>,
}

#[derive(Serialize)]
struct MomentsOut {
    began: Option<String>,
    detected: Option<String>,
    mitigated: Option<String>,
    resolved: Option<String>,
}

#[derive(Serialize)]
struct Person {
    id: usize,
    name: String,
    role: Option<String>,
    left: bool,
}

#[derive(Serialize)]
struct Section {
    index: usize,
    id: String,
    title: String,
    kind: crate::agenda::SectionKind,
    fills: Option<crate::agenda::Fills>,
    planned_timebox_secs: u64,
    timebox_secs: u64,
    entered: Option<String>,
    spent_ms: i64,
    over_ms: i64,
    decisions: Vec<Decision>,
    items: Vec<ItemOut>,
}

#[derive(Serialize)]
struct Decision {
    at: String,
    choice: &'static str,
    extra_secs: u64,
    elapsed_ms: i64,
}

/// Fields every item has.
#[derive(Serialize)]
struct Common {
    id: u64,
    created: String,
    edited: Option<String>,
    text: String,
    flags: Vec<&'static str>,
    prepared: bool,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum ItemOut {
    Note {
        #[serde(flatten)]
        common: Common,
    },
    Timeline {
        #[serde(flatten)]
        common: Common,
        date: Option<String>,
        time: Option<String>,
        /// Where the anchoring rule placed it: `YYYY-MM-DDTHH:MM:SS`, local.
        at: Option<String>,
        moment: Option<crate::meeting::Moment>,
        source: Option<String>,
        description: String,
    },
    Factor {
        #[serde(flatten)]
        common: Common,
        tags: Vec<String>,
        description: String,
        /// Version 3: its number (what `factor:N` names).
        number: Option<u32>,
        /// Version 3: its dots, when its section voted.
        votes: Option<u32>,
    },
    Action {
        #[serde(flatten)]
        common: Common,
        owner: Option<String>,
        priority: Option<&'static str>,
        due: Option<String>,
        ticket: Option<String>,
        description: String,
        /// Version 3: `type:`.
        #[serde(rename = "type")]
        kind: Option<crate::meeting::quick::ActionType>,
        /// Version 3: the number of the factor it answers.
        factor: Option<u32>,
        /// Version 3: the id of the parked tangent it came from.
        from_tangent: Option<u64>,
    },
}

#[derive(Serialize)]
struct Tangent {
    #[serde(flatten)]
    common: Common,
    section: usize,
    raised_by: Option<usize>,
    outcome: Option<Outcome>,
    /// Version 3: the id of the action it became.
    action: Option<u64>,
}

#[derive(Serialize)]
struct TalkTime {
    person: usize,
    talk_ms: i64,
    turns: u32,
    share: f64,
}

fn document(m: &Meeting, opts: &Options) -> Document {
    let (start, end) = span(m);
    let offset = local(m, start).format("%:z").to_string();
    let numbers = m.factor_numbers();
    Document {
        schema: SCHEMA_ID,
        schema_version: SCHEMA_VERSION,
        incident: text(m.incident()),
        agenda: text(&m.agenda().name),
        utc_offset: offset,
        date: local(m, start).format("%Y-%m-%d").to_string(),
        created: instant(m, m.created()),
        started: m.started().map(|t| instant(m, t)),
        ended: instant(m, end),
        duration_ms: (end - start).num_milliseconds(),
        people: m
            .people()
            .iter()
            .enumerate()
            .map(|(id, p)| Person {
                id,
                name: text(&p.name),
                role: p.role.as_deref().map(text),
                left: m.has_left(id),
            })
            .collect(),
        sections: m
            .agenda()
            .sections
            .iter()
            .zip(m.sections())
            .enumerate()
            .map(|(index, (s, state))| Section {
                index,
                id: text(&s.id),
                title: text(&s.title),
                kind: s.kind,
                fills: s.fills,
                planned_timebox_secs: s.timebox_secs,
                timebox_secs: state.timebox_secs,
                entered: state.first_entered.map(|t| instant(m, t)),
                spent_ms: spent_ms(m, index),
                over_ms: over_ms(m, index),
                decisions: state
                    .decisions
                    .iter()
                    .map(|d| Decision {
                        at: instant(m, d.at),
                        choice: match d.choice {
                            OvertimeChoice::KeepGoing { .. } => "keep_going",
                            OvertimeChoice::MoveOn => "move_on",
                        },
                        extra_secs: match d.choice {
                            OvertimeChoice::KeepGoing { extra_secs } => extra_secs,
                            OvertimeChoice::MoveOn => 0,
                        },
                        elapsed_ms: d.elapsed_ms,
                    })
                    .collect(),
                items: m
                    .items_in(index)
                    .into_iter()
                    // Tangents live in `parking_lot` once, not once per
                    // parking-lot section.
                    .filter(|i| i.parking.is_none())
                    .map(|i| item(m, i, &numbers))
                    .collect(),
            })
            .collect(),
        parking_lot: m
            .parked()
            .into_iter()
            .map(|i| Tangent {
                common: common(m, i),
                section: i.section,
                raised_by: i.parking.as_ref().and_then(|p| p.raised_by),
                outcome: i.parking.as_ref().and_then(|p| p.outcome),
                action: i.parking.as_ref().and_then(|p| p.action),
            })
            .collect(),
        talk_times: opts.talk_times.then(|| {
            (0..m.people().len())
                .map(|p| {
                    let t = m.talk(p, m.last_event());
                    TalkTime {
                        person: p,
                        talk_ms: t.talk_ms,
                        turns: t.turns,
                        share: t.share,
                    }
                })
                .collect()
        }),
        incident_details: incident(m),
        pulse: pulse(m),
    }
}

fn local_time(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn incident(m: &Meeting) -> IncidentOut {
    let d = m.incident_details();
    let moments = m.moments();
    let figures = moments.durations();
    IncidentOut {
        title: text(m.incident()),
        started: d.started.map(local_time),
        severity: d.severity.as_deref().map(text),
        owner: d.owner.as_deref().map(text),
        status: d.status,
        summary: d.summary.as_deref().map(text),
        impact: d.impact.as_deref().map(text),
        links: d
            .links
            .iter()
            .map(|l| LinkOut {
                url: text(&l.url),
                label: l.label.as_deref().map(text),
            })
            .collect(),
        moments: MomentsOut {
            began: moments.began.map(local_time),
            detected: moments.detected.map(local_time),
            mitigated: moments.mitigated.map(local_time),
            resolved: moments.resolved.map(local_time),
        },
        duration_ms: figures.duration_ms,
        time_to_detect_ms: figures.time_to_detect_ms,
        time_to_mitigate_ms: figures.time_to_mitigate_ms,
        time_to_resolve_ms: figures.time_to_resolve_ms,
    }
}

fn common(m: &Meeting, i: &Item) -> Common {
    Common {
        id: i.id,
        created: instant(m, i.created),
        edited: i.edited.map(|t| instant(m, t)),
        text: text(&i.text),
        flags: i.flags().into_iter().map(Flag::label).collect(),
        prepared: i.prepared,
    }
}

fn item(m: &Meeting, i: &Item, numbers: &BTreeMap<ItemId, u32>) -> ItemOut {
    let common = common(m, i);
    match &i.parsed {
        Parsed::Note | Parsed::Tangent => ItemOut::Note { common },
        Parsed::Timeline(t) => ItemOut::Timeline {
            common,
            date: t
                .when
                .and_then(|w| w.date)
                .map(|d| d.format("%Y-%m-%d").to_string()),
            // As typed: with seconds only when seconds were typed.
            time: t.when.map(|w| w.time_of_day().to_string()),
            at: m.placed(i).map(local_time),
            moment: t.moment,
            source: t.source.as_deref().map(text),
            description: text(&t.text),
        },
        Parsed::Factor(f) => ItemOut::Factor {
            common,
            tags: f.tags.iter().map(|t| text(t)).collect(),
            description: text(&f.text),
            number: numbers.get(&i.id).copied(),
            votes: m.vote(i.section).map(|_| m.votes_for(i.id)),
        },
        Parsed::Action(a) => ItemOut::Action {
            common,
            owner: a.owner.as_deref().map(text),
            priority: a.priority.map(|p| p.as_str()),
            due: a.due.map(|d| d.format("%Y-%m-%d").to_string()),
            ticket: a.ticket.as_deref().map(text),
            description: text(&a.description),
            kind: a.kind,
            factor: a.factor,
            from_tangent: i.from_tangent,
        },
    }
}

fn text(s: &str) -> String {
    clean(s).into_owned()
}

/// An instant, RFC 3339 in the room's offset, to the millisecond.
fn instant(m: &Meeting, t: DateTime<Utc>) -> String {
    local(m, t).to_rfc3339_opts(SecondsFormat::Millis, false)
}
