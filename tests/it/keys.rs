//! Every key of every mode, read from the app's own key tables, pressed in
//! a meeting set up so that the key has something to do, and checked to do
//! what its row says. A new action cannot be added without a check here:
//! the match over actions has no catch-all.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent};
use hotwash::agenda::{Agenda, Section, SectionKind};
use hotwash::app::keymap::{Action, Binding, Key, KeyMode, Role};
use hotwash::app::{App, AppMode, Effect, Exit, Seat, export_minutes};
use hotwash::meeting::{
    Clock, Command, DraftTarget, FakeClock, IncidentField, Meeting, Outcome, OvertimeChoice,
    Participant, PulseQuestion, Stamped, Status,
};
use hotwash::ui::incident_card::{CardRow, CardTarget};
use hotwash::ui::{InputPurpose, Mode};

fn agenda() -> Agenda {
    let s = |id: &str, kind, secs: u64| Section {
        id: id.into(),
        title: id.into(),
        kind,
        timebox_secs: secs,
        prompts: vec![],
        fills: None,
        biases: vec![],
        votes: None,
    };
    Agenda {
        hint_phrases: Vec::new(),
        name: "keys".into(),
        description: None,
        safeword: "pineapple".into(),
        ground_rules: vec![],
        sections: vec![
            s("opening", SectionKind::Notes, 600),
            s("timeline", SectionKind::Timeline, 600),
            s("parking", SectionKind::ParkingLot, 600),
            s("close", SectionKind::Notes, 600),
            s("factors", SectionKind::Factors, 600),
        ],
    }
}

/// An app on a meeting with nine people, in the timeline, with two items
/// and a tangent; the minutes go to a directory of its own.
struct Room {
    app: App,
    clock: FakeClock,
    out: tempfile::TempDir,
    /// Why the app asked to stop, if it did.
    exit: Option<Exit>,
    /// What the room card's y / n answered, if it did.
    admitted: Option<bool>,
    /// Whether the terminal's hand went up or down, if it did.
    hand: Option<bool>,
}

impl Room {
    fn new(role: Role) -> Room {
        let clock = FakeClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
        let people: Vec<Participant> = (1..=9)
            .map(|n| Participant {
                name: format!("P{n}"),
                role: None,
            })
            .collect();
        let first = Stamped {
            at: clock.now(),
            event: Meeting::start_event("Outage", &agenda(), &people, 0),
        };
        let mut m = Meeting::begin(&first).unwrap();
        let now = clock.now();
        for cmd in [
            Command::NextSection,
            Command::Add("14:00 one".into()),
            Command::Add("14:05 two".into()),
            Command::Park("a tangent".into()),
            Command::SetIncident(IncidentField::Severity(Some("SEV2".into()))),
        ] {
            m.record(cmd, now).unwrap();
        }
        let out = crate::common::tempdir();
        let seat = Seat {
            role,
            ..Seat::default()
        };
        let app = App::new(m, Arc::new(clock.clone()), seat);
        Room {
            app,
            clock,
            out,
            exit: None,
            admitted: None,
            hand: None,
        }
    }

    /// A key press, its effects carried out as the loop does.
    fn press(&mut self, key: KeyEvent) {
        let mut effects = self.app.on_terminal(TermEvent::Key(key));
        while let Some(e) = effects.pop() {
            match e {
                Effect::Export => {
                    let result = export_minutes(self.app.meeting(), self.out.path());
                    effects.extend(self.app.on_exported(result));
                }
                Effect::Quit(x) => self.exit = Some(x),
                Effect::Admit(yes) => self.admitted = Some(yes),
                Effect::Hand(up) => self.hand = Some(up),
                _ => {}
            }
        }
    }

    fn char(&mut self, c: char) {
        self.press(KeyEvent::from(KeyCode::Char(c)));
    }

    fn code(&mut self, code: KeyCode) {
        self.press(KeyEvent::from(code));
    }

    fn m(&self) -> &Meeting {
        self.app.meeting()
    }

    fn selected(&self) -> Option<usize> {
        self.app.view(self.clock.now()).selected
    }

    /// The incident card's selected row, when the card is open.
    fn card_row(&self) -> Option<usize> {
        match self.app.view(self.clock.now()).mode {
            Mode::Card(c) => Some(c.row),
            _ => None,
        }
    }

    /// Opens the card and selects `row`.
    fn card_at(&mut self, row: CardRow) {
        self.char('i');
        let at = CardRow::all(self.m())
            .iter()
            .position(|r| *r == row)
            .unwrap();
        for _ in 0..at {
            self.char('j');
        }
        assert_eq!(self.card_row(), Some(at));
    }

