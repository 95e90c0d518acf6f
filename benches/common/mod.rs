//! Realistic meetings for the benches and `examples/make_journal.rs`, built
//! through the public API the way a room builds them: the default agenda,
//! every section visited (and some visited twice), speaker changes, drafts
//! saved while the scribe types, items of every kind with their quick-entry
//! fields, edits, deletes and undos, tangents parked and reviewed, timers
//! paused and timeboxes stretched, a latecomer, overtime decisions.
//!
//! Deterministic: the same size gives the same events, byte for byte.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use hotwash::agenda::{Agenda, SectionKind};
use hotwash::app::{App, Seat};
use hotwash::journal::{Header, Journal, SessionStore};
use hotwash::meeting::{
    Command, Draft, DraftTarget, Event, FakeClock, ItemId, Meeting, Outcome, OvertimeChoice,
    Participant, Stamped,
};

/// The room's offset: Central European Time in November.
pub const CET: i32 = 3600;

/// The sizes every growth benchmark runs at, in events.
pub const SIZES: [u64; 3] = [10, 1_000, 10_000];

/// The busy meeting of the render target: items, people, parked tangents.
pub const BUSY_ITEMS: usize = 500;
/// People on the busy meeting's roster (two of them latecomers).
pub const BUSY_PEOPLE: usize = 12;
/// Parked tangents in the busy meeting.
pub const BUSY_PARKED: usize = 20;

/// 14:00 UTC on Monday 23 November 2026.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0)
        .single()
        .expect("a valid instant")
}

/// A meeting being run, with its journal.
pub struct Room {
    /// The meeting as folded so far.
    pub m: Meeting,
    /// Every event, in order: the journal.
    pub log: Vec<Stamped>,
    /// The room's clock.
    pub now: DateTime<Utc>,
    rng: u64,
    n: usize,
    step_ms: i64,
    paused_for: u32,
    /// Sections already gone back to once (a room goes back, but not forever).
    revisited: Vec<bool>,
    latecomers: usize,
    max_latecomers: usize,
    /// How many tangents should be parked by the end (None: as they come).
    park_quota: Option<usize>,
}

impl Room {
    /// A meeting on the default agenda with `people` on the roster at the
    /// start, its clock stepping about `step_ms` per command.
    pub fn new(people: usize, step_ms: i64) -> Room {
        let agenda = hotwash::agenda::default_agenda();
        let roster: Vec<Participant> = (0..people).map(person).collect();
        let first = Stamped {
            at: start(),
            event: Meeting::start_event(
                "Checkout outage: payment provider timeouts",
                &agenda,
                &roster,
                CET,
            ),
        };
        let m = Meeting::begin(&first).expect("a start event begins a meeting");
        let sections = m.sections().len();
        Room {
            m,
            log: vec![first],
            now: start(),
            rng: 0x9e37_79b9_7f4a_7c15,
            n: 0,
            step_ms,
            paused_for: 0,
            revisited: vec![false; sections],
            latecomers: 0,
            max_latecomers: 0,
            park_quota: None,
        }
    }

