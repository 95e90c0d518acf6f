//! The app's update, driven by keys and pastes with a fake clock: what the
//! facilitator and scribe do, and what the meeting records.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use hotwash::agenda::{Agenda, Section, SectionKind};
use hotwash::app::{App, AppMode, Effect, Exit, Seat, journaled};
use hotwash::export::ExportError;
use hotwash::meeting::{
    Clock, DraftTarget, Event, FakeClock, Meeting, Outcome, OvertimeChoice, Participant, Stamped,
};
use hotwash::ui::InputPurpose;

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
        name: "test".into(),
        description: None,
        safeword: "pineapple".into(),
        ground_rules: vec![],
        sections: vec![
            s("opening", SectionKind::Notes, 120),
            s("timeline", SectionKind::Timeline, 600),
            s("parking", SectionKind::ParkingLot, 300),
        ],
    }
}

struct Harness {
    app: App,
    clock: FakeClock,
    journal: Vec<Stamped>,
    /// Every effect asked for but the journal's, in order.
    effects: Vec<Effect>,
}

impl Harness {
    fn new() -> Harness {
        let clock = FakeClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
        let people: Vec<Participant> = ["Ana", "Ben", "Chen"]
            .iter()
            .map(|n| Participant {
                name: n.to_string(),
                role: None,
            })
            .collect();
        let first = Stamped {
            at: clock.now(),
            event: Meeting::start_event("Outage", &agenda(), &people, 0),
        };
        let m = Meeting::begin(&first).unwrap();
        Harness {
            app: App::new(m, Arc::new(clock.clone()), Seat::default()),
            clock,
            journal: vec![first],
            effects: Vec::new(),
        }
    }
    /// Keeps what an update asked for, as the loop would carry it out.
    fn took(&mut self, effects: Vec<Effect>) {
        self.journal.extend(journaled(&effects));
        self.effects.extend(
            effects
                .into_iter()
                .filter(|e| !matches!(e, Effect::Journal(_))),
        );
    }
    fn exit(&self) -> Option<Exit> {
        self.effects.iter().find_map(|e| match e {
            Effect::Quit(x) => Some(x.clone()),
            _ => None,
        })
    }
    /// Whether the bell rang since the last call.
    fn rang(&mut self) -> bool {
        let rang = self.effects.contains(&Effect::Ring);
        self.effects.retain(|e| *e != Effect::Ring);
        rang
    }
    fn tick(&mut self) {
        let effects = self.app.on_tick();
        self.took(effects);
    }
    fn save_draft(&mut self) {
        let effects = self.app.save_draft();
        self.took(effects);
    }
    fn paste(&mut self, text: &str) {
        let effects = self.app.on_terminal(TermEvent::Paste(text.into()));
        self.took(effects);
    }
    fn key(&mut self, code: KeyCode) {
        self.key_mod(code, KeyModifiers::NONE);
    }
    fn key_mod(&mut self, code: KeyCode, m: KeyModifiers) {
        let effects = self.app.on_terminal(TermEvent::Key(KeyEvent::new(code, m)));
        self.took(effects);
    }
    fn keys(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }
    fn type_line(&mut self, s: &str) {
        self.keys(s);
        self.key(KeyCode::Enter);
    }
    fn texts(&self) -> Vec<String> {
        let m = self.app.meeting();
        m.items_in(m.current())
            .iter()
            .map(|i| i.text.clone())
            .collect()
    }
    fn resumed(&self) -> App {
        let m = Meeting::replay(&self.journal).unwrap();
        App::new(m, Arc::new(self.clock.clone()), Seat::default())
    }
}

#[test]
fn a_opens_the_input_enter_adds_and_the_item_is_journaled() {
    let mut h = Harness::new();
    h.keys("a");
    assert_eq!(h.app.mode(), AppMode::Input(InputPurpose::Add));
    h.type_line("Ground rules read aloud");
    assert_eq!(h.app.mode(), AppMode::Normal);
    assert_eq!(h.texts(), vec!["Ground rules read aloud"]);
    assert!(matches!(
        h.journal.last().unwrap().event,
        Event::ItemAdded { .. }
    ));
}

