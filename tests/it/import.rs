//! A prepared timeline: CSV, Markdown tables (hotwash's own minutes too)
//! and plain lines become prepared events; a bad file is refused whole.

use crate::common::meetings;

use std::path::{Path, PathBuf};

use hotwash::export::{self, Format, Options};
use hotwash::import::{self, ImportError};
use hotwash::meeting::{Command, Meeting, Parsed};
use meetings::{Room, afternoon, default_agenda, default_meeting};

fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A fresh meeting with `files` imported, as `hotwash new --timeline` does.
fn imported(files: &[PathBuf]) -> Result<Meeting, ImportError> {
    let cmds = import::commands(files, &default_agenda())?;
    let mut r = Room::new("Imported", &default_agenda(), &[], afternoon());
    for c in cmds {
        r.run(c);
    }
    Ok(r.m)
}

/// The timeline as "time | text | source" lines, in the order shown.
fn rows(m: &Meeting) -> Vec<String> {
    let items = m.items_in(meetings::default_timeline());
    let times = m.timeline_times(&items);
    items
        .iter()
        .zip(times)
        .map(|(i, time)| {
            assert!(i.prepared, "{} is not marked prepared", i.text);
            let Parsed::Timeline(t) = &i.parsed else {
                panic!("not a timeline event")
            };
            format!(
                "{} | {} | {}",
                time.unwrap_or_default(),
                t.text,
                t.source.clone().unwrap_or_default()
            )
        })
        .collect()
}

fn refused(name: &str, bytes: &[u8]) -> String {
    let dir = crate::common::tempdir();
    let p = file(dir.path(), name, bytes);
    let err = imported(std::slice::from_ref(&p)).expect_err("the file is refused");
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!("{}:{}: ", p.display(), err.line)),
        "{msg}"
    );
    assert!(msg.ends_with("nothing was imported"), "{msg}");
    msg
}

#[test]
fn csv_with_a_bom_crlf_quoted_commas_and_empty_lines() {
    let dir = crate::common::tempdir();
    let p = file(
        dir.path(),
        "t.csv",
        b"\xEF\xBB\xBFTimestamp,What,Link\r\n\r\n2026-11-22 23:52,\"pager fires, Ben acks\",https://pd.example/1\r\n\r\n23:40,\"deploy \"\"v42\"\"\",\r\n",
    );
    let m = imported(&[p]).unwrap();
    assert_eq!(
        rows(&m),
        vec![
            "2026-11-22 23:40 | deploy \"v42\" | ",
            "23:52 | pager fires, Ben acks | https://pd.example/1",
        ]
    );
}

#[test]
fn csv_column_names_and_a_non_url_source() {
    let dir = crate::common::tempdir();
    let p = file(
        dir.path(),
        "t.csv",
        b"source,when,description\nchat,10:00,first\n,10:05,second\n",
    );
    let m = imported(&[p]).unwrap();
    assert_eq!(
        rows(&m),
        vec!["10:00 | first (source: chat) | ", "10:05 | second | "]
    );
}

#[test]
fn plain_lines_with_dates_links_and_moments() {
    let dir = crate::common::tempdir();
    let p = file(
        dir.path(),
        "chat.txt",
        b"\n2026-11-22 23:40 deploy starts\n00:07 - pager fires https://pd.example/2 !detected\n\n",
    );
    let m = imported(&[p]).unwrap();
    assert_eq!(
        rows(&m),
        vec![
            "2026-11-22 23:40 | deploy starts | ",
            "2026-11-23 00:07 | pager fires | https://pd.example/2",
        ]
    );
    assert!(m.moments().detected.is_some());
}

#[test]
fn a_markdown_table_among_prose() {
    let dir = crate::common::tempdir();
    let p = file(
        dir.path(),
        "draft.md",
        "# Draft\n\nSome text.\n\n| Owner | Thing |\n| --- | --- |\n| a | b |\n\n| Time | Event |\n|:-----|------|\n| 09:00 | a \\| b with `code` |\n| 09:05 | second |\n\nAfter.\n"
            .as_bytes(),
    );
    let m = imported(&[p]).unwrap();
    assert_eq!(
        rows(&m),
        vec!["09:00 | a | b with `code` | ", "09:05 | second | "]
    );
}

