//! The incident card (`i`) through the app, as a scribe drives it: every
//! field shown and edited, each change an event that replays, undoes and
//! survives a resume; bad entries refused on the card with what was typed
//! kept; hostile and wide text safe; the roster corrected; and the first
//! run saying how to set the incident. Drawn at 80x24 and 200x60.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hotwash::app::{App, AppMode, Effect, Seat, journaled};
use hotwash::meeting::{Clock, FakeClock, Meeting, Stamped, Status, UNTITLED_INCIDENT};
use hotwash::ui::incident_card::{CardRow, CardTarget};
use hotwash::ui::{self, Mode};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A scribe at the app, with everything it journaled.
struct Scribe {
    app: App,
    clock: FakeClock,
    journal: Vec<Stamped>,
}

impl Scribe {
    /// A meeting about `title` with `people` (`Name` or `Name:Role`).
    fn new(title: &str, people: &[&str]) -> Scribe {
        let clock = FakeClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap());
        let people = crate::common::fixtures::people(people);
        let agenda = hotwash::agenda::default_agenda();
        let first = Stamped {
            at: clock.now(),
            event: Meeting::start_event(title, &agenda, &people, 0),
        };
        let m = Meeting::begin(&first).unwrap();
        let app = App::new(m, Arc::new(clock.clone()), Seat::default());
        Scribe {
            app,
            clock,
            journal: vec![first],
        }
    }

    fn take(&mut self, effects: Vec<Effect>) {
        self.journal.extend(journaled(&effects));
    }

    fn key(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.clock.advance(1);
        let e = self.app.on_key(KeyEvent::new(code, mods));
        self.take(e);
    }

    fn press(&mut self, keys: &str) {
        for c in keys.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    fn enter(&mut self) {
        self.key(KeyCode::Enter, KeyModifiers::NONE);
    }

    fn esc(&mut self) {
        self.key(KeyCode::Esc, KeyModifiers::NONE);
    }

    fn paste(&mut self, text: &str) {
        let e = self.app.on_paste(text);
        self.take(e);
    }

    /// Selects `row` on the open card.
    fn go(&mut self, row: CardRow) {
        let want = CardRow::all(self.app.meeting())
            .iter()
            .position(|r| *r == row)
            .unwrap();
        while self.row() > want {
            self.press("k");
        }
        while self.row() < want {
            self.press("j");
        }
    }

    fn row(&self) -> usize {
        match self.app.view(self.clock.now()).mode {
            Mode::Card(c) => c.row,
            _ => panic!("the card is not open"),
        }
    }

    /// Selects `row`, opens its edit box, replaces its text with `text`
    /// (pasted) and presses Enter.
    fn set(&mut self, row: CardRow, text: &str) {
        self.go(row);
        self.enter();
        assert_eq!(self.app.mode(), AppMode::CardEdit(CardTarget::Row(row)));
        self.clear_input();
        self.paste(text);
        self.enter();
    }

    fn clear_input(&mut self) {
        while !self.app.input_text().is_empty() {
            self.key(KeyCode::Backspace, KeyModifiers::NONE);
            self.key(KeyCode::Delete, KeyModifiers::NONE);
        }
    }

    fn screen(&self, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        let now = self.clock.now();
        t.draw(|f| ui::draw(f, &self.app.view(now))).unwrap();
        let buf = t.backend().buffer().clone();
        let mut s = String::new();
        for y in 0..h {
            for x in 0..w {
                s.push_str(buf[(x, y)].symbol());
            }
            s.push('\n');
        }
        s
    }

    fn status(&self) -> String {
        self.app.status().unwrap_or_default().to_string()
    }
}

fn filled() -> Scribe {
    let mut s = Scribe::new("Checkout outage", &["Ana:IC", "Ben", "Chen:SRE"]);
    s.press("i");
    s.set(CardRow::Started, "2026-11-22 23:30");
    s.set(CardRow::Severity, "SEV1");
    s.set(CardRow::Owner, "Ana");
    s.set(
        CardRow::Summary,
        "Checkout failed for an hour.\nA config push.",
    );
    s.set(CardRow::Impact, "30% of EU checkouts failed.");
    s.set(
        CardRow::Links,
        "https://tickets.example.com/INC-42 incident ticket\nhttps://chat.example.com/c/42",
    );
    s.go(CardRow::Status);
    s.press("s");
    s
}

