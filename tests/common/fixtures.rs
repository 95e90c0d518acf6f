//! Meetings for tests, built through the public API: agendas, rosters, the
//! start event, and a room run on a fake clock. One copy here, for every
//! test file (`mod common;` then `use common::fixtures::...`).
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use hotwash::agenda::{Agenda, Section, SectionKind};
use hotwash::meeting::{Clock, Command, FakeClock, Meeting, Participant, Refusal, Stamped};

/// 09:00 UTC on Sunday 22 November 2026, when the test meetings start.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
        .single()
        .expect("a valid instant")
}

/// A roster from `"Name"` or `"Name:Role"` entries.
pub fn people(names: &[&str]) -> Vec<Participant> {
    names
        .iter()
        .map(|n| match n.split_once(':') {
            Some((name, role)) => Participant {
                name: name.into(),
                role: Some(role.into()),
            },
            None => Participant {
                name: (*n).into(),
                role: None,
            },
        })
        .collect()
}

/// A section titled `title`, of `kind`, with a timebox of `mins` minutes.
pub fn section(id: &str, title: &str, kind: SectionKind, mins: u64) -> Section {
    Section {
        id: id.into(),
        title: title.into(),
        kind,
        timebox_secs: mins * 60,
        prompts: vec![],
        fills: None,
        biases: vec![],
        votes: None,
    }
}

/// An agenda of `sections`, safeword "pineapple", no ground rules.
pub fn agenda(name: &str, sections: Vec<Section>) -> Agenda {
    Agenda {
        hint_phrases: Vec::new(),
        name: name.into(),
        description: None,
        safeword: "pineapple".into(),
        ground_rules: vec![],
        sections,
    }
}

/// The event that starts a meeting about `incident` at `at`, the room
/// `offset` seconds east of UTC.
pub fn start_event(
    incident: &str,
    agenda: &Agenda,
    people: &[Participant],
    offset: i32,
    at: DateTime<Utc>,
) -> Stamped {
    Stamped {
        at,
        event: Meeting::start_event(incident, agenda, people, offset),
    }
}

/// A meeting begun by `first`.
pub fn begin(first: &Stamped) -> Meeting {
    Meeting::begin(first).expect("a start event begins a meeting")
}

/// A meeting run on a fake clock, with its journal.
pub struct Room {
    /// The meeting as folded so far.
    pub m: Meeting,
    /// The room's clock, moved only by `wait`.
    pub clock: FakeClock,
    /// Every event so far, in order: the journal.
    pub log: Vec<Stamped>,
}

impl Room {
    /// A meeting about `incident` on `agenda` with `people`, at `t0()` in UTC.
    pub fn new(incident: &str, agenda: &Agenda, people: &[Participant]) -> Room {
        let clock = FakeClock::new(t0());
        let first = start_event(incident, agenda, people, 0, clock.now());
        Room {
            m: begin(&first),
            clock,
            log: vec![first],
        }
    }
    /// Records `cmd` now; its events go to the journal.
    pub fn run(&mut self, cmd: Command) -> Result<(), Refusal> {
        let events = self.m.record(cmd, self.clock.now())?;
        self.log.extend(events);
        Ok(())
    }
    /// Records `cmd`, which the meeting must take.
    pub fn ok(&mut self, cmd: Command) {
        if let Err(refusal) = self.run(cmd) {
            panic!("refused: {refusal:?}");
        }
    }
    /// Moves the clock on `secs` seconds.
    pub fn wait(&self, secs: i64) {
        self.clock.advance(secs);
    }
    /// The clock's time.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
    /// The meeting as its journal replays.
    pub fn replayed(&self) -> Meeting {
        Meeting::replay(&self.log).expect("the journal replays")
    }
}