    fn texts(&self) -> Vec<String> {
        let m = self.m();
        m.items_in(m.current())
            .iter()
            .map(|i| i.text.clone())
            .collect()
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.char(c);
        }
    }

    /// Puts the app in `mode`, ready for `action` to have something to do.
    fn set_up(mode: KeyMode, action: Action, role: Role) -> Room {
        let mut r = Room::new(role);
        if matches!(action, Action::Admit | Action::Refuse) {
            r.app.on_room(hotwash::ui::RoomView {
                asking: Some("SHA256:abc as scribe".into()),
                ..Default::default()
            });
        }
        // The guides' modes are entered first, then readied inside.
        let late = matches!(mode, KeyMode::Picker | KeyMode::Vote | KeyMode::Pulse);
        let ready = |r: &mut Room| match action {
            Action::Nobody | Action::GoRound => r.char('1'),
            Action::Undo => r.char('d'),
            Action::SelectNext => r.char('k'),
            Action::Outcome => {
                r.char(']');
                r.char('k');
            }
            Action::Pick => r.char('3'),
            // Votes are taken in a factors section.
            Action::Vote => {
                for _ in 0..3 {
                    r.char(']');
                }
            }
            // A viewer's `v` and `l` go to what the facilitator opened.
            Action::JoinVote | Action::JoinPulse => {
                let mut m = r.m().clone();
                let now = r.clock.now();
                for _ in 0..3 {
                    m.record(Command::NextSection, now).unwrap();
                }
                m.record(Command::Add("cache was cold".into()), now)
                    .unwrap();
                m.record(Command::OpenVote, now).unwrap();
                m.record(Command::OpenPulse, now).unwrap();
                r.app.on_meeting(m, hotwash::ui::SaveState::Saved);
            }
            Action::Undot => r.char('+'),
            Action::PulseTakeBack => r.char('3'),
            _ => {}
        };
        if !late {
            ready(&mut r);
        }
        let card = match action {
            Action::CardUp => Some(CardRow::Started),
            Action::CardRole | Action::CardLeft => Some(CardRow::Person(0)),
            Action::CardClear => Some(CardRow::Severity),
            _ if mode == KeyMode::CardEdit => Some(CardRow::Summary),
            _ => Some(CardRow::Title),
        };
        match mode {
            KeyMode::Card => {
                r.card_at(card.unwrap());
                if action == Action::Undo {
                    r.char('s');
                }
            }
            KeyMode::CardEdit => {
                r.card_at(card.unwrap());
                r.code(KeyCode::Enter);
                r.code(KeyCode::End);
                for c in " typed".chars() {
                    r.char(c);
                }
            }
            KeyMode::Normal => {}
            KeyMode::Offer => {
                r.char(' ');
                r.clock.advance(601);
                assert!(r.m().overtime_offer(r.clock.now()));
            }
            KeyMode::Input(p) => {
                r.char(match p {
                    InputPurpose::Add => 'a',
                    InputPurpose::Edit => 'e',
                    InputPurpose::Park => 'p',
                    InputPurpose::AddPerson => 'n',
                });
                assert_eq!(r.app.mode(), AppMode::Input(p));
                r.code(KeyCode::End);
                for c in " typed".chars() {
                    r.char(c);
                }
            }
            KeyMode::ConfirmQuit => r.char('q'),
            KeyMode::Help => r.char('?'),
            KeyMode::Room => r.char('r'),
            KeyMode::Biases => r.char('c'),
            KeyMode::Picker => r.char('s'),
            KeyMode::Pulse => r.char('l'),
            KeyMode::Vote => {
                for _ in 0..3 {
                    r.char(']');
                }
                for f in ["cache was cold +tech", "no canary stage"] {
                    r.char('a');
                    r.type_text(f);
                    r.code(KeyCode::Enter);
                }
                r.char('v');
            }
        }
        if late {
            ready(&mut r);
        }
        assert_eq!(r.app.key_mode(), mode, "set up for {action:?}");
        r
    }

    /// Dots cast in the current section's vote.
    fn dots(&self) -> u32 {
        let m = self.m();
        m.vote(m.current()).map_or(0, |v| v.total())
    }
}

/// What the room looked like before the key.
struct Before {
    current: usize,
    running: bool,
    timebox: u64,
    items: usize,
    people: usize,
    bell: bool,
    selected: Option<usize>,
    input: String,
    decisions: usize,
    dots: u32,
    answers: u32,
    question: PulseQuestion,
    talk: bool,
    speaker: Option<usize>,
    screen: hotwash::ui::Screen,
}