#[test]
fn every_field_is_set_on_the_card_and_shown_there() {
    let s = filled();
    let m = s.app.meeting();
    let d = m.incident_details();
    assert_eq!(
        d.started,
        NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(23, 30, 0)
    );
    assert_eq!(d.severity.as_deref(), Some("SEV1"));
    assert_eq!(d.owner.as_deref(), Some("Ana"));
    assert_eq!(d.status, Status::InReview);
    assert_eq!(
        d.summary.as_deref(),
        Some("Checkout failed for an hour.\nA config push.")
    );
    assert_eq!(d.impact.as_deref(), Some("30% of EU checkouts failed."));
    assert_eq!(d.links.len(), 2);
    assert_eq!(d.links[0].label.as_deref(), Some("incident ticket"));
    assert_eq!(d.links[1].label, None);

    let wide = s.screen(200, 60);
    for want in [
        "Incident card",
        "Checkout outage",
        "2026-11-22 23:30",
        "SEV1",
        "[in-review]",
        "Checkout failed for an hour.",
        "A config push.",
        "30% of EU checkouts failed.",
        "incident ticket — https://tickets.example.com/INC-42",
        "https://chat.example.com/c/42",
        "Ana (IC)",
        "Chen (SRE)",
    ] {
        assert!(wide.contains(want), "{want:?} at 200x60:\n{wide}");
    }
    insta::assert_snapshot!("incident_card_200x60", wide);
    let small = s.screen(80, 24);
    // At 80x24 the selected row shows, and the card says more is hidden.
    assert!(small.contains("▶Status"), "{small}");
    assert!(small.contains("[in-review]"), "{small}");
    insta::assert_snapshot!("incident_card_80x24", small);
}

#[test]
fn each_change_replays_undoes_and_survives_a_resume() {
    let mut s = filled();
    s.go(CardRow::Person(1));
    s.enter();
    assert_eq!(
        s.app.mode(),
        AppMode::CardEdit(CardTarget::Row(CardRow::Person(1)))
    );
    s.press(" Okafor");
    s.enter();
    s.press("r");
    s.press("Scribe");
    s.enter();
    s.press("l");
    assert!(s.status().contains("Ben Okafor has left"), "{}", s.status());
    s.go(CardRow::Person(0));
    s.press("d");
    let m = s.app.meeting();
    assert_eq!(m.people()[1].name, "Ben Okafor");
    assert_eq!(m.people()[1].role.as_deref(), Some("Scribe"));
    assert!(m.has_left(1));
    assert_eq!(m.people()[0].role, None, "d clears a role");

    // What was journaled folds to the same meeting.
    let replayed = Meeting::replay(&s.journal).unwrap();
    assert_eq!(replayed.incident_details(), m.incident_details());
    assert_eq!(replayed.people(), m.people());
    assert!(replayed.has_left(1));

    // A resumed app on the journal shows it all on its card.
    let mut again = App::new(replayed, Arc::new(s.clock.clone()), Seat::default());
    again.on_key(KeyEvent::from(KeyCode::Char('i')));
    let resumed = Scribe {
        app: again,
        clock: s.clock.clone(),
        journal: Vec::new(),
    };
    let screen = resumed.screen(200, 60);
    assert!(screen.contains("Ben Okafor (Scribe)  — left"), "{screen}");

    // u undoes on the card, change by change, newest first.
    s.press("u");
    assert_eq!(s.app.meeting().people()[0].role.as_deref(), Some("IC"));
    s.press("u");
    assert!(!s.app.meeting().has_left(1));
    s.press("uu");
    assert_eq!(s.app.meeting().people()[1].name, "Ben");
    s.press("u");
    assert_eq!(
        s.app.meeting().incident_details().status,
        Status::Draft,
        "the status change undone"
    );
    assert_eq!(s.app.mode(), AppMode::Card);
    let replayed = Meeting::replay(&s.journal).unwrap();
    assert_eq!(replayed.people(), s.app.meeting().people());
    assert_eq!(
        replayed.incident_details(),
        s.app.meeting().incident_details()
    );
}