#[test]
fn keys_typed_into_the_input_do_not_fire_commands() {
    let mut h = Harness::new();
    h.keys("a");
    h.type_line("q] [1 d u x p?");
    assert_eq!(h.texts(), vec!["q] [1 d u x p?"]);
    assert_eq!(h.app.meeting().current(), 0);
    assert!(h.app.meeting().speaker().is_none());
    assert_eq!(h.exit(), None);
}

#[test]
fn alt_enter_breaks_the_line_and_esc_keeps_the_draft_for_next_time() {
    let mut h = Harness::new();
    h.keys("afirst line");
    h.key_mod(KeyCode::Enter, KeyModifiers::ALT);
    h.keys("second");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.mode(), AppMode::Normal);
    assert!(h.texts().is_empty());
    let draft = &h.app.meeting().drafts()[&DraftTarget::Add { section: 0 }];
    assert_eq!(draft.text, "first line\nsecond");
    h.keys("a");
    assert_eq!(h.app.input_text(), "first line\nsecond");
    h.keys(" line");
    h.key(KeyCode::Enter);
    assert_eq!(h.texts(), vec!["first line\nsecond line"]);
    assert!(h.app.meeting().drafts().is_empty());
}

#[test]
fn a_draft_being_typed_comes_back_open_after_a_crash() {
    let mut h = Harness::new();
    h.keys("ahalf a sent");
    h.save_draft(); // the loop does this within a second of typing
    let back = h.resumed();
    assert_eq!(back.mode(), AppMode::Input(InputPurpose::Add));
    assert_eq!(back.input_text(), "half a sent");
}

#[test]
fn a_draft_kept_with_esc_waits_closed_after_a_resume() {
    let mut h = Harness::new();
    h.keys("ahalf a sent");
    h.save_draft(); // the loop saved it while it was typed
    h.key(KeyCode::Esc);
    let mut back = h.resumed();
    assert_eq!(back.mode(), AppMode::Normal, "the input was closed");
    let _ = back.on_terminal(TermEvent::Key(KeyEvent::new(
        KeyCode::Char('a'),
        KeyModifiers::NONE,
    )));
    assert_eq!(back.mode(), AppMode::Input(InputPurpose::Add));
    assert_eq!(back.input_text(), "half a sent");
}

#[test]
fn esc_on_an_empty_input_leaves_the_status_line_alone() {
    let mut h = Harness::new();
    h.keys("a");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.mode(), AppMode::Normal);
    assert_eq!(h.app.status(), None);
    h.keys("ax");
    h.key(KeyCode::Backspace);
    h.save_draft();
    assert_eq!(h.app.status(), None, "an unchanged draft is no news");
}

#[test]
fn a_paste_goes_in_as_text_never_as_keys_and_without_escapes() {
    let mut h = Harness::new();
    h.paste("q\u{1b}]0;title\u{7}y\r\nline two");
    assert_eq!(h.app.mode(), AppMode::Input(InputPurpose::Add));
    assert_eq!(h.exit(), None);
    assert_eq!(h.app.input_text(), "qy\nline two");
    h.key(KeyCode::Enter);
    assert_eq!(h.texts(), vec!["qy\nline two"]);
}

#[test]
fn a_huge_paste_is_refused_cleanly() {
    let mut h = Harness::new();
    h.paste(&"x".repeat(100_001));
    assert_eq!(h.app.mode(), AppMode::Normal);
    assert!(h.app.status().unwrap().contains("nothing was pasted"));
}

#[test]
fn digits_mark_the_speaker_and_zero_nobody() {
    let mut h = Harness::new();
    h.keys("2");
    assert_eq!(h.app.meeting().speaker().map(|s| s.0), Some(1));
    h.clock.advance(30);
    h.keys("0");
    assert_eq!(h.app.meeting().speaker(), None);
    assert_eq!(h.app.meeting().talk(1, h.clock.now()).talk_ms, 30_000);
    h.keys("7");
    assert!(h.app.status().unwrap().contains("no participant 7"));
}

#[test]
fn n_adds_a_latecomer_with_a_role() {
    let mut h = Harness::new();
    h.keys("n");
    h.type_line("Dee:SRE on call");
    assert_eq!(h.app.meeting().people()[3].name, "Dee");
    assert_eq!(
        h.app.meeting().people()[3].role.as_deref(),
        Some("SRE on call")
    );
    assert!(h.app.status().unwrap().contains("key 4"));
}

