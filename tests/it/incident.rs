//! The incident in the meeting: its fields as events, the anchoring rule
//! that puts bare times on the right day, key moments and their figures,
//! and roster corrections. Driven with a fixed clock.

use crate::common::meetings;

use chrono::NaiveDateTime;
use hotwash::export::{self, Format, Options};
use hotwash::meeting::incident::{Moment, parse_started};
use hotwash::meeting::{
    Command, Event, IncidentField, Link, Meeting, Parsed, Refusal, Stamped, Status,
};
use meetings::{Room, afternoon, default_agenda, default_timeline};

fn dt(s: &str) -> NaiveDateTime {
    parse_started(s).unwrap()
}

fn room() -> Room {
    Room::new(
        "Checkout outage",
        &default_agenda(),
        &[("Ana", Some("IC")), ("Ben", None), ("Chen", None)],
        afternoon(),
    )
}

fn started(r: &mut Room, s: &str) {
    r.run(Command::SetIncident(IncidentField::Started(Some(dt(s)))));
}

/// The timeline's events, in the order shown, as (placed time, text).
fn shown(m: &Meeting) -> Vec<(String, String)> {
    m.items_in(default_timeline())
        .iter()
        .map(|i| {
            let at = m
                .placed(i)
                .map_or("none".into(), |p| p.format("%Y-%m-%d %H:%M").to_string());
            let Parsed::Timeline(t) = &i.parsed else {
                panic!("not a timeline item")
            };
            (at, t.text.clone())
        })
        .collect()
}

/// The timeline as "placed time text" lines, in the order shown.
fn placed_order(m: &Meeting) -> Vec<String> {
    shown(m)
        .into_iter()
        .map(|(at, t)| format!("{at} {t}"))
        .collect()
}

fn typed(r: &mut Room, lines: &[&str]) {
    while r.m.current() < default_timeline() {
        r.run(Command::NextSection);
    }
    for l in lines {
        r.add(l);
    }
}

fn markdown(m: &Meeting) -> String {
    export::render(m, Format::Markdown, &Options::default())
}

#[test]
fn an_overnight_incident_orders_bare_times_around_its_start() {
    let mut r = room();
    started(&mut r, "2026-11-22 23:30");
    typed(
        &mut r,
        &["00:07 c", "23:52 b", "00:31 d", "22:10 before", "23:40 a"],
    );
    assert_eq!(
        shown(&r.m),
        vec![
            ("2026-11-22 22:10".into(), "before".into()),
            ("2026-11-22 23:40".into(), "a".into()),
            ("2026-11-22 23:52".into(), "b".into()),
            ("2026-11-23 00:07".into(), "c".into()),
            ("2026-11-23 00:31".into(), "d".into()),
        ]
    );
    // The minutes date the first event (not the meeting's day) and the
    // first after midnight.
    let md = markdown(&r.m);
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| 2026") || l.starts_with("| 2"))
        .collect();
    assert!(md.contains("| 2026-11-22 22:10 | before |"), "{md}");
    assert!(md.contains("| 23:40 | a |"), "{md}");
    assert!(md.contains("| 2026-11-23 00:07 | c |"), "{md}");
    assert!(md.contains("| 00:31 | d |"), "{md}");
    assert!(!rows.is_empty());
}

#[test]
fn a_full_date_is_taken_as_written_among_bare_times() {
    let mut r = room();
    started(&mut r, "2026-11-22 23:30");
    typed(
        &mut r,
        &["00:10 bare", "2026-11-23 00:05 full", "23:45 evening"],
    );
    let order = placed_order(&r.m);
    assert_eq!(
        order,
        vec![
            "2026-11-22 23:45 evening",
            "2026-11-23 00:05 full",
            "2026-11-23 00:10 bare"
        ]
    );
}