#[test]
fn hotwashs_own_minutes_round_trip() {
    let original = default_meeting();
    let md = export::render(&original, Format::Markdown, &Options::default());
    let dir = crate::common::tempdir();
    let p = file(dir.path(), "minutes.md", md.as_bytes());
    let back = imported(&[p]).unwrap();
    let want: Vec<String> = {
        let items = original.items_in(meetings::default_timeline());
        let times = original.timeline_times(&items);
        items
            .iter()
            .zip(times)
            .map(|(i, time)| {
                let Parsed::Timeline(t) = &i.parsed else {
                    panic!()
                };
                format!(
                    "{} | {} | {}",
                    time.unwrap_or_default(),
                    t.text,
                    t.source.clone().unwrap_or_default()
                )
            })
            .collect()
    };
    assert!(!want.is_empty());
    assert_eq!(rows(&back), want);
    // The placed times agree too: the dates in the minutes anchor the import.
    let placed = |m: &Meeting| -> Vec<_> {
        m.items_in(meetings::default_timeline())
            .iter()
            .map(|i| m.placed(i))
            .collect()
    };
    assert_eq!(placed(&back), placed(&original));
}

#[test]
fn several_files_import_together() {
    let dir = crate::common::tempdir();
    let a = file(dir.path(), "a.txt", b"10:00 from a\n");
    let b = file(dir.path(), "b.csv", b"time,event\n09:00,from b\n");
    let m = imported(&[a, b]).unwrap();
    assert_eq!(rows(&m), vec!["09:00 | from b | ", "10:00 | from a | "]);
}

#[test]
fn a_wrong_header_is_refused_with_what_was_expected() {
    let msg = refused("t.csv", b"date,note\n10:00,x\n");
    assert!(
        msg.contains(":1: expected a header naming a time column"),
        "{msg}"
    );
    assert!(msg.contains("\"date,note\""), "{msg}");
}

#[test]
fn a_bad_time_on_line_7_is_refused_whole() {
    let mut csv = String::from("time,event\n");
    for n in 0..5 {
        csv.push_str(&format!("10:0{n},ok {n}\n"));
    }
    csv.push_str("25:99,bad\n10:09,never imported\n");
    let msg = refused("t.csv", csv.as_bytes());
    assert!(
        msg.contains(":7: \"25:99\" is not a time; expected HH:MM"),
        "{msg}"
    );
    let msg = refused("t.txt", b"10:00 a\n10:01 b\n\n\n\n\nlunch\n");
    assert!(
        msg.contains(":7: expected a line starting with a time"),
        "{msg}"
    );
    let msg = refused(
        "t.md",
        b"| Time | Event |\n| --- | --- |\n| 10:00 | a |\n| 10:01 | b |\n| 10:02 | c |\n| 10:03 | d |\n| soon | e |\n",
    );
    assert!(msg.contains(":7: \"soon\" is not a time"), "{msg}");
}

#[test]
fn binary_junk_and_empty_files_are_refused() {
    let msg = refused("junk.csv", b"time,event\n10:00,a\n\xff\xfe\x00\x01garbage");
    assert!(msg.contains(":3: not UTF-8 text"), "{msg}");
    let msg = refused("nul.txt", b"10:00 a\x00b\n");
    assert!(msg.contains(":1: holds a NUL byte"), "{msg}");
    for (name, bytes) in [
        ("e.csv", &b""[..]),
        ("e.md", b"\xEF\xBB\xBF\r\n\r\n"),
        ("e", b"  \n"),
    ] {
        let msg = refused(name, bytes);
        assert!(msg.contains(":1: the file is empty"), "{msg}");
    }
    let msg = refused("prose.md", b"# Just a heading\n\nNo table.\n");
    assert!(
        msg.contains("expected a Markdown table with Time and Event columns"),
        "{msg}"
    );
    let msg = refused("header-only.csv", b"time,event\n");
    assert!(msg.contains("no timeline events found"), "{msg}");
}

#[test]
fn one_bad_file_among_good_ones_imports_nothing() {
    let dir = crate::common::tempdir();
    let good = file(dir.path(), "good.txt", b"10:00 fine\n");
    let bad = file(dir.path(), "bad.txt", b"10:00 fine\nnot a time\n");
    let err = import::commands(&[good, bad.clone()], &default_agenda()).unwrap_err();
    assert_eq!(err.file, bad);
    assert_eq!(err.line, 2);
    let dir_err = import::commands(&[dir.path().to_path_buf()], &default_agenda()).unwrap_err();
    assert!(dir_err.to_string().contains("not a regular file"));
}

#[test]
fn imports_are_the_commands_typing_produces() {
    let dir = crate::common::tempdir();
    let p = file(dir.path(), "t.txt", b"23:40 deploy https://ci.example/1\n");
    let cmds = import::commands(&[p], &default_agenda()).unwrap();
    assert_eq!(
        cmds,
        vec![Command::Prepare(
            meetings::default_timeline(),
            "23:40 deploy https://ci.example/1".into()
        )]
    );
}
