//! Third-party readers agree with the exports: a CommonMark + GFM parser
//! sees the minutes' tables with the right rows and no HTML, the JSON
//! validates against the shipped schema, the CSV reads with a standard CSV
//! reader. Plus the atomic write and the default file name.

use crate::common;
use crate::common::meetings;

use std::path::Path;

use hotwash::agenda::SectionKind;
use hotwash::export::{
    CSV_HEADER, ExportError, Format, Options, SCHEMA_ID, default_file_name, render, write_atomic,
};
use hotwash::meeting::text::sanitize;
use hotwash::meeting::{Meeting, Parsed};
use pulldown_cmark::{Event, Options as MdOptions, Parser, Tag, TagEnd};

const BOTH: [Options; 2] = [Options { talk_times: false }, Options { talk_times: true }];

// ---- Markdown ----

/// A table as the parser sees it: rows of cells of plain text.
type Table = Vec<Vec<String>>;

/// The tables of a Markdown document; panics on any HTML, which no user
/// text may smuggle in.
fn tables(md: &str) -> Vec<Table> {
    let mut out: Vec<Table> = Vec::new();
    let mut in_table = false;
    let mut cell: Option<String> = None;
    for ev in Parser::new_ext(md, MdOptions::ENABLE_TABLES) {
        match ev {
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML in the minutes: {h:?}"),
            Event::Start(Tag::Table(_)) => {
                in_table = true;
                out.push(Vec::new());
            }
            Event::End(TagEnd::Table) => in_table = false,
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                if let Some(t) = out.last_mut() {
                    t.push(Vec::new());
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(c), Some(row)) =
                    (cell.take(), out.last_mut().and_then(|t| t.last_mut()))
                {
                    row.push(c);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_table => {
                panic!("a line break inside a table cell")
            }
            _ => {}
        }
    }
    out
}

/// The row counts (header included) the minutes' tables must have, in order.
fn expected_rows(m: &Meeting, opts: &Options) -> Vec<usize> {
    let mut rows = Vec::new();
    let mut parking_seen = false;
    for (i, s) in m.agenda().sections.iter().enumerate() {
        let n = m.items_in(i).len();
        match s.kind {
            SectionKind::Timeline | SectionKind::Actions if n > 0 => rows.push(n + 1),
            SectionKind::ParkingLot if !parking_seen => {
                parking_seen = true;
                if n > 0 {
                    rows.push(n + 1);
                }
            }
            _ => {}
        }
    }
    if !parking_seen && !m.parked().is_empty() {
        rows.push(m.parked().len() + 1);
    }
    rows.push(m.sections().len() + 2);
    // The learning pulse: a row per question with enough answers.
    let answered = hotwash::meeting::PulseQuestion::ALL
        .iter()
        .filter(|q| m.pulse().answers(**q) >= hotwash::meeting::PULSE_MIN_ANSWERS)
        .count();
    if m.pulse().opened && answered > 0 {
        rows.push(answered + 1);
    }
    if opts.talk_times && !m.people().is_empty() {
        rows.push(m.people().len() + 1);
    }
    rows
}

#[test]
fn markdown_tables_have_the_right_rows_and_no_html() {
    for (name, m) in meetings::all_meetings() {
        for opts in BOTH {
            let md = render(&m, Format::Markdown, &opts);
            let found = tables(&md);
            let rows: Vec<usize> = found.iter().map(Vec::len).collect();
            assert_eq!(rows, expected_rows(&m, &opts), "{name} ({opts:?}):\n{md}");
            for t in &found {
                let width = t[0].len();
                assert!(
                    t.iter().all(|r| r.len() == width),
                    "{name}: a row with a different number of cells: {t:?}"
                );
            }
        }
    }
}

#[test]
fn markdown_cells_render_user_text_literally() {
    let m = meetings::hostile_meeting();
    let md = render(&m, Format::Markdown, &Options::default());
    let found = tables(&md);
    let timeline = &found[0];
    let expected: Vec<String> = m
        .items_in(meetings::default_timeline())
        .iter()
        .map(|i| match &i.parsed {
            Parsed::Timeline(t) => t
                .text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" / "),
            _ => unreachable!("the timeline holds timeline events"),
        })
        .map(|s| if s.is_empty() { "—".to_string() } else { s })
        .collect();
    let shown: Vec<String> = timeline[1..].iter().map(|r| r[1].clone()).collect();
    assert_eq!(shown, expected);
}

