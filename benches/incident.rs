//! Version two's formats: importing a prepared timeline of 10,000 lines
//! (plain, CSV, Markdown), and rendering a 10,000-event meeting as tickets
//! (Jira CSV, Linear CSV, gh script) and through the shipped templates
//! (target: each under 50 ms).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use hotwash::export::template::render_str;
use hotwash::export::{Format, Options, render};
use hotwash::import::{Kind, parse_bytes};

mod common;

const LINES: usize = 10_000;

fn lines(kind: Kind) -> Vec<u8> {
    let mut out = String::new();
    match kind {
        Kind::Csv => out.push_str("time,event,source\n"),
        Kind::Markdown => {
            out.push_str("# Draft\n\n| Time | Event | Source |\n| --- | --- | --- |\n")
        }
        Kind::Plain => {}
    }
    for n in 0..LINES {
        let (h, m) = (n / 60 % 24, n % 60);
        let event = format!(
            "event {n}: error rate on /pay crosses {}%, pager fires",
            n % 90
        );
        let source = format!("https://grafana.example.com/d/{n}");
        match kind {
            Kind::Csv => out.push_str(&format!("{h:02}:{m:02},\"{event}\",{source}\n")),
            Kind::Markdown => out.push_str(&format!("| {h:02}:{m:02} | {event} | <{source}> |\n")),
            Kind::Plain => out.push_str(&format!("{h:02}:{m:02} {event} {source}\n")),
        }
    }
    out.into_bytes()
}

fn import(c: &mut Criterion) {
    let mut g = c.benchmark_group("import");
    for (name, kind) in [
        ("plain", Kind::Plain),
        ("csv", Kind::Csv),
        ("md", Kind::Markdown),
    ] {
        let bytes = lines(kind);
        g.bench_function(format!("{name}/{LINES}"), |b| {
            b.iter(|| parse_bytes(Path::new("t"), black_box(&bytes), Some(kind)))
        });
    }
    g.finish();
}

fn formats(c: &mut Criterion) {
    let m = common::meeting(10_000).m;
    let opts = Options::default();
    let mut g = c.benchmark_group("export");
    for (name, f) in [
        ("jira-csv", Format::JiraCsv),
        ("linear-csv", Format::LinearCsv),
        ("gh", Format::Gh),
    ] {
        g.bench_function(format!("{name}/10000"), |b| {
            b.iter(|| render(black_box(&m), f, &opts))
        });
    }
    for t in ["google-sre", "pagerduty"] {
        let path = format!("{}/templates/{t}.md.j2", env!("CARGO_MANIFEST_DIR"));
        let src = std::fs::read_to_string(&path).expect("the shipped template");
        g.bench_function(format!("template-{t}/10000"), |b| {
            b.iter(|| render_str(Path::new(&path), &src, black_box(&m), &opts))
        });
    }
    g.finish();
}

criterion_group!(benches, import, formats);
criterion_main!(benches);
