//! Keystroke to screen, in process: a key event enters the app, the app
//! updates, hands any new events to the journal (encoding them and queueing
//! them for the writer thread, as the event loop does), then draws the frame
//! on a 200x60 `TestBackend` with the loop's painter (render and diff; a key
//! typed into the input box redraws the box alone). Target: under 2 ms.
//!
//! Each benchmark alternates two keys so that the screen stays the same
//! size however many iterations criterion asks for: typing a character and
//! rubbing it out, moving the selection up and back, handing the floor
//! between two people. Committing an item (Enter) is timed on its own, on
//! a fresh copy of the meeting each time. Run on the busy meeting (500
//! items, 12 people) and on meetings of 10, 1,000 and 10,000 events, all in
//! their timeline section, where the items are sorted by time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use hotwash::agenda::SectionKind;
use hotwash::app::frame::Painter;
use hotwash::app::{App, Effect};
use hotwash::journal::{Header, Journal, JournalWriter, SessionStore};
use hotwash::meeting::Stamped;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;
use common::{Room, SIZES, busy, meeting, section_of};

/// The app on a terminal, with a journal, driven as the event loop drives it.
struct Screen {
    app: App,
    term: Terminal<TestBackend>,
    painter: Painter,
    journal: JournalWriter<Stamped>,
    _dir: tempfile::TempDir,
}

impl Screen {
    fn new(app: App) -> Screen {
        let dir = tempfile::tempdir().expect("a temp dir");
        let store = SessionStore::at(dir.path().to_path_buf());
        let header = Header::new(app.meeting().created(), "bench", "bench");
        let (_, journal) = Journal::create(&store, &header, |_| {}).expect("a journal");
        let mut s = Screen {
            app,
            term: Terminal::new(TestBackend::new(200, 60)).expect("a test terminal"),
            painter: Painter::new(),
            journal,
            _dir: dir,
        };
        s.draw();
        s
    }

    /// One key, all the way to the frame.
    fn key(&mut self, code: KeyCode) {
        let effects = self.app.on_terminal(key(code));
        self.settle(effects);
    }

    /// What the event loop does after an input: journal, then draw if
    /// asked, then look for the language hints of typed text (and draw
    /// again if they changed).
    fn settle(&mut self, effects: Vec<Effect>) {
        let mut hints = false;
        for effect in effects {
            match effect {
                Effect::Journal(events) => {
                    for e in events {
                        self.journal.append(&e).expect("append");
                    }
                }
                Effect::Draw => self.draw(),
                Effect::FindHints => hints = true,
                _ => {}
            }
        }
        if hints {
            let effects = self.app.find_hints();
            self.settle(effects);
        }
    }

    fn draw(&mut self) {
        {
            let now = self.app.now();
            let view = self.app.view(now);
            self.painter.draw(&mut self.term, &view).expect("draw");
        }
    }
}

fn key(code: KeyCode) -> TermEvent {
    TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The room in its timeline section, as the app shows it.
fn in_timeline(mut room: Room) -> Room {
    let section = section_of(&room.m, SectionKind::Timeline);
    if room.m.current() != section {
        room.enter(section);
    }
    room
}

/// Times `iters` keys, alternating `a` and `b`.
fn alternate(s: &mut Screen, a: KeyCode, b: KeyCode, iters: u64) -> Duration {
    let start = Instant::now();
    for i in 0..iters {
        s.key(if i % 2 == 0 { a } else { b });
    }
    start.elapsed()
}

fn bench(c: &mut Criterion) {
    let rooms: Vec<(String, Room)> = std::iter::once(("busy".to_string(), busy()))
        .chain(SIZES.iter().map(|&n| (n.to_string(), meeting(n))))
        .map(|(name, room)| (name, in_timeline(room)))
        .collect();

    let mut group = c.benchmark_group("keystroke");
    for (name, room) in &rooms {
        let mut s = Screen::new(room.app());
        s.key(KeyCode::Char('a'));
        s.key(KeyCode::Char('x'));
        group.bench_function(BenchmarkId::new("type-char", name), |b| {
            b.iter_custom(|iters| alternate(&mut s, KeyCode::Char('y'), KeyCode::Backspace, iters))
        });

        let mut s = Screen::new(room.app());
        group.bench_function(BenchmarkId::new("move-selection", name), |b| {
            b.iter_custom(|iters| alternate(&mut s, KeyCode::Char('k'), KeyCode::Char('j'), iters))
        });

        let mut s = Screen::new(room.app());
        group.bench_function(BenchmarkId::new("switch-speaker", name), |b| {
            b.iter_custom(|iters| alternate(&mut s, KeyCode::Char('1'), KeyCode::Char('2'), iters))
        });
    }
    group.finish();

    // A fresh copy of the meeting per commit, so the meeting does not grow
    // with the number of iterations; only the Enter key is timed.
    let mut group = c.benchmark_group("keystroke");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(2));
    for (name, room) in &rooms {
        let mut s = Screen::new(room.app());
        group.bench_function(BenchmarkId::new("commit-item", name), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    s.app = room.app();
                    s.app.on_terminal(key(KeyCode::Char('a')));
                    for ch in "12:00 the room agrees on this event".chars() {
                        s.app.on_terminal(key(KeyCode::Char(ch)));
                    }
                    s.draw();
                    let start = Instant::now();
                    s.key(KeyCode::Enter);
                    total += start.elapsed();
                    black_box(s.app.meeting());
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