#[test]
fn without_a_start_the_first_timed_event_typed_anchors_the_rest() {
    let mut r = room();
    typed(
        &mut r,
        &[
            "no time yet",
            "23:50 first",
            "00:10 after midnight",
            "23:20 before it",
        ],
    );
    let order = placed_order(&r.m);
    // The meeting is on 2026-11-23: the first timed event is on that day,
    // and 00:10 is the night after it, not the morning before.
    assert_eq!(
        order,
        vec![
            "2026-11-23 23:20 before it",
            "2026-11-23 23:50 first",
            "2026-11-24 00:10 after midnight",
            "none no time yet"
        ]
    );
    // Deleting the anchor lets the next timed event anchor instead.
    let first = r.m.items_in(default_timeline())[1].id;
    r.run(Command::Delete(first));
    let order = placed_order(&r.m);
    assert_eq!(order[0], "2026-11-22 23:20 before it");
    assert_eq!(order[1], "2026-11-23 00:10 after midnight");
    // Setting the start re-places every event, and undoing it puts them back.
    r.run(Command::Undo);
    started(&mut r, "2026-11-22 23:30");
    let order = placed_order(&r.m);
    assert_eq!(order[0], "2026-11-22 23:20 before it");
    assert_eq!(order[2], "2026-11-23 00:10 after midnight");
    r.run(Command::Undo);
    assert_eq!(shown(&r.m)[0].0, "2026-11-23 23:20");
}

#[test]
fn a_timeline_over_three_days_shows_each_new_date_once() {
    let mut r = room();
    started(&mut r, "2026-11-20 22:00");
    typed(
        &mut r,
        &[
            "22:05 began",
            "2026-11-21 09:00 second day",
            "2026-11-21 17:00 same day",
            "2026-11-22 01:00 third day",
            "2026-11-22 03:00 still third",
        ],
    );
    let md = markdown(&r.m);
    for row in [
        "| 2026-11-20 22:05 | began |",
        "| 2026-11-21 09:00 | second day |",
        "| 17:00 | same day |",
        "| 2026-11-22 01:00 | third day |",
        "| 03:00 | still third |",
    ] {
        assert!(md.contains(row), "missing {row} in\n{md}");
    }
}

#[test]
fn key_moments_give_the_incident_figures() {
    let mut r = room();
    started(&mut r, "2026-11-22 23:30");
    typed(
        &mut r,
        &[
            "23:31 errors start !began",
            "23:52 pager fires !detected https://pd.example/1",
            "00:40 traffic drained !mitigated",
        ],
    );
    let m = r.m.moments();
    assert_eq!(m.began, Some(dt("2026-11-22 23:31")));
    assert_eq!(m.detected, Some(dt("2026-11-22 23:52")));
    let d = m.durations();
    assert_eq!(d.time_to_detect_ms, Some(21 * 60_000));
    assert_eq!(d.time_to_mitigate_ms, Some(69 * 60_000));
    // Not resolved yet: no duration and no time to resolve, not a guess.
    assert_eq!(d.time_to_resolve_ms, None);
    assert_eq!(d.duration_ms, None);
    let md = markdown(&r.m);
    assert!(md.contains("pager fires !detected"), "{md}");
    r.add("01:15 all clear !resolved");
    let d = r.m.moments().durations();
    assert_eq!(d.duration_ms, Some(104 * 60_000));
    // Without a `!began` event, the incident's start stands for it.
    let id = r.m.items_in(default_timeline())[0].id;
    r.run(Command::Edit(id, "23:31 errors start".into()));
    assert_eq!(r.m.moments().began, Some(dt("2026-11-22 23:30")));
    if let Parsed::Timeline(t) = &r.m.item(id).unwrap().parsed {
        assert_eq!(t.moment, None);
        assert_eq!(t.text, "errors start");
    }
}

#[test]
fn a_meeting_without_moments_or_start_has_no_figures() {
    let mut r = room();
    typed(&mut r, &["10:00 something", "10:05 detected the issue"]);
    let d = r.m.moments().durations();
    assert_eq!(d, Default::default());
    assert_eq!(
        hotwash::meeting::quick::parse_timeline("x !Detected.").moment,
        Some(Moment::Detected)
    );
}

