//! Whatever the scribe types (arbitrary unicode, pipes, backticks, newlines,
//! control characters), it survives export to JSON and back unchanged after
//! sanitising, and it never breaks the Markdown: tables keep their rows,
//! lists their items, the document its headings, and nothing becomes HTML.

use crate::common;
use crate::common::meetings;

use common::fixtures::{begin, start_event};

use chrono::{TimeDelta, TimeZone, Utc};
use hotwash::agenda::SectionKind;
use hotwash::export::{Format, Options, render};
use hotwash::meeting::text::sanitize;
use hotwash::meeting::{Command, Meeting, Parsed, Participant};
use proptest::prelude::*;
use pulldown_cmark::{Event, HeadingLevel, Options as MdOptions, Parser, Tag, TagEnd};

/// Text a scribe could type or paste, weighted towards Markdown's syntax.
fn scribble() -> impl Strategy<Value = String> {
    let nasty = prop::collection::vec(
        prop_oneof![
            3 => "[a-zA-Z0-9 ]{1,6}",
            2 => prop::sample::select(vec![
                "|", "\\|", "`", "```", "#", "##", "\n", "\r\n", "\r", "\t", "<", ">", "&",
                "&amp;", "*", "_", "[", "]", "(", ")", "!", "~", "-", "+", "=", "1.", "2)",
                ":", "://", "https://", "http://x.io/a|b", "www.", "@", "\\", "    ", "---",
                "<br>", "<script>", "\u{1b}[2J", "\u{1b}]0;t\u{7}", "\u{0}", "\u{7f}", "\u{85}",
                "\u{9b}", "\u{a0}", "\u{2028}", "\u{202e}", "\u{200b}", "\u{feff}", "👩‍👩‍👧",
                "出口", "שלום", "é", "e\u{301}", "10:00 ", "2026-11-22 23:50 ", "@ana ",
                "!P1 ", "due:+3d ", "#ABC-1 ", "+tag ", "\n\n", " \n ",
            ])
            .prop_map(String::from),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat());
    prop_oneof![2 => nasty, 1 => any::<String>()]
}

fn meeting_with(texts: &[(usize, String)], names: &[String], incident: &str) -> Meeting {
    let agenda = meetings::default_agenda();
    let people: Vec<Participant> = names
        .iter()
        .map(|n| Participant {
            name: n.clone(),
            role: Some(n.clone()),
        })
        .collect();
    let start = Utc
        .with_ymd_and_hms(2026, 11, 23, 14, 0, 0)
        .single()
        .expect("valid instant");
    let mut m = begin(&start_event(
        incident,
        &agenda,
        &people,
        meetings::CET,
        start,
    ));
    let mut now = start;
    let mut tick = |m: &mut Meeting, cmd: Command| {
        now += TimeDelta::seconds(7);
        let _ = m.record(cmd, now);
    };
    tick(&mut m, Command::ToggleTimer);
    if !m.people().is_empty() {
        tick(&mut m, Command::Speaker(Some(0)));
    }
    for (section, text) in texts {
        while m.current() < *section {
            tick(&mut m, Command::NextSection);
        }
        tick(&mut m, Command::Add(text.clone()));
        tick(&mut m, Command::Park(text.clone()));
    }
    m
}

/// The section each text goes to, in agenda order: every kind.
fn placed(texts: Vec<String>) -> Vec<(usize, String)> {
    let n = meetings::default_agenda().sections.len();
    let mut v: Vec<(usize, String)> = texts
        .into_iter()
        .enumerate()
        .map(|(i, t)| (i % n, t))
        .collect();
    v.sort_by_key(|(s, _)| *s);
    v
}

/// What the Markdown parser sees: table row counts, list item counts of
/// top-level lists, heading count, and whether any HTML got through.
#[derive(Debug, Default, PartialEq)]
struct Shape {
    /// Every table's cells as plain text, rows in order (header included).
    #[allow(clippy::type_complexity)]
    cells: Vec<Vec<Vec<String>>>,
    table_rows: Vec<usize>,
    cells_per_row_ok: bool,
    list_items: Vec<usize>,
    headings: usize,
    html: bool,
}

fn shape(md: &str) -> Shape {
    let mut s = Shape {
        cells_per_row_ok: true,
        ..Shape::default()
    };
    let (mut depth, mut width, mut cells) = (0usize, 0usize, 0usize);
    let mut cell: Option<String> = None;
    for ev in Parser::new_ext(md, MdOptions::ENABLE_TABLES) {
        match ev {
            Event::Html(_) | Event::InlineHtml(_) => s.html = true,
            Event::Start(Tag::Table(cols)) => {
                width = cols.len();
                s.table_rows.push(0);
                s.cells.push(Vec::new());
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                cells = 0;
                if let Some(r) = s.table_rows.last_mut() {
                    *r += 1;
                }
                if let Some(t) = s.cells.last_mut() {
                    t.push(Vec::new());
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let (Some(c), Some(row)) =
                    (cell.take(), s.cells.last_mut().and_then(|t| t.last_mut()))
                {
                    row.push(c);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                s.cells_per_row_ok &= cells == width;
            }
            Event::Start(Tag::TableCell) => {
                cells += 1;
                cell = Some(String::new());
            }
            Event::Start(Tag::List(_)) => {
                if depth == 0 {
                    s.list_items.push(0);
                }
                depth += 1;
            }
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Item) if depth == 1 => {
                if let Some(n) = s.list_items.last_mut() {
                    *n += 1;
                }
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1 | HeadingLevel::H2,
                ..
            }) => s.headings += 1,
            Event::Start(Tag::Heading { .. }) => s.headings += 100,
            _ => {}
        }
    }
    s
}

/// How a table cell must read: the non-blank lines, trimmed, joined with
/// ` / `; a dash for nothing.
fn literal(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        "—".to_string()
    } else {
        lines.join(" / ")
    }
}