    fn rand(&mut self, below: u64) -> u64 {
        // xorshift64*: fast, deterministic, good enough to vary a script.
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d) % below.max(1)
    }

    fn wait(&mut self) {
        let jitter = self.rand(self.step_ms as u64 + 1) as i64;
        self.now += TimeDelta::milliseconds(self.step_ms / 2 + jitter);
    }

    /// Carries out a command now; a refusal changes nothing (a room
    /// sometimes asks for what cannot be done).
    pub fn run(&mut self, cmd: Command) -> bool {
        match self.m.record(cmd, self.now) {
            Ok(events) => {
                self.log.extend(events);
                true
            }
            Err(_) => false,
        }
    }

    fn kind(&self) -> SectionKind {
        self.m.section().kind
    }

    /// The section the agenda should be in at `progress` (0.0 ..= 1.0):
    /// the timeline and factors take longer than the opening or the close.
    fn section_for(&self, progress: f64) -> usize {
        let weight = |i: usize, k: SectionKind| match k {
            SectionKind::Timeline => 3.0,
            SectionKind::Factors | SectionKind::Actions => 2.0,
            SectionKind::ParkingLot => 0.5,
            SectionKind::Notes if i + 1 == self.m.sections().len() => 0.5,
            SectionKind::Notes => 1.0,
        };
        let weights: Vec<f64> = self
            .m
            .agenda()
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| weight(i, s.kind))
            .collect();
        let total: f64 = weights.iter().sum();
        let mut acc = 0.0;
        for (i, w) in weights.iter().enumerate() {
            acc += w / total;
            if progress < acc {
                return i;
            }
        }
        weights.len() - 1
    }

    fn live_in_section(&self) -> Vec<ItemId> {
        self.m
            .items_in(self.m.current())
            .iter()
            .map(|i| i.id)
            .collect()
    }

    /// One thing happening in the room, about where `progress` says the
    /// meeting is.
    pub fn step(&mut self, progress: f64) {
        self.wait();
        self.n += 1;
        if self.m.started().is_none() {
            self.run(Command::ToggleTimer);
            return;
        }
        if self.m.overtime_offer(self.now) {
            let choice = if self.rand(3) == 0 {
                OvertimeChoice::MoveOn
            } else {
                OvertimeChoice::KeepGoing { extra_secs: 300 }
            };
            self.run(Command::Overtime(choice));
            return;
        }
        if self.paused_for > 0 {
            self.paused_for -= 1;
            if self.paused_for == 0 {
                self.run(Command::ToggleTimer);
                return;
            }
        }
        let cur = self.m.current();
        let reviewed = self.kind() == SectionKind::ParkingLot
            && self
                .m
                .parked()
                .iter()
                .all(|i| i.parking.as_ref().is_some_and(|p| p.outcome.is_some()));
        let want = self.section_for(progress).max(cur + usize::from(reviewed));
        if cur < want && cur + 1 < self.m.sections().len() {
            // Now and then the room goes back a section for something it forgot.
            if cur > 1 && !self.revisited[cur] && self.rand(3) == 0 {
                self.revisited[cur] = true;
                self.run(Command::PrevSection);
                self.capture();
            }
            self.run(Command::NextSection);
            return;
        }
        if self.latecomers < self.max_latecomers && progress > 0.2 * (self.latecomers + 1) as f64 {
            self.latecomers += 1;
            self.run(Command::AddParticipant(Participant {
                name: format!("Late Comer {}", self.latecomers),
                role: Some("SRE".into()),
            }));
            return;
        }
        if let Some(quota) = self.park_quota {
            let due = (quota as f64 * progress).ceil() as usize;
            if self.m.parked().len() < due.min(quota) && self.kind() != SectionKind::ParkingLot {
                self.park();
                return;
            }
        }
        match self.rand(100) {
            0..30 => {
                let people = self.m.people().len() as u64;
                let who = self.rand(people + 1);
                let who = (who < people && people > 0).then_some(who as usize);
                if !self.run(Command::Speaker(who)) {
                    self.capture();
                }
            }
            30..34 => self.edit(),
            34..37 => self.delete(),
            37..39 if self.park_quota.is_none() => self.park(),
            39 => {
                let delta = if self.rand(3) == 0 { 300 } else { -60 };
                self.run(Command::AdjustTimebox(delta));
            }
            40 => {
                if self.m.state().running() {
                    self.run(Command::ToggleTimer);
                    self.paused_for = 3 + self.rand(5) as u32;
                }
            }
            _ => self.capture(),
        }
    }

    /// The scribe captures one item in the current section: a draft or two
    /// saved while typing, then Enter. In the parking-lot review, the room
    /// settles a tangent instead.
    pub fn capture(&mut self) {
        self.n += 1;
        if self.kind() == SectionKind::ParkingLot {
            let open: Vec<ItemId> = self
                .m
                .parked()
                .iter()
                .filter(|i| i.parking.as_ref().is_some_and(|p| p.outcome.is_none()))
                .map(|i| i.id)
                .collect();
            if let Some(&id) = open.first() {
                let outcome =
                    [Outcome::Action, Outcome::FollowUp, Outcome::Dropped][self.rand(3) as usize];
                self.run(Command::SetOutcome(id, Some(outcome)));
            } else {
                let people = self.m.people().len();
                self.run(Command::Speaker(Some(self.n % people.max(1))));
            }
            return;
        }
        let text = text(self.kind(), self.n, self.rand(1000));
        let target = DraftTarget::Add {
            section: self.m.current(),
        };
        self.drafts(target, &text);
        self.run(Command::Add(text));
    }

    fn drafts(&mut self, target: DraftTarget, text: &str) {
        let chars = text.chars().count();
        for _ in 0..self.rand(3) {
            let cut = 1 + self.rand(chars as u64) as usize;
            let part: String = text.chars().take(cut).collect();
            self.run(Command::SaveDraft(Draft { target, text: part }));
        }
    }

    fn park(&mut self) {
        self.n += 1;
        let text = format!(
            "tangent {}: should we move to a second payment provider? (raised in {})",
            self.n,
            self.m.section().title
        );
        self.drafts(DraftTarget::Park, &text);
        self.run(Command::Park(text));
    }

    fn edit(&mut self) {
        let live = self.live_in_section();
        if live.is_empty() {
            return self.capture();
        }
        let id = live[self.rand(live.len() as u64) as usize];
        let Some(old) = self.m.item(id).map(|i| i.text.clone()) else {
            return;
        };
        let new = format!("{old} (corrected)");
        self.drafts(DraftTarget::Edit { id }, &new);
        self.run(Command::Edit(id, new));
    }

    fn delete(&mut self) {
        if self.kind() == SectionKind::ParkingLot {
            return self.capture();
        }
        let live = self.live_in_section();
        if live.is_empty() {
            return self.capture();
        }
        let id = live[self.rand(live.len() as u64) as usize];
        self.run(Command::Delete(id));
        // Half the time the room wanted it after all.
        if self.rand(2) == 0 {
            self.wait();
            self.run(Command::Undo);
        }
    }

    /// Moves the room to `section` (for drawing a section other than the last).
    pub fn enter(&mut self, section: usize) {
        let e = Stamped {
            at: self.now,
            event: Event::SectionEntered { section },
        };
        self.m.apply(&e);
        self.log.push(e);
    }

    /// An app on this meeting at its clock, drawing into nothing but its model.
    pub fn app(&self) -> App {
        App::new(
            self.m.clone(),
            Arc::new(FakeClock::new(self.now)),
            Seat::default(),
        )
    }
}

