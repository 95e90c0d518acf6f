//! The meeting core's rules, driven with a fake clock.

use crate::common;

use common::fixtures::{self, Room, people, section, t0};
use hotwash::agenda::{Agenda, SectionKind};
use hotwash::meeting::{
    Command, Event, Flag, Meeting, Outcome, OvertimeChoice, Parsed, Participant, Phase, Refusal,
    Stamped,
};

fn agenda() -> Agenda {
    let s = |id: &str, kind, mins| section(id, &format!("{id} title"), kind, mins);
    fixtures::agenda(
        "test",
        vec![
            s("opening", SectionKind::Notes, 5),
            s("timeline", SectionKind::Timeline, 10),
            s("factors", SectionKind::Factors, 10),
            s("actions", SectionKind::Actions, 10),
            s("parking", SectionKind::ParkingLot, 5),
        ],
    )
}

/// A meeting about "Checkout outage" on `agenda()` with `names` on the roster.
fn room(names: &[&str]) -> Room {
    Room::new("Checkout outage", &agenda(), &people(names))
}

#[test]
fn timer_counts_down_pauses_resumes_and_goes_into_overtime() {
    let mut r = room(&["Ana"]);
    assert_eq!(r.m.phase(r.now()), Phase::NotStarted);
    assert_eq!(r.m.state().remaining_ms(r.now()), 5 * 60_000);
    r.wait(30); // nothing counts before the start
    r.ok(Command::ToggleTimer);
    r.wait(60);
    assert_eq!(r.m.state().remaining_ms(r.now()), 4 * 60_000);
    assert_eq!(r.m.phase(r.now()), Phase::Running);
    r.ok(Command::ToggleTimer); // pause
    r.wait(600);
    assert_eq!(r.m.phase(r.now()), Phase::Paused);
    assert_eq!(r.m.state().remaining_ms(r.now()), 4 * 60_000);
    r.ok(Command::ToggleTimer); // resume
    r.wait(3 * 60);
    assert_eq!(
        r.m.phase(r.now()),
        Phase::Warning,
        "a minute left of five is a warning"
    );
    r.wait(60 + 133);
    assert_eq!(r.m.phase(r.now()), Phase::Overtime);
    assert_eq!(r.m.state().remaining_ms(r.now()), -133_000);
    assert_eq!(r.replayed(), r.m);
}

#[test]
fn extending_and_cutting_a_timebox() {
    let mut r = room(&["Ana"]);
    r.ok(Command::ToggleTimer);
    r.ok(Command::AdjustTimebox(120));
    assert_eq!(r.m.state().timebox_secs, 7 * 60);
    r.ok(Command::AdjustTimebox(-5 * 60));
    assert_eq!(r.m.state().timebox_secs, 2 * 60);
    r.ok(Command::AdjustTimebox(-10 * 60));
    assert_eq!(r.m.state().timebox_secs, 60, "never under a minute");
    assert_eq!(
        r.run(Command::AdjustTimebox(-60)),
        Err(Refusal::TimeboxTooShort)
    );
}

#[test]
fn overtime_offer_keep_going_then_again_then_move_on() {
    let mut r = room(&["Ana"]);
    r.ok(Command::ToggleTimer);
    r.wait(5 * 60 - 1);
    assert!(!r.m.overtime_offer(r.now()));
    r.wait(2);
    assert!(r.m.overtime_offer(r.now()));
    r.ok(Command::Overtime(OvertimeChoice::KeepGoing {
        extra_secs: 180,
    }));
    assert!(!r.m.overtime_offer(r.now()));
    assert_eq!(r.m.phase(r.now()), Phase::Running);
    r.wait(180);
    assert!(
        r.m.overtime_offer(r.now()),
        "the extension ran out: ask again"
    );
    r.ok(Command::Overtime(OvertimeChoice::MoveOn));
    assert_eq!(r.m.current(), 1);
    assert_eq!(
        r.m.phase(r.now()),
        Phase::Running,
        "moving on starts the next timebox"
    );
    let d = &r.m.sections()[0].decisions;
    assert_eq!(d.len(), 2);
    assert_eq!(d[1].choice, OvertimeChoice::MoveOn);
    assert_eq!(d[1].elapsed_ms, 8 * 60_000 + 1000);
    assert_eq!(r.replayed(), r.m);
}

#[test]
fn carrying_on_in_overtime_without_extension_silences_the_offer() {
    let mut r = room(&["Ana"]);
    r.ok(Command::ToggleTimer);
    r.wait(6 * 60);
    r.ok(Command::Overtime(OvertimeChoice::KeepGoing {
        extra_secs: 0,
    }));
    r.wait(60);
    assert!(!r.m.overtime_offer(r.now()));
    assert_eq!(r.m.phase(r.now()), Phase::Overtime);
}

