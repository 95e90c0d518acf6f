//! Exporting a meeting of 10, 1,000 and 10,000 events to each format
//! (target: a 10,000-event meeting in under 50 ms).

use std::hint::black_box;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hotwash::agenda::{Agenda, Section, SectionKind};
use hotwash::export::{Format, Options, render};
use hotwash::meeting::{Command, Meeting, Outcome, Participant, Stamped};

fn agenda() -> Agenda {
    use SectionKind::*;
    let s = |id: &str, kind, mins: u64| Section {
        id: id.into(),
        title: format!("{id} section"),
        kind,
        timebox_secs: mins * 60,
        prompts: vec![],
        fills: None,
        biases: vec![],
        votes: None,
    };
    Agenda {
        hint_phrases: Vec::new(),
        name: "bench".into(),
        description: None,
        safeword: "pineapple".into(),
        ground_rules: vec![],
        sections: vec![
            s("opening", Notes, 5),
            s("timeline", Timeline, 15),
            s("factors", Factors, 15),
            s("went-well", Notes, 5),
            s("actions", Actions, 12),
            s("parking-lot", ParkingLot, 5),
            s("close", Notes, 3),
        ],
    }
}

/// What a scribe types in a section of `kind`, the `n`th time.
fn text(kind: SectionKind, n: usize) -> String {
    match kind {
        SectionKind::Timeline => format!(
            "{:02}:{:02} event {n} on the checkout | pay path https://grafana.example.com/d/{n}",
            n / 60 % 24,
            n % 60
        ),
        SectionKind::Factors => {
            format!("factor {n}: pool sized for `last` year +technology +process")
        }
        SectionKind::Actions => {
            format!(
                "@owner{} !P{} due:+{}d #OPS-{n} fix <thing> {n}",
                n % 7,
                n % 3 + 1,
                n % 30
            )
        }
        _ => format!("note {n}: what the room said,\nover two lines"),
    }
}

/// A busy meeting of about `events` events: items, speaker changes,
/// tangents with outcomes, and every section visited.
fn meeting(events: u64) -> Meeting {
    let people: Vec<Participant> = (0..8)
        .map(|i| Participant {
            name: format!("Person {i}"),
            role: (i % 2 == 0).then(|| "role".to_string()),
        })
        .collect();
    let mut now = Utc
        .with_ymd_and_hms(2026, 11, 23, 14, 0, 0)
        .single()
        .expect("valid instant");
    let first = Stamped {
        at: now,
        event: Meeting::start_event("Bench outage", &agenda(), &people, 3600),
    };
    let mut m = Meeting::begin(&first).expect("a meeting");
    let sections = m.agenda().sections.len() as u64;
    let per_section = (events / sections).max(1);
    let mut n = 0usize;
    let _ = m.record(Command::ToggleTimer, now);
    while m.events() < events {
        now += TimeDelta::seconds(3);
        n += 1;
        let want = ((m.events() / per_section).min(sections - 1)) as usize;
        let cmd = if m.current() < want {
            Command::NextSection
        } else if n.is_multiple_of(3) {
            Command::Speaker(Some(n % people.len()))
        } else if n.is_multiple_of(25) {
            Command::Park(format!("tangent {n}"))
        } else if n % 25 == 1 && !m.parked().is_empty() {
            let id = m.parked()[n % m.parked().len()].id;
            Command::SetOutcome(id, Some(Outcome::FollowUp))
        } else {
            Command::Add(text(m.section().kind, n))
        };
        let _ = m.record(cmd, now);
    }
    m
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("export");
    for events in [10u64, 1_000, 10_000] {
        let m = meeting(events);
        for format in [Format::Markdown, Format::Json, Format::Csv] {
            let opts = Options { talk_times: true };
            let bytes = render(&m, format, &opts).len();
            group.throughput(Throughput::Bytes(bytes as u64));
            group.bench_with_input(BenchmarkId::new(format.extension(), events), &m, |b, m| {
                b.iter(|| render(black_box(m), format, &opts))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