impl Before {
    fn of(r: &Room) -> Before {
        let m = r.m();
        Before {
            current: m.current(),
            running: m.state().running(),
            timebox: m.state().timebox_secs,
            items: r.texts().len(),
            people: m.people().len(),
            bell: m.bell(),
            selected: r.selected(),
            input: r.app.input_text(),
            decisions: m.sections()[m.current()].decisions.len(),
            dots: r.dots(),
            answers: PulseQuestion::ALL
                .iter()
                .map(|q| m.pulse().answers(*q))
                .sum(),
            question: r.app.pulse_question(),
            talk: r.app.show_talk(),
            speaker: m.speaker().map(|s| s.0),
            screen: r.app.view(r.app.now()).screen,
        }
    }
}

fn last_decision(r: &Room, section: usize) -> OvertimeChoice {
    r.m().sections()[section]
        .decisions
        .last()
        .expect("a decision")
        .choice
}

/// Checks that pressing `key` of `b` in `mode` did what the row says.
fn check(mode: KeyMode, b: &Binding, key: &Key, r: &Room, was: &Before) {
    let m = r.m();
    let what = format!("{mode:?} {:?} {}", b.action, key.label());
    let status = r.app.status().unwrap_or_default().to_string();
    match b.action {
        Action::NextSection => assert_eq!(m.current(), was.current + 1, "{what}"),
        Action::PrevSection => assert_eq!(m.current(), was.current - 1, "{what}"),
        Action::ToggleTimer => assert_ne!(m.state().running(), was.running, "{what}"),
        Action::Extend => assert_eq!(m.state().timebox_secs, was.timebox + 300, "{what}"),
        Action::Shorten => assert_eq!(m.state().timebox_secs, was.timebox - 300, "{what}"),
        Action::Speak => {
            let KeyCode::Char(c) = key.code.unwrap() else {
                panic!("{what}: a digit")
            };
            let n = c.to_digit(10).unwrap() as usize;
            assert_eq!(m.speaker().map(|s| s.0), Some(n - 1), "{what}");
        }
        Action::Nobody => assert_eq!(m.speaker(), None, "{what}"),
        Action::AddPerson => {
            assert_eq!(
                r.app.mode(),
                AppMode::Input(InputPurpose::AddPerson),
                "{what}"
            )
        }
        Action::Add => assert_eq!(r.app.mode(), AppMode::Input(InputPurpose::Add), "{what}"),
        Action::Park => assert_eq!(r.app.mode(), AppMode::Input(InputPurpose::Park), "{what}"),
        Action::Edit => {
            assert_eq!(r.app.mode(), AppMode::Input(InputPurpose::Edit), "{what}");
            assert_eq!(r.app.input_text(), "14:05 two", "{what}: the selected item");
        }
        Action::Delete => {
            assert_eq!(r.texts().len(), was.items - 1, "{what}");
            assert!(status.contains("deleted"), "{what}: {status}");
        }
        Action::Undo if mode == KeyMode::Card => {
            assert_eq!(m.incident_details().status, Status::Draft, "{what}");
            assert_eq!(r.app.mode(), AppMode::Card, "{what}: the card stays open");
        }
        Action::Undo => assert_eq!(r.texts().len(), was.items + 1, "{what}"),
        Action::Incident => {
            assert_eq!(r.app.mode(), AppMode::Card, "{what}");
            assert_eq!(r.card_row(), Some(0), "{what}");
        }
        Action::CardDown => assert_eq!(r.card_row(), Some(1), "{what}"),
        Action::CardUp => assert_eq!(r.card_row(), Some(0), "{what}"),
        Action::CardEdit => {
            let title = AppMode::CardEdit(CardTarget::Row(CardRow::Title));
            assert_eq!(r.app.mode(), title, "{what}");
            assert_eq!(r.app.input_text(), "Outage", "{what}: the title to edit");
        }
        Action::CardStatus => {
            assert_eq!(m.incident_details().status, Status::InReview, "{what}")
        }
        Action::CardRole => {
            assert_eq!(
                r.app.mode(),
                AppMode::CardEdit(CardTarget::Role(0)),
                "{what}"
            )
        }
        Action::CardLeft => {
            assert!(m.has_left(0), "{what}");
            assert!(status.contains("P1 has left"), "{what}: {status}");
        }
        Action::CardClear => {
            assert_eq!(m.incident_details().severity, None, "{what}");
            assert!(status.contains("cleared"), "{what}: {status}");
        }
        Action::CloseCard => assert_eq!(r.app.mode(), AppMode::Normal, "{what}"),
        Action::Moment => {
            assert!(r.texts().contains(&"14:05 two !began".into()), "{what}");
            assert!(status.contains("marked !began"), "{what}: {status}");
        }
        Action::SelectNext => {
            assert_eq!(was.selected, Some(0), "{what}");
            assert_eq!(r.selected(), Some(1), "{what}");
        }
        Action::SelectPrev => {
            assert_eq!(was.selected, Some(1), "{what}");
            assert_eq!(r.selected(), Some(0), "{what}");
        }
        Action::Deselect => {
            assert!(was.selected.is_some(), "{what}");
            assert_eq!(r.selected(), None, "{what}");
        }
        Action::Outcome => {
            let parked = m.parked();
            let p = parked[0].parking.as_ref().unwrap();
            assert_eq!(p.outcome, Some(Outcome::Action), "{what}");
        }
        Action::Export => {
            assert!(status.contains("minutes written to"), "{what}: {status}");
            let files = std::fs::read_dir(r.out.path()).unwrap().count();
            assert_eq!(files, 1, "{what}: one file in the out dir");
        }
        Action::Bell => assert_ne!(m.bell(), was.bell, "{what}"),
        Action::Help => assert_eq!(r.app.mode(), AppMode::Help, "{what}"),
        Action::Quit => assert_eq!(r.app.mode(), AppMode::ConfirmQuit, "{what}"),
        Action::Interrupt => assert_eq!(r.exit, Some(Exit::Interrupted), "{what}"),
        Action::KeepGoing => {
            let extra_secs = 300;
            let choice = last_decision(r, m.current());
            assert_eq!(choice, OvertimeChoice::KeepGoing { extra_secs }, "{what}");
            assert!(!m.overtime_offer(r.clock.now()), "{what}");
        }
        Action::MoveOn => {
            assert_eq!(m.current(), was.current + 1, "{what}");
            assert_eq!(
                last_decision(r, was.current),
                OvertimeChoice::MoveOn,
                "{what}"
            );
        }
        Action::CarryOn => {
            let choice = last_decision(r, m.current());
            let extra_secs = 0;
            assert_eq!(choice, OvertimeChoice::KeepGoing { extra_secs }, "{what}");
            assert_eq!(m.current(), was.current, "{what}");
        }
        Action::Commit if mode == KeyMode::CardEdit => {
            assert_eq!(r.app.mode(), AppMode::Card, "{what}");
            let summary = m.incident_details().summary.as_deref();
            assert_eq!(summary, Some("typed"), "{what}");
        }
        Action::Cancel if mode == KeyMode::CardEdit => {
            assert_eq!(r.app.mode(), AppMode::Card, "{what}");
            assert_eq!(m.incident_details().summary, None, "{what}: nothing saved");
        }
        Action::Commit => {
            assert_eq!(r.app.mode(), AppMode::Normal, "{what}");
            let KeyMode::Input(purpose) = mode else {
                panic!("{what}: commit outside the input")
            };
            match purpose {
                InputPurpose::Add => assert_eq!(r.texts().len(), was.items + 1, "{what}"),
                InputPurpose::Park => {
                    assert_eq!(m.parked().len(), 2, "{what}");
                    assert!(m.parked()[1].text.contains("typed"), "{what}");
                }
                InputPurpose::Edit => assert!(r.texts().contains(&"14:05 two typed".into())),
                InputPurpose::AddPerson => {
                    assert_eq!(m.people().len(), was.people + 1, "{what}");
                    assert!(m.people()[was.people].name.contains("typed"), "{what}");
                }
            }
        }
        Action::NewLine => {
            assert_eq!(r.app.input_text(), format!("{}\n", was.input), "{what}");
        }
        Action::Cancel => {
            assert_eq!(r.app.mode(), AppMode::Normal, "{what}");
            assert_eq!(r.texts().len(), was.items, "{what}: nothing added");
            let KeyMode::Input(purpose) = mode else {
                panic!("{what}: cancel outside the input")
            };
            let target = match purpose {
                InputPurpose::Add => Some(DraftTarget::Add { section: 1 }),
                InputPurpose::Park => Some(DraftTarget::Park),
                InputPurpose::Edit => m.items_in(1).get(1).map(|i| DraftTarget::Edit { id: i.id }),
                InputPurpose::AddPerson => None,
            };
            match target {
                Some(t) => assert_eq!(m.drafts()[&t].text, was.input, "{what}: draft kept"),
                None => assert_eq!(m.people().len(), was.people, "{what}"),
            }
        }
        Action::ConfirmQuit => assert_eq!(r.exit, Some(Exit::Quit), "{what}"),
        Action::Stay => {
            assert_eq!(r.app.mode(), AppMode::Normal, "{what}");
            assert_eq!(r.exit, None, "{what}");
            assert_eq!(status, "carrying on", "{what}");
        }
        Action::RoomCard => assert_eq!(r.app.mode(), AppMode::Room, "{what}"),
        Action::Admit => assert_eq!(r.admitted, Some(true), "{what}"),
        Action::Refuse => assert_eq!(r.admitted, Some(false), "{what}"),
        Action::CloseRoom => assert_eq!(r.app.mode(), AppMode::Normal, "{what}"),
        Action::RaiseHand => {
            assert_eq!(r.hand, Some(true), "{what}");
            assert!(status.contains("hand is up"), "{what}: {status}");
        }
        Action::PickSpeaker => assert_eq!(r.app.mode(), AppMode::Picker, "{what}"),
        Action::Pick => {
            assert_eq!(m.speaker().map(|s| s.0), Some(2), "{what}: typed 3");
            assert_eq!(r.app.mode(), AppMode::Normal, "{what}");
        }
        Action::ClosePicker | Action::CloseBiases | Action::LeaveVote | Action::LeavePulse => {
            assert_eq!(r.app.mode(), AppMode::Normal, "{what}");
            assert_eq!(m.speaker().map(|s| s.0), was.speaker, "{what}");
            let cur = m.current();
            if b.action == Action::LeaveVote {
                assert!(m.vote(cur).is_some_and(|v| v.open), "{what}: still open");
            }
            if b.action == Action::LeavePulse {
                assert!(m.pulse().open, "{what}: still open");
            }
        }
        Action::NextSpeaker => assert_eq!(m.speaker().map(|s| s.0), Some(0), "{what}"),
        Action::GoRound => {
            assert_eq!(was.speaker, Some(0), "{what}");
            assert_eq!(
                m.speaker().map(|s| s.0),
                Some(1),
                "{what}: the next unheard"
            );
        }
        Action::TalkTimes => assert_ne!(r.app.show_talk(), was.talk, "{what}"),
        Action::Biases => assert_eq!(r.app.mode(), AppMode::Biases, "{what}"),
        Action::Vote => {
            assert_eq!(r.app.mode(), AppMode::Vote, "{what}");
            assert!(m.vote(m.current()).is_some_and(|v| v.open), "{what}");
        }
        Action::JoinVote => {
            assert_eq!(r.app.mode(), AppMode::Vote, "{what}");
            assert!(
                status.contains("your dots: 3 of 3 left"),
                "{what}: {status}"
            );
        }
        Action::JoinPulse => assert_eq!(r.app.mode(), AppMode::Pulse, "{what}"),
        Action::Dot => assert_eq!(r.dots(), was.dots + 1, "{what}"),
        Action::DotN => {
            let KeyCode::Char(c) = key.code.unwrap() else {
                panic!("{what}: a digit")
            };
            let n = c.to_digit(10).unwrap() as usize;
            let factors = r.texts().len();
            if n <= factors {
                let id = m.items_in(m.current())[n - 1].id;
                assert_eq!(m.votes_for(id), 1, "{what}");
            } else {
                assert_eq!(r.dots(), was.dots, "{what}");
                assert!(status.contains("no factor"), "{what}: {status}");
            }
        }
        Action::Undot => assert_eq!(r.dots(), was.dots - 1, "{what}"),
        Action::CloseVote => {
            assert_eq!(r.app.mode(), AppMode::Normal, "{what}");
            assert!(m.vote(m.current()).is_some_and(|v| !v.open), "{what}");
        }
        Action::Pulse => {
            assert_eq!(r.app.mode(), AppMode::Pulse, "{what}");
            assert!(m.pulse().open, "{what}");
        }
        Action::PulseScore => {
            let KeyCode::Char(c) = key.code.unwrap() else {
                panic!("{what}: a digit")
            };
            let n = c.to_digit(10).unwrap() as u8;
            assert_eq!(m.pulse().count(was.question, n), 1, "{what}");
        }
        Action::PulseQuestion => assert_ne!(r.app.pulse_question(), was.question, "{what}"),
        Action::PulseTakeBack => {
            assert_eq!(was.answers, 1, "{what}");
            let now: u32 = PulseQuestion::ALL
                .iter()
                .map(|q| m.pulse().answers(*q))
                .sum();
            assert_eq!(now, 0, "{what}");
        }
        Action::ClosePulse => {
            assert_eq!(r.app.mode(), AppMode::Normal, "{what}");
            assert!(!m.pulse().open, "{what}");
        }
        Action::NextPrompt => {
            let now = r.app.view(r.app.now()).screen.prompt;
            let n = m.section().prompts.len().max(1);
            assert_eq!(now, (was.screen.prompt + 1) % n, "{what}");
        }
        Action::Zoom => {
            let now = r.app.view(r.app.now()).screen.zoom;
            assert_ne!(now, was.screen.zoom, "{what}");
        }
        Action::HelpMore | Action::HelpBack => {
            assert_eq!(r.app.mode(), AppMode::Help, "{what}: the help stays open");
            let page = r.app.view(r.app.now()).screen.help_page;
            let want = if b.action == Action::HelpMore {
                was.screen.help_page + 1
            } else {
                was.screen.help_page.saturating_sub(1)
            };
            assert_eq!(page, want, "{what}");
        }
        Action::CloseHelp => {
            assert_eq!(r.app.mode(), AppMode::Normal, "{what}");
            assert_eq!(
                m.current(),
                was.current,
                "{what}: the key does nothing else"
            );
            assert_eq!(m.state().running(), was.running, "{what}");
        }
    }
    if !matches!(
        b.action,
        Action::KeepGoing | Action::MoveOn | Action::CarryOn
    ) {
        let now = m.sections()[was.current].decisions.len();
        assert_eq!(now, was.decisions, "{what}: no overtime decision");
    }
}