#[test]
fn sections_move_and_keep_their_own_timers() {
    let mut r = room(&["Ana"]);
    assert_eq!(r.run(Command::PrevSection), Err(Refusal::FirstSection));
    r.ok(Command::ToggleTimer);
    r.wait(100);
    r.ok(Command::NextSection);
    r.wait(50);
    assert_eq!(r.m.sections()[0].elapsed_ms(r.now()), 100_000);
    assert_eq!(r.m.sections()[1].elapsed_ms(r.now()), 50_000);
    r.ok(Command::PrevSection);
    r.wait(10);
    assert_eq!(
        r.m.sections()[0].elapsed_ms(r.now()),
        110_000,
        "returning resumes the old timer"
    );
    assert_eq!(r.m.elapsed_ms(r.now()), 160_000);
    for _ in 0..4 {
        r.ok(Command::NextSection);
    }
    assert_eq!(r.run(Command::NextSection), Err(Refusal::LastSection));
    assert_eq!(r.replayed(), r.m);
}

#[test]
fn projected_end_adds_the_remaining_timeboxes() {
    let mut r = room(&["Ana"]);
    assert_eq!(
        r.m.projected_end(r.now()),
        r.now() + chrono::TimeDelta::minutes(40)
    );
    r.ok(Command::ToggleTimer);
    r.wait(120);
    assert_eq!(
        r.m.projected_end(r.now()),
        r.now() + chrono::TimeDelta::minutes(38)
    );
    r.wait(10 * 60); // overtime in the first section pushes the end out
    assert_eq!(
        r.m.projected_end(r.now()),
        r.now() + chrono::TimeDelta::minutes(35)
    );
}

