//! The journal on disk (a temp dir on the machine's disk, with real fsyncs).
//!
//! - `journal/append/N`: N events appended as fast as the app can hand them
//!   over, until all are durable; the writer thread batches whatever queued
//!   up during an fsync into the next write. Reported as events per second.
//! - Commit to durable (printed before the criterion runs, as p50 / p99 /
//!   max, since criterion reports means and medians, not percentiles): the
//!   time from `append` to the writer's `Status::Durable` callback covering
//!   that event, for commits one at a time (the room's pace) and for a burst
//!   of one commit per millisecond (far faster than any scribe).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use hotwash::journal::{Header, Journal, JournalWriter, SessionStore, Status};
use hotwash::meeting::Stamped;

mod common;
use common::{SIZES, meeting};

fn header() -> Header {
    Header::new(common::start(), "bench", "bench")
}

fn bench(c: &mut Criterion) {
    let log = meeting(10_000).log;
    let tmp = tempfile::tempdir().expect("a temp dir");
    let store = SessionStore::at(tmp.path().to_path_buf());
    let mut group = c.benchmark_group("journal");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(3));
    for events in SIZES {
        let batch = &log[..events as usize];
        group.throughput(Throughput::Elements(events));
        group.bench_function(BenchmarkId::new("append", events), |b| {
            // A fresh session each time, made and closed outside the clock.
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (session, mut w) = Journal::create::<Stamped, _>(&store, &header(), |_| {})
                        .expect("a session");
                    let start = Instant::now();
                    for e in batch {
                        w.append(e).expect("append");
                    }
                    w.flush(Duration::from_secs(60)).expect("durable");
                    total += start.elapsed();
                    drop(w);
                    let _ = std::fs::remove_dir_all(session.dir);
                }
                total
            })
        });
    }
    group.finish();
}

/// Percentile `p` (0..=100) of sorted `v`.
fn pct(v: &[Duration], p: f64) -> Duration {
    let i = ((v.len() as f64 - 1.0) * p / 100.0).round() as usize;
    v[i.min(v.len() - 1)]
}

fn show(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "journal/durable/{name}: n={} p50={:.3} ms p99={:.3} ms max={:.3} ms",
        v.len(),
        ms(pct(&v, 50.0)),
        ms(pct(&v, 99.0)),
        ms(*v.last().expect("samples"))
    );
}

/// A writer whose callback reports when each batch became durable.
fn writer(store: &SessionStore) -> (JournalWriter<Stamped>, mpsc::Receiver<(u64, Instant)>) {
    let (tx, rx) = mpsc::channel();
    let (_, w) = Journal::create::<Stamped, _>(store, &header(), move |s| {
        if let Status::Durable { seq } = s {
            let _ = tx.send((seq, Instant::now()));
        }
    })
    .expect("a session");
    (w, rx)
}

/// Commit to durable, one commit at a time and in a 1 kHz burst.
fn durable_latency(commits: usize) {
    let log = meeting(commits as u64 + 10).log;
    let tmp = tempfile::tempdir().expect("a temp dir");
    let store = SessionStore::at(tmp.path().to_path_buf());

    // One at a time: each commit waits for the last to be on disk, with a
    // short pause between, as commits come in a meeting.
    let (mut w, rx) = writer(&store);
    let mut lat = Vec::with_capacity(commits);
    for e in log.iter().take(commits) {
        let start = Instant::now();
        let seq = w.append(e).expect("append");
        loop {
            let (done, at) = rx.recv().expect("a status");
            if done >= seq {
                lat.push(at - start);
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    show("one-at-a-time", lat);
    drop(w);

    // A burst: one commit every millisecond, never waiting.
    let (mut w, rx) = writer(&store);
    let mut sent = Vec::with_capacity(commits);
    let t0 = Instant::now();
    for (i, e) in log.iter().take(commits).enumerate() {
        let due = t0 + Duration::from_millis(i as u64);
        while Instant::now() < due {
            std::thread::sleep(Duration::from_micros(100));
        }
        let seq = w.append(e).expect("append");
        sent.push((seq, Instant::now()));
    }
    w.flush(Duration::from_secs(60)).expect("durable");
    let acks: Vec<(u64, Instant)> = rx.try_iter().collect();
    let lat = sent
        .iter()
        .map(|&(seq, at)| {
            let (_, done) = acks
                .iter()
                .find(|(s, _)| *s >= seq)
                .expect("every event became durable");
            *done - at
        })
        .collect();
    show("burst-1khz", lat);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes --bench; `cargo test --benches` does not, and
    // then everything runs once, briefly, as a test.
    let measuring = args.iter().any(|a| a == "--bench");
    // The filter is the one argument that is neither an option nor an
    // option's value.
    const FLAGS: [&str; 9] = [
        "--bench",
        "--test",
        "--list",
        "--exact",
        "--quick",
        "--noplot",
        "--verbose",
        "--quiet",
        "--discard-baseline",
    ];
    let filter = args.iter().enumerate().find_map(|(i, a)| {
        let value_of_option = i > 0
            && args[i - 1].starts_with("--")
            && !args[i - 1].contains('=')
            && !FLAGS.contains(&args[i - 1].as_str());
        (!a.starts_with('-') && !value_of_option).then_some(a)
    });
    if filter.is_none_or(|f| "journal/durable".contains(f.as_str())) {
        durable_latency(if measuring { 500 } else { 5 });
    }
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}

criterion_group!(benches, bench);