/// The shape the minutes must have, from the meeting alone.
fn expected_shape(m: &Meeting, talk_times: bool) -> Shape {
    let mut s = Shape {
        cells_per_row_ok: true,
        ..Shape::default()
    };
    // The metadata block (status, severity, incident start, duration, the
    // three times to, owner, links, meeting date and time, agenda).
    s.list_items.push(12);
    // Title, Summary, Impact, each section, the appendix; its Attendees,
    // Time per section and (when asked) Talk time are level 3.
    s.headings = 1 + 2 + m.agenda().sections.len() + 1 + 100 * (2 + usize::from(talk_times));
    for (i, sec) in m.agenda().sections.iter().enumerate() {
        let n = m.items_in(i).len();
        if n == 0 {
            continue;
        }
        match sec.kind {
            SectionKind::Notes | SectionKind::Factors => s.list_items.push(n),
            _ => s.table_rows.push(n + 1),
        }
    }
    // The appendix: attendees (when any), then the tables.
    if !m.people().is_empty() {
        s.list_items.push(m.people().len());
    }
    s.table_rows.push(m.sections().len() + 2);
    if talk_times && !m.people().is_empty() {
        s.table_rows.push(m.people().len() + 1);
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn item_text_survives_json_unchanged_after_sanitising(texts in prop::collection::vec(scribble(), 1..8)) {
        let placed = placed(texts);
        let m = meeting_with(&placed, &[], "incident");
        let doc: serde_json::Value =
            serde_json::from_str(&render(&m, Format::Json, &Options::default())).expect("valid JSON");
        let mut exported: Vec<(u64, String)> = Vec::new();
        for s in doc["sections"].as_array().expect("sections") {
            for it in s["items"].as_array().expect("items") {
                exported.push((it["id"].as_u64().expect("id"), it["text"].as_str().expect("text").into()));
            }
        }
        for t in doc["parking_lot"].as_array().expect("parking lot") {
            exported.push((t["id"].as_u64().expect("id"), t["text"].as_str().expect("text").into()));
        }
        exported.sort();
        // Each text was added once and parked once, unless it sanitised to nothing.
        let mut expected: Vec<String> = placed
            .iter()
            .map(|(_, t)| sanitize(t).trim().to_string())
            .filter(|t| !t.is_empty())
            .flat_map(|t| [t.clone(), t])
            .collect();
        expected.sort();
        let mut got: Vec<String> = exported.iter().map(|(_, t)| t.clone()).collect();
        got.sort();
        prop_assert_eq!(got, expected);
        for (id, text) in &exported {
            let item = m.item(*id).expect("exported ids are the meeting's");
            prop_assert_eq!(&item.text, text);
            prop_assert!(text.chars().all(|c| c == '\n' || !c.is_control()));
        }
        // Parsed fields come back unchanged too.
        for s in doc["sections"].as_array().expect("sections") {
            for it in s["items"].as_array().expect("items") {
                let item = m.item(it["id"].as_u64().expect("id")).expect("item");
                match &item.parsed {
                    Parsed::Timeline(t) => {
                        prop_assert_eq!(it["description"].as_str(), Some(t.text.as_str()));
                        prop_assert_eq!(it["source"].as_str(), t.source.as_deref());
                    }
                    Parsed::Factor(f) => {
                        prop_assert_eq!(it["description"].as_str(), Some(f.text.as_str()));
                        let tags: Vec<&str> = it["tags"].as_array().expect("tags").iter().filter_map(|t| t.as_str()).collect();
                        prop_assert_eq!(tags, f.tags.iter().map(String::as_str).collect::<Vec<_>>());
                    }
                    Parsed::Action(a) => {
                        prop_assert_eq!(it["description"].as_str(), Some(a.description.as_str()));
                        prop_assert_eq!(it["owner"].as_str(), a.owner.as_deref());
                        prop_assert_eq!(it["ticket"].as_str(), a.ticket.as_deref());
                    }
                    Parsed::Note | Parsed::Tangent => {}
                }
            }
        }
    }

    #[test]
    fn no_text_breaks_the_markdown(
        texts in prop::collection::vec(scribble(), 0..10),
        names in prop::collection::vec(scribble(), 0..4),
        incident in scribble(),
        talk_times in any::<bool>(),
    ) {
        let m = meeting_with(&placed(texts), &names, &incident);
        let md = render(&m, Format::Markdown, &Options { talk_times });
        prop_assert!(md.ends_with('\n') && !md.ends_with("\n\n"));
        prop_assert!(md.chars().all(|c| c == '\n' || !c.is_control()));
        let mut got = shape(&md);
        let cells = std::mem::take(&mut got.cells);
        prop_assert_eq!(got, expected_shape(&m, talk_times), "{}", md);
        // Cells render the text literally: the timeline's events and the
        // parking lot's tangents, line breaks shown as ` / `.
        let mut tables = cells.iter();
        let (timeline, actions) = (
            meetings::default_timeline(),
            meetings::index_of(&meetings::default_agenda(), SectionKind::Actions),
        );
        if !m.items_in(timeline).is_empty() {
            let table = tables.next().expect("a timeline table");
            for (row, item) in table[1..].iter().zip(m.items_in(timeline)) {
                let Parsed::Timeline(t) = &item.parsed else { unreachable!() };
                prop_assert_eq!(&row[1], &literal(&t.text), "{}", md);
            }
        }
        if !m.items_in(actions).is_empty() {
            let table = tables.next().expect("an actions table");
            for (row, item) in table[1..].iter().zip(m.items_in(actions)) {
                let Parsed::Action(a) = &item.parsed else { unreachable!() };
                prop_assert_eq!(&row[0], &literal(&a.description), "{}", md);
            }
        }
        if !m.parked().is_empty() {
            let table = tables.next().expect("a parking-lot table");
            for (row, item) in table[1..].iter().zip(m.parked()) {
                prop_assert_eq!(&row[0], &literal(&item.text), "{}", md);
            }
        }
    }

    #[test]
    fn csv_rows_stay_rows(texts in prop::collection::vec(scribble(), 0..10)) {
        let m = meeting_with(&placed(texts), &[], "incident");
        let out = render(&m, Format::Csv, &Options::default());
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let rows = reader.records().collect::<Result<Vec<_>, _>>();
        prop_assert!(rows.is_ok(), "{:?}", rows.err());
        let actions = m
            .items_in(meetings::index_of(&meetings::default_agenda(), SectionKind::Actions))
            .len();
        prop_assert_eq!(rows.map(|r| r.len()).unwrap_or(usize::MAX), actions);
    }
}