#[test]
fn markdown_sources_are_links_and_prose_urls_are_not() {
    let m = meetings::hostile_meeting();
    let md = render(&m, Format::Markdown, &Options::default());
    let (mut in_table, mut links) = (false, 0);
    for ev in Parser::new_ext(&md, MdOptions::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::Table(_)) => in_table = true,
            Event::End(TagEnd::Table) => in_table = false,
            Event::Start(Tag::Link { dest_url, .. }) => {
                assert!(in_table, "a link outside the timeline: {dest_url}");
                assert!(
                    !dest_url.contains(['|', '<', '>', '`', '"', ' ']),
                    "unencoded: {dest_url}"
                );
                links += 1;
            }
            _ => {}
        }
    }
    let sourced = m
        .all_items()
        .filter(|i| !i.deleted && matches!(&i.parsed, Parsed::Timeline(t) if t.source.is_some()))
        .count();
    assert!(sourced > 0);
    assert_eq!(
        links, sourced,
        "one link per timeline source, none from prose"
    );
}

// ---- JSON ----

fn schema() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/export-schema.json");
    let text = std::fs::read_to_string(&path).expect("docs/export-schema.json is readable");
    serde_json::from_str(&text).expect("docs/export-schema.json is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema())
        .expect("docs/export-schema.json is a valid JSON Schema")
}

#[test]
fn json_validates_against_the_shipped_schema() {
    let v = validator();
    assert_eq!(schema()["$id"], SCHEMA_ID);
    for (name, m) in meetings::all_meetings() {
        for opts in BOTH {
            let doc: serde_json::Value =
                serde_json::from_str(&render(&m, Format::Json, &opts)).expect("valid JSON");
            let errors: Vec<String> = v
                .iter_errors(&doc)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name} ({opts:?}): {errors:#?}");
            assert_eq!(doc.get("talk_times").is_some(), opts.talk_times);
        }
    }
}

#[test]
fn the_schema_refuses_what_it_should() {
    // Guards against a schema that accepts everything.
    let v = validator();
    let good: serde_json::Value = serde_json::from_str(&render(
        &meetings::default_meeting(),
        Format::Json,
        &Options::default(),
    ))
    .expect("valid JSON");
    let mut extra = good.clone();
    extra["surprise"] = serde_json::json!(1);
    let mut bad_priority = good.clone();
    bad_priority["sections"][4]["items"][0]["priority"] = serde_json::json!("P9");
    let mut bad_time = good.clone();
    bad_time["sections"][1]["items"][0]["created"] = serde_json::json!("yesterday");
    let mut no_version = good.clone();
    if let Some(o) = no_version.as_object_mut() {
        o.remove("schema_version");
    }
    for (what, doc) in [
        ("an unknown field", extra),
        ("an unknown priority", bad_priority),
        ("a malformed instant", bad_time),
        ("no version", no_version),
    ] {
        assert!(!v.is_valid(&doc), "the schema accepted {what}");
    }
}

#[test]
fn json_holds_what_the_minutes_hold() {
    let m = meetings::default_meeting();
    let doc: serde_json::Value =
        serde_json::from_str(&render(&m, Format::Json, &Options::default())).expect("JSON");
    assert_eq!(doc["incident"], m.incident());
    assert_eq!(
        doc["people"].as_array().map(Vec::len),
        Some(m.people().len())
    );
    let sections = doc["sections"].as_array().expect("sections");
    assert_eq!(sections.len(), m.agenda().sections.len());
    for (i, s) in sections.iter().enumerate() {
        let items = s["items"].as_array().expect("items");
        let expected: Vec<u64> = m
            .items_in(i)
            .iter()
            .filter(|it| it.parking.is_none())
            .map(|it| it.id)
            .collect();
        let ids: Vec<u64> = items.iter().filter_map(|it| it["id"].as_u64()).collect();
        assert_eq!(ids, expected, "section {i}");
    }
    assert_eq!(
        doc["parking_lot"].as_array().map(Vec::len),
        Some(m.parked().len())
    );
}

// ---- CSV ----

#[test]
fn csv_reads_with_a_standard_reader() {
    for (name, m) in meetings::all_meetings() {
        let text = render(&m, Format::Csv, &Options::default());
        assert!(text.ends_with("\r\n"), "{name}: records end in CRLF");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("a header row")
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(header, CSV_HEADER);
        let records: Vec<csv::StringRecord> = reader
            .records()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let actions: Vec<(String, String)> = m
            .agenda()
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == SectionKind::Actions)
            .flat_map(|(i, s)| {
                m.items_in(i)
                    .into_iter()
                    .filter_map(move |it| match &it.parsed {
                        Parsed::Action(a) => Some((s.title.clone(), a.description.clone())),
                        _ => None,
                    })
            })
            .collect();
        assert_eq!(records.len(), actions.len(), "{name}: one row per action");
        for (r, (section, description)) in records.iter().zip(&actions) {
            assert_eq!(r.len(), CSV_HEADER.len());
            let defused = |s: &str| {
                if s.starts_with(['=', '+', '-', '@']) {
                    format!("'{s}")
                } else {
                    s.to_string()
                }
            };
            assert_eq!(&r[4], defused(&sanitize(section)), "{name}");
            assert_eq!(&r[5], defused(&sanitize(description)), "{name}");
        }
    }
}

// ---- every format ----

