//! Drawing whole frames of a busy meeting (500 items, 12 people, 20 parked
//! tangents) through ratatui's `TestBackend` at 80x24, 120x40 and 200x60
//! (target: under 1 ms at 200x60), and the same at 10, 1,000 and 10,000
//! events.
//!
//! "Full" frames start from a cleared terminal, so every cell is diffed and
//! sent to the backend: the cost of the first frame and of a resize. "Tick"
//! is the frame a running timer asks for once a second: one second later,
//! the same screen, only the changed cells sent.

use std::hint::black_box;

use chrono::TimeDelta;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use hotwash::agenda::SectionKind;
use hotwash::app::App;
use hotwash::ui;
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};

mod common;
use common::{Room, SIZES, busy, meeting, section_of};

const SIZES_WH: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 60)];

fn terminal(w: u16, h: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(w, h)).expect("a test terminal")
}

/// The room in the section of `kind`, as the app shows it (the last item selected).
fn app_in(room: &mut Room, kind: SectionKind) -> App {
    let section = section_of(&room.m, kind);
    if room.m.current() != section {
        room.enter(section);
    }
    room.app()
}

/// Clears the terminal and draws the whole frame.
fn full_frame(t: &mut Terminal<TestBackend>, app: &App) {
    t.clear().expect("clear");
    let now = app.now();
    t.draw(|f| ui::draw(f, &app.view(now))).expect("draw");
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");

    let mut room = busy();
    let timeline = app_in(&mut room, SectionKind::Timeline);
    for (w, h) in SIZES_WH {
        let mut t = terminal(w, h);
        group.bench_function(BenchmarkId::new("busy-timeline", format!("{w}x{h}")), |b| {
            b.iter(|| full_frame(&mut t, black_box(&timeline)))
        });
    }
    for (name, kind) in [
        ("busy-factors", SectionKind::Factors),
        ("busy-actions", SectionKind::Actions),
        ("busy-parking", SectionKind::ParkingLot),
    ] {
        let app = app_in(&mut room, kind);
        let mut t = terminal(200, 60);
        group.bench_function(BenchmarkId::new(name, "200x60"), |b| {
            b.iter(|| full_frame(&mut t, black_box(&app)))
        });
    }

    // The once-a-second frame of a running timer: draw at t, then at t+1 s.
    {
        let app = app_in(&mut room, SectionKind::Timeline);
        let mut t = terminal(200, 60);
        let start = app.now();
        let mut secs = 0i64;
        t.draw(|f| ui::draw(f, &app.view(start))).expect("draw");
        group.bench_function(BenchmarkId::new("busy-tick", "200x60"), |b| {
            b.iter(|| {
                secs += 1;
                let now = start + TimeDelta::seconds(secs);
                t.draw(|f| ui::draw(f, &app.view(now))).expect("draw");
            })
        });
    }

    // A full frame and the escape sequences a real terminal would be sent
    // for every one of its cells (crossterm's encoding, into memory).
    {
        let mut t = terminal(200, 60);
        let mut out = Vec::<u8>::with_capacity(1 << 17);
        group.bench_function(BenchmarkId::new("busy-timeline-bytes", "200x60"), |b| {
            b.iter(|| {
                t.clear().expect("clear");
                let now = timeline.now();
                let frame = t.draw(|f| ui::draw(f, &timeline.view(now))).expect("draw");
                let buf = frame.buffer;
                out.clear();
                let cells = buf.content.iter().enumerate().map(|(i, cell)| {
                    let (x, y) = buf.pos_of(i);
                    (x, y, cell)
                });
                CrosstermBackend::new(&mut out).draw(cells).expect("encode");
                black_box(out.len())
            })
        });
    }

    // How the cost grows with the meeting: the timeline section of a
    // meeting of 10, 1,000 and 10,000 events, full frames at 200x60.
    for events in SIZES {
        let mut room = meeting(events);
        let app = app_in(&mut room, SectionKind::Timeline);
        let mut t = terminal(200, 60);
        group.bench_function(BenchmarkId::new("events-timeline-200x60", events), |b| {
            b.iter(|| full_frame(&mut t, black_box(&app)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
