//! Any meeting, written to a journal and replayed, comes back identical.

use crate::common;

use std::time::Duration;

use chrono::{TimeZone, Utc};
use common::fixtures::{begin, people, start_event};
use hotwash::agenda::{SectionKind, default_agenda};
use hotwash::journal::{Header, Journal, SessionStore};
use hotwash::meeting::{
    Command, Draft, DraftTarget, Event, IncidentField, Item, ItemId, Meeting, Outcome,
    OvertimeChoice, Participant, Stamped,
};
use proptest::prelude::*;

fn command() -> impl Strategy<Value = Command> {
    let text = prop_oneof![
        "[a-z ]{1,20}",
        "\\PC{0,30}",
        Just("14:05 db failover https://x.example/d/1".to_string()),
        "([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])? [a-z]{1,8}",
        "2026-11-2[1-3] ([01][0-9]|2[0-3]):[0-5][0-9] [a-z]{1,8}",
        Just("@ana !P1 due:+3d #OPS-1 fix it".to_string()),
        Just("retries +technology +process".to_string()),
        Just("a\u{1b}[2J|b`<c>\nd\te".to_string()),
    ];
    prop_oneof![
        Just(Command::ToggleTimer),
        Just(Command::NextSection),
        Just(Command::PrevSection),
        (-600i64..600).prop_map(Command::AdjustTimebox),
        (0u64..600).prop_map(|s| Command::Overtime(OvertimeChoice::KeepGoing { extra_secs: s })),
        Just(Command::Overtime(OvertimeChoice::MoveOn)),
        proptest::option::of(0usize..5).prop_map(Command::Speaker),
        "[A-Za-z]{1,8}".prop_map(|n| Command::AddParticipant(Participant {
            name: n,
            role: None
        })),
        text.clone().prop_map(Command::Add),
        text.clone().prop_map(Command::Park),
        (1u64..12, text.clone()).prop_map(|(id, t)| Command::Edit(id, t)),
        (1u64..12).prop_map(Command::Delete),
        (
            1u64..12,
            proptest::option::of(prop_oneof![
                Just(Outcome::Action),
                Just(Outcome::FollowUp),
                Just(Outcome::Dropped)
            ])
        )
            .prop_map(|(id, o)| Command::SetOutcome(id, o)),
        Just(Command::Undo),
        (0usize..3, text).prop_map(|(s, t)| Command::SaveDraft(Draft {
            target: DraftTarget::Add { section: s },
            text: t
        })),
        any::<bool>().prop_map(Command::SetBell),
    ]
}

/// Plays commands on a fresh meeting, `gaps[i]` milliseconds apart.
fn play(cmds: &[(Command, u32)]) -> (Meeting, Vec<Stamped>) {
    let mut at = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
    let people = people(&["Ana:IC", "Ben"]);
    let first = start_event("Outage", &default_agenda(), &people, 3600, at);
    let mut m = begin(&first);
    let mut log = vec![first];
    for (cmd, gap) in cmds {
        at += chrono::TimeDelta::milliseconds(i64::from(*gap));
        if let Ok(events) = m.record(cmd.clone(), at) {
            log.extend(events);
        }
    }
    (m, log)
}

/// Events as a hand-edited or damaged journal may hold them: ids out of
/// order or repeated, sections out of range, edits of anything.
fn raw_event() -> impl Strategy<Value = Event> {
    let text = prop_oneof![
        "[a-z ]{1,12}",
        "([01][0-9]|2[0-3]):[0-5][0-9] [a-z]{1,8}",
        "2026-11-2[1-3] ([01][0-9]|2[0-3]):[0-5][0-9] [a-z]{1,8}",
    ];
    // Mostly the timeline (section 1), where the order depends on the text.
    let section = prop_oneof![3 => Just(1usize), 1 => 0usize..9];
    prop_oneof![
        (0usize..9).prop_map(|section| Event::SectionEntered { section }),
        (1u64..16, section.clone(), text.clone())
            .prop_map(|(id, section, text)| Event::ItemAdded { id, section, text }),
        (1u64..16, section, text.clone()).prop_map(|(id, section, text)| {
            Event::TangentParked {
                id,
                section,
                text,
                raised_by: None,
            }
        }),
        (1u64..16, text).prop_map(|(id, text)| Event::ItemEdited { id, text }),
        (1u64..16).prop_map(|id| Event::ItemDeleted { id }),
        Just(Event::Undone),
        // A scribe's changes and undos, which undo only the scribe's own.
        (1u64..16, "[a-z ]{1,12}").prop_map(|(id, text)| Event::ByTerminal {
            by: "scribe (key AbCdEf12)".into(),
            event: Box::new(Event::ItemAdded {
                id,
                section: 1,
                text
            }),
        }),
        (1u64..16).prop_map(|id| Event::ByTerminal {
            by: "scribe (key AbCdEf12)".into(),
            event: Box::new(Event::ItemDeleted { id }),
        }),
        Just(Event::ByTerminal {
            by: "scribe (key AbCdEf12)".into(),
            event: Box::new(Event::Undone),
        }),
        // The incident's start moves every bare time's anchor.
        proptest::option::of(0i64..96).prop_map(|h| Event::IncidentChanged {
            change: IncidentField::Started(h.map(|h| {
                chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
                    .expect("a date")
                    .and_hms_opt(0, 0, 0)
                    .expect("a time")
                    + chrono::TimeDelta::minutes(h * 45)
            })),
        }),
    ]
}

