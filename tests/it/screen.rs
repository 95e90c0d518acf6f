//! The projected screen while the scribe types: a key typed into the input
//! box redraws the box alone, and the terminal ends up showing exactly the
//! frame a whole redraw would; at 80x24 the notes stay in sight above the
//! box.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use hotwash::agenda;
use hotwash::app::frame::{Drawn, Painter};
use hotwash::app::{App, Effect, Seat, journaled};
use hotwash::meeting::{Clock, FakeClock, Meeting, Participant, Stamped};
use hotwash::ui;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::ui::text;

/// The facilitator's app on the default agenda, with five people.
fn app() -> App {
    app_and_clock().0
}

fn app_and_clock() -> (App, FakeClock) {
    let clock = FakeClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
    let people: Vec<Participant> = ["Ana:IC", "Ben:SRE", "Chen", "Dana:Scribe", "Eve"]
        .iter()
        .map(|p| {
            let (name, role) = p.split_once(':').map_or((*p, None), |(n, r)| (n, Some(r)));
            Participant {
                name: name.into(),
                role: role.map(str::to_string),
            }
        })
        .collect();
    let first = Stamped {
        at: clock.now(),
        event: Meeting::start_event(
            "Checkout outage: payments timing out",
            &agenda::default_agenda(),
            &people,
            3600,
        ),
    };
    let meeting = Meeting::begin(&first).unwrap();
    (
        App::new(meeting, Arc::new(clock.clone()), Seat::default()),
        clock,
    )
}

/// A key as the terminal sends it; whether the app asked for a frame.
fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) -> bool {
    let effects = app.on_terminal(TermEvent::Key(KeyEvent::new(code, mods)));
    let _ = journaled(&effects);
    effects.contains(&Effect::Draw)
}