#[test]
fn delete_then_undo_brings_the_item_back() {
    let mut h = Harness::new();
    h.keys("a");
    h.type_line("one");
    h.keys("a");
    h.type_line("two");
    h.keys("k"); // select "one"
    h.keys("d");
    assert_eq!(h.texts(), vec!["two"]);
    h.keys("u");
    assert_eq!(h.texts(), vec!["one", "two"]);
    h.keys("e");
    assert_eq!(
        h.app.input_text(),
        "two",
        "selection follows the item after the deleted one"
    );
}

#[test]
fn edit_replaces_the_selected_item() {
    let mut h = Harness::new();
    h.keys("a");
    h.type_line("tpyo");
    h.keys("e");
    for _ in 0..4 {
        h.key(KeyCode::Backspace);
    }
    h.type_line("typo");
    assert_eq!(h.texts(), vec!["typo"]);
}

#[test]
fn the_timebox_runs_out_rings_once_and_the_room_chooses() {
    let mut h = Harness::new();
    h.keys(" ");
    h.clock.advance(119);
    h.tick();
    assert!(!h.rang());
    h.clock.advance(2);
    h.tick();
    assert!(h.rang(), "one bell at the end of the timebox");
    h.clock.advance(1);
    h.tick();
    assert!(!h.rang(), "only one");
    h.keys("+");
    let d = &h.app.meeting().sections()[0].decisions;
    assert_eq!(d[0].choice, OvertimeChoice::KeepGoing { extra_secs: 300 });
    h.clock.advance(300);
    h.tick();
    assert!(h.rang(), "the extension ran out too");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.meeting().current(), 1);
    assert_eq!(
        h.app.meeting().sections()[0].decisions[1].choice,
        OvertimeChoice::MoveOn
    );
}

#[test]
fn the_bell_can_be_turned_off() {
    let mut h = Harness::new();
    h.keys("b ");
    h.clock.advance(121);
    h.tick();
    assert!(!h.rang());
    assert!(
        h.app.meeting().overtime_offer(h.clock.now()),
        "the offer still shows"
    );
}

#[test]
fn p_parks_a_tangent_raised_by_the_speaker_and_o_sets_its_outcome() {
    let mut h = Harness::new();
    h.keys("3p");
    assert_eq!(h.app.mode(), AppMode::Input(InputPurpose::Park));
    h.type_line("rewrite it in another language?");
    let parked = h.app.meeting().parked();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].parking.as_ref().unwrap().raised_by, Some(2));
    h.keys("]]");
    h.keys("o");
    assert_eq!(
        h.app.meeting().parked()[0]
            .parking
            .as_ref()
            .unwrap()
            .outcome,
        Some(Outcome::Action)
    );
    h.keys("oo");
    assert_eq!(
        h.app.meeting().parked()[0]
            .parking
            .as_ref()
            .unwrap()
            .outcome,
        Some(Outcome::Dropped)
    );
}

#[test]
fn q_asks_and_only_y_quits() {
    let mut h = Harness::new();
    h.keys("q");
    assert_eq!(h.app.mode(), AppMode::ConfirmQuit);
    h.keys("n");
    assert_eq!(h.exit(), None);
    assert_eq!(h.app.mode(), AppMode::Normal);
    h.keys(" 1qy");
    assert_eq!(h.exit(), Some(Exit::Quit));
    assert!(
        !h.app.meeting().state().running(),
        "quitting pauses the timer"
    );
    assert_eq!(h.app.meeting().speaker(), None, "and ends the turn");
    assert!(matches!(
        h.journal.last().unwrap().event,
        Event::SpeakerChanged { person: None }
    ));
}

