//! Golden files of every export format, for a realistic meeting on each
//! shipped agenda (review changes with `cargo insta review`).

use crate::common::meetings;

use hotwash::export::{Format, Options, render};

fn check(name: &str, m: &hotwash::meeting::Meeting) {
    let plain = Options::default();
    insta::assert_snapshot!(format!("{name}.md"), render(m, Format::Markdown, &plain));
    insta::assert_snapshot!(format!("{name}.json"), render(m, Format::Json, &plain));
    insta::assert_snapshot!(format!("{name}.csv"), render(m, Format::Csv, &plain));
}

#[test]
fn default_agenda() {
    check("default", &meetings::default_meeting());
}

#[test]
fn quick_agenda() {
    check("quick-30", &meetings::quick_meeting());
}

#[test]
fn sev1_agenda() {
    check("sev1-90", &meetings::sev1_meeting());
}

#[test]
fn talk_times_only_when_asked() {
    let m = meetings::default_meeting();
    let opts = Options { talk_times: true };
    insta::assert_snapshot!("default-talk-times.md", render(&m, Format::Markdown, &opts));
    let json: serde_json::Value =
        serde_json::from_str(&render(&m, Format::Json, &opts)).expect("valid JSON");
    insta::assert_snapshot!(
        "default-talk-times.json",
        serde_json::to_string_pretty(&json["talk_times"]).expect("serialisable")
    );
    let plain = render(&m, Format::Markdown, &Options::default());
    assert!(!plain.contains("Talk time"));
    assert!(!render(&m, Format::Json, &Options::default()).contains("talk_"));
}

#[test]
fn hostile_text() {
    check("hostile", &meetings::hostile_meeting());
}