fn type_line(app: &mut App, text: &str) {
    press(app, KeyCode::Char('a'), KeyModifiers::NONE);
    for c in text.chars() {
        press(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
    press(app, KeyCode::Enter, KeyModifiers::NONE);
}

/// The frame a whole redraw of the app draws on a fresh terminal.
fn whole(app: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let view = app.view(app.now());
    t.draw(|f| ui::draw(f, &view)).unwrap();
    t.backend().buffer().clone()
}

/// A terminal emulator fed what the app writes: the test looks at what a
/// real terminal would show, wide characters and all.
struct Screen {
    term: Terminal<CrosstermBackend<Written>>,
    written: Written,
    vt: vt100::Parser,
}

/// What the app wrote to its terminal, not yet shown.
#[derive(Clone, Default)]
struct Written(Rc<RefCell<Vec<u8>>>);

impl std::io::Write for Written {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Screen {
    fn new(w: u16, h: u16) -> Screen {
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        };
        let written = Written::default();
        let dim = |n| std::num::NonZeroU16::new(n).unwrap();
        Screen {
            term: Terminal::with_options(CrosstermBackend::new(written.clone()), options).unwrap(),
            written,
            vt: vt100::Parser::new(dim(h), dim(w), 0),
        }
    }

    /// Hands what was written to the emulator.
    fn show(&mut self) {
        let bytes = std::mem::take(&mut *self.written.0.borrow_mut());
        self.vt.process(&bytes);
    }

    /// The screen a whole frame of `app` draws on a fresh terminal.
    fn whole(app: &App, w: u16, h: u16) -> Screen {
        let mut s = Screen::new(w, h);
        let view = app.view(app.now());
        s.term.draw(|f| ui::draw(f, &view)).unwrap();
        s.show();
        s
    }

    /// The first cell that differs from `other`'s, if any.
    fn differs(&self, other: &Screen) -> Option<(u16, u16)> {
        let (a, b) = (self.vt.screen(), other.vt.screen());
        let (rows, cols) = (a.size().0.get(), a.size().1.get());
        (0..rows)
            .flat_map(|r| (0..cols).map(move |c| (r, c)))
            .find(|&(r, c)| look(a.cell(r, c)) != look(b.cell(r, c)))
    }

    fn text(&self) -> String {
        self.vt.screen().contents()
    }
}

/// How a cell looks: a blank never written looks like a written space.
fn look(cell: Option<&vt100::Cell>) -> Option<(String, vt100::Color, vt100::Color, [bool; 5])> {
    cell.map(|c| {
        let text = if c.has_contents() { c.contents() } else { " " };
        let attrs = [c.bold(), c.dim(), c.italic(), c.underline(), c.inverse()];
        (text.to_string(), c.fgcolor(), c.bgcolor(), attrs)
    })
}

/// Types `keys` on a terminal of `w` x `h`, drawing each frame with the
/// painter as the event loop does (the frame, then the language hints of
/// what was typed, then a frame again if they changed); after every frame
/// the terminal must show what a whole redraw shows. Returns how each
/// frame was drawn.
fn type_and_compare(app: &mut App, w: u16, h: u16, keys: &[(KeyCode, KeyModifiers)]) -> Vec<Drawn> {
    let mut screen = Screen::new(w, h);
    let mut painter = Painter::new();
    let mut how = Vec::new();
    let mut frame = |app: &App, what: &str| {
        let view = app.view(app.now());
        how.push(painter.draw(&mut screen.term, &view).unwrap());
        screen.show();
        let want = Screen::whole(app, w, h);
        if let Some((row, col)) = screen.differs(&want) {
            panic!(
                "{what} at {w}x{h}, drawn {:?}, row {row} column {col} differs ({:?} against {:?}): the terminal shows\n{}\nbut a whole frame is\n{}",
                how.last(),
                screen.vt.screen().cell(row, col),
                want.vt.screen().cell(row, col),
                screen.text(),
                want.text()
            );
        }
    };
    frame(app, "the first frame");
    for (i, &(code, mods)) in keys.iter().enumerate() {
        let effects = app.on_terminal(TermEvent::Key(KeyEvent::new(code, mods)));
        let _ = journaled(&effects);
        if effects.contains(&Effect::Draw) {
            frame(app, &format!("after key {i} ({code:?})"));
        }
        if effects.contains(&Effect::FindHints) && app.find_hints().contains(&Effect::Draw) {
            frame(app, &format!("after the hints of key {i} ({code:?})"));
        }
    }
    how
}

/// Frames that drew only the rows of the box's text that changed (echoed
/// or not).
fn rows_alone(how: &[Drawn]) -> usize {
    how.iter()
        .filter(|d| matches!(d, Drawn::Rows | Drawn::Echo))
        .count()
}

/// At least `least` characters typed at the end of a line were echoed
/// before the text area was drawn, and the text area drew every one of
/// them as echoed.
fn echoes_agree(how: &[Drawn], least: usize) {
    let echoed = how.iter().filter(|d| **d == Drawn::Echo).count();
    let wrong = how.iter().filter(|d| **d == Drawn::EchoCorrected).count();
    assert_eq!(wrong, 0, "an echo the text area drew otherwise: {how:?}");
    assert!(echoed >= least, "{echoed} echoes: {how:?}");
}

fn chars(s: &str) -> Vec<(KeyCode, KeyModifiers)> {
    s.chars()
        .map(|c| (KeyCode::Char(c), KeyModifiers::NONE))
        .collect()
}

#[test]
fn typing_redraws_only_the_input_box_and_the_terminal_shows_the_whole_frame() {
    for (w, h) in [(80, 24), (200, 60)] {
        let mut app = app();
        type_line(&mut app, "the room agrees to stay blameless");
        // Into the timeline, with a few events.
        press(&mut app, KeyCode::Char(']'), KeyModifiers::NONE);
        type_line(
            &mut app,
            "13:58 deploy 4127 of payments https://ci.example/4127",
        );
        type_line(&mut app, "14:02 checkout p99 latency alert fires");
        let mut keys = vec![(KeyCode::Char('a'), KeyModifiers::NONE)];
        keys.extend(chars("14:20 rollback"));
        keys.push((KeyCode::Backspace, KeyModifiers::NONE));
        keys.extend(chars("k finished, 😀 wide and e\u{301} joined"));
        // A language hint appears above the box, then goes.
        keys.extend(chars(" because Ben should have"));
        keys.extend([(KeyCode::Backspace, KeyModifiers::NONE); 11]);
        // New lines make the box taller.
        for _ in 0..4 {
            keys.push((KeyCode::Enter, KeyModifiers::ALT));
            keys.extend(chars("more"));
        }
        keys.push((KeyCode::Left, KeyModifiers::NONE));
        keys.push((KeyCode::Home, KeyModifiers::NONE));
        keys.push((KeyCode::Enter, KeyModifiers::NONE));
        // Normal mode again, then a note typed and cancelled.
        keys.push((KeyCode::Char('j'), KeyModifiers::NONE));
        keys.push((KeyCode::Char('a'), KeyModifiers::NONE));
        keys.extend(chars("draft"));
        keys.push((KeyCode::Esc, KeyModifiers::NONE));
        let how = type_and_compare(&mut app, w, h, &keys);
        let short = how.iter().filter(|d| **d != Drawn::Whole).count();
        assert!(
            short >= 40,
            "most typed keys redraw the box alone at {w}x{h}: {short} of {} frames",
            how.len()
        );
        let rows = rows_alone(&how);
        assert!(
            rows >= 30,
            "most typed characters redraw the row they changed alone at {w}x{h}: {rows} of {} frames",
            how.len()
        );
        echoes_agree(&how, 20);
        assert_eq!(
            how.last(),
            Some(&Drawn::Whole),
            "leaving the box draws it all"
        );
    }
}

#[test]
fn a_long_wrapped_text_edited_in_the_middle_and_scrolled_shows_what_a_whole_frame_shows() {
    let words = "the deploy of build 4127 went out at 13:58 and checkout latency rose; ";
    let mut app = app();
    let mut keys = vec![(KeyCode::Char('a'), KeyModifiers::NONE)];
    // Two lines that wrap over several rows each (78 columns of text).
    keys.extend(chars(&words.repeat(3)));
    keys.push((KeyCode::Enter, KeyModifiers::ALT));
    keys.extend(chars(&words.repeat(2)));
    // Back into the middle of a wrapped line: what follows wraps anew.
    keys.push((KeyCode::Up, KeyModifiers::NONE));
    keys.extend([(KeyCode::Left, KeyModifiers::NONE); 30]);
    keys.extend(chars("pushes words on "));
    keys.extend([(KeyCode::Backspace, KeyModifiers::NONE); 20]);
    keys.extend([(KeyCode::Delete, KeyModifiers::NONE); 3]);
    // More lines than the box shows: the text scrolls, then back up.
    keys.push((KeyCode::End, KeyModifiers::CONTROL));
    for n in 0..10 {
        keys.push((KeyCode::Enter, KeyModifiers::ALT));
        keys.extend(chars(&format!("{n} 出 e\u{301}")));
    }
    keys.extend([(KeyCode::Up, KeyModifiers::NONE); 16]);
    keys.extend(chars("top"));
    keys.extend([(KeyCode::Down, KeyModifiers::NONE); 16]);
    let how = type_and_compare(&mut app, 80, 24, &keys);
    echoes_agree(&how, 100);
    let rows = rows_alone(&how);
    assert!(
        rows >= 250,
        "typing and moving redraw the changed rows alone: {rows} of {} frames",
        how.len()
    );
}

#[test]
fn at_80x24_the_opening_keeps_the_newest_notes_in_sight_above_the_input_box() {
    let mut app = app();
    for n in 1..=5 {
        type_line(&mut app, &format!("opening note number {n}"));
    }
    press(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    for c in "typing".chars() {
        press(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
    }
    let screen = text(&whole(&app, 80, 24));
    assert!(screen.contains("Add a note"), "the box is open:\n{screen}");
    let input_top = screen
        .lines()
        .position(|l| l.contains("Add a note"))
        .unwrap();
    for n in 3..=5 {
        let row = screen
            .lines()
            .position(|l| l.contains(&format!("opening note number {n}")));
        assert!(
            row.is_some_and(|r| r < input_top),
            "note {n} shows above the input box:\n{screen}"
        );
    }
}

#[test]
fn a_tick_while_typing_moves_the_timers_on_screen() {
    let (mut app, clock) = app_and_clock();
    let mut screen = Screen::new(80, 24);
    let mut painter = Painter::new();
    // The section timer runs, and someone speaks.
    press(&mut app, KeyCode::Char(' '), KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('1'), KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    for c in "late".chars() {
        press(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
        painter
            .draw(&mut screen.term, &app.view(app.now()))
            .unwrap();
    }
    let before = Screen::whole(&app, 80, 24).text();
    clock.advance(65);
    let effects = app.on_tick();
    assert!(
        effects.contains(&Effect::Draw),
        "a running timer asks for a frame"
    );
    painter.time_moved();
    let how = painter
        .draw(&mut screen.term, &app.view(app.now()))
        .unwrap();
    screen.show();
    let want = Screen::whole(&app, 80, 24);
    assert_ne!(before, want.text(), "the timers moved");
    assert_eq!(how, Drawn::Whole);
    assert_eq!(screen.differs(&want), None, "{}", screen.text());
}
