//! `hotwash review`: a meeting with known problems lists each one by
//! section and item and exits 1; a clean one exits 0.

use std::io::Write;

use crate::common::Place;
use crate::common::fixtures::{Room, agenda, people, section};
use chrono::{NaiveDate, Utc};
use hotwash::agenda::{Agenda, SectionKind};
use hotwash::craft::review::{Kind, review};
use hotwash::journal::{Header, SessionStore};
use hotwash::meeting::{Command, IncidentField, Link, Outcome};

fn review_agenda() -> Agenda {
    let s = |id: &str, title: &str, kind| section(id, title, kind, 10);
    agenda(
        "review",
        vec![
            s("timeline", "Agree the timeline", SectionKind::Timeline),
            s("factors", "What contributed", SectionKind::Factors),
            s("actions", "Actions", SectionKind::Actions),
            s("parking", "Parking lot review", SectionKind::ParkingLot),
        ],
    )
}

/// A meeting with every kind of problem `review` looks for.
fn troubled() -> Room {
    let mut r = Room::new(
        "Checkout outage",
        &review_agenda(),
        &people(&["Lee", "Ana"]),
    );
    r.ok(Command::Add("pager fires".into()));
    r.ok(Command::NextSection);
    r.ok(Command::Add(
        "Lee was careless and should have known +human-error".into(),
    ));
    r.ok(Command::NextSection);
    r.ok(Command::Add("investigate monitoring".into()));
    r.ok(Command::Add(
        "be more careful with regexes @lee due:2019-07-31 !P0".into(),
    ));
    r.ok(Command::Park("who owns the pager rota".into()));
    r
}

/// The same meeting with every problem put right.
fn clean() -> Room {
    let mut r = Room::new(
        "Checkout outage",
        &review_agenda(),
        &people(&["Lee", "Ana"]),
    );
    for f in [
        IncidentField::Started(
            NaiveDate::from_ymd_opt(2026, 11, 21).and_then(|d| d.and_hms_opt(13, 42, 0)),
        ),
        IncidentField::Severity(Some("SEV2".into())),
        IncidentField::Owner(Some("Ana".into())),
        IncidentField::Summary(Some("Checkout failed for 20 minutes.".into())),
        IncidentField::Impact(Some("4% of orders failed.".into())),
        IncidentField::Links(vec![Link {
            url: "https://tickets.example/INC-1".into(),
            label: None,
        }]),
    ] {
        r.ok(Command::SetIncident(f));
    }
    r.ok(Command::Add("13:42 pager fires".into()));
    r.ok(Command::NextSection);
    r.ok(Command::Add(
        "a regex change went out without a canary +process".into(),
    ));
    r.ok(Command::NextSection);
    r.ok(Command::Add(
        "add a canary stage to config deploys @lee due:2099-01-31 !P1 type:prevent factor:1".into(),
    ));
    r.ok(Command::Park("who owns the pager rota".into()));
    let id = r.m.parked()[0].id;
    r.ok(Command::SetOutcome(id, Some(Outcome::FollowUp)));
    r
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

#[test]
fn every_known_problem_is_listed_by_section_and_item() {
    let r = troubled();
    let found = review(&r.m, today());
    assert!(!found.clean());
    let text = found.to_text();
    for want in [
        "1. Agree the timeline",
        "item 1: \"pager fires\"",
        "no time",
        "2. What contributed",
        "\"Lee was careless\"",
        "\"should have\"",
        "\"human-error\"",
        "3. Actions",
        "\"investigate\" is vague",
        "\"be more careful\" asks people to be better",
        "no owner",
        "no due date",
        "the due date 2019-07-31 has passed",
        "unknown marker !P0: accepted are !P1, !P2 or !P3",
        "4. Parking lot review",
        "no outcome yet",
        "the incident has no severity",
        "the postmortem has no owner",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    let kinds: Vec<Kind> = found
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.problems)
        .map(|p| p.kind)
        .collect();
    for k in [Kind::Language, Kind::Action, Kind::Missing, Kind::Tangent] {
        assert!(kinds.contains(&k), "{k:?} in {kinds:?}");
    }
}

#[test]
fn a_clean_meeting_has_nothing_to_say() {
    let r = clean();
    let found = review(&r.m, today());
    assert!(found.clean(), "{}", found.to_text());
    assert!(found.to_text().contains("nothing needs attention"));
}

/// Writes `room`'s journal as a session under `place`.
fn save(place: &Place, room: &Room) {
    let store = SessionStore::at(place.data());
    let header = Header::new(Utc::now(), room.m.incident(), "review");
    let session = store.create(&header).expect("session");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(session.journal_path())
        .expect("journal");
    for e in &room.log {
        let mut line = serde_json::to_vec(e).expect("encodes");
        line.push(b'\n');
        f.write_all(&line).expect("write");
    }
}

#[test]
fn the_command_exits_1_with_findings_and_0_when_clean() {
    let place = Place::new();
    save(&place, &troubled());
    let out = place.run(&["review"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("\"investigate\" is vague"), "{text}");
    assert!(text.contains("no outcome yet"), "{text}");
    let out = place.run(&["review", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["clean"], false);
    assert_eq!(doc["sections"][2]["title"], "Actions");

    let place = Place::new();
    save(&place, &clean());
    let out = place.run(&["review"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("nothing needs attention"), "{text}");
}