#[test]
fn incident_fields_are_events_that_undo_and_replay() {
    let mut r = room();
    r.run(Command::SetIncident(IncidentField::Severity(Some(
        " SEV1 ".into(),
    ))));
    r.run(Command::SetIncident(IncidentField::Owner(Some(
        "Ana".into(),
    ))));
    r.run(Command::SetIncident(IncidentField::Status(
        Status::InReview,
    )));
    r.run(Command::SetIncident(IncidentField::Summary(Some(
        "Checkout failed\nfor 40 minutes".into(),
    ))));
    r.run(Command::SetIncident(IncidentField::Impact(Some(
        "12% of orders".into(),
    ))));
    r.run(Command::SetIncident(IncidentField::Links(vec![
        Link::parse("https://t.example/INC-1 ticket").unwrap(),
    ])));
    r.run(Command::SetIncident(IncidentField::Title(
        "Checkout outage, night of 22 Nov".into(),
    )));
    let d = r.m.incident_details().clone();
    assert_eq!(d.severity.as_deref(), Some("SEV1"));
    assert_eq!(d.status, Status::InReview);
    assert_eq!(d.links[0].label.as_deref(), Some("ticket"));
    assert_eq!(r.m.incident(), "Checkout outage, night of 22 Nov");
    // The same value again is no change; a blank title is refused.
    assert_eq!(
        r.m.decide(Command::SetIncident(IncidentField::Owner(Some(
            "Ana".into()
        )))),
        Err(Refusal::NoChange)
    );
    assert_eq!(
        r.m.decide(Command::SetIncident(IncidentField::Title("  ".into()))),
        Err(Refusal::NoTitle)
    );
    // Replaying the journal gives the same meeting, through JSON lines.
    let lines: Vec<String> = r
        .log
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    let back: Vec<Stamped> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(Meeting::replay(&back).unwrap(), r.m);
    // Undo walks the changes back, one at a time.
    r.run(Command::Undo);
    assert_eq!(r.m.incident(), "Checkout outage");
    r.run(Command::Undo);
    assert!(r.m.incident_details().links.is_empty());
    assert_eq!(r.m.incident_details().severity.as_deref(), Some("SEV1"));
}

#[test]
fn the_roster_can_be_corrected() {
    let mut r = room();
    r.run(Command::Rename(1, "Ben Okafor".into()));
    r.run(Command::SetRole(1, Some("scribe".into())));
    r.run(Command::SetRole(0, None));
    r.speak(2);
    r.wait(30).run(Command::SetLeft(2, true));
    assert_eq!(r.m.people()[1].name, "Ben Okafor");
    assert_eq!(r.m.people()[1].role.as_deref(), Some("scribe"));
    assert_eq!(r.m.people()[0].role, None);
    assert!(r.m.has_left(2));
    // Leaving stops their turn, and they cannot be marked speaking.
    assert_eq!(r.m.speaker(), None);
    assert_eq!(
        r.m.decide(Command::Speaker(Some(2))),
        Err(Refusal::Left("Chen".into()))
    );
    assert!(matches!(
        r.m.decide(Command::Rename(7, "x".into())),
        Err(Refusal::NoParticipant(8, 3))
    ));
    assert_eq!(Meeting::replay(&r.log).unwrap(), r.m);
    r.run(Command::Undo);
    assert!(!r.m.has_left(2));
    r.run(Command::Undo);
    assert_eq!(r.m.people()[0].role.as_deref(), Some("IC"));
}

#[test]
fn a_version_one_journal_still_replays() {
    let at = afternoon();
    let start = Stamped {
        at,
        event: Meeting::start_event("Old", &default_agenda(), &[], 0),
    };
    let mut lines = vec![serde_json::to_string(&start).unwrap()];
    lines.push(format!(
        r#"{{"at":"{}","event":{{"type":"section_entered","section":1}}}}"#,
        at.to_rfc3339()
    ));
    lines.push(format!(
        r#"{{"at":"{}","event":{{"type":"item_added","id":1,"section":1,"text":"23:40 pager"}}}}"#,
        at.to_rfc3339()
    ));
    let events: Vec<Stamped> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let m = Meeting::replay(&events).unwrap();
    assert_eq!(m.items_in(1).len(), 1);
    assert_eq!(m.incident_details().status, Status::Draft);
    assert!(!m.items_in(1)[0].prepared);
}

#[test]
fn prepared_items_are_marked_and_fold_like_typed_ones() {
    let mut r = room();
    r.run(Command::Prepare(
        default_timeline(),
        "23:40 pager fires https://pd.example/1".into(),
    ));
    let item = r.m.items_in(default_timeline())[0];
    assert!(item.prepared);
    let Parsed::Timeline(t) = &item.parsed else {
        panic!()
    };
    assert_eq!(t.source.as_deref(), Some("https://pd.example/1"));
    assert!(matches!(
        r.log.last().unwrap().event,
        Event::ItemPrepared { .. }
    ));
    assert_eq!(
        r.m.decide(Command::Prepare(99, "x".into())),
        Err(Refusal::NoSection(100))
    );
}
