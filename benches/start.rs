//! Start to first frame, in process (target: under 50 ms): a new meeting on
//! the built-in agenda (the agenda parsed, the meeting begun, the app made,
//! the first full frame drawn at 200x60), and resuming sessions of 10,
//! 1,000 and 10,000 events (the session locked, its journal read, parsed
//! and folded, the writer thread started, the app made, the first frame
//! drawn). Session creation (three fsyncs) and the terminal's own start-up
//! belong to the process and are measured end to end by `scripts/measure.py`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use hotwash::app::{App, Seat};
use hotwash::journal::Journal;
use hotwash::meeting::{Clock, FakeClock, Meeting, Participant, Stamped, SystemClock};
use hotwash::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;
use common::{CET, SIZES, meeting, write_session};

fn first_frame(app: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(200, 60)).expect("a test terminal");
    let now = app.now();
    t.draw(|f| ui::draw(f, &app.view(now))).expect("draw");
    t
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("start");
    let people: Vec<Participant> = ["Ana:IC", "Ben:Scribe", "Chen", "Dee"]
        .iter()
        .map(|p| {
            let (name, role) = p.split_once(':').unwrap_or((p, ""));
            Participant {
                name: name.into(),
                role: (!role.is_empty()).then(|| role.into()),
            }
        })
        .collect();
    group.bench_function("new-meeting", |b| {
        b.iter(|| {
            let agenda = hotwash::agenda::default_agenda();
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let first = Stamped {
                at: clock.now(),
                event: Meeting::start_event("Checkout outage", &agenda, &people, CET),
            };
            let m = Meeting::begin(&first).expect("a meeting");
            let app = App::new(m, clock, Seat::default());
            first_frame(&app)
        })
    });

    let tmp = tempfile::tempdir().expect("a temp dir");
    for events in SIZES {
        let room = meeting(events);
        let dir = write_session(tmp.path(), &room.log);
        group.bench_with_input(BenchmarkId::new("resume", events), &dir, |b, dir| {
            // Timed by hand so that closing the journal (joining its
            // thread), which happens at quit, is left out.
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let (replay, writer) =
                        Journal::open::<Stamped, _>(dir, |_| {}).expect("the session");
                    let m = Meeting::replay(&replay.events).expect("a meeting");
                    let clock = Arc::new(FakeClock::new(m.last_event()));
                    let app = App::new(m, clock, Seat::default());
                    let t = first_frame(&app);
                    total += start.elapsed();
                    drop((t, app, writer));
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