#[test]
fn a_bad_entry_is_refused_on_the_card_and_loses_nothing_typed() {
    let mut s = Scribe::new("Checkout outage", &[]);
    s.press("i");
    s.go(CardRow::Started);
    s.enter();
    s.press("yesterday at 11");
    s.enter();
    assert_eq!(
        s.app.mode(),
        AppMode::CardEdit(CardTarget::Row(CardRow::Started))
    );
    assert_eq!(s.app.input_text(), "yesterday at 11");
    let screen = s.screen(80, 24);
    assert!(
        screen.contains("✗ start \"yesterday at 11\" is not a date"),
        "{screen}"
    );
    assert!(screen.contains("yesterday at 11"), "{screen}");
    assert_eq!(s.app.meeting().incident_details().started, None);

    s.esc();
    s.go(CardRow::Title);
    s.enter();
    s.clear_input();
    s.press("   ");
    s.enter();
    assert_eq!(
        s.app.mode(),
        AppMode::CardEdit(CardTarget::Row(CardRow::Title))
    );
    assert_eq!(s.app.input_text(), "   ", "what was typed stays");
    let screen = s.screen(80, 24);
    assert!(screen.contains("✗ the incident needs a title"), "{screen}");
    assert_eq!(s.app.meeting().incident(), "Checkout outage");

    // A link line that is not an address names its line.
    s.esc();
    s.go(CardRow::Links);
    s.enter();
    s.paste("https://ok.example\nticket INC-42");
    s.enter();
    let screen = s.screen(80, 24);
    assert!(
        screen.contains("✗ line 2: link \"ticket INC-42\""),
        "{screen}"
    );
    assert_eq!(s.app.input_text(), "https://ok.example\nticket INC-42");
    assert!(s.app.meeting().incident_details().links.is_empty());
    // A one-line field takes no line break.
    s.esc();
    s.go(CardRow::Severity);
    s.enter();
    s.key(KeyCode::Enter, KeyModifiers::ALT);
    assert_eq!(s.app.input_text(), "");
    assert!(s.screen(80, 24).contains("this field is one line"));
}

#[test]
fn pasted_escapes_and_wide_text_stay_text_on_the_card() {
    let mut s = Scribe::new("Outage", &["Ana"]);
    s.press("i");
    let hostile = "\u{1b}[2J\u{1b}]0;pwned\u{7}出口 team 👩‍👩‍👧 \u{202e}evil";
    s.set(CardRow::Owner, hostile);
    s.set(CardRow::Summary, &"出口".repeat(120));
    s.go(CardRow::Person(0));
    s.enter();
    s.clear_input();
    s.paste("Ana\u{1b}[31m 出口");
    s.enter();
    let m = s.app.meeting();
    let owner = m.incident_details().owner.clone().unwrap();
    assert!(
        !owner.contains('\u{1b}') && !owner.contains('\u{202e}'),
        "{owner:?}"
    );
    assert!(owner.contains("出口 team"), "{owner:?}");
    assert_eq!(m.people()[0].name, "Ana 出口");
    for (w, h) in [(80, 24), (200, 60)] {
        let screen = s.screen(w, h);
        assert!(!screen.contains('\u{1b}'), "{screen}");
        // The wide text keeps the card's right border where it belongs.
        let owner = screen.lines().find(|l| l.contains("Owner")).unwrap();
        assert_eq!(owner.matches('┃').count(), 2, "{owner:?}");
        assert!(owner.contains("出 口  team"), "{owner:?}");
    }
}

#[test]
fn a_first_run_says_how_to_set_the_incident_and_the_people() {
    let mut s = Scribe::new(UNTITLED_INCIDENT, &[]);
    let screen = s.screen(80, 24);
    assert!(
        screen.contains("Untitled incident — press i to set it"),
        "{screen}"
    );
    assert!(screen.contains("press n to add a person"), "{screen}");
    s.press("i");
    s.enter();
    assert_eq!(
        s.app.input_text(),
        "",
        "the placeholder is not offered as a title"
    );
    s.press("Checkout outage");
    s.enter();
    s.esc();
    let screen = s.screen(80, 24);
    assert!(screen.contains("Checkout outage"), "{screen}");
    assert!(!screen.contains("press i to set"), "{screen}");
}
