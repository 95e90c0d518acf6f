//! Replaying journals of 10, 1,000 and 10,000 events: the file read from
//! disk, parsed and folded into a meeting (target: a 10,000-event journal
//! in under 50 ms), and the fold (`Meeting::replay`) alone.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hotwash::journal;
use hotwash::meeting::{Meeting, Stamped};

mod common;
use common::{SIZES, meeting, write_session};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("replay");
    let tmp = tempfile::tempdir().expect("a temp dir");
    for events in SIZES {
        let room = meeting(events);
        let dir = write_session(tmp.path(), &room.log);
        group.throughput(Throughput::Elements(room.log.len() as u64));
        group.bench_with_input(BenchmarkId::new("file", events), &dir, |b, dir| {
            b.iter(|| {
                let r = journal::replay::<Stamped>(black_box(dir)).expect("a journal");
                Meeting::replay(&r.events).expect("a meeting")
            })
        });
        group.bench_with_input(BenchmarkId::new("fold", events), &room.log, |b, log| {
            b.iter(|| Meeting::replay(black_box(log)).expect("a meeting"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