fn ids(items: Vec<&Item>) -> Vec<ItemId> {
    items.iter().map(|i| i.id).collect()
}

/// What a section shows, worked out the slow way: every item scanned, the
/// timeline sorted by event time.
fn shown_by_scan(m: &Meeting, section: usize) -> Vec<ItemId> {
    let live = m.all_items().filter(|i| !i.deleted);
    let mut v: Vec<&Item> = match m.agenda().sections[section].kind {
        SectionKind::ParkingLot => live.filter(|i| i.parking.is_some()).collect(),
        _ => live
            .filter(|i| i.section == section && i.parking.is_none())
            .collect(),
    };
    if m.agenda().sections[section].kind == SectionKind::Timeline {
        // Events placed by the anchoring rule (the incident's start or the
        // first timed event), untimed ones last, ties in id order.
        v.sort_by_key(|i| (m.placed(i).is_none(), m.placed(i)));
    }
    ids(v)
}

fn check_shown(m: &Meeting) -> Result<(), TestCaseError> {
    for s in 0..m.agenda().sections.len() {
        prop_assert_eq!(ids(m.items_in(s)), shown_by_scan(m, s), "section {}", s);
    }
    let parked: Vec<ItemId> = m
        .all_items()
        .filter(|i| !i.deleted && i.parking.is_some())
        .map(|i| i.id)
        .collect();
    prop_assert_eq!(ids(m.parked()), parked);
    let all: Vec<ItemId> = m.all_items().map(|i| i.id).collect();
    prop_assert!(all.windows(2).all(|w| w[0] < w[1]), "all_items in id order");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_section_shows_what_a_scan_of_every_item_finds(
        cmds in proptest::collection::vec((command(), 0u32..200_000), 0..150),
    ) {
        let (live, log) = play(&cmds);
        check_shown(&live)?;
        check_shown(&Meeting::replay(&log).unwrap())?;
    }

    #[test]
    fn a_damaged_journal_still_shows_what_a_scan_finds(
        events in proptest::collection::vec(raw_event(), 0..120),
    ) {
        let (_, mut log) = play(&[]);
        let at = log[0].at;
        log.extend(events.into_iter().map(|event| Stamped { at, event }));
        check_shown(&Meeting::replay(&log).unwrap())?;
    }

    #[test]
    fn a_journal_cut_anywhere_replays_the_events_before_the_cut(
        cmds in proptest::collection::vec((command(), 0u32..100_000), 1..40),
        cut in 0.0f64..1.0,
    ) {
        let (_, log) = play(&cmds);
        let dir = crate::common::tempdir();
        let store = SessionStore::at(dir.path().to_path_buf());
        let header = Header::new(log[0].at, "Outage", "default");
        let (session, mut writer) = Journal::create::<Stamped, _>(&store, &header, |_| {}).unwrap();
        for e in &log {
            writer.append(e).unwrap();
        }
        writer.flush(Duration::from_secs(10)).unwrap();
        drop(writer);
        let path = session.journal_path();
        let bytes = std::fs::read(&path).unwrap();
        let header_len = bytes.iter().position(|b| *b == b'\n').unwrap() + 1;
        let at = header_len + ((bytes.len() - header_len) as f64 * cut) as usize;
        std::fs::write(&path, &bytes[..at]).unwrap();
        let whole_lines = bytes[header_len..at].iter().filter(|b| **b == b'\n').count();
        let (replay, _w) = common::open_again::<Stamped, _>(&session.dir, |_| {});
        // A cut just before a newline leaves a whole event, which is kept.
        let n = replay.events.len();
        let whole_but_newline = bytes.get(at) == Some(&b'\n');
        prop_assert!(n == whole_lines || (whole_but_newline && n == whole_lines + 1));
        prop_assert_eq!(&replay.events[..], &log[..n]);
        if n > 0 {
            let prefix = Meeting::replay(&log[..n]).unwrap();
            prop_assert_eq!(Meeting::replay(&replay.events).unwrap(), prefix);
        }
    }
}
