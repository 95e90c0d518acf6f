//! Any meeting, written to a journal and replayed, comes back identical.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use hotwash::agenda::default_agenda;
use hotwash::journal::{Header, Journal, SessionStore};
use hotwash::meeting::{
    Command, Draft, DraftTarget, Meeting, Outcome, OvertimeChoice, Participant, Stamped,
};
use proptest::prelude::*;

fn command() -> impl Strategy<Value = Command> {
    let text = prop_oneof![
        "[a-z ]{1,20}",
        "\\PC{0,30}",
        Just("14:05 db failover https://x.example/d/1".to_string()),
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
    let people = vec![
        Participant {
            name: "Ana".into(),
            role: Some("IC".into()),
        },
        Participant {
            name: "Ben".into(),
            role: None,
        },
    ];
    let first = Stamped {
        at,
        event: Meeting::start_event("Outage", &default_agenda(), &people, 3600),
    };
    let mut m = Meeting::begin(&first).unwrap();
    let mut log = vec![first];
    for (cmd, gap) in cmds {
        at += chrono::TimeDelta::milliseconds(i64::from(*gap));
        if let Ok(events) = m.record(cmd.clone(), at) {
            log.extend(events);
        }
    }
    (m, log)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_journaled_meeting_replays_identically(
        cmds in proptest::collection::vec((command(), 0u32..200_000), 0..80),
    ) {
        let (live, log) = play(&cmds);
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::at(dir.path().to_path_buf());
        let header = Header::new(log[0].at, "Outage", "default");
        let (session, mut writer) = Journal::create::<Stamped, _>(&store, &header, |_| {}).unwrap();
        for e in &log {
            writer.append(e).unwrap();
        }
        writer.flush(Duration::from_secs(10)).unwrap();
        drop(writer);
        let (replay, _w) = Journal::open::<Stamped, _>(&session.dir, |_| {}).unwrap();
        prop_assert!(replay.warnings.is_empty());
        let back = Meeting::replay(&replay.events).unwrap();
        prop_assert_eq!(&back, &live);
    }

    #[test]
    fn a_journal_cut_anywhere_replays_the_events_before_the_cut(
        cmds in proptest::collection::vec((command(), 0u32..100_000), 1..40),
        cut in 0.0f64..1.0,
    ) {
        let (_, log) = play(&cmds);
        let dir = tempfile::tempdir().unwrap();
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
        let (replay, _w) = Journal::open::<Stamped, _>(&session.dir, |_| {}).unwrap();
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
