//! The room's cost per joined terminal, in process: what the host does for
//! one viewer when the meeting changes (the published meeting copied into
//! the viewer's app, its frame drawn at the viewer's size and encoded into
//! the bytes sent), and on a timer tick (the frame a running timer redraws
//! each second). The busy meeting (500 items, 12 people), in its factors
//! section, a viewer at 120x40. The bytes of each kind of frame are printed
//! once, before the timings.
//!
//! Each host publish costs this once per joined terminal; twenty viewers
//! cost twenty times it (see "The room" in docs/performance.md).

use std::cell::RefCell;
use std::hint::black_box;
use std::io::Write;
use std::rc::Rc;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use hotwash::agenda::SectionKind;
use hotwash::app::keymap::Role;
use hotwash::app::{App, Seat};
use hotwash::meeting::{Clock, Command, FakeClock, Meeting};
use hotwash::ui::{self, SaveState};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

mod common;
use common::{busy, section_of};

/// A joined viewer's screen: its app and a terminal that encodes frames
/// into bytes, as the host's view task has.
struct Viewer {
    app: App,
    clock: FakeClock,
    term: Terminal<CrosstermBackend<Sink>>,
    sink: Sink,
}

/// Where the terminal's bytes go, for the bench to take them (as the
/// host's view task does).
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Viewer {
    fn new(m: &Meeting, now: chrono::DateTime<chrono::Utc>) -> Viewer {
        let clock = FakeClock::new(now);
        let seat = Seat {
            role: Role::Viewer,
            color: true,
        };
        let app = App::new(m.clone(), Arc::new(clock.clone()), seat);
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
        };
        let sink = Sink::default();
        let term = Terminal::with_options(CrosstermBackend::new(sink.clone()), options)
            .expect("a terminal");
        let mut v = Viewer {
            app,
            clock,
            term,
            sink,
        };
        v.frame();
        v
    }

    /// Draws the latest state; the bytes that would go to the terminal.
    fn frame(&mut self) -> usize {
        let now = self.clock.now();
        let view = self.app.view(now);
        self.term.draw(|f| ui::draw(f, &view)).expect("drawn");
        std::mem::take(&mut *self.sink.0.borrow_mut()).len()
    }
}

fn bench(c: &mut Criterion) {
    let mut room = busy();
    let factors = section_of(&room.m, SectionKind::Factors);
    room.enter(factors);
    if !room.m.state().running() {
        room.run(Command::ToggleTimer);
    }
    assert!(room.m.state().running(), "the section's timer runs");
    let a = room.m.clone();
    room.run(Command::Add(
        "a factor added while the room watches +process".into(),
    ));
    let b = room.m.clone();
    let mut viewer = Viewer::new(&a, room.now);

    // The bytes of each kind of frame, once.
    let _ = viewer.app.on_meeting(b.clone(), SaveState::Saved);
    let change = viewer.frame();
    let _ = viewer.app.on_meeting(a.clone(), SaveState::Saved);
    viewer.frame();
    viewer.clock.advance(1);
    let _ = viewer.app.on_tick();
    let tick = viewer.frame();
    eprintln!(
        "room: a viewer's frame at 120x40: {change} bytes when an item is added, {tick} bytes on a timer tick"
    );

    let mut group = c.benchmark_group("room");
    // A change published: the meeting copied in, drawn, encoded; the two
    // meetings alternate so every frame has a difference to send.
    let mut flip = false;
    group.bench_function("viewer-publish-busy-120x40", |bench| {
        bench.iter(|| {
            flip = !flip;
            let m = if flip { &b } else { &a };
            let _ = viewer
                .app
                .on_meeting(black_box(m).clone(), SaveState::Saved);
            black_box(viewer.frame())
        })
    });
    // A timer tick: one second later, the frame redrawn.
    group.bench_function("viewer-tick-busy-120x40", |bench| {
        bench.iter(|| {
            viewer.clock.advance(1);
            let _ = viewer.app.on_tick();
            black_box(viewer.frame())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