fn person(i: usize) -> Participant {
    const NAMES: [&str; 12] = [
        "Ana Silva",
        "Ben Okafor",
        "Chen Wei",
        "Dee Larsen",
        "Eli Novak",
        "Fay Moreau",
        "Gus Patel",
        "Hal Berg",
        "Ines Duarte",
        "Jon Park",
        "Kemi Adeyemi",
        "Lars Holm",
    ];
    const ROLES: [Option<&str>; 4] = [
        Some("incident commander"),
        Some("scribe"),
        None,
        Some("service owner"),
    ];
    Participant {
        name: NAMES[i % NAMES.len()].to_string(),
        role: ROLES[i % ROLES.len()].map(str::to_string),
    }
}

/// What a scribe types in a section of `kind`, the `n`th time (`r` varies it).
pub fn text(kind: SectionKind, n: usize, r: u64) -> String {
    match kind {
        SectionKind::Timeline => match r % 10 {
            // An event with no time: kept and flagged.
            0 => format!("customers report failed payments in support chat ({n})"),
            1 => format!(
                "2026-11-22 {:02}:{:02} deploy of checkout v{n} starts https://ci.example.com/runs/{n}",
                r % 24,
                r % 60
            ),
            2 => format!(
                "{:02}:{:02}:{:02} error rate on /pay crosses 5% in eu-west; the on-call engineer acknowledges the page and starts the incident channel, the status page stays green for another twelve minutes https://grafana.example.com/d/checkout?orgId=1&from=now-6h&n={n}",
                r % 24,
                r % 60,
                n % 60
            ),
            _ => format!(
                "{:02}:{:02} event {n} on the checkout | pay path https://grafana.example.com/d/{n}",
                r % 24,
                r % 60
            ),
        },
        SectionKind::Factors => match r % 3 {
            0 => format!("factor {n}: pool sized for last year's peak +technology +capacity"),
            1 => format!(
                "factor {n}: no load test before the peak-season release; the checklist predates the new provider +process"
            ),
            _ => format!("factor {n}: retries without backoff 出口 👩‍👩‍👧 +technology"),
        },
        SectionKind::Actions => match r % 4 {
            0 => format!("!P2 add a load test to the release checklist ({n})"),
            _ => format!(
                "@owner{} !P{} due:+{}d #OPS-{n} resize the pool and alert at 80% use ({n})",
                r % 7,
                r % 3 + 1,
                r % 30
            ),
        },
        _ => match r % 3 {
            0 => format!("note {n}: what the room said,\nover two lines"),
            _ => format!("note {n}: rollback took under 20 minutes from decision to done"),
        },
    }
}