#[test]
fn ctrl_c_leaves_at_once_even_while_typing() {
    let mut h = Harness::new();
    h.keys("a");
    h.key_mod(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(h.exit(), Some(Exit::Interrupted));
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut h = Harness::new();
    h.keys("?");
    assert_eq!(h.app.mode(), AppMode::Help);
    h.keys("]");
    assert_eq!(h.app.mode(), AppMode::Normal);
    assert_eq!(
        h.app.meeting().current(),
        0,
        "the key that closes help does nothing else"
    );
}

#[test]
fn esc_when_time_is_up_carries_on_in_overtime_and_is_recorded() {
    let mut h = Harness::new();
    h.keys(" ");
    h.clock.advance(125);
    h.tick();
    assert!(h.app.meeting().overtime_offer(h.clock.now()));
    h.key(KeyCode::Esc);
    assert!(
        !h.app.meeting().overtime_offer(h.clock.now()),
        "the offer goes"
    );
    assert_eq!(h.app.meeting().current(), 0, "the room stays");
    assert_eq!(
        h.app.meeting().sections()[0].decisions[0].choice,
        OvertimeChoice::KeepGoing { extra_secs: 0 }
    );
}

#[test]
fn plus_and_minus_change_the_timebox_by_five_minutes() {
    let mut h = Harness::new();
    h.keys("]"); // the 10-minute timeline
    h.keys("+");
    assert_eq!(h.app.meeting().state().timebox_secs, 15 * 60);
    h.keys("--");
    assert_eq!(h.app.meeting().state().timebox_secs, 5 * 60);
    h.keys("-");
    assert_eq!(
        h.app.meeting().state().timebox_secs,
        60,
        "never under a minute"
    );
    h.keys("-");
    assert!(h.app.status().unwrap().contains("one minute"));
}

/// The update does no file work: `x` asks the loop to export, and the
/// path the loop reports back goes on the status line.
#[test]
fn x_asks_the_loop_to_export_and_shows_what_it_reports() {
    let mut h = Harness::new();
    let effects = h
        .app
        .on_terminal(TermEvent::Key(KeyEvent::from(KeyCode::Char('x'))));
    assert_eq!(effects, vec![Effect::Draw, Effect::Export]);
    let full = std::path::PathBuf::from("/full");
    let effects = h.app.on_exported(Err(ExportError::NoFreeName(full)));
    assert_eq!(effects, vec![Effect::Draw]);
    let status = h.app.status().unwrap();
    assert!(
        status.starts_with("export failed: ") && status.contains("/full"),
        "{status}"
    );
    let _ = h.app.on_exported(Ok("/tmp/minutes.md".into()));
    assert_eq!(h.app.status(), Some("minutes written to /tmp/minutes.md"));
}

/// Typing asks for the draft to be saved soon; a command's events come
/// first, ahead of the redraw, so what is drawn is already on its way.
#[test]
fn updates_return_their_journal_first_and_ask_for_the_draft_to_be_saved() {
    let mut h = Harness::new();
    let effects = h
        .app
        .on_terminal(TermEvent::Key(KeyEvent::from(KeyCode::Char(' '))));
    assert!(matches!(effects[0], Effect::Journal(ref e) if e.len() == 1));
    assert!(effects.contains(&Effect::Draw));
    h.keys("a");
    let effects = h
        .app
        .on_terminal(TermEvent::Key(KeyEvent::from(KeyCode::Char('z'))));
    assert_eq!(
        effects,
        vec![Effect::Draw, Effect::SaveDraftSoon, Effect::FindHints]
    );
}

/// A typed character is drawn first; the language hints about the text
/// follow (`FindHints`), and ask for a frame of their own only when they
/// changed.
#[test]
fn typed_text_is_drawn_before_its_language_hints_are_looked_for() {
    let mut h = Harness::new();
    h.keys("a");
    h.keys("the deploy was carele");
    let effects = h
        .app
        .on_terminal(TermEvent::Key(KeyEvent::from(KeyCode::Char('s'))));
    assert!(effects.contains(&Effect::FindHints), "{effects:?}");
    let effects = h
        .app
        .on_terminal(TermEvent::Key(KeyEvent::from(KeyCode::Char('s'))));
    assert!(effects.contains(&Effect::Draw) && effects.contains(&Effect::FindHints));
    assert!(
        h.app.language_hints().is_empty(),
        "the frame of the typed key comes before the hints"
    );
    assert_eq!(h.app.find_hints(), vec![Effect::Draw], "a hint came");
    assert_eq!(h.app.language_hints()[0].found, "careless");
    assert_eq!(h.app.find_hints(), Vec::new(), "nothing new, no frame");
    // Rubbed out, the hint goes with the next look.
    let _ = h
        .app
        .on_terminal(TermEvent::Key(KeyEvent::from(KeyCode::Backspace)));
    assert_eq!(h.app.find_hints(), vec![Effect::Draw]);
    assert!(h.app.language_hints().is_empty());
}