/// A key no row of `mode` binds, to stand for "any other key".
fn unbound(mode: KeyMode) -> KeyEvent {
    let taken = |c: char| {
        mode.table()
            .iter()
            .flat_map(|b| b.keys)
            .any(|k| k.code == Some(KeyCode::Char(c)))
    };
    let c = ['n', 'z', ']', 'x']
        .into_iter()
        .find(|c| !taken(*c))
        .unwrap();
    KeyEvent::from(KeyCode::Char(c))
}

#[test]
fn every_key_of_every_mode_does_what_its_row_says() {
    let mut pressed = 0;
    for mode in KeyMode::ALL {
        for b in mode.table() {
            // The facilitator's terminal when the row is theirs, else the
            // first role it is for (a joined terminal's `q`, a viewer's `h`).
            let role = Role::ALL
                .into_iter()
                .find(|r| b.roles.allows(*r))
                .expect("a row for some role");
            for key in b.keys {
                let mut r = Room::set_up(mode, b.action, role);
                let was = Before::of(&r);
                let ev = if key.code.is_some() {
                    key.event()
                } else {
                    unbound(mode)
                };
                r.press(ev);
                check(mode, b, key, &r, &was);
                pressed += 1;
            }
        }
    }
    assert!(pressed > 40, "{pressed} keys pressed");
}