#[test]
fn talk_time_turns_and_shares_across_speakers_and_sections() {
    let mut r = room(&["Ana", "Ben", "Chen"]);
    r.ok(Command::Speaker(Some(0)));
    r.wait(60);
    r.ok(Command::Speaker(Some(1)));
    r.wait(30);
    assert_eq!(r.run(Command::Speaker(Some(1))), Err(Refusal::NoChange));
    r.ok(Command::NextSection);
    r.wait(30); // Ben keeps talking in the new section
    r.ok(Command::Speaker(Some(0)));
    r.wait(60);
    r.ok(Command::Speaker(None));
    r.wait(500);
    let now = r.now();
    let ana = r.m.talk(0, now);
    let ben = r.m.talk(1, now);
    assert_eq!((ana.talk_ms, ana.turns), (120_000, 2));
    assert_eq!(
        (ben.talk_ms, ben.turns),
        (60_000, 1),
        "a turn across a section change is one turn"
    );
    assert!((ana.share - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(r.m.talk(2, now).talk_ms, 0);
    assert_eq!(r.m.section_talk_ms(0, 1, now), 30_000);
    assert_eq!(r.m.section_talk_ms(1, 1, now), 30_000);
    assert!(
        r.m.has_spoken(1, 1),
        "still speaking when the section began"
    );
    assert!(!r.m.has_spoken(1, 2));
    assert_eq!(
        r.run(Command::Speaker(Some(3))),
        Err(Refusal::NoParticipant(4, 3))
    );
    assert_eq!(r.replayed(), r.m);
}

#[test]
fn the_live_turn_counts_before_it_ends() {
    let mut r = room(&["Ana", "Ben"]);
    r.ok(Command::Speaker(Some(1)));
    r.wait(42);
    assert_eq!(r.m.talk(1, r.now()).talk_ms, 42_000);
    assert_eq!(r.m.talk(1, r.now()).share, 1.0);
}

#[test]
fn latecomers_join_the_roster_and_can_speak() {
    let mut r = room(&["Ana"]);
    r.ok(Command::AddParticipant(Participant {
        name: " Dee \n".into(),
        role: Some("SRE".into()),
    }));
    assert_eq!(r.m.people()[1].name, "Dee");
    r.ok(Command::Speaker(Some(1)));
    r.wait(10);
    assert_eq!(r.m.talk(1, r.now()).talk_ms, 10_000);
    assert!(r.m.has_spoken(0, 1));
    assert_eq!(r.replayed(), r.m);
}

#[test]
fn invite_others_when_one_person_holds_the_floor() {
    let mut r = room(&["Ana", "Ben", "Chen", "Dee"]);
    r.ok(Command::Speaker(Some(0)));
    r.wait(80);
    assert_eq!(r.m.invite_hint(r.now()), None, "too early to tell");
    r.wait(100);
    r.ok(Command::Speaker(Some(1)));
    r.wait(20);
    let hint = r.m.invite_hint(r.now()).expect("Ana holds 90%");
    assert_eq!(hint.dominant, 0);
    assert_eq!(hint.unheard, vec![2, 3]);
    r.wait(100);
    r.ok(Command::Speaker(Some(2)));
    r.wait(150);
    assert_eq!(
        r.m.invite_hint(r.now()),
        None,
        "Ben and Chen have caught up"
    );
}

#[test]
fn items_add_edit_delete_and_undo_each() {
    let mut r = room(&["Ana"]);
    r.ok(Command::Add("We agreed to keep the ground rules".into()));
    r.ok(Command::Add("second".into()));
    assert_eq!(r.run(Command::Add("  \n ".into())), Err(Refusal::Empty));
    let ids: Vec<_> = r.m.items_in(0).iter().map(|i| i.id).collect();
    assert_eq!(ids, vec![1, 2]);
    r.ok(Command::Edit(2, "second, edited".into()));
    r.ok(Command::Delete(1));
    let texts = |m: &Meeting| {
        m.items_in(0)
            .iter()
            .map(|i| i.text.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(texts(&r.m), vec!["second, edited"]);
    r.ok(Command::Undo); // the delete
    assert_eq!(
        texts(&r.m),
        vec!["We agreed to keep the ground rules", "second, edited"]
    );
    r.ok(Command::Undo); // the edit
    assert_eq!(
        texts(&r.m),
        vec!["We agreed to keep the ground rules", "second"]
    );
    assert_eq!(r.m.item(2).unwrap().edited, None);
    r.ok(Command::Undo); // the second add
    assert_eq!(texts(&r.m), vec!["We agreed to keep the ground rules"]);
    assert_eq!(r.replayed(), r.m, "undo survives a resume");
    r.ok(Command::Undo);
    assert_eq!(r.run(Command::Undo), Err(Refusal::NothingToUndo));
    assert!(r.m.items_in(0).is_empty());
    assert_eq!(r.run(Command::Delete(1)), Err(Refusal::NoItem));
}

#[test]
fn item_text_is_sanitised_before_it_becomes_an_event() {
    let mut r = room(&["Ana"]);
    r.ok(Command::Add(
        "db\u{1b}]0;owned\u{7} failover\u{1b}[2J\tdone\r\n".into(),
    ));
    let Event::ItemAdded { text, .. } = &r.log.last().unwrap().event else {
        panic!()
    };
    assert_eq!(text, "db failover    done");
}

#[test]
fn parking_a_tangent_records_section_time_and_speaker_and_gets_an_outcome() {
    let mut r = room(&["Ana", "Ben"]);
    r.ok(Command::NextSection);
    r.ok(Command::Speaker(Some(1)));
    r.wait(5);
    r.ok(Command::Park("Should we move off the old queue?".into()));
    let parked = r.m.parked();
    assert_eq!(parked.len(), 1);
    let t = parked[0].clone();
    assert_eq!(t.section, 1);
    assert_eq!(t.created, t0() + chrono::TimeDelta::seconds(5));
    assert_eq!(t.parking.as_ref().unwrap().raised_by, Some(1));
    assert!(
        r.m.items_in(1).is_empty(),
        "a tangent is not a timeline event"
    );
    for _ in 0..3 {
        r.ok(Command::NextSection);
    }
    assert_eq!(r.m.section().kind, SectionKind::ParkingLot);
    assert_eq!(r.m.items_in(4).len(), 1);
    r.ok(Command::SetOutcome(t.id, Some(Outcome::FollowUp)));
    assert_eq!(
        r.m.parked()[0].parking.as_ref().unwrap().outcome,
        Some(Outcome::FollowUp)
    );
    r.ok(Command::Undo);
    assert_eq!(r.m.parked()[0].parking.as_ref().unwrap().outcome, None);
    r.ok(Command::Add("raised during review".into()));
    assert_eq!(r.m.parked().len(), 2);
    assert_eq!(r.run(Command::SetOutcome(1, None)), Err(Refusal::NoChange));
    assert_eq!(r.replayed(), r.m);
}

#[test]
fn items_are_parsed_by_section_kind() {
    let mut r = room(&["Ana"]);
    r.ok(Command::Add("a note".into()));
    r.ok(Command::NextSection);
    r.ok(Command::Add("an event".into()));
    r.ok(Command::NextSection);
    r.ok(Command::Add("a factor".into()));
    r.ok(Command::NextSection);
    r.ok(Command::Add("an action".into()));
    let kinds: Vec<_> =
        r.m.all_items()
            .map(|i| std::mem::discriminant(&i.parsed))
            .collect();
    assert_eq!(kinds[0], std::mem::discriminant(&Parsed::Note));
    assert!(matches!(r.m.item(2).unwrap().parsed, Parsed::Timeline(_)));
    assert!(matches!(r.m.item(3).unwrap().parsed, Parsed::Factor(_)));
    assert!(matches!(r.m.item(4).unwrap().parsed, Parsed::Action(_)));
    assert_eq!(
        r.m.item(4).unwrap().flags(),
        vec![Flag::NoOwner, Flag::NoDueDate]
    );
}

#[test]
fn drafts_are_kept_until_committed() {
    use hotwash::meeting::{Draft, DraftTarget};
    let mut r = room(&["Ana"]);
    let d = Draft {
        target: DraftTarget::Add { section: 0 },
        text: "half a thou".into(),
    };
    let park = Draft {
        target: DraftTarget::Park,
        text: "a tangent".into(),
    };
    r.ok(Command::SaveDraft(d.clone()));
    r.ok(Command::SaveDraft(park.clone()));
    assert_eq!(r.run(Command::SaveDraft(d.clone())), Err(Refusal::NoChange));
    assert_eq!(r.replayed().drafts().get(&d.target), Some(&d));
    r.ok(Command::Add("half a thought, finished".into()));
    assert_eq!(
        r.m.drafts().get(&d.target),
        None,
        "committing clears its draft"
    );
    assert_eq!(
        r.m.drafts().get(&DraftTarget::Park),
        Some(&park),
        "other drafts stay"
    );
    r.ok(Command::SaveDraft(Draft {
        target: DraftTarget::Park,
        text: " \n".into(),
    }));
    assert!(r.m.drafts().is_empty(), "a blank draft clears it");
}

#[test]
fn replay_needs_a_start() {
    assert!(Meeting::replay(&[]).is_err());
    let e = Stamped {
        at: t0(),
        event: Event::TimerStarted,
    };
    assert!(Meeting::replay(&[e]).is_err());
}

#[test]
fn the_timeline_shows_in_time_order_whatever_order_it_was_typed() {
    let mut r = room(&["Ana"]);
    r.ok(Command::NextSection);
    for line in [
        "14:20 rollback finished https://deploys.example/42",
        "no idea when: someone restarted the cache",
        "2026-11-21 23:50 config change merged",
        "09:05:30 first alert https://grafana.example/d/1",
        "14:02 pager fires",
    ] {
        r.ok(Command::Add(line.into()));
    }
    let order: Vec<String> =
        r.m.items_in(1)
            .iter()
            .map(|i| match &i.parsed {
                Parsed::Timeline(t) => t.text.clone(),
                _ => panic!("not a timeline event"),
            })
            .collect();
    assert_eq!(
        order,
        vec![
            "config change merged",
            "first alert",
            "pager fires",
            "rollback finished",
            "no idea when: someone restarted the cache",
        ]
    );
    let untimed = r.m.items_in(1)[4];
    assert_eq!(untimed.flags(), vec![Flag::NoTime]);
    let Parsed::Timeline(first) = &r.m.items_in(1)[1].parsed else {
        panic!()
    };
    assert_eq!(first.source.as_deref(), Some("https://grafana.example/d/1"));
    // Editing a time moves the event.
    let id = r.m.items_in(1)[3].id;
    r.ok(Command::Edit(id, "08:00 rollback finished".into()));
    assert_eq!(r.m.items_in(1)[1].id, id);
}

#[test]
fn actions_due_in_days_count_from_the_day_they_were_typed() {
    let mut r = room(&["Ana"]);
    for _ in 0..3 {
        r.ok(Command::NextSection);
    }
    r.ok(Command::Add(
        "@ana !P1 due:+3d #PAY-311 add a circuit breaker".into(),
    ));
    let Parsed::Action(a) = &r.m.items_in(3)[0].parsed else {
        panic!()
    };
    assert_eq!(a.owner.as_deref(), Some("ana"));
    assert_eq!(a.due, chrono::NaiveDate::from_ymd_opt(2026, 11, 25));
    assert_eq!(a.ticket.as_deref(), Some("PAY-311"));
    assert_eq!(a.description, "add a circuit breaker");
    r.wait(2 * 86_400);
    assert_eq!(
        r.replayed(),
        r.m,
        "replay a day later gives the same due date"
    );
}