#[test]
fn no_control_character_reaches_any_format() {
    let m = meetings::unsanitised_meeting();
    for format in [Format::Markdown, Format::Json, Format::Csv] {
        for opts in BOTH {
            let out = render(&m, format, &opts);
            let bad: Vec<char> = out
                .chars()
                .filter(|c| c.is_control() && *c != '\n' && *c != '\r')
                .collect();
            assert!(bad.is_empty(), "{format}: {bad:?} in\n{out}");
            assert!(
                !out.contains("[2J") && !out.contains("]0;"),
                "{format}: {out}"
            );
        }
    }
}

// ---- file names and writing ----

#[test]
fn default_file_names_carry_the_local_date_and_a_slug() {
    let m = meetings::default_meeting();
    assert_eq!(
        default_file_name(&m, Format::Markdown),
        "2026-11-23-checkout-outage-payment-provider-timeouts-postmortem.md"
    );
    assert_eq!(
        default_file_name(&m, Format::Json),
        "2026-11-23-checkout-outage-payment-provider-timeouts-postmortem.json"
    );
    assert_eq!(
        default_file_name(&m, Format::Csv),
        "2026-11-23-checkout-outage-payment-provider-timeouts-actions.csv"
    );
    let hostile = default_file_name(&meetings::hostile_meeting(), Format::Markdown);
    assert_eq!(hostile, "2026-11-23-b-outage-b-1-again-postmortem.md");
    assert_eq!(
        default_file_name(&meetings::empty_meeting(), Format::Csv),
        "2026-11-23-actions.csv"
    );
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("readable")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".hotwash-export-"))
        .collect()
}

#[test]
fn write_atomic_writes_and_never_clobbers_without_force() {
    let dir = crate::common::tempdir();
    let path = dir.path().join("minutes.md");
    write_atomic(&path, "first\n", false).expect("a fresh file is written");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "first\n");

    let err = write_atomic(&path, "second\n", false).expect_err("no overwrite without force");
    assert!(matches!(err, ExportError::Exists(_)));
    assert_eq!(
        err.to_string(),
        format!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "first\n");

    write_atomic(&path, "second\n", true).expect("force overwrites");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "second\n");
    assert!(leftovers(dir.path()).is_empty(), "temp files left behind");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o077, 0, "minutes are readable by the user only");
    }
}

#[test]
fn write_atomic_errors_are_one_sentence_naming_the_path() {
    let dir = crate::common::tempdir();
    let missing = dir.path().join("no/such/dir/minutes.md");
    let err = write_atomic(&missing, "x", false).expect_err("no directory");
    assert!(matches!(err, ExportError::NoDirectory { .. }));
    let msg = err.to_string();
    assert!(msg.contains(&missing.display().to_string()), "{msg}");
    assert!(msg.contains("does not exist"), "{msg}");

    let err = write_atomic(dir.path(), "x", true).expect_err("a directory is not a file");
    assert!(matches!(err, ExportError::IsDirectory(_)));

    for e in [err.to_string(), msg] {
        assert!(!e.contains('\n') && !e.ends_with('.'), "one sentence: {e}");
        assert_eq!(e.matches(". ").count(), 0, "one sentence: {e}");
    }
    assert!(leftovers(dir.path()).is_empty());
}

/// A journal may hold any timebox (hand-edited, or a future version's): a
/// `u64::MAX` one and a timebox pushed past it never wrap into a negative
/// or tiny figure in any export, and nothing panics.
#[test]
fn a_huge_timebox_in_a_journal_never_wraps_in_the_exports() {
    use common::fixtures::{Room, agenda, people, section};
    let mut huge = section("opening", "Opening", SectionKind::Notes, 10);
    huge.timebox_secs = u64::MAX;
    let mut also = section("close", "Close", SectionKind::Notes, 10);
    also.timebox_secs = u64::MAX - 1;
    let a = agenda("huge", vec![huge, also]);
    let mut room = Room::new("Huge timebox", &a, &people(&["Ana"]));
    room.ok(hotwash::meeting::Command::ToggleTimer);
    room.wait(90);
    // Adding to a timebox already at the top saturates instead of wrapping.
    let _ = room.run(hotwash::meeting::Command::AdjustTimebox(300));
    let m = room.replayed();
    let md = render(&m, Format::Markdown, &Options::default());
    let total = md
        .lines()
        .find(|l| l.starts_with("| Total"))
        .expect("a total row");
    // Two sections of ~2^64 seconds each: the total is a huge clock, not a
    // wrapped small one, and no section is "over".
    let planned = total.split('|').nth(2).unwrap_or_default().trim();
    assert!(planned.len() > 10, "the planned total wrapped: {total}");
    for line in md
        .lines()
        .filter(|l| l.starts_with("| 1. ") || l.starts_with("| 2. "))
    {
        assert!(!line.contains("| +"), "a section shows as over: {line}");
    }
    let json = render(&m, Format::Json, &Options::default());
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert!(v.is_object());
}