/// Every key the README's key table names is bound, and every key the
/// help shows of the meeting screen is in the README.
#[test]
fn the_readme_and_the_key_tables_agree() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    let section = readme
        .split("## Keys")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a Keys section");
    // The first cell of each row of the table, and the lines under it.
    let named: Vec<&str> = section
        .lines()
        .filter(|l| !l.starts_with("|--"))
        .map(|l| match l.strip_prefix('|') {
            Some(row) => row.split('|').next().unwrap_or(""),
            None => l,
        })
        .flat_map(|l| l.split('`').skip(1).step_by(2))
        .collect();
    let labels: Vec<String> = KeyMode::ALL
        .iter()
        .flat_map(|m| m.table())
        .flat_map(|b| b.keys)
        .map(Key::label)
        .collect();
    for k in &named {
        assert!(
            labels.iter().any(|l| l == k),
            "README names {k}, no table binds it"
        );
    }
    for b in KeyMode::Normal.table().iter().chain(KeyMode::Offer.table()) {
        for k in b
            .keys
            .iter()
            .filter(|k| k.shown == hotwash::app::keymap::Shown::Always)
        {
            let l = k.label();
            assert!(
                named.contains(&l.as_str())
                    || l.len() == 1 && l.chars().all(|c| c.is_ascii_digit()),
                "{l} ({:?}) is not in the README's key table",
                b.action
            );
        }
    }
}