/// A meeting of about `events` events (a few more, never fewer), with
/// eight people and two latecomers, all over in about 90 minutes.
pub fn meeting(events: u64) -> Room {
    let step = (5_400_000 / events.max(1) as i64).clamp(300, 60_000);
    let mut r = Room::new(8, step);
    r.max_latecomers = 2;
    while r.m.events() < events {
        let progress = r.m.events() as f64 / events as f64;
        r.step(progress);
    }
    r
}

/// The busy meeting of the render target: 500 live items across every
/// section kind, 20 of them parked tangents, 12 people (two came late).
pub fn busy() -> Room {
    let mut r = Room::new(BUSY_PEOPLE - 2, 2_000);
    r.max_latecomers = 2;
    r.park_quota = Some(BUSY_PARKED);
    loop {
        let live = r.m.all_items().filter(|i| !i.deleted).count();
        if live >= BUSY_ITEMS {
            assert_eq!(live, BUSY_ITEMS, "the busy meeting's items");
            break;
        }
        r.step(live as f64 / BUSY_ITEMS as f64);
    }
    assert_eq!(r.m.people().len(), BUSY_PEOPLE, "the busy roster");
    assert_eq!(r.m.parked().len(), BUSY_PARKED, "the busy parking lot");
    r
}

/// The first section of `kind` in the meeting's agenda.
pub fn section_of(m: &Meeting, kind: SectionKind) -> usize {
    m.agenda()
        .sections
        .iter()
        .position(|s| s.kind == kind)
        .expect("the default agenda has every kind")
}

/// Writes `log` as a new session in a store at `root`, through the real
/// journal writer; returns the session directory.
pub fn write_session(root: &Path, log: &[Stamped]) -> PathBuf {
    let store = SessionStore::at(root.to_path_buf());
    let first = log.first().expect("a journal has a start");
    let header = match &first.event {
        Event::MeetingStarted {
            incident, agenda, ..
        } => Header::new(first.at, incident.clone(), agenda.name.clone()),
        _ => panic!("a journal starts with the meeting's start"),
    };
    let (session, mut writer) =
        Journal::create::<Stamped, _>(&store, &header, |_| {}).expect("a session");
    for e in log {
        writer.append(e).expect("append");
    }
    writer
        .flush(std::time::Duration::from_secs(60))
        .expect("flush");
    session.dir
}

/// The agenda every meeting here runs on.
pub fn agenda() -> Agenda {
    hotwash::agenda::default_agenda()
}
